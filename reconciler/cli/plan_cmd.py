"""`campaigns plan`: what a reviewer reads before anything is sent."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from reconciler.cli.group import EXIT_CHANGES, EXIT_ERROR, EXIT_OK, cli, paths_argument
from reconciler.cli.options import (
    ApiChoice,
    access,
    api_options,
    definitions_or_exit,
    fail,
    failed_comment,
    format_option,
    grace,
    target_or_exit,
    user_errors,
    write_chunks,
    write_comment,
    write_step_summary,
)
from reconciler.render import plan as render_plan_mod
from reconciler.render import validation as render_validation
from reconciler.render.common import Style, use_color
from reconciler.workflow.inputs import Target
from reconciler.workflow.plan import Plan, plan_target, save_plan


@dataclass(frozen=True, kw_only=True)
class PlanOptions(ApiChoice):
    """What `campaigns plan` was asked for, parsed once."""

    paths: tuple[str, ...]
    fmt: str
    targets: tuple[str, ...]
    out_file: str | None
    detailed_exitcode: bool
    show_unmanaged: bool
    check_links: bool
    markdown_out: str | None
    html_out: str | None
    override_limits: bool


# -- plan -----------------------------------------------------------------------------------


@cli.command()
@paths_argument
@api_options
@format_option(render_plan_mod.RENDERERS, "gitlab: a Code Quality report; json: "
               "schemas/plan.schema.json.")
@click.option("--target", "targets", multiple=True, help="Plan only this campaign (repeatable).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False), default=None,
              help="Save the plan for `campaigns apply FILE`.")
@click.option("--detailed-exitcode", is_flag=True,
              help="Exit 0 when there are no changes, 2 when there are, 1 on error.")
@click.option("--show-unmanaged", is_flag=True,
              help="List the account's campaigns that no definition mentions.")
@click.option("--check-links", is_flag=True,
              help="Ask each link of the campaigns to create of its server (HEAD, then GET); "
                   "a broken link is an error. `links: {check: true}` in the configuration "
                   "does the same for every plan and apply.")
@click.option("--markdown-out", type=click.Path(dir_okay=False), default=None,
              help="Also write the Markdown plan (a pull-request comment) to this file.")
@click.option("--html-out", type=click.Path(dir_okay=False), default=None,
              envvar="CAMPAIGNS_HTML_OUT", show_envvar=True,
              help="Also write the review page (every campaign as its recipients will see "
                   "it, one offline HTML file) to this file.")
@click.option("--override-limits", is_flag=True,
              help="Do not fail a plan over the limits of one apply (the approved case; "
              "apply needs it too).")
def plan(**given: Any) -> None:
    """Show what apply would do. Reads the account; writes nothing."""
    o = PlanOptions(**given)
    if o.out_file and Path(o.out_file).suffix.lower() in (".yaml", ".yml"):
        fail(f"Error: --out {o.out_file}: a saved plan cannot be named .yaml or .yml, which "
             "`campaigns apply` reads as definitions; name it plan.json, say.")
    target, result = make_plan(o)
    write_plan(result, o, target)
    if result.errors:
        sys.exit(EXIT_ERROR)
    if o.out_file:
        save_plan(result, Path(o.out_file))
        click.echo(f"Saved the plan to {o.out_file}; apply it with: campaigns apply "
                   f"{o.out_file}", err=True)
    sys.exit(exit_code(result, o))


def make_plan(o: PlanOptions) -> tuple[Target, Plan]:
    """The target and its plan; or exit 1, the PR comment saying why no plan was made."""
    target, settings = target_or_exit(o.config_file, o.env_name, o.state_file,
                                      failed_comment(o.markdown_out, o.env_name))
    marker = render_plan_mod.marker(target.environment)
    campaigns, warnings = definitions_or_exit(
        o.paths, o.targets, o.fmt, target, settings,
        on_invalid=lambda invalid: write_comment(
            o.markdown_out,
            lambda **kw: render_validation.render_markdown(invalid, marker, **kw)))
    with user_errors(failed_comment(o.markdown_out, target.environment)):
        result = plan_target(access(target, o.sandbox, o.api_key_file), campaigns,
                             diagnostics=warnings, in_flight_grace=grace(target),
                             check_links=o.check_links)
    return target, result


def write_plan(result: Plan, o: PlanOptions, target: Target) -> None:
    """The plan in the chosen format on standard output (written as it is made), and the
    Markdown and HTML wherever they were asked for."""
    style = Style(color=use_color(sys.stdout), show_unmanaged=o.show_unmanaged)
    write_chunks(render_plan_mod.RENDERERS[o.fmt](result, style))
    write_step_summary(lambda **kw: render_plan_mod.render_markdown(result, **kw))
    write_comment(o.markdown_out, lambda **kw: render_plan_mod.render_markdown(result, **kw))
    if o.html_out:
        from reconciler.render.html import write_html  # Jinja2, only when asked

        write_html(o.html_out, result, quiet=target.checks.quiet_hours)


def exit_code(result: Plan, o: PlanOptions) -> int:
    """0, or 2 for changes with --detailed-exitcode; over the limits of one apply, exit 1
    unless they are overridden."""
    if result.over_limits and not o.override_limits:
        click.echo("Error: the plan is over the limits of one apply, and apply will refuse it "
                   "unless --override-limits is given (see the limit lines).", err=True)
        return EXIT_ERROR
    if o.detailed_exitcode and result.has_changes:
        return EXIT_CHANGES
    return EXIT_OK

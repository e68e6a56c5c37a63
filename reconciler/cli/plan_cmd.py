"""`campaigns plan`: what a reviewer reads before anything is sent."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reconciler.cli.group import EXIT_CHANGES, EXIT_ERROR, EXIT_OK, cli, paths_argument
from reconciler.cli.options import (
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
from reconciler.workflow.plan import Plan, plan_target, save_plan


def render_plan(plan: Plan, fmt: str, show_unmanaged: bool) -> str:
    style = Style(color=use_color(sys.stdout), show_unmanaged=show_unmanaged)
    return render_plan_mod.RENDERERS[fmt](plan, style)



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
def plan(paths: tuple[str, ...], sandbox: bool, api_key_file: str | None,
         env_name: str | None, state_file: str | None, config_file: str | None,
         fmt: str, targets: tuple[str, ...], out_file: str | None,
         detailed_exitcode: bool, show_unmanaged: bool, markdown_out: str | None,
         check_links: bool, override_limits: bool, html_out: str | None) -> None:
    """Show what apply would do. Reads the account; writes nothing."""
    if out_file and Path(out_file).suffix.lower() in (".yaml", ".yml"):
        fail(f"Error: --out {out_file}: a saved plan cannot be named .yaml or .yml, which "
             "`campaigns apply` reads as definitions; name it plan.json, say.")
    target, settings = target_or_exit(config_file, env_name, state_file,
                                      failed_comment(markdown_out, env_name))
    marker = render_plan_mod.marker(target.environment)
    campaigns, warnings = definitions_or_exit(
        paths, targets, fmt, target, settings,
        on_invalid=lambda invalid: write_comment(
            markdown_out, lambda **kw: render_validation.render_markdown(invalid, marker, **kw)))
    with user_errors(failed_comment(markdown_out, target.environment)):
        result = plan_target(access(target, sandbox, api_key_file), campaigns,
                             diagnostics=warnings, in_flight_grace=grace(target),
                             check_links=check_links)
    # JSON and text are written as they are made: a large plan is never held whole.
    if fmt == "json":
        write_chunks(render_plan_mod.render_json_chunks(result, show_unmanaged=show_unmanaged))
    elif fmt == "text":
        write_chunks(line + "\n" for line in render_plan_mod.text_lines(
            result, color=use_color(sys.stdout), show_unmanaged=show_unmanaged))
    else:
        click.echo(render_plan(result, fmt, show_unmanaged), nl=False)
    write_step_summary(lambda **kw: render_plan_mod.render_markdown(result, **kw))
    write_comment(markdown_out, lambda **kw: render_plan_mod.render_markdown(result, **kw))
    if html_out:
        from reconciler.render.html import write_html  # Jinja2, only when asked

        write_html(html_out, result, quiet=target.checks.quiet_hours)
    if result.errors:
        sys.exit(EXIT_ERROR)
    if out_file:
        save_plan(result, Path(out_file))
        click.echo(f"Saved the plan to {out_file}; apply it with: campaigns apply {out_file}",
                   err=True)
    if result.over_limits and not override_limits:
        click.echo("Error: the plan is over the limits of one apply, and apply will refuse it "
                   "unless --override-limits is given (see the limit lines).", err=True)
        sys.exit(EXIT_ERROR)
    if detailed_exitcode and result.has_changes:
        sys.exit(EXIT_CHANGES)
    sys.exit(EXIT_OK)

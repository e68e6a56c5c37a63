"""`campaigns preview`: the review page for an author, from the definitions alone or, with
`--sandbox` or a key, with the account's verdicts and audiences."""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reconciler.cli.group import EXIT_ERROR, EXIT_OK, cli, paths_argument
from reconciler.cli.options import (
    ApiChoice,
    access,
    api_options,
    definitions_or_exit,
    grace,
    target_or_exit,
    user_errors,
)
from reconciler.plural import counted
from reconciler.render.common import safe
from reconciler.render.html import write_html
from reconciler.render.message import CHANNEL_NAMES
from reconciler.workflow.plan import plan_target
from reconciler.workflow.preview import definitions_plan

if TYPE_CHECKING:
    from reconciler.workflow.inputs import Campaign
    from reconciler.workflow.plan import Plan

DEFAULT_OUT = "campaigns-review.html"


@dataclass(frozen=True, kw_only=True)
class PreviewOptions(ApiChoice):
    """What `campaigns preview` was asked for, parsed once."""

    paths: tuple[str, ...]
    targets: tuple[str, ...]
    out_file: str
    open_page: bool


@cli.command()
@paths_argument
@api_options
@click.option("--target", "targets", multiple=True,
              help="Show only this campaign (repeatable).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False), default=DEFAULT_OUT,
              show_default=True, help="Where to write the page.")
@click.option("--open", "open_page", is_flag=True,
              help="Open the page in the default browser once it is written.")
def preview(**given: Any) -> None:
    """Write the review page: every campaign as its recipients will see it, and the
    schedule, in one HTML file that loads nothing from elsewhere.

    With no key and no --sandbox, the page is made from the definitions alone (the review
    checks, configured list sizes and the schedule, but no verdicts); with --sandbox or a
    key ($ZEXA_API_KEY, --api-key-file) it shows what apply would do, and the audiences.
    """
    o = PreviewOptions(**given)
    target, settings = target_or_exit(o.config_file, o.env_name, o.state_file)
    campaigns, warnings = definitions_or_exit(o.paths, o.targets, "text", target, settings)
    compared = (o.sandbox or o.api_key_file is not None
                or bool(os.environ.get(target.key_variable)))
    with user_errors():
        if compared:
            result = plan_target(access(target, o.sandbox, o.api_key_file), campaigns,
                                 diagnostics=warnings, in_flight_grace=grace(target))
        else:
            result = definitions_plan(target, campaigns, diagnostics=warnings)
    write_html(o.out_file, result, compared=compared, quiet=target.checks.quiet_hours)
    tell(o, campaigns, result, compared)
    if result.errors:
        click.echo(f"Error: the plan has {counted(len(result.errors), 'error')}; the page "
                   "shows each where it stands.", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK)


def tell(o: PreviewOptions, campaigns: Sequence[Campaign], result: Plan,
         compared: bool) -> None:
    """Where the page is and what it shows, the plan's errors, and the page opened in a
    browser when asked."""
    channels = sorted({CHANNEL_NAMES.get(c.channel, c.channel) for c in campaigns})
    source = "with the account's verdicts" if compared else "from the definitions alone"
    click.echo(f"Wrote the review page to {o.out_file} ({len(campaigns)} campaigns"
               f"{': ' + ', '.join(channels) if channels else ''}), {source}.", err=True)
    for d in result.errors:
        click.echo(safe(d.text()), err=True)
    if o.open_page and not webbrowser.open(Path(o.out_file).resolve().as_uri()):
        click.echo(f"No browser could be opened here; open {o.out_file} in one.", err=True)

"""`campaigns status`: delivery of the managed campaigns."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import click

from reconciler.cli.group import cli
from reconciler.cli.options import (
    ApiChoice,
    access,
    api_options,
    fail,
    format_option,
    target_or_exit,
    user_errors,
    write_step_summary,
)
from reconciler.render import status as render_status
from reconciler.render.common import Style, use_color
from reconciler.workflow.status import Row, delivery, failing

# -- status ---------------------------------------------------------------------------------


class StatusScreen:
    """Shows each refresh: redrawn in place on a terminal, changed lines only in CI logs."""

    def __init__(self, tty: bool, color: bool) -> None:
        self.tty = tty
        self.color = color
        self.drawn_lines = 0

    def __call__(self, rows: list[Row], previous: list[Row] | None) -> None:
        if self.tty:
            text = render_status.render_text(rows, color=self.color)
            if self.drawn_lines:
                click.echo(f"\033[{self.drawn_lines}F\033[J", nl=False)
            click.echo(text, nl=False)
            self.drawn_lines = text.count("\n")
        else:
            click.echo(render_status.render_changes(rows, previous), nl=False)


@dataclass(frozen=True, kw_only=True)
class StatusOptions(ApiChoice):
    """What `campaigns status` was asked for, parsed once."""

    names: tuple[str, ...]
    fmt: str
    watch: bool
    interval: float
    fail_on: str | None
    max_failure_share: float | None
    parallelism: int


@cli.command()
@click.argument("names", nargs=-1)
@api_options
@format_option(render_status.RENDERERS, "json: schemas/status.schema.json.")
@click.option("--watch", is_flag=True,
              help="Refresh until every campaign is completed or failed.")
@click.option("--interval", type=click.FloatRange(1.0), default=10.0, show_default=True,
              help="Seconds between refreshes with --watch (longer for many campaigns).")
@click.option("--fail-on", "fail_on", type=click.Choice(["failed"]), default=None,
              help="Exit 1 when a campaign failed or is missing from the account.")
@click.option("--max-failure-share", type=click.FloatRange(0.0, 1.0), default=None,
              help="Exit 1 when a campaign's failed messages exceed this share (0.1 = 10%).")
@click.option("--parallelism", type=click.IntRange(1, 32), default=8, show_default=True,
              help="Campaigns read at once.")
def status(**given: Any) -> None:
    """Delivery status of the managed campaigns (all, or NAMES). Never writes the state."""
    o = StatusOptions(**given)
    target, _ = target_or_exit(o.config_file, o.env_name, o.state_file)
    live = o.watch and o.fmt == "text"
    show = (StatusScreen(sys.stdout.isatty(), use_color(sys.stdout)) if live
            else lambda rows, previous: None)
    with user_errors():
        rows = delivery(access(target, o.sandbox, o.api_key_file), o.names, o.parallelism,
                        watching=o.watch, interval=o.interval, show=show)
    if not live:  # a live screen has already shown the text
        click.echo(render_status.RENDERERS[o.fmt](rows, Style(color=use_color(sys.stdout))),
                   nl=False)
    write_step_summary(lambda **kw: render_status.render_markdown(rows, **kw))
    reasons = failing(rows, o.fail_on == "failed", o.max_failure_share)
    if reasons:
        fail("Failing: " + "; ".join(reasons) + ".")

"""`campaigns status`: delivery of the managed campaigns."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reconciler import status as status_mod
from reconciler.cli.base import (
    api_options,
    connect_to,
    fail,
    target_or_exit,
    user_errors,
    write_step_summary,
)
from reconciler.cli.group import cli
from reconciler.render import status as render_status
from reconciler.render.common import Style, use_color
from reconciler.state import load as load_state

# -- status ---------------------------------------------------------------------------------


class StatusScreen:
    """Shows each refresh: redrawn in place on a terminal, changed lines only in CI logs."""

    def __init__(self, tty: bool, color: bool) -> None:
        self.tty = tty
        self.color = color
        self.drawn_lines = 0

    def __call__(self, rows: list[status_mod.Row], previous: list[status_mod.Row] | None) -> None:
        if self.tty:
            text = render_status.render_text(rows, color=self.color)
            if self.drawn_lines:
                click.echo(f"\033[{self.drawn_lines}F\033[J", nl=False)
            click.echo(text, nl=False)
            self.drawn_lines = text.count("\n")
        else:
            click.echo(render_status.render_changes(rows, previous), nl=False)


@cli.command()
@click.argument("names", nargs=-1)
@api_options
@click.option("--format", "fmt", type=click.Choice(list(render_status.RENDERERS)),
              default="text", show_default=True)
@click.option("--watch", is_flag=True,
              help="Refresh until every campaign is completed or failed.")
@click.option("--interval", type=click.FloatRange(1.0), default=10.0, show_default=True,
              help="Seconds between refreshes with --watch (longer for many campaigns).")
@click.option("--fail-on", "fail_on", type=click.Choice(["failed"]), default=None,
              help="Exit 1 when a campaign failed or is missing from the account.")
@click.option("--max-failure-share", type=click.FloatRange(0.0, 1.0), default=None,
              help="Exit 1 when a campaign's failed messages exceed this share (0.1 = 10%).")
@click.option("--parallelism", type=click.IntRange(1, 32), default=8, show_default=True)
def status(names: tuple[str, ...], sandbox: bool, api_key_file: str | None,
           env_name: str | None, state_file: str | None, config_file: str | None, fmt: str,
           watch: bool, interval: float, fail_on: str | None,
           max_failure_share: float | None, parallelism: int) -> None:
    """Delivery status of the managed campaigns (all, or NAMES). Never writes the state."""
    target, _ = target_or_exit(config_file, env_name, state_file)
    path = Path(target.state_file)
    if not path.exists():
        fail(f"Error: {path} does not exist: nothing has been applied with it yet.")
    with user_errors():
        conn = connect_to(target, sandbox, api_key_file, concurrency=parallelism)
        try:
            state = load_state(path, conn.api_url)
            chosen, unknown = status_mod.select_names(state, names)
            if unknown:
                fail("Error: not managed in " + str(path) + ": "
                     + ", ".join(repr(n) for n in unknown))
            rows = status_mod.fetch(conn.client, state, chosen, parallelism)
            live = watch and fmt == "text"
            if watch:

                def refresh(moving: list[status_mod.Row]) -> list[status_mod.Row]:
                    return status_mod.fetch(conn.client, state, [r.name for r in moving],
                                            parallelism)

                show = (StatusScreen(sys.stdout.isatty(), use_color(sys.stdout)) if live
                        else lambda rows, previous: None)
                still = sum(1 for r in rows if not r.final)
                rows = status_mod.watch(refresh, rows, show,
                                        interval=status_mod.watch_interval(interval, still))
            if not live:  # a live screen has already shown the text
                click.echo(render_status.RENDERERS[fmt](rows, Style(color=use_color(
                    sys.stdout))), nl=False)
        finally:
            conn.close()
    write_step_summary(lambda **kw: render_status.render_markdown(rows, **kw))
    reasons = status_mod.failing(rows, fail_on == "failed", max_failure_share)
    if reasons:
        fail("Failing: " + "; ".join(reasons) + ".")

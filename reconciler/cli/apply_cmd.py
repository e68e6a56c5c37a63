"""`campaigns apply`: confirmation, signals, progress and the closing report."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reconciler.cli.group import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, cli
from reconciler.cli.options import (
    ApiChoice,
    access,
    api_options,
    definitions_or_exit,
    fail,
    format_option,
    grace,
    target_or_exit,
    user_errors,
    write_comment,
    write_step_summary,
)
from reconciler.errors import NotConfirmed, Refused
from reconciler.plural import counted
from reconciler.render import outcome as render_outcome
from reconciler.render import plan as render_plan_mod
from reconciler.render.common import use_color
from reconciler.render.progress import Progress
from reconciler.workflow.apply import (
    SETTLE_TIMEOUT,
    ApplyHooks,
    ApplyRequest,
    ApplyResult,
    Outcome,
    is_saved_plan,
    made_on_sandbox,
    read_saved,
    run_apply,
)
from reconciler.workflow.inputs import connected
from reconciler.workflow.plan import Plan

if TYPE_CHECKING:
    from reconciler.workflow.inputs import Campaign, Diagnostic

# -- apply ----------------------------------------------------------------------------------


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def confirm(count: int, auto_approve: bool, err: bool = False) -> None:
    if auto_approve:
        return
    if not stdin_is_terminal():
        raise NotConfirmed("Apply refused: confirmation is needed and standard input is not a "
                           "terminal. Pass --auto-approve (in CI), or apply a saved plan file.")
    answer = click.prompt(
        f"Apply these changes? {counted(count, 'campaign')} will be created and sent; this "
        "cannot be undone. Only 'yes' will be accepted", default="", show_default=False,
        err=err,
    )
    if answer.strip() != "yes":
        raise NotConfirmed("Apply cancelled.")


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C or SIGTERM: start no new creates; those in flight finish and are recorded."""

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():  # the second: end now. What is in flight stays in the journal.
            click.echo("\nStopped at once. Creates in flight stay in the journal as in "
                       "flight: the next apply settles them.", err=True)
            sys.stdout.flush()
            os._exit(EXIT_INTERRUPTED)
        stop.set()  # before printing: a second signal may arrive while the line is written
        click.echo("\nStopping: no new creates; waiting for those in flight to be "
                   "recorded (press again to stop at once)…", err=True)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@dataclass(frozen=True, kw_only=True)
class ApplyOptions(ApiChoice):
    """What `campaigns apply` was asked for, parsed once."""

    paths: tuple[str, ...]
    fmt: str
    auto_approve: bool
    targets: tuple[str, ...]
    max_creates: int | None
    override_limits: bool
    parallelism: int
    lock_timeout: float
    show_unmanaged: bool
    markdown_out: str | None
    no_wait: bool
    settle_timeout: float

    @property
    def saved_plan(self) -> Path | None:
        """The saved plan file to apply, when PATHS is one."""
        one = Path(self.paths[0]) if len(self.paths) == 1 else None
        return one if one is not None and is_saved_plan(one) else None


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, file_okay=True))
@api_options
@format_option(["text", "github", "json"],
               "github: annotations for what failed or is unknown; json: what apply did, "
               "as one document (schemas/apply.schema.json), with the plan and progress on "
               "standard error.")
@click.option("--auto-approve", "--yes", "auto_approve", is_flag=True,
              help="Do not ask for confirmation (for CI). `--yes` is the same, as in "
              "`campaigns state`.")
@click.option("--target", "targets", multiple=True, help="Apply only this campaign (repeatable).")
@click.option("--max-creates", type=click.IntRange(0), default=None,
              help="Refuse a plan that creates more campaigns than this (default: the "
                   "configuration's limits.max_creates, else 25).")
@click.option("--override-limits", is_flag=True,
              help="Apply even over the limits of one apply (limits: in the configuration, "
                   "--max-creates). For the case a person has approved; see the CI recipes.")
@click.option("--parallelism", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Creates in flight at once.")
@click.option("--lock-timeout", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Seconds to wait for the state lock.")
@click.option("--show-unmanaged", is_flag=True,
              help="List the account's campaigns that no definition mentions.")
@click.option("--markdown-out", type=click.Path(dir_okay=False), default=None,
              help="Also write what apply did as Markdown (for `campaigns ci comment` on "
                   "the merged pull or merge request); under GitHub Actions it goes to the "
                   "job summary too.")
@click.option("--no-wait", is_flag=True,
              help="Do not wait out creates whose answer was lost: record what a listing "
                   "shows at once and leave the rest to a later apply.")
@click.option("--settle-timeout", type=click.FloatRange(0), default=SETTLE_TIMEOUT,
              show_default=True,
              help="Seconds, from the first create whose answer was lost, that apply may "
                   "spend waiting to settle such creates.")
def apply(**given: Any) -> None:
    """Create the missing campaigns and record their IDs.

    PATHS are definition files and folders, or one saved plan file (from `plan --out`),
    which is applied without asking if it still holds.
    """
    o = ApplyOptions(**given)
    saved_path = o.saved_plan
    target, settings = target_or_exit(o.config_file, o.env_name, o.state_file)
    campaigns: list[Campaign] = []
    warnings: list[Diagnostic] = []
    sandbox = o.sandbox
    if saved_path is None:
        campaigns, warnings = definitions_or_exit(o.paths, o.targets, o.fmt, target, settings)
    elif o.targets:
        fail("Error: --target cannot be combined with a saved plan.")
    else:
        with user_errors():
            sandbox = sandbox or made_on_sandbox(saved_path)
    stop = threading.Event()
    # With --format json, standard output carries the document alone; the rest goes to
    # standard error.
    to_err = render_outcome.FORMATS[o.fmt].document_only
    shown = sys.stderr if to_err else sys.stdout
    progress = Progress(0, shown, shown.isatty())

    def show_plan(plan: Plan) -> None:
        click.echo(render_plan_mod.render_text(plan, color=use_color(shown),
                                               show_unmanaged=o.show_unmanaged), nl=False,
                   err=to_err)

    with user_errors(), connected(access(target, sandbox, o.api_key_file),
                                  concurrency=max(10, o.parallelism)) as conn:
        saved = read_saved(saved_path) if saved_path is not None else None
        if saved_path is not None:
            click.echo(f"Applying the saved plan {saved_path}.", err=to_err)
        request = ApplyRequest(
            client=conn.client, api_url=conn.api_url, state_path=Path(target.state_file),
            command="campaigns " + " ".join(sys.argv[1:]), campaigns=campaigns,
            saved=saved, diagnostics=warnings, checks=target.checks,
            environment=target.environment,
            limits=target.limits if o.max_creates is None
            else replace(target.limits, max_creates=o.max_creates),
            override_limits=o.override_limits,
            parallelism=o.parallelism, lock_timeout=o.lock_timeout,
            in_flight_grace=grace(target), wait=not o.no_wait,
            settle_timeout=o.settle_timeout)
        hooks = ApplyHooks(show_plan=show_plan,
                           confirm=lambda creates: confirm(creates, o.auto_approve, to_err),
                           on_start=progress.start, on_event=progress,
                           on_wait=progress.waiting, stop=stop)
        with stop_on_signals(stop):
            try:
                result = run_apply(request, hooks)
            except Refused as refused:  # for a program: the refusal, typed; then the message
                announce_refusal(refused, o.fmt, target.environment, request.in_flight_grace)
                if isinstance(refused, NotConfirmed):
                    fail(str(refused))  # the person's own answer: no "Error:"
                raise
        progress.finish()
    conclude(result, target.environment, request.in_flight_grace, o.fmt, o.markdown_out)


def announce_refusal(refused: Refused, fmt: str, environment: str | None,
                     grace_seconds: float) -> None:
    """A refused apply in `fmt`, for the program that reads it: the JSON document (with
    `refused.kind`) on standard output, or a GitHub annotation titled with the kind."""
    said = render_outcome.FORMATS[fmt].refused(refused, environment, grace_seconds)
    if said:
        click.echo(said, nl=False)


def conclude(result: ApplyResult, environment: str | None, grace_seconds: float, fmt: str,
             markdown_out: str | None) -> None:
    """Say what the apply did, in `fmt`, and exit with its code: the closing line (or, for
    json, the document alone on standard output), what did not go to plan on standard
    error, and the Markdown for the comment and the job summary."""
    chosen = render_outcome.FORMATS[fmt]
    if result.outcome is None:
        if result.folded:
            click.echo("Folded what an interrupted apply left into the state.",
                       err=chosen.document_only)
        click.echo(chosen.nothing(environment, grace_seconds, result.folded), nl=False)
        return
    outcome = result.outcome

    def markdown(**kw: Any) -> str:
        return render_outcome.render_markdown(outcome, environment, grace_seconds, **kw)

    write_comment(markdown_out, markdown)
    write_step_summary(markdown)
    report(outcome, grace_seconds)
    click.echo(chosen.finished(outcome, environment, grace_seconds, result.folded), nl=False)
    if outcome.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_OK if outcome.ok else EXIT_ERROR)


def report(outcome: Outcome, grace_seconds: float) -> None:
    """What did not go to plan, on standard error, each with its file and line."""
    for failure in outcome.failed:
        w = failure.work
        click.echo(f"{w.file}:{w.line}:{w.column}: name: {w.name!r} was not created: "
                   f"{failure.message}", err=True)
    for unknown in outcome.unknown:
        w = unknown.work
        settles = unknown.settles_at(grace_seconds)
        when = settles or f"{grace_seconds:g} s from now"
        click.echo(f"{w.file}:{w.line}:{w.column}: name: {w.name!r} unknown: may have been "
                   f"sent ({unknown.cause}). It was not sent again. The next apply settles "
                   f"it: it waits until {when} (the in-flight grace, {grace_seconds:g} s "
                   "after it was sent, on the server's clock) if it starts before, lists the "
                   "account, records the campaign if it is there and sends it again only if "
                   "it is not.", err=True)
    for name, campaign_id in outcome.unrecorded:
        click.echo(f"Created but not recorded: {name!r} is {campaign_id}. Its create is in "
                   "the journal: an apply after the in-flight grace finds it in the account "
                   "and records it.", err=True)
    if outcome.state_error:
        click.echo(f"Error: {outcome.state_error}. What reached the journal beside it is "
                   "folded in by the next command that writes the state.", err=True)
    if outcome.not_started:
        names = ", ".join(repr(w.name) for w in outcome.not_started)
        click.echo(f"Not sent: {names}.", err=True)
    if outcome.stopped_because:
        click.echo(f"Stopped early: {outcome.stopped_because}.", err=True)
    if outcome.balance is not None:
        click.echo(f"Credit balance: {outcome.balance.balance:,.0f} "
                   f"{outcome.balance.currency}.", err=True)

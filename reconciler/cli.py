"""The `campaigns` command line: parse options, call the core, pick a renderer, exit code."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from reconciler import __version__, planfile
from reconciler import status as status_mod
from reconciler.api import ApiError, ConfigError, OutcomeUnknown, is_loopback
from reconciler.apply import Applier, Outcome, Work, work_of
from reconciler.checks import CheckConfig, run_checks
from reconciler.config import load_config
from reconciler.connect import Connection, connect, sandbox_data_path
from reconciler.definitions import DEFAULT_PATH, Campaign, load_definitions
from reconciler.diagnostics import Diagnostic, sorted_unique
from reconciler.plan import IN_FLIGHT_GRACE, Action, Plan
from reconciler.planfile import PlanFileError
from reconciler.render import gitlab as render_gitlab
from reconciler.render import plan as render_plan_mod
from reconciler.render import status as render_status
from reconciler.render import validation as render_validation
from reconciler.render.common import auto_format, use_color
from reconciler.render.progress import Progress
from reconciler.sandbox.account import AccountStore
from reconciler.sandbox.app import Faults, SandboxApp
from reconciler.sandbox.server import SandboxServer
from reconciler.state import (
    DEFAULT_STATE,
    Journal,
    State,
    StateError,
    force_unlock,
    new_entry,
    read_holder,
)
from reconciler.state import load as load_state
from reconciler.state import locked as state_lock
from reconciler.state import save as save_state
from reconciler.workflow import Refused, build_plan, check_fresh, check_saved, select

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130

paths_argument = click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, file_okay=True))


def _paths(paths: Sequence[str]) -> list[str]:
    return list(paths) or [DEFAULT_PATH]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="campaigns")
def cli() -> None:
    """Campaign-as-code for the Zexa messaging platform.

    Campaigns are declared in YAML; `validate` checks them, `plan` shows what would change
    in the Zexa account, `apply` creates only what is missing and records the IDs.
    """


@cli.command()
@paths_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "gitlab"]),
    default=None,
    help="Output format (default: text; github under GitHub Actions; gitlab: a Code "
    "Quality report).",
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="Configuration (default: .campaigns.yaml, or [tool.campaigns] in "
              "pyproject.toml, in this folder).")
def validate(paths: tuple[str, ...], fmt: str | None, config_file: str | None) -> None:
    """Check campaign definitions against the schema and the review checks.

    PATHS default to ./campaigns.
    """
    result = load_definitions(_paths(paths))
    config, problems = load_config(config_file)
    result.diagnostics = sorted_unique(
        [*result.diagnostics, *problems, *run_checks(result.campaigns, config)])
    chosen = auto_format(fmt)
    if chosen == "json":
        text = render_validation.render_json(result)
    elif chosen == "gitlab":
        text = render_gitlab.render(result.diagnostics)
    elif chosen == "github":
        text = render_validation.render_github(result)
    else:
        text = render_validation.render_text(result, color=use_color(sys.stdout))
    click.echo(text, nl=False)
    sys.exit(EXIT_OK if result.ok else EXIT_ERROR)


# -- shared options and error handling ------------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])


def api_options(func: F) -> F:
    """--sandbox, --api-key-file, --state and --config, for commands that talk to the API."""
    func = click.option("--config", "config_file", type=click.Path(dir_okay=False),
                        default=None, help="Configuration (default: .campaigns.yaml, or "
                        "[tool.campaigns] in pyproject.toml, in this folder).")(func)
    func = click.option("--state", "state_file", envvar="CAMPAIGNS_STATE",
                        default=DEFAULT_STATE, show_default=True, type=click.Path(dir_okay=False),
                        help="State file (or $CAMPAIGNS_STATE).")(func)
    func = click.option("--api-key-file", type=click.Path(dir_okay=False), default=None,
                        help="Read the API key from this file instead of $ZEXA_API_KEY.")(func)
    func = click.option("--sandbox", is_flag=True,
                        help="Use the embedded sandbox (no key needed; persisted in "
                        "$CAMPAIGNS_SANDBOX_DATA or .campaigns-sandbox.json).")(func)
    return func


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Errors a user can act on: one clear message and exit 1, never a traceback."""
    try:
        yield
    except (ConfigError, StateError, Refused, PlanFileError) as exc:
        fail(f"Error: {exc}")
    except ApiError as exc:
        fail(f"Error: the Zexa API: {exc}")
    except OutcomeUnknown as exc:
        fail(f"Error: {exc}")


def grace() -> float:
    """Seconds an interrupted create may still land (tests shorten it; see the README)."""
    try:
        return float(os.environ.get("CAMPAIGNS_INFLIGHT_GRACE", IN_FLIGHT_GRACE))
    except ValueError:
        return IN_FLIGHT_GRACE


def plan_format_option(func: F) -> F:
    return click.option(
        "--format", "fmt",
        type=click.Choice(["text", "json", "markdown", "github", "gitlab"]),
        default=None, help="Output format (default: text; github under GitHub Actions; "
        "gitlab: a Code Quality report).",
    )(func)


def render_plan(plan: Plan, fmt: str | None, show_unmanaged: bool) -> str:
    chosen = auto_format(fmt)
    if chosen == "json":
        return render_plan_mod.render_json(plan, show_unmanaged=show_unmanaged)
    if chosen == "markdown":
        return render_plan_mod.render_markdown(plan)
    if chosen == "github":
        return render_plan_mod.render_github(plan)
    if chosen == "gitlab":
        return render_gitlab.render(plan.diagnostics)
    return render_plan_mod.render_text(plan, color=use_color(sys.stdout),
                                       show_unmanaged=show_unmanaged)


def write_step_summary(plan: Plan) -> None:
    """Under GitHub Actions, the Markdown plan goes to the job summary too."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(render_plan_mod.render_markdown(plan))


def definitions_or_exit(paths: Sequence[str], targets: Sequence[str], fmt: str | None,
                        markdown_out: str | None = None) -> tuple[list[Campaign],
                                                                  list[Diagnostic]]:
    """Valid definitions, or their problems printed and exit 1 (the API is not contacted)."""
    result = load_definitions(_paths(paths))
    if not result.ok:
        if markdown_out:
            Path(markdown_out).write_text(
                render_validation.render_markdown(result, render_plan_mod.MARKER), "utf-8")
        chosen = auto_format(fmt)
        if chosen == "json":
            click.echo(render_validation.render_json(result), nl=False)
        elif chosen == "gitlab":
            click.echo(render_gitlab.render(result.diagnostics), nl=False)
        elif chosen == "github":
            click.echo(render_validation.render_github(result), nl=False)
        else:
            click.echo(render_validation.render_text(result, color=use_color(sys.stdout)),
                       nl=False)
        fail("Error: the definitions are invalid; no plan was made.")
    campaigns, problems = select(result, targets)
    if problems:
        fail("Error: " + "; ".join(p.message for p in problems))
    return campaigns, list(result.warnings)


def config_or_exit(config_file: str | None) -> CheckConfig:
    config, problems = load_config(config_file)
    if problems:
        for d in problems:
            click.echo(d.text(), err=True)
        fail("Error: the configuration is invalid.")
    return config


# -- plan -----------------------------------------------------------------------------------


@cli.command()
@paths_argument
@api_options
@plan_format_option
@click.option("--target", "targets", multiple=True, help="Plan only this campaign (repeatable).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False), default=None,
              help="Save the plan for `campaigns apply FILE`.")
@click.option("--detailed-exitcode", is_flag=True,
              help="Exit 0 when there are no changes, 2 when there are, 1 on error.")
@click.option("--show-unmanaged", is_flag=True,
              help="List the account's campaigns that no definition mentions.")
@click.option("--markdown-out", type=click.Path(dir_okay=False), default=None,
              help="Also write the Markdown plan (a pull-request comment) to this file.")
def plan(paths: tuple[str, ...], sandbox: bool, api_key_file: str | None, state_file: str,
         config_file: str | None, fmt: str | None, targets: tuple[str, ...], out_file: str | None,
         detailed_exitcode: bool, show_unmanaged: bool, markdown_out: str | None) -> None:
    """Show what apply would do. Reads the account; writes nothing."""
    campaigns, warnings = definitions_or_exit(paths, targets, fmt, markdown_out)
    config = config_or_exit(config_file)
    with user_errors():
        conn = connect(sandbox=sandbox, api_key_file=api_key_file)
        try:
            state = load_state(Path(state_file), conn.api_url)
            result = build_plan(conn.client, state, campaigns, diagnostics=warnings,
                                in_flight_grace=grace(), checks=config)
        finally:
            conn.close()
    click.echo(render_plan(result, fmt, show_unmanaged), nl=False)
    write_step_summary(result)
    if markdown_out:
        Path(markdown_out).write_text(render_plan_mod.render_markdown(result), "utf-8")
    if result.errors:
        sys.exit(EXIT_ERROR)
    if out_file:
        planfile.write(result, Path(out_file))
        click.echo(f"Saved the plan to {out_file}; apply it with: campaigns apply {out_file}",
                   err=True)
    if detailed_exitcode and result.has_changes:
        sys.exit(EXIT_CHANGES)
    sys.exit(EXIT_OK)


# -- apply ----------------------------------------------------------------------------------


def confirm(count: int, auto_approve: bool) -> None:
    if auto_approve:
        return
    if not sys.stdin.isatty():
        fail("Apply refused: confirmation is needed and standard input is not a terminal. "
             "Pass --auto-approve (in CI), or apply a saved plan file.")
    answer = click.prompt(
        f"Apply these changes? {count} campaign(s) will be created and sent; this cannot be "
        "undone. Only 'yes' will be accepted", default="", show_default=False,
    )
    if answer.strip() != "yes":
        fail("Apply cancelled.")


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C or SIGTERM: start no new creates; those in flight finish and are recorded."""

    def handler(signum: int, frame: object) -> None:
        if not stop.is_set():
            click.echo("\nStopping: no new creates; waiting for those in flight to be "
                       "recorded…", err=True)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, file_okay=True))
@api_options
@click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation (for CI).")
@click.option("--target", "targets", multiple=True, help="Apply only this campaign (repeatable).")
@click.option("--max-creates", type=click.IntRange(0), default=25, show_default=True,
              help="Refuse a plan that creates more campaigns than this.")
@click.option("--parallelism", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Creates in flight at once.")
@click.option("--lock-timeout", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Seconds to wait for the state lock.")
@click.option("--show-unmanaged", is_flag=True)
def apply(paths: tuple[str, ...], sandbox: bool, api_key_file: str | None, state_file: str,
          config_file: str | None, auto_approve: bool, targets: tuple[str, ...],
          max_creates: int, parallelism: int, lock_timeout: float,
          show_unmanaged: bool) -> None:
    """Create the missing campaigns and record their IDs.

    PATHS are definition files and folders, or one saved plan file (from `plan --out`),
    which is applied without asking if it still holds.
    """
    saved_path = Path(paths[0]) if len(paths) == 1 and planfile.is_plan_file(Path(paths[0])) \
        else None
    campaigns: list[Campaign] = []
    warnings: list[Diagnostic] = []
    config = config_or_exit(config_file)
    if saved_path is None:
        campaigns, warnings = definitions_or_exit(paths, targets, None)
    elif targets:
        fail("Error: --target cannot be combined with a saved plan.")
    path = Path(state_file)
    with user_errors():
        conn = connect(sandbox=sandbox, api_key_file=api_key_file, concurrency=10)
        try:
            with state_lock(path, "campaigns " + " ".join(sys.argv[1:]), lock_timeout):
                state = load_state(path, conn.api_url)
                if saved_path is not None:
                    saved = planfile.read(saved_path)
                    remote = conn.client.list_campaigns()
                    work = check_saved(saved, state, remote, max_creates)
                    known = {r.id for r in remote}
                    click.echo(f"Applying the saved plan {saved_path}.")
                else:
                    fresh = build_plan(conn.client, state, campaigns, diagnostics=warnings,
                                       in_flight_grace=grace(), checks=config)
                    click.echo(render_plan_mod.render_text(
                        fresh, color=use_color(sys.stdout), show_unmanaged=show_unmanaged),
                        nl=False)
                    check_fresh(fresh, max_creates)
                    work = work_of(fresh)
                    known = set(fresh.account_ids)
                    if not work:
                        click.echo("No changes. Nothing to do.")
                        return
                    creates = sum(1 for w in work if w.action is Action.CREATE)
                    if creates:  # adopting or renaming sends nothing: no question
                        confirm(creates, auto_approve)
                outcome = run_work(conn, path, state, work, known, parallelism)
        finally:
            conn.close()
    report(outcome)


def run_work(conn: Connection, path: Path, state: State, work: list[Work], known: set[str],
             parallelism: int) -> Outcome:
    stop = threading.Event()
    journal = Journal(path, state)
    try:
        with stop_on_signals(stop):
            progress = Progress(len(work), sys.stdout, sys.stdout.isatty())
            applier = Applier(conn.client, journal, parallelism=parallelism, stop=stop,
                              on_event=progress)
            outcome = applier.run(work, known)
            progress.finish()
    finally:
        journal.close()
        save_state(path, state)
    return outcome


def report(outcome: Outcome) -> None:
    for failure in outcome.failed:
        w = failure.work
        click.echo(f"{w.file}:{w.line}:{w.column}: name: {w.name!r} was not created: "
                   f"{failure.message}", err=True)
    for unknown in outcome.unknown:
        click.echo(f"{unknown.work.file}:{unknown.work.line}:{unknown.work.column}: name: "
                   f"{unknown.cause}. Run apply again: it will find out by listing, and "
                   "create it only if it is not there.", err=True)
    if outcome.not_started:
        names = ", ".join(repr(w.name) for w in outcome.not_started)
        click.echo(f"Not started: {names}.", err=True)
    if outcome.stopped_because:
        click.echo(f"Stopped early: {outcome.stopped_because}.", err=True)
    if outcome.balance is not None:
        click.echo(f"Credit balance: {outcome.balance.balance:,.0f} "
                   f"{outcome.balance.currency}.", err=True)
    click.echo(outcome.summary())
    if outcome.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_OK if outcome.ok else EXIT_ERROR)


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
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
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
def status(names: tuple[str, ...], sandbox: bool, api_key_file: str | None, state_file: str,
           config_file: str | None, fmt: str, watch: bool, interval: float, fail_on: str | None,
           max_failure_share: float | None, parallelism: int) -> None:
    """Delivery status of the managed campaigns (all, or NAMES). Never writes the state."""
    path = Path(state_file)
    if not path.exists():
        fail(f"Error: {path} does not exist: nothing has been applied with it yet.")
    with user_errors():
        conn = connect(sandbox=sandbox, api_key_file=api_key_file, concurrency=parallelism)
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
            if fmt == "json":
                click.echo(render_status.render_json(rows), nl=False)
            elif fmt == "markdown":
                click.echo(render_status.render_markdown(rows), nl=False)
            elif not live:
                click.echo(render_status.render_text(rows, color=use_color(sys.stdout)),
                           nl=False)
        finally:
            conn.close()
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(render_status.render_markdown(rows))
    reasons = status_mod.failing(rows, fail_on == "failed", max_failure_share)
    if reasons:
        fail("Failing: " + "; ".join(reasons) + ".")


# -- state ----------------------------------------------------------------------------------


@cli.group("state")
def state_group() -> None:
    """Inspect the state file, and settle by hand what the tool will not guess."""


state_option = click.option("--state", "state_file", envvar="CAMPAIGNS_STATE",
                            default=DEFAULT_STATE, show_default=True,
                            type=click.Path(dir_okay=False), help="State file.")


def read_state(state_file: str) -> State:
    path = Path(state_file)
    if not path.exists():
        fail(f"Error: {path} does not exist (nothing has been applied with it yet).")
    try:
        return load_state(path, None)
    except StateError as exc:
        fail(f"Error: {exc}")


@state_group.command("list")
@state_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def state_list(state_file: str, fmt: str) -> None:
    """List the managed campaigns: name, ID, channel, origin, when, file."""
    state = read_state(state_file)
    if fmt == "json":
        click.echo(json.dumps(state.to_json(), indent=2, sort_keys=True, ensure_ascii=False))
        return
    for name, e in sorted(state.campaigns.items()):
        click.echo(f"{e.id}  {e.channel:<8}  {e.origin:<7}  {e.at}  {name}  ({e.file})")
    for intent in state.pending.values():
        click.echo(f"? create in flight since {intent.at}: {intent.name}")
    click.echo(f"{len(state.campaigns)} campaigns; lineage {state.lineage}, serial "
               f"{state.serial}, for {state.api_url}.")


@state_group.command("show")
@state_option
@click.argument("name")
def state_show(state_file: str, name: str) -> None:
    """Show one entry as JSON."""
    state = read_state(state_file)
    entry = state.campaigns.get(name)
    if entry is None:
        fail(f"Error: {name!r} is not in {state_file}.")
    click.echo(json.dumps({name: entry.to_json()}, indent=2, sort_keys=True,
                          ensure_ascii=False))


def _ask(question: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        fail("Refused: standard input is not a terminal; pass --yes to confirm.")
    if not click.confirm(question, default=False):
        fail("Cancelled.")


@state_group.command("rm")
@state_option
@click.argument("names", nargs=-1, required=True)
@click.option("--yes", is_flag=True, help="Do not ask.")
@click.option("--lock-timeout", type=click.FloatRange(0), default=0.0)
def state_rm(state_file: str, names: tuple[str, ...], yes: bool, lock_timeout: float) -> None:
    """Forget campaigns (the account is not touched; the IDs are printed)."""
    path = Path(state_file)
    with user_errors(), state_lock(path, "campaigns state rm", lock_timeout):
        state = read_state(state_file)
        missing = [n for n in names if n not in state.campaigns]
        if missing:
            fail("Error: not in the state: " + ", ".join(repr(n) for n in missing))
        for n in names:
            click.echo(f"{n}: {state.campaigns[n].id}")
        _ask(f"Forget {len(names)} campaign(s)? Their campaigns stay in the account; a "
             "definition with the same name would then adopt it, or create a new one if it "
             "is gone", yes)
        journal = Journal(path, state)
        try:
            for n in names:
                journal.forget(n)
        finally:
            journal.close()
        save_state(path, state)
    click.echo(f"Forgot {len(names)} campaign(s).")


@state_group.command("import")
@click.argument("name")
@click.argument("campaign_id")
@click.argument("paths", nargs=-1, type=click.Path())
@api_options
@click.option("--lock-timeout", type=click.FloatRange(0), default=0.0)
def state_import(name: str, campaign_id: str, paths: tuple[str, ...], sandbox: bool,
                 api_key_file: str | None, state_file: str, config_file: str | None,
                 lock_timeout: float) -> None:
    """Record that the defined campaign NAME is the account's CAMPAIGN_ID (sends nothing)."""
    campaigns, _ = definitions_or_exit(paths, [name], None)
    (campaign,) = campaigns
    path = Path(state_file)
    with user_errors():
        conn = connect(sandbox=sandbox, api_key_file=api_key_file)
        try:
            with state_lock(path, "campaigns state import", lock_timeout):
                state = load_state(path, conn.api_url)
                if name in state.campaigns:
                    fail(f"Error: {name!r} is already in the state as "
                         f"{state.campaigns[name].id}; `campaigns state rm` it first.")
                remote = conn.client.get_campaign(campaign_id)
                if remote.name not in (campaign.name, *campaign.previous_names):
                    fail(f"Error: {campaign_id} is named {remote.name!r} in the account, "
                         f"not {name!r}.")
                if remote.channel != campaign.channel:
                    fail(f"Error: {campaign_id} is on {remote.channel}, not "
                         f"{campaign.channel}.")
                journal = Journal(path, state)
                try:
                    journal.record(name, new_entry(campaign_id, campaign.channel,
                                                   campaign.digest(), "adopted",
                                                   campaign.location.file))
                finally:
                    journal.close()
                save_state(path, state)
        finally:
            conn.close()
    click.echo(f"Recorded {name!r} as {campaign_id}.")


@state_group.command("unlock")
@state_option
@click.option("--yes", is_flag=True, help="Do not ask.")
def state_unlock(state_file: str, yes: bool) -> None:
    """Remove a lock left behind (only when its holder is surely gone)."""
    path = Path(state_file)
    holder = read_holder(path)
    if holder is None and not path.with_name(path.name + ".lock").exists():
        click.echo("The state is not locked.")
        return
    who = holder.describe() if holder else "an unknown holder"
    _ask(f"Remove the lock held by {who}? Only do this if that process is gone", yes)
    force_unlock(path)
    click.echo(f"Unlocked (it was held by {who}).")


@cli.group()
def sandbox() -> None:
    """The embedded Zexa API sandbox."""


@sandbox.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--data", "data_file", type=click.Path(dir_okay=False), default=None,
              help="Account file (default: $CAMPAIGNS_SANDBOX_DATA or .campaigns-sandbox.json).")
@click.option("--seed", "seed_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="JSON seed for a new account (lists, sender IDs, credits, campaigns).")
@click.option("--require-key-file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Accept only the key in this file (default: any non-empty key).")
@click.option("--latency", type=float, default=0.0, help="Seconds added to every request.")
@click.option("--error-share", type=click.FloatRange(0, 1), default=0.0,
              help="Share of requests answered 500.")
@click.option("--gateway-share", type=click.FloatRange(0, 1), default=0.0,
              help="Share of requests answered 502 with an HTML page.")
@click.option("--commit-then-error-share", type=click.FloatRange(0, 1), default=0.0,
              help="Share of creates committed, then answered 500.")
@click.option("--commit-then-drop-share", type=click.FloatRange(0, 1), default=0.0,
              help="Share of creates committed, then the connection dropped.")
@click.option("--rate-limit", type=click.IntRange(0), default=0,
              help="Requests per second before 429 (0: none).")
@click.option("--throttle-share", type=click.FloatRange(0, 1), default=0.0,
              help="Share of requests answered 429 regardless of rate.")
@click.option("--retry-after", type=click.IntRange(0), default=1, show_default=True)
@click.option("--max-per-page", type=click.IntRange(1), default=100, show_default=True)
@click.option("--oldest-first", is_flag=True, help="List oldest first (default: newest first).")
@click.option("--honour-idempotency-key", is_flag=True,
              help="Answer a repeated Idempotency-Key with the first campaign.")
@click.option("--fault-seed", type=int, default=None, help="Seed for the fault dice.")
@click.option("--request-log", type=click.Path(dir_okay=False), default=None,
              help="Append one 'METHOD path status' line per request to this file.")
def sandbox_serve(host: str, port: int, data_file: str | None, seed_file: str | None,
                  require_key_file: str | None, latency: float, error_share: float,
                  gateway_share: float, commit_then_error_share: float,
                  commit_then_drop_share: float, rate_limit: int, throttle_share: float,
                  retry_after: int, max_per_page: int, oldest_first: bool,
                  honour_idempotency_key: bool, fault_seed: int | None,
                  request_log: str | None) -> None:
    """Serve the sandbox over HTTP until Ctrl-C."""
    if not is_loopback(host):
        raise click.UsageError(f"--host must be a loopback address, not {host!r}")
    seed = json.loads(Path(seed_file).read_text("utf-8")) if seed_file else None
    key = Path(require_key_file).read_text("utf-8").strip() if require_key_file else None
    app = SandboxApp(
        AccountStore(Path(data_file) if data_file else sandbox_data_path()),
        seed=seed,
        api_key=key,
        faults=Faults(latency=latency, error_share=error_share, gateway_share=gateway_share,
                      commit_then_error_share=commit_then_error_share,
                      commit_then_drop_share=commit_then_drop_share, rate_limit=rate_limit,
                      throttle_share=throttle_share, retry_after=retry_after, seed=fault_seed),
        max_per_page=max_per_page,
        newest_first=not oldest_first,
        honour_idempotency_key=honour_idempotency_key,
        request_log_file=request_log,
    )
    app.store.dirty = True  # the account file exists after a serve, even an idle one
    try:
        server = SandboxServer(app, host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    click.echo(f"Zexa sandbox listening on {server.url}")
    click.echo(f"  export ZEXA_API_URL={server.url} ZEXA_API_KEY=sandbox")
    click.echo("Press Ctrl-C to stop.")
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.close()
    click.echo("Sandbox stopped; account saved.")


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point. A usage error exits 1, not click's 2: 2 means "plan has changes"."""
    try:
        rc = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="campaigns",
            standalone_mode=False,
        )
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except OSError as exc:  # a file that cannot be read or written, a full disk
        where = f" {exc.filename}" if exc.filename else ""
        click.echo(f"Error:{where}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)
    except Exception as exc:
        if os.environ.get("CAMPAIGNS_DEBUG"):
            raise
        click.echo(f"Internal error ({type(exc).__name__}: {exc}). This is a bug in "
                   "zexa-campaigns; run again with CAMPAIGNS_DEBUG=1 to see where, and "
                   "report it.", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(rc if isinstance(rc, int) else EXIT_OK)

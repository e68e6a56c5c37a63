"""The command group, exit codes, and what every command shares: options, errors, definitions."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from reconciler import __version__
from reconciler.api import ApiError, ConfigError, OutcomeUnknown
from reconciler.checks import CheckConfig
from reconciler.config import load_config
from reconciler.definitions import DEFAULT_PATH, Campaign, load_definitions
from reconciler.diagnostics import Diagnostic
from reconciler.plan import IN_FLIGHT_GRACE, Plan
from reconciler.planfile import PlanFileError
from reconciler.render import gitlab as render_gitlab
from reconciler.render import plan as render_plan_mod
from reconciler.render import validation as render_validation
from reconciler.render.common import auto_format, safe, use_color
from reconciler.state import DEFAULT_STATE, StateError
from reconciler.workflow import Refused, select

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130

paths_argument = click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, file_okay=True))


def default_paths(paths: Sequence[str]) -> list[str]:
    return list(paths) or [DEFAULT_PATH]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="campaigns")
def cli() -> None:
    """Campaign-as-code for the Zexa messaging platform.

    Campaigns are declared in YAML; `validate` checks them, `plan` shows what would change
    in the Zexa account, `apply` creates only what is missing and records the IDs.
    """


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


def warn_user(message: str) -> None:
    click.echo(message, err=True)


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    click.echo(safe(message), err=True)  # it may quote a server's text
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
    text = os.environ.get("CAMPAIGNS_INFLIGHT_GRACE", "")
    if not text.strip():
        return IN_FLIGHT_GRACE
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not (math.isfinite(seconds) and 0 <= seconds <= 86_400):
        fail(f"Error: CAMPAIGNS_INFLIGHT_GRACE must be a number of seconds from 0 to 86400, "
             f"not {text!r}")
    return seconds


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


def write_step_summary(markdown: Callable[[], str]) -> None:
    """Under GitHub Actions, append Markdown to the job summary (rendered only there)."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(markdown())


def definitions_or_exit(paths: Sequence[str], targets: Sequence[str], fmt: str | None,
                        markdown_out: str | None = None) -> tuple[list[Campaign],
                                                                  list[Diagnostic]]:
    """Valid definitions, or their problems printed and exit 1 (the API is not contacted)."""
    result = load_definitions(default_paths(paths))
    if not result.ok:
        if markdown_out:
            Path(markdown_out).write_text(
                render_validation.render_markdown(result, render_plan_mod.MARKER), "utf-8")
        click.echo(render_validation.render(result, auto_format(fmt),
                                            color=use_color(sys.stdout)), nl=False)
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

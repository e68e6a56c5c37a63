"""What the commands share: options, how a user error becomes one message and exit 1, and
where output goes besides standard output (the PR comment, the job summary).

Like every module of `reconciler/cli/`, it imports only click, the workflow and the
renderers (`tests/test_architecture.py`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from reconciler.cli.group import EXIT_ERROR, default_paths
from reconciler.errors import UserError
from reconciler.render.common import auto_format, safe, use_color
from reconciler.workflow.inputs import (
    DEFAULT_STATE,
    Access,
    Settings,
    Target,
    grace_from_environment,
    load_for,
    load_settings,
    target_of,
)

if TYPE_CHECKING:
    from reconciler.workflow.inputs import Campaign, Definitions, Diagnostic

COMMENT_LIMIT = 65_000  # GitHub refuses comments over 65,536 characters
SUMMARY_LIMIT = 1_000_000  # a job summary takes 1 MiB a step
FULL_LIMIT = 10**9


# -- shared options and error handling ------------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])


def format_default(formats: Iterable[str]) -> str:
    """What `--format` chooses when it is not given, in words (for help and the docs)."""
    return "text; github under GitHub Actions" if "github" in formats else "text"


def format_option(formats: Iterable[str], about: str = "") -> Callable[[F], F]:
    """`--format`, alike on every command: the command's formats; by default `text`, or
    `github` under GitHub Actions where the command has it. The command receives the format
    chosen, never None."""
    choices = list(formats)
    default = format_default(choices)

    def chosen(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
        return auto_format(value, choices)

    return click.option("--format", "fmt", type=click.Choice(choices), default=None,
                        callback=chosen,
                        help=f"Output format (default: {default}).{' ' + about if about else ''}")


def target_options(func: F) -> F:
    """--env, --state and --config: which environment, state file and configuration."""
    func = click.option("--config", "config_file", type=click.Path(dir_okay=False),
                        default=None, help="Configuration (default: .campaigns.yaml, or "
                        "[tool.campaigns] in pyproject.toml, in this folder).")(func)
    func = click.option("--state", "state_file", envvar="CAMPAIGNS_STATE", default=None,
                        type=click.Path(dir_okay=False),
                        help=f"State file (or $CAMPAIGNS_STATE; default: the environment's, "
                        f"else {DEFAULT_STATE}).")(func)
    func = click.option("--env", "env_name", envvar="CAMPAIGNS_ENV", default=None,
                        help="The environment of the configuration to use (or "
                        "$CAMPAIGNS_ENV); needed when environments are configured.")(func)
    return func


def api_options(func: F) -> F:
    """--sandbox, --api-key-file, --env, --state and --config, for commands that talk to
    the API."""
    func = target_options(func)
    func = click.option("--api-key-file", type=click.Path(dir_okay=False), default=None,
                        help="Read the API key from this file instead of $ZEXA_API_KEY.")(func)
    func = click.option("--sandbox", is_flag=True,
                        help="Use the embedded sandbox (no key needed; persisted in "
                        "$CAMPAIGNS_SANDBOX_DATA or .campaigns-sandbox.json).")(func)
    return func


@dataclass(frozen=True, kw_only=True)
class ApiChoice:
    """What `api_options` parsed: the API (or sandbox), its key, and the target."""

    sandbox: bool
    api_key_file: str | None
    env_name: str | None
    state_file: str | None
    config_file: str | None


def warn_user(message: str) -> None:
    click.echo(message, err=True)


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    click.echo(safe(message), err=True)  # it may quote a server's text
    sys.exit(code)


@contextmanager
def user_errors(on_failure: Callable[[str], None] = lambda reason: None) -> Iterator[None]:
    """Errors a user can act on: one clear message and exit 1, never a traceback.
    `on_failure` hears the message first (the plan writes it into the PR comment)."""
    try:
        yield
    except UserError as exc:
        on_failure(exc.describe())
        fail(f"Error: {exc.describe()}")


def write_comment(markdown_out: str | None, render: Callable[..., str]) -> None:
    """The Markdown comment to `markdown_out`, under GitHub's size limit; when it had to be
    shortened, the full version is written beside it (`plan.full.md` for `plan.md`)."""
    if not markdown_out:
        return
    path = Path(markdown_out)
    full = render(limit=FULL_LIMIT)
    if len(full) <= COMMENT_LIMIT:
        path.write_text(full, "utf-8", newline="\n")
        return
    full_path = path.with_name(f"{path.stem}.full{path.suffix or '.md'}")
    full_path.write_text(full, "utf-8", newline="\n")
    where = (f"`{full_path.name}`, written beside the comment (the CI recipes keep it as a "
             "build artifact), and the job summary")
    path.write_text(render(limit=COMMENT_LIMIT, full_version=where), "utf-8",
                    newline="\n")


def failed_comment(markdown_out: str | None,
                   environment: str | None = None) -> Callable[[str], None]:
    """What the PR comment says when no plan could be made, so that an old one does not
    stand while the check is red."""
    def failed(reason: str) -> None:
        from reconciler.render.plan import render_failed_markdown  # only when it is needed

        write_comment(markdown_out, lambda **_: render_failed_markdown(safe(reason),
                                                                       environment))

    return failed


def grace(target: Target) -> float:
    """Seconds an interrupted create may still land (see the docs)."""
    with user_errors():
        return grace_from_environment(target.api.in_flight_grace)


def write_chunks(chunks: Iterable[str], batch: int = 1000) -> None:
    """Write text made piece by piece to standard output, a batch of pieces at a time."""
    pending: list[str] = []
    for chunk in chunks:
        pending.append(chunk)
        if len(pending) >= batch:
            click.echo("".join(pending), nl=False)
            pending.clear()
    click.echo("".join(pending), nl=False)


def write_step_summary(render: Callable[..., str]) -> None:
    """Under GitHub Actions, append Markdown to the job summary (rendered only there; it
    takes up to 1 MiB a step)."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8", newline="\n") as f:
            f.write(render(limit=SUMMARY_LIMIT, full_version="the job log"))


def access(target: Target, sandbox: bool, api_key_file: str | None) -> Access:
    """How the command reaches the target's API; warnings about the key go to stderr."""
    return Access(target, sandbox, api_key_file, warn=warn_user)


def definitions_or_exit(paths: Sequence[str], targets: Sequence[str], fmt: str | None,
                        target: Target, settings: Settings, *,
                        on_invalid: Callable[[Definitions], None] = lambda d: None,
                        ) -> tuple[list[Campaign], list[Diagnostic]]:
    """The target's definitions chosen by `targets`, and their warnings; or their problems
    printed, `on_invalid` told (the plan's PR comment), and exit 1 (the API is not contacted)."""
    from reconciler.render import validation as render_validation

    loaded = load_for(default_paths(paths), targets, target, settings)
    if not loaded.definitions.ok:
        on_invalid(loaded.definitions)
        click.echo(render_validation.render(loaded.definitions, auto_format(fmt),
                                            color=use_color(sys.stdout)), nl=False)
        fail("Error: the definitions are invalid; no plan was made.")
    if loaded.target_problems:
        fail("Error: " + "; ".join(p.message for p in loaded.target_problems))
    return loaded.campaigns, loaded.warnings


def settings_or_exit(config_file: str | None,
                     on_failure: Callable[[str], None] = lambda reason: None) -> Settings:
    settings, problems = load_settings(config_file)
    if problems:
        for d in problems:
            click.echo(d.text(), err=True)
        on_failure("the configuration is invalid:\n" + "\n".join(d.text() for d in problems))
        fail("Error: the configuration is invalid.")
    return settings


def target_or_exit(config_file: str | None, env_name: str | None, state_file: str | None,
                   on_failure: Callable[[str], None] = lambda reason: None
                   ) -> tuple[Target, Settings]:
    """The environment a command talks to (see `config.resolve_target`), or exit 1."""
    settings = settings_or_exit(config_file, on_failure)
    with user_errors(on_failure):
        return target_of(settings, env_name, state_file), settings

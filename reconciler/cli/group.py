"""The `campaigns` group and its entry point, light on purpose: `campaigns --version` and
`--help` load click and this module, and each command's module only when it runs."""

from __future__ import annotations

import codecs
import importlib
import io
import os
import sys
from collections.abc import Sequence

import click

from reconciler import __version__

DEFAULT_PATH = "campaigns"  # (definitions.DEFAULT_FOLDER, which says what to do when it is missing)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130


# Each command's module, imported only when that command runs (or for --help): `validate`
# then loads neither the HTTP client's retry machinery for apply nor the writers' lock.
COMMANDS = {"validate": "validate_cmd", "plan": "plan_cmd", "apply": "apply_cmd",
            "status": "status_cmd", "state": "state_cmd", "schema": "schema_cmd",
            "sandbox": "sandbox_cmd", "ci": "ci_cmd", "preview": "preview_cmd"}


paths_argument = click.argument("paths", nargs=-1,
                                type=click.Path(dir_okay=True, file_okay=True))


def default_paths(paths: Sequence[str]) -> list[str]:
    return list(paths) or [DEFAULT_PATH]


COLOR_HELP = ("Colour the text output, or not (default: only on a terminal, and never "
              "when NO_COLOR is set).")


def _choose_color(ctx: click.Context, param: click.Parameter, value: bool | None) -> None:
    if value is None:  # not given here: the group's choice (or none) stands
        return
    from reconciler.render.common import choose_color  # loaded once a command runs

    choose_color(value)
    ctx.color = value  # click.echo keeps (or strips) the colours


def with_color_option(command: click.Command) -> click.Command:
    """`--color/--no-color` where users type it: after the command's name too
    (`campaigns plan --no-color`), on every command and subcommand."""
    if not any(p.name == "color_choice" for p in command.params):
        command.params.append(click.Option(
            ["--color/--no-color", "color_choice"], default=None, expose_value=False,
            callback=_choose_color, help=COLOR_HELP))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            with_color_option(sub)
    return command


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            importlib.import_module(f"reconciler.cli.{COMMANDS[cmd_name]}")
        command = super().get_command(ctx, cmd_name)
        return with_color_option(command) if command is not None else None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="campaigns")
@click.option("--color/--no-color", "color", default=None, help=COLOR_HELP)
def cli(color: bool | None) -> None:
    """Campaign-as-code for the Zexa messaging platform.

    Campaigns are declared in YAML; `validate` checks them, `plan` shows what would change
    in the Zexa account, `apply` creates only what is missing and records the IDs.
    """
    from reconciler.render.common import choose_color  # loaded once a command runs

    choose_color(color)
    click.get_current_context().color = color  # click.echo keeps (or strips) the colours


def encodable_output() -> None:
    """Output never fails on a character its stream cannot encode. A pipe or a file gets
    UTF-8 (JSON's encoding, and what CI logs read) whatever the locale: on Windows, Python
    writes pipes in the ANSI code page (cp1252), which has no emoji and no `→`. A terminal
    keeps its encoding, and a character it lacks is written as an escape (`\\U0001f389`).
    PYTHONIOENCODING, when set, is left to decide the encoding."""
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue
        if stream.isatty() or os.environ.get("PYTHONIOENCODING"):
            stream.reconfigure(errors="backslashreplace")
        elif codecs.lookup(stream.encoding).name != "utf-8":
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point. A usage error exits 1, not click's 2: 2 means "plan has changes"."""
    encodable_output()
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
        click.echo(_os_error_message(exc), err=True)
        sys.exit(EXIT_ERROR)
    except Exception as exc:
        if os.environ.get("CAMPAIGNS_DEBUG"):
            raise
        click.echo(_internal_error_message(exc), err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(rc if isinstance(rc, int) else EXIT_OK)


def _os_error_message(exc: OSError) -> str:
    # A write past `ulimit -f` (EFBIG) names no file: then no empty place before the colon.
    where = f" {exc.filename}:" if exc.filename else ""
    return f"Error:{where} {exc.strerror or exc}"


def _internal_error_message(exc: Exception) -> str:
    return (f"Internal error ({type(exc).__name__}: {exc}). This is a bug in zexa-campaigns; "
            "run again with CAMPAIGNS_DEBUG=1 to see where, and report it.")

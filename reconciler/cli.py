"""The `campaigns` command line: parse options, call the core, pick a renderer, exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from reconciler import __version__
from reconciler.definitions import DEFAULT_PATH, load_definitions
from reconciler.render import validation as render_validation
from reconciler.render.common import auto_format, use_color

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
    type=click.Choice(["text", "json", "github"]),
    default=None,
    help="Output format (default: text; github under GitHub Actions).",
)
def validate(paths: tuple[str, ...], fmt: str | None) -> None:
    """Check campaign definitions against the schema. PATHS default to ./campaigns."""
    result = load_definitions(_paths(paths))
    chosen = auto_format(fmt)
    if chosen == "json":
        text = render_validation.render_json(result)
    elif chosen == "github":
        text = render_validation.render_github(result)
    else:
        text = render_validation.render_text(result, color=use_color(sys.stdout))
    click.echo(text, nl=False)
    sys.exit(EXIT_OK if result.ok else EXIT_ERROR)


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
    sys.exit(rc if isinstance(rc, int) else EXIT_OK)

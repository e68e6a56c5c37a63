"""`campaigns validate`: the definitions and the configuration checked, without the API.

It loads no HTTP client and no state: the pre-commit hook runs it on every commit.
"""

from __future__ import annotations

import sys

import click

from reconciler.checks import run_checks
from reconciler.cli.group import EXIT_ERROR, EXIT_OK, cli, default_paths, paths_argument
from reconciler.config import environment_problems, load_settings
from reconciler.definitions import load_definitions
from reconciler.diagnostics import sorted_unique
from reconciler.render import validation as render_validation
from reconciler.render.common import auto_format, use_color


@cli.command()
@paths_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(render_validation.RENDERERS)),
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
    result = load_definitions(default_paths(paths))
    settings, problems = load_settings(config_file)
    result.diagnostics = sorted_unique(
        [*result.diagnostics, *problems, *environment_problems(result.campaigns, settings),
         *run_checks(result.campaigns, settings.checks)])
    click.echo(render_validation.render(result, auto_format(fmt), color=use_color(sys.stdout)),
               nl=False)
    sys.exit(EXIT_OK if result.ok else EXIT_ERROR)

"""`campaigns validate`: the definitions and the configuration checked, without the API.

It loads no HTTP client and no state: the pre-commit hook runs it on every commit.
"""

from __future__ import annotations

import sys

import click

from reconciler.cli.group import EXIT_ERROR, EXIT_OK, cli, default_paths, paths_argument
from reconciler.cli.options import format_option, user_errors
from reconciler.render import validation as render_validation
from reconciler.render.common import use_color
from reconciler.workflow.validate import validate as validate_paths


@cli.command()
@paths_argument
@format_option(render_validation.RENDERERS, "gitlab: a Code Quality report; json: "
               "schemas/validate.schema.json.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="Configuration (default: .campaigns.yaml, or [tool.campaigns] in "
              "pyproject.toml, in this folder).")
@click.option("--env", "env_name", default=None, metavar="NAME",
              help="Check only this environment's aliases and checks (default: every "
              "configured environment).")
def validate(paths: tuple[str, ...], fmt: str, config_file: str | None,
             env_name: str | None) -> None:
    """Check campaign definitions against the schema and the review checks.

    PATHS default to ./campaigns.
    """
    with user_errors():
        result = validate_paths(default_paths(paths), config_file, env_name)
    click.echo(render_validation.render(result, fmt, color=use_color(sys.stdout)),
               nl=False)
    sys.exit(EXIT_OK if result.ok else EXIT_ERROR)

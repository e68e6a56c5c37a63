"""`campaigns schema`: the shipped JSON Schemas, for editors, CI and generic validators."""

from __future__ import annotations

from pathlib import Path

import click

from reconciler.cli.group import cli
from reconciler.cli.options import user_errors
from reconciler.workflow.schemas import SCHEMAS, schema_text


@cli.command()
@click.argument("name", type=click.Choice(list(SCHEMAS)), default="campaigns")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the schema to this file instead of printing it.")
def schema(name: str, output: str | None) -> None:
    """Print a JSON Schema: campaigns (a definitions file, the default), saved-plan, state
    or config; or that of the JSON that validate, plan, status or apply write.

    Commit `campaigns schema --output schemas/campaigns.schema.json` and point editors at
    it, or use its https `$id`.
    """
    text = schema_text(name)
    if output:
        with user_errors():
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            Path(output).write_text(text, encoding="utf-8", newline="\n")
        click.echo(f"Wrote the {name} schema to {output}.", err=True)
    else:
        click.echo(text, nl=False)

"""The whole command line, every command loaded: what the generated reference documents
(`docs/commands.md`, through mkdocs-click). The `campaigns` entry point loads commands
lazily instead.

mkdocs-click prints an option's `default` attribute as it is; since click 8.3 an option
without a default holds a sentinel there (printed `Sentinel.UNSET`). For the reference
only, each option's `default` is set to what click itself reports (`get_default`), and
`--format`'s to the format it chooses when not given.
"""

from __future__ import annotations

import importlib

import click

from reconciler.cli.group import COMMANDS, cli
from reconciler.cli.options import format_default

for _module in sorted(set(COMMANDS.values())):
    importlib.import_module(f"reconciler.cli.{_module}")


def _documented_defaults(command: click.Command, parent: click.Context | None) -> None:
    ctx = click.Context(command, info_name=command.name, parent=parent)
    for param in command.get_params(ctx):
        if isinstance(param, click.Option):
            # A repeatable option without a default is given no times: an empty list.
            default = param.get_default(ctx, call=False)
            if param.multiple and not isinstance(default, (list, tuple)):
                default = ()
            if "--format" in param.opts and isinstance(param.type, click.Choice):
                default = format_default(param.type.choices)
            param.default = default
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _documented_defaults(sub, ctx)


_documented_defaults(cli, None)

__all__ = ["cli"]

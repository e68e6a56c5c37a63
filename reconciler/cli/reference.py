"""The whole command line, every command loaded: what the generated reference documents
(`docs/commands.md`, through mkdocs-click). The `campaigns` entry point loads commands
lazily instead."""

from __future__ import annotations

import importlib

from reconciler.cli.group import COMMANDS, cli

for _module in sorted(set(COMMANDS.values())):
    importlib.import_module(f"reconciler.cli.{_module}")

__all__ = ["cli"]

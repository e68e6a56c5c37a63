"""The `campaigns` command line: parse options, call the core, pick a renderer, exit code.

One module a command family; `base` holds the group and what they share.
"""

from reconciler.cli import apply_cmd, review, sandbox_cmd, schema_cmd, state_cmd, status_cmd
from reconciler.cli.base import cli, main

__all__ = ["apply_cmd", "cli", "main", "review", "sandbox_cmd", "schema_cmd", "state_cmd",
           "status_cmd"]

"""The `campaigns` command line: parse options, call the core, pick a renderer, exit code.

One module a command family, imported when its command runs; `group` holds the group and
the entry point, `options` what the commands share.
"""

from reconciler.cli.group import cli, main

__all__ = ["cli", "main"]

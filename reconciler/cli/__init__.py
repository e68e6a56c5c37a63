"""The `campaigns` command line: parse options, call the core, pick a renderer, exit code.

One module a command family, imported when its command runs; `base` holds the group and
what they share.
"""

from reconciler.cli.base import cli, main

__all__ = ["cli", "main"]

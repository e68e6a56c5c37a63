"""`campaigns sandbox serve`: the embedded sandbox over HTTP."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

import click

from reconciler.cli.group import cli
from reconciler.cli.options import F, user_errors
from reconciler.workflow.sandbox import (
    FaultOption,
    ServeOptions,
    close_sandbox,
    fault_options,
    sandbox_server,
)

_KINDS: dict[str, Any] = {"share": click.FloatRange(0, 1), "seconds": click.FloatRange(0),
                          "count": click.IntRange(0), "int": int}


def _option(fault: FaultOption) -> Callable[[F], F]:
    if fault.kind == "flag":
        return click.option(fault.option, fault.field, is_flag=True, help=fault.help)
    return click.option(fault.option, fault.field, type=_KINDS[fault.kind],
                        default=fault.default, show_default=bool(fault.default),
                        help=fault.help)


def with_fault_options(func: F) -> F:
    """An option for each of the sandbox's fault modes (declared once, in `Faults`)."""
    for fault in reversed(fault_options()):
        func = _option(fault)(func)
    return func


@cli.group()
def sandbox() -> None:
    """The embedded Zexa API sandbox."""


@sandbox.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="The port to listen on (0: any free port, printed at start).")
@click.option("--data", "data_file", type=click.Path(dir_okay=False), default=None,
              help="Account file (default: $CAMPAIGNS_SANDBOX_DATA or .campaigns-sandbox.json).")
@click.option("--seed", "seed_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="JSON seed for a new account (lists, sender IDs, credits, campaigns).")
@click.option("--require-key-file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Accept only the key in this file (default: any non-empty key).")
@click.option("--max-per-page", type=click.IntRange(1), default=100, show_default=True,
              help="Clamp page sizes to this (the real API's maximum is 100).")
@click.option("--oldest-first", is_flag=True, help="List oldest first (default: newest first).")
@click.option("--honour-idempotency-key", is_flag=True,
              help="Answer a repeated Idempotency-Key with the first campaign.")
@with_fault_options
@click.option("--request-log", type=click.Path(dir_okay=False), default=None,
              help="Append one 'METHOD path status' line per request to this file.")
def sandbox_serve(**given: Any) -> None:
    """Serve the sandbox over HTTP until Ctrl-C."""
    with user_errors():
        server = sandbox_server(ServeOptions.of(given))
    click.echo(f"Zexa sandbox listening on {server.url}")
    click.echo(f"  export ZEXA_API_URL={server.url} ZEXA_API_KEY=sandbox")
    click.echo("Press Ctrl-C to stop.")
    # Installed for SIGINT too: a process started in the background by a shell inherits
    # SIGINT ignored, and `kill -INT` must still stop it and save the account.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _raise_interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        close_sandbox(server)
    click.echo("Sandbox stopped; account saved.")


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt

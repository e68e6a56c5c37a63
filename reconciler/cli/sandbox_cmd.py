"""`campaigns sandbox serve`: the embedded sandbox over HTTP."""

from __future__ import annotations

import signal

import click

from reconciler.cli.group import cli
from reconciler.cli.options import user_errors
from reconciler.workflow.sandbox import close_sandbox, sandbox_server


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
@click.option("--latency", type=float, default=0.0, help="Seconds added to every request.")
@click.option("--error-share", type=click.FloatRange(0, 1), default=0.0,
              help="Share of requests answered 500.")
@click.option("--gateway-share", type=click.FloatRange(0, 1), default=0.0,
              help="Share of requests answered 502 with an HTML page.")
@click.option("--commit-then-error-share", type=click.FloatRange(0, 1), default=0.0,
              help="Share of creates committed, then answered 500.")
@click.option("--commit-then-drop-share", type=click.FloatRange(0, 1), default=0.0,
              help="Share of creates committed, then the connection dropped.")
@click.option("--rate-limit", type=click.IntRange(0), default=0,
              help="Requests per second before 429 (0: none).")
@click.option("--throttle-share", type=click.FloatRange(0, 1), default=0.0,
              help="Share of requests answered 429 regardless of rate.")
@click.option("--retry-after", type=click.IntRange(0), default=1, show_default=True,
              help="Seconds in the Retry-After header of every 429.")
@click.option("--max-per-page", type=click.IntRange(1), default=100, show_default=True,
              help="Clamp page sizes to this (the real API's maximum is 100).")
@click.option("--oldest-first", is_flag=True, help="List oldest first (default: newest first).")
@click.option("--honour-idempotency-key", is_flag=True,
              help="Answer a repeated Idempotency-Key with the first campaign.")
@click.option("--late-commit-share", type=click.FloatRange(0, 1), default=0.0,
              help="Share of creates answered 504 (an HTML page) and committed later.")
@click.option("--late-commit-delay", type=click.FloatRange(0), default=1.5, show_default=True,
              help="Seconds after the 504 at which such a create is committed.")
@click.option("--late-commit-drop", is_flag=True,
              help="Drop the connection instead of answering 504 for late commits.")
@click.option("--total-offset", type=int, default=0,
              help="Added to meta.total: a total that lies low (negative) or high.")
@click.option("--endless-pages", is_flag=True,
              help="Pages past the end come back full of made-up campaigns.")
@click.option("--trickle", "trickle_bytes_per_second", type=click.FloatRange(0), default=0.0,
              help="Send every answer body at this many bytes a second (0: at once).")
@click.option("--foreign-ids", is_flag=True,
              help="New campaigns get IDs like ZX-000123 instead of cmp_...")
@click.option("--echo-key-on-401", is_flag=True,
              help="A 401's message repeats the Authorization header it received.")
@click.option("--normalise-names", is_flag=True,
              help="Store names with runs of white space collapsed, as some servers do.")
@click.option("--answer-existing-id", is_flag=True,
              help="Answer every create 201 with the ID of a campaign already there, and "
                   "store nothing.")
@click.option("--hold-create", "hold_create_seconds", type=click.FloatRange(0), default=0.0,
              help="Hold each create this many seconds before storing and answering it.")
@click.option("--no-date", is_flag=True,
              help="Send no Date header (as some gateways strip it): clients cannot read the "
                   "server's clock.")
@click.option("--fault-seed", type=int, default=None, help="Seed for the fault dice.")
@click.option("--request-log", type=click.Path(dir_okay=False), default=None,
              help="Append one 'METHOD path status' line per request to this file.")
def sandbox_serve(host: str, port: int, data_file: str | None, seed_file: str | None,
                  require_key_file: str | None, latency: float, error_share: float,
                  gateway_share: float, commit_then_error_share: float,
                  commit_then_drop_share: float, rate_limit: int, throttle_share: float,
                  retry_after: int, max_per_page: int, oldest_first: bool,
                  honour_idempotency_key: bool, late_commit_share: float,
                  late_commit_delay: float, late_commit_drop: bool, total_offset: int,
                  endless_pages: bool, trickle_bytes_per_second: float, foreign_ids: bool,
                  echo_key_on_401: bool, normalise_names: bool, answer_existing_id: bool,
                  hold_create_seconds: float, no_date: bool, fault_seed: int | None,
                  request_log: str | None) -> None:
    """Serve the sandbox over HTTP until Ctrl-C."""
    faults = dict(latency=latency, error_share=error_share, gateway_share=gateway_share,
                  commit_then_error_share=commit_then_error_share,
                  commit_then_drop_share=commit_then_drop_share, rate_limit=rate_limit,
                  throttle_share=throttle_share, retry_after=retry_after,
                  late_commit_share=late_commit_share, late_commit_delay=late_commit_delay,
                  late_commit_drop=late_commit_drop, total_offset=total_offset,
                  endless_pages=endless_pages,
                  trickle_bytes_per_second=trickle_bytes_per_second,
                  foreign_ids=foreign_ids, echo_key_on_401=echo_key_on_401,
                  normalise_names=normalise_names, answer_existing_id=answer_existing_id,
                  hold_create_seconds=hold_create_seconds, no_date=no_date, seed=fault_seed)
    with user_errors():
        server = sandbox_server(host, port, data_file=data_file, seed_file=seed_file,
                                require_key_file=require_key_file, faults=faults,
                                max_per_page=max_per_page, newest_first=not oldest_first,
                                honour_idempotency_key=honour_idempotency_key,
                                request_log=request_log)
    click.echo(f"Zexa sandbox listening on {server.url}")
    click.echo(f"  export ZEXA_API_URL={server.url} ZEXA_API_KEY=sandbox")
    click.echo("Press Ctrl-C to stop.")
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        close_sandbox(server)
    click.echo("Sandbox stopped; account saved.")


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt

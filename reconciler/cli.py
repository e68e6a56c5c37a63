"""The `campaigns` command line: parse options, call the core, pick a renderer, exit code."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from reconciler import __version__
from reconciler.api import is_loopback
from reconciler.connect import sandbox_data_path
from reconciler.definitions import DEFAULT_PATH, load_definitions
from reconciler.render import validation as render_validation
from reconciler.render.common import auto_format, use_color
from reconciler.sandbox.account import AccountStore
from reconciler.sandbox.app import Faults, SandboxApp
from reconciler.sandbox.server import SandboxServer

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130

paths_argument = click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, file_okay=True))


def _paths(paths: Sequence[str]) -> list[str]:
    return list(paths) or [DEFAULT_PATH]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="campaigns")
def cli() -> None:
    """Campaign-as-code for the Zexa messaging platform.

    Campaigns are declared in YAML; `validate` checks them, `plan` shows what would change
    in the Zexa account, `apply` creates only what is missing and records the IDs.
    """


@cli.command()
@paths_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default=None,
    help="Output format (default: text; github under GitHub Actions).",
)
def validate(paths: tuple[str, ...], fmt: str | None) -> None:
    """Check campaign definitions against the schema. PATHS default to ./campaigns."""
    result = load_definitions(_paths(paths))
    chosen = auto_format(fmt)
    if chosen == "json":
        text = render_validation.render_json(result)
    elif chosen == "github":
        text = render_validation.render_github(result)
    else:
        text = render_validation.render_text(result, color=use_color(sys.stdout))
    click.echo(text, nl=False)
    sys.exit(EXIT_OK if result.ok else EXIT_ERROR)


@cli.group()
def sandbox() -> None:
    """The embedded Zexa API sandbox."""


@sandbox.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
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
@click.option("--retry-after", type=click.IntRange(0), default=1, show_default=True)
@click.option("--max-per-page", type=click.IntRange(1), default=100, show_default=True)
@click.option("--oldest-first", is_flag=True, help="List oldest first (default: newest first).")
@click.option("--honour-idempotency-key", is_flag=True,
              help="Answer a repeated Idempotency-Key with the first campaign.")
@click.option("--fault-seed", type=int, default=None, help="Seed for the fault dice.")
def sandbox_serve(host: str, port: int, data_file: str | None, seed_file: str | None,
                  require_key_file: str | None, latency: float, error_share: float,
                  gateway_share: float, commit_then_error_share: float,
                  commit_then_drop_share: float, rate_limit: int, throttle_share: float,
                  retry_after: int, max_per_page: int, oldest_first: bool,
                  honour_idempotency_key: bool, fault_seed: int | None) -> None:
    """Serve the sandbox over HTTP until Ctrl-C."""
    if not is_loopback(host):
        raise click.UsageError(f"--host must be a loopback address, not {host!r}")
    seed = json.loads(Path(seed_file).read_text("utf-8")) if seed_file else None
    key = Path(require_key_file).read_text("utf-8").strip() if require_key_file else None
    app = SandboxApp(
        AccountStore(Path(data_file) if data_file else sandbox_data_path()),
        seed=seed,
        api_key=key,
        faults=Faults(latency=latency, error_share=error_share, gateway_share=gateway_share,
                      commit_then_error_share=commit_then_error_share,
                      commit_then_drop_share=commit_then_drop_share, rate_limit=rate_limit,
                      throttle_share=throttle_share, retry_after=retry_after, seed=fault_seed),
        max_per_page=max_per_page,
        newest_first=not oldest_first,
        honour_idempotency_key=honour_idempotency_key,
    )
    try:
        server = SandboxServer(app, host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    click.echo(f"Zexa sandbox listening on {server.url}")
    click.echo(f"  export ZEXA_API_URL={server.url} ZEXA_API_KEY=sandbox")
    click.echo("Press Ctrl-C to stop.")
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.close()
    click.echo("Sandbox stopped; account saved.")


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point. A usage error exits 1, not click's 2: 2 means "plan has changes"."""
    try:
        rc = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="campaigns",
            standalone_mode=False,
        )
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    sys.exit(rc if isinstance(rc, int) else EXIT_OK)

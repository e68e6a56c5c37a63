"""`campaigns sandbox serve`: the embedded sandbox over HTTP, on a loopback address."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reconciler.connect import is_loopback, sandbox_data_path
from reconciler.errors import UserError
from reconciler.sandbox.account import AccountStore
from reconciler.sandbox.app import Faults, SandboxApp
from reconciler.sandbox.server import SandboxServer

__all__ = ["SandboxServer", "close_sandbox", "sandbox_server"]


def sandbox_server(host: str, port: int, *, data_file: str | None, seed_file: str | None,
                   require_key_file: str | None, faults: dict[str, Any], max_per_page: int,
                   newest_first: bool, honour_idempotency_key: bool,
                   request_log: str | None) -> SandboxServer:
    """A server bound to `host:port` (a loopback address) around a sandbox account kept in
    `data_file` (default: $CAMPAIGNS_SANDBOX_DATA or .campaigns-sandbox.json). `faults`
    are `sandbox.app.Faults` fields. Close it with `close_sandbox`."""
    if not is_loopback(host):
        raise UserError(f"--host must be a loopback address, not {host!r}")
    seed = json.loads(Path(seed_file).read_text("utf-8")) if seed_file else None
    key = Path(require_key_file).read_text("utf-8").strip() if require_key_file else None
    app = SandboxApp(
        AccountStore(Path(data_file) if data_file else sandbox_data_path()),
        seed=seed, api_key=key, faults=Faults(**faults), max_per_page=max_per_page,
        newest_first=newest_first, honour_idempotency_key=honour_idempotency_key,
        request_log_file=request_log,
    )
    app.store.dirty = True  # the account file exists after a serve, even an idle one
    try:
        return SandboxServer(app, host, port)
    except OSError as exc:
        app.close()
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def close_sandbox(server: SandboxServer) -> None:
    """Stop listening and save the account."""
    server.server_close()
    server.app.close()

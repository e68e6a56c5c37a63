"""`campaigns sandbox serve`: the embedded sandbox over HTTP, on a loopback address."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from reconciler.errors import UserError
from reconciler.sandbox.account import AccountStore
from reconciler.sandbox.app import Faults, SandboxApp
from reconciler.sandbox.server import SandboxServer
from reconciler.workflow.connect import is_loopback, sandbox_data_path

__all__ = ["FaultOption", "SandboxServer", "ServeOptions", "close_sandbox", "fault_options",
           "sandbox_server"]

FaultKind = Literal["share", "seconds", "count", "int", "flag"]


@dataclass(frozen=True)
class FaultOption:
    """A fault mode as a command-line option, made from its `Faults` field."""

    field: str
    option: str  # --latency
    kind: FaultKind
    default: Any
    help: str


def fault_options() -> list[FaultOption]:
    """Every fault mode of the sandbox, in the order `Faults` declares them."""
    options = []
    for f in dataclasses.fields(Faults):
        kind: FaultKind
        if f.type == "bool":
            kind = "flag"
        elif f.type == "float":
            kind = "share" if f.name.endswith("_share") else "seconds"
        elif f.name in ("rate_limit", "retry_after"):
            kind = "count"
        else:
            kind = "int"
        options.append(FaultOption(f.name, f.metadata["option"] or
                                   "--" + f.name.replace("_", "-"), kind, f.default,
                                   f.metadata["help"]))
    return options


@dataclass(frozen=True)
class ServeOptions:
    """What `campaigns sandbox serve` was asked for."""

    host: str = "127.0.0.1"
    port: int = 8765
    data_file: str | None = None  # default: $CAMPAIGNS_SANDBOX_DATA or .campaigns-sandbox.json
    seed_file: str | None = None
    require_key_file: str | None = None
    max_per_page: int = 100
    newest_first: bool = True
    honour_idempotency_key: bool = False
    request_log: str | None = None
    faults: Faults = dataclasses.field(default_factory=Faults)

    @classmethod
    def of(cls, given: dict[str, Any]) -> ServeOptions:
        """From the command line's values: one per field of this class and of `Faults`
        (`oldest_first` for `newest_first`)."""
        fault_names = {f.name for f in dataclasses.fields(Faults)}
        faults = Faults(**{k: v for k, v in given.items() if k in fault_names})
        rest = {k: v for k, v in given.items() if k not in fault_names}
        rest["newest_first"] = not rest.pop("oldest_first", False)
        return cls(**rest, faults=faults)


def sandbox_server(options: ServeOptions) -> SandboxServer:
    """A server bound to the options' host and port (a loopback address) around a sandbox
    account kept in their data file. Close it with `close_sandbox`."""
    o = options
    if not is_loopback(o.host):
        raise UserError(f"--host must be a loopback address, not {o.host!r}")
    seed = json.loads(Path(o.seed_file).read_text("utf-8")) if o.seed_file else None
    key = Path(o.require_key_file).read_text("utf-8").strip() if o.require_key_file else None
    app = SandboxApp(
        AccountStore(Path(o.data_file) if o.data_file else sandbox_data_path()),
        seed=seed, api_key=key, faults=o.faults, max_per_page=o.max_per_page,
        newest_first=o.newest_first, honour_idempotency_key=o.honour_idempotency_key,
        request_log_file=o.request_log,
    )
    app.store.dirty = True  # the account file exists after a serve, even an idle one
    try:
        return SandboxServer(app, o.host, o.port)
    except OSError as exc:
        app.close()
        raise UserError(f"cannot listen on {o.host}:{o.port}: {exc.strerror}") from None


def close_sandbox(server: SandboxServer) -> None:
    """Stop listening and save the account."""
    server.server_close()
    server.app.close()

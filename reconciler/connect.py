"""Builds the API client a command talks to: the real API, or the embedded sandbox."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reconciler.api import DEFAULT_URL, Secret, ZexaClient, check_url, read_api_key
from reconciler.sandbox.account import AccountStore
from reconciler.sandbox.app import SandboxApp
from reconciler.sandbox.transport import SANDBOX_URL, SandboxTransport

SANDBOX_IDENTITY = "sandbox"
DEFAULT_SANDBOX_DATA = ".campaigns-sandbox.json"


@dataclass
class Connection:
    client: ZexaClient
    api_url: str  # what a state file records: the API's URL, or "sandbox"

    def close(self) -> None:
        self.client.close()


def sandbox_data_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env.get("CAMPAIGNS_SANDBOX_DATA") or DEFAULT_SANDBOX_DATA)


def connect(
    *,
    sandbox: bool,
    api_key_file: str | None = None,
    environ: Mapping[str, str] | None = None,
    concurrency: int = 10,
    api_url: str | None = None,
    key_variable: str = "ZEXA_API_KEY",
    warn: Callable[[str], None] = lambda message: None,
) -> Connection:
    """The client for `--sandbox` (in-process, persisted to a local file) or for ZEXA_API_URL."""
    env = os.environ if environ is None else environ
    if sandbox:
        app = SandboxApp(AccountStore(sandbox_data_path(env)))
        client = ZexaClient(
            SANDBOX_URL, Secret("sandbox"), transport=SandboxTransport(app),
            concurrency=concurrency,
        )
        return Connection(client, SANDBOX_IDENTITY)
    url = check_url(api_url or env.get("ZEXA_API_URL") or DEFAULT_URL,
                    "the environment's api_url" if api_url else "ZEXA_API_URL")
    key = read_api_key(api_key_file, env, warn, variable=key_variable)
    return Connection(ZexaClient(url, key, concurrency=concurrency), url)

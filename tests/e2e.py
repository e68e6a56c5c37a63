"""Helpers for end-to-end tests: definitions on disk, the CLI in-process or as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from reconciler import clock
from reconciler.cli import cli
from reconciler.sandbox.app import SandboxApp
from reconciler.sandbox.server import SandboxServer

KEY = "zk_test_5e1f0c9a7b3d4e21"


def future(days: int = 400, at: str = "09:00:00") -> str:
    """A send time `days` ahead of the tool's clock: test data never expires."""
    return (clock.now() + timedelta(days=days)).strftime(f"%Y-%m-%dT{at}Z")


def write_campaigns(folder: Path, n: int, *, scheduled: str | None = "",
                    list_id: str = "lst_partners", prefix: str = "Campaign") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if scheduled == "":
        scheduled = future()
    lines = ["defaults:", "  channel: sms", f"  contact_list_id: {list_id}",
             "  sender_id: MYBRAND"]
    if scheduled:
        lines.append(f"  scheduled_at: {scheduled}")
    lines.append("campaigns:")
    for i in range(n):
        lines.append(f"  - name: {prefix} {i:04d}")
        lines.append(f'    body: "Message {i}. Reply STOP to opt out."')
    path = folder / "campaigns.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def env_for(server: SandboxServer, **extra: str) -> dict[str, str]:
    env = {"ZEXA_API_URL": server.url, "ZEXA_API_KEY": KEY, "GITHUB_ACTIONS": "",
           "NO_COLOR": "1", "CAMPAIGNS_INFLIGHT_GRACE": "0.5"}
    env.update(extra)
    return env


def invoke(args: list[str], env: dict[str, str], input: str | None = None) -> Result:
    return CliRunner().invoke(cli, args, env=env, input=input, catch_exceptions=False)


def process(args: list[str], env: dict[str, str], cwd: Path, **kw: object) -> subprocess.Popen[str]:
    full = {**os.environ, **env}
    return subprocess.Popen([sys.executable, "-m", "reconciler", *args], cwd=cwd, env=full,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **kw, encoding="utf-8")  # type: ignore[call-overload]


def posts(app: SandboxApp) -> int:
    """Creates the server received, whatever it answered."""
    return sum(1 for r in app.request_log if r.method == "POST")


def names_in_account(app: SandboxApp) -> Counter[str]:
    return Counter(c.name for c in app.account.campaigns)


def state_ids(path: Path) -> dict[str, str]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {name: e["id"] for name, e in doc["campaigns"].items()}


def assert_consistent(app: SandboxApp, state_path: Path, prefix: str = "Campaign",
                      allow_pending: bool = False) -> None:
    """No duplicate, and every campaign the server holds is recorded with its ID.

    With `allow_pending`, a campaign whose create's answer was lost may instead be pending
    in the journal (the run said so, exit 1): the next run must then find and adopt it.
    """
    from reconciler.state import load

    ours = {c.name: c.id for c in app.account.campaigns if c.name.startswith(prefix)}
    counts = names_in_account(app)
    duplicates = {n: k for n, k in counts.items() if k > 1 and n.startswith(prefix)}
    assert not duplicates, f"duplicates: {duplicates}"
    state = load(state_path, None)
    recorded = {n: e.id for n, e in state.campaigns.items() if n.startswith(prefix)}
    assert all(ours.get(n) == i for n, i in recorded.items()), "an ID the server lacks"
    unrecorded = set(ours) - set(recorded)
    if allow_pending:
        assert unrecorded <= set(state.pending), f"lost: {unrecorded - set(state.pending)}"
    else:
        assert not unrecorded, f"lost: {unrecorded}"


class Moved:
    """Real time, moved forward on demand: the tool's clock and the sandbox's together, so
    that a test passes the grace without waiting for it."""

    def __init__(self, monkeypatch: Any) -> None:
        from reconciler import clock

        self.ahead = timedelta(0)
        real = clock.now
        monkeypatch.setattr(clock, "now", lambda: real() + self.ahead)

    def sandbox(self) -> datetime:
        return datetime.now(timezone.utc) + self.ahead

    def forward(self, seconds: float) -> None:
        self.ahead += timedelta(seconds=seconds)


def stored(app: SandboxApp, name: str, cid: str, channel: str = "sms") -> None:
    """A campaign already in the sandbox's account, as another tool or an earlier create
    left it."""
    from reconciler.sandbox.account import StoredCampaign

    app.account.campaigns.append(StoredCampaign(
        id=cid, name=name, channel=channel, contact_list_id="lst_partners",
        sender_id="MYBRAND", body="x", template=None, scheduled_at=None,
        total_recipients=1, created_at="2026-01-01T00:00:00Z", cost=1))
    app._by_id[cid] = app.account.campaigns[-1]

"""The sandbox on its own: documented shapes and errors, time, credits, persistence."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
import httpx
import pytest

from reconciler.sandbox.account import AccountStore
from reconciler.sandbox.app import Faults, SandboxApp, Timing, sms_segments
from reconciler.sandbox.transport import SANDBOX_URL, SandboxTransport

AUTH = {"Authorization": "Bearer any-key"}
SMS = {"name": "Sale", "channel": "sms", "contact_list_id": "lst_customers",
       "sender_id": "MYBRAND", "body": "hi"}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def http(app: SandboxApp) -> httpx.Client:
    return httpx.Client(base_url=SANDBOX_URL, transport=SandboxTransport(app), headers=AUTH)


def test_create_answers_201_with_the_documented_fields() -> None:
    response = http(SandboxApp()).post("/campaigns", json=SMS)
    assert response.status_code == 201
    doc = response.json()
    assert set(doc) == {"id", "status", "name", "channel", "total_recipients", "created_at"}
    assert doc["id"].startswith("cmp_") and doc["total_recipients"] == 850
    assert doc["status"] == "processing"


def test_list_has_data_and_meta_and_clamps_per_page() -> None:
    app = SandboxApp(max_per_page=1)
    doc = http(app).get("/campaigns", params={"page": 2, "per_page": 100}).json()
    assert doc["meta"] == {"total": 2, "page": 2, "per_page": 1}
    assert set(doc["data"][0]) == {"id", "name", "status", "channel", "total_recipients",
                                   "created_at"}


def test_get_has_the_documented_delivery_fields() -> None:
    client = http(SandboxApp())
    created = client.post("/campaigns", json=SMS).json()
    doc = client.get(f"/campaigns/{created['id']}").json()
    assert set(doc) == {"id", "name", "status", "channel", "total_recipients", "delivered",
                        "failed", "created_at", "sent_at", "completed_at"}


def test_names_are_not_unique() -> None:
    client = http(SandboxApp())
    a = client.post("/campaigns", json=SMS).json()
    b = client.post("/campaigns", json=SMS).json()
    assert a["id"] != b["id"] and a["name"] == b["name"]


@pytest.mark.parametrize(
    ("request_kwargs", "status", "error"),
    [
        ({"content": b"{not json"}, 400, "invalid_request"),
        ({"json": {**SMS, "name": ""}}, 400, "invalid_request"),
        ({"json": {**SMS, "contact_list_id": "lst_nope"}}, 404, "not_found"),
        ({"json": {**SMS, "sender_id": "UNKNOWN"}}, 422, "validation_error"),
        ({"json": {**SMS, "sender_id": "NEWBRAND"}}, 422, "validation_error"),
        ({"json": {**SMS, "channel": "whatsapp"}}, 422, "validation_error"),
        ({"json": {k: v for k, v in SMS.items() if k != "body"}}, 422, "validation_error"),
        ({"json": {**SMS, "scheduled_at": "2020-01-01T00:00:00Z"}}, 422, "validation_error"),
    ],
)
def test_documented_errors_have_the_documented_body(request_kwargs, status, error) -> None:
    response = http(SandboxApp()).post("/campaigns", **request_kwargs)
    assert response.status_code == status
    doc = response.json()
    assert doc["error"] == error and doc["message"] and doc["request_id"].startswith("req_")


def test_no_bearer_key_is_401_and_a_configured_key_is_enforced() -> None:
    app = SandboxApp(api_key="secret-1")
    client = httpx.Client(base_url=SANDBOX_URL, transport=SandboxTransport(app))
    assert client.get("/credits").status_code == 401
    assert client.get("/credits", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/credits", headers={"Authorization": "Bearer secret-1"}).status_code == 200
    assert http(SandboxApp()).get("/credits").status_code == 200  # any key without one set


def test_unknown_campaign_is_404() -> None:
    assert http(SandboxApp()).get("/campaigns/cmp_nope").json()["error"] == "not_found"


def test_credits_are_debited_per_recipient_and_per_sms_segment() -> None:
    app = SandboxApp()
    client = http(app)
    before = client.get("/credits").json()["credits"]
    client.post("/campaigns", json={**SMS, "body": "x" * 161})  # 2 segments x 850
    client.post("/campaigns", json={**SMS, "channel": "telegram", "sender_id": "MyAppBot",
                                    "body": "x" * 500})  # 1 per recipient
    assert client.get("/credits").json()["credits"] == before - 2 * 850 - 850


def test_insufficient_credits_is_422_and_nothing_is_created() -> None:
    app = SandboxApp(seed={"contact_lists": [{"id": "lst_a", "size": 10}],
                           "sender_ids": [{"sender_id": "B", "channel": "sms",
                                           "status": "approved"}], "credits": 9})
    response = http(app).post("/campaigns", json={**SMS, "contact_list_id": "lst_a",
                                                  "sender_id": "B"})
    assert (response.status_code, response.json()["error"]) == (422, "insufficient_credits")
    assert app.account.campaigns == []


@pytest.mark.parametrize(
    ("text", "segments"),
    [("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3), ("ã" * 70, 1),
     ("ã" * 71, 2), ("€" * 80, 1), ("€" * 81, 2), ("é" * 160, 1)],
)
def test_sms_segments(text: str, segments: int) -> None:
    assert sms_segments(text) == segments


def test_status_moves_on_with_time() -> None:
    clock = Clock()
    app = SandboxApp(clock=clock, timing=Timing(processing_seconds=30, sent_seconds=60))
    client = http(app)
    when = (clock.now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    cid = client.post("/campaigns", json={**SMS, "scheduled_at": when}).json()["id"]
    seen = []
    for minutes in (0, 61, 62, 200):
        clock.now = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc) + timedelta(minutes=minutes)
        doc = client.get(f"/campaigns/{cid}").json()
        seen.append((doc["status"], doc["delivered"] + doc["failed"]))
    assert [s for s, _ in seen] == ["scheduled", "sent", "completed", "completed"]
    assert seen[0][1] == 0 and seen[-1][1] == 850
    final = client.get(f"/campaigns/{cid}").json()
    assert final["failed"] == round(850 * 0.045) and final["completed_at"] is not None


def test_a_broken_list_ends_in_failed() -> None:
    client = http(SandboxApp())
    cid = client.post("/campaigns", json={**SMS, "contact_list_id": "lst_bounced"}).json()["id"]
    assert client.get(f"/campaigns/{cid}").json()["status"] == "failed"


def test_rate_limit_answers_429_with_retry_after() -> None:
    app = SandboxApp(faults=Faults(rate_limit=3, retry_after=2))
    client = http(app)
    codes = [client.get("/credits") for _ in range(6)]
    limited = [r for r in codes if r.status_code == 429]
    assert limited and limited[0].headers["Retry-After"] == "2"
    assert limited[0].json()["error"] == "rate_limit_exceeded"


def test_the_account_persists_across_restarts(tmp_path: Path) -> None:
    data = tmp_path / "account.json"
    first = SandboxApp(AccountStore(data))
    cid = http(first).post("/campaigns", json=SMS).json()["id"]
    # Killed without a clean shutdown: the create is in the log.
    second = SandboxApp(AccountStore(data))
    assert http(second).get(f"/campaigns/{cid}").status_code == 200
    second.close()  # a clean shutdown folds the log into the snapshot
    assert not (tmp_path / "account.json.log").exists()
    third = SandboxApp(AccountStore(data))
    assert http(third).get(f"/campaigns/{cid}").status_code == 200
    assert third.account.credits == second.account.credits


def test_a_torn_last_log_line_is_ignored(tmp_path: Path) -> None:
    data = tmp_path / "account.json"
    app = SandboxApp(AccountStore(data))
    http(app).post("/campaigns", json=SMS)
    with open(tmp_path / "account.json.log", "a", encoding="utf-8") as f:
        f.write('{"campaign": {"id": "cmp_to')
    assert len(SandboxApp(AccountStore(data)).account.campaigns) == 3


@pytest.mark.posix
@pytest.mark.parametrize("inherited", ["default", "ignored"])
def test_serve_command_prints_the_url_and_stops_cleanly_on_ctrl_c(
    tmp_path: Path, inherited: str
) -> None:
    """SIGINT stops it and saves the account, also when the process inherits SIGINT ignored,
    as a job a non-interactive shell starts in the background does (`serve &` in CI)."""
    import signal

    disposition = signal.SIG_DFL if inherited == "default" else signal.SIG_IGN
    proc = subprocess.Popen(
        [sys.executable, "-m", "reconciler", "sandbox", "serve", "--port", "0",
         "--data", str(tmp_path / "acc.json")],
        stdout=subprocess.PIPE, text=True, encoding="utf-8",
        preexec_fn=lambda: signal.signal(signal.SIGINT, disposition),
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    url = line.rsplit(" ", 1)[1].strip()
    assert url.startswith("http://127.0.0.1:")
    response = httpx.get(url + "/credits", headers=AUTH)
    assert response.json()["currency"] == "USD"
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "account saved" in out
    assert json.loads((tmp_path / "acc.json").read_text(encoding="utf-8"))["credits"] == 250000


def test_every_fault_mode_is_an_option_of_sandbox_serve_declared_once() -> None:
    """Each `Faults` field is a `sandbox serve` option made from the field itself, and the
    command line's values reach the sandbox's faults."""
    import dataclasses

    from reconciler.cli.sandbox_cmd import sandbox_serve
    from reconciler.workflow.sandbox import ServeOptions

    names = {p.name for p in sandbox_serve.params}
    assert {f.name for f in dataclasses.fields(Faults)} <= names
    ctx = sandbox_serve.make_context("serve", [
        "--no-date", "--latency", "0.5", "--trickle", "10", "--fault-seed", "3",
        "--late-commit-share", "1", "--oldest-first", "--port", "0"])
    options = ServeOptions.of(ctx.params)
    assert options.faults == Faults(no_date=True, latency=0.5, trickle_bytes_per_second=10,
                                    seed=3, late_commit_share=1.0)
    assert options.newest_first is False and options.port == 0
    with pytest.raises(click.BadParameter):
        sandbox_serve.make_context("serve", ["--error-share", "1.5"])

"""`campaigns state list/show/rm/import/unlock`, and apply's progress and early stops."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from e2e import env_for, invoke, state_ids, write_campaigns

from reconciler.apply import Applier
from reconciler.client import RetryPolicy, Secret, ZexaClient
from reconciler.plan import Action
from reconciler.plan.work import Step
from reconciler.sandbox.app import Reply
from reconciler.state import Journal, load
from reconciler.state.lock import locked


@pytest.fixture
def applied(serve, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    server = serve()
    env = env_for(server)
    write_campaigns(tmp_path / "campaigns", 2)
    assert invoke(["apply", "--auto-approve"], env).exit_code == 0
    return server, env, tmp_path


def test_state_list_and_show(applied) -> None:
    _, env, tmp = applied
    ids = state_ids(tmp / "campaigns.state.json")
    out = invoke(["state", "list"], env).output
    assert ids["Campaign 0000"] in out and "2 campaigns; lineage" in out
    shown = json.loads(invoke(["state", "show", "Campaign 0001"], env).output)
    assert shown["format_version"] == 1 and shown["name"] == "Campaign 0001"
    assert shown["entry"]["id"] == ids["Campaign 0001"]
    missing = invoke(["state", "show", "Nope"], env)
    assert missing.exit_code == 1 and "'Nope' is not in" in missing.output


def test_state_rm_asks_first_and_the_next_plan_adopts(applied) -> None:
    _, env, tmp = applied
    refused = invoke(["state", "rm", "Campaign 0000"], env)
    assert refused.exit_code == 1 and "pass --yes" in refused.output
    assert "Campaign 0000" in state_ids(tmp / "campaigns.state.json")
    done = invoke(["state", "rm", "Campaign 0000", "--yes"], env)
    assert done.exit_code == 0 and "Forgot 1 campaign." in done.output
    assert "Campaign 0000" not in state_ids(tmp / "campaigns.state.json")
    plan = invoke(["plan"], env)
    assert "Plan: 0 to create, 1 to adopt, 1 in sync, 0 errors." in plan.output


def test_state_import_settles_two_campaigns_of_one_name(applied) -> None:
    server, env, tmp = applied
    invoke(["state", "rm", "Campaign 0000", "--yes"], env)
    twin = ZexaClient(server.url, Secret("x")).create_campaign(
        {"name": "Campaign 0000", "channel": "sms", "contact_list_id": "lst_partners",
         "sender_id": "MYBRAND", "body": "x"})
    plan = invoke(["plan"], env)
    assert plan.exit_code == 1 and "holds 2 campaigns named 'Campaign 0000'" in plan.output
    result = invoke(["state", "import", "Campaign 0000", twin.id], env)
    assert result.exit_code == 0, result.output
    assert state_ids(tmp / "campaigns.state.json")["Campaign 0000"] == twin.id
    wrong = invoke(["state", "import", "Campaign 0001", twin.id], env)
    assert wrong.exit_code == 1 and "already in the state" in wrong.output


def test_state_unlock_removes_a_lock_left_behind(applied) -> None:
    _, env, tmp = applied
    lock = tmp / "campaigns.state.json.lock"
    lock.write_text(json.dumps({"pid": 4242, "host": "ci-runner-7", "since": "x",
                                "command": "campaigns apply"}), encoding="utf-8")
    result = invoke(["state", "unlock", "--yes"], env)
    assert "held by pid 4242 on ci-runner-7" in result.output and not lock.exists()
    assert "not locked" in invoke(["state", "unlock"], env).output


def test_a_401_during_apply_stops_at_once(serve, tmp_path: Path) -> None:
    server = serve()
    server.app.script = [Reply(401, b'{"error": "unauthorized", "message": "revoked"}')]
    path = tmp_path / "s.json"
    work = [Step(Action.CREATE, f"C{i}", "sms", "sha256:x", "f.yaml", i + 1, 1,
                 {"name": f"C{i}", "channel": "sms", "contact_list_id": "lst_partners",
                  "sender_id": "MYBRAND", "body": "x"}) for i in range(5)]
    client = ZexaClient(server.url, Secret("k"), retry=RetryPolicy(attempts=1))
    with locked(path, "t"):
        state = load(path, server.url)
        journal = Journal(path, state)
        outcome = Applier(client, journal, parallelism=1).run(work, set())
        journal.close()
    assert outcome.stopped_because == "the API key was refused (401)"
    assert len(outcome.failed) == 1 and len(outcome.not_started) == 4
    assert sum(r.method == "POST" for r in server.app.request_log) == 1
    assert state.pending == {}  # the refused create is resolved: nothing is in flight

"""`campaigns status`: delivery of the managed campaigns, with an injected clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from e2e import env_for, invoke, write_campaigns

from reconciler import clock as tool_clock
from reconciler.sandbox.app import SandboxApp, Timing
from reconciler.status import Row, watch, watch_interval

START = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def account(serve, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Two campaigns applied at 12:00, scheduled for 13:00 (one to a list that bounces)."""
    monkeypatch.chdir(tmp_path)
    clock = Clock()
    monkeypatch.setattr(tool_clock, "now", clock)  # the tool plans on the sandbox's time
    app = SandboxApp(clock=clock, timing=Timing(processing_seconds=60, sent_seconds=120))
    server = serve(app)
    env = env_for(server)
    write_campaigns(tmp_path / "campaigns", 1, list_id="lst_customers",
                    scheduled="2030-01-01T13:00:00Z")
    write_campaigns(tmp_path / "campaigns" / "b", 1, list_id="lst_bounced",
                    scheduled="2030-01-01T13:00:00Z", prefix="Bounced")
    result = invoke(["apply", "--auto-approve"], env)
    assert result.exit_code == 0, result.output
    return app, clock, env, tmp_path


def rows_of(env: dict[str, str], *args: str) -> dict[str, dict[str, object]]:
    result = invoke(["status", "--format", "json", *args], env)
    return {c["name"]: c for c in json.loads(result.output)["campaigns"]}


def test_status_follows_campaigns_through_their_statuses(account) -> None:
    _, clock, env, _ = account
    seen = []
    for minutes in (0, 60.5, 62, 65):
        clock.now = START + timedelta(minutes=minutes)
        row = rows_of(env)["Campaign 0000"]
        seen.append((row["status"], row["delivered"], row["failed"]))
    assert [s for s, _, _ in seen] == ["scheduled", "processing", "sent", "completed"]
    assert seen[0][1:] == (0, 0)
    assert seen[-1][1:] == (812, 38)  # 850 recipients, 4.5% of them failing
    assert seen[1][1] < seen[2][1] < seen[3][1]


def test_the_table_has_a_bar_and_a_summary_line(account) -> None:
    _, clock, env, _ = account
    clock.now = START + timedelta(hours=2)
    out = invoke(["status"], env).output
    assert "█████████░  96%" in out
    assert out.splitlines()[-1] == ("2 campaigns (1 completed, 1 failed): 890 recipients, "
                                    "812 delivered (91.2%), 78 failed.")


def test_fail_on_failed_and_failure_share_exit_1(account) -> None:
    _, clock, env, _ = account
    clock.now = START + timedelta(hours=2)
    assert invoke(["status", "Campaign 0000", "--fail-on", "failed"], env).exit_code == 0
    failed = invoke(["status", "--fail-on", "failed"], env)
    assert failed.exit_code == 1 and "'Bounced 0000': failed" in failed.output
    share = invoke(["status", "Campaign 0000", "--max-failure-share", "0.01"], env)
    assert share.exit_code == 1 and "4.5% of messages failed" in share.output
    assert invoke(["status", "Campaign 0000", "--max-failure-share", "0.1"],
                  env).exit_code == 0


def test_a_campaign_gone_from_the_account_is_reported_not_hidden(account) -> None:
    _, _, env, tmp = account
    state = json.loads((tmp / "campaigns.state.json").read_text(encoding="utf-8"))
    state["campaigns"]["Ghost"] = {**state["campaigns"]["Campaign 0000"],
                                   "id": "cmp_ghost000"}
    (tmp / "campaigns.state.json").write_text(json.dumps(state), encoding="utf-8")
    rows = rows_of(env)
    assert rows["Ghost"]["status"] == "missing" and rows["Ghost"]["final"] is True
    out = invoke(["status"], env).output
    assert "'Ghost' (cmp_ghost000): no longer in the account" in out
    assert "1 missing from the account" in out


def test_status_never_writes_and_only_reads(account) -> None:
    app, _, env, tmp = account
    before = (tmp / "campaigns.state.json").read_bytes()
    start = len(app.request_log)
    invoke(["status"], env)
    assert (tmp / "campaigns.state.json").read_bytes() == before
    assert {r.method for r in app.request_log[start:]} == {"GET"}
    assert not (tmp / "campaigns.state.json.journal").exists()


def test_json_is_versioned_and_valid_against_its_shipped_schema(account) -> None:
    from reconciler.schema import validator_for

    _, clock, env, _ = account
    for minutes in (0, 62, 65):  # scheduled, sending, completed and failed rows
        clock.now = START + timedelta(minutes=minutes)
        doc = json.loads(invoke(["status", "--format", "json"], env).output)
        assert doc["format_version"] == 1 and doc["totals"]["campaigns"] == 2
        assert list(validator_for("status.schema.json").iter_errors(doc)) == []


def test_unknown_names_are_an_error(account) -> None:
    _, _, env, _ = account
    result = invoke(["status", "Nope"], env)
    assert result.exit_code == 1 and "not managed" in result.output


def test_watch_exits_at_once_when_everything_is_final(account) -> None:
    _, clock, env, _ = account
    clock.now = START + timedelta(hours=2)
    result = invoke(["status", "--watch"], env)
    assert result.exit_code == 0 and "2 campaigns (1 completed, 1 failed)" in result.output


def test_watch_refreshes_only_what_moves_until_all_is_final_without_sleeping() -> None:
    clock = Clock()
    sleeps: list[float] = []
    asked: list[list[str]] = []

    def row(name: str) -> Row:
        t = (clock.now - START).total_seconds()
        status = "processing" if t < 30 else ("sent" if t < 60 else "completed")
        if name == "Quick":
            status = "completed"
        return Row(name, "cmp_" + name, "sms", status, 10, min(10, int(t // 6)), 0)

    def refresh(moving: list[Row]) -> list[Row]:
        asked.append([r.name for r in moving])
        return [row(r.name) for r in moving]

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.advance(seconds)

    shown: list[int] = []
    final = watch(refresh, [row("Slow"), row("Quick")],
                  lambda rows, previous: shown.append(len(rows)), interval=20, sleep=sleep)
    assert [r.status for r in final] == ["completed", "completed"]
    assert sleeps == [20, 20, 20]
    assert asked == [["Slow"], ["Slow"], ["Slow"]]
    assert len(shown) == 4


def test_the_watch_interval_respects_the_rate_limit() -> None:
    assert watch_interval(10, 4) == 10
    assert watch_interval(10, 100) == 50


def test_under_github_actions_status_annotates_what_failed_as_every_command_does(
    account, tmp_path: Path
) -> None:
    _, clock, env, _ = account
    clock.now = START + timedelta(hours=2)
    summary = tmp_path / "summary.md"
    out = invoke(["status"], {**env, "GITHUB_ACTIONS": "true",
                              "GITHUB_STEP_SUMMARY": str(summary)}).output
    assert "812 delivered (91.2%), 78 failed." in out  # the table, for the log
    warnings = [line for line in out.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 1
    assert warnings[0].startswith("::warning title=campaigns status::'Bounced 0000' (cmp_")
    assert warnings[0].endswith(") failed: 40 of 40 messages not delivered")
    plain = invoke(["status"], {**env, "GITHUB_ACTIONS": ""}).output
    assert "::warning" not in plain

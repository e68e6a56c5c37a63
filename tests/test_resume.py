"""Send once, part three: an apply killed mid-run is resumed by the next one, no clock can
skip the in-flight grace, and an intent no clock can settle is settled by listing.

Each test plays what an operator meets on a real socket: a CI job cancelled mid-apply (a
SIGKILL), a runner whose wall clock jumped or runs ahead or behind, a server (or gateway)
that sends no `Date`.
"""

from __future__ import annotations

import re
import signal
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from e2e import (
    assert_consistent,
    env_for,
    invoke,
    names_in_account,
    posts,
    process,
    state_ids,
    stored,
    write_campaigns,
)

from reconciler import clock
from reconciler.sandbox.app import Faults, SandboxApp
from reconciler.state import Journal, journal_path, load

STATE = "campaigns.state.json"


def runner_clock(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """This runner's wall clock, `seconds` off the server's (ahead when positive)."""
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda: real() + timedelta(seconds=seconds))


def intents_in(path: Path) -> int:
    journal = journal_path(path)
    return journal.read_text(encoding="utf-8").count('"op": "intent"') if journal.exists() else 0


# -- a killed apply is resumed, not refused ---------------------------------------------------


@pytest.mark.posix
def test_a_rerun_right_after_a_sigkill_sends_the_rest_waits_only_for_what_was_in_flight(
    serve, tmp_path: Path
) -> None:
    """Done when: SIGKILL an apply mid-run and re-run it at once. The re-run exits 0 in one
    go: every campaign exists once, every ID is in the state, and it waited only for the
    names that were in flight."""
    app = SandboxApp(faults=Faults(latency=0.15))
    server = serve(app)
    total = 40
    write_campaigns(tmp_path / "campaigns", total)
    # A grace long enough that the re-run starts well within it even on a loaded machine:
    # the in-flight names must still be waiting when it plans.
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="8")
    args = ["apply", "--auto-approve", "--max-creates", "100", "--parallelism", "4"]
    state_path = tmp_path / STATE
    first = process(args, env, tmp_path)
    deadline = time.monotonic() + 60
    while intents_in(state_path) < 8 and time.monotonic() < deadline:
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=60)
    killed = load(state_path, server.url)  # the state file, or the journal alone
    in_flight, recorded = set(killed.pending), set(killed.campaigns)
    assert in_flight, "the kill came after every answer: nothing to resume"
    assert len(recorded) < total - len(in_flight)  # killed mid-run: work was left

    second = process(args, env, tmp_path)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, out + err
    # It waited, and only for the names whose answer the killed run never saw.
    waits = {int(n) for n in re.findall(r"waiting \d+ s for (\d+) creates? whose answer",
                                        out + err)}
    assert waits == {len(in_flight)}, out + err
    assert f"{len(in_flight)} waiting" in out
    assert_consistent(app, state_path)
    assert len(state_ids(state_path)) == total
    assert set(names_in_account(app).values()) == {1}
    assert not load(state_path, server.url).pending


# -- no clock can skip the grace --------------------------------------------------------------


@pytest.mark.parametrize("offset", [3600, 300, -3600],
                         ids=["clock-moved-forward-1h", "runner-5min-ahead", "runner-1h-behind"])
def test_a_lost_answer_is_sent_once_whatever_this_runners_clock_says(
    serve, workdir: Path, monkeypatch: pytest.MonkeyPatch, offset: int
) -> None:
    """A create's answer is lost (a 504) and the server stores it later. The next apply runs
    on a clock an hour ahead (or another runner's, 5 minutes ahead): the grace is measured
    on the server's clock, so it waits and finds the campaign instead of posting it again.
    A clock an hour behind waits out the grace, not the hour."""
    app = SandboxApp(faults=Faults(late_commit_share=1.0, late_commit_delay=1.0))
    server = serve(app)
    write_campaigns(workdir / "campaigns", 1)
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="2.5")
    first = invoke(["apply", "--auto-approve", "--no-wait"], env)
    assert first.exit_code == 1 and "1 unknown" in first.output, first.output
    assert posts(app) == 1
    app.faults = Faults()
    runner_clock(monkeypatch, offset)
    plan = invoke(["plan"], env)
    assert "1 waiting" in plan.output and "on the server's clock" in plan.output, plan.output
    again = invoke(["apply", "--auto-approve", "--settle-timeout", "30"], env)
    assert again.exit_code == 0, again.output
    assert posts(app) == 1  # never posted again: found by the listing after the grace
    assert names_in_account(app)["Campaign 0000"] == 1
    assert_consistent(app, workdir / STATE)


def test_without_a_date_header_the_grace_falls_back_to_this_machine_and_the_plan_says_so(
    serve, workdir: Path
) -> None:
    app = SandboxApp(faults=Faults(late_commit_share=1.0, late_commit_delay=0.5, no_date=True))
    server = serve(app)
    write_campaigns(workdir / "campaigns", 1)
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="1.5")
    first = invoke(["apply", "--auto-approve", "--no-wait"], env)
    assert first.exit_code == 1, first.output
    app.faults = Faults(no_date=True)
    plan = invoke(["plan"], env)
    assert "the server sends no usable Date header" in plan.output, plan.output
    again = invoke(["apply", "--auto-approve", "--settle-timeout", "30"], env)
    assert again.exit_code == 0, again.output
    assert posts(app) == 1
    assert_consistent(app, workdir / STATE)


# -- an intent dated in the future: `campaigns state settle` ---------------------------------


def future_intent(server_url: str, path: Path, name: str) -> None:
    """A killed apply's create, dated by a clock a year ahead (on both clocks)."""
    ahead = datetime.now(timezone.utc) + timedelta(days=365)
    journal = Journal(path, load(path, server_url))
    real = clock.now
    try:
        clock.now = lambda: ahead  # type: ignore[assignment]
        journal.intent(name, "zxc-ahead", server_epoch=ahead.timestamp())
    finally:
        clock.now = real  # type: ignore[assignment]
        journal.close()


def test_an_intent_dated_a_year_ahead_blocks_the_plan_and_state_settle_clears_it(
    serve, workdir: Path
) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 2)
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="0.5")
    future_intent(server.url, workdir / STATE, "Campaign 0001")
    plan = invoke(["plan"], env)
    assert plan.exit_code == 1, plan.output
    assert "campaigns state settle 'Campaign 0001'" in plan.output
    settled = invoke(["state", "settle", "Campaign 0001"], env)
    assert settled.exit_code == 0, settled.output
    assert "Cleared the create of 'Campaign 0001' in flight" in settled.output
    assert "waiting 0.5 s" in settled.output  # the grace from the lock, never the year
    final = invoke(["apply", "--auto-approve"], env)
    assert final.exit_code == 0, final.output
    assert set(names_in_account(server.app).values()) == {1}
    assert_consistent(server.app, workdir / STATE)


def test_state_settle_records_the_campaign_when_the_create_landed_once(
    serve, workdir: Path
) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="60")
    future_intent(server.url, workdir / STATE, "Campaign 0000")
    stored(server.app, "Campaign 0000", "cmp_landed01")
    settled = invoke(["state", "settle", "Campaign 0000"], env)
    assert settled.exit_code == 0, settled.output
    assert "Recorded 'Campaign 0000' as cmp_landed01: the create landed." in settled.output
    assert "waiting" not in settled.output  # found: nothing to wait for
    state = load(workdir / STATE, server.url)
    assert state.campaigns["Campaign 0000"].id == "cmp_landed01" and not state.pending
    assert invoke(["plan", "--detailed-exitcode"], env).exit_code == 0


def test_state_settle_refuses_to_guess_between_two_copies_and_keeps_the_intent(
    serve, workdir: Path
) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="60")
    future_intent(server.url, workdir / STATE, "Campaign 0000")
    stored(server.app, "Campaign 0000", "cmp_copy0001")
    stored(server.app, "Campaign 0000", "cmp_copy0002")
    settled = invoke(["state", "settle", "Campaign 0000"], env)
    assert settled.exit_code == 1, settled.output
    assert "2 campaigns named 'Campaign 0000' are in the account (cmp_copy0001, " \
        "cmp_copy0002)" in settled.output
    assert "campaigns state import 'Campaign 0000' ID" in settled.output
    assert "Traceback" not in settled.output
    assert set(load(workdir / STATE, server.url).pending) == {"Campaign 0000"}


def test_state_settle_with_nothing_in_flight_says_so(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    env = env_for(server)
    assert invoke(["apply", "--auto-approve"], env).exit_code == 0
    settled = invoke(["state", "settle", "Campaign 0000"], env)
    assert settled.exit_code == 1
    assert "no create of 'Campaign 0000' is in flight" in settled.output
    unknown = invoke(["state", "settle", "No Such Campaign"], env)
    assert unknown.exit_code == 1 and "Traceback" not in unknown.output, unknown.output


# -- a URL recorded before query strings were refused is never shown whole ------------------


def test_a_journal_of_another_api_names_both_urls_with_their_query_masked(tmp_path: Path) -> None:
    path = tmp_path / STATE
    secret_url = "https://api.example.test/v1?api_key=K-very-secret-0123"
    journal = Journal(path, load(path, secret_url))
    journal.intent("Sale", "zxc-1")
    journal.close()
    with pytest.raises(Exception) as raised:
        load(path, "https://other.example.test/v1?token=T-also-secret-4567")
    message = str(raised.value)
    assert "the journal belongs to https://api.example.test/v1?***" in message
    assert "not https://other.example.test/v1?***" in message
    assert "K-very-secret" not in message and "T-also-secret" not in message

"""`campaigns plan` and `campaigns apply` end to end against the sandbox server over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

from e2e import (
    KEY,
    assert_consistent,
    env_for,
    future,
    invoke,
    names_in_account,
    state_ids,
    write_campaigns,
)

from reconciler.sandbox.app import Faults, SandboxApp
from reconciler.schema import validator_for


def test_happy_path_plan_apply_then_nothing_to_do(serve, workdir: Path) -> None:
    server = serve()
    env = env_for(server)
    write_campaigns(workdir / "campaigns", 3)
    plan = invoke(["plan", "--detailed-exitcode"], env)
    assert plan.exit_code == 2, plan.output
    assert "Plan: 3 to create, 0 to adopt, 0 in sync, 0 errors." in plan.output
    applied = invoke(["apply", "--auto-approve"], env)
    assert applied.exit_code == 0, applied.output
    assert "Apply complete: 3 created, 0 adopted." in applied.output
    server_ids = {c.name: c.id for c in server.app.account.campaigns
                  if c.name.startswith("Campaign")}
    assert state_ids(workdir / "campaigns.state.json") == server_ids
    assert KEY not in (workdir / "campaigns.state.json").read_text(encoding="utf-8")
    assert KEY not in plan.output + applied.output
    state_doc = json.loads((workdir / "campaigns.state.json").read_text(encoding="utf-8"))
    assert list(validator_for("state.schema.json").iter_errors(state_doc)) == []
    again = invoke(["plan", "--detailed-exitcode"], env)
    assert again.exit_code == 0, again.output
    assert "Plan: 0 to create, 0 to adopt, 3 in sync, 0 errors." in again.output
    rerun = invoke(["apply", "--auto-approve"], env)
    assert "No changes. Nothing to do." in rerun.output and rerun.exit_code == 0


def test_plan_only_reads_and_never_writes(serve, workdir: Path) -> None:
    server = serve()
    env = env_for(server)
    write_campaigns(workdir / "campaigns", 2)
    invoke(["apply", "--auto-approve"], env)
    write_campaigns(workdir / "campaigns", 4)
    state_file = workdir / "campaigns.state.json"
    before = state_file.read_bytes()
    log_start = len(server.app.request_log)
    result = invoke(["plan"], env)
    assert result.exit_code == 0
    requests = server.app.request_log[log_start:]
    assert {r.method for r in requests} == {"GET"}
    assert len(requests) == 3  # one page of campaigns, credits, sender IDs
    assert state_file.read_bytes() == before
    assert not (workdir / "campaigns.state.json.journal").exists()


def test_adoption_records_an_existing_campaign_and_sends_nothing(serve, workdir: Path) -> None:
    server = serve()
    env = env_for(server)
    write_campaigns(workdir / "campaigns", 1)
    invoke(["apply", "--auto-approve"], env)
    (workdir / "campaigns.state.json").unlink()  # a lost state file
    posts = sum(r.method == "POST" for r in server.app.request_log)
    result = invoke(["apply"], env)  # no creates: no question asked
    assert result.exit_code == 0, result.output
    assert "Apply complete: 0 created, 1 adopted." in result.output
    assert sum(r.method == "POST" for r in server.app.request_log) == posts
    assert_consistent(server.app, workdir / "campaigns.state.json")


def test_non_interactive_apply_without_auto_approve_is_refused(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    result = invoke(["apply"], env_for(server))
    assert result.exit_code == 1
    assert "standard input is not a terminal" in result.output
    assert names_in_account(server.app)["Campaign 0000"] == 0


def test_more_creates_than_max_creates_is_refused(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 4)
    result = invoke(["apply", "--auto-approve", "--max-creates", "3"], env_for(server))
    assert result.exit_code == 1
    assert "max_creates 3: 4 in this apply, over the limit" in result.output
    assert not any(r.method == "POST" for r in server.app.request_log)


def test_a_plan_with_an_error_is_never_applied(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 2, scheduled="2020-01-01T00:00:00Z")
    result = invoke(["apply", "--auto-approve"], env_for(server))
    assert result.exit_code == 1
    assert "2020-01-01T00:00:00Z is in the past" in result.output
    assert "Apply refused: the plan has 2 errors" in result.output
    assert not any(r.method == "POST" for r in server.app.request_log)


def test_invalid_definitions_stop_before_the_api(serve, workdir: Path) -> None:
    server = serve()
    (workdir / "campaigns").mkdir()
    (workdir / "campaigns" / "a.yaml").write_text("name: A\nchannel: fax\n", encoding="utf-8")
    result = invoke(["plan"], env_for(server))
    assert result.exit_code == 1 and "'fax' is not one of" in result.output
    assert server.app.request_log == []


def test_missing_key_is_one_line_that_mentions_the_sandbox(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    result = invoke(["plan"], {**env_for(server), "ZEXA_API_KEY": ""})
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "--sandbox" in result.output


def test_a_wrong_key_is_a_clear_error_without_the_key(serve, workdir: Path) -> None:
    server = serve(api_key="right")
    write_campaigns(workdir / "campaigns", 1)
    result = invoke(["apply", "--auto-approve"], env_for(server))
    assert result.exit_code == 1
    assert "401 unauthorized" in result.output and "request_id" in result.output
    assert KEY not in result.output


def test_target_limits_the_plan(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 3)
    result = invoke(["apply", "--auto-approve", "--target", "Campaign 0001"], env_for(server))
    assert "Apply complete: 1 created" in result.output
    assert list(state_ids(workdir / "campaigns.state.json")) == ["Campaign 0001"]
    bad = invoke(["plan", "--target", "Nope"], env_for(server))
    assert bad.exit_code == 1 and "no campaign is named 'Nope'" in bad.output


def test_a_per_campaign_failure_is_located_and_the_others_go_on(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 2)
    bad = workdir / "campaigns" / "bad.yaml"
    bad.write_text("name: Campaign Bad\nchannel: sms\ncontact_list_id: lst_missing\n"
                   f"sender_id: MYBRAND\nbody: x\nscheduled_at: {future()}\n", encoding="utf-8")
    result = invoke(["apply", "--auto-approve"], env_for(server))
    assert result.exit_code == 1
    assert "campaigns/bad.yaml:1:1: name: 'Campaign Bad' was not created: 404 not_found" \
        in result.output
    assert "Apply incomplete: 2 created, 0 adopted, 1 failed." in result.output
    assert_consistent(server.app, workdir / "campaigns.state.json")


def test_insufficient_credits_stops_new_creates_and_reports_the_balance(
    serve, workdir: Path
) -> None:
    seed = {"contact_lists": [{"id": "lst_partners", "size": 10}],
            "sender_ids": [{"sender_id": "MYBRAND", "channel": "sms", "status": "approved"}],
            "credits": 25}
    server = serve(seed=seed)
    write_campaigns(workdir / "campaigns", 6)
    result = invoke(["apply", "--auto-approve", "--parallelism", "1"], env_for(server))
    assert result.exit_code == 1
    assert "Stopped early: the account ran out of credits." in result.output
    assert "Credit balance: 5 USD." in result.output
    assert "Apply incomplete: 2 created, 0 adopted, 1 failed, 3 not sent." in result.output
    assert sum(r.method == "POST" for r in server.app.request_log) == 3
    assert_consistent(server.app, workdir / "campaigns.state.json")


def test_lost_answers_are_resolved_by_listing_not_by_posting_again(serve, workdir) -> None:
    server = serve(faults=Faults(commit_then_drop_share=1.0))
    write_campaigns(workdir / "campaigns", 3)
    result = invoke(["apply", "--auto-approve"], env_for(server))
    assert result.exit_code == 0, result.output
    assert "Apply complete: 3 created, 0 adopted." in result.output
    assert sum(r.method == "POST" for r in server.app.request_log) == 3
    assert_consistent(server.app, workdir / "campaigns.state.json")


def test_a_create_answered_500_is_unknown_never_posted_again_and_created_after_the_grace(
    serve, workdir: Path
) -> None:
    app = SandboxApp()
    server = serve(app)
    from reconciler.sandbox.app import Reply

    write_campaigns(workdir / "campaigns", 1)
    app.script = [None, None, None,  # plan: list, credits, sender IDs
                  None,  # apply: the account's total before the first wave
                  Reply(500, b'{"error": "internal_error", "message": "x"}')]
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="30")
    result = invoke(["apply", "--auto-approve", "--no-wait"], env)
    assert result.exit_code == 1, result.output
    assert "1 unknown: may have been sent" in result.output
    assert "it waits until 20" in result.output  # the time it may prove it absent
    assert "Not sent:" not in result.output
    assert sum(r.method == "POST" for r in app.request_log) == 1
    early = invoke(["apply", "--auto-approve", "--no-wait"], env)  # within the grace: left
    assert early.exit_code == 1, early.output
    assert "? waiting  Campaign 0000" in early.output and "1 waiting" in early.output
    assert "1 unknown: may have been sent" in early.output
    assert sum(r.method == "POST" for r in app.request_log) == 1
    late = invoke(["apply", "--auto-approve"], env_for(server, CAMPAIGNS_INFLIGHT_GRACE="0"))
    assert late.exit_code == 0, late.output
    posts = [r for r in app.request_log if r.method == "POST"]
    assert len(posts) == 2 and posts[0].idempotency_key == posts[1].idempotency_key
    assert_consistent(app, workdir / "campaigns.state.json")


def test_a_state_for_the_sandbox_is_refused_against_a_url(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    invoke(["apply", "--sandbox", "--auto-approve"],
           {"CAMPAIGNS_SANDBOX_DATA": str(workdir / "sb.json")})
    result = invoke(["plan"], env_for(server))
    assert result.exit_code == 1
    assert "belongs to sandbox" in result.output


# -- saved plans ----------------------------------------------------------------------------


def test_a_saved_plan_is_applied_without_asking(serve, workdir: Path) -> None:
    server = serve()
    env = env_for(server)
    write_campaigns(workdir / "campaigns", 2)
    assert invoke(["plan", "--out", "p.json"], env).exit_code == 0
    doc = json.loads((workdir / "p.json").read_text(encoding="utf-8"))
    assert doc["apply"]["work"][0]["payload"]["name"] == "Campaign 0000"
    assert KEY not in (workdir / "p.json").read_text(encoding="utf-8")
    result = invoke(["apply", "p.json"], env)
    assert result.exit_code == 0, result.output
    assert "Apply complete: 2 created" in result.output
    stale = invoke(["apply", "p.json"], env)  # the state moved on: refused
    assert stale.exit_code == 1 and "the state changed since the plan was made" in stale.output


def test_an_edited_saved_plan_is_refused(serve, workdir: Path) -> None:
    server = serve()
    env = env_for(server)
    write_campaigns(workdir / "campaigns", 1)
    invoke(["plan", "--out", "p.json"], env)
    text = (workdir / "p.json").read_text(encoding="utf-8").replace("lst_partners", "lst_customers")
    (workdir / "p.json").write_text(text, encoding="utf-8")
    result = invoke(["apply", "p.json"], env)
    assert result.exit_code == 1 and "edited after it was saved" in result.output
    assert not any(r.method == "POST" for r in server.app.request_log)


def test_a_saved_plan_is_stale_when_the_account_gained_one_of_its_campaigns(
    serve, workdir: Path
) -> None:
    server = serve()
    env = env_for(server)
    write_campaigns(workdir / "campaigns", 2)
    invoke(["plan", "--out", "p.json"], env)
    # Someone else creates one of the planned campaigns in the meantime.
    from reconciler.client import Secret, ZexaClient

    ZexaClient(server.url, Secret("other")).create_campaign(
        {"name": "Campaign 0001", "channel": "sms", "contact_list_id": "lst_partners",
         "sender_id": "MYBRAND", "body": "x"})
    result = invoke(["apply", "p.json"], env)
    assert result.exit_code == 1 and "the account changed since the plan was made" \
        in result.output
    assert names_in_account(server.app)["Campaign 0001"] == 1


def test_a_second_apply_fails_fast_while_the_state_is_locked(serve, workdir: Path) -> None:
    from reconciler.state.lock import locked

    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    with locked(workdir / "campaigns.state.json", "campaigns apply (the other one)"):
        result = invoke(["apply", "--auto-approve"], env_for(server))
    assert result.exit_code == 1
    assert "is locked by pid" in result.output and "the other one" in result.output
    assert server.app.request_log == []


def test_yes_is_the_same_as_auto_approve(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    result = invoke(["apply", "--yes"], env_for(server))
    assert result.exit_code == 0 and "Apply complete: 1 created" in result.output


def test_a_saved_plan_named_like_definitions_is_refused_before_any_request(
    serve, workdir: Path
) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    for name in ("plan.yaml", "plan.YML"):
        result = invoke(["plan", "--out", name], env_for(server))
        assert result.exit_code == 1 and "cannot be named .yaml or .yml" in result.output
        assert not (workdir / name).exists()
    assert server.app.request_log == []

"""`apply --format`: text, github (annotations) and json (one document on standard output,
valid against its shipped schema, with the plan and progress on standard error)."""

from __future__ import annotations

import json
from pathlib import Path

from e2e import env_for, future, invoke, state_ids, write_campaigns

from reconciler.sandbox.app import Reply, SandboxApp
from reconciler.schema import validator_for

BAD = "name: Campaign Bad\nchannel: sms\ncontact_list_id: lst_missing\nsender_id: MYBRAND\n" \
      "body: x\nscheduled_at: {when}\n"


def document(stdout: str) -> dict:
    doc = json.loads(stdout)  # standard output holds the document and nothing else
    assert list(validator_for("apply.schema.json").iter_errors(doc)) == []
    return doc


def test_json_is_one_document_with_every_id_and_the_rest_on_stderr(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 3)
    result = invoke(["apply", "--auto-approve", "--format", "json"], env_for(server))
    assert result.exit_code == 0, result.output
    doc = document(result.stdout)
    assert doc["format_version"] == 1 and doc["ok"] is True
    assert {c["name"]: c["id"] for c in doc["created"]} == \
        state_ids(workdir / "campaigns.state.json")
    assert len(doc["created"]) == 3 and doc["failed"] == doc["unknown"] == []
    assert doc["summary"] == "Apply complete: 3 created, 0 adopted."
    assert "+ create" in result.stderr and "[3/3]" in result.stderr  # the plan, the progress
    again = invoke(["apply", "--auto-approve", "--format", "json"], env_for(server))
    assert again.exit_code == 0
    assert document(again.stdout)["summary"] == "No changes. Nothing to do."


def test_json_locates_a_failure_and_exits_1(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    (workdir / "campaigns" / "bad.yaml").write_text(BAD.format(when=future()), encoding="utf-8")
    result = invoke(["apply", "--auto-approve", "--format", "json"], env_for(server))
    assert result.exit_code == 1
    doc = document(result.stdout)
    assert doc["ok"] is False and len(doc["created"]) == 1
    (failure,) = doc["failed"]
    assert (failure["name"], failure["file"], failure["line"]) == \
        ("Campaign Bad", "campaigns/bad.yaml", 1)
    assert failure["message"].startswith("404 not_found")
    assert "'Campaign Bad' was not created" in result.stderr  # the text report stays


def test_json_reports_an_unknown_outcome_with_the_time_it_settles(serve, workdir: Path) -> None:
    app = SandboxApp()
    server = serve(app)
    write_campaigns(workdir / "campaigns", 1)
    app.script = [None, None, None, None,  # plan: list, credits, sender IDs; the total
                  Reply(500, b'{"error": "internal_error", "message": "x"}')]
    result = invoke(["apply", "--auto-approve", "--no-wait", "--format", "json"],
                    env_for(server, CAMPAIGNS_INFLIGHT_GRACE="30"))
    assert result.exit_code == 1
    (unknown,) = document(result.stdout)["unknown"]
    assert unknown["name"] == "Campaign 0000" and unknown["settles_after"].startswith("20")


def test_github_annotates_a_failure_and_is_the_default_under_actions(
    serve, workdir: Path
) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    (workdir / "campaigns" / "bad.yaml").write_text(BAD.format(when=future()), encoding="utf-8")
    result = invoke(["apply", "--auto-approve"],
                    env_for(server, GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(workdir)))
    assert result.exit_code == 1
    assert ("::error file=campaigns/bad.yaml,line=1,col=1,title=campaigns apply::"
            "'Campaign Bad' was not created: 404 not_found") in result.stdout
    assert result.stdout.rstrip().endswith("Apply incomplete: 1 created, 0 adopted, 1 failed.")
    text = invoke(["apply", "--auto-approve", "--format", "text"],
                  env_for(server, GITHUB_ACTIONS="true"))
    assert text.exit_code == 1 and "::error" not in text.output


def test_invalid_definitions_come_out_in_the_format_asked(serve, workdir: Path) -> None:
    server = serve()
    (workdir / "campaigns").mkdir()
    (workdir / "campaigns" / "bad.yaml").write_text("name: x\n", encoding="utf-8")
    result = invoke(["apply", "--auto-approve", "--format", "json"], env_for(server))
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert list(validator_for("validate.schema.json").iter_errors(doc)) == []
    assert server.app.request_log == []


def test_json_asks_on_stderr_and_keeps_stdout_for_the_document(serve, workdir: Path,
                                                                monkeypatch) -> None:
    from reconciler.cli import apply_cmd

    monkeypatch.setattr(apply_cmd, "stdin_is_terminal", lambda: True)
    server = serve()
    write_campaigns(workdir / "campaigns", 2)
    result = invoke(["apply", "--format", "json"], env_for(server), input="yes\n")
    assert result.exit_code == 0, result.output
    assert "Apply these changes?" in result.stderr and "+ create" in result.stderr
    assert len(document(result.stdout)["created"]) == 2


# -- a refusal is typed, for the program that reads it ---------------------------------------


def test_a_refused_apply_says_why_as_a_kind_in_json_and_in_the_annotation_title(
    serve, workdir: Path
) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 3)
    env = env_for(server)
    over = invoke(["apply", "--auto-approve", "--format", "json", "--max-creates", "2"], env)
    assert over.exit_code == 1
    doc = document(over.stdout)
    assert doc["ok"] is False and doc["created"] == []
    assert doc["refused"]["kind"] == "over-limits"
    assert doc["refused"]["limits"] == [{"limit": "max_creates", "allowed": 2, "total": 3,
                                         "campaigns": ["Campaign 0000", "Campaign 0001",
                                                       "Campaign 0002"]}]
    assert doc["summary"] == "Apply refused: over the limits of one apply; nothing was sent."
    assert "--override-limits" in doc["refused"]["message"]
    assert "Error: Apply refused: over the limits" in over.stderr  # the person's message too
    github = invoke(["apply", "--auto-approve", "--format", "github", "--max-creates", "2"],
                    env)
    assert github.exit_code == 1
    assert "::error title=campaigns apply refused (over-limits)::Apply refused: over the " \
        "limits" in github.stdout
    not_confirmed = invoke(["apply", "--format", "json"], env)  # no terminal, no --yes
    assert not_confirmed.exit_code == 1
    assert document(not_confirmed.stdout)["refused"]["kind"] == "not-confirmed"
    done = invoke(["apply", "--auto-approve", "--format", "json"], env)
    assert document(done.stdout)["refused"] is None


def test_a_plan_with_errors_and_a_stale_saved_plan_are_refused_by_kind(
    serve, workdir: Path
) -> None:
    server = serve()
    env = env_for(server)
    write_campaigns(workdir / "campaigns", 2)
    assert invoke(["plan", "--out", "p.json"], env).exit_code == 0
    assert invoke(["apply", "--auto-approve"], env).exit_code == 0  # the state moves on
    stale = invoke(["apply", "p.json", "--format", "json"], env)
    assert stale.exit_code == 1, stale.output
    assert document(stale.stdout)["refused"]["kind"] == "stale-plan"
    (workdir / "campaigns" / "bad.yaml").write_text(BAD.format(when="2001-01-01T00:00:00Z"),
                                                   encoding="utf-8")
    errors = invoke(["apply", "--auto-approve", "--format", "json"], env)
    assert errors.exit_code == 1
    assert document(errors.stdout)["refused"]["kind"] == "plan-errors"

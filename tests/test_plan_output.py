"""`campaigns plan` end to end against the sandbox server, in every output format.

Golden files: tests/golden/plan.txt and plan.md (see tests/golden.py).
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import ROOT
from e2e import env_for, invoke
from golden import check_golden

from reconciler import clock
from reconciler.definitions import load_definitions
from reconciler.render.plan import MARKER, render_markdown
from reconciler.schema import validator_for

GOLDEN = ROOT / "tests" / "golden"
NOW = datetime(2030, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def golden_run(serve, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    server = serve(seed=json.loads((GOLDEN / "seed.json").read_text(encoding="utf-8")))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(clock, "now", lambda: NOW)  # relative times in the output are stable
    shutil.copytree(GOLDEN / "campaigns", tmp_path / "campaigns")
    managed = next(c for c in load_definitions(["campaigns"]).campaigns
                   if c.name == "Managed Promo")
    entry = {"channel": "sms", "origin": "created", "at": "2026-01-02T00:00:00Z",
             "file": "campaigns/plan-cases.yaml"}
    state = {
        "version": 1, "lineage": "9b2f6c1e-golden", "serial": 7, "api_url": server.url,
        "campaigns": {
            "Managed Promo": {**entry, "id": "cmp_gold0002", "digest": managed.digest()},
            "Retired Promo": {**entry, "id": "cmp_gold0003", "digest": "sha256:" + "0" * 64},
        },
    }
    (tmp_path / "campaigns.state.json").write_text(json.dumps(state), encoding="utf-8")
    # Quiet hours depend on the wall clock for immediate sends: tested in test_checks.py.
    (tmp_path / ".campaigns.yaml").write_text("checks:\n  disable: [quiet-hours]\n",
                                              encoding="utf-8")

    def run(*args: str) -> tuple[int, str]:
        result = invoke(["plan", *args], env_for(server))
        out = result.output.replace(server.url, "http://127.0.0.1:PORT/v1")
        return result.exit_code, out

    return run



def test_text_plan_matches_the_golden_file(golden_run, request: pytest.FixtureRequest) -> None:
    code, out = golden_run()
    assert code == 1  # the past scheduled_at is an error
    check_golden(request, "plan.txt", out)


def test_markdown_plan_matches_the_golden_file(golden_run, request: pytest.FixtureRequest) -> None:
    code, out = golden_run("--format", "markdown")
    assert code == 1
    check_golden(request, "plan.md", out)


def test_json_plan_is_versioned_and_valid_against_its_schema(golden_run) -> None:
    code, out = golden_run("--format", "json")
    doc = json.loads(out)
    assert code == 1
    assert list(validator_for("plan.schema.json").iter_errors(doc)) == []
    assert doc["format_version"] == 1
    actions = {c["name"]: c["action"] for c in doc["campaigns"]}
    assert actions == {"Spring Sale 2031": "create", "Flash Offer": "create",
                       "Existing Promo": "adopt", "Managed Promo": "in-sync",
                       "Too Late": "error"}
    flash = next(c for c in doc["campaigns"] if c["name"] == "Flash Offer")
    assert flash["sends_immediately"] is True and flash["payload"]["scheduled_at"] is None
    assert doc["not_defined"] == [{"name": "Retired Promo", "id": "cmp_gold0003",
                                   "in_account": True}]
    assert doc["unmanaged"] == {"count": 1, "campaigns": None}


def test_github_plan_annotates_errors_and_warnings_at_file_line(golden_run) -> None:
    code, out = golden_run("--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert lines[2] == (
        "::error file=campaigns/plan-cases.yaml,line=20,col=19,title=campaigns plan%3A "
        "scheduled_at::scheduled_at: 2020-01-01T00:00:00Z is in the past; the API would "
        "refuse it (or, if it did not, send at once)"
    )
    assert lines[0].startswith("::warning file=campaigns/plan-cases.yaml,line=8,col=11,"
                               "title=campaigns plan%3A body::body: needs UCS-2")
    assert lines[1] == (
        "::warning file=campaigns/plan-cases.yaml,line=10,col=11,title=campaigns plan%3A "
        "scheduled_at::scheduled_at: not set: the campaign sends the moment apply creates it"
    )
    assert lines[-1] == "Plan: 2 to create, 1 to adopt, 1 in sync, 1 error."


def test_show_unmanaged_lists_them(golden_run) -> None:
    _, out = golden_run("--show-unmanaged")
    assert "Someone Else's" in out and "(cmp_gold0004, email)" in out


def test_a_job_summary_is_written_under_github_actions(golden_run, tmp_path: Path,
                                                       monkeypatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    golden_run("--format", "github")
    assert summary.read_text(encoding="utf-8").startswith(MARKER)


def test_a_huge_plan_is_summarised_under_65000_characters() -> None:
    from builders import campaign, plan_of

    plan = plan_of([campaign(f"Campaign {i:05d} " + "x" * 60, body="y" * 300)
                    for i in range(3000)])
    text = render_markdown(plan)
    assert len(text) <= 65_000
    assert text.startswith(MARKER)
    assert "Plan: 3000 to create" in text
    assert "campaigns to create, 1 schedule, 3000 messages, 1 warning. The full version: " \
        in text


def test_a_huge_plans_comment_makes_only_the_rows_and_messages_it_holds(monkeypatch) -> None:
    """What does not fit is counted, not made: of 3,000 creates, the rows up to the first
    that does not fit, and no message once the table was cut; the comment is the same."""
    from builders import campaign, plan_of

    from reconciler.render import plan_markdown

    plan = plan_of([campaign(f"Campaign {i:05d}", body=f"Offer {i}") for i in range(3000)])
    made = {"rows": 0, "messages": 0}

    def counting(name, make):  # type: ignore[no-untyped-def]
        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            made[name] += 1
            return make(*args, **kwargs)
        return counted

    monkeypatch.setattr(plan_markdown, "_create_row", counting("rows", plan_markdown._create_row))
    monkeypatch.setattr(plan_markdown, "markdown_message",
                        counting("messages", plan_markdown.markdown_message))
    text = render_markdown(plan)
    shown = text.count("| Campaign 0")  # a row (the header says `| Campaign |`)
    left = int(text.split("left out ")[1].split(" campaigns to create")[0])
    assert shown + left == 3000 and 0 < shown < 3000
    assert made == {"rows": shown + 1, "messages": 0}
    assert "campaigns to create, 1 schedule, 3000 messages" in text


def test_messages_are_made_until_one_does_not_fit() -> None:
    from reconciler.render.markdown import Document

    made: list[int] = []

    def blocks():  # type: ignore[no-untyped-def]
        for i in range(100):
            made.append(i)
            yield f"message {i} " + "x" * 90

    doc = Document(limit=1000, full_version="the log")
    doc.add_each(blocks(), "messages", count=100)
    kept = doc.blocks
    assert kept and len(kept) < 100 and made == list(range(len(kept) + 1))
    assert doc.left_out == {"messages": 100 - len(kept)}
    made.clear()
    doc.add_each(blocks(), "messages", count=100)  # the document is full: nothing is made
    assert made == [] and doc.left_out == {"messages": 200 - len(kept)}
    room = Document(limit=100_000)
    room.add_each((f"m{i}" for i in range(5)), "messages", count=5)
    assert room.blocks == [f"m{i}" for i in range(5)] and room.left_out == {}


def test_the_json_plan_written_piece_by_piece_is_the_same_document() -> None:
    import json

    from builders import campaign, plan_of, remote

    from reconciler.render.plan import render_json, render_json_chunks

    for plan in (plan_of([]), plan_of([campaign("A"), campaign("B")], [remote("cmp_1", "B")])):
        streamed = "".join(render_json_chunks(plan))
        assert streamed == render_json(plan)
        assert json.loads(streamed)["campaigns"] == json.loads(render_json(plan))["campaigns"]


def test_the_plan_schema_names_every_problem_a_plan_can_report() -> None:
    from reconciler.plan import Problem
    from reconciler.schema import load_schema

    schema = load_schema("plan.schema.json")
    found = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "problem" in node and isinstance(node["problem"], dict):
                found.append(node["problem"]["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert found and all(set(e) == {p.value for p in Problem} | {None} for e in found)

"""The blast radius: the audience of each create in people, with where the figure comes
from; a list never sent to called out; limits on one apply, refused before anything is
sent unless overridden."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from e2e import env_for, invoke, posts, write_campaigns

from reconciler.sandbox.app import SandboxApp


def definitions(folder: Path, names_and_lists: list[tuple[str, str]],
                sender: str = "sender_id: MYBRAND") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["defaults:", "  channel: sms", f"  {sender}",
             "  scheduled_at: 2099-03-01T09:00:00Z", "campaigns:"]
    for name, list_id in names_and_lists:
        lines += [f"  - name: {name}", f"    contact_list_id: {list_id}",
                  '    body: "Hello. Reply STOP to opt out."']
    (folder / "sales.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def sent_once(serve, workdir: Path):  # type: ignore[no-untyped-def]
    """A sandbox account where this repository sent one campaign to lst_customers (850)."""
    app = SandboxApp()
    server = serve(app)
    definitions(workdir / "campaigns", [("Weekend Sale", "lst_customers")])
    assert invoke(["apply", "--auto-approve"], env_for(server)).exit_code == 0
    return app, server


def test_a_list_sent_to_before_shows_its_people_and_where_the_figure_comes_from(
    sent_once, workdir: Path
) -> None:
    _, server = sent_once
    definitions(workdir / "campaigns", [("Weekend Sale", "lst_customers"),
                                        ("Summer Sale", "lst_customers")])
    text = invoke(["plan"], env_for(server)).output
    # (When depends on the clock: "just now", or years ago with the clock moved forward.)
    assert re.search(r"about 850 recipients \(from 'Weekend Sale', [^)]+\), about 850 "
                     r"credits", text), text
    assert "This apply: 1 campaign, about 850 recipients and 850 credits." in text
    doc = json.loads(invoke(["plan", "--format", "json"], env_for(server)).output)
    summer = next(c for c in doc["campaigns"] if c["name"] == "Summer Sale")
    assert summer["audience"]["recipients"] == 850
    assert summer["audience"]["from_campaign"] == "Weekend Sale"
    assert doc["totals"] == {"campaigns": 1, "recipients": 850, "credits": 850,
                             "unknown_lists": []}
    markdown = unescaped(invoke(["plan", "--format", "markdown"], env_for(server)).output)
    assert "about 850 recipients (from 'Weekend Sale'" in markdown


def unescaped(markdown: str) -> str:
    """The comment's text as a reader sees it: rendered as GitHub does (markdown-it-py's
    GFM preset), tags dropped and entities decoded."""
    from markdown_it import MarkdownIt

    html_text = MarkdownIt("gfm-like", {"linkify": True, "html": True}).render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def seen(fmt: str, out: str) -> str:
    """What a person reads of an output: the Markdown as rendered, every other format as
    printed."""
    return unescaped(out) if fmt == "markdown" else out


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github"])
def test_a_list_never_sent_to_is_called_out_in_every_format(
    serve, workdir: Path, fmt: str
) -> None:
    server = serve()
    definitions(workdir / "campaigns", [("News", "lst_newsletter"), ("More", "lst_newsletter")])
    out = seen(fmt, invoke(["plan", "--format", fmt], env_for(server)).output)
    assert "first campaign to lst_newsletter from this repository: size unknown" in out
    assert out.count("first campaign to lst_newsletter from this repository") >= 1
    if fmt == "json":
        doc = json.loads(out)
        assert doc["totals"]["unknown_lists"] == ["lst_newsletter"]
        assert [d["code"] for d in doc["diagnostics"]].count("first-list") == 1  # a list once


@pytest.mark.parametrize(("limits", "named"), [
    ("{max_recipients: 1000}", "max_recipients 1,000: 1,700 in this apply, over the limit"),
    ("{max_credits: 1000}", "max_credits 1,000: 1,700 in this apply, over the limit"),
    ("{max_creates: 1}", "max_creates 1: 2 in this apply, over the limit"),
])
def test_each_limit_refuses_the_apply_before_anything_is_sent(
    sent_once, workdir: Path, limits: str, named: str
) -> None:
    app, server = sent_once
    definitions(workdir / "campaigns", [("Weekend Sale", "lst_customers"),
                                        ("Spring Sale", "lst_customers"),
                                        ("Summer Sale", "lst_customers")])
    (workdir / ".campaigns.yaml").write_text(f"limits: {limits}\n", encoding="utf-8")
    before = posts(app)
    plan = invoke(["plan"], env_for(server))
    assert named in plan.output  # the review shows it, before anyone applies
    result = invoke(["apply", "--auto-approve"], env_for(server))
    assert result.exit_code == 1
    assert "Apply refused: over the limits of one apply; nothing was sent." in result.output
    assert named in result.output and "'Spring Sale', 'Summer Sale'" in result.output
    assert posts(app) == before
    overridden = invoke(["apply", "--auto-approve", "--override-limits"], env_for(server))
    assert overridden.exit_code == 0, overridden.output
    assert posts(app) == before + 2


def test_a_list_of_unknown_size_counts_against_max_new_lists_never_as_zero(
    serve, workdir: Path
) -> None:
    app = SandboxApp()
    server = serve(app)
    definitions(workdir / "campaigns", [("News", "lst_newsletter")])
    (workdir / ".campaigns.yaml").write_text(
        "limits: {max_new_lists: 0, max_recipients: 10}\n", encoding="utf-8")
    result = invoke(["apply", "--auto-approve"], env_for(server))
    assert result.exit_code == 1 and posts(app) == 0
    assert "max_new_lists 0: 1 in this apply, over the limit ('News')" in result.output
    assert "max_recipients 10: 0 in this apply, within it" in invoke(
        ["plan"], env_for(server)).output
    (workdir / ".campaigns.yaml").write_text(
        "limits: {max_new_lists: 1}\nlist_sizes: {lst_newsletter: 2400}\n", encoding="utf-8")
    configured = invoke(["plan"], env_for(server)).output
    assert "about 2,400 recipients (configured)" in configured


def test_the_comment_opens_with_a_banner_when_a_limit_is_exceeded(
    sent_once, workdir: Path
) -> None:
    _, server = sent_once
    definitions(workdir / "campaigns", [("Weekend Sale", "lst_customers"),
                                        ("Spring Sale", "lst_customers")])
    (workdir / ".campaigns.yaml").write_text("limits: {max_recipients: 100}\n", encoding="utf-8")
    markdown = invoke(["plan", "--format", "markdown"], env_for(server)).output
    head = markdown.split("\n\n", 3)
    assert "⛔ **Over the limits of one apply:**" in "\n\n".join(head[:3])
    assert "max_recipients 100: 850 in this apply, over the limit" in markdown


def test_limits_are_per_environment(workdir: Path) -> None:
    definitions(workdir / "campaigns", [("Weekend Sale", "lst_staging_newsletter")],
                "sender: brand")
    (workdir / ".campaigns.yaml").write_text(
        "limits: {max_new_lists: 0}\n"
        "environments:\n"
        "  staging: {limits: {max_new_lists: 5}, senders: {brand: MYBRANDSTA}}\n"
        "  production: {senders: {brand: MYBRANDPRO}}\n", encoding="utf-8")
    env = {"NO_COLOR": "1", "GITHUB_ACTIONS": ""}
    staging = invoke(["apply", "--env", "staging", "--sandbox", "--auto-approve"], env)
    assert staging.exit_code == 0, staging.output
    production = invoke(["apply", "--env", "production", "--sandbox", "--auto-approve"], env)
    assert production.exit_code == 1 and "max_new_lists 0" in production.output


def test_a_saved_plan_is_checked_against_the_limits_in_force_when_it_is_applied(
    sent_once, workdir: Path
) -> None:
    app, server = sent_once
    definitions(workdir / "campaigns", [("Weekend Sale", "lst_customers"),
                                        ("Spring Sale", "lst_customers")])
    assert invoke(["plan", "--out", "plan.json"], env_for(server)).exit_code == 0
    saved = json.loads((workdir / "plan.json").read_text(encoding="utf-8"))
    assert saved["plan"]["totals"]["recipients"] == 850
    (workdir / ".campaigns.yaml").write_text("limits: {max_recipients: 500}\n", encoding="utf-8")
    before = posts(app)
    refused = invoke(["apply", "plan.json"], env_for(server))
    assert refused.exit_code == 1 and posts(app) == before
    assert "max_recipients 500: 850 in this apply, over the limit ('Spring Sale')" \
        in refused.output
    applied = invoke(["apply", "plan.json", "--override-limits"], env_for(server))
    assert applied.exit_code == 0, applied.output
    assert posts(app) == before + 1


def test_max_creates_on_the_command_line_is_the_max_creates_limit(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 3)
    (workdir / ".campaigns.yaml").write_text("limits: {max_creates: 1}\n", encoding="utf-8")
    assert invoke(["apply", "--auto-approve"], env_for(server)).exit_code == 1
    assert invoke(["apply", "--auto-approve", "--max-creates", "3"],
                  env_for(server)).exit_code == 0


def test_a_saved_plan_counts_its_audience_again_from_todays_list_sizes(
    serve, workdir: Path
) -> None:
    app = SandboxApp()
    server = serve(app)
    definitions(workdir / "campaigns", [(f"Promo {n}", "lst_abc123") for n in range(10)])
    assert invoke(["plan", "--out", "plan.json"], env_for(server)).exit_code == 0
    saved = json.loads((workdir / "plan.json").read_text(encoding="utf-8"))
    assert saved["plan"]["totals"]["unknown_lists"] == ["lst_abc123"]  # unknown when saved
    (workdir / ".campaigns.yaml").write_text(
        "list_sizes: {lst_abc123: 850}\nlimits: {max_recipients: 100}\n", encoding="utf-8")
    fresh = invoke(["apply", "--auto-approve"], env_for(server))
    refused = invoke(["apply", "plan.json"], env_for(server))
    assert fresh.exit_code == 1 and refused.exit_code == 1 and posts(app) == 0
    said = "max_recipients 100: 8,500 in this apply, over the limit ('Promo 0', 'Promo 1'"
    assert said in fresh.output and said in refused.output


def test_a_saved_plan_counts_the_credits_of_each_sms_segment_again(
    serve, workdir: Path
) -> None:
    app = SandboxApp()
    server = serve(app)
    folder = workdir / "campaigns"
    folder.mkdir()
    (folder / "long.yaml").write_text(  # 200 GSM-7 characters: 2 segments
        "name: Long\nchannel: sms\nsender_id: MYBRAND\ncontact_list_id: lst_abc123\n"
        "scheduled_at: 2099-03-01T09:00:00Z\n"
        f'body: "{"x" * 170} Reply STOP to opt out."\n', encoding="utf-8")
    assert invoke(["plan", "--out", "plan.json"], env_for(server)).exit_code == 0
    (workdir / ".campaigns.yaml").write_text(
        "list_sizes: {lst_abc123: 100}\nlimits: {max_credits: 150}\n", encoding="utf-8")
    refused = invoke(["apply", "plan.json"], env_for(server))
    assert refused.exit_code == 1 and posts(app) == 0
    assert "max_credits 150: 200 in this apply, over the limit ('Long')" in refused.output


def test_a_plan_saved_without_its_lists_counts_the_sizes_it_showed(
    sent_once, workdir: Path
) -> None:
    from reconciler.plan.planfile import plan_file_checksum

    app, server = sent_once
    definitions(workdir / "campaigns", [("Weekend Sale", "lst_customers"),
                                        ("Spring Sale", "lst_customers")])
    assert invoke(["plan", "--out", "plan.json"], env_for(server)).exit_code == 0
    before = posts(app)
    doc = json.loads((workdir / "plan.json").read_text(encoding="utf-8"))
    del doc["apply"]["lists"]  # as a plan saved before the lists were recorded
    doc["checksum"] = plan_file_checksum(doc)
    (workdir / "plan.json").write_text(json.dumps(doc), encoding="utf-8")
    (workdir / ".campaigns.yaml").write_text("limits: {max_recipients: 500}\n", encoding="utf-8")
    refused = invoke(["apply", "plan.json"], env_for(server))
    assert refused.exit_code == 1 and posts(app) == before, refused.output
    assert "max_recipients 500: 850 in this apply, over the limit ('Spring Sale')" \
        in refused.output

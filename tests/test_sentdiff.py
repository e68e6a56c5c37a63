"""What changed after a campaign was sent: the state's record of the file it was sent from,
git reading it back, the diff, and how each format shows it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from builders import campaign, plan_of, remote, state
from e2e import env_for, invoke, write_campaigns

from reconciler.definitions.gitblob import BlobUnavailable, GitBlobs, blob_id
from reconciler.plan import Action, Problem
from reconciler.plan.sentdiff import SentLookup, diff_lines
from reconciler.render.plan import render_json, render_markdown, render_text
from reconciler.schema import validator_for
from reconciler.state import Entry, State, StateError, load, save
from reconciler.state.merge import merge

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


# -- the diff ----------------------------------------------------------------------------------


def test_a_changed_body_line_is_shown_with_its_neighbours() -> None:
    sent = campaign(body="Hello\nSale on Saturday\nReply STOP to opt out")
    now = campaign(body="Hello\nSale on Sunday\nReply STOP to opt out")
    assert diff_lines(sent, now) == [
        "@@ -1,3 +1,3 @@ body", " Hello", "-Sale on Saturday", "+Sale on Sunday",
        " Reply STOP to opt out"]


def test_a_moved_schedule_is_one_line_out_and_one_in() -> None:
    lines = diff_lines(campaign(scheduled_at="2030-02-01T09:00:00Z"),
                       campaign(scheduled_at="2030-02-02T09:00:00Z"))
    assert lines == ["@@ -1 +1 @@ scheduled_at", "-2030-02-01T09:00:00Z",
                     "+2030-02-02T09:00:00Z"]


def test_a_field_added_or_removed_shows_only_its_side() -> None:
    added = diff_lines(campaign(scheduled_at=None), campaign())
    assert added == ["@@ -0,0 +1 @@ scheduled_at", "+2030-02-01T09:00:00Z"]
    removed = diff_lines(campaign(), campaign(scheduled_at=None))
    assert removed == ["@@ -1 +0,0 @@ scheduled_at", "-2030-02-01T09:00:00Z"]


def test_a_template_is_diffed_component_by_component_and_its_text_is_marked_local() -> None:
    template = {"name": "launch", "language": "pt_PT",
                "components": [{"type": "body", "parameters": [{"text": "VIP"}]}]}
    changed = json.loads(json.dumps(template))
    changed["components"][0]["parameters"][0]["text"] = "Gold"
    lines = diff_lines(campaign(channel="whatsapp", body=None, template=template,
                                template_text="Olá {{1}}"),
                       campaign(channel="whatsapp", body=None, template=changed,
                                template_text="Olá {{1}}!"))
    assert '-          "text": "VIP"' in lines and '+          "text": "Gold"' in lines
    heads = [line for line in lines if line.startswith("@@")]
    assert heads[0].endswith(" template")
    assert heads[1] == "@@ -1 +1 @@ template_text (local, not sent)"


def test_a_last_line_break_changed_is_said_not_shown_as_a_line_added() -> None:
    """The lines are the same; only the final line break differs (YAML's `|` against
    `|-`): one line says so, with no `+` or `-` line that reads as a line of the SMS."""
    added = diff_lines(campaign(body="a\nb"), campaign(body="a\nb\n"))
    assert added == ["@@ body @@ sent without a line break at the end; now with one"]
    removed = diff_lines(campaign(body="a\nb\n"), campaign(body="a\nc"))
    assert removed[:4] == ["@@ -1,2 +1,2 @@ body", " a", "-b", "+c"]
    assert removed[-1] == "@@ body @@ sent with a line break at the end; now without one"
    assert not any(line.startswith(("+\\", "-\\")) for line in added + removed)


def test_a_line_that_reads_like_a_diffs_file_header_is_still_shown() -> None:
    """An email's signature delimiter `-- ` removed is `--- Ana` in the diff, and a line
    `++ Bob` added is `+++ Bob`: they are changes, never taken for the file headers."""
    lines = diff_lines(campaign(channel="email", body="Hi\n-- Ana\nend"),
                       campaign(channel="email", body="Hi\n++ Bob\nend"))
    assert lines == ["@@ -1,3 +1,3 @@ body", " Hi", "--- Ana", "+++ Bob", " end"]


def test_the_blob_id_is_the_one_git_gives_the_file(tmp_path: Path) -> None:
    data = "name: Ünïcode\r\nbody: \"x\"\n".encode()
    (tmp_path / "c.yaml").write_bytes(data)
    if shutil.which("git"):
        expected = subprocess.run(["git", "hash-object", "--no-filters", "c.yaml"],
                                  cwd=tmp_path, capture_output=True, text=True,
                                  encoding="utf-8",
                                  check=True).stdout.strip()
    else:
        expected = "7d1ba4b39c62a4f3d9ef3ec33bf90a2d58b82ad7"
    assert blob_id(data) == expected


# -- the plan ----------------------------------------------------------------------------------

SENT = b"""\
name: Sale
channel: sms
contact_list_id: lst_a
sender_id: BRAND
scheduled_at: 2030-02-01T09:00:00Z
body: |-
  Hello
  Sale on Saturday
"""


class Files:
    """Blobs from a dict; a missing one says why, as git's reader does."""

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self.blobs = blobs
        self.asked: list[str] = []

    def read(self, blob: str, near: str) -> bytes:
        self.asked.append(blob)
        if blob not in self.blobs:
            raise BlobUnavailable("this clone is shallow and does not hold the file as sent")
        return self.blobs[blob]


def sent_campaign() -> tuple[str, Entry]:
    (sent,), _ = _parsed(SENT)
    blob = blob_id(SENT)
    return blob, Entry("cmp_1", "sms", sent.digest(), "created", "2029-12-01T00:00:00Z",
                       "c.yaml", blob)


def _parsed(data: bytes):  # type: ignore[no-untyped-def]
    from reconciler.definitions import parse_document

    return parse_document("c.yaml", data)


def changed_plan(now=None, files=None, entry=None):  # type: ignore[no-untyped-def]
    blob, recorded = sent_campaign()
    now = now or campaign(body="Hello\nSale on Sunday")
    files = files if files is not None else Files({blob: SENT})
    return plan_of([now], [remote("cmp_1")], state({"Sale": entry or recorded}),
                   sent=SentLookup(files))


def test_a_changed_definition_is_still_an_error_and_carries_its_diff() -> None:
    (item,) = changed_plan().items
    assert item.action is Action.ERROR and item.problem is Problem.CHANGED
    assert item.sent is not None and item.sent.status == "diff" and item.sent.note == ""
    assert item.sent.lines[0].startswith("--- sent: c.yaml (blob ")
    changes = [line for line in item.sent.lines[2:] if line[:1] in "+-"]
    assert changes == ["-Sale on Saturday", "+Sale on Sunday"]
    assert "goes out as it was sent" in item.message
    assert "A new name would create a second campaign, sent as well as the first" in item.message


def test_an_entry_written_before_the_record_says_so_and_the_plan_goes_on() -> None:
    _, recorded = sent_campaign()
    old = Entry(recorded.id, "sms", recorded.digest, "created", recorded.at, "c.yaml")
    plan = changed_plan(entry=old)
    (item,) = plan.items
    assert item.sent is not None and item.sent.status == "no-record"
    assert "no record of what was sent" in render_text(plan)
    assert plan.summary() == "Plan: 0 to create, 0 to adopt, 0 in sync, 1 error."


def test_a_blob_the_clone_lacks_is_said_plainly_with_how_to_get_it() -> None:
    plan = changed_plan(files=Files({}))
    (item,) = plan.items
    assert item.sent is not None and item.sent.status == "unavailable"
    text = render_text(plan)
    assert "What changed cannot be shown: this clone is shallow" in text
    assert "Traceback" not in text


def test_each_file_as_sent_is_read_once_for_all_its_campaigns() -> None:
    two = (b"campaigns:\n  - name: Sale\n    channel: sms\n    contact_list_id: lst_a\n"
           b"    sender_id: BRAND\n    body: one\n  - name: Other\n    channel: sms\n"
           b"    contact_list_id: lst_a\n    sender_id: BRAND\n    body: two\n")
    blob = blob_id(two)
    (a, b), _ = _parsed(two)
    files = Files({blob: two})
    entries = {c.name: Entry(f"cmp_{c.name}", "sms", c.digest(), "created",
                             "2029-12-01T00:00:00Z", "c.yaml", blob) for c in (a, b)}
    plan = plan_of([campaign("Sale", body="ONE", scheduled_at=None),
                    campaign("Other", body="TWO", scheduled_at=None)],
                   [remote("cmp_Sale"), remote("cmp_Other", "Other")], state(entries),
                   sent=SentLookup(files))
    assert [i.sent.status for i in plan.items if i.sent] == ["diff", "diff"]
    assert files.asked == [blob, blob]  # the reader caches; the parse is done once


def test_a_renamed_campaign_is_found_under_the_name_it_was_sent_with() -> None:
    now = campaign("Sale 2", body="Hello\nSale on Sunday", previous_names=("Sale",))
    (item,) = plan_of([now], [remote("cmp_1")], state({"Sale": sent_campaign()[1]}),
                      sent=SentLookup(Files({sent_campaign()[0]: SENT}))).items
    assert item.problem is Problem.CHANGED and item.sent is not None
    assert "-Sale" in item.sent.lines and "+Sale 2" in item.sent.lines


def test_an_alias_that_resolves_to_another_id_now_is_said_to_be_outside_the_file() -> None:
    data = SENT.replace(b"contact_list_id: lst_a", b"contact_list: customers")
    (sent,), _ = _parsed(data)
    from dataclasses import replace

    blob = blob_id(data)
    recorded = Entry("cmp_1", "sms", replace(sent, contact_list_id="lst_old").digest(),
                     "created", "2029-12-01T00:00:00Z", "c.yaml", blob)
    now = replace(sent, contact_list_id="lst_new")
    (item,) = plan_of([now], [remote("cmp_1")], state({"Sale": recorded}),
                      sent=SentLookup(Files({blob: data}))).items
    assert item.sent is not None and item.sent.status == "outside-file"
    assert "contact_list: customers → lst_new" in item.sent.note


def test_the_text_plan_colours_the_diff_only_when_asked() -> None:
    plan = changed_plan()
    plain = render_text(plan, color=False)
    assert "\x1b[" not in plain and "      -Sale on Saturday" in plain
    coloured = render_text(plan, color=True)
    assert "\x1b[31m      -Sale on Saturday" in coloured
    assert "\x1b[32m      +Sale on Sunday" in coloured


def test_the_json_plan_carries_the_diff_as_its_schema_says() -> None:
    doc = json.loads(render_json(changed_plan()))
    assert list(validator_for("plan.schema.json").iter_errors(doc)) == []
    sent = doc["campaigns"][0]["sent_diff"]
    assert sent["status"] == "diff" and "\n-Sale on Saturday\n+Sale on Sunday\n" in sent["diff"]
    assert sent["blob"] == blob_id(SENT) and sent["sent_file"] == "c.yaml"
    missing = json.loads(render_json(changed_plan(files=Files({}))))
    assert missing["campaigns"][0]["sent_diff"]["diff"] is None
    assert list(validator_for("plan.schema.json").iter_errors(missing)) == []


# -- the Markdown comment, rendered as GitHub would ----------------------------------------------

HOSTILE = ("</details> <!-- x --> <img src=x onerror=alert(1)> <script>s()</script>\n"
           "`````` longer fence\n```\n~~~\n</summary></code></pre> | cell | @octocat\n"
           "carriage\rreturn\n<!--\n")


def test_nothing_in_a_changed_body_escapes_the_diff_block() -> None:
    from markdown_it import MarkdownIt

    plan = changed_plan(now=campaign(body=HOSTILE))
    markdown = render_markdown(plan)
    html = MarkdownIt("gfm-like", {"linkify": True, "html": True}).render(markdown)
    blocks = re.findall(r'<pre><code class="language-diff">(.*?)</code></pre>', html, re.S)
    assert len(blocks) == 1
    from html import unescape

    inside = unescape(blocks[0])
    for line in HOSTILE.replace("\r", "\\r").split("\n")[:-1]:
        assert "\n+" + line + "\n" in inside
    outside = html.replace(blocks[0], "")
    assert "<img" not in outside and "<script" not in outside and "<a " not in outside
    assert outside.count("<details") == outside.count("</details>") == 1
    assert outside.index("</details>") > outside.index("language-diff")
    assert "Revert the change so that the definition says what was sent" in unescape(outside)


def test_the_comment_says_when_the_diff_cannot_be_shown() -> None:
    markdown = render_markdown(changed_plan(files=Files({})))
    assert "It cannot be shown\\: this clone is shallow" in markdown
    assert "```diff" not in markdown


# -- the state's record ----------------------------------------------------------------------------


def test_a_version_1_state_loads_and_is_written_back_as_version_2(tmp_path: Path) -> None:
    path = tmp_path / "campaigns.state.json"
    path.write_text(json.dumps({"version": 1, "lineage": "l", "serial": 1, "api_url": "sandbox",
                                "campaigns": {"A": {
                                    "id": "cmp_1", "channel": "sms",
                                    "digest": "sha256:" + "0" * 64, "origin": "created",
                                    "at": "2030-01-01T00:00:00Z", "file": "c.yaml"}}}),
                    encoding="utf-8")
    st = load(path, "sandbox")
    assert st.campaigns["A"].blob is None
    before = st.fingerprint()
    save(path, st)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == 2 and "blob" not in doc["campaigns"]["A"]
    assert load(path, "sandbox").fingerprint() != before  # the serial moved, nothing else
    assert load(path, "sandbox").campaigns == st.campaigns


@pytest.mark.parametrize(("version", "said"), [(3, "written by a newer zexa-campaigns"),
                                               (0, "reads versions 1, 2"),
                                               (True, "reads versions 1, 2")])
def test_a_state_of_an_unknown_version_is_refused_by_its_version(
        tmp_path: Path, version: object, said: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"version": version, "lineage": "l", "serial": 1,
                                "api_url": "sandbox", "campaigns": {}}), encoding="utf-8")
    with pytest.raises(StateError, match=said):
        load(path, None)


def test_a_malformed_blob_is_refused_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"version": 2, "lineage": "l", "serial": 1, "api_url": "sandbox",
                                "campaigns": {"A": {
                                    "id": "cmp_1", "channel": "sms",
                                    "digest": "sha256:" + "0" * 64, "origin": "created",
                                    "at": "2030-01-01T00:00:00Z", "file": "c.yaml",
                                    "blob": "not-a-blob"}}}), encoding="utf-8")
    with pytest.raises(StateError, match="blob"):
        load(path, None)


def _entry(blob: str | None, at: str = "2030-01-01T00:00:00Z", digest: str = "d") -> Entry:
    return Entry("cmp_1", "sms", digest, "created", at, "c.yaml", blob)


@pytest.mark.parametrize("swap", [False, True])
def test_merging_keeps_the_record_that_one_side_has(swap: bool) -> None:
    base = State("sandbox", "lin", 1, {"A": _entry(None)})
    recorded = State("sandbox", "lin", 2, {"A": _entry("a" * 40, at="2030-02-01T00:00:00Z")})
    untouched = State("sandbox", "lin", 2, {"A": _entry(None)})
    ours, theirs = (untouched, recorded) if swap else (recorded, untouched)
    assert merge(base, ours, theirs).state.campaigns["A"].blob == "a" * 40
    # Both sides recorded it anew, one without the record: the record is kept with it.
    other = State("sandbox", "lin", 2, {"A": _entry(None, at="2030-03-01T00:00:00Z")})
    ours, theirs = (other, recorded) if swap else (recorded, other)
    merged = merge(None, ours, theirs).state.campaigns["A"]
    assert merged.blob == "a" * 40
    # ...but not for another definition (another digest): that record would mislead.
    third = State("sandbox", "lin", 2, {"A": _entry(None, at="2030-03-01T00:00:00Z",
                                                    digest="e")})
    ours, theirs = (third, recorded) if swap else (recorded, third)
    kept = merge(None, ours, theirs).state.campaigns["A"]
    assert kept.blob is None or kept.digest == "d"


@needs_git
def test_the_merge_driver_keeps_each_sides_records(tmp_path: Path) -> None:
    import sys

    def text(entries: dict[str, Entry], serial: int) -> str:
        return json.dumps({"version": 2, "lineage": "lin", "serial": serial,
                           "api_url": "sandbox",
                           "campaigns": {n: e.to_json() for n, e in entries.items()}},
                          indent=2, sort_keys=True) + "\n"

    digest = "sha256:" + "0" * 64
    a = Entry("cmp_a", "sms", digest, "created", "2030-01-01T00:00:00Z", "a.yaml", "a" * 40)
    b = Entry("cmp_b", "sms", digest, "adopted", "2030-01-01T00:00:00Z", "b.yaml", "b" * 40)
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "merge.campaigns-state.driver",
        f"{sys.executable} -m reconciler state merge %O %A %B")
    (tmp_path / ".gitattributes").write_text("campaigns.state.json merge=campaigns-state\n",
                                             encoding="utf-8")
    state_file = tmp_path / "campaigns.state.json"
    state_file.write_text(text({}, 1), encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    for branch, entries in (("one", {"A": a}), ("two", {"B": b})):
        git(tmp_path, "checkout", "-q", "-b", branch, "main")
        state_file.write_text(text(entries, 2), encoding="utf-8")
        git(tmp_path, "commit", "-q", "-am", branch)
        git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "merge", "-q", "one")
    git(tmp_path, "merge", "-q", "--no-edit", "two")
    merged = load(state_file, None)
    assert merged.campaigns == {"A": a, "B": b}


# -- git -------------------------------------------------------------------------------------------


@needs_git
def test_git_gives_back_a_committed_file_and_says_why_it_cannot(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "c.yaml").write_bytes(SENT)
    git(repo, "add", "c.yaml")
    git(repo, "commit", "-q", "-m", "sent")
    assert GitBlobs().read(blob_id(SENT), str(repo / "c.yaml")) == SENT
    with pytest.raises(BlobUnavailable, match="never committed"):
        GitBlobs().read(blob_id(b"never seen"), str(repo / "c.yaml"))
    elsewhere = tmp_path / "plain"
    elsewhere.mkdir()
    with pytest.raises(BlobUnavailable, match="not in a git repository"):
        GitBlobs().read(blob_id(SENT), str(elsewhere / "c.yaml"))


@needs_git
def test_a_shallow_clone_is_told_to_fetch_the_history(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "c.yaml").write_bytes(SENT)
    git(repo, "add", "c.yaml")
    git(repo, "commit", "-q", "-m", "sent")
    (repo / "c.yaml").write_bytes(SENT.replace(b"Saturday", b"Sunday"))
    git(repo, "commit", "-q", "-am", "changed")
    git(tmp_path, "clone", "-q", "--depth", "1", repo.as_uri(), "shallow")
    with pytest.raises(BlobUnavailable, match="fetch-depth: 0"):
        GitBlobs().read(blob_id(SENT), str(tmp_path / "shallow" / "c.yaml"))


# -- end to end ------------------------------------------------------------------------------------


@needs_git
def test_apply_records_the_file_and_a_later_plan_shows_what_changed(
        serve, workdir: Path) -> None:
    env = env_for(serve())
    write_campaigns(workdir / "campaigns", 2)
    git(workdir, "init", "-q")
    git(workdir, "add", "campaigns")
    git(workdir, "commit", "-q", "-m", "two campaigns")
    applied = invoke(["apply", "--auto-approve"], env)
    assert applied.exit_code == 0, applied.output
    sent = (workdir / "campaigns" / "campaigns.yaml").read_bytes()
    doc = json.loads((workdir / "campaigns.state.json").read_text(encoding="utf-8"))
    assert doc["version"] == 2
    assert {e["blob"] for e in doc["campaigns"].values()} == {blob_id(sent)}
    git(workdir, "add", "campaigns.state.json")
    git(workdir, "commit", "-q", "-m", "applied")
    changed = sent.replace(b"Message 1. Reply", b"Message one. Reply")
    (workdir / "campaigns" / "campaigns.yaml").write_bytes(changed)
    plan = invoke(["plan"], env)
    assert plan.exit_code == 1
    assert "What changed since it was sent:" in plan.output
    assert '-"Message 1. Reply STOP to opt out."' not in plan.output  # the value, not YAML
    assert "      -Message 1. Reply STOP to opt out.\n" in plan.output
    assert "      +Message one. Reply STOP to opt out.\n" in plan.output
    markdown = invoke(["plan", "--format", "markdown"], env)
    assert markdown.exit_code == 1 and "```diff\n" in markdown.output
    # The review page says the card is not what recipients get, and shows the diff.
    assert invoke(["plan", "--html-out", "review.html"], env).exit_code == 1
    page = (workdir / "review.html").read_text(encoding="utf-8")
    assert "Not what recipients get." in page
    assert '<span class="d-del">-Message 1. Reply STOP to opt out.</span>' in page
    assert '<span class="d-add">+Message one. Reply STOP to opt out.</span>' in page


@needs_git
def test_an_adopted_or_imported_campaign_records_its_file_too(serve, workdir: Path) -> None:
    from reconciler.client import Secret, ZexaClient

    server = serve()
    env = env_for(server)
    write_campaigns(workdir / "campaigns", 2)
    client = ZexaClient(server.url, Secret("x"))
    payload = {"channel": "sms", "contact_list_id": "lst_partners", "sender_id": "MYBRAND",
               "body": "x"}
    first = client.create_campaign({"name": "Campaign 0000", **payload})
    second = client.create_campaign({"name": "Campaign 0001", **payload})
    adopted = invoke(["apply", "--target", "Campaign 0000", "--auto-approve"], env)
    assert adopted.exit_code == 0, adopted.output
    imported = invoke(["state", "import", "Campaign 0001", second.id], env)
    assert imported.exit_code == 0, imported.output
    blob = blob_id((workdir / "campaigns" / "campaigns.yaml").read_bytes())
    entries = json.loads((workdir / "campaigns.state.json").read_bytes())["campaigns"]
    assert entries["Campaign 0000"]["id"] == first.id
    assert {n: (e["origin"], e["blob"]) for n, e in entries.items()} == {
        "Campaign 0000": ("adopted", blob), "Campaign 0001": ("adopted", blob)}


def test_a_saved_plan_carries_the_blob_to_the_entry_apply_writes(serve, workdir: Path) -> None:
    env = env_for(serve())
    write_campaigns(workdir / "campaigns", 1)
    saved = invoke(["plan", "--out", "plan.json"], env)
    assert saved.exit_code == 0, saved.output
    work = json.loads((workdir / "plan.json").read_text(encoding="utf-8"))["apply"]
    assert blob_id((workdir / "campaigns" / "campaigns.yaml").read_bytes()) in json.dumps(work)
    assert invoke(["apply", "plan.json"], env).exit_code == 0
    entries = json.loads((workdir / "campaigns.state.json").read_bytes())["campaigns"]
    assert entries["Campaign 0000"]["blob"] == blob_id(
        (workdir / "campaigns" / "campaigns.yaml").read_bytes())


def test_nothing_is_looked_up_for_a_definition_that_did_not_change() -> None:
    files = Files({})
    c = campaign()
    st = state({"Sale": Entry("cmp_1", "sms", c.digest(), "created", "2029-12-01T00:00:00Z",
                              "c.yaml", "a" * 40)})
    (item,) = plan_of([c], [remote("cmp_1")], st, sent=SentLookup(files)).items
    assert item.action is Action.IN_SYNC and item.sent is None and files.asked == []


def test_a_long_diff_is_cut_in_the_comment_and_says_where_it_is_whole() -> None:
    long_body = "\n".join(f"line {n}" for n in range(400))
    plan = changed_plan(now=campaign(body=long_body))
    markdown = render_markdown(plan)
    assert "more lines of the diff not shown: `campaigns plan` prints it whole." in markdown
    assert "+line 150\n" in markdown and "+line 399\n" not in markdown
    assert "      +line 399" in render_text(plan)


# -- the lookup, field by field (what mutmut's survivors showed unpinned) -----------------------


def test_each_scalar_field_is_its_own_hunk_named_after_the_field() -> None:
    sent = campaign(channel="sms", sender_id="BRAND", contact_list_id="lst_a")
    now = campaign("Sale 2", channel="telegram", sender_id="Bot", contact_list_id="lst_b")
    assert diff_lines(sent, now) == [
        "@@ -1 +1 @@ name", "-Sale", "+Sale 2", "@@ -1 +1 @@ channel", "-sms", "+telegram",
        "@@ -1 +1 @@ contact_list_id", "-lst_a", "+lst_b",
        "@@ -1 +1 @@ sender_id", "-BRAND", "+Bot"]
    aliased = diff_lines(campaign(contact_list="customers", sender="brand"),
                         campaign(contact_list="vip", sender="shop"))
    assert aliased == ["@@ -1 +1 @@ contact_list", "-customers", "+vip",
                       "@@ -1 +1 @@ sender", "-brand", "+shop"]


def test_a_template_is_shown_with_sorted_keys_and_its_own_characters() -> None:
    lines = diff_lines(
        campaign(channel="whatsapp", body=None, template={"name": "t", "language": "pt_PT",
                                                           "x": "Olá"}),
        campaign(channel="whatsapp", body=None, template={"name": "u", "language": "pt_PT",
                                                           "x": "Olá"}))
    assert lines == ["@@ -1,5 +1,5 @@ template", " {", '   "language": "pt_PT",',
                     '-  "name": "t",', '+  "name": "u",', '   "x": "Olá"', " }"]


def test_a_template_texts_last_line_break_is_said_under_its_local_label() -> None:
    lines = diff_lines(campaign(channel="whatsapp", body=None, template={"name": "t"},
                                template_text="Olá"),
                       campaign(channel="whatsapp", body=None, template={"name": "t"},
                                template_text="Olá\n"))
    assert lines == ["@@ template_text (local, not sent) @@ sent without a line break at the "
                     "end; now with one"]


DIGEST = "sha256:" + "0" * 64  # a recorded digest that matches nothing


def test_what_the_lookup_says_keeps_the_blob_and_the_file_it_was_recorded_with() -> None:
    from reconciler.plan.sentdiff import NO_RECORD, SentDiff

    blob = blob_id(SENT)
    lookup = SentLookup(Files({blob: SENT}))
    now = campaign(body="Hello\nSale on Saturday", scheduled_at="2030-02-01T09:00:00Z")
    assert lookup.diff(now, "Sale", None, "old.yaml", DIGEST) == \
        SentDiff("no-record", note=NO_RECORD, sent_file="old.yaml")
    assert lookup.diff(now, "Sale", "f" * 40, "old.yaml", DIGEST) == SentDiff(
        "unavailable", note="this clone is shallow and does not hold the file as sent",
        blob="f" * 40, sent_file="old.yaml")
    assert lookup.diff(campaign("Else"), "Else", blob, "old.yaml", DIGEST) == SentDiff(
        "unavailable", note="the file as sent holds no campaign named 'Else'", blob=blob,
        sent_file="old.yaml")
    assert lookup.diff(now, "Sale", blob, "old.yaml", DIGEST) == SentDiff(
        "outside-file", note="the definition reads as it did when it was sent; what is sent "
        "differs outside the file", blob=blob, sent_file="old.yaml")


def test_a_file_as_sent_that_no_longer_reads_says_its_first_error() -> None:
    data = b"name: Other\nchannel: smz\nbody: hi\n"
    blob = blob_id(data)
    sent = SentLookup(Files({blob: data})).diff(campaign(), "Sale", blob, "c.yaml", DIGEST)
    assert sent.status == "unavailable"
    assert sent.note == ("the file as sent cannot be read by this version of the tool ('smz' "
                         "is not one of sms, whatsapp, telegram, email, slack)")


def test_each_file_as_sent_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from reconciler.plan import sentdiff

    parsed: list[str] = []
    real = sentdiff.SentFile.parse

    def counting(data: bytes, file: str) -> sentdiff.SentFile:
        parsed.append(file)
        return real(data, file)

    monkeypatch.setattr(sentdiff.SentFile, "parse", staticmethod(counting))
    blob = blob_id(SENT)
    lookup = SentLookup(Files({blob: SENT}))
    for _ in range(2):
        assert lookup.diff(campaign(body="x"), "Sale", blob, "c.yaml", DIGEST).status == "diff"
    assert parsed == ["c.yaml"]


ALIASED = b"""\
name: Sale
channel: sms
contact_list: customers
sender: brand
body: was
"""
ALIAS_NOTE = ("read today, the file as sent does not give the digest the state recorded: an "
              "alias it names may have resolved to another ID then, so more may differ than "
              "the lines show")


@pytest.mark.parametrize(("now", "recorded", "note"), [
    # Both aliases as now, resolved as now: the digest recorded is checked, and differs.
    ({"contact_list": "customers", "sender": "brand"}, "other", ALIAS_NOTE),
    # ... and agrees.
    ({"contact_list": "customers", "sender": "brand"}, "same", ""),
    # An alias the definition no longer names cannot be resolved: nothing to check.
    ({"sender": "brand"}, "other", ""),
    ({"contact_list": "customers"}, "other", ""),
    ({"contact_list": "vip", "sender": "brand"}, "other", ""),
    ({"contact_list": "customers", "sender": "shop"}, "other", ""),
])
def test_the_recorded_digest_is_checked_only_where_each_alias_resolves_as_now(
        now, recorded, note) -> None:
    from dataclasses import replace

    (sent,), _ = _parsed(ALIASED)
    current = campaign(body="is", scheduled_at=None, contact_list_id="lst_now",
                       sender_id="SENDER_NOW", **now)
    digest = replace(sent, contact_list_id="lst_now", sender_id="SENDER_NOW").digest() \
        if recorded == "same" else DIGEST
    blob = blob_id(ALIASED)
    found = SentLookup(Files({blob: ALIASED})).diff(current, "Sale", blob, "c.yaml", digest)
    assert found.status == "diff" and found.note == note


def test_outside_the_file_names_each_alias_and_what_it_resolves_to_now() -> None:
    (sent,), _ = _parsed(ALIASED)
    from dataclasses import replace

    now = replace(sent, contact_list_id="lst_now", sender_id="SENDER_NOW")
    blob = blob_id(ALIASED)
    found = SentLookup(Files({blob: ALIASED})).diff(now, "Sale", blob, "c.yaml", DIGEST)
    assert (found.status, found.note) == ("outside-file", (
        "the definition reads as it did when it was sent; what is sent differs in what an "
        "alias it names resolves to in the configuration now (contact_list: customers → "
        "lst_now; sender: brand → SENDER_NOW)"))


def test_a_removed_signature_line_is_coloured_as_removed_not_as_a_header() -> None:
    """`-- Ana` removed reads `--- Ana` in the diff: red like any removed line (the diff
    holds no file headers to make bold)."""
    import click

    from reconciler.plan.sentdiff import SentDiff
    from reconciler.render.plan_text import _diff_style, _sent_lines

    assert _diff_style("--- Ana") == {"fg": "red"}
    assert _diff_style("+++ Bob") == {"fg": "green"}
    assert _diff_style("@@ -1 +1 @@ body") == {"fg": "cyan"}
    assert click.style("      --- Ana", fg="red") in list(_sent_lines(
        SentDiff("diff", lines=("@@ -1 +1 @@ body", "--- Ana")), color=True))

"""`campaigns ci comment` and `campaigns ci commit-state`, against local fakes of the GitHub
and GitLab REST calls they make and a bare git origin that other jobs push to."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e import invoke
from fake_forge import TOKEN, FakeForge, env_of

BIN = Path(sys.executable).parent


@pytest.fixture
def forge() -> Iterator[Any]:
    """Start fake code hosts (`forge("github")` or `forge("gitlab")`); stopped after."""
    servers: list[FakeForge] = []

    def start(kind: str, me: str | None = "campaigns-bot") -> FakeForge:
        server = FakeForge(kind, me)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def plan_file(tmp_path: Path, environment: str | None, text: str) -> str:
    marker = "<!-- zexa-campaigns-plan" + (f":{environment}" if environment else "") + " -->"
    path = tmp_path / f"plan-{environment}.md"
    path.write_text(f"{marker}\n### Zexa campaigns plan\n\n{text}\n", encoding="utf-8")
    return str(path)


# -- the sticky comment -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_one_sticky_comment_per_environment_created_once_then_edited(
    forge, tmp_path: Path, kind: str
) -> None:
    server = forge(kind)
    server.add("<!-- zexa-campaigns-plan:staging -->\nplanted by someone else", "mallory")
    for _ in range(3):
        for name in ("staging", "production"):
            result = invoke(["ci", "comment", plan_file(tmp_path, name, f"{name} plan")],
                            env_of(server))
            assert result.exit_code == 0, result.output
    ours = [c for c in server.comments if server.author(c) == "campaigns-bot"]
    assert sorted(c["body"].split("\n")[0] for c in ours) == [
        "<!-- zexa-campaigns-plan:production -->", "<!-- zexa-campaigns-plan:staging -->"]
    assert server.comments[0]["body"].endswith("planted by someone else")  # never edited
    writes = [r for r in server.requests if r[0] in ("POST", "PATCH", "PUT")]
    assert [m for m, _ in writes].count("POST") == 2 and len(writes) == 6
    assert "Updated the comment" in result.output


def test_the_workflow_token_writes_as_github_actions(forge, tmp_path: Path) -> None:
    server = forge("github", me=None)  # GET /user is refused for the workflow's token
    first = invoke(["ci", "comment", plan_file(tmp_path, None, "one")], env_of(server))
    second = invoke(["ci", "comment", plan_file(tmp_path, None, "two")], env_of(server))
    assert first.exit_code == 0 and second.exit_code == 0
    assert [server.author(c) for c in server.comments] == ["github-actions[bot]"]
    assert server.comments[0]["body"].endswith("two\n")


def test_a_read_only_token_is_a_warning_not_a_failed_job(forge, tmp_path: Path) -> None:
    server = forge("github")
    server.refuse_writes = True  # a fork's pull request
    result = invoke(["ci", "comment", plan_file(tmp_path, None, "x")], env_of(server))
    assert result.exit_code == 0
    assert "::warning::Could not comment" in result.output
    assert TOKEN not in result.output


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_the_apply_summary_goes_to_the_request_that_merged_the_commit(
    forge, tmp_path: Path, kind: str
) -> None:
    server = forge(kind)
    server.merged["abc123"] = 7
    summary = tmp_path / "apply.md"
    summary.write_text("<!-- zexa-campaigns-apply:production -->\n### apply\n\n3 created\n",
                       encoding="utf-8")
    sha = "GITHUB_SHA" if kind == "github" else "CI_COMMIT_SHA"
    env = env_of(server, **{sha: "abc123", "PR_NUMBER": "", "CI_MERGE_REQUEST_IID": ""})
    result = invoke(["ci", "comment", str(summary), "--from-commit"], env)
    assert result.exit_code == 0, result.output
    assert [c["body"].split("\n")[0] for c in server.comments] == [
        "<!-- zexa-campaigns-apply:production -->"]
    lonely = invoke(["ci", "comment", str(summary), "--from-commit", "fff000"], env)
    assert lonely.exit_code == 0 and "nothing to comment on" in lonely.output


def test_a_file_without_the_marker_and_a_job_elsewhere_are_errors(forge, tmp_path: Path) -> None:
    server = forge("github")
    stray = tmp_path / "x.md"
    stray.write_text("hello\n", encoding="utf-8")
    result = invoke(["ci", "comment", str(stray)], env_of(server))
    assert result.exit_code == 1 and "marker line" in result.output
    nowhere = invoke(["ci", "comment", plan_file(tmp_path, None, "x")],
                     {"GITHUB_ACTIONS": "", "GITLAB_CI": ""})
    assert nowhere.exit_code == 1 and "runs in a CI job" in nowhere.output


def test_an_apply_writes_its_summary_for_the_comment(serve, workdir: Path) -> None:
    from e2e import env_for, write_campaigns

    server = serve()
    write_campaigns(workdir / "campaigns", 2)
    result = invoke(["apply", "--auto-approve", "--markdown-out", "apply.md"],
                    env_for(server))
    assert result.exit_code == 0
    text = (workdir / "apply.md").read_text(encoding="utf-8")
    assert text.startswith("<!-- zexa-campaigns-apply -->\n### Zexa campaigns apply")
    ids = json.loads((workdir / "campaigns.state.json").read_text(encoding="utf-8"))["campaigns"]
    for name, entry in ids.items():
        assert f"| `{name}` | `{entry['id']}` | created |" in text


# -- the state pushed back ----------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def state_text(entries: dict[str, str], serial: int) -> str:
    doc = {"version": 1, "lineage": "lin", "serial": serial, "api_url": "sandbox:staging",
           "campaigns": {n: {"id": c, "channel": "sms", "digest": "sha256:" + "0" * 64,
                             "origin": "created", "at": "2030-01-01T00:00:00Z",
                             "file": "c.yaml"} for n, c in entries.items()}}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


@pytest.fixture
def clones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A bare origin, and two clones of it: this job's runner, and another job's."""
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ['PATH']}")
    for name in ("GITHUB_ACTIONS", "PUSH_TOKEN", "CAMPAIGNS_GITLAB_TOKEN", "CAMPAIGNS_ENV"):
        monkeypatch.delenv(name, raising=False)
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(origin), str(seed))
    (seed / ".campaigns.yaml").write_text("environments:\n  staging: {}\n  production: {}\n",
                                          encoding="utf-8")
    (seed / "campaigns.staging.state.json").write_text(state_text({"Base": "cmp_base"}, 1),
                                                       encoding="utf-8")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "base")
    git(seed, "push", "-q", "origin", "HEAD:main")
    ours, theirs = tmp_path / "runner", tmp_path / "other"
    for clone in (ours, theirs):
        git(tmp_path, "clone", "-q", str(origin), str(clone))
    return ours, theirs


def other_job_applies(theirs: Path, entries: dict[str, str]) -> None:
    (theirs / "campaigns.staging.state.json").write_text(state_text(entries, 2), encoding="utf-8")
    git(theirs, "commit", "-q", "-am", "another apply")
    git(theirs, "push", "-q", "origin", "HEAD:main")


def test_commit_state_rebases_onto_a_moving_origin_and_keeps_both_jobs_ids(
    clones: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, theirs = clones
    (ours / "campaigns.staging.state.json").write_text(
        state_text({"Base": "cmp_base", "Ours": "cmp_ours"}, 2), encoding="utf-8")
    (ours / "campaigns.staging.state.json.journal").write_text("", encoding="utf-8")
    other_job_applies(theirs, {"Base": "cmp_base", "Theirs": "cmp_theirs"})
    monkeypatch.chdir(ours)
    result = invoke(["ci", "commit-state", "--env", "staging"], {})
    assert result.exit_code == 0, result.output
    assert "rebasing onto origin/main" in result.output and "Pushed the state" in result.output
    git(theirs, "pull", "-q", "origin", "main")
    pushed = json.loads((theirs / "campaigns.staging.state.json").read_text(
        encoding="utf-8"))["campaigns"]
    assert {n: e["id"] for n, e in pushed.items()} == {
        "Base": "cmp_base", "Ours": "cmp_ours", "Theirs": "cmp_theirs"}
    assert (theirs / "campaigns.staging.state.json.journal").exists()
    assert not (ours / ".gitattributes").exists()  # the driver is set for this clone only


def test_commit_state_on_a_real_clash_names_the_campaign_the_commit_and_the_ids(
    clones: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, theirs = clones
    (ours / "campaigns.staging.state.json").write_text(
        state_text({"Base": "cmp_base", "Promo": "cmp_ours"}, 2), encoding="utf-8")
    other_job_applies(theirs, {"Base": "cmp_base", "Promo": "cmp_theirs"})
    monkeypatch.chdir(ours)
    result = invoke(["ci", "commit-state"], {})
    assert result.exit_code == 1
    assert "'Promo' is cmp_ours in ours and cmp_theirs in theirs" in result.output \
        or "'Promo' is cmp_theirs in ours and cmp_ours in theirs" in result.output
    commit = git(ours, "rev-parse", "--short", "HEAD").strip()
    assert f"This job's IDs are in commit {commit}" in result.output
    assert "recorded by this job: campaigns.staging.state.json: 'Promo' is cmp_ours" \
        in result.output
    assert "Set up the merge driver" not in result.output


def test_commit_state_with_nothing_changed_commits_nothing(
    clones: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, _ = clones
    monkeypatch.chdir(ours)
    result = invoke(["ci", "commit-state"], {})
    assert result.exit_code == 0 and "nothing to commit" in result.output
    assert git(ours, "log", "--oneline").count("\n") == 1


def our_apply_recorded(ours: Path) -> None:
    (ours / "campaigns.staging.state.json").write_text(
        state_text({"Base": "cmp_base", "Ours": "cmp_ours"}, 2), encoding="utf-8")


OUR_ID_LINE = "recorded by this job: campaigns.staging.state.json: 'Ours' is cmp_ours"


def test_commit_state_shows_a_hooks_refusal_and_does_not_try_again(
    clones: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ours, _ = clones
    hook = tmp_path / "origin.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'State changes need a review: open a merge request' >&2\n"
                    "exit 1\n", encoding="utf-8", newline="\n")
    hook.chmod(0o755)
    our_apply_recorded(ours)
    monkeypatch.chdir(ours)
    result = invoke(["ci", "commit-state", "--env", "staging"], {})
    assert result.exit_code == 1
    assert "State changes need a review: open a merge request" in result.output
    assert "pre-receive hook declined" in result.output
    assert "rebasing" not in result.output and "clashing name" not in result.output
    assert OUR_ID_LINE in result.output
    assert result.output.index("(not pushed), and below") < result.output.index(OUR_ID_LINE)


def test_commit_state_names_a_dirty_working_tree(
    clones: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, theirs = clones
    our_apply_recorded(ours)
    (ours / ".campaigns.yaml").write_text("environments:\n  staging: {}\n", encoding="utf-8")
    other_job_applies(theirs, {"Base": "cmp_base", "Theirs": "cmp_theirs"})
    monkeypatch.chdir(ours)
    result = invoke(["ci", "commit-state", "--env", "staging"], {})
    assert result.exit_code == 1
    assert "the working tree has changes that are not committed (.campaigns.yaml)" \
        in result.output
    assert "clashing name" not in result.output
    assert OUR_ID_LINE in result.output


def test_commit_state_names_a_failed_fetch_and_prints_the_ids(
    clones: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ours, theirs = clones
    our_apply_recorded(ours)
    other_job_applies(theirs, {"Base": "cmp_base", "Theirs": "cmp_theirs"})
    # Pushes still reach the origin (and are refused: it moved on); fetches go nowhere.
    git(ours, "remote", "set-url", "--push", "origin", str(tmp_path / "origin.git"))
    git(ours, "remote", "set-url", "origin", str(tmp_path / "no-such-origin.git"))
    monkeypatch.chdir(ours)
    result = invoke(["ci", "commit-state", "--env", "staging"], {})
    assert result.exit_code == 1
    assert "Could not fetch origin/main to rebase onto it" in result.output
    assert "no-such-origin.git" in result.output
    assert OUR_ID_LINE in result.output


def test_commit_state_prints_the_ids_when_the_origin_cannot_be_reached(
    clones: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ours, _ = clones
    our_apply_recorded(ours)
    git(ours, "remote", "set-url", "origin", str(tmp_path / "no-such-origin.git"))
    monkeypatch.chdir(ours)
    result = invoke(["ci", "commit-state", "--env", "staging"], {})
    assert result.exit_code == 1
    assert "was not tried again" in result.output and "does not appear to be a git " \
        "repository" in result.output
    assert OUR_ID_LINE in result.output


def test_commit_state_masks_the_push_token_in_what_git_says(
    clones: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ours, _ = clones
    token = "ghs_pushtoken1234567890abcdef"
    our_apply_recorded(ours)
    # A remote whose address echoes the token (as a misconfigured URL or a proxy would).
    git(ours, "remote", "set-url", "origin", str(tmp_path / f"gone-{token}.git"))
    monkeypatch.chdir(ours)
    result = invoke(["ci", "commit-state", "--env", "staging"], {"PUSH_TOKEN": token})
    assert result.exit_code == 1 and "gone-" in result.output
    assert token[:8] not in result.output.replace("********", "")


# -- paging and the host's size limit -----------------------------------------------------------


def crowd(server: FakeForge, before: int, after: int) -> None:
    """`before` comments by others, this tool's earlier sticky comment, `after` more."""
    for number in range(before):
        server.add(f"comment {number}", "someone")
    server.add("<!-- zexa-campaigns-plan -->\nthe earlier plan", "campaigns-bot")
    for number in range(after):
        server.add(f"comment {before + number}", "someone")


@pytest.mark.parametrize(("kind", "paging"), [("github", "link"), ("gitlab", "link"),
                                               ("gitlab", "x-next-page")])
def test_comments_are_paged_by_what_the_host_names_next_not_by_page_size(
    forge, tmp_path: Path, kind: str, paging: str
) -> None:
    server = forge(kind)
    server.max_per_page, server.paging = 30, paging  # a proxy that caps per_page at 30
    crowd(server, 70, 20)
    result = invoke(["ci", "comment", plan_file(tmp_path, None, "the new plan")],
                    env_of(server))
    assert result.exit_code == 0, result.output
    assert "Updated the comment" in result.output
    assert [m for m, _ in server.requests].count("POST") == 0
    assert [c["body"] for c in server.comments if "plan" in c["body"]] == [
        "<!-- zexa-campaigns-plan -->\n### Zexa campaigns plan\n\nthe new plan\n"]


def test_a_next_page_on_another_host_is_not_followed_with_the_token(
    forge, tmp_path: Path
) -> None:
    server, elsewhere = forge("github"), forge("github")
    server.max_per_page = 30
    server.link_base = elsewhere.url
    crowd(server, 40, 0)
    result = invoke(["ci", "comment", plan_file(tmp_path, None, "x")], env_of(server))
    assert result.exit_code == 1
    assert "the next page is on another host" in result.output
    assert elsewhere.requests == []
    assert [m for m, _ in server.requests].count("POST") == 0


def long_plan(tmp_path: Path, size: int) -> str:
    """A plan file of about `size` characters, most of them inside one code block."""
    head = "<!-- zexa-campaigns-plan -->\n### Zexa campaigns plan\n\n<details><summary>x" \
           "</summary>\n\n```text\n"
    line = "+ campaign 'Weekend sale' to lst_abc123: about 850 recipients\n"
    path = tmp_path / "plan.md"
    path.write_text(head + line * (size // len(line)) + "```\n\n</details>\n", "utf-8",
                    newline="\n")
    return str(path)


def test_a_comment_over_githubs_limit_is_shortened_and_says_where_the_rest_is(
    forge, tmp_path: Path
) -> None:
    server = forge("github")
    summary = tmp_path / "summary.md"
    file = long_plan(tmp_path, 70_000)
    full = Path(file).read_text(encoding="utf-8")
    result = invoke(["ci", "comment", file], env_of(server, GITHUB_STEP_SUMMARY=str(summary)))
    assert result.exit_code == 0, result.output
    assert "shortened to 65,536 characters" in result.output
    body = server.comments[0]["body"]
    assert len(body) <= 65_536 and body.startswith("<!-- zexa-campaigns-plan -->\n")
    last = body.rstrip("\n").splitlines()[-1]
    assert last.startswith("> **Shortened to fit in a comment:** the text is ")
    assert "the summary of this job, and `plan.md`" in last
    lines = body.splitlines()
    assert lines.count("```") == 1 and lines.count("```text") == 1  # the block is closed
    assert body.index("```\n</details>") < body.index("> **Shortened")
    assert summary.read_text(encoding="utf-8") == full


def test_a_note_within_gitlabs_limit_is_posted_whole_and_one_over_it_is_shortened(
    forge, tmp_path: Path
) -> None:
    server = forge("gitlab")
    file = long_plan(tmp_path, 70_000)
    result = invoke(["ci", "comment", file], env_of(server))
    assert result.exit_code == 0, result.output
    assert server.comments[0]["body"] == Path(file).read_text(encoding="utf-8")
    file = long_plan(tmp_path, 1_000_100)
    result = invoke(["ci", "comment", file], env_of(server))
    assert result.exit_code == 0, result.output
    body = server.comments[0]["body"]
    assert len(body) <= 1_000_000 and "GitLab takes at most 1,000,000" in body
    assert "summary of this job" not in body

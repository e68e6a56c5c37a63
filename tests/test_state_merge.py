"""`campaigns state merge` as git's merge driver, in real repositories, and its algebra."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.state import Entry, State, StateError, load
from reconciler.state.merge import merge, render

BIN = Path(sys.executable).parent


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    proc = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8")
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def entry(cid: str, at: str = "2030-01-01T00:00:00Z") -> dict[str, str]:
    return {"id": cid, "channel": "sms", "digest": "sha256:" + "0" * 64, "origin": "created",
            "at": at,
            "file": "c.yaml"}


def state_text(entries: dict[str, str], serial: int, lineage: str = "lin") -> str:
    doc = {"version": 1, "lineage": lineage, "serial": serial, "api_url": "sandbox",
           "campaigns": {n: entry(c) for n, c in entries.items()}}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "merge.campaigns-state.driver",
        f"{sys.executable} -m reconciler state merge %O %A %B")
    (tmp_path / ".gitattributes").write_text("campaigns.state.json merge=campaigns-state\n",
                                             encoding="utf-8")
    (tmp_path / "campaigns.state.json").write_text(state_text({"Base": "cmp_base"}, 3),
                                                   encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def branch_applies(repo: Path, branch: str, entries: dict[str, str], serial: int,
                   lineage: str = "lin") -> None:
    git(repo, "checkout", "-q", "-b", branch, "main")
    (repo / "campaigns.state.json").write_text(state_text(entries, serial, lineage),
                                               encoding="utf-8")
    git(repo, "commit", "-q", "-am", f"apply on {branch}")
    git(repo, "checkout", "-q", "main")


def test_two_branches_that_each_applied_a_campaign_merge_cleanly(repo: Path) -> None:
    branch_applies(repo, "a", {"Base": "cmp_base", "A": "cmp_a"}, 4)
    branch_applies(repo, "b", {"Base": "cmp_base", "B": "cmp_b"}, 5)
    git(repo, "merge", "-q", "a")
    merged = git(repo, "merge", "-q", "--no-edit", "b")
    assert merged.returncode == 0
    state = load(repo / "campaigns.state.json", None)
    assert {n: e.id for n, e in state.campaigns.items()} == {
        "Base": "cmp_base", "A": "cmp_a", "B": "cmp_b"}
    assert state.serial == 6  # the larger serial plus one
    text = (repo / "campaigns.state.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True,
                              ensure_ascii=False) + "\n"  # written as the tool writes it


def test_one_name_with_two_ids_is_a_conflict_left_for_a_person(repo: Path) -> None:
    branch_applies(repo, "a", {"Base": "cmp_base", "Promo": "cmp_a"}, 4)
    branch_applies(repo, "b", {"Base": "cmp_base", "Promo": "cmp_b"}, 4)
    git(repo, "merge", "-q", "a")
    clash = git(repo, "merge", "--no-edit", "b", check=False)
    assert clash.returncode != 0
    assert "CONFLICT (campaigns state): 'Promo' is cmp_a in ours and cmp_b in theirs" \
        in clash.stdout + clash.stderr
    text = (repo / "campaigns.state.json").read_text(encoding="utf-8")
    assert "<<<<<<< ours" in text and "cmp_a" in text and "cmp_b" in text
    with pytest.raises(StateError) as refused:
        load(repo / "campaigns.state.json", None)
    message = str(refused.value)
    assert "holds a git conflict marker ('<<<<<<< ours')" in message
    assert "campaigns state merge --install" in message
    assert "git checkout --ours" in message and "the next plan adopts the rest by name" in message
    assert "git checkout -- FILE" not in message


def test_states_of_different_lineages_are_not_merged(repo: Path) -> None:
    branch_applies(repo, "a", {"Base": "cmp_base", "A": "cmp_a"}, 4)
    branch_applies(repo, "b", {"Base": "cmp_base", "B": "cmp_b"}, 4, lineage="other")
    git(repo, "merge", "-q", "a")
    refused = git(repo, "merge", "--no-edit", "b", check=False)
    assert refused.returncode != 0
    assert "different lineages" in refused.stdout + refused.stderr


def test_a_removal_on_one_side_is_kept_when_the_other_did_not_touch_the_entry() -> None:
    base = State("sandbox", "lin", 1, {"Old": Entry("cmp_o", "sms", "d", "created", "t", "f")})
    ours = State("sandbox", "lin", 2, {})
    theirs = State("sandbox", "lin", 2, dict(base.campaigns))
    assert merge(base, ours, theirs).state.campaigns == {}


# -- the algebra -----------------------------------------------------------------------------------


names = st.sampled_from(["A", "B", "C", "D"])
ids = st.sampled_from(["cmp_1", "cmp_2", "cmp_3"])
sides = st.dictionaries(names, ids, max_size=4)


def as_state(entries: dict[str, str], serial: int) -> State:
    return State("sandbox", "lin", serial, {
        n: Entry(c, "sms", "d", "created", "2030-01-01T00:00:00Z", "f")
        for n, c in entries.items()})


@settings(max_examples=300, deadline=None)
@given(base=sides, ours=sides, theirs=sides, s1=st.integers(0, 9), s2=st.integers(0, 9))
def test_merging_is_symmetric(base, ours, theirs, s1, s2) -> None:  # type: ignore[no-untyped-def]
    one = merge(as_state(base, 0), as_state(ours, s1), as_state(theirs, s2))
    two = merge(as_state(base, 0), as_state(theirs, s2), as_state(ours, s1))
    assert one.state.campaigns == two.state.campaigns
    assert one.state.serial == two.state.serial
    assert {c.name for c in one.clashes} == {c.name for c in two.clashes}


@settings(max_examples=300, deadline=None)
@given(base=sides, ours=sides, s=st.integers(0, 9))
def test_merging_a_state_with_itself_changes_nothing(base, ours, s) -> None:  # type: ignore[no-untyped-def]
    result = merge(as_state(base, 0), as_state(ours, s), as_state(ours, s))
    assert result.clashes == []
    assert result.state.campaigns == as_state(ours, s).campaigns


@settings(max_examples=300, deadline=None)
@given(base=sides, ours=sides, theirs=sides)
def test_no_id_is_dropped_without_a_conflict(base, ours, theirs) -> None:  # type: ignore[no-untyped-def]
    result = merge(as_state(base, 0), as_state(ours, 1), as_state(theirs, 1))
    clashed = {c.name for c in result.clashes}
    kept = {(n, e.id) for n, e in result.state.campaigns.items()}
    for side in (ours, theirs):
        for name, cid in side.items():
            removed_elsewhere = base.get(name) == cid and name not in (
                theirs if side is ours else ours)
            assert (name, cid) in kept or name in clashed or removed_elsewhere
    text = render(result)
    assert ("<<<<<<<" in text) == bool(result.clashes)


def test_install_sets_up_every_state_file_the_configuration_names_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from e2e import invoke

    git(tmp_path, "init", "-q")
    (tmp_path / ".gitattributes").write_text("*.png binary", encoding="utf-8")  # no final newline
    (tmp_path / ".campaigns.yaml").write_text(
        "environments:\n  staging: {}\n  production: {state: campaigns.state.json}\n"
        "  eu: {state: states/eu.json}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    first = invoke(["state", "merge", "--install"], {})
    assert first.exit_code == 0, first.output
    assert (tmp_path / ".gitattributes").read_text(encoding="utf-8") == (
        "*.png binary\n"
        "/campaigns.state.json merge=campaigns-state\n"
        "/campaigns.staging.state.json merge=campaigns-state\n"
        "/states/eu.json merge=campaigns-state\n")
    driver = git(tmp_path, "config", "merge.campaigns-state.driver").stdout.strip()
    assert driver == "campaigns state merge %O %A %B"
    again = invoke(["state", "merge", "--install"], {})
    assert again.exit_code == 0 and "Added" not in again.output
    assert (tmp_path / ".gitattributes").read_text(
        encoding="utf-8").count("merge=campaigns-state") == 3


def test_two_branches_that_both_applied_to_both_environments_merge_after_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from e2e import invoke

    git(tmp_path, "init", "-q")
    (tmp_path / ".campaigns.yaml").write_text(
        "environments:\n  staging: {}\n  production: {state: campaigns.state.json}\n",
        encoding="utf-8")
    files = [tmp_path / "campaigns.staging.state.json", tmp_path / "campaigns.state.json"]
    for path in files:
        path.write_text(state_text({"Base": "cmp_base"}, 3), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert invoke(["state", "merge", "--install"], {}).exit_code == 0
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    for branch, name in (("a", "A"), ("b", "B")):
        git(tmp_path, "checkout", "-q", "-b", branch, "main")
        for number, path in enumerate(files):  # each account gave its own ID
            path.write_text(state_text({"Base": "cmp_base", name: f"cmp_{name}{number}"}, 4),
                            encoding="utf-8")
        git(tmp_path, "commit", "-q", "-am", f"apply {name} to staging and production")
        git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "merge", "-q", "a")
    assert git(tmp_path, "merge", "-q", "--no-edit", "b").returncode == 0
    for number, path in enumerate(files):
        assert "<<<<<<<" not in path.read_text(encoding="utf-8")
        assert {n: e.id for n, e in load(path, None).campaigns.items()} == {
            "Base": "cmp_base", "A": f"cmp_A{number}", "B": f"cmp_B{number}"}

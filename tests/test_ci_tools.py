"""The CI integrations, checked with the real tools and real git: GitHub's and GitLab's
published schemas (check-jsonschema's vendored copies), zizmor, pre-commit itself, the
action's scripts with a stand-in `gh` that keeps comments, pushes that race, and the
state merge driver inside `git merge`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from conftest import EXAMPLES, ROOT

from reconciler.render.plan import MARKER

DOCS = ROOT / "docs"
BIN = Path(sys.executable).parent
MARKER_LINE = MARKER + "\nplan"


def tool(name: str) -> str:
    path = shutil.which(name, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    assert path, f"{name} is a test dependency (pip install -e '.[test]')"
    return path


def yaml_blocks(path: Path) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", path.read_text(), flags=re.S)


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **(env or {})}
    proc = subprocess.run(args, cwd=cwd, env=full, capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


# -- the published schemas and zizmor ------------------------------------------------------


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


@pytest.mark.parametrize(("doc", "schema", "count"), [
    ("gitlab-ci.md", "vendor.gitlab-ci", 2),
    ("github-actions.md", "vendor.github-workflows", 4),
])
def test_every_documented_pipeline_passes_the_ci_providers_schema(
    tmp_path: Path, doc: str, schema: str, count: int
) -> None:
    blocks = [b for b in yaml_blocks(DOCS / doc) if "jobs:" in b or "stages:" in b]
    assert len(blocks) == count
    if doc == "gitlab-ci.md":  # the second block extends the first: check them together
        base, extension = (yaml.safe_load(b) for b in blocks)
        blocks = [blocks[0], yaml.safe_dump(deep_merge(base, extension))]
    files = []
    for number, block in enumerate(blocks):
        files.append(str(tmp_path / f"pipeline-{number}.yml"))
        Path(files[-1]).write_text(block)
    proc = run([tool("check-jsonschema"), "--builtin-schema", schema, *files], tmp_path,
               check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_action_passes_githubs_action_schema(tmp_path: Path) -> None:
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions",
         str(ROOT / "action.yml")], tmp_path)


def test_zizmor_finds_nothing_at_medium_or_above_but_this_tools_own_pin(
    tmp_path: Path
) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    blocks = [b for b in yaml_blocks(DOCS / "github-actions.md") if "jobs:" in b]
    for number, block in enumerate(blocks):
        (workflows / f"w{number}.yml").write_text(block)
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    proc = run([tool("zizmor"), "--offline", "--min-severity", "medium", "--format", "json",
                "action.yml", ".github/workflows"], tmp_path, check=False)
    findings = json.loads(proc.stdout or "[]")
    left = []
    for finding in findings:
        spans = [loc["concrete"]["feature"] for loc in finding["locations"]]
        ours = finding["ident"] == "unpinned-uses" and all(
            "your-org/zexa-campaigns@" in span for span in spans)
        if not ours:
            left.append((finding["ident"], spans))
    assert left == []


# -- the editor schema ---------------------------------------------------------------------------


def test_the_committed_editor_schema_is_what_campaigns_schema_prints(tmp_path: Path) -> None:
    out = tmp_path / "campaigns.schema.json"
    run([sys.executable, "-m", "reconciler", "schema", "--output", str(out)], tmp_path)
    assert out.read_text() == (ROOT / "schemas" / "campaigns.schema.json").read_text()
    schema = json.loads(out.read_text())
    assert schema["$id"].startswith("https://")
    assert schema["$defs"]["campaign"]["properties"]["name"]["examples"]


def test_a_generic_validator_agrees_with_the_tool_on_the_examples(tmp_path: Path) -> None:
    schema = ROOT / "schemas" / "campaigns.schema.json"
    examples = sorted(str(p) for p in EXAMPLES.rglob("*.yaml"))
    run([tool("check-jsonschema"), "--schemafile", str(schema), *examples], tmp_path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("defaults:\n  channel: sms\n  contact_list_id: lst_a\n  sender_id: B\n"
                      "campaigns:\n  - name: A\n    body: x\n  - name: B\n    channel: fax\n"
                      "    body: y\n")
    proc = run([tool("check-jsonschema"), "--schemafile", str(schema), str(broken)],
               tmp_path, check=False)
    assert proc.returncode == 1 and "fax" in proc.stdout
    tool_says = run([sys.executable, "-m", "reconciler", "validate", str(broken)], tmp_path,
                    check=False)
    assert tool_says.returncode == 1 and "'fax' is not one of" in tool_says.stdout


# -- pre-commit itself ------------------------------------------------------------------


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                "-c", "init.defaultBranch=main", *args], cwd, check=check)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A clone of this repository with the working tree committed, for `repo:` to name."""
    clone = tmp_path_factory.mktemp("hook") / "zexa-campaigns"
    shutil.copytree(ROOT, clone, ignore=shutil.ignore_patterns(
        ".git", "*.egg-info", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
        "build", "dist"))
    git(clone, "init", "-q")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "hook")
    return clone, git(clone, "rev-parse", "HEAD").stdout.strip()


def test_pre_commit_runs_the_hook_on_a_custom_folder(hook_repo: tuple[Path, str],
                                                    tmp_path: Path) -> None:
    clone, rev = hook_repo
    project = tmp_path / "project"
    (project / "marketing" / "campaigns").mkdir(parents=True)
    git(project, "init", "-q")
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {clone}\n    rev: {rev}\n    hooks:\n"
        "      - id: campaigns-validate\n        args: [marketing/campaigns]\n")
    good = (EXAMPLES / "weekend-sale.yaml").read_text()
    (project / "marketing" / "campaigns" / "sale.yaml").write_text(good)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "cache"), "GITHUB_ACTIONS": ""}
    git(project, "add", "-A")
    passed = run([tool("pre-commit"), "run"], project, env, check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Validate Zexa campaign definitions" in passed.stdout and "Passed" in passed.stdout
    (project / "marketing" / "campaigns" / "sale.yaml").write_text(
        good.replace("channel: sms", "channel: fax"))
    git(project, "add", "-A")
    failed = run([tool("pre-commit"), "run"], project, env, check=False)
    assert failed.returncode == 1
    assert "marketing/campaigns/sale.yaml" in failed.stdout and "'fax'" in failed.stdout
    # A change to the configuration alone runs the hook too.
    (project / "marketing" / "campaigns" / "sale.yaml").write_text(good)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "good", "--no-verify")
    (project / ".campaigns.yaml").write_text("checks:\n  disable: [no-such-check]\n")
    git(project, "add", ".campaigns.yaml")
    config = run([tool("pre-commit"), "run"], project, env, check=False)
    assert config.returncode == 1 and "no-such-check" in config.stdout


# -- the action's scripts ----------------------------------------------------------------


FAKE_GH = r'''#!/usr/bin/env python3
"""A stand-in for `gh api` that keeps a pull request's comments in a JSON file."""
import json, os, sys
store = os.environ["FAKE_GH_STORE"]
comments = json.load(open(store)) if os.path.exists(store) else []
args = sys.argv[1:]
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(" ".join(args) + "\n")
method = args[args.index("--method") + 1] if "--method" in args else "GET"
path = [a for a in args[1:] if not a.startswith("-") and a not in (method,) and "=" not in a][0]
if path == "user":
    login = os.environ.get("FAKE_GH_USER")
    if not login:
        print("gh: Resource not accessible by integration (HTTP 403)", file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"login": login}))
    sys.exit(0)
if method == "GET":
    # --paginate prints one array a page, back to back
    print(json.dumps(comments[:2]) + json.dumps(comments[2:]))
    sys.exit(0)
if os.environ.get("FAKE_GH_READONLY"):
    print("gh: Resource not accessible by integration (HTTP 403)", file=sys.stderr)
    sys.exit(1)
body = open(args[args.index("-F") + 1].split("=@", 1)[1]).read()
if method == "PATCH":
    cid = int(path.rsplit("/", 1)[1])
    for c in comments:
        if c["id"] == cid:
            c["body"] = body
else:
    comments.append({"id": 100 + len(comments), "body": body,
                     "user": {"login": os.environ.get("FAKE_GH_ACTOR", "github-actions[bot]")}})
json.dump(comments, open(store, "w"))
'''


@pytest.fixture
def fake_gh(tmp_path: Path):  # type: ignore[no-untyped-def]
    gh = tmp_path / "bin" / "gh"
    gh.parent.mkdir()
    gh.write_text(FAKE_GH)
    gh.chmod(0o755)
    store = tmp_path / "comments.json"

    def comment(comments: list[dict[str, Any]], **env: str) -> tuple[list[dict[str, Any]], str]:
        store.write_text(json.dumps(comments))
        (tmp_path / "plan.md").write_text(MARKER_LINE + " v2")
        proc = run([str(ROOT / "ci" / "github-comment.sh"), "plan.md"], tmp_path, {
            "PATH": f"{gh.parent}{os.pathsep}{os.environ['PATH']}",
            "FAKE_GH_STORE": str(store), "FAKE_GH_LOG": str(tmp_path / "calls"),
            "GITHUB_REPOSITORY": "acme/shop", "PR_NUMBER": "7", "GH_TOKEN": "t", **env})
        return json.loads(store.read_text()), proc.stdout

    return comment


def by(login: str, body: str, cid: int) -> dict[str, Any]:
    return {"id": cid, "body": body, "user": {"login": login}}


def test_the_comment_is_posted_when_there_is_none(fake_gh) -> None:
    comments, out = fake_gh([by("alice", "LGTM", 1)])
    assert [c["body"] for c in comments] == ["LGTM", MARKER_LINE + " v2"]
    assert comments[1]["user"]["login"] == "github-actions[bot]"
    assert "Posted the plan comment." in out


def test_our_comment_is_updated_in_place_even_on_a_later_page(fake_gh) -> None:
    existing = [by("alice", "x", 1), by("bob", "y", 2), by("github-actions[bot]", MARKER_LINE, 3)]
    comments, out = fake_gh(existing)
    assert len(comments) == 3 and comments[2]["body"] == MARKER_LINE + " v2"
    assert "Updated the plan comment (3)." in out


def test_a_comment_by_someone_else_that_starts_with_the_marker_is_never_edited(
    fake_gh
) -> None:
    forged = MARKER_LINE + "\nall good, merge it"
    comments, _ = fake_gh([by("mallory", forged, 1)])
    assert comments[0]["body"] == forged
    assert comments[1]["body"] == MARKER_LINE + " v2"


def test_a_personal_token_is_recognised_as_its_user(fake_gh) -> None:
    comments, _ = fake_gh([by("github-actions[bot]", MARKER_LINE, 1),
                           by("deploy-bot", MARKER_LINE, 2)],
                          FAKE_GH_USER="deploy-bot", FAKE_GH_ACTOR="deploy-bot")
    assert [c["body"] for c in comments] == [MARKER_LINE, MARKER_LINE + " v2"]


def test_each_environment_keeps_its_own_comment(fake_gh, tmp_path: Path) -> None:
    staging = "<!-- zexa-campaigns-plan:staging -->\nstaging plan"
    comments, _ = fake_gh([by("github-actions[bot]", staging, 1)])
    assert [c["body"] for c in comments] == [staging, MARKER_LINE + " v2"]


def test_a_read_only_token_is_a_warning_not_a_failure(fake_gh) -> None:
    comments, out = fake_gh([], FAKE_GH_READONLY="1")
    assert comments == []
    assert "::warning::Could not comment on the pull request" in out


FAKE_CAMPAIGNS = """#!/usr/bin/env bash
printf '%s\\n' "$@" > "$ARGS_LOG"
exit "${FAKE_EXIT:-0}"
"""


def run_script(tmp_path: Path, **env: str) -> tuple[dict[str, str], list[str], str]:
    fake = tmp_path / "fakebin" / "campaigns"
    fake.parent.mkdir(exist_ok=True)
    fake.write_text(FAKE_CAMPAIGNS)
    fake.chmod(0o755)
    outputs = tmp_path / "outputs"
    outputs.unlink(missing_ok=True)
    proc = run([str(ROOT / "ci" / "github-run.sh")], tmp_path, {
        "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}", "GITHUB_OUTPUT": str(outputs),
        "RUNNER_TEMP": str(tmp_path), "ARGS_LOG": str(tmp_path / "args"), **env})
    recorded = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return recorded, (tmp_path / "args").read_text().splitlines(), proc.stdout


@pytest.mark.parametrize(("code", "fails"), [(0, False), (2, False), (1, True), (130, True),
                                             (137, True)])
def test_the_action_fails_on_every_exit_code_but_0_and_2(tmp_path: Path, code: int,
                                                        fails: bool) -> None:
    recorded, _, _ = run_script(tmp_path, INPUT_COMMAND="apply", FAKE_EXIT=str(code))
    assert recorded["exitcode"] == str(code)
    (last,) = [s for s in yaml.safe_load((ROOT / "action.yml").read_text())["runs"]["steps"]
               if s.get("name", "").startswith("Fail")]
    condition = last["if"]
    assert condition == ("always() && steps.run.outputs.exitcode != '0' "
                         "&& steps.run.outputs.exitcode != '2'")
    assert (recorded["exitcode"] not in ("0", "2")) is fails


def test_args_take_one_argument_per_line(tmp_path: Path) -> None:
    _, args, _ = run_script(tmp_path, INPUT_COMMAND="apply",
                            INPUT_PATHS="campaigns\n  more campaigns \n",
                            INPUT_ARGS="--target\nWeekend Sale\n\n--max-creates\n50")
    assert args == ["apply", "campaigns", "more campaigns", "--auto-approve", "--target",
                    "Weekend Sale", "--max-creates", "50"]


def test_a_fork_pull_request_without_a_key_validates_instead_of_planning(
    tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    recorded, args, out = run_script(tmp_path, INPUT_COMMAND="plan", PR_FROM_FORK="true",
                                     ZEXA_API_KEY="", GITHUB_STEP_SUMMARY=str(summary))
    assert args[0] == "validate" and recorded["exitcode"] == "0"
    assert "::notice::No API key on this pull request" in out
    assert "no plan was made" in summary.read_text()


def test_the_fork_fallback_passes_validate_only_the_options_it_takes(tmp_path: Path) -> None:
    _, args, _ = run_script(
        tmp_path, INPUT_COMMAND="plan", PR_FROM_FORK="true", ZEXA_API_KEY="",
        INPUT_ARGS="--env\nstaging\n--target\nWeekend Sale\n--out\nplan.json\n"
                   "--config=ci.yaml\n--show-unmanaged\n--lock-timeout=5")
    assert args == ["validate", "campaigns", "--format", "github", "--env", "staging",
                    "--config=ci.yaml"]


def test_the_fork_fallback_checks_that_environments_aliases(tmp_path: Path) -> None:
    """With the real tool: the documented matrix's `--env staging` reaches validate."""
    folder = tmp_path / "campaigns"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "name: A\nchannel: sms\ncontact_list: customers\nsender_id: MYBRAND\n"
        "body: \"Hi. Reply STOP to opt out.\"\nscheduled_at: 2099-01-01T09:00:00Z\n")
    (tmp_path / ".campaigns.yaml").write_text(
        "environments:\n  staging: {contact_lists: {customers: lst_s}}\n  production: {}\n")
    outputs = tmp_path / "outputs"
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_OUTPUT": str(outputs), "RUNNER_TEMP": str(tmp_path),
           "INPUT_COMMAND": "plan", "PR_FROM_FORK": "true", "ZEXA_API_KEY": ""}
    for name, code in (("staging", "0"), ("production", "1")):
        outputs.unlink(missing_ok=True)
        proc = run([str(ROOT / "ci" / "github-run.sh")], tmp_path,
                   {**env, "INPUT_ARGS": f"--env\n{name}\n--target\nA"})
        recorded = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
        assert recorded["exitcode"] == code, proc.stdout + proc.stderr
    assert "'customers' is not in the `contact_lists:` of environment 'production'" \
        in proc.stdout


def test_a_missing_key_on_a_branch_of_the_repository_still_fails_the_plan(
    tmp_path: Path
) -> None:
    _, args, _ = run_script(tmp_path, INPUT_COMMAND="plan", PR_FROM_FORK="false",
                            ZEXA_API_KEY="")
    assert args[0] == "plan"


def test_annotations_name_files_from_the_repository_root(tmp_path: Path, monkeypatch) -> None:
    from reconciler.diagnostics import Diagnostic, Location
    from reconciler.render.github import annotation

    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.chdir((tmp_path / "sub").mkdir() or tmp_path / "sub")
    line = annotation(Diagnostic(Location("campaigns/a.yaml", 3, 7), "bad", field="name"))
    assert line.startswith("::error file=sub/campaigns/a.yaml,line=3,col=7,")


# -- pushing the state back -----------------------------------------------------------------------


def state_doc(entries: dict[str, str], serial: int = 1) -> str:
    campaigns = {name: {"id": cid, "channel": "sms", "digest": "sha256:" + "0" * 64,
                        "origin": "created",
                        "at": "2030-01-01T00:00:00Z", "file": "c.yaml"}
                 for name, cid in entries.items()}
    doc = {"version": 1, "lineage": "lin", "serial": serial, "api_url": "sandbox",
           "campaigns": campaigns}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


@pytest.fixture
def remote(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A bare `origin` with a state file on main, and a function that clones it."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(origin), str(seed))
    (seed / "campaigns.state.json").write_text(state_doc({"Base": "cmp_base"}))
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "base")
    git(seed, "push", "-q", "origin", "HEAD:main")

    def clone(name: str) -> Path:
        path = tmp_path / name
        git(tmp_path, "clone", "-q", "-b", "main", str(origin), str(path))
        return path

    return origin, clone


def commit_state(clone: Path) -> subprocess.CompletedProcess[str]:
    return run(["bash", str(ROOT / "ci" / "commit-state.sh")], clone,
               {"PUSH_ATTEMPTS": "3", "GIT_AUTHOR_NAME": "ci", "GIT_AUTHOR_EMAIL": "c@i",
                "GIT_COMMITTER_NAME": "ci", "GIT_COMMITTER_EMAIL": "c@i"}, check=False)


def test_two_applies_racing_to_push_both_keep_their_ids(remote) -> None:
    _, clone = remote
    first, second = clone("first"), clone("second")
    (first / "campaigns.state.json").write_text(
        state_doc({"Base": "cmp_base", "A": "cmp_a"}, 2))
    (second / "campaigns.state.json").write_text(
        state_doc({"Base": "cmp_base", "B": "cmp_b"}, 2))
    (second / "campaigns.state.json.journal").write_text('{"op": "intent"}\n')
    assert commit_state(first).returncode == 0
    pushed = commit_state(second)  # refused, rebased with the merge driver, pushed
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert "rebasing onto origin/main" in pushed.stdout
    final = clone("final")
    ids = {n: e["id"] for n, e in json.loads(
        (final / "campaigns.state.json").read_text())["campaigns"].items()}
    assert ids == {"Base": "cmp_base", "A": "cmp_a", "B": "cmp_b"}
    assert (final / "campaigns.state.json.journal").exists()  # an unfinished apply's intents


def test_nothing_to_commit_is_a_success(remote) -> None:
    _, clone = remote
    proc = commit_state(clone("idle"))
    assert proc.returncode == 0 and "nothing to commit" in proc.stdout


def test_the_gitlab_apply_script_commits_inside_script_and_fails_when_the_push_fails(
    remote, tmp_path: Path
) -> None:
    _, clone = remote
    pipeline = next(yaml.safe_load(b) for b in yaml_blocks(DOCS / "gitlab-ci.md")
                    if "stages:" in b)
    script = "\n".join(pipeline["campaigns-apply"]["script"])
    fake = tmp_path / "fakebin" / "campaigns"
    fake.parent.mkdir()
    fake.write_text("#!/usr/bin/env bash\n"
                    "if [ \"$1 $2\" = 'state merge' ]; then exec " + sys.executable +
                    " -m reconciler \"$@\"; fi\n"
                    "cp \"$NEW_STATE\" campaigns.state.json\nexit \"${FAKE_EXIT:-0}\"\n")
    fake.chmod(0o755)
    (tmp_path / "new.json").write_text(state_doc({"Base": "cmp_base", "G": "cmp_g"}, 2))
    job = clone("job")
    env = {"PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}", "CI_COMMIT_BRANCH": "main",
           "NEW_STATE": str(tmp_path / "new.json"), "FAKE_EXIT": "1",
           "CAMPAIGNS_GITLAB_TOKEN": "t", "CI_SERVER_HOST": "gitlab.invalid",
           "CI_PROJECT_PATH": "g/p"}
    # The push goes nowhere (a remote that does not exist): the job must fail, not stay
    # green, and say where the IDs are.
    unreachable = script.replace(
        '"https://oauth2:${CAMPAIGNS_GITLAB_TOKEN}@${CI_SERVER_HOST}/${CI_PROJECT_PATH}.git"',
        f'"{tmp_path / "no-such-remote.git"}"')
    assert unreachable != script
    proc = run(["bash", "-ec", unreachable], job, env, check=False)
    assert proc.returncode == 1
    assert "Could not push the state" in proc.stdout + proc.stderr
    # With the real origin, the apply's own exit code (1) is the job's, after the push.
    script = script.replace('git remote set-url origin "https://oauth2:${CAMPAIGNS_GITLAB_TOKEN}'
                            '@${CI_SERVER_HOST}/${CI_PROJECT_PATH}.git"', "true")
    job2 = clone("job2")
    proc = run(["bash", "-ec", script], job2, env, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    final = clone("after")
    assert "cmp_g" in (final / "campaigns.state.json").read_text()


# -- the merge-request note -----------------------------------------------------------------------


class FakeGitLab(BaseHTTPRequestHandler):
    notes: ClassVar[list[dict[str, Any]]] = []
    me = "project_7_bot"

    def _reply(self, doc: Any) -> None:
        body = json.dumps(doc).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.endswith("/user"):
            return self._reply({"username": self.me})
        page = int(re.search(r"[?&]page=(\d+)", self.path).group(1))  # type: ignore[union-attr]
        return self._reply(self.notes[(page - 1) * 100: page * 100])

    def _body(self) -> str:
        return str(json.loads(self.rfile.read(int(self.headers["Content-Length"])))["body"])

    def do_POST(self) -> None:
        self.notes.append({"id": 1000 + len(self.notes), "body": self._body(),
                           "author": {"username": self.me}})
        self._reply(self.notes[-1])

    def do_PUT(self) -> None:
        cid = int(self.path.rsplit("/", 1)[1])
        note = next(n for n in self.notes if n["id"] == cid)
        note["body"] = self._body()
        self._reply(note)

    def log_message(self, *args: object) -> None:
        pass


def gitlab_note_script() -> str:
    pipeline = next(yaml.safe_load(b) for b in yaml_blocks(DOCS / "gitlab-ci.md")
                    if "stages:" in b)
    script = "\n".join(pipeline["campaigns-plan"]["script"])
    return script.split("<<'NOTE'\n", 1)[1].split("\nNOTE", 1)[0]


def test_the_gitlab_note_is_found_by_marker_and_author_and_updated_in_place(
    tmp_path: Path
) -> None:
    others = [{"id": i, "body": f"note {i}", "author": {"username": "dev"}} for i in range(150)]
    forged = {"id": 500, "body": MARKER_LINE, "author": {"username": "mallory"}}
    ours = {"id": 501, "body": MARKER_LINE + " v1", "author": {"username": "project_7_bot"}}
    FakeGitLab.notes = [*others, forged, ours]
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitLab)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (tmp_path / "note.py").write_text(gitlab_note_script())
        (tmp_path / "plan.md").write_text(MARKER_LINE + " v2")
        env = {"CI_API_V4_URL": f"http://127.0.0.1:{server.server_port}/api/v4",
               "CI_PROJECT_ID": "7", "CI_MERGE_REQUEST_IID": "3",
               "CAMPAIGNS_GITLAB_TOKEN": "t"}
        run([sys.executable, "note.py", "plan.md"], tmp_path, env)
        assert ours["body"] == MARKER_LINE + " v2" and forged["body"] == MARKER_LINE
        assert len(FakeGitLab.notes) == 152
        FakeGitLab.notes.remove(ours)
        run([sys.executable, "note.py", "plan.md"], tmp_path, env)
        assert len(FakeGitLab.notes) == 152 and FakeGitLab.notes[-1]["body"] == MARKER_LINE + " v2"
    finally:
        server.shutdown()


# -- every YAML block of the documentation ---------------------------------------------------------


def test_every_yaml_block_in_the_docs_is_valid_for_what_it_is(tmp_path: Path) -> None:
    """Campaign files pass `campaigns validate`; configuration snippets load without a
    problem; pipelines are the CI providers' (checked above); a pre-commit config names
    this repository's hook."""
    from reconciler.config import load_settings

    kinds: dict[str, int] = {}
    for page in sorted(DOCS.glob("*.md")):
        for number, block in enumerate(yaml_blocks(page)):
            doc = yaml.safe_load(block)
            where = f"{page.name} block {number}"
            if not isinstance(doc, dict):
                assert block.strip().startswith("# yaml-language-server:"), where
                kind = "modeline"
            elif "jobs" in doc or "stages" in doc or "campaigns-plan" in doc:
                kind = "pipeline"
            elif "repos" in doc:
                (hook,) = doc["repos"][0]["hooks"]
                assert hook["id"] == "campaigns-validate", where
                kind = "pre-commit"
            elif "name" in doc or "campaigns" in doc:
                path = tmp_path / f"{page.stem}-{number}.yaml"
                path.write_text(block)
                proc = run([sys.executable, "-m", "reconciler", "validate", str(path)],
                           tmp_path, {"GITHUB_ACTIONS": ""}, check=False)
                assert proc.returncode == 0, (where, proc.stdout)
                kind = "definitions"
            else:
                config = tmp_path / f"{page.stem}-{number}.campaigns.yaml"
                config.write_text(block)
                _, problems = load_settings(str(config))
                assert problems == [], (where, [d.text() for d in problems])
                kind = "configuration"
            kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds.get("definitions", 0) >= 2 and kinds.get("configuration", 0) >= 2
    assert kinds.get("pipeline", 0) == 6 and kinds.get("pre-commit") == 1

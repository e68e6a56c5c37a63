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
from pathlib import Path

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
    return re.findall(r"```yaml\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **(env or {})}
    proc = subprocess.run(args, cwd=cwd, env=full, capture_output=True, text=True, encoding="utf-8")
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


# -- the published schemas and zizmor ------------------------------------------------------


@pytest.mark.parametrize(("doc", "schema", "count"), [
    ("gitlab-ci.md", "vendor.gitlab-ci", 2),
    ("github-actions.md", "vendor.github-workflows", 5),
])
def test_every_documented_pipeline_passes_the_ci_providers_schema(
    tmp_path: Path, doc: str, schema: str, count: int
) -> None:
    blocks = [b for b in yaml_blocks(DOCS / doc) if "jobs:" in b or "stages:" in b]
    assert len(blocks) == count
    files = []
    for number, block in enumerate(blocks):
        files.append(str(tmp_path / f"pipeline-{number}.yml"))
        Path(files[-1]).write_text(block, encoding="utf-8")
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
        (workflows / f"w{number}.yml").write_text(block, encoding="utf-8")
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


# -- the project's own workflow ------------------------------------------------------------

WORKFLOW = ROOT / ".github" / "workflows" / "tests.yml"


def test_the_projects_workflow_passes_githubs_schema_and_zizmor(tmp_path: Path) -> None:
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
         str(WORKFLOW)], tmp_path)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(WORKFLOW, tmp_path / ".github" / "workflows" / "tests.yml")
    proc = run([tool("zizmor"), "--offline", "--format", "json", ".github/workflows"],
               tmp_path, check=False)
    assert [f["ident"] for f in json.loads(proc.stdout or "[]")] == [], proc.stderr


def test_the_workflow_runs_the_readmes_commands_where_the_readme_says() -> None:
    """The README's two commands, as written, on the platforms and Pythons it names."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [block.strip() for block in re.findall(r"```sh\n(.*?)```", quick_start, re.S)]
    job = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["tests"]
    runs = [step.get("run", "").strip() for step in job["steps"]]
    assert len(commands) == 2 and all(command in runs for command in commands)
    matrix = job["strategy"]["matrix"]
    assert matrix["os"] == ["ubuntu-latest", "macos-latest", "windows-latest"]
    oldest = re.search(r'requires-python = ">=(3\.\d+)"',
                       (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert oldest and matrix["python"][0] == oldest.group(1)
    platforms = " ".join(readme.split("Platforms:", 1)[1].split("\n\n", 1)[0].split())
    assert "macOS and Windows in the workflow" in platforms
    assert ("on Linux, macOS and Windows with Python " + " and ".join(matrix["python"])
            in platforms)


# -- the editor schema ---------------------------------------------------------------------------


def test_the_committed_editor_schema_is_what_campaigns_schema_prints(tmp_path: Path) -> None:
    out = tmp_path / "campaigns.schema.json"
    run([sys.executable, "-m", "reconciler", "schema", "--output", str(out)], tmp_path)
    committed = ROOT / "schemas" / "campaigns.schema.json"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema["$id"].startswith("https://")
    assert schema["$defs"]["campaign"]["properties"]["name"]["examples"]


def test_a_generic_validator_agrees_with_the_tool_on_the_examples(tmp_path: Path) -> None:
    schema = ROOT / "schemas" / "campaigns.schema.json"
    examples = sorted(str(p) for p in EXAMPLES.rglob("*.yaml"))
    run([tool("check-jsonschema"), "--schemafile", str(schema), *examples], tmp_path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("defaults:\n  channel: sms\n  contact_list_id: lst_a\n  sender_id: B\n"
                      "campaigns:\n  - name: A\n    body: x\n  - name: B\n    channel: fax\n"
                      "    body: y\n", encoding="utf-8")
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
        "      - id: campaigns-validate\n        args: [marketing/campaigns]\n", encoding="utf-8")
    good = (EXAMPLES / "weekend-sale.yaml").read_text(encoding="utf-8")
    (project / "marketing" / "campaigns" / "sale.yaml").write_text(good, encoding="utf-8")
    env = {"PRE_COMMIT_HOME": str(tmp_path / "cache"), "GITHUB_ACTIONS": ""}
    git(project, "add", "-A")
    passed = run([tool("pre-commit"), "run"], project, env, check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Validate Zexa campaign definitions" in passed.stdout and "Passed" in passed.stdout
    (project / "marketing" / "campaigns" / "sale.yaml").write_text(
        good.replace("channel: sms", "channel: fax"), encoding="utf-8")
    git(project, "add", "-A")
    failed = run([tool("pre-commit"), "run"], project, env, check=False)
    assert failed.returncode == 1
    assert "marketing/campaigns/sale.yaml" in failed.stdout and "'fax'" in failed.stdout
    # A change to the configuration alone runs the hook too.
    (project / "marketing" / "campaigns" / "sale.yaml").write_text(good, encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "good", "--no-verify")
    (project / ".campaigns.yaml").write_text("checks:\n  disable: [no-such-check]\n",
                                             encoding="utf-8")
    git(project, "add", ".campaigns.yaml")
    config = run([tool("pre-commit"), "run"], project, env, check=False)
    assert config.returncode == 1 and "no-such-check" in config.stdout


# -- the action's scripts ----------------------------------------------------------------


def action(tmp_path: Path, **env: str) -> tuple[dict[str, str], str]:
    """`campaigns ci action` as the action runs it: its outputs and its log."""
    outputs = tmp_path / "outputs"
    outputs.unlink(missing_ok=True)
    proc = run([sys.executable, "-m", "reconciler", "ci", "action"], tmp_path, {
        "GITHUB_OUTPUT": str(outputs), "RUNNER_TEMP": str(tmp_path), "GITHUB_ACTIONS": "true",
        **env}, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # the last step decides the job
    recorded = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines())
    return recorded, proc.stdout + proc.stderr


def test_the_action_fails_on_every_exit_code_but_0_and_2(tmp_path: Path) -> None:
    from reconciler.ci.action import outputs

    (last,) = [s for s in yaml.safe_load((ROOT / "action.yml").read_text(
        encoding="utf-8"))["runs"]["steps"]
               if s.get("name", "").startswith("Fail")]
    assert last["if"] == ("always() && steps.run.outputs.exitcode != '0' "
                          "&& steps.run.outputs.exitcode != '2'")
    for code, changes in ((0, "false"), (2, "true"), (1, "false"), (130, "false")):
        assert outputs(code, None) == [f"exitcode={code}", f"has-changes={changes}"]
    # Through the real tool: invalid definitions exit 1, which the last step fails on.
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "bad.yaml").write_text("name: x\n", encoding="utf-8")
    recorded, out = action(tmp_path, INPUT_COMMAND="validate")
    assert recorded["exitcode"] == "1" and "::error file=campaigns/bad.yaml" in out


def test_args_take_one_argument_per_line(tmp_path: Path) -> None:
    from reconciler.ci.action import step

    planned = step({"INPUT_COMMAND": "apply", "INPUT_PATHS": "campaigns\n  more campaigns \n",
                    "INPUT_ARGS": "--target\nWeekend Sale\n\n--max-creates\n50"}, tmp_path)
    assert planned.argv == ["apply", "campaigns", "more campaigns", "--auto-approve",
                            "--markdown-out", str(tmp_path / "campaigns-apply.md"), "--target",
                            "Weekend Sale", "--max-creates", "50"]


def test_a_fork_pull_request_without_a_key_validates_instead_of_planning(
    tmp_path: Path
) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "campaigns")
    summary = tmp_path / "summary.md"
    recorded, out = action(tmp_path, INPUT_COMMAND="plan", PR_FROM_FORK="true",
                           ZEXA_API_KEY="", GITHUB_STEP_SUMMARY=str(summary))
    assert recorded["exitcode"] == "0" and "markdown" not in recorded
    assert "::notice::No API key on this pull request" in out
    assert "no plan was made" in summary.read_text(encoding="utf-8")


def test_the_fork_fallback_passes_validate_only_the_options_it_takes(tmp_path: Path) -> None:
    from reconciler.ci.action import step

    planned = step({"INPUT_COMMAND": "plan", "PR_FROM_FORK": "true", "INPUT_ARGS":
                    "--env\nstaging\n--target\nWeekend Sale\n--out\nplan.json\n"
                    "--config=ci.yaml\n--show-unmanaged\n--lock-timeout=5"}, tmp_path)
    assert planned.argv == ["validate", "campaigns", "--format", "github", "--env", "staging",
                            "--config=ci.yaml"]


def test_the_fork_fallback_checks_that_environments_aliases(tmp_path: Path) -> None:
    """With the real tool: the documented matrix's `--env staging` reaches validate."""
    folder = tmp_path / "campaigns"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "name: A\nchannel: sms\ncontact_list: customers\nsender_id: MYBRAND\n"
        "body: \"Hi. Reply STOP to opt out.\"\nscheduled_at: 2099-01-01T09:00:00Z\n",
        encoding="utf-8")
    (tmp_path / ".campaigns.yaml").write_text(
        "environments:\n  staging: {contact_lists: {customers: lst_s}}\n  production: {}\n",
        encoding="utf-8")
    for name, code in (("staging", "0"), ("production", "1")):
        recorded, out = action(tmp_path, INPUT_COMMAND="plan", PR_FROM_FORK="true",
                               ZEXA_API_KEY="", INPUT_ARGS=f"--env\n{name}\n--target\nA")
        assert recorded["exitcode"] == code, out
    assert "'customers' is not in the `contact_lists:` of environment 'production'" in out


def test_a_missing_key_on_a_branch_of_the_repository_still_fails_the_plan(
    tmp_path: Path
) -> None:
    from reconciler.ci.action import step

    planned = step({"INPUT_COMMAND": "plan", "PR_FROM_FORK": "false"}, tmp_path)
    assert planned.argv[0] == "plan"
    shutil.copytree(EXAMPLES, tmp_path / "campaigns")
    recorded, out = action(tmp_path, INPUT_COMMAND="plan", PR_FROM_FORK="false",
                           ZEXA_API_KEY="")
    assert recorded["exitcode"] == "1" and "no API key" in out


def test_annotations_name_files_from_the_repository_root(tmp_path: Path, monkeypatch) -> None:
    from reconciler.diagnostics import Diagnostic, Location
    from reconciler.render.github import annotation

    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.chdir((tmp_path / "sub").mkdir() or tmp_path / "sub")
    line = annotation(Diagnostic(Location("campaigns/a.yaml", 3, 7), "bad", field="name"))
    assert line.startswith("::error file=sub/campaigns/a.yaml,line=3,col=7,")


# -- every YAML block of the documentation ---------------------------------------------------------


def test_every_yaml_block_in_the_docs_is_valid_for_what_it_is(tmp_path: Path) -> None:
    """Campaign files pass `campaigns validate`; configuration snippets load without a
    problem; pipelines are the CI providers' (checked above); a pre-commit config names
    this repository's hook."""
    from reconciler.config import load_settings

    kinds: dict[str, int] = {}
    for page in sorted(DOCS.glob("*.md")):
        # Definitions that name lists by alias are checked with the page's configuration.
        aliases = [b for b in yaml_blocks(page) if isinstance(yaml.safe_load(b), dict)
                   and {"contact_lists", "senders"} & set(yaml.safe_load(b))]
        page_config = tmp_path / f"{page.stem}.aliases.yaml"
        if aliases:
            page_config.write_text(aliases[0], encoding="utf-8")
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
                path.write_text(block, encoding="utf-8")
                config = ["--config", str(page_config)] if aliases else []
                proc = run([sys.executable, "-m", "reconciler", "validate", str(path), *config],
                           tmp_path, {"GITHUB_ACTIONS": ""}, check=False)
                if "an error on purpose" in block:  # a page showing the checks' findings
                    assert proc.returncode == 1 and ": error: " in proc.stdout, where
                else:
                    assert proc.returncode == 0, (where, proc.stdout)
                kind = "definitions"
            else:
                config = tmp_path / f"{page.stem}-{number}.campaigns.yaml"
                config.write_text(block, encoding="utf-8")
                _, problems = load_settings(str(config))
                assert problems == [], (where, [d.text() for d in problems])
                kind = "configuration"
            kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds.get("definitions", 0) >= 2 and kinds.get("configuration", 0) >= 2
    assert kinds.get("pipeline", 0) == 7 and kinds.get("pre-commit") == 1

"""The GitHub Action, the pre-commit hook, the CI documentation and the GitLab report."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT
from golden import check_golden

from reconciler.diagnostics import Diagnostic, Location, Severity
from reconciler.render.gitlab import report
from reconciler.render.plan import MARKER

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
DOCS = ROOT / "docs"


def yaml_blocks(path: Path) -> list[dict[str, object]]:
    blocks = re.findall(r"```yaml\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)
    return [yaml.safe_load(b) for b in blocks]


def expressions(text: str) -> set[str]:
    return set(re.findall(r"\$\{\{\s*(.*?)\s*\}\}", text))


def test_the_action_references_only_inputs_and_steps_it_defines() -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    inputs = set(ACTION["inputs"])
    used = {m for e in expressions(text) for m in re.findall(r"inputs\.([\w-]+)", e)}
    used |= set(re.findall(r"inputs\.([\w-]+)", text))
    assert used and used <= inputs, used - inputs
    step_ids = {s.get("id") for s in ACTION["runs"]["steps"]}
    referenced = set(re.findall(r"steps\.([\w-]+)\.outputs", text))
    assert referenced <= step_ids
    assert "$GITHUB_ACTION_PATH/" not in text.replace('"$GITHUB_ACTION_PATH"', "")  # no scripts
    from reconciler.cli.ci_cmd import ci_group

    called = set(re.findall(r"campaigns ci ([\w-]+)", text))
    assert called == {"action", "comment", "commit-state"} and called <= set(ci_group.commands)
    for step in ACTION["runs"]["steps"]:  # inputs reach scripts through `env:` only
        assert "${{" not in step.get("run", ""), step.get("name")


def test_documented_workflows_parse_and_pass_only_existing_inputs() -> None:
    workflows = [b for b in yaml_blocks(DOCS / "github-actions.md") if "jobs" in b]
    assert len(workflows) == 5
    assert workflows[0]["concurrency"]["group"].endswith("${{ github.event.pull_request.number }}")
    triggers = [w.get("on", w.get(True)) for w in workflows]  # YAML 1.1 reads `on` as True
    assert "pull_request_target" not in triggers[0]
    assert "pull_request" in triggers[0] and "push" in triggers[1]
    apply_job = workflows[1]["jobs"]["apply"]
    assert workflows[1]["concurrency"]["cancel-in-progress"] is False
    assert apply_job["environment"] == "production"
    staged = workflows[3]["jobs"]  # staging, then production after an approval
    assert staged["production"]["needs"] == "staging"
    assert staged["production"]["environment"] == "production"
    assert workflows[2]["jobs"]["plan"]["strategy"]["matrix"]["environment"] == [
        "staging", "production"]
    for workflow in workflows:
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if "zexa-campaigns" in str(step.get("uses", "")):
                    assert set(step.get("with", {})) <= set(ACTION["inputs"])
                    assert all(v.startswith("${{ secrets.") for v in step["env"].values())


def test_documented_gitlab_pipeline_parses_and_reports_code_quality() -> None:
    pipeline = next(b for b in yaml_blocks(DOCS / "gitlab-ci.md") if "stages" in b)
    plan, apply = pipeline["campaigns-plan"], pipeline["campaigns-apply"]
    assert plan["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "--format gitlab" in " ".join(plan["script"])
    assert "--auto-approve" in " ".join(apply["script"])
    assert apply["resource_group"]
    assert "after_script" not in apply  # a failure there would not fail the job
    assert "slim" not in pipeline["default"]["image"]  # the image needs git
    assert "git+" in " ".join(pipeline["default"]["before_script"])


def test_pre_commit_hook_runs_on_any_yaml_and_on_the_configuration() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "campaigns-validate" and hook["language"] == "python"
    pattern = re.compile(hook["files"])
    for path in ("campaigns/sale.yaml", "marketing/campaigns/a/b.yml", ".campaigns.yaml",
                 "pyproject.toml", "sub/pyproject.toml"):
        assert pattern.search(path), path
    assert not pattern.search("README.md") and not pattern.search("src/app.py")
    assert hook["pass_filenames"] is False
    assert hook["entry"].split() == ["campaigns", "validate"]


@pytest.mark.parametrize(("content", "code"), [(None, 0), ("name: A\nchannel: fax\n", 1)])
def test_pre_commit_hook_entry_passes_good_and_fails_bad_definitions(
    tmp_path: Path, content: str | None, code: int
) -> None:
    folder = tmp_path / "campaigns"
    if content is None:
        import shutil

        shutil.copytree(EXAMPLES, folder)
    else:
        folder.mkdir()
        (folder / "bad.yaml").write_text(content, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "reconciler", "validate"], cwd=tmp_path,
                          capture_output=True, text=True,
                          env={**os.environ, "GITHUB_ACTIONS": ""}, encoding="utf-8")
    assert proc.returncode == code, proc.stdout + proc.stderr


def test_the_action_step_plans_and_records_its_outputs(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(EXAMPLES, tmp_path / "campaigns")
    outputs = tmp_path / "outputs"
    env = {**os.environ, "INPUT_COMMAND": "plan", "INPUT_PATHS": "campaigns",
           "INPUT_ARGS": "--sandbox", "GITHUB_OUTPUT": str(outputs),
           "RUNNER_TEMP": str(tmp_path), "GITHUB_ACTIONS": "true",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run([sys.executable, "-m", "reconciler", "ci", "action"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    recorded = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines())
    assert recorded["exitcode"] == "2" and recorded["has-changes"] == "true"
    assert Path(recorded["markdown"]).read_text(encoding="utf-8").startswith(MARKER)
    assert "::error" not in proc.stdout
    assert proc.stdout.strip().endswith("Plan: 6 to create, 0 to adopt, 0 in sync, 0 errors.")


def test_gitlab_report_matches_the_golden_file(monkeypatch: pytest.MonkeyPatch,
                                               request: pytest.FixtureRequest) -> None:
    from reconciler.definitions import load_definitions
    from reconciler.render.gitlab import render

    monkeypatch.chdir(ROOT)
    result = load_definitions(["tests/invalid/bad-default.yaml", "tests/invalid/missing-body.yaml"])
    text = render(result.diagnostics)
    check_golden(request, "gitlab-validate.json", text)


def test_gitlab_fingerprints_are_unique_and_ignore_the_line() -> None:
    def diag(line: int, message: str = "bad") -> Diagnostic:
        return Diagnostic(Location("c.yaml", line, 1), message, field="body")

    first = report([diag(3), diag(9), diag(12, "other")])
    moved = report([diag(5), diag(11), diag(14, "other")])
    assert len({i["fingerprint"] for i in first}) == 3
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in moved]
    warning = report([Diagnostic(Location("c.yaml", 1, 1), "w", severity=Severity.WARNING)])
    assert warning[0]["severity"] == "minor"
    assert json.loads(json.dumps(first))[0]["location"] == {"path": "c.yaml",
                                                            "lines": {"begin": 3}}

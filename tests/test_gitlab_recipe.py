"""The GitLab recipes of docs/gitlab-ci.md, run as written: each job's `script:` (its install
line aside) against sandbox accounts, a bare git origin and a fake of GitLab's REST API."""

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
import yaml
from conftest import ROOT
from e2e import KEY
from fake_forge import TOKEN, FakeForge, env_of

from reconciler.sandbox.account import seed_for
from reconciler.sandbox.app import SandboxApp

BIN = Path(sys.executable).parent
DOC = ROOT / "docs" / "gitlab-ci.md"

# GitLab runs the recipe in a Linux container, under bash.
pytestmark = pytest.mark.posix


def pipelines() -> list[dict[str, Any]]:
    text = DOC.read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```yaml\n")[1:]]
    return [yaml.safe_load(b) for b in blocks if "stages:" in b]


def script_of(pipeline: dict[str, Any], job: str) -> str:
    """The job's script, as GitLab runs it (its `extends:` followed)."""
    definition = pipeline[job]
    while "script" not in definition:
        definition = {**pipeline[definition["extends"]], **definition,
                      "extends": pipeline[definition["extends"]].get("extends")}
    return "\n".join(definition["script"])


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


def run_job(script: str, clone: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1",
            "GITHUB_ACTIONS": "", "CAMPAIGNS_INFLIGHT_GRACE": "0.5", **env}
    for name in ("ZEXA_API_KEY", "CAMPAIGNS_ENV", "PUSH_TOKEN"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=clone, env=full,
                          capture_output=True, text=True, timeout=300, encoding="utf-8")


@pytest.fixture
def gitlab() -> Iterator[FakeForge]:
    server = FakeForge("gitlab", me="project_42_bot")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def repository(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A bare origin; `seed(files)` commits files to main; `clone(name)` is a runner."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))

    def seed(files: dict[str, str]) -> str:
        work = tmp_path / "seed"
        if not work.exists():
            git(tmp_path, "clone", "-q", str(origin), str(work))
        for name, text in files.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_text(text, encoding="utf-8")
        git(work, "add", "-A")
        git(work, "commit", "-q", "-m", "change")
        git(work, "push", "-q", "origin", "HEAD:main")
        return git(work, "rev-parse", "HEAD")

    def clone(name: str) -> Path:
        path = tmp_path / name
        git(tmp_path, "clone", "-q", "-b", "main", str(origin), str(path))
        return path

    return seed, clone


def gitlab_env(server: FakeForge, **extra: str) -> dict[str, str]:
    return {**env_of(server), "CI_MERGE_REQUEST_IID": "7", "CI_PROJECT_DIR": "/tmp", **extra}


def notes(server: FakeForge) -> list[str]:
    return sorted(c["body"].split("\n", 1)[0] for c in server.comments)


CAMPAIGNS = """\
defaults:
  channel: sms
  contact_list_id: lst_customers
  sender_id: MYBRAND
  scheduled_at: 2099-03-01T09:00:00Z
campaigns:
  - name: Spring Sale
    body: "Spring sale. Reply STOP to opt out."
  - name: Summer Sale
    body: "Summer sale. Reply STOP to opt out."
"""


def test_the_gitlab_pipeline_plans_notes_applies_and_pushes_the_state(
    serve, repository, gitlab: FakeForge
) -> None:
    (pipeline, _) = pipelines()
    seed, clone = repository
    account = serve(SandboxApp())
    sha = seed({"campaigns/sales.yaml": CAMPAIGNS})
    gitlab.merged[sha] = 7
    for _ in range(2):  # two pushes to the merge request: one note, updated
        plan = run_job(script_of(pipeline, "campaigns-plan"), clone(f"plan{_}"),
                       gitlab_env(gitlab, ZEXA_PLAN_API_KEY=KEY, ZEXA_API_URL=account.url))
        assert plan.returncode == 0, plan.stdout + plan.stderr
    assert notes(gitlab) == ["<!-- zexa-campaigns-plan -->"]
    assert "Plan: 2 to create" in gitlab.comments[0]["body"]

    apply = run_job(script_of(pipeline, "campaigns-apply"), clone("apply"),
                    gitlab_env(gitlab, ZEXA_API_KEY=KEY, ZEXA_API_URL=account.url,
                               CI_COMMIT_BRANCH="main", CI_COMMIT_SHA=sha,
                               CAMPAIGNS_GITLAB_TOKEN=TOKEN, CI_MERGE_REQUEST_IID=""))
    assert apply.returncode == 0, apply.stdout + apply.stderr
    after = clone("after")
    ids = json.loads((after / "campaigns.state.json").read_text(encoding="utf-8"))["campaigns"]
    assert sorted(ids) == ["Spring Sale", "Summer Sale"]
    assert notes(gitlab) == ["<!-- zexa-campaigns-apply -->", "<!-- zexa-campaigns-plan -->"]
    summary = next(c["body"] for c in gitlab.comments if "apply" in c["body"].split("\n")[0])
    assert all(e["id"] in summary for e in ids.values())


def test_without_a_plan_key_the_merge_request_job_validates_only(
    serve, repository, gitlab: FakeForge
) -> None:
    (pipeline, _) = pipelines()
    seed, clone = repository
    seed({"campaigns/sales.yaml": CAMPAIGNS.replace("channel: sms", "channel: fax")})
    job = run_job(script_of(pipeline, "campaigns-plan"), clone("plan"), gitlab_env(gitlab))
    assert job.returncode == 1
    assert "validating only" in job.stdout and "'fax' is not one of" in job.stdout
    assert gitlab.comments == []


CONFIGURATION = """\
environments:
  staging:
    api_url: {staging}
    api_key_env: ZEXA_STAGING_API_KEY
    contact_lists: {{customers: lst_staging_customers}}
    senders: {{brand: MYBRANDSTA}}
  production:
    api_url: {production}
    state: campaigns.state.json
    contact_lists: {{customers: lst_production_customers}}
    senders: {{brand: MYBRANDPRO}}
"""


def test_the_staging_and_production_pipeline_runs_as_written(
    serve, repository, gitlab: FakeForge
) -> None:
    (_, pipeline) = pipelines()
    seed, clone = repository
    staging = serve(SandboxApp(seed=seed_for("staging")))
    production = serve(SandboxApp(seed=seed_for("production")))
    sha = seed({
        "campaigns/sales.yaml": CAMPAIGNS.replace("contact_list_id: lst_customers",
                                                  "contact_list: customers")
                                         .replace("sender_id: MYBRAND", "sender: brand"),
        ".campaigns.yaml": CONFIGURATION.format(staging=staging.url,
                                                production=production.url),
    })
    gitlab.merged[sha] = 7
    plan = script_of(pipeline, "campaigns-plan")
    for _ in range(2):
        for name in ("staging", "production"):
            job = run_job(plan, clone(f"plan-{name}-{_}"),
                          gitlab_env(gitlab, CAMPAIGNS_ENV=name, ZEXA_PLAN_API_KEY=KEY))
            assert job.returncode == 0, job.stdout + job.stderr
    assert notes(gitlab) == ["<!-- zexa-campaigns-plan:production -->",
                             "<!-- zexa-campaigns-plan:staging -->"]
    assert "customers → `lst_production_customers`" in next(
        c["body"] for c in gitlab.comments if "production" in c["body"].split("\n")[0])

    env = gitlab_env(gitlab, ZEXA_API_KEY=KEY, ZEXA_STAGING_API_KEY=KEY,
                     CI_COMMIT_BRANCH="main", CI_COMMIT_SHA=sha, CI_MERGE_REQUEST_IID="")
    for name in ("staging", "production"):  # production `needs:` staging: one after the other
        job = run_job(script_of(pipeline, f"campaigns-apply-{name}"), clone(f"apply-{name}"),
                      {**env, "CAMPAIGNS_ENV": name})
        assert job.returncode == 0, job.stdout + job.stderr
    after = clone("after")
    for state, app, list_id in (("campaigns.staging.state.json", staging.app,
                                 "lst_staging_customers"),
                                ("campaigns.state.json", production.app,
                                 "lst_production_customers")):
        recorded = json.loads((after / state).read_text(encoding="utf-8"))["campaigns"]
        assert sorted(recorded) == ["Spring Sale", "Summer Sale"]
        sent = {c.name: c.contact_list_id for c in app.account.campaigns
                if c.name in recorded}
        assert sent == {"Spring Sale": list_id, "Summer Sale": list_id}
    assert notes(gitlab) == ["<!-- zexa-campaigns-apply:production -->",
                             "<!-- zexa-campaigns-apply:staging -->",
                             "<!-- zexa-campaigns-plan:production -->",
                             "<!-- zexa-campaigns-plan:staging -->"]

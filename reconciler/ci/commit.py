"""After an apply: commit the state files (and the journal an unfinished apply leaves, so
that a fresh runner knows which creates may still land) and push them, rebasing onto the
branch when it moved on meanwhile. The state files merge entry by entry during the rebase
(the merge driver is set up for this clone only). When two applies recorded one name with
different IDs, nothing can merge it: the job fails naming the campaign and the commit that
holds this job's IDs, and prints those IDs, so that none is lost with the runner."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reconciler.ci.git import Git, install_driver

MESSAGE = "campaigns: record campaign IDs from apply [skip ci]"


@dataclass
class Report:
    ok: bool
    lines: list[str] = field(default_factory=list)  # what to print, in order
    errors: list[str] = field(default_factory=list)  # what to print as errors


def remote_options(env: Mapping[str, str]) -> tuple[list[str], str | None]:
    """The auth header for fetch and push (never stored in the clone), and the value a log
    must mask: GitHub's PUSH_TOKEN, or GitLab's CAMPAIGNS_GITLAB_TOKEN."""
    if env.get("PUSH_TOKEN"):
        user, token = "x-access-token", env["PUSH_TOKEN"]
    elif env.get("CAMPAIGNS_GITLAB_TOKEN"):
        user, token = "oauth2", env["CAMPAIGNS_GITLAB_TOKEN"]
    else:
        return [], None
    basic = base64.b64encode(f"{user}:{token}".encode()).decode()
    return ["-c", f"http.extraheader=AUTHORIZATION: basic {basic}"], basic


def branch_of(git: Git, env: Mapping[str, str]) -> str:
    branch = git.out("rev-parse", "--abbrev-ref", "HEAD")
    if branch != "HEAD":
        return branch
    return env.get("GITHUB_REF_NAME") or env.get("CI_COMMIT_BRANCH") or "main"


def commit_state(git: Git, state_files: Sequence[str], branch: str, *, attempts: int = 5,
                 sleep: Callable[[float], None] = time.sleep) -> Report:
    """Commit `state_files` and their journals, then push to `branch` (see the module)."""
    report = Report(ok=True)
    if not git.ok("config", "user.name"):
        git.run("config", "user.name", "zexa-campaigns")
    if not git.ok("config", "user.email"):
        git.run("config", "user.email", "zexa-campaigns@users.noreply.github.com")
    top = Path(git.out("rev-parse", "--show-toplevel"))
    here = git.folder.resolve().relative_to(top.resolve()) if git.folder.resolve() != \
        top.resolve() else Path()
    attributes = Path(git.out("rev-parse", "--absolute-git-dir")) / "info" / "attributes"
    install_driver(git, [(here / f).as_posix() for f in state_files], attributes)

    for state_file in state_files:
        for path in (state_file, state_file + ".journal"):
            tracked = git.ok("ls-files", "--error-unmatch", "--", path)
            if (git.folder / path).exists() or tracked:
                git.run("add", "-A", "--", path)
    if git.ok("diff", "--cached", "--quiet"):
        report.lines.append("The state did not change: nothing to commit.")
        return report
    git.run("commit", "--quiet", "-m", MESSAGE)

    for attempt in range(1, attempts + 1):
        if git.run("push", "--quiet", "origin", f"HEAD:{branch}", check=False,
                   remote=True).returncode == 0:
            report.lines.append(f"Pushed the state to {branch} (attempt {attempt}).")
            return report
        report.lines.append(f"The push was refused (the branch moved on?): rebasing onto "
                            f"origin/{branch}.")
        git.run("fetch", "--quiet", "origin", branch, remote=True)
        rebased = git.run("rebase", "--quiet", f"origin/{branch}", check=False)
        if rebased.returncode != 0:
            git.run("rebase", "--abort", check=False)
            return clash_report(git, state_files, branch, rebased.stdout + rebased.stderr)
        sleep(attempt * 2)
    report.ok = False
    report.errors.append(f"Could not push the state after {attempts} attempts; this job's "
                         f"IDs are in commit {git.out('rev-parse', '--short', 'HEAD')}.")
    report.lines.extend(recorded_ids(git, state_files))
    return report


def clash_report(git: Git, state_files: Sequence[str], branch: str, output: str) -> Report:
    """The rebase could not merge the state: what clashed, where the IDs are, and the IDs."""
    commit = git.out("rev-parse", "--short", "HEAD")
    clashes = [line.strip() for line in output.splitlines()
               if "CONFLICT (campaigns state)" in line]
    what = "; ".join(clashes) if clashes else \
        "the state files could not be merged (" + (output.strip().splitlines() or ["?"])[-1] \
        + ")"
    report = Report(ok=False)
    report.errors.append(
        f"The state could not be rebased onto origin/{branch}: {what}. Both campaigns of a "
        f"clashing name exist in the account. This job's IDs are in commit {commit} (not "
        "pushed), and below: merge them by hand, keeping the right ID for each name "
        "(`campaigns state import`).")
    report.lines.extend(recorded_ids(git, state_files))
    return report


def recorded_ids(git: Git, state_files: Sequence[str]) -> list[str]:
    """The names and IDs this job's commit added or changed, one line each."""
    lines = []
    for state_file in state_files:
        after = _entries(git, f"HEAD:./{state_file}")
        before = _entries(git, f"HEAD~1:./{state_file}")
        for name, cid in sorted(after.items()):
            if before.get(name) != cid:
                lines.append(f"  recorded by this job: {state_file}: {name!r} is {cid}")
    return lines


def _entries(git: Git, spec: str) -> dict[str, str]:
    shown = git.run("show", spec, check=False)
    if shown.returncode != 0:
        return {}
    try:
        doc = json.loads(shown.stdout)
    except ValueError:
        return {}
    campaigns = doc.get("campaigns") if isinstance(doc, dict) else None
    if not isinstance(campaigns, dict):
        return {}
    return {str(n): str(e.get("id")) for n, e in campaigns.items() if isinstance(e, dict)}

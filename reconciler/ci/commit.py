"""After an apply: commit the state files (and the journal an unfinished apply leaves, so
that a fresh runner knows which creates may still land) and push them, rebasing onto the
branch when it moved on meanwhile. The state files merge entry by entry during the rebase
(the merge driver is set up for this clone only). When two applies recorded one name with
different IDs, nothing can merge it: the job fails naming the campaign and the commit that
holds this job's IDs, and prints those IDs, so that none is lost with the runner.

Only a push refused because the branch moved on is tried again. Any other end without a
push (a hook or a protected branch refusing it, a fetch that fails, changes in the working
tree that stop the rebase) names its cause, with what git and the remote said, masked of
the push token, and prints this job's IDs likewise."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from reconciler.ci.git import Git, GitError, install_driver
from reconciler.secret import Secret

MESSAGE = "campaigns: record campaign IDs from apply [skip ci]"
# Who commits, when the clone does not say.
IDENTITY = (("user.name", "zexa-campaigns"),
            ("user.email", "zexa-campaigns@users.noreply.github.com"))


@dataclass
class Report:
    ok: bool
    lines: list[str] = field(default_factory=list)  # what to print, in order
    errors: list[str] = field(default_factory=list)  # what to print as errors
    ids: list[str] = field(default_factory=list)  # this job's IDs, after the errors


def remote_options(env: Mapping[str, str]) -> tuple[list[str], str | None]:
    """The auth header for fetch and push (never stored in the clone), and the value a log
    must mask: GitHub's PUSH_TOKEN, or GitLab's CAMPAIGNS_GITLAB_TOKEN."""
    token = push_token(env)
    if token is None:
        return [], None
    basic = base64.b64encode(f"{token.user}:{token.secret.reveal()}".encode()).decode()
    return ["-c", f"http.extraheader=AUTHORIZATION: basic {basic}"], basic


class PushToken(NamedTuple):
    user: str  # the user git sends with it
    secret: Secret


def push_token(env: Mapping[str, str]) -> PushToken | None:
    """The token for pushing, when the job has one."""
    if env.get("PUSH_TOKEN"):
        return PushToken("x-access-token", Secret(env["PUSH_TOKEN"]))
    if env.get("CAMPAIGNS_GITLAB_TOKEN"):
        return PushToken("oauth2", Secret(env["CAMPAIGNS_GITLAB_TOKEN"]))
    return None


def push_secrets(env: Mapping[str, str]) -> list[Secret]:
    """What git's output is masked of: the push token, and the header that carries it."""
    token = push_token(env)
    basic = remote_options(env)[1]
    return [] if token is None or basic is None else [token.secret, Secret(basic)]


def branch_of(git: Git, env: Mapping[str, str]) -> str:
    branch = git.out("rev-parse", "--abbrev-ref", "HEAD")
    if branch != "HEAD":
        return branch
    return env.get("GITHUB_REF_NAME") or env.get("CI_COMMIT_BRANCH") or "main"


def commit_state(git: Git, state_files: Sequence[str], branch: str, *, attempts: int = 5,
                 sleep: Callable[[float], None] = time.sleep) -> Report:
    """Commit `state_files` and their journals, then push to `branch` (see the module).
    Whenever it ends without pushing, the report names the cause and lists this job's
    IDs."""
    report = Report(ok=True)
    _identify(git)
    _install_merge_driver(git, state_files)
    try:
        _stage(git, state_files)
        if git.ok("diff", "--cached", "--quiet"):
            report.lines.append("The state did not change: nothing to commit.")
            return report
        git.run("commit", "--quiet", "-m", MESSAGE)
    except GitError as error:
        return not_pushed(git, state_files, f"The state could not be committed: {error}.",
                          committed=False)
    try:
        return _push(git, state_files, branch, report, attempts, sleep)
    except GitError as error:
        return not_pushed(git, state_files, f"The state was not pushed: {error}.")


def _identify(git: Git) -> None:
    """Name the committer, unless the clone already does."""
    for key, value in IDENTITY:
        if not git.ok("config", key):
            git.run("config", key, value)


def _install_merge_driver(git: Git, state_files: Sequence[str]) -> None:
    """Set up the state merge driver for `state_files`, in this clone only."""
    top = Path(git.out("rev-parse", "--show-toplevel"))
    here = git.folder.resolve().relative_to(top.resolve()) if git.folder.resolve() != \
        top.resolve() else Path()
    attributes = Path(git.out("rev-parse", "--absolute-git-dir")) / "info" / "attributes"
    install_driver(git, [(here / f).as_posix() for f in state_files], attributes)


def _stage(git: Git, state_files: Sequence[str]) -> None:
    """Add each state file and its journal, when it exists or git tracks it (a journal
    removed by a finished apply is staged as removed)."""
    for state_file in state_files:
        for path in (state_file, state_file + ".journal"):
            tracked = git.ok("ls-files", "--error-unmatch", "--", path)
            if (git.folder / path).exists() or tracked:
                git.run("add", "-A", "--", path)


def _push(git: Git, state_files: Sequence[str], branch: str, report: Report, attempts: int,
          sleep: Callable[[float], None]) -> Report:
    """Push; when the branch moved on, fetch, rebase and push again, up to `attempts`."""
    for attempt in range(1, attempts + 1):
        pushed = git.run("push", "--porcelain", "origin", f"HEAD:{branch}", check=False,
                         remote=True)
        if pushed.returncode == 0:
            report.lines.append(f"Pushed the state to {branch} (attempt {attempt}).")
            return report
        if not moved_on(pushed.stdout):
            return not_pushed(git, state_files, f"The push to {branch} was refused, not "
                              "because the branch moved on, so it was not tried again: "
                              + git_said(git, pushed.stdout, pushed.stderr) + ".")
        report.lines.append(f"The push was refused (the branch moved on): rebasing onto "
                            f"origin/{branch}.")
        fetched = git.run("fetch", "--quiet", "origin", branch, check=False, remote=True)
        if fetched.returncode != 0:
            return not_pushed(git, state_files, f"Could not fetch origin/{branch} to rebase "
                              "onto it: " + git_said(git, fetched.stdout, fetched.stderr)
                              + ".", before=report.lines)
        dirty = git.run("status", "--porcelain", "--untracked-files=no").stdout.splitlines()
        if dirty:
            files = ", ".join(line[3:] for line in dirty[:10]) + (", ..." if len(dirty) > 10
                                                                   else "")
            return not_pushed(git, state_files, "The state could not be rebased onto "
                              f"origin/{branch}: the working tree has changes that are not "
                              f"committed ({files}). Commit them in an earlier step, or "
                              "discard them, before `campaigns ci commit-state`.",
                              before=report.lines)
        rebased = git.run("rebase", "--quiet", f"origin/{branch}", check=False)
        if rebased.returncode != 0:
            git.run("rebase", "--abort", check=False)
            clash = clash_report(git, state_files, branch,
                                 git.mask(rebased.stdout + rebased.stderr))
            clash.lines[:0] = report.lines
            return clash
        sleep(attempt * 2)
    return not_pushed(git, state_files, f"Could not push the state after {attempts} "
                      "attempts (the branch kept moving on).", before=report.lines)


def moved_on(porcelain: str) -> bool:
    """Whether `git push --porcelain` says the push was refused only because the branch
    has commits this clone lacks (the one case a rebase and another push can fix)."""
    refused = [line for line in porcelain.splitlines() if line.startswith("!")]
    return bool(refused) and all("[rejected] (fetch first)" in line
                                 or "[rejected] (non-fast-forward)" in line
                                 for line in refused)


def git_said(git: Git, stdout: str, stderr: str) -> str:
    """What git (and the remote: a hook's message) said about a failure, on one line,
    masked; git's hints left out."""
    said = []
    for line in (stderr + "\n" + stdout).splitlines():
        line = line.strip()
        if not line or line.startswith(("hint:", "To ", "Done",
                                        "error: failed to push some refs")):
            continue
        if line.startswith("!"):
            line = " ".join(line.lstrip("!").split()[1:])
        said.append(line)
    return git.mask("; ".join(dict.fromkeys(said))) or "git said nothing"


def not_pushed(git: Git, state_files: Sequence[str], cause: str, *, committed: bool = True,
               before: Sequence[str] = ()) -> Report:
    """A failed report: the cause, where this job's IDs are, and the IDs."""
    report = Report(ok=False, lines=list(before))
    where = f"in commit {git.out('rev-parse', '--short', 'HEAD')} (not pushed)" \
        if committed else "in the working tree only (not committed)"
    report.errors.append(f"{cause} This job's IDs are {where}, and below.")
    report.ids.extend(recorded_ids(git, state_files, committed=committed))
    return report


def clash_report(git: Git, state_files: Sequence[str], branch: str, output: str) -> Report:
    """The rebase could not merge the state: what clashed, where the IDs are, and the IDs."""
    commit = git.out("rev-parse", "--short", "HEAD")
    clashes = [line.strip() for line in output.splitlines()
               if "CONFLICT (campaigns state)" in line]
    report = Report(ok=False)
    if clashes:
        report.errors.append(
            f"The state could not be rebased onto origin/{branch}: {'; '.join(clashes)}. "
            f"Both campaigns of a clashing name exist in the account. This job's IDs are in "
            f"commit {commit} (not pushed), and below: merge them by hand, keeping the "
            "right ID for each name (`campaigns state import`).")
    else:
        said = (output.strip().splitlines() or ["git said nothing"])[-1]
        report.errors.append(
            f"The state could not be rebased onto origin/{branch} ({said}). This job's IDs "
            f"are in commit {commit} (not pushed), and below.")
    report.ids.extend(recorded_ids(git, state_files))
    return report


def recorded_ids(git: Git, state_files: Sequence[str], committed: bool = True) -> list[str]:
    """The names and IDs this job's commit (or, not `committed`, its working tree) added or
    changed, one line each."""
    lines = []
    for state_file in state_files:
        if committed:
            after = _entries(git, f"HEAD:./{state_file}")
            before = _entries(git, f"HEAD~1:./{state_file}")
        else:
            after = _file_entries(git.folder / state_file)
            before = _entries(git, f"HEAD:./{state_file}")
        for name, cid in sorted(after.items()):
            if before.get(name) != cid:
                lines.append(f"  recorded by this job: {state_file}: {name!r} is {cid}")
    return lines


def _file_entries(path: Path) -> dict[str, str]:
    try:
        return _parsed_entries(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


def _entries(git: Git, spec: str) -> dict[str, str]:
    shown = git.run("show", spec, check=False)
    return _parsed_entries(shown.stdout) if shown.returncode == 0 else {}


def _parsed_entries(text: str) -> dict[str, str]:
    try:
        doc = json.loads(text)
    except ValueError:
        return {}
    campaigns = doc.get("campaigns") if isinstance(doc, dict) else None
    if not isinstance(campaigns, dict):
        return {}
    return {str(n): str(e.get("id")) for n, e in campaigns.items() if isinstance(e, dict)}

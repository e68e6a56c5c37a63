"""`campaigns ci`: the sticky comment and the state pushed back, without click."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from reconciler.ci.comment import Posted, post_sticky
from reconciler.ci.commit import Report, branch_of, commit_state, push_secrets, remote_options
from reconciler.ci.forge import Forge, ForgeError, detect
from reconciler.ci.git import Git
from reconciler.files import read_regular_file
from reconciler.workflow.inputs import DEFAULT_STATE, Settings, target_of

__all__ = ["Posted", "Report", "action_step", "comment", "push_state", "remote_secret",
           "state_files"]

MAX_COMMENT_BYTES = 1024 * 1024


def comment(file: str, *, request: str | None = None, from_commit: str | None = None,
            author: str | None = None, environ: Mapping[str, str] | None = None) -> Posted:
    """Post `file` as the sticky comment on the job's pull or merge request, the one named,
    or the one that merged `from_commit` ("" for the job's own commit)."""
    env = os.environ if environ is None else environ
    problem, data = read_regular_file(file, MAX_COMMENT_BYTES)
    if problem:
        raise ForgeError(f"{file} {problem}")
    forge = detect(env, request)
    try:
        if from_commit is not None:
            sha = from_commit or env.get("GITHUB_SHA") or env.get("CI_COMMIT_SHA") or ""
            if not sha:
                raise ForgeError("no commit: give --from-commit SHA")
            forge.request = forge.merged_request(sha)
            if forge.request is None:
                return Posted(f"No merged {forge.name} request holds commit {sha[:12]}: "
                              "nothing to comment on (the summary is in the job's log).")
        text = data.decode("utf-8", "replace")
        return post_sticky(forge, text, author, full_version(file, text, forge, env))
    finally:
        forge.close()


def full_version(file: str, text: str, forge: Forge, env: Mapping[str, str]) -> str:
    """Where the whole text is when the comment must be shortened: the file it was posted
    from, and on GitHub the job summary, where it is then written (it takes 1 MiB)."""
    where = f"`{Path(file).name}`, the file it was posted from (keep it as a build artifact)"
    summary = env.get("GITHUB_STEP_SUMMARY")
    if len(text) <= forge.comment_limit or forge.name != "GitHub" or not summary:
        return where
    with open(summary, "a", encoding="utf-8", newline="\n") as f:
        f.write(text if text.endswith("\n") else text + "\n")
    return f"the summary of this job, and {where}"


def action_step(environ: Mapping[str, str] | None = None) -> int:
    """The GitHub Action's main step: run the command its inputs ask for, as a process of
    its own, and write its outputs. Returns 0: the action's last step decides the job."""
    import subprocess
    import sys
    import tempfile

    from reconciler.ci.action import outputs, step

    env = os.environ if environ is None else environ
    scratch = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir())
    planned = step(env, scratch)
    if planned.markdown is not None:
        planned.markdown.unlink(missing_ok=True)
    if planned.notice:
        print(f"::notice::{planned.notice}" if planned.argv else f"::error::{planned.notice}",
              flush=True)
    if planned.summary:
        _append(env.get("GITHUB_STEP_SUMMARY"), planned.summary)
    code = subprocess.call([sys.executable, "-m", "reconciler", *planned.argv]) \
        if planned.argv else 1
    _append(env.get("GITHUB_OUTPUT"),
            "".join(line + "\n" for line in outputs(code, planned.markdown)))
    return 0


def _append(path: str | None, text: str) -> None:
    """Add `text` to the file at `path` (a job summary, the step's outputs), if named."""
    if path:
        with open(path, "a", encoding="utf-8", newline="\n") as f:
            f.write(text)


def state_files(settings: Settings, env_name: str | None) -> list[str]:
    """The chosen environment's state file, or every one the configuration names."""
    if env_name:
        return [target_of(settings, env_name, None).state_file]
    return list(dict.fromkeys([DEFAULT_STATE, *(e.state for e in settings.environments.values())]))


def remote_secret(environ: Mapping[str, str] | None = None) -> tuple[list[str], str | None]:
    """The git options that carry the push token, and the value a log must mask."""
    return remote_options(os.environ if environ is None else environ)


def push_state(files: list[str], attempts: int = 5,
               environ: Mapping[str, str] | None = None) -> tuple[Report, str | None]:
    """Commit and push the state files; (what happened, the auth value a log must mask)."""
    env = os.environ if environ is None else environ
    options, secret = remote_options(env)
    git = Git(Path("."), options, push_secrets(env))
    return commit_state(git, files, branch_of(git, env), attempts=attempts), secret

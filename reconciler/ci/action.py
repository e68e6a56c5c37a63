"""The GitHub Action's main step (`action.yml`): the command its inputs ask for, with the
options CI needs, and the outputs the next steps read. Inputs arrive as environment
variables (`INPUT_COMMAND`, `INPUT_PATHS`, `INPUT_ARGS`, one value a line), never pasted
into a script.

A pull request from a fork (or Dependabot's) gets no secrets and a read-only token: with no
key there, `plan` becomes `validate`, with the options validate takes (`--env`,
`--config`), rather than a red job for want of a key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

COMMANDS = ("validate", "plan", "apply")
KEPT_BY_VALIDATE = ("--env", "--config")
FORK_NOTICE = ("No API key on this pull request (a fork or Dependabot gets no secrets): "
               "validating only; the plan runs once the change is on a branch of this "
               "repository.")
FORK_SUMMARY = ("### Zexa campaigns\n\nValidated only: a pull request from a fork gets no "
                "secrets, so no plan was made.\n")


@dataclass(frozen=True)
class Step:
    argv: list[str]  # the arguments of `campaigns`
    markdown: Path | None  # the comment's file, when the command writes one
    notice: str | None = None  # for the job log (the fork fallback)
    summary: str | None = None  # appended to the job summary


def lines(text: str) -> list[str]:
    """One value a non-empty line, its surrounding blanks trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def validate_options(extra: Sequence[str]) -> list[str]:
    """The options among `extra` that validate takes; the plan's others are dropped (with
    their value, when they take one)."""
    kept: list[str] = []
    skip = False
    for number, arg in enumerate(extra):
        if skip:
            skip = False
        elif arg in KEPT_BY_VALIDATE:
            kept += extra[number:number + 2]
            skip = True
        elif arg.split("=", 1)[0] in KEPT_BY_VALIDATE:
            kept.append(arg)
        elif arg.startswith("--") and "=" not in arg:
            following = extra[number + 1] if number + 1 < len(extra) else "--"
            skip = not following.startswith("--")  # its value
    return kept


def unkeyed_fork(env: Mapping[str, str]) -> bool:
    """Whether the job is a fork's (or Dependabot's) pull request with no key: such a
    request gets no secrets."""
    fork = env.get("PR_FROM_FORK") == "true" or env.get("GITHUB_ACTOR") == "dependabot[bot]"
    return fork and not env.get("ZEXA_API_KEY")


def step(env: Mapping[str, str], scratch: Path) -> Step:
    """What to run for the action's inputs in `env`; `scratch` holds the comment's file."""
    command = env.get("INPUT_COMMAND") or "plan"
    paths = lines(env.get("INPUT_PATHS") or "campaigns")
    extra = lines(env.get("INPUT_ARGS") or "")
    if command == "plan" and unkeyed_fork(env):
        return Step(["validate", *paths, "--format", "github", *validate_options(extra)],
                    None, notice=FORK_NOTICE, summary=FORK_SUMMARY)
    markdown = scratch / f"campaigns-{command}.md"
    if command == "validate":
        return Step(["validate", *paths, "--format", "github", *extra], None)
    if command == "plan":
        return Step(["plan", *paths, "--format", "github", "--detailed-exitcode",
                     "--markdown-out", str(markdown), *extra], markdown)
    if command == "apply":
        return Step(["apply", *paths, "--auto-approve", "--markdown-out", str(markdown),
                     *extra], markdown)
    return Step([], None, notice=f"unknown command {command!r}: use validate, plan or apply")


def outputs(code: int, markdown: Path | None) -> list[str]:
    """`name=value` lines for GITHUB_OUTPUT: the exit code, whether the plan has changes,
    and the comment's file when it was written."""
    lines_out = [f"exitcode={code}", f"has-changes={'true' if code == 2 else 'false'}"]
    if markdown is not None and markdown.exists():
        lines_out.append(f"markdown={markdown}")
    return lines_out

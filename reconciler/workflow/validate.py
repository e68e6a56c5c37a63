"""`campaigns validate`: the definitions and the configuration checked, without the API.

It loads no HTTP client and no state: the pre-commit hook runs it on every commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from reconciler.checks.config import CheckConfig
from reconciler.checks.review import run_checks, sends_immediately
from reconciler.config import (
    Aliases,
    Settings,
    TargetError,
    environment_problems,
    load_settings,
)
from reconciler.definitions import Definitions, load_definitions
from reconciler.definitions.aliases import resolve
from reconciler.diagnostics import sorted_unique

__all__ = ["Definitions", "validate"]


def validate(paths: Sequence[str], config_file: str | None,
             environment: str | None = None) -> Definitions:
    """The definitions under `paths`, with every problem of theirs and of the configuration
    (schema, YAML, duplicate names, unknown environments, aliases, review checks).

    Aliases are resolved, and the review checks run on what would be sent, for every
    configured environment (or only `environment`), else for the top level."""
    result = load_definitions(paths)
    settings, problems = load_settings(config_file)
    found = [*result.diagnostics, *problems, *environment_problems(result.campaigns, settings)]
    for name, aliases, checks in _targets(settings, environment):
        here = [c for c in result.campaigns if name is None or c.exists_in(name)]
        resolved, unknown = resolve(here, aliases, name)
        found.extend(unknown)
        found.extend(run_checks(resolved, checks))
    found.extend(d for d in map(sends_immediately, result.campaigns) if d is not None)
    result.diagnostics = sorted_unique(found)
    return result


class _Target(NamedTuple):
    """What the definitions are checked for: an environment (None: the top level), its
    aliases and its checks' settings."""

    environment: str | None
    aliases: Aliases
    checks: CheckConfig


def _targets(settings: Settings, environment: str | None) -> list[_Target]:
    """Every configured environment (or only `environment`), else the top level."""
    if environment is not None and environment not in settings.environments:
        known = ", ".join(sorted(settings.environments)) or "none are configured"
        raise TargetError(f"--env {environment}: no such environment ({known})")
    return [_Target(name, env.aliases, env.checks)
            for name, env in sorted(settings.environments.items())
            if environment in (None, name)] or [
        _Target(None, settings.aliases, settings.checks)]

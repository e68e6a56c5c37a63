"""`campaigns validate`: the definitions and the configuration checked, without the API.

It loads no HTTP client and no state: the pre-commit hook runs it on every commit.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.checks import run_checks
from reconciler.config import environment_problems, load_settings
from reconciler.definitions import Definitions, load_definitions
from reconciler.diagnostics import sorted_unique

__all__ = ["Definitions", "validate"]


def validate(paths: Sequence[str], config_file: str | None) -> Definitions:
    """The definitions under `paths`, with every problem of theirs and of the configuration
    (schema, YAML, duplicate names, unknown environments, review checks)."""
    result = load_definitions(paths)
    settings, problems = load_settings(config_file)
    result.diagnostics = sorted_unique(
        [*result.diagnostics, *problems, *environment_problems(result.campaigns, settings),
         *run_checks(result.campaigns, settings.checks)])
    return result

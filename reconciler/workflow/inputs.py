"""What every command that plans starts from: the configuration, the environment it
targets, its definitions, and a connection to its API."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reconciler.config import (
    DEFAULT_STATE,
    Settings,
    Target,
    TargetError,
    environment_problems,
    load_settings,
    resolve_target,
)
from reconciler.diagnostics import Diagnostic, Location, sorted_unique
from reconciler.errors import UserError

if TYPE_CHECKING:  # loaded when a command connects, or reads definitions
    from reconciler.definitions import Campaign as Campaign  # (re-exported for the
    from reconciler.definitions import Definitions as Definitions  # commands' annotations)
    from reconciler.workflow.connect import Connection

__all__ = ["DEFAULT_STATE", "Access", "Diagnostic", "Loaded",
           "Settings", "Target", "TargetError", "connected", "grace_from_environment",
           "load_for", "load_settings", "select", "target_of"]

GRACE_VARIABLE = "CAMPAIGNS_INFLIGHT_GRACE"
SHORT_LISTING_VARIABLE = "CAMPAIGNS_ACCEPT_SHORT_LISTING"


def accepts_short_listing(target: Target) -> bool:
    """The configuration's `accept_short_listing`, or $CAMPAIGNS_ACCEPT_SHORT_LISTING=1."""
    value = os.environ.get(SHORT_LISTING_VARIABLE, "").strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    if value:
        raise UserError(f"{SHORT_LISTING_VARIABLE} must be 1 or 0, not {value!r}")
    return target.api.accept_short_listing


def target_of(settings: Settings, env_name: str | None, state_file: str | None) -> Target:
    """The environment a command talks to (see `config.resolve_target`)."""
    return resolve_target(settings, env_name, state_file, DEFAULT_STATE)


@dataclass
class Loaded:
    """The definitions of a target's environment: all of them with their problems
    (`definitions`), and those chosen by `--target` (`campaigns`)."""

    definitions: Definitions
    campaigns: list[Campaign] = field(default_factory=list)
    target_problems: list[Diagnostic] = field(default_factory=list)

    @property
    def warnings(self) -> list[Diagnostic]:
        return list(self.definitions.warnings)


def load_for(paths: Sequence[str], targets: Sequence[str], target: Target,
             settings: Settings) -> Loaded:
    """The definitions under `paths` that exist in the target's environment, narrowed to
    `targets` (all when empty)."""
    from reconciler.definitions import load_definitions

    result = load_definitions(paths)
    result.diagnostics = sorted_unique(
        [*result.diagnostics, *environment_problems(result.campaigns, settings)])
    if not result.ok:
        return Loaded(result)
    from reconciler.definitions.aliases import resolve

    here = [c for c in result.campaigns if c.exists_in(target.environment)]
    result.campaigns, unknown = resolve(here, target.aliases, target.environment)
    if unknown:
        result.diagnostics = sorted_unique([*result.diagnostics, *unknown])
        return Loaded(result)
    campaigns, problems = select(result, targets)
    return Loaded(result, campaigns, problems)


def select(definitions: Definitions, targets: Sequence[str]) -> tuple[list[Campaign],
                                                                      list[Diagnostic]]:
    """The campaigns named by `--target` (all when none), and an error per unknown target."""
    if not targets:
        return list(definitions.campaigns), []
    by_name = {c.name: c for c in definitions.campaigns}
    chosen = [by_name[t] for t in dict.fromkeys(targets) if t in by_name]
    problems = [
        Diagnostic(Location("--target", 1, 1), f"no campaign is named {t!r}", field="target")
        for t in targets if t not in by_name
    ]
    return chosen, problems



def grace_from_environment(configured: float | None = None) -> float:
    """Seconds an interrupted create may still land: $CAMPAIGNS_INFLIGHT_GRACE, else the
    configuration's `in_flight_grace`, else the default."""
    from reconciler.grace import IN_FLIGHT_GRACE

    text = os.environ.get(GRACE_VARIABLE, "")
    if not text.strip():
        return IN_FLIGHT_GRACE if configured is None else configured
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not (math.isfinite(seconds) and 0 <= seconds <= 86_400):
        raise UserError(f"{GRACE_VARIABLE} must be a number of seconds from 0 to 86400, "
                        f"not {text!r}")
    return seconds


@dataclass(frozen=True)
class Access:
    """How to reach a target's API: its URL and key variable, or the embedded sandbox."""

    target: Target
    sandbox: bool = False
    api_key_file: str | None = None
    warn: Callable[[str], None] = lambda message: None


@contextmanager
def connected(access: Access, concurrency: int = 10) -> Iterator[Connection]:
    """A client for the target's API (or the sandbox), closed on exit."""
    from reconciler.workflow.connect import connect

    conn = connect(sandbox=access.sandbox, api_key_file=access.api_key_file,
                   concurrency=concurrency, api_url=access.target.api_url,
                   key_variable=access.target.key_variable, warn=access.warn,
                   accept_short_listing=accepts_short_listing(access.target),
                   environment=access.target.environment)
    try:
        yield conn
    finally:
        conn.close()

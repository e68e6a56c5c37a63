"""The repository's configuration: `.campaigns.yaml`, or `[tool.campaigns]` in pyproject.toml.

```yaml
checks:
  disable: [quiet-hours]
  severity: {sms-segments: error}
  opt_out_phrases: ["Responda STOP para cancelar", "STOP"]
  quiet_hours: {start: "21:00", end: "08:00", timezone: Africa/Luanda}
  max_sms_segments: 2
list_sizes: {lst_customers: 850}
links: {require_params: [utm_campaign], allowed_domains: [myapp.ao], check: true}
```
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reconciler.checks.config import CheckConfig, LinkRules, QuietHours
from reconciler.diagnostics import Diagnostic, Location, Severity
from reconciler.errors import UserError
from reconciler.files import read_regular_file

if TYPE_CHECKING:
    from reconciler.definitions import Campaign

MAX_CONFIG_BYTES = 1024 * 1024

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

YAML_NAME = ".campaigns.yaml"
DEFAULT_MAX_CREATES = 25  # one wrong glob must not text a whole country
# The state file of a target that names none (no environments, no --state).
DEFAULT_STATE = "campaigns.state.json"


@dataclass(frozen=True)
class Limits:
    """What one apply may do at most; None: no limit (max_creates has a default)."""

    max_creates: int | None = DEFAULT_MAX_CREATES
    max_recipients: int | None = None
    max_credits: int | None = None
    max_new_lists: int | None = None

    def merged(self, doc: Mapping[str, Any] | None) -> Limits:
        """These, with a configuration's `limits:` (`doc`) over them."""
        given = {f.name: (doc or {})[f.name] for f in fields(self) if f.name in (doc or {})}
        return Limits(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **given})


def find_config(explicit: str | None, folder: Path = Path(".")) -> Path | None:
    if explicit:
        return Path(explicit)
    for candidate in (folder / YAML_NAME, folder / "pyproject.toml"):
        if candidate.is_file():
            if candidate.name == "pyproject.toml" and "campaigns" not in _tool(candidate):
                continue
            return candidate
    return None


def _tool(path: Path) -> dict[str, Any]:
    problem, data = read_regular_file(str(path), MAX_CONFIG_BYTES)
    try:
        doc = tomllib.loads(data.decode("utf-8")) if not problem else {}
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    tool = doc.get("tool")
    return tool if isinstance(tool, dict) else {}


@dataclass(frozen=True)
class Aliases:
    """Names for contact lists and senders (alias -> ID): a definition that writes
    `contact_list: customers` sends to the ID the chosen environment gives `customers`."""

    contact_lists: Mapping[str, str] = field(default_factory=dict)
    senders: Mapping[str, str] = field(default_factory=dict)

    def merged(self, doc: Mapping[str, Any]) -> Aliases:
        """These, with an environment's own (`doc`) over them."""
        return Aliases({**self.contact_lists, **(doc.get("contact_lists") or {})},
                       {**self.senders, **(doc.get("senders") or {})})


@dataclass(frozen=True)
class ApiSettings:
    """How far the API is trusted: see `in_flight_grace` and `accept_short_listing` in the
    configuration schema."""

    in_flight_grace: float | None = None  # None: the default (or the environment variable)
    accept_short_listing: bool = False

    @classmethod
    def of(cls, doc: Mapping[str, Any], base: ApiSettings | None = None) -> ApiSettings:
        base = base or cls()
        grace = doc.get("in_flight_grace", base.in_flight_grace)
        return cls(None if grace is None else float(grace),
                   bool(doc.get("accept_short_listing", base.accept_short_listing)))


@dataclass(frozen=True)
class Environment:
    """One named target: its API, the variable holding its key, its state file, its checks."""

    name: str
    api_url: str | None
    api_key_env: str
    state: str
    checks: CheckConfig
    api: ApiSettings = field(default_factory=ApiSettings)
    aliases: Aliases = field(default_factory=Aliases)
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class Settings:
    checks: CheckConfig = field(default_factory=CheckConfig)
    environments: Mapping[str, Environment] = field(default_factory=dict)
    source: str | None = None  # the file they were read from
    api: ApiSettings = field(default_factory=ApiSettings)
    aliases: Aliases = field(default_factory=Aliases)
    limits: Limits = field(default_factory=Limits)


def load_config(explicit: str | None = None,
                folder: Path = Path(".")) -> tuple[CheckConfig, list[Diagnostic]]:
    """The check settings in force (no environment chosen), and any problem with them."""
    settings, problems = load_settings(explicit, folder)
    return settings.checks, problems


def load_settings(explicit: str | None = None,
                  folder: Path = Path(".")) -> tuple[Settings, list[Diagnostic]]:
    """The configuration in force, and any problem with it (located where possible)."""
    path = find_config(explicit, folder)
    if path is None:
        return Settings(), []
    where = str(path)
    doc, problems = _read_document(path)
    if problems:
        return Settings(), problems
    checks, problems = _build(doc, where)
    if problems:
        return Settings(), problems
    api = ApiSettings.of(doc)
    aliases = Aliases().merged(doc)
    limits = Limits().merged(doc.get("limits"))
    environments: dict[str, Environment] = {}
    for name, env in (doc.get("environments") or {}).items():
        merged = {**(doc.get("checks") or {}), **(env.get("checks") or {})}
        env_checks, problems = _build({**doc, "checks": merged}, where)
        if problems:
            return Settings(), problems
        environments[str(name)] = Environment(
            name=str(name), api_url=env.get("api_url"),
            api_key_env=env.get("api_key_env", "ZEXA_API_KEY"),
            state=env.get("state", f"campaigns.{name}.state.json"), checks=env_checks,
            api=ApiSettings.of(env, api), aliases=aliases.merged(env),
            limits=limits.merged(env.get("limits")))
    return Settings(checks, environments, where, api, aliases, limits), []


def _read_document(path: Path) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The configuration file's settings, checked against its schema; or its problems."""
    where = str(path)

    def problem_at(message: str, line: int = 1, column: int = 1) -> list[Diagnostic]:
        return [Diagnostic(Location(where, line, column), message, code="config")]

    if not path.exists():
        return {}, problem_at("no such file")
    problem, data = read_regular_file(where, MAX_CONFIG_BYTES)
    if problem:
        return {}, problem_at(problem)
    # Only a repository with a configuration file pays for the YAML reader and the schema.
    from reconciler.definitions.yamlsafe import YamlError, load
    from reconciler.schema import located_errors, validator_for
    where_prefix = ""
    if path.suffix == ".toml":
        try:
            doc: Any = tomllib.loads(data.decode("utf-8")).get("tool", {}).get("campaigns")
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            return {}, problem_at(f"invalid TOML: {exc}")
        where_prefix = "tool.campaigns."
    else:
        try:
            doc = load(data)
        except YamlError as exc:
            return {}, problem_at(exc.problem.message, exc.problem.line, exc.problem.column)
    doc = doc if doc is not None else {}
    errors = located_errors(validator_for("config.schema.json"), doc)
    return doc, [Diagnostic(Location(where, *e.mark), e.message,
                            field=where_prefix + e.field, code="config") for e in errors]


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _build(doc: dict[str, Any], where: str) -> tuple[CheckConfig, list[Diagnostic]]:
    checks = doc.get("checks") or {}
    quiet = checks.get("quiet_hours") or {}
    zone = quiet.get("timezone", QuietHours().zone)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return CheckConfig(), [Diagnostic(Location(where, 1, 1),
                                          f"unknown time zone {zone!r} (use an IANA name "
                                          "such as Africa/Luanda)",
                                          field="checks.quiet_hours.timezone", code="config")]
    base = CheckConfig()
    config = CheckConfig(
        disabled=frozenset(checks.get("disable") or ()),
        severity=tuple((k, Severity(v)) for k, v in (checks.get("severity") or {}).items()),
        opt_out_phrases=tuple(checks.get("opt_out_phrases") or base.opt_out_phrases),
        quiet_hours=_quiet_hours(quiet, zone),
        max_sms_segments=int(checks.get("max_sms_segments", base.max_sms_segments)),
        list_sizes=tuple(sorted((doc.get("list_sizes") or {}).items())),
        min_hours_between_marketing=float(checks.get(
            "min_hours_between_marketing", base.min_hours_between_marketing)),
        links=_links(doc.get("links") or {}),
    )
    return config, []


def _quiet_hours(quiet: Mapping[str, Any], zone: str) -> QuietHours:
    defaults = QuietHours()
    return QuietHours(start=_clock(quiet["start"]) if "start" in quiet else defaults.start,
                      end=_clock(quiet["end"]) if "end" in quiet else defaults.end, zone=zone)


def _links(doc: Mapping[str, Any]) -> LinkRules:
    defaults = LinkRules()
    return LinkRules(
        require_params=tuple(doc.get("require_params") or ()),
        allowed_domains=tuple(d.lower().strip(".") for d in doc.get("allowed_domains") or ()),
        shorteners=tuple(d.lower().strip(".") for d in doc.get("shorteners",
                                                                 defaults.shorteners)),
        check=bool(doc.get("check", defaults.check)),
        timeout=float(doc.get("timeout", defaults.timeout)),
    )


class TargetError(UserError):
    """No environment, or an unknown one, where the configuration needs one."""


@dataclass(frozen=True)
class Target:
    """What a command talks to: one environment's checks, state file, API and key."""

    environment: str | None
    checks: CheckConfig
    state_file: str
    api_url: str | None  # None: ZEXA_API_URL, else the default URL
    key_variable: str
    api: ApiSettings = field(default_factory=ApiSettings)
    aliases: Aliases = field(default_factory=Aliases)
    limits: Limits = field(default_factory=Limits)


def resolve_target(settings: Settings, env_name: str | None, state_file: str | None,
                   default_state: str) -> Target:
    """The environment chosen by `--env` (or CAMPAIGNS_ENV); `--state` still wins."""
    known = sorted(settings.environments)
    if not env_name:
        if known:
            raise TargetError(
                f"environments are configured in {settings.source} ({', '.join(known)}): "
                "choose one with --env NAME (or CAMPAIGNS_ENV)")
        return Target(None, settings.checks, state_file or default_state, None,
                      "ZEXA_API_KEY", settings.api, settings.aliases, settings.limits)
    if not known:
        raise TargetError(f"--env {env_name}: no environments are configured (add "
                          "`environments:` to .campaigns.yaml)")
    env = settings.environments.get(env_name)
    if env is None:
        raise TargetError(f"--env {env_name}: no such environment; configured: "
                          f"{', '.join(known)}")
    return Target(env.name, env.checks, state_file or env.state, env.api_url, env.api_key_env,
                  env.api, env.aliases, env.limits)


def environment_problems(campaigns: Sequence[Campaign], settings: Settings) -> list[Diagnostic]:
    """A definition naming an environment the configuration does not have."""
    known = set(settings.environments)
    out = []
    for c in campaigns:
        unknown = [e for e in c.environments if e not in known]
        if unknown:
            have = f"configured: {', '.join(sorted(known))}" if known else \
                "no environments are configured"
            out.append(Diagnostic(c.location_of("environments"),
                                  f"{', '.join(map(repr, unknown))} is not an environment of "
                                  f"the configuration ({have})", field="environments"))
    return out

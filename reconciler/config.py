"""The repository's configuration: `.campaigns.yaml`, or `[tool.campaigns]` in pyproject.toml.

```yaml
checks:
  disable: [quiet-hours]
  severity: {sms-segments: error}
  opt_out_phrases: ["Responda STOP para cancelar", "STOP"]
  quiet_hours: {start: "21:00", end: "08:00", timezone: Africa/Luanda}
  max_sms_segments: 2
list_sizes: {lst_customers: 850}
```
"""

from __future__ import annotations

import sys
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reconciler.checks import CheckConfig, QuietHours
from reconciler.definitions import read_regular_file
from reconciler.diagnostics import Diagnostic, Location, Severity
from reconciler.schema import located_errors, validator_for
from reconciler.yamlsafe import YamlError, load

MAX_CONFIG_BYTES = 1024 * 1024

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

YAML_NAME = ".campaigns.yaml"


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


def load_config(explicit: str | None = None,
                folder: Path = Path(".")) -> tuple[CheckConfig, list[Diagnostic]]:
    """The configuration in force, and any problem with it (located where possible)."""
    path = find_config(explicit, folder)
    if path is None:
        return CheckConfig(), []
    where = str(path)
    if not path.exists():
        return CheckConfig(), [Diagnostic(Location(where, 1, 1), "no such file",
                                          code="config")]
    problem, data = read_regular_file(where, MAX_CONFIG_BYTES)
    if problem:
        return CheckConfig(), [Diagnostic(Location(where, 1, 1), problem, code="config")]
    if path.suffix == ".toml":
        try:
            doc: Any = tomllib.loads(data.decode("utf-8")).get("tool", {}).get("campaigns")
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            return CheckConfig(), [Diagnostic(Location(where, 1, 1), f"invalid TOML: {exc}",
                                              code="config")]
        where_prefix = "tool.campaigns."
    else:
        try:
            doc = load(data)
        except YamlError as exc:
            p = exc.problem
            return CheckConfig(), [Diagnostic(Location(where, p.line, p.column), p.message,
                                              code="config")]
        where_prefix = ""
    if doc is None:
        doc = {}
    errors = located_errors(validator_for("config.schema.json"), doc)
    problems = [Diagnostic(Location(where, *e.mark), e.message,
                           field=where_prefix + e.field, code="config") for e in errors]
    if problems:
        return CheckConfig(), problems
    return _build(doc, where)


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _build(doc: dict[str, Any], where: str) -> tuple[CheckConfig, list[Diagnostic]]:
    checks = doc.get("checks") or {}
    quiet = checks.get("quiet_hours") or {}
    defaults = QuietHours()
    zone = quiet.get("timezone", defaults.zone)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return CheckConfig(), [Diagnostic(Location(where, 1, 1),
                                          f"unknown time zone {zone!r} (use an IANA name "
                                          "such as Africa/Luanda)",
                                          field="checks.quiet_hours.timezone", code="config")]
    config = CheckConfig(
        disabled=frozenset(checks.get("disable") or ()),
        severity=tuple((k, Severity(v)) for k, v in (checks.get("severity") or {}).items()),
        opt_out_phrases=tuple(checks.get("opt_out_phrases") or CheckConfig().opt_out_phrases),
        quiet_hours=QuietHours(
            start=_clock(quiet["start"]) if "start" in quiet else defaults.start,
            end=_clock(quiet["end"]) if "end" in quiet else defaults.end,
            zone=zone,
        ),
        max_sms_segments=int(checks.get("max_sms_segments", CheckConfig().max_sms_segments)),
        list_sizes=tuple(sorted((doc.get("list_sizes") or {}).items())),
        min_hours_between_marketing=float(checks.get(
            "min_hours_between_marketing", CheckConfig().min_hours_between_marketing)),
    )
    return config, []

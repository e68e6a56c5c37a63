"""Campaign definition files -> validated `Campaign` values, each with its file:line.

A file holds one campaign (a mapping with `name`) or a `campaigns:` list with an optional
`defaults:` mapping merged into each. Every problem of every file is collected, so that
one run reports them all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from reconciler.diagnostics import Diagnostic, Findings, Location, Severity, sorted_unique
from reconciler.schema import campaign_errors, defaults_validator, located_errors
from reconciler.yamlsafe import LocatedDict, LocatedList, Mark, YamlError, load

API_FIELDS = ("name", "channel", "contact_list_id", "sender_id", "body", "template", "scheduled_at")
LOCAL_FIELDS = ("previous_names", "description", "purpose", "skip_checks")
YAML_SUFFIXES = (".yaml", ".yml")
DEFAULT_PATH = "campaigns"


@dataclass(frozen=True)
class Campaign:
    """One campaign as defined in the repository, valid against the schema."""

    name: str
    channel: str
    contact_list_id: str
    sender_id: str
    location: Location
    body: str | None = None
    template: Mapping[str, Any] | None = None
    scheduled_at: str | None = None  # normalised to UTC, `...Z`
    previous_names: tuple[str, ...] = ()
    description: str | None = None
    purpose: str | None = None
    skip_checks: tuple[str, ...] = ()
    field_marks: Mapping[str, Mark] = field(default_factory=dict, compare=False)

    def payload(self) -> dict[str, Any]:
        """The exact JSON body that creates this campaign (local-only fields left out)."""
        body: dict[str, Any] = {
            "name": self.name,
            "channel": self.channel,
            "contact_list_id": self.contact_list_id,
            "sender_id": self.sender_id,
        }
        if self.body is not None:
            body["body"] = self.body
        if self.template is not None:
            body["template"] = _plain(self.template)
        body["scheduled_at"] = self.scheduled_at
        return body

    def digest(self) -> str:
        """A fingerprint of what is sent, name aside: it changes when the message would."""
        content = {k: v for k, v in self.payload().items() if k != "name"}
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def sends_at(self) -> datetime | None:
        """`scheduled_at` as an aware datetime; None: sends the moment it is created."""
        if self.scheduled_at is None:
            return None
        return datetime.fromisoformat(self.scheduled_at.replace("Z", "+00:00"))

    def location_of(self, name: str) -> Location:
        """Where a field's value stands (where `defaults` set it, if it came from there)."""
        mark = self.field_marks.get(name)
        return Location(self.location.file, *mark) if mark else self.location


@dataclass
class Definitions(Findings):
    """The outcome of reading definition paths: campaigns and every problem found."""

    campaigns: list[Campaign]
    diagnostics: list[Diagnostic]
    files: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


def _plain(value: Any) -> Any:
    """Located containers -> plain dicts and lists (for JSON and equality)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_FRACTION = re.compile(r"\.(\d+)")


def to_utc(text: str) -> str:
    """An RFC 3339 date-time with an offset -> the same instant as `YYYY-MM-DDTHH:MM:SSZ`."""
    text = text.replace("Z", "+00:00").replace("z", "+00:00").replace("t", "T")
    # RFC 3339 allows any number of fraction digits; Python 3.10 reads only 3 or 6.
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    parsed = datetime.fromisoformat(text)
    utc = parsed.astimezone(timezone.utc)
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return utc.strftime(fmt)


def discover(paths: Sequence[str]) -> tuple[list[str], list[Diagnostic]]:
    """Expand files and folders (recursively, sorted, hidden entries skipped)."""
    files: list[str] = []
    problems: list[Diagnostic] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found: list[str] = []
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(
                    os.path.join(root, n)
                    for n in names
                    if n.endswith(YAML_SUFFIXES) and not n.startswith(".")
                )
            if not found:
                problems.append(
                    Diagnostic(Location(given, 1, 1), "no *.yaml or *.yml files in this folder")
                )
            files.extend(sorted(found))
        elif path.is_file():
            files.append(given)
        else:
            problems.append(Diagnostic(Location(given, 1, 1), "no such file or folder"))
    # The same file named twice (a folder and a file in it) is read once.
    unique = list(dict.fromkeys(os.path.normpath(f) for f in files))
    return unique, problems


def load_definitions(paths: Sequence[str]) -> Definitions:
    files, diagnostics = discover(paths)
    campaigns: list[Campaign] = []
    for file in files:
        file_campaigns, file_diagnostics = load_file(file)
        campaigns.extend(file_campaigns)
        diagnostics.extend(file_diagnostics)
    diagnostics.extend(check_names(campaigns))
    return Definitions(campaigns, sorted_unique(diagnostics), files)


def load_file(file: str) -> tuple[list[Campaign], list[Diagnostic]]:
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        return [], [Diagnostic(Location(file, 1, 1), f"cannot be read: {exc.strerror}")]
    return parse_document(file, data)


def parse_document(file: str, data: bytes) -> tuple[list[Campaign], list[Diagnostic]]:
    """Parse one file's bytes into campaigns and located problems; never raises."""

    def at(mark: Mark) -> Location:
        return Location(file, mark[0], mark[1])

    try:
        top = load(data)
    except YamlError as exc:
        p = exc.problem
        return [], [Diagnostic(Location(file, p.line, p.column), p.message, code="yaml")]
    if top is None:
        return [], [
            Diagnostic(
                Location(file, 1, 1),
                "is empty: a campaign file holds a mapping with `name`, or a `campaigns:` list",
                code="yaml",
            )
        ]
    if not isinstance(top, LocatedDict):
        return [], [
            Diagnostic(
                at(getattr(top, "mark", (1, 1))),
                "must be a mapping at the top (a campaign with `name`, or a `campaigns:` list), "
                f"not {'a list' if isinstance(top, list) else 'a single value'}",
                code="yaml",
            )
        ]

    diagnostics: list[Diagnostic] = []
    if "campaigns" not in top:
        entries: list[LocatedDict] = [top]
        defaults = LocatedDict()
    else:
        entries, defaults = _file_form(top, at, diagnostics)

    campaigns: list[Campaign] = []
    for entry in entries:
        merged = _merge(defaults, entry)
        errors = campaign_errors(merged)
        for e in errors:
            diagnostics.append(Diagnostic(at(e.mark), e.message, field=e.field))
        if not errors:
            campaigns.append(_campaign(merged, at))
    return campaigns, diagnostics


def _file_form(
    top: LocatedDict, at: Any, diagnostics: list[Diagnostic]
) -> tuple[list[LocatedDict], LocatedDict]:
    for extra in sorted(set(top) - {"campaigns", "defaults"}):
        diagnostics.append(
            Diagnostic(
                at(top.key_marks[extra]),
                "a file with `campaigns:` may hold only `campaigns` and `defaults` at the top",
                field=extra,
            )
        )
    defaults = top.get("defaults", LocatedDict())
    if defaults is None:
        defaults = LocatedDict()
    if not isinstance(defaults, LocatedDict):
        diagnostics.append(
            Diagnostic(at(top.value_marks["defaults"]), "must be a mapping", field="defaults")
        )
        defaults = LocatedDict()
    else:
        for e in located_errors(defaults_validator(), defaults):
            diagnostics.append(Diagnostic(at(e.mark), e.message, field=f"defaults.{e.field}"))
        defaults = _only(defaults, [k for k in defaults if k not in ("name", "previous_names")])
    items = top["campaigns"]
    if not isinstance(items, LocatedList):
        diagnostics.append(
            Diagnostic(
                at(top.value_marks["campaigns"]), "must be a list of campaigns", field="campaigns"
            )
        )
        return [], defaults
    if not items:
        diagnostics.append(
            Diagnostic(at(top.value_marks["campaigns"]), "is an empty list", field="campaigns")
        )
    entries: list[LocatedDict] = []
    for index, item in enumerate(items):
        if isinstance(item, LocatedDict):
            entries.append(item)
        else:
            diagnostics.append(
                Diagnostic(
                    at(items.item_marks[index]),
                    "must be a mapping with the campaign's fields",
                    field=f"campaigns[{index}]",
                )
            )
    return entries, defaults


def _only(source: LocatedDict, keys: Iterable[str]) -> LocatedDict:
    out = LocatedDict(source.mark)
    for key in keys:
        out[key] = source[key]
        out.key_marks[key] = source.key_marks[key]
        out.value_marks[key] = source.value_marks[key]
        if key in source.raw:
            out.raw[key] = source.raw[key]
    return out


def _merge(defaults: LocatedDict, entry: LocatedDict) -> LocatedDict:
    if not defaults:
        return entry
    merged = _only(defaults, list(defaults))
    merged.mark = entry.mark
    for key in entry:
        merged[key] = entry[key]
        merged.key_marks[key] = entry.key_marks[key]
        merged.value_marks[key] = entry.value_marks[key]
        merged.raw.pop(key, None)
        if key in entry.raw:
            merged.raw[key] = entry.raw[key]
    return merged


def _campaign(data: LocatedDict, at: Any) -> Campaign:
    scheduled = data.get("scheduled_at")
    return Campaign(
        name=data["name"],
        channel=data["channel"],
        contact_list_id=data["contact_list_id"],
        sender_id=data["sender_id"],
        body=data.get("body"),
        template=_plain(data["template"]) if "template" in data else None,
        scheduled_at=to_utc(scheduled) if isinstance(scheduled, str) else None,
        previous_names=tuple(data.get("previous_names") or ()),
        description=data.get("description"),
        purpose=data.get("purpose"),
        skip_checks=tuple(data.get("skip_checks") or ()),
        location=at(data.mark),
        field_marks=data.value_marks,
    )


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def check_names(campaigns: Sequence[Campaign]) -> list[Diagnostic]:
    """Names are unique across all files; near-equal names and stale previous_names are flagged."""
    out: list[Diagnostic] = []
    by_name: dict[str, Campaign] = {}
    by_folded: dict[str, Campaign] = {}
    for c in campaigns:
        first = by_name.get(c.name)
        if first is not None:
            out.append(
                Diagnostic(
                    c.location_of("name"),
                    f"{c.name!r} is already defined at {first.location_of('name')}; "
                    "campaign names must be unique",
                    field="name",
                )
            )
            continue
        by_name[c.name] = c
        near = by_folded.get(_fold(c.name))
        if near is not None:
            out.append(
                Diagnostic(
                    c.location_of("name"),
                    f"{c.name!r} differs from {near.name!r} at {near.location_of('name')} only "
                    "in case or spacing; they are two different campaigns",
                    field="name",
                    severity=Severity.WARNING,
                    code="similar-names",
                )
            )
        else:
            by_folded[_fold(c.name)] = c
    claimed: dict[str, Campaign] = {}
    for c in campaigns:
        for old in c.previous_names:
            if old == c.name:
                out.append(
                    Diagnostic(
                        c.location_of("previous_names"),
                        f"{old!r} is the campaign's current name",
                        field="previous_names",
                    )
                )
            elif old in by_name:
                out.append(
                    Diagnostic(
                        c.location_of("previous_names"),
                        f"{old!r} is the name of another campaign defined at "
                        f"{by_name[old].location_of('name')}",
                        field="previous_names",
                    )
                )
            elif old in claimed and claimed[old] is not c:
                out.append(
                    Diagnostic(
                        c.location_of("previous_names"),
                        f"{old!r} is also a previous name of {claimed[old].name!r}",
                        field="previous_names",
                    )
                )
            else:
                claimed[old] = c
    return out

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
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from reconciler.definitions.gctune import fewer_collections
from reconciler.definitions.yamlsafe import MAX_FILE_BYTES, YamlError, load
from reconciler.diagnostics import Diagnostic, Findings, Location, Severity, sorted_unique
from reconciler.files import read_regular_file
from reconciler.located import LocatedDict, LocatedList, Mark
from reconciler.schema import (
    campaign_errors,
    defaults_validator,
    fast_is_valid,
    located_errors,
)

if TYPE_CHECKING:
    from reconciler.channels import MessageView
    from reconciler.channels.sms import SmsInfo

YAML_SUFFIXES = (".yaml", ".yml")
DEFAULT_FOLDER = "campaigns"  # what the commands read when given no path


@dataclass(frozen=True, slots=True)
class Campaign:
    """One campaign as defined in the repository, valid against the schema.

    Slots, not an instance dict: a repository of 100,000 campaigns holds 100,000 of them.
    """

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
    template_text: str | None = None  # local only: the approved template's text, for review
    purpose: str | None = None
    skip_checks: tuple[str, ...] = ()
    environments: tuple[str, ...] = ()  # empty: every environment
    # Aliases the configuration resolves per environment (`aliases.resolve`), when the
    # definition names its list or sender that way; the IDs above are "" until then.
    contact_list: str | None = None
    sender: str | None = None
    # Where each field's value stands: (lines below the campaign's own line, column).
    field_marks: Mapping[str, Mark] = field(default_factory=dict, compare=False)
    # The bytes of the file it was read from (shared by its campaigns), so that a check
    # can locate what it found inside a field's value (a link in a body).
    source: bytes | None = field(default=None, compare=False, repr=False)
    # `scheduled_at` as an aware datetime, read once (the checks ask for it many times).
    _sends_at: datetime | None = field(init=False, repr=False, compare=False)
    # What `sms()` found, once asked: the checks, the cost and the renderers each ask.
    _sms: SmsInfo | None = field(init=False, default=None, repr=False, compare=False)
    _view: MessageView | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        when = None if self.scheduled_at is None else \
            datetime.fromisoformat(self.scheduled_at.replace("Z", "+00:00"))
        object.__setattr__(self, "_sends_at", when)

    def sms(self) -> SmsInfo:
        """The body's SMS encoding, length and segments (`channels.sms.sms_info`), worked
        out once a campaign."""
        info = self._sms
        if info is None:
            info = _sms_info(self.body or "")
            object.__setattr__(self, "_sms", info)
        return info

    def view(self) -> MessageView:
        """The message as its recipient sees it (`channels.view_of`), made once."""
        shown = self._view
        if shown is None:
            from reconciler.channels import view_of

            shown = view_of(self)
            object.__setattr__(self, "_view", shown)
        return shown

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
        return self._sends_at

    def exists_in(self, environment: str | None) -> bool:
        """Whether this campaign is defined for `environment` (None: no environments)."""
        return not self.environments or environment in self.environments

    def location_of(self, name: str) -> Location:
        """Where a field's value stands (where `defaults` set it, if it came from there)."""
        mark = self.field_marks.get(name)
        if not mark:
            return self.location
        return Location(self.location.file, self.location.line + mark[0], mark[1])


@dataclass
class Definitions(Findings):
    """The outcome of reading definition paths: campaigns and every problem found."""

    campaigns: list[Campaign]
    diagnostics: list[Diagnostic]
    files: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


@lru_cache(maxsize=4096)  # a body shared by many campaigns (a file's defaults) is measured once
def _sms_info(body: str) -> SmsInfo:
    from reconciler.channels.sms import sms_info  # loaded where an SMS is measured

    return sms_info(body)


def _plain(value: Any) -> Any:
    """Located containers -> plain dicts and lists (for JSON and equality)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_FRACTION = re.compile(r"\.(\d+)")


@lru_cache(maxsize=1024)  # the checks and the campaign read each send time in turn
def to_utc(text: str) -> str:
    """An RFC 3339 date-time with an offset -> the same instant as `YYYY-MM-DDTHH:MM:SSZ`."""
    text = text.replace("Z", "+00:00").replace("z", "+00:00").replace("t", "T")
    # RFC 3339 allows any number of fraction digits; Python 3.10 reads only 3 or 6.
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    parsed = datetime.fromisoformat(text)
    utc = parsed.astimezone(timezone.utc)  # OverflowError near the ends of the calendar
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
                found.extend(  # sorted as written everywhere, with `/`
                    portable_path(os.path.join(root, n))
                    for n in names
                    if n.endswith(YAML_SUFFIXES) and not n.startswith(".")
                )
            if not found:
                problems.append(
                    Diagnostic(Location(given, 1, 1), "no *.yaml or *.yml files in this folder")
                )
            files.extend(sorted(found))
        elif path.exists():
            files.append(given)  # read_regular_file says what it is if it is not a file
        elif given == DEFAULT_FOLDER:
            problems.append(Diagnostic(Location(given, 1, 1), (
                "no such file or folder (the default): name the definitions' files or "
                "folders, e.g. `campaigns validate marketing/campaigns`; in a pre-commit "
                "hook, `args: [marketing/campaigns]`")))
        else:
            problems.append(Diagnostic(Location(given, 1, 1), "no such file or folder"))
    # The same file named twice (a folder and a file in it) is read once.
    unique = list(dict.fromkeys(portable_path(f) for f in files))
    return unique, problems


def portable_path(file: str) -> str:
    """`file` as every platform writes it in messages, plans and the state: normalised,
    with `/` between folders, so that a state applied on Windows reads the same as one
    applied on Linux (Windows opens such paths as they are)."""
    return PurePath(os.path.normpath(file)).as_posix()


def load_definitions(paths: Sequence[str]) -> Definitions:
    with fewer_collections():
        return _load_definitions(paths)


def _load_definitions(paths: Sequence[str]) -> Definitions:
    files, diagnostics = discover(paths)
    campaigns: list[Campaign] = []
    for file in files:
        file_campaigns, file_diagnostics = load_file(file)
        campaigns.extend(file_campaigns)
        diagnostics.extend(file_diagnostics)
    diagnostics.extend(check_names(campaigns))
    return Definitions(campaigns, sorted_unique(diagnostics), files)


def load_file(file: str) -> tuple[list[Campaign], list[Diagnostic]]:
    problem, data = read_regular_file(file, MAX_FILE_BYTES)
    if problem:
        return [], [Diagnostic(Location(file, 1, 1), problem)]
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
        if errors:
            continue
        problems = _value_problems(merged, at)
        diagnostics.extend(problems)
        if not problems:
            campaigns.append(_campaign(merged, at, data))
    return campaigns, diagnostics


# What a name may not hold, beyond the schema's one-line rule (which editors apply too):
# control (Cc) and format (Cf) characters, which include the bidi overrides and zero-width
# characters, and line and paragraph separators.
_FORBIDDEN_IN_NAMES = frozenset(("Cc", "Cf", "Zl", "Zp"))
EARLIEST_YEAR, LATEST_YEAR = 2000, 2200


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a campaign name, naming the code point and its position."""
    if name.isprintable() and unicodedata.is_normalized("NFC", name):
        return None  # no Cc, Cf, Zl or Zp character, and NFC: the common case, at C speed
    for position, char in enumerate(name, start=1):
        category = unicodedata.category(char)
        if category in _FORBIDDEN_IN_NAMES:
            label = unicodedata.name(char, "a control character")
            return (f"holds U+{ord(char):04X} ({label}) at character {position}; names may "
                    "not hold control, format or line-separator characters (they are "
                    "invisible or change how the name is shown)")
    if unicodedata.normalize("NFC", name) != name:
        return ("is not in Unicode normal form C (a letter and its accent are stored "
                "apart): it looks the same as another spelling but matches differently; "
                "retype it, or save the file NFC-normalised")
    return None


def scheduled_problem(text: str) -> str | None:
    """Why a schema-valid `scheduled_at` still cannot be used (a year out of range)."""
    try:
        utc = to_utc(text)
    except (ValueError, OverflowError):
        return f"{text!r} cannot be converted to UTC (it is outside the calendar)"
    year = int(utc[:4])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return (f"{text!r} is in the year {year}; a send time must be between "
                f"{EARLIEST_YEAR} and {LATEST_YEAR}")
    return None


def _value_problems(data: LocatedDict, at: Any) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    names = [("name", data["name"], data.value_marks.get("name", data.mark))]
    previous = data.get("previous_names") or []
    marks = getattr(previous, "item_marks", [])
    names.extend((f"previous_names[{i}]", old, marks[i] if i < len(marks) else data.mark)
                 for i, old in enumerate(previous))
    for field_name, value, mark in names:
        problem = name_problem(value)
        if problem:
            out.append(Diagnostic(at(mark), f"{value!r} {problem}", field=field_name))
    scheduled = data.get("scheduled_at")
    if isinstance(scheduled, str):
        problem = scheduled_problem(scheduled)
        if problem:
            out.append(Diagnostic(at(data.value_marks.get("scheduled_at", data.mark)), problem,
                                  field="scheduled_at"))
    return out


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
        errors = [] if fast_is_valid("defaults", defaults) else located_errors(
            defaults_validator(), defaults)
        for e in errors:
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


# An ID and its alias are one choice: a campaign that gives either replaces the defaults'.
_PAIRS = {"contact_list_id": "contact_list", "contact_list": "contact_list_id",
          "sender_id": "sender", "sender": "sender_id"}


def _merge(defaults: LocatedDict, entry: LocatedDict) -> LocatedDict:
    if not defaults:
        return entry
    replaced = {_PAIRS[k] for k in entry if k in _PAIRS}
    merged = _only(defaults, [k for k in defaults if k not in replaced])
    merged.mark = entry.mark
    for key in entry:
        merged[key] = entry[key]
        merged.key_marks[key] = entry.key_marks[key]
        merged.value_marks[key] = entry.value_marks[key]
        merged.raw.pop(key, None)
        if key in entry.raw:
            merged.raw[key] = entry.raw[key]
    return merged


def _campaign(data: LocatedDict, at: Any, source: bytes | None = None) -> Campaign:
    scheduled = data.get("scheduled_at")
    return Campaign(
        name=data["name"],
        channel=data["channel"],
        contact_list_id=data.get("contact_list_id", ""),
        sender_id=data.get("sender_id", ""),
        contact_list=data.get("contact_list"),
        sender=data.get("sender"),
        body=data.get("body"),
        template=_plain(data["template"]) if "template" in data else None,
        scheduled_at=to_utc(scheduled) if isinstance(scheduled, str) else None,
        previous_names=tuple(data.get("previous_names") or ()),
        description=data.get("description"),
        template_text=data.get("template_text"),
        purpose=data.get("purpose"),
        skip_checks=tuple(data.get("skip_checks") or ()),
        environments=tuple(data.get("environments") or ()),
        location=at(data.mark),
        field_marks=_relative(data.value_marks, data.mark[0]),
        source=source,
    )


_OFFSETS: dict[Mark, Mark] = {}  # every (line offset, column) pair, kept once
# Campaigns written alike (the same fields at the same offsets from their own line) share
# one mapping of marks, never changed once made: a large repository holds a hundred
# thousand campaigns and a handful of layouts. Fields from a file's `defaults:` stand at a
# different offset from each campaign, so past this many layouts each gets its own.
_LAYOUTS: dict[tuple[tuple[str, int, int], ...], dict[str, Mark]] = {}
MAX_SHARED_LAYOUTS = 4096


def _relative(marks: Mapping[str, Mark], line: int) -> dict[str, Mark]:
    """Marks relative to the campaign's line, shared by the campaigns of one layout."""
    layout = tuple((key, mark_line - line, column) for key, (mark_line, column) in marks.items())
    shared = _LAYOUTS.get(layout)
    if shared is not None:
        return shared
    out = {}
    for key, offset_line, column in layout:
        offset = (offset_line, column)
        out[key] = _OFFSETS.setdefault(offset, offset)
    if len(_LAYOUTS) < MAX_SHARED_LAYOUTS:
        _LAYOUTS[layout] = out
    return out


def _same(name: str) -> str:
    """What two names that a person cannot tell apart have in common."""
    return unicodedata.normalize("NFC", name).casefold()


def _fold(name: str) -> str:
    return " ".join(_same(name).split())


def check_names(campaigns: Sequence[Campaign]) -> list[Diagnostic]:
    """Names are unique across all files, also after NFC normalisation and case folding (an
    error at both places); names equal but for spacing are flagged; stale previous_names."""
    out: list[Diagnostic] = []
    by_name: dict[str, Campaign] = {}
    by_same: dict[str, Campaign] = {}
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
        twin = by_same.get(_same(c.name))
        if twin is not None:
            for here, there in ((c, twin), (twin, c)):
                out.append(Diagnostic(
                    here.location_of("name"),
                    f"{here.name!r} and {there.name!r} at {there.location_of('name')} differ "
                    "only in case or Unicode normalisation; a reviewer cannot tell them "
                    "apart: rename one", field="name", code="confusable-names"))
            continue
        by_same[_same(c.name)] = c
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

"""Campaign definition files -> validated `Campaign` values, each with its file:line.

A file holds one campaign (a mapping with `name`) or a `campaigns:` list with an optional
`defaults:` mapping merged into each. Every problem of every file is collected, so that
one run reports them all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

from reconciler.definitions.campaign import Campaign, Definitions, plain, to_utc
from reconciler.definitions.gctune import fewer_collections
from reconciler.definitions.rules import check_names, send_time_problem, value_problems
from reconciler.definitions.yamlsafe import MAX_FILE_BYTES, YamlError, load
from reconciler.diagnostics import Diagnostic, Location, sorted_unique
from reconciler.files import read_regular_file
from reconciler.schema import (
    campaign_errors,
    defaults_validator,
    fast_is_valid,
    known_valid_over,
)
from reconciler.schema.errors import located_errors
from reconciler.schema.located import LocatedDict, LocatedList, Mark

YAML_SUFFIXES = (".yaml", ".yml")
DEFAULT_FOLDER = "campaigns"  # what the commands read when given no path

# Why a path given on the command line holds no definitions.
NO_YAML_IN_FOLDER = "no *.yaml or *.yml files in this folder"
NO_SUCH_PATH = "no such file or folder"
NO_DEFAULT_FOLDER = ("no such file or folder (the default): name the definitions' files or "
                     "folders, e.g. `campaigns validate marketing/campaigns`; in a pre-commit "
                     "hook, `args: [marketing/campaigns]`")


def discover(paths: Sequence[str]) -> tuple[list[str], list[Diagnostic]]:
    """Expand files and folders (recursively, sorted, hidden entries skipped)."""
    files: list[str] = []
    problems: list[Diagnostic] = []
    for given in paths:
        found, problem = _expand(given)
        files.extend(found)
        if problem is not None:
            problems.append(Diagnostic(Location(given, 1, 1), problem))
    # The same file named twice (a folder and a file in it) is read once.
    unique = list(dict.fromkeys(portable_path(f) for f in files))
    return unique, problems


def _expand(given: str) -> tuple[list[str], str | None]:
    """The files a path on the command line names, or why it names none."""
    path = Path(given)
    if path.is_dir():
        found = _yaml_files_under(path)
        return found, None if found else NO_YAML_IN_FOLDER
    if path.exists():
        return [given], None  # read_regular_file says what it is if it is not a file
    return [], NO_DEFAULT_FOLDER if given == DEFAULT_FOLDER else NO_SUCH_PATH


def _yaml_files_under(folder: Path) -> list[str]:
    """The YAML files under `folder` (hidden files and folders skipped), sorted as they are
    written everywhere, with `/`."""
    found: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(portable_path(os.path.join(root, n)) for n in names
                     if n.endswith(YAML_SUFFIXES) and not n.startswith("."))
    return sorted(found)


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

    return _campaigns(entries, defaults, at, data, diagnostics), diagnostics


def _campaigns(entries: list[LocatedDict], defaults: LocatedDict, at: Any, data: bytes,
               diagnostics: list[Diagnostic]) -> list[Campaign]:
    """The valid campaigns of `entries` over `defaults`; the others' problems added to
    `diagnostics`."""
    shared = _Shared(defaults, at) if defaults else None
    campaigns: list[Campaign] = []
    for entry in entries:
        if shared is not None and shared.usable:
            base = shared.base_for(entry)
            if known_valid_over(base.data, entry):  # (the common case: no merge)
                problems = value_problems(entry, at)
                diagnostics.extend(problems)
                if not problems:
                    campaigns.append(base.campaign(entry, at, data))
                continue
        merged = _merge(defaults, entry)
        errors = campaign_errors(merged)
        for e in errors:
            diagnostics.append(Diagnostic(at(e.mark), e.message, field=e.field))
        if errors:
            continue
        problems = value_problems(merged, at)
        diagnostics.extend(problems)
        if not problems:
            campaigns.append(_campaign(merged, at, data))
    return campaigns


def _file_form(
    top: LocatedDict, at: Any, diagnostics: list[Diagnostic]
) -> tuple[list[LocatedDict], LocatedDict]:
    """The campaigns of a `campaigns:` file and its defaults (checked; what each campaign
    must set itself left out)."""
    for extra in sorted(set(top) - {"campaigns", "defaults"}):
        diagnostics.append(Diagnostic(
            at(top.key_marks[extra]),
            "a file with `campaigns:` may hold only `campaigns` and `defaults` at the top",
            field=extra))
    defaults = _file_defaults(top, at, diagnostics)
    return _file_entries(top, at, diagnostics), defaults


def _file_defaults(top: LocatedDict, at: Any, diagnostics: list[Diagnostic]) -> LocatedDict:
    defaults = top.get("defaults")
    if defaults is None:
        return LocatedDict()
    if not isinstance(defaults, LocatedDict):
        diagnostics.append(
            Diagnostic(at(top.value_marks["defaults"]), "must be a mapping", field="defaults"))
        return LocatedDict()
    if not fast_is_valid("defaults", defaults):
        diagnostics.extend(Diagnostic(at(e.mark), e.message, field=f"defaults.{e.field}")
                           for e in located_errors(defaults_validator(), defaults))
    return _only(defaults, [k for k in defaults if k not in ("name", "previous_names")])


def _file_entries(top: LocatedDict, at: Any, diagnostics: list[Diagnostic]) -> list[LocatedDict]:
    items = top["campaigns"]
    where = at(top.value_marks["campaigns"])
    if not isinstance(items, LocatedList):
        diagnostics.append(Diagnostic(where, "must be a list of campaigns", field="campaigns"))
        return []
    if not items:
        diagnostics.append(Diagnostic(where, "is an empty list", field="campaigns"))
    entries: list[LocatedDict] = []
    for index, item in enumerate(items):
        if isinstance(item, LocatedDict):
            entries.append(item)
        else:
            diagnostics.append(Diagnostic(at(items.item_marks[index]),
                                          "must be a mapping with the campaign's fields",
                                          field=f"campaigns[{index}]"))
    return entries


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


def _base(defaults: LocatedDict, entry: LocatedDict) -> LocatedDict:
    """What of `defaults` stands under `entry`: all of it but the ID or alias of a pair of
    which `entry` gives the other."""
    replaced = {_PAIRS[k] for k in entry if k in _PAIRS}
    return _only(defaults, [k for k in defaults if k not in replaced]) \
        if replaced & defaults.keys() else defaults


def _merge(defaults: LocatedDict, entry: LocatedDict) -> LocatedDict:
    """`entry` over `defaults`, with the marks and source text of where each value stands."""
    if not defaults:
        return entry
    base = _base(defaults, entry)
    merged = LocatedDict(entry.mark)
    merged.update(base)
    merged.update(entry)
    merged.key_marks = {**base.key_marks, **entry.key_marks}
    merged.value_marks = {**base.value_marks, **entry.value_marks}
    merged.raw = {k: v for k, v in base.raw.items() if k not in entry}
    merged.raw.update(entry.raw)
    return merged


def _campaign(data: LocatedDict, at: Any, source: bytes | None = None) -> Campaign:
    """The campaign of a valid definition (merged over its file's defaults, if any)."""
    return Campaign(**{**_UNSET, **_values(data)}, location=at(data.mark),
                    field_marks=_relative(data.value_marks, data.mark[0]), source=source)


# A campaign that names its list or sender by an alias has no ID until it is resolved.
_UNSET: dict[str, Any] = {"contact_list_id": "", "sender_id": ""}


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value or ())


def _send_time(value: Any) -> str | None:
    return to_utc(value) if isinstance(value, str) else None


# How a field's value becomes the campaign's (the others are kept as they are).
_CONVERT: dict[str, Any] = {"template": plain, "scheduled_at": _send_time,
                            "previous_names": _tuple, "skip_checks": _tuple,
                            "environments": _tuple}


def _values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The `Campaign` values of the fields `data` sets (a valid definition sets no other)."""
    out = {}
    for key, value in data.items():
        convert = _CONVERT.get(key)
        out[key] = value if convert is None else convert(value)
    return out


class _Base:
    """What a file's `defaults:` give the campaigns over them, worked out once: their
    values and where each stands."""

    def __init__(self, data: LocatedDict, at: Any) -> None:
        self.data = data
        self.values = {**_UNSET, **_values(data)}
        self.placed = {key: at(mark) for key, mark in data.value_marks.items()}

    def campaign(self, entry: LocatedDict, at: Any, source: bytes) -> Campaign:
        """The campaign of `entry` over these defaults (the two found valid together)."""
        return Campaign(**{**self.values, **_values(entry)}, location=at(entry.mark),
                        field_marks=_relative(entry.value_marks, entry.mark[0]),
                        defaults_at=self.placed, source=source)


class _Shared:
    """A `campaigns:` file's `defaults:`, for its campaigns that can be checked and made
    without merging each over them (see `schema.known_valid_over`): usable when the
    defaults' fields pass their own rules and their send time, if any, can be used."""

    def __init__(self, defaults: LocatedDict, at: Any) -> None:
        self.defaults = defaults
        self.at = at
        self.usable = fast_is_valid("campaign_fields", defaults) \
            and send_time_problem(defaults, at) is None
        self._bases: dict[frozenset[str], _Base] = {}

    def base_for(self, entry: LocatedDict) -> _Base:
        """The defaults under `entry` (without what of a pair it replaces)."""
        pairs = frozenset(k for k in entry if k in _PAIRS)
        base = self._bases.get(pairs)
        if base is None:
            base = self._bases[pairs] = _Base(_base(self.defaults, entry), self.at)
        return base


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



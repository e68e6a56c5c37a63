"""The rules on a campaign's values that the schema cannot state: what a name may hold
(`name_problem`), a send time's year (`scheduled_problem`), and, across every file, that
names are unique and previous names stale (`check_names`; see `reconciler/names.py` for
which form of a name answers which question).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import reconciler.channels.unseen as unseen
from reconciler.definitions.campaign import Campaign, to_utc
from reconciler.diagnostics import Diagnostic, Severity
from reconciler.schema.located import LocatedDict

# What a name may not hold, beyond the schema's one-line rule (which editors apply too):
# control (Cc) and format (Cf) characters, which include the bidi overrides and zero-width
# characters, and line and paragraph separators.
_FORBIDDEN_IN_NAMES = unseen.HIDDEN_CATEGORIES
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


def value_problems(data: LocatedDict, at: Any) -> list[Diagnostic]:
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
    late = send_time_problem(data, at)
    if late is not None:
        out.append(late)
    return out


def send_time_problem(data: LocatedDict, at: Any) -> Diagnostic | None:
    """Why the `scheduled_at` that `data` sets cannot be used (`scheduled_problem`)."""
    scheduled = data.get("scheduled_at")
    problem = scheduled_problem(scheduled) if isinstance(scheduled, str) else None
    if problem is None:
        return None
    return Diagnostic(at(data.value_marks.get("scheduled_at", data.mark)), problem,
                      field="scheduled_at")


def _uniqueness_key(name: str) -> str:
    """What two names a person cannot tell apart have in common (NFC, case folded): no two
    definitions may share it."""
    return unicodedata.normalize("NFC", name).casefold()


def _similarity_key(name: str) -> str:
    """The uniqueness key with every run of white space as one space: two definitions that
    share it are flagged, not refused."""
    return " ".join(_uniqueness_key(name).split())


def check_names(campaigns: Sequence[Campaign]) -> list[Diagnostic]:
    """Names are unique across all files, also after NFC normalisation and case folding (an
    error at both places); names equal but for spacing are flagged; stale previous_names."""
    first_by_name = {c.name: c for c in reversed(campaigns)}  # the first of each name
    return [*_same_names(campaigns), *_stale_previous_names(campaigns, first_by_name)]


def _same_names(campaigns: Sequence[Campaign]) -> list[Diagnostic]:
    """Names defined twice, or that differ only in case, Unicode form or spacing."""
    out: list[Diagnostic] = []
    by_name: dict[str, Campaign] = {}
    by_key: dict[str, Campaign] = {}
    by_similar: dict[str, Campaign] = {}
    for c in campaigns:
        first = by_name.get(c.name)
        if first is not None:
            out.append(_defined_twice(c, first))
            continue
        by_name[c.name] = c
        key = _uniqueness_key(c.name)
        twin = by_key.get(key)
        if twin is not None:
            out.extend(_confusable(here, there) for here, there in ((c, twin), (twin, c)))
            continue
        by_key[key] = c
        similar = _similarity_key(c.name)
        near = by_similar.get(similar)
        if near is not None:
            out.append(_similar(c, near))
        else:
            by_similar[similar] = c
    return out


def _defined_twice(again: Campaign, first: Campaign) -> Diagnostic:
    return Diagnostic(again.location_of("name"),
                      f"{again.name!r} is already defined at {first.location_of('name')}; "
                      "campaign names must be unique", field="name")


def _confusable(here: Campaign, there: Campaign) -> Diagnostic:
    return Diagnostic(here.location_of("name"),
                      f"{here.name!r} and {there.name!r} at {there.location_of('name')} differ "
                      "only in case or Unicode normalisation; a reviewer cannot tell them "
                      "apart: rename one", field="name", code="confusable-names")


def _similar(c: Campaign, near: Campaign) -> Diagnostic:
    return Diagnostic(c.location_of("name"),
                      f"{c.name!r} differs from {near.name!r} at {near.location_of('name')} only "
                      "in case or spacing; they are two different campaigns",
                      field="name", severity=Severity.WARNING, code="similar-names")


def _stale_previous_names(campaigns: Sequence[Campaign],
                          first_by_name: Mapping[str, Campaign]) -> list[Diagnostic]:
    """A previous name that is the campaign's own, another's name, or another's previous."""
    out: list[Diagnostic] = []
    claimed: dict[str, Campaign] = {}
    for c in campaigns:
        for old in c.previous_names:
            problem = _previous_name_problem(c, old, first_by_name, claimed)
            if problem is None:
                claimed[old] = c
            else:
                out.append(Diagnostic(c.location_of("previous_names"), problem,
                                      field="previous_names"))
    return out


def _previous_name_problem(c: Campaign, old: str, first_by_name: Mapping[str, Campaign],
                           claimed: Mapping[str, Campaign]) -> str | None:
    if old == c.name:
        return f"{old!r} is the campaign's current name"
    if old in first_by_name:
        return (f"{old!r} is the name of another campaign defined at "
                f"{first_by_name[old].location_of('name')}")
    if old in claimed and claimed[old] is not c:
        return f"{old!r} is also a previous name of {claimed[old].name!r}"
    return None

"""When a plan's campaigns go out, beside those of this repository already scheduled: a
mermaid gantt chart for the comment (one section per contact list) and a day-by-day
timeline for the terminal. Times are in the reviewers' zone (the quiet hours')."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reconciler import clock
from reconciler.definitions import Campaign
from reconciler.diagnostics import Location
from reconciler.plan import Action, Plan
from reconciler.plural import counted

MAX_BARS = 60  # a chart a reviewer can read; the rest are counted
MARGIN = timedelta(days=1)  # around the creates: what else reaches the same people then


@dataclass(frozen=True)
class Send:
    """One campaign's send, as the schedule shows it."""

    name: str
    list_shown: str
    at: datetime  # aware
    new: bool  # created by this plan (else already scheduled by an earlier apply)
    immediately: bool = False
    quiet_hours: bool = False
    too_close: bool = False  # a list-frequency finding


def zone_of(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


class LocalTime(NamedTuple):
    """A moment as the reviewers' clock shows it."""

    date: date
    hour: str  # `10:00`
    day: str  # `Sat 1 Jun 2030`


# A plan's sends share a few moments (a hundred lists sent to at 09:00 on some day): each is
# written once. One strftime writes it, since each `{local:%a}` of an f-string is a
# strftime of its own that works out the zone's offset again.
@lru_cache(maxsize=4096)
def local_time(moment: datetime, zone: str) -> LocalTime:
    """`moment` (aware) in the zone named `zone`."""
    local = moment.astimezone(zone_of(zone))
    hour, day = local.strftime(f"%H:%M %a {local.day} %b %Y").split(" ", 1)
    return LocalTime(local.date(), hour, day)


@lru_cache(maxsize=4096)  # the sends' moments repeat, and so do their distances from now
def relative(delta: timedelta) -> str:
    """`in 45 minutes`, `in 3 days`, `in 5 months`, `in 73 years`."""
    seconds = delta.total_seconds()
    if seconds < 0:
        return "in the past"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"in {counted(max(1, minutes), 'minute')}"
    hours = round(seconds / 3600)
    if hours < 48:
        return f"in {hours} hours"
    days = round(seconds / 86400)
    if days < 60:
        return f"in {days} days"
    if days < 730:
        return f"in {round(days / 30.44)} months"
    return f"in {round(days / 365.25)} years"


def _flagged(plan: Plan, code: str) -> set[Location]:
    return {d.location for d in plan.diagnostics if d.code == code}


def _marked(c: Campaign, flagged: set[Location]) -> bool:
    """Whether a finding in `flagged` is about `c`'s send time or name."""
    return bool(flagged) and not flagged.isdisjoint(
        (c.location_of("scheduled_at"), c.location_of("name")))


def _list_shown(c: Campaign) -> str:
    return f"{c.contact_list} → {c.contact_list_id}" if c.contact_list else c.contact_list_id


def sends(plan: Plan) -> list[Send]:
    """This plan's creates, and the campaigns defined here already scheduled and not yet
    sent within a day of them, by time."""
    now = clock.parse(plan.generated_at)
    quiet, close = _flagged(plan, "quiet-hours"), _flagged(plan, "list-frequency")

    def send(c: Campaign, new: bool) -> Send:
        return Send(c.name, _list_shown(c), c.sends_at or now, new, c.sends_at is None,
                    _marked(c, quiet), _marked(c, close))

    creates = [send(i.campaign, True) for i in plan.of(Action.CREATE)]
    if not creates:
        return []
    start = min(s.at for s in creates) - MARGIN
    end = max(s.at for s in creates) + MARGIN
    scheduled = [send(i.campaign, False) for i in plan.items
                 if i.action in (Action.IN_SYNC, Action.RENAME, Action.ADOPT)
                 and i.campaign.sends_at is not None and now < i.campaign.sends_at
                 and start <= i.campaign.sends_at <= end]
    return sorted([*creates, *scheduled], key=lambda s: (s.at, s.name))


# -- mermaid --------------------------------------------------------------------------------

# What a gantt task or section name may hold: mermaid reads `:` `;` `#` `%%` and entities
# as syntax. Letters (any script), digits, spaces and a few marks are kept.
_UNSAFE = re.compile(r"[^\w .,'()/+!?-]")


_KEYWORDS = frozenset((
    "gantt", "title", "section", "dateformat", "axisformat", "tickinterval", "excludes",
    "includes", "todaymarker", "inclusiveenddates", "topaxis",
    "displaymode", "acctitle", "accdescr", "click", "call", "href"))
_DAYS = frozenset(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                   "sunday"))


def chart_text(text: str, limit: int = 48) -> str:
    """`text` as a gantt name that always parses: one line, unsafe characters spaced, and
    never starting with one of the chart's keywords."""
    cleaned = " ".join(_UNSAFE.sub(" ", text).split())[:limit].strip() or "unnamed"
    words = cleaned.lower().split(" ")
    keyword = words[0] in _KEYWORDS or (words[0] in ("weekday", "weekend")
                                        and len(words) > 1 and words[1] in _DAYS)
    return f"» {cleaned}" if keyword else cleaned


def _label(s: Send) -> str:
    notes = [n for n, on in (("now", s.immediately), ("quiet hours", s.quiet_hours),
                             ("too close", s.too_close), ("scheduled", not s.new)) if on]
    return chart_text(s.name) + (f" ({', '.join(notes)})" if notes else "")


def gantt(plan: Plan, found: Sequence[Send]) -> tuple[str, int]:
    """The mermaid chart of `found` (at most MAX_BARS bars), and how many were left out."""
    zone = zone_of(plan.zone)
    shown = list(found[:MAX_BARS])
    span = (max(s.at for s in shown) - min(s.at for s in shown)) if shown else timedelta()
    minutes = max(30, int(span.total_seconds() / 60 / 40))  # a bar stays visible
    lines = ["gantt", f"    title Sends, {chart_text(plan.zone)} time",
             "    dateFormat YYYY-MM-DD HH:mm", "    axisFormat %d %b %H:%M"]
    by_list: dict[str, list[Send]] = {}
    for s in shown:
        by_list.setdefault(s.list_shown, []).append(s)
    for list_shown, group in by_list.items():
        lines.append(f"    section {chart_text(list_shown)}")
        lines.extend(_bar(s, zone, minutes) for s in group)
    return "\n".join(lines), len(found) - len(shown)


def _bar(s: Send, zone: tzinfo, minutes: int) -> str:
    """One send's task line: `    Sale (quiet hours) :crit, 2030-02-01 23:00, 30m`."""
    tags = ["crit"] if s.quiet_hours or s.too_close else []
    if not s.new:
        tags.append("done")
    local = s.at.astimezone(zone)
    return f"    {_label(s)} :{''.join(t + ', ' for t in tags)}{local:%Y-%m-%d %H:%M}, {minutes}m"


# -- text -----------------------------------------------------------------------------------


def timeline(plan: Plan, found: Sequence[Send]) -> Iterator[str]:
    """`Thu 20 Mar 2031` then `  09:00  + Spring Sale  lst_customers  in 292 days`."""
    now = clock.parse(plan.generated_at)
    day = None
    width = min(max((len(s.name) for s in found), default=10), 40)
    for s in found:
        local = local_time(s.at, plan.zone)
        if local.date != day:
            day = local.date
            yield f"  {local.day}"
        marks = [m for m, on in (("quiet hours", s.quiet_hours),
                                 ("too close to another marketing send", s.too_close),
                                 ("already scheduled", not s.new)) if on]
        when, after = ("now", "when applied") if s.immediately else \
            (local.hour, relative(s.at - now))
        yield (f"    {when:>5}  {'+' if s.new else '='} {s.name:<{width}}  {s.list_shown}  "
               f"{after}" + (f"  ({'; '.join(marks)})" if marks else ""))

"""The review page's schedule: each contact list's sends, day by day, as marks on a 24-hour
bar in the reviewers' zone, with the quiet hours shaded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo

from reconciler.checks.config import QuietHours
from reconciler.plan import Plan
from reconciler.render.review_lines import safe
from reconciler.render.schedule import Send, local_time, zone_of

LANE_NAMES = 12  # sends named in one day's row of the schedule; the rest are counted


@dataclass(frozen=True)
class Mark:
    """One send on a day's 24-hour bar."""

    name: str
    time: str
    x: float  # minutes after local midnight
    new: bool
    quiet: bool
    close: bool
    now: bool


@dataclass(frozen=True)
class Day:
    label: str
    marks: tuple[Mark, ...]
    more: int  # sends of that day not named


@dataclass(frozen=True)
class Lane:
    """A contact list's sends, day by day."""

    list_shown: str
    days: tuple[Day, ...]
    collisions: int


@dataclass(frozen=True)
class Quiet:
    """The quiet hours as stretches of the 24-hour bar, in minutes."""

    label: str
    stretches: tuple[tuple[int, int], ...]


def quiet_of(quiet: QuietHours) -> Quiet:
    start = quiet.start.hour * 60 + quiet.start.minute
    end = quiet.end.hour * 60 + quiet.end.minute
    stretches = ((start, end),) if start <= end else ((0, end), (start, 1440))
    return Quiet(f"{quiet.start:%H:%M}–{quiet.end:%H:%M} {quiet.zone}",
                 tuple((a, b) for a, b in stretches if b > a))


def _mark(s: Send, zone: tzinfo) -> Mark:
    local = s.at.astimezone(zone)
    return Mark(safe(s.name), "now" if s.immediately else f"{local:%H:%M}",
                local.hour * 60 + local.minute, s.new, s.quiet_hours, s.too_close,
                s.immediately)


def lanes(plan: Plan, found: Sequence[Send]) -> list[Lane]:
    zone = zone_of(plan.zone)
    by_list: dict[str, dict[str, list[Send]]] = {}
    for s in found:
        day = local_time(s.at, plan.zone).day
        by_list.setdefault(s.list_shown, {}).setdefault(day, []).append(s)
    out = []
    for list_shown, days in by_list.items():
        rows = []
        for label, group in days.items():
            marks = tuple(_mark(s, zone) for s in group[:LANE_NAMES])
            rows.append(Day(label, marks, len(group) - len(marks)))
        out.append(Lane(safe(list_shown), tuple(rows),
                        sum(1 for group in days.values() for s in group if s.too_close)))
    return out

"""The list-frequency check: marketing campaigns that reach one contact list closer
together than `min_hours_between_marketing`, found in n log n (each list's sends sorted
by time), not by comparing every pair."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from reconciler.checks.catalogue import Finding
from reconciler.checks.config import CheckConfig
from reconciler.definitions import Campaign


class _Timeline:
    """The marketing sends to one list, by time: the nearest other send to a moment in
    O(log n), so that checking n campaigns costs n log n, not n squared. Ties go to the
    campaign listed first (context before subjects), as a linear scan would pick."""

    def __init__(self, sends: Sequence[tuple[datetime, Campaign]]) -> None:
        firsts: dict[datetime, list[tuple[int, Campaign]]] = {}
        for order, (moment, c) in enumerate(sends):
            group = firsts.setdefault(moment, [])
            if len(group) < 2:  # the two listed first: one of them is not the asker
                group.append((order, c))
        self.times = sorted(firsts)
        self.firsts = firsts

    def _other(self, moment: datetime, asker: Campaign) -> tuple[int, Campaign] | None:
        return next((pair for pair in self.firsts.get(moment, ()) if pair[1] is not asker),
                    None)

    def clear_of(self, mine: datetime, gap: timedelta) -> bool:
        """No send but the asker's own within `gap` of `mine`, the asker's moment: told
        from the sends next to it alone, the common answer without finding the nearest."""
        at = bisect.bisect_left(self.times, mine)
        if len(self.firsts[mine]) > 1:  # another campaign sends at the same moment
            return gap <= timedelta(0)
        return (at == 0 or mine - self.times[at - 1] >= gap) and \
            (at + 1 == len(self.times) or self.times[at + 1] - mine >= gap)

    def nearest(self, mine: datetime, asker: Campaign) -> tuple[timedelta, Campaign] | None:
        at = bisect.bisect_left(self.times, mine)
        candidates: list[tuple[timedelta, int, Campaign]] = []
        same = self._other(mine, asker) if at < len(self.times) and \
            self.times[at] == mine else None
        if same:
            return timedelta(0), same[1]
        after = at + 1 if at < len(self.times) and self.times[at] == mine else at
        # The nearest time before and after with a send by another campaign (a time held
        # only by the asker itself has no other).
        for index, step in ((at - 1, -1), (after, 1)):
            while 0 <= index < len(self.times):
                other = self._other(self.times[index], asker)
                if other:
                    candidates.append((abs(self.times[index] - mine), other[0], other[1]))
                    break
                index += step
        if not candidates:
            return None
        distance, _, campaign = min(candidates, key=lambda t: (t[0], t[1]))
        return distance, campaign


def _timelines(subjects: Sequence[Campaign], context: Sequence[Campaign],
               now: datetime) -> dict[str, _Timeline]:
    """Each list's marketing sends: every campaign's `scheduled_at`, and `now` for a
    subject that has none (a context campaign without one is left out)."""
    checked = {id(c) for c in subjects}
    by_list: dict[str, list[tuple[datetime, Campaign]]] = {}
    for c in {id(c): c for c in [*context, *subjects]}.values():
        if c.purpose != "marketing":
            continue
        moment = c.sends_at or (now if id(c) in checked else None)
        if moment is not None:
            by_list.setdefault(c.contact_list_id, []).append((moment, c))
    return {list_id: _Timeline(sends) for list_id, sends in by_list.items()}


def check_list_frequency(subjects: Sequence[Campaign], context: Sequence[Campaign],
                         config: CheckConfig, now: datetime
                         ) -> Iterable[tuple[Campaign, Finding]]:
    """Marketing campaigns to one list closer together than the configured gap.

    `subjects` are checked; `context` is every definition (those already sent included,
    since their files remain). A subject with no `scheduled_at` counts at `now`; a
    context campaign with none is left out, since when it went out is not in its file.
    """
    gap = timedelta(hours=config.min_hours_between_marketing)
    timelines = _timelines(subjects, context, now)
    for c in subjects:
        timeline = timelines.get(c.contact_list_id)
        if c.purpose != "marketing" or timeline is None:
            continue
        mine = c.sends_at or now
        if timeline.clear_of(mine, gap):
            continue
        nearest = timeline.nearest(mine, c)
        if nearest is not None and nearest[0] < gap:
            yield c, _too_close(c, *nearest, config)


def _too_close(c: Campaign, distance: timedelta, other: Campaign,
               config: CheckConfig) -> Finding:
    hours = distance.total_seconds() / 3600
    return Finding(
        "list-frequency", c.location_of("scheduled_at" if c.sends_at else "name"),
        "scheduled_at",
        f"reaches {c.contact_list_id} {hours:.1f} hours from the marketing campaign "
        f"{other.name!r} ({other.location_of('name')}), less than the "
        f"{config.min_hours_between_marketing:g} hours between marketing campaigns to one "
        "list (min_hours_between_marketing)")

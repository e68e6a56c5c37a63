"""Delivery status of the campaigns the repository manages (read-only: never writes state)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from reconciler.client import ApiError, NotFound, ZexaClient
from reconciler.state import State

FINAL = ("completed", "failed")


@dataclass(frozen=True)
class Row:
    name: str
    id: str
    channel: str
    status: str | None = None  # None: could not be read (see `problem`)
    total: int | None = None
    delivered: int | None = None
    failed: int | None = None
    sent_at: str | None = None
    completed_at: str | None = None
    missing: bool = False  # the state's ID is no longer in the account
    problem: str | None = None

    @property
    def final(self) -> bool:
        return self.missing or self.status in FINAL

    @property
    def delivered_share(self) -> float | None:
        if not self.total or self.delivered is None:
            return None
        return self.delivered / self.total

    @property
    def failed_share(self) -> float | None:
        if not self.total or self.failed is None:
            return None
        return self.failed / self.total


@dataclass(frozen=True)
class DeliveryTotals:
    campaigns: int
    recipients: int
    delivered: int
    failed: int
    by_status: dict[str, int]
    missing: int
    unreadable: int


def select_names(state: State, names: Sequence[str]) -> tuple[list[str], list[str]]:
    """The managed names asked for (all when none), and those the state does not know."""
    if not names:
        return sorted(state.campaigns), []
    unknown = [n for n in names if n not in state.campaigns]
    return [n for n in dict.fromkeys(names) if n in state.campaigns], unknown


def fetch(client: ZexaClient, state: State, names: Sequence[str],
          concurrency: int = 8) -> list[Row]:
    """One GET per campaign, `concurrency` at a time, with the client's retries."""

    def one(name: str) -> Row:
        entry = state.campaigns[name]
        try:
            c = client.get_campaign(entry.id)
        except NotFound:
            return Row(name, entry.id, entry.channel, missing=True,
                       problem="no longer in the account")
        except ApiError as error:
            return Row(name, entry.id, entry.channel, problem=str(error))
        return Row(name, entry.id, c.channel or entry.channel, c.status or None,
                   c.total_recipients, c.delivered, c.failed, c.sent_at, c.completed_at)

    if not names:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(names)))) as pool:
        return list(pool.map(one, names))


def delivery_totals(rows: Sequence[Row]) -> DeliveryTotals:
    by_status = Counter(r.status for r in rows if r.status)
    return DeliveryTotals(
        campaigns=len(rows),
        recipients=_sum(r.total for r in rows),
        delivered=_sum(r.delivered for r in rows),
        failed=_sum(r.failed for r in rows),
        by_status=dict(sorted(by_status.items())),
        missing=sum(r.missing for r in rows),
        unreadable=sum(bool(r.problem) and not r.missing for r in rows),
    )


def _sum(counts: Iterable[int | None]) -> int:
    """The sum of the counts the account gave; a count it did not give adds nothing."""
    return sum(n for n in counts if n)


def failing(rows: Sequence[Row], fail_on_failed: bool,
            max_failure_share: float | None) -> list[str]:
    """Why a CI job should fail, one reason per campaign; empty when it should not."""
    reasons: list[str] = []
    for r in rows:
        if fail_on_failed and (r.status == "failed" or r.missing):
            reasons.append(f"{r.name!r}: {'missing from the account' if r.missing else 'failed'}")
        share = r.failed_share
        if max_failure_share is not None and share is not None and share > max_failure_share:
            reasons.append(f"{r.name!r}: {share:.1%} of messages failed "
                           f"(more than {max_failure_share:.1%})")
    return reasons


def watch(
    refresh: Callable[[list[Row]], list[Row]],
    first: list[Row],
    show: Callable[[list[Row], list[Row] | None], None],
    *,
    interval: float,
    sleep: Callable[[float], None] = time.sleep,
    max_rounds: int | None = None,
) -> list[Row]:
    """Refresh until every campaign is final; `refresh` gets the rows still moving."""
    rows = first
    show(rows, None)
    rounds = 0
    while not all(r.final for r in rows):
        if max_rounds is not None and rounds >= max_rounds:
            break
        rounds += 1
        sleep(interval)
        moving = [r for r in rows if not r.final]
        updated = {r.name: r for r in refresh(moving)}
        previous = rows
        rows = [updated.get(r.name, r) for r in rows]
        show(rows, previous)
    return rows


def watch_interval(requested: float, moving: int, requests_per_second: float = 2.0) -> float:
    """At least `requested` seconds, and slow enough to stay near `requests_per_second`."""
    return max(requested, moving / requests_per_second)

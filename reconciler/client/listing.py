"""Listing every campaign of the account: the pages read a few at a time, and a listing
accepted only when it holds up (see `Listing.all`)."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from reconciler.client.errors import InconsistentListing, ListingShort, ServerError
from reconciler.remote import RemoteCampaign, ResponseShapeError

PER_PAGE = 100
# A listing never reads more than this many campaigns: a server whose pages never end (or
# whose total is absurd) is refused in bounded time and memory instead of followed forever.
MAX_LISTED = 250_000
# Pages read past the last one `meta.total` implies, while pages keep coming back full.
PAGE_MARGIN = 10

# Reads one page of GET /campaigns: its decoded body and its `Date` (None when unusable).
ReadPage = Callable[[int], tuple[Any, "float | None"]]


@dataclass
class ListingStats:
    requests: int = 0
    attempts: int = 0
    reported_total: int = 0  # `meta.total` of the accepted listing, as the server said it
    # The earliest `Date` of its pages (seconds since the epoch): the listing shows the
    # account as it was at that moment or later. None when a page carried no usable Date.
    earliest_date: float | None = None
    undated_pages: int = 0

    def dated(self, date: float | None) -> None:
        if date is None:
            self.undated_pages += 1
        elif self.earliest_date is None or date < self.earliest_date:
            self.earliest_date = date

    @property
    def server_time(self) -> float | None:
        """When, on the server's clock, the listing was taken at the earliest; None when
        unknown (some page had no Date)."""
        return None if self.undated_pages else self.earliest_date


def _first_round(total: int, per_page: int, expected: int, limit: int, ended: bool) -> int:
    """The pages that may be asked for at once after page 1: those the total implies, and,
    when the last of them will be full (page 1 already came back full, or the total is a
    multiple of the page size), the page after it, which shows where the campaigns end,
    instead of in a round of its own."""
    allowed = min(expected, limit)
    if not ended and allowed < limit and (allowed == 1 or total % per_page == 0):
        allowed += 1
    return allowed


def _distinct(pages: Mapping[int, list[RemoteCampaign]],
              per_page: int) -> list[RemoteCampaign] | None:
    """The campaigns of `pages`, each once, in page order; None when a full page holds only
    campaigns already seen (a server that ignores `page`: the pages are not stable)."""
    unique: dict[str, RemoteCampaign] = {}
    for number in sorted(pages):
        items = pages[number]
        fresh = [c for c in items if c.id not in unique]
        if number > 1 and items and not fresh and len(items) >= per_page:
            return None
        for item in fresh:
            unique[item.id] = item
    return list(unique.values())


def campaign_from(doc: Any) -> RemoteCampaign:
    """A campaign as the API gave it; ServerError when it is not the documented shape."""
    try:
        return RemoteCampaign.from_json(doc)
    except ResponseShapeError as exc:
        raise ServerError(str(exc), code="unexpected_response") from None


class Listing:
    """The account's campaigns, read through `read_page`, `concurrency` pages at a time."""

    def __init__(self, read_page: ReadPage, concurrency: int,
                 accept_short_listing: bool = False) -> None:
        self._read_page = read_page
        self.concurrency = concurrency
        self.accept_short_listing = accept_short_listing
        self._count_lock = threading.Lock()

    def all(self, stats: ListingStats | None = None, max_attempts: int = 3) -> list[RemoteCampaign]:
        """Every campaign in the account, each once.

        `meta.total` is a hint, never the end: pages are read until one comes back short,
        past the total if need be, up to a cap (the total plus a margin, and MAX_LISTED).
        A listing is accepted when every page reported the same total and the distinct IDs
        cover it; campaigns are never deleted, so a changed total means one was created
        meanwhile and pages may have shifted: list again. A total that lies low is harmless
        (every page was read to its end). Pages that end short of the total twice in a row,
        with the same campaigns, are refused (`ListingShort`): the campaigns a listing
        misses are likeliest the newest, those a plan must see not to create them again.
        Unless `accept_short_listing`, for an API known to count campaigns it never lists.
        """
        stats = stats or ListingStats()
        previous: tuple[frozenset[str], int] | None = None
        for _ in range(max_attempts):
            stats.attempts += 1
            found, totals, settled = self._list_once(stats)
            ids = frozenset(c.id for c in found)
            total = max(totals)
            stable = settled and len(totals) == 1
            if stable and (len(ids) >= total or previous == (ids, total)):
                self._refuse_short(len(ids), total)
                stats.reported_total = total
                return found
            previous = (ids, total) if stable else None
        raise InconsistentListing(
            f"the account's campaigns kept changing during {max_attempts} listings; "
            "try again when nothing else is creating campaigns"
        )

    def _refuse_short(self, listed: int, total: int) -> None:
        """A listing that twice ends short of its total is refused, unless accepted."""
        if listed < total and not self.accept_short_listing:
            raise ListingShort(_short_listing(listed, total), listed=listed, total=total)

    def _page(self, page: int, stats: ListingStats) -> tuple[list[RemoteCampaign], int, int]:
        doc, date = self._read_page(page)
        with self._count_lock:
            stats.requests += 1
            stats.dated(date)
        return page_of(doc)

    def _list_once(self, stats: ListingStats) -> tuple[list[RemoteCampaign], set[int], bool]:
        """One walk through the pages: (campaigns, totals reported, ended on a short page).

        Page 1 gives the total; the pages it implies are read `concurrency` at a time. Past
        them, a page is asked for only when the one before it came back full.
        """
        first, total, per_page = self._page(1, stats)
        walk = _Walk(first, total, per_page)
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            running: dict[Future[tuple[list[RemoteCampaign], int, int]], int] = {}
            while True:
                while walk.wants_more() and len(running) < self.concurrency:
                    number = walk.next_page()
                    running[pool.submit(self._page, number, stats)] = number
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    items, page_total, _ = future.result()
                    walk.took(running.pop(future), items, page_total)
        return walk.result()


def page_of(doc: Any) -> tuple[list[RemoteCampaign], int, int]:
    """One page of GET /campaigns: (its campaigns, `meta.total`, its page size: `meta.per_page`
    or, when the server gives none, what the page holds)."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get("data"), list):
        raise ServerError("unexpected answer to GET /campaigns: no `data` list")
    items = [campaign_from(item) for item in doc["data"]]
    meta = doc.get("meta")
    meta = meta if isinstance(meta, Mapping) else {}
    total = _count(meta.get("total"), at_least=0)
    if total is None:
        raise ServerError("unexpected answer to GET /campaigns: no `meta.total`")
    return items, total, _count(meta.get("per_page"), at_least=1) or len(items) or PER_PAGE


def _count(value: Any, at_least: int) -> int | None:
    """`value` when it is a whole number (not a JSON true or false) of at least `at_least`."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= at_least:
        return value
    return None


def _short_listing(listed: int, total: int) -> str:
    return (f"the account's listing shows {listed:,} campaigns but its meta.total says "
            f"{total:,}, twice in a row. The campaigns a listing misses are likeliest the "
            "newest (a replica that lags), the very ones a plan must see not to create them "
            "again, so nothing was planned. If this API is known to count campaigns its "
            "listing never shows, set `accept_short_listing: true` in the configuration (or "
            "CAMPAIGNS_ACCEPT_SHORT_LISTING=1)")


class _Walk:
    """Which pages one walk has read and which it may still ask for. Page 1 decides the page
    size (a server may clamp pages without saying so) and the pages the total implies; a
    page past those is asked for only when the one before it came back full."""

    def __init__(self, first: list[RemoteCampaign], total: int, per_page: int) -> None:
        if 0 < len(first) < per_page and len(first) < total:
            per_page = len(first)  # the server clamps pages without saying so
        self.per_page, self.total = per_page, total
        expected = max(1, math.ceil(total / per_page))
        self.limit = min(expected + PAGE_MARGIN, max(1, MAX_LISTED // per_page))
        self.pages: dict[int, list[RemoteCampaign]] = {1: first}
        self.totals = {total}
        self.short_at: int | None = 1 if len(first) < per_page else None
        self._next = 2
        self.allowed = _first_round(total, per_page, expected, self.limit,
                                    self.short_at is not None)

    def wants_more(self) -> bool:
        return self.short_at is None and self._next <= self.allowed

    def next_page(self) -> int:
        self._next += 1
        return self._next - 1

    def took(self, number: int, items: list[RemoteCampaign], total: int) -> None:
        self.pages[number] = items
        self.totals.add(total)
        if len(items) < self.per_page and (self.short_at is None or number < self.short_at):
            self.short_at = number
        elif number == self.allowed and self.allowed < self.limit:
            self.allowed += 1  # the last page the total implies was full: read on

    def result(self) -> tuple[list[RemoteCampaign], set[int], bool]:
        if self.short_at is None:
            raise ServerError(
                f"the API kept returning full pages past page {self.limit} (its meta.total "
                f"says {self.total}); refusing to read more than "
                f"{self.limit * self.per_page:,} campaigns")
        unique = _distinct(self.pages, self.per_page)
        return (unique, self.totals, True) if unique is not None else ([], self.totals, False)

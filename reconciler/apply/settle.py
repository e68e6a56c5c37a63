"""Settling lost answers within the run: wait out the grace, list, record or send again.

A create whose answer was lost (`OutcomeUnknown`: a 5xx, a gateway's page, a dropped
connection, a timeout, a 201 naming another campaign's ID) may still land: the server can
commit it after the gateway gave up. So it is never posted again before the in-flight
grace (see `grace.py`) has passed since it was sent. Creates an earlier, interrupted apply
sent without getting the answer (the plan's "waiting" campaigns) are settled the same way,
as if this run had sent them.

Once every other create is done, the run waits until the grace of each lost answer is
over (on the monotonic clock, and on the server's clock where its answers carry a `Date`),
lists the account, records what landed, and sends again what the listing proves absent,
under the same rules, for at most MAX_SETTLE_ROUNDS rounds and `timeout` seconds. What is
still unknown then stays in flight in the journal, for a later run.

A listing proves a create absent only when the server's clock, read from the listing's own
answers, shows the grace over: a runner whose clock is ahead, or a wall clock that jumped,
cannot make it send twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from reconciler import clock, names
from reconciler.client import ApiError, ListingStats, ZexaClient
from reconciler.grace import IN_FLIGHT_GRACE, Now, SentAt, latest_known, proven_absent
from reconciler.plan.work import Event, Failure, LostAnswer, Outcome, Step
from reconciler.remote import RemoteCampaign

# Rounds of sending again what a listing proved absent after the grace, within one run.
MAX_SETTLE_ROUNDS = 10
SETTLE_TIMEOUT = 900.0  # seconds, from the start of settling, that apply waits at the most
RELIST_INTERVAL = 1.0  # seconds between two listings that proved nothing


@dataclass(frozen=True)
class Settle:
    """How a run settles lost answers before it ends (see the module's text). Without
    `wait` (`--no-wait`), one listing records what this run's lost answers made, and the
    rest, with every lost answer of an earlier run, is left to a later run."""

    wait: bool = True
    grace: float = IN_FLIGHT_GRACE
    timeout: float = SETTLE_TIMEOUT
    # Called about once a second while waiting: (seconds left, lost answers waited for).
    on_wait: Callable[[float, int], None] = lambda left, count: None
    wall: Callable[[], float] = field(default=lambda: clock.now().timestamp())
    monotonic: Callable[[], float] = time.monotonic


class Applying(Protocol):
    """What settling needs of the applier."""

    client: ZexaClient
    stop: threading.Event
    on_event: Callable[[Event], None]

    def accounted_ids(self) -> set[str]: ...

    def listed(self, stats: ListingStats, settling: set[str]) -> None: ...

    def record(self, work: Step, campaign_id: str) -> None: ...

    def drop_intent(self, name: str) -> None: ...

    def send(self, creates: Sequence[Step], outcome: Outcome) -> None: ...


@dataclass
class _Listing:
    """What one listing settled: the lost answers it proved absent, and those it could not
    prove absent yet (the server's clock does not show their grace over)."""

    absent: list[LostAnswer] = field(default_factory=list)
    too_early: list[LostAnswer] = field(default_factory=list)


class Settler:
    def __init__(self, applier: Applying, rules: Settle) -> None:
        self.applier = applier
        self.rules = rules
        self._listed_at: float | None = None  # monotonic time of the last listing

    def run(self, outcome: Outcome) -> None:
        """Settle `outcome.unknown`: records, sends again, or leaves what stays unknown."""
        if not outcome.unknown or self.applier.stop.is_set():
            return
        if not self.rules.wait:
            self._once(outcome)
            return
        started = self.rules.monotonic()
        while outcome.unknown and not self.applier.stop.is_set():
            due = self._next_listing(outcome.unknown)
            if due - started > self.rules.timeout or \
                    outcome.settle_rounds >= MAX_SETTLE_ROUNDS:
                return  # the limit: what is still unknown is left to a later run
            if not self._wait_until(due, len(outcome.unknown)):
                return  # interrupted
            if not self._round(outcome):
                return  # settled, or what is left cannot be settled by listing

    def _round(self, outcome: Outcome) -> bool:
        """List, record what landed and send again what is proven absent; False when
        listing again would settle nothing more."""
        listing = self._list_and_settle(outcome)
        outcome.unknown.extend(listing.too_early)
        if listing.absent:
            outcome.settle_rounds += 1
            self.applier.send([u.work for u in listing.absent], outcome)
            return True
        return bool(listing.too_early)

    def _once(self, outcome: Outcome) -> None:
        """`--no-wait`: one listing records what this run's lost answers made; nothing is
        proven absent, and an earlier run's lost answers are left as they are."""
        earlier = [u for u in outcome.unknown if u.earlier]
        outcome.unknown = [u for u in outcome.unknown if not u.earlier]
        if outcome.unknown:
            listing = self._list_and_settle(outcome, prove=False)
            outcome.unknown.extend(listing.absent + listing.too_early)
        outcome.unknown.extend(earlier)

    # -- time -------------------------------------------------------------------------------

    def _next_listing(self, unknown: Sequence[LostAnswer]) -> float:
        """When (monotonic) the next listing may prove every lost answer absent, and no
        sooner than RELIST_INTERVAL after the last one."""
        due = max(self._due(u.sent) for u in unknown)
        if self._listed_at is not None:
            due = max(due, self._listed_at + RELIST_INTERVAL)
        return due

    def _due(self, sent: SentAt | None) -> float:
        """When, on the monotonic clock, a listing may prove a create sent at `sent` absent."""
        now, grace = self.rules.monotonic(), self.rules.grace
        if sent is None:
            return now + grace
        server_now = self.applier.client.server_clock.earliest()
        if sent.server is not None and server_now is not None:
            by_server = now + (sent.server + grace - server_now)
            return by_server if sent.monotonic is None else max(by_server,
                                                                sent.monotonic + grace)
        if sent.monotonic is not None:
            return sent.monotonic + grace
        return now + (sent.local + grace - self.rules.wall())  # no server time: the wall clock

    def _wait_until(self, due: float, count: int) -> bool:
        """Sleep until `due` (monotonic), telling `on_wait` once a second; False when the run
        was asked to stop meanwhile."""
        stop = self.applier.stop
        while True:
            left = due - self.rules.monotonic()
            if left <= 0:
                return not stop.is_set()
            self.rules.on_wait(left, count)
            if stop.wait(min(1.0, left)):
                return False

    # -- the listing --------------------------------------------------------------------------

    def _list_and_settle(self, outcome: Outcome, *, prove: bool = True) -> _Listing:
        """One listing: record the lost answers whose campaign is there; return those whose
        campaign is not, as proven absent or not yet (without `prove`, none is proven). What
        cannot be settled by listing stays in `outcome.unknown`, with its reason."""
        a = self.applier
        pending, outcome.unknown = outcome.unknown, []
        stats = ListingStats()
        self._listed_at = started = self.rules.monotonic()
        listed_wall = self.rules.wall()
        server_before = a.client.server_clock.earliest()
        try:
            listing = a.client.list_campaigns(stats)
        except ApiError as error:
            outcome.unknown = _listing_failed(pending, error)
            return _Listing()
        a.listed(stats, {u.work.name for u in pending})
        when = Now(listed_wall, latest_known(server_before, stats.server_time))
        appeared = unaccounted_by_name(listing, a.accounted_ids())
        similar = names.by_key(appeared)
        result = _Listing()
        for unknown in pending:
            found = appeared.get(unknown.work.name, [])
            alike = similar.get(names.name_key(unknown.work.name), [])
            if not found and alike:  # stored in another form: never sent again on a guess
                self._other_form(outcome, unknown, appeared[alike[0]][0])
            elif not found:
                proven = prove and self._proven_absent(unknown, when, started)
                (result.absent if proven else result.too_early).append(unknown)
            else:
                self._found(outcome, unknown, found)
        return result

    def _proven_absent(self, unknown: LostAnswer, when: Now, listed: float) -> bool:
        """Whether a listing made `when` (`listed` on the monotonic clock) that does not hold
        the campaign proves that its create made nothing."""
        return unknown.sent is not None and proven_absent(unknown.sent, self.rules.grace,
                                                          when, listed)

    def _found(self, outcome: Outcome, unknown: LostAnswer,
               found: list[RemoteCampaign]) -> None:
        a, w = self.applier, unknown.work
        if adoptable(found, w):
            a.record(w, found[0].id)
            outcome.created.append((w.name, found[0].id))
            a.on_event(Event("found", w, found[0].id))
        elif len(found) > 1:
            ids = ", ".join(repr(r.id) for r in found)
            outcome.failed.append(Failure(
                w, f"{len(found)} campaigns named {w.name!r} appeared during this apply "
                f"({ids}); none was recorded. Settle it by hand with `campaigns state "
                "import`"))
            a.drop_intent(w.name)
        else:
            outcome.unknown.append(LostAnswer(
                w, f"{unknown.cause}; a campaign named {w.name!r} appeared with the ID "
                f"{found[0].id!r} on {found[0].channel or 'an unknown channel'}, which cannot "
                "be recorded for it (not a campaign ID, or another channel)", unknown.sent,
                unknown.earlier))

    def _other_form(self, outcome: Outcome, unknown: LostAnswer, other: RemoteCampaign) -> None:
        w = unknown.work
        outcome.failed.append(Failure(
            w, f"{unknown.cause}; the account now holds {other.name!r} ({other.id}), the "
            "same name but for spacing, case or Unicode form: the server may have stored "
            "this create in that form, so it was not sent again. If it is this campaign, "
            "write the name as the account has it and the plan adopts it"))
        self.applier.on_event(Event("failed", w, f"{other.name!r} ({other.id}) appeared"))
        self.applier.drop_intent(w.name)


def _listing_failed(pending: Sequence[LostAnswer], error: ApiError) -> list[LostAnswer]:
    """The lost answers a failed listing left unknown, with why."""
    return [LostAnswer(u.work, f"{u.cause}; listing to find out failed: {error}", u.sent,
                    u.earlier) for u in pending]


def adoptable(found: Sequence[RemoteCampaign], w: Step) -> bool:
    """Whether what appeared in the account under `w`'s name is one campaign that can be
    recorded for it: a single campaign, with a campaign ID, on `w`'s channel."""
    return len(found) == 1 and found[0].valid_id and found[0].channel == w.channel


def unaccounted_by_name(listing: Sequence[RemoteCampaign],
                        ours: set[str]) -> dict[str, list[RemoteCampaign]]:
    """The listed campaigns that are not accounted for, by name."""
    out: dict[str, list[RemoteCampaign]] = {}
    for r in listing:
        if r.id not in ours:
            out.setdefault(r.name, []).append(r)
    return out

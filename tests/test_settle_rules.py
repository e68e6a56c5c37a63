"""Settling lost answers, rule by rule, against a fake applier and fake clocks: when the
run lists, what a listing proves, what it records, what it sends again, and when it gives
up. No server and no real waiting: the stop event's wait moves the fake clocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from reconciler.apply.settle import (
    MAX_SETTLE_ROUNDS,
    RELIST_INTERVAL,
    SETTLE_TIMEOUT,
    Settle,
    Settler,
    unaccounted_by_name,
)
from reconciler.client import ApiError, ListingStats
from reconciler.grace import SentAt
from reconciler.plan import Action
from reconciler.plan.work import Event, LostAnswer, Outcome, Step
from reconciler.remote import RemoteCampaign

GRACE = 10.0


class Clocks:
    """This process's monotonic clock, the wall clock and the server's, moving together
    (the server's is `server_offset` ahead of the monotonic one; None: no Date seen)."""

    def __init__(self, monotonic: float = 1000.0, wall: float = 50_000.0,
                 server_offset: float | None = None) -> None:
        self.mono = monotonic
        self.wall_offset = wall - monotonic
        self.server_offset = server_offset
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.mono

    def wall(self) -> float:
        return self.mono + self.wall_offset

    def server(self) -> float | None:
        return None if self.server_offset is None else self.mono + self.server_offset


class FakeStop:
    """The run's stop event: waiting on it moves the clocks instead of sleeping."""

    def __init__(self, clocks: Clocks, stop_after: int | None = None) -> None:
        self.clocks = clocks
        self.stop_after = stop_after  # waits before the run is asked to stop
        self._set = False

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        self._set = True

    def wait(self, timeout: float) -> bool:
        self.clocks.slept.append(timeout)
        # Every wait here is over within a few thousand seconds of fake time: a wait that
        # never ends fails the test instead of hanging it.
        assert len(self.clocks.slept) < 10_000, "the run never stops waiting"
        assert timeout > 0, "a wait of no time would spin"
        if self.stop_after is not None and len(self.clocks.slept) >= self.stop_after:
            self._set = True
            return True
        self.clocks.mono += timeout
        return False


class FakeServerClock:
    def __init__(self, clocks: Clocks) -> None:
        self.clocks = clocks

    def earliest(self) -> float | None:
        return self.clocks.server()


@dataclass
class FakeClient:
    clocks: Clocks
    listings: list[list[RemoteCampaign] | ApiError] = field(default_factory=list)
    dated: bool = True  # the listing's pages carry a Date
    listed_at: list[float] = field(default_factory=list)
    dates: list[float] = field(default_factory=list)  # the listings' Dates, when given

    @property
    def server_clock(self) -> FakeServerClock:
        return FakeServerClock(self.clocks)

    def list_campaigns(self, stats: ListingStats) -> list[RemoteCampaign]:
        self.listed_at.append(self.clocks.mono)
        assert len(self.listed_at) < 1000, "the run never stops listing"
        answer = self.listings.pop(0) if len(self.listings) > 1 else self.listings[0]
        if isinstance(answer, ApiError):
            raise answer
        if self.dates:
            stats.dated(self.dates.pop(0))
        else:
            stats.dated(self.clocks.server() if self.dated else None)
        return list(answer)


class FakeApplier:
    def __init__(self, clocks: Clocks, listings: Sequence[list[RemoteCampaign] | ApiError],
                 *, accounted: set[str] | None = None, stop_after: int | None = None,
                 dated: bool = True, sends_land: bool = False) -> None:
        self.client = FakeClient(clocks, list(listings), dated)
        self.stop = FakeStop(clocks, stop_after)
        self.events: list[Event] = []
        self.on_event = self.events.append
        self.accounted = accounted or set()
        self.listed_calls: list[tuple[ListingStats, set[str]]] = []
        self.records: list[tuple[str, str]] = []
        self.resolved_names: list[str] = []
        self.sent: list[list[str]] = []
        self.clocks = clocks
        self.sends_land = sends_land  # a create sent again gets its answer

    def accounted_ids(self) -> set[str]:
        return self.accounted

    def listed(self, stats: ListingStats, settling: set[str]) -> None:
        self.listed_calls.append((stats, settling))

    def record(self, work: Step, campaign_id: str) -> None:
        self.records.append((work.name, campaign_id))

    def drop_intent(self, name: str) -> None:
        self.resolved_names.append(name)

    def send(self, creates: Sequence[Step], outcome: Outcome) -> None:
        """Sends again: each create's answer is lost once more, sent now (or, with
        `sends_land`, it is answered)."""
        self.sent.append([w.name for w in creates])
        c = self.clocks
        if self.sends_land:
            outcome.created.extend((w.name, f"cmp_{w.name}") for w in creates)
            return
        for w in creates:
            sent = SentAt(c.wall(), c.server(), c.mono)
            outcome.unknown.append(LostAnswer(w, "lost again", sent))


def work(name: str, channel: str = "sms") -> Step:
    return Step(Action.CREATE, name, channel, "d", "campaigns/x.yaml", 1, 1)


def remote(name: str, cid: str = "cmp_1", channel: str = "sms") -> RemoteCampaign:
    return RemoteCampaign(cid, name, channel)


def sent_now(clocks: Clocks, *, server: bool = True, monotonic: bool = True) -> SentAt:
    return SentAt(clocks.wall(), clocks.server() if server else None,
                  clocks.mono if monotonic else None)


def lost(name: str, sent: SentAt | None, *, earlier: bool = False) -> LostAnswer:
    return LostAnswer(work(name), "a 504", sent, earlier)


def rules(clocks: Clocks, **kw: object) -> Settle:
    kw.setdefault("grace", GRACE)
    return Settle(wall=clocks.wall, monotonic=clocks.monotonic, **kw)  # type: ignore[arg-type]


def settle(applier: FakeApplier, outcome: Outcome, **kw: object) -> Settler:
    settler = Settler(applier, rules(applier.clocks, **kw))  # type: ignore[arg-type]
    settler.run(outcome)
    return settler


# -- the defaults ----------------------------------------------------------------------------


def test_the_limits_of_settling_within_one_run() -> None:
    assert MAX_SETTLE_ROUNDS == 10
    assert SETTLE_TIMEOUT == 900.0
    assert RELIST_INTERVAL == 1.0
    defaults = Settle()
    assert defaults.wait is True
    assert defaults.grace == 120.0
    assert defaults.timeout == SETTLE_TIMEOUT
    defaults.on_wait(1.0, 1)  # does nothing, and accepts what it is told


def test_the_default_wall_clock_is_this_machines_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime, timezone

    from reconciler import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert Settle().wall() == datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()


# -- nothing to do ---------------------------------------------------------------------------


def test_nothing_unknown_lists_nothing() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[]])
    settle(applier, Outcome())
    assert applier.client.listed_at == []


def test_a_run_asked_to_stop_does_not_settle() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("A")]])
    applier.stop.set()
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    settle(applier, outcome)
    settle(applier, outcome, wait=False)
    assert applier.client.listed_at == []
    assert [u.work.name for u in outcome.unknown] == ["A"]


# -- waiting ---------------------------------------------------------------------------------


def test_the_run_lists_once_the_grace_is_over_on_the_servers_clock_and_records() -> None:
    clocks = Clocks(server_offset=5000.0)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]])
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    start = clocks.mono
    waits: list[tuple[float, int]] = []
    settle(applier, outcome, on_wait=lambda left, n: waits.append((left, n)))
    assert applier.client.listed_at == [start + GRACE]
    assert applier.records == [("A", "cmp_a")]
    assert outcome.created == [("A", "cmp_a")]
    assert outcome.unknown == []
    assert applier.events == [("found", work("A"), "cmp_a")]
    # Told about once a second, with what is left and how many lost answers it waits for.
    assert clocks.slept == [1.0] * 10
    assert waits == [(GRACE - n, 1) for n in range(10)]
    assert applier.listed_calls[0][1] == {"A"}


def test_the_wait_is_as_long_as_the_latest_lost_answers_grace() -> None:
    clocks = Clocks(server_offset=0.0)
    first = lost("A", sent_now(clocks))
    clocks.mono += 4
    second = lost("B", sent_now(clocks))
    applier = FakeApplier(clocks, [[remote("A", "cmp_a"), remote("B", "cmp_b")]])
    outcome = Outcome(unknown=[first, second])
    settle(applier, outcome)
    assert applier.client.listed_at == [clocks.mono]
    assert clocks.mono == 1004.0 + GRACE


def test_a_last_short_wait_is_not_rounded_up_to_a_second() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]])
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    settle(applier, outcome, grace=2.5)
    assert clocks.slept == [1.0, 1.0, 0.5]


def test_the_server_clock_behind_the_send_makes_the_run_wait_for_it() -> None:
    """The send's server time is later than the server's clock now says (the earliest
    reading): the wait is what the server's clock still needs, beyond the monotonic grace."""
    clocks = Clocks(server_offset=0.0)
    sent = SentAt(clocks.wall(), clocks.server() + 3.0, clocks.mono)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]])
    settle(applier, Outcome(unknown=[lost("A", sent)]))
    assert applier.client.listed_at == [1000.0 + GRACE + 3.0]


def test_the_monotonic_grace_holds_even_when_the_servers_clock_says_it_is_over() -> None:
    clocks = Clocks(server_offset=0.0)
    sent = SentAt(clocks.wall(), clocks.server() - 5.0, clocks.mono)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]])
    settle(applier, Outcome(unknown=[lost("A", sent)]))
    assert applier.client.listed_at == [1000.0 + GRACE]


def test_an_earlier_runs_send_with_a_server_time_waits_on_the_servers_clock() -> None:
    clocks = Clocks(server_offset=0.0)
    sent = SentAt(clocks.wall() - 100, clocks.server() - 4.0, None)  # no monotonic time
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]])
    settle(applier, Outcome(unknown=[lost("A", sent, earlier=True)]))
    assert applier.client.listed_at == [1000.0 + GRACE - 4.0]


def test_without_the_servers_clock_this_processs_send_waits_on_the_monotonic_clock() -> None:
    clocks = Clocks(server_offset=None)
    sent = SentAt(clocks.wall() + 500, None, clocks.mono - 3.0)  # the wall clock jumped
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]], dated=False)
    settle(applier, Outcome(unknown=[lost("A", sent)]))
    assert applier.client.listed_at == [1000.0 + GRACE - 3.0]


def test_a_send_with_a_server_time_but_no_server_clock_now_waits_on_the_monotonic_one() -> None:
    clocks = Clocks(server_offset=None)
    sent = SentAt(clocks.wall(), 777.0, clocks.mono - 2.0)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]], dated=False)
    settle(applier, Outcome(unknown=[lost("A", sent)]))
    assert applier.client.listed_at == [1000.0 + GRACE - 2.0]


def test_with_only_the_wall_clock_the_wait_is_measured_on_it() -> None:
    clocks = Clocks(server_offset=None)
    sent = SentAt(clocks.wall() - 6.0, None, None)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]], dated=False)
    settle(applier, Outcome(unknown=[lost("A", sent, earlier=True)]))
    assert applier.client.listed_at == [1000.0 + GRACE - 6.0]


def test_with_only_the_wall_clock_a_listing_taken_after_the_grace_proves_absence() -> None:
    clocks = Clocks(server_offset=None)
    sent = SentAt(clocks.wall() - 6.0, None, None)
    applier = FakeApplier(clocks, [[], [remote("A", "cmp_a")]], dated=False)
    outcome = Outcome(unknown=[lost("A", sent, earlier=True)])
    settle(applier, outcome)
    assert applier.client.listed_at[0] == 1000.0 + GRACE - 6.0
    assert applier.sent == [["A"]]
    assert outcome.created == [("A", "cmp_a")]


def test_without_the_servers_clock_a_listing_after_the_monotonic_grace_proves_absence(
        ) -> None:
    clocks = Clocks(server_offset=None)
    sent = SentAt(clocks.wall() + 500, None, clocks.mono)  # the wall clock jumped back
    applier = FakeApplier(clocks, [[]], dated=False, sends_land=True)
    outcome = Outcome(unknown=[lost("A", sent)])
    settle(applier, outcome)
    assert applier.client.listed_at == [1000.0 + GRACE]
    assert applier.sent == [["A"]]
    assert outcome.created == [("A", "cmp_A")]


def test_settling_ends_once_what_was_sent_again_is_answered() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("B", "cmp_b")]], sends_land=True)
    outcome = Outcome(unknown=[lost("A", sent_now(clocks)), lost("B", sent_now(clocks))])
    settle(applier, outcome)
    assert applier.sent == [["A"]]
    assert len(applier.client.listed_at) == 1
    assert outcome.unknown == []
    assert outcome.created == [("B", "cmp_b"), ("A", "cmp_A")]


def test_a_lost_answer_with_no_send_time_waits_a_whole_grace_and_is_never_proven_absent(
        ) -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[]])
    outcome = Outcome(unknown=[lost("A", None)])
    settle(applier, outcome)
    # It waited a grace and listed, then every RELIST_INTERVAL, never sending it again.
    assert applier.client.listed_at[0] == 1000.0 + GRACE
    assert applier.sent == []
    assert [u.work.name for u in outcome.unknown] == ["A"]


def test_a_stop_while_waiting_ends_settling_without_listing() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]], stop_after=3)
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    settle(applier, outcome)
    assert applier.client.listed_at == []
    assert [u.work.name for u in outcome.unknown] == ["A"]


def test_a_stop_as_the_wait_ends_ends_settling_without_listing() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]])
    settler = Settler(applier, rules(clocks))  # type: ignore[arg-type]
    applier.stop.set()
    assert settler._wait_until(clocks.mono, 1) is False
    applier.stop._set = False
    assert settler._wait_until(clocks.mono, 1) is True
    assert settler._wait_until(clocks.mono - 1, 1) is True
    assert clocks.slept == []


# -- the limits ------------------------------------------------------------------------------


def test_a_grace_that_ends_after_the_timeout_is_not_waited_for() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]])
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    settle(applier, outcome, timeout=GRACE - 0.5)
    assert applier.client.listed_at == []
    assert clocks.slept == []
    assert [u.work.name for u in outcome.unknown] == ["A"]


def test_a_grace_that_ends_exactly_at_the_timeout_is_waited_for() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]])
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    settle(applier, outcome, timeout=GRACE)
    assert applier.client.listed_at == [1000.0 + GRACE]
    assert outcome.unknown == []


def test_the_timeout_counts_from_the_start_of_settling_across_rounds() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[]])  # every create is absent: sent again each round
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    settle(applier, outcome, timeout=2 * GRACE + 0.5)
    # Round 1 lists at +10 and sends again; round 2 lists at +20; the third would end at +30.
    assert applier.client.listed_at == [1000.0 + GRACE, 1000.0 + 2 * GRACE]
    assert outcome.settle_rounds == 2
    assert [u.work.name for u in outcome.unknown] == ["A"]


def test_at_most_max_settle_rounds_of_sending_again() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[]])
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    settle(applier, outcome, grace=1.0)
    assert outcome.settle_rounds == MAX_SETTLE_ROUNDS
    assert len(applier.sent) == MAX_SETTLE_ROUNDS
    assert len(applier.client.listed_at) == MAX_SETTLE_ROUNDS
    assert [u.work.name for u in outcome.unknown] == ["A"]


def test_rounds_already_spent_count_against_the_limit() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[]])
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))], settle_rounds=MAX_SETTLE_ROUNDS - 1)
    settle(applier, outcome, grace=1.0)
    assert len(applier.sent) == 1
    assert outcome.settle_rounds == MAX_SETTLE_ROUNDS


# -- what a listing proves ---------------------------------------------------------------------


def test_a_listing_without_the_campaign_sends_it_again_once_and_then_finds_it() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[], [remote("A", "cmp_a")]])
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    settle(applier, outcome)
    assert applier.sent == [["A"]]
    assert outcome.settle_rounds == 1
    assert applier.client.listed_at == [1000.0 + GRACE, 1000.0 + 2 * GRACE]
    assert outcome.created == [("A", "cmp_a")]
    assert outcome.unknown == []


def test_a_listing_whose_server_clock_shows_the_grace_not_over_lists_again_a_second_later(
        ) -> None:
    """The listing's own Date shows the grace not over yet (no earlier reading of the
    server's clock to go by): it proves nothing, and the run lists again RELIST_INTERVAL
    later, not a whole grace later."""
    clocks = Clocks(server_offset=None)
    sent = SentAt(clocks.wall(), 5000.0, clocks.mono)
    applier = FakeApplier(clocks, [[], [remote("A", "cmp_a")]])
    applier.client.dates = [5000.0 + GRACE - 2.0, 5000.0 + GRACE + 2.0]
    outcome = Outcome(unknown=[lost("A", sent)])
    settle(applier, outcome)
    assert applier.sent == []
    assert applier.client.listed_at == [1000.0 + GRACE, 1000.0 + GRACE + RELIST_INTERVAL]
    assert outcome.created == [("A", "cmp_a")]


def test_a_listing_whose_date_shows_the_grace_over_proves_absence() -> None:
    clocks = Clocks(server_offset=None)
    sent = SentAt(clocks.wall(), 5000.0, clocks.mono)
    applier = FakeApplier(clocks, [[], [remote("A", "cmp_a")]])
    applier.client.dates = [5000.0 + GRACE, 5000.0 + 2 * GRACE]
    settle(applier, Outcome(unknown=[lost("A", sent)]))
    assert applier.sent == [["A"]]


def test_the_servers_clock_before_the_listing_counts_when_later_than_its_date() -> None:
    """The server's clock was already past the grace before the listing started, though the
    page's Date lags: the listing proves absence (the latest of the lower bounds)."""
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[], [remote("A", "cmp_a")]])
    applier.client.dates = [clocks.server() + GRACE - 30.0]
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    settle(applier, outcome)
    assert applier.sent == [["A"]]
    assert outcome.created == [("A", "cmp_a")]


def test_without_wait_one_listing_records_this_runs_creates_and_proves_nothing() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]])
    ours_absent = lost("B", SentAt(0.0, 0.0, 0.0))  # its grace is long over
    earlier = lost("C", SentAt(0.0, 0.0, None), earlier=True)
    outcome = Outcome(unknown=[lost("A", sent_now(clocks)), earlier, ours_absent])
    settle(applier, outcome, wait=False)
    assert applier.client.listed_at == [1000.0]  # at once
    assert applier.sent == []
    assert outcome.created == [("A", "cmp_a")]
    assert [u.work.name for u in outcome.unknown] == ["B", "C"]
    assert applier.listed_calls[0][1] == {"A", "B"}  # an earlier run's is not settled


def test_without_wait_no_lost_answer_is_proven_absent_and_all_keep_their_order() -> None:
    """`--no-wait` proves nothing absent: a create sent just now and one whose grace is long
    over stay unknown alike, in the order they were sent (none is set apart to send)."""
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[]])
    outcome = Outcome(unknown=[lost("New", sent_now(clocks)), lost("Old", SentAt(0.0, 0.0, 0.0))])
    settle(applier, outcome, wait=False)
    assert [u.work.name for u in outcome.unknown] == ["New", "Old"]
    assert applier.sent == []


def test_without_wait_only_an_earlier_runs_lost_answers_list_nothing() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("C", "cmp_c")]])
    earlier = lost("C", SentAt(0.0, 0.0, None), earlier=True)
    outcome = Outcome(unknown=[earlier])
    settle(applier, outcome, wait=False)
    assert applier.client.listed_at == []
    assert outcome.unknown == [earlier]


def test_a_failed_listing_keeps_every_lost_answer_with_the_reason() -> None:
    clocks = Clocks(server_offset=0.0)
    sent = sent_now(clocks)
    applier = FakeApplier(clocks, [ApiError("the API is down")])
    outcome = Outcome(unknown=[lost("A", sent), lost("B", None, earlier=True)])
    settle(applier, outcome)
    assert len(applier.client.listed_at) == 1  # gives up: listing again would not help
    assert outcome.unknown == [
        LostAnswer(work("A"), "a 504; listing to find out failed: the API is down", sent, False),
        LostAnswer(work("B"), "a 504; listing to find out failed: the API is down", None, True),
    ]
    assert applier.listed_calls == []


def test_a_campaign_already_accounted_for_is_not_taken_for_the_lost_one() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("A", "cmp_old")], [remote("A", "cmp_old"),
                                                              remote("A", "cmp_new")]],
                          accounted={"cmp_old"})
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    settle(applier, outcome)
    assert applier.sent == [["A"]]
    assert outcome.created == [("A", "cmp_new")]


def test_two_campaigns_of_that_name_fail_it_and_record_neither() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("A", "cmp_1"), remote("A", "cmp_2")]])
    outcome = Outcome(unknown=[lost("A", sent_now(clocks))])
    settle(applier, outcome)
    assert applier.records == []
    assert outcome.unknown == []
    assert [f.work for f in outcome.failed] == [work("A")]
    assert [f.message for f in outcome.failed] == [
        "2 campaigns named 'A' appeared during this apply ('cmp_1', 'cmp_2'); none was "
        "recorded. Settle it by hand with `campaigns state import`"]
    assert applier.resolved_names == ["A"]


@pytest.mark.parametrize(("found", "shown"), [
    (remote("A", "not-an-id"), "'not-an-id' on sms"),
    (remote("A", "cmp_x", "email"), "'cmp_x' on email"),
    (remote("A", "cmp_x", ""), "'cmp_x' on an unknown channel"),
])
def test_a_campaign_that_cannot_be_this_one_leaves_it_unknown(
        found: RemoteCampaign, shown: str) -> None:
    clocks = Clocks(server_offset=0.0)
    sent = sent_now(clocks)
    applier = FakeApplier(clocks, [[found]])
    outcome = Outcome(unknown=[lost("A", sent, earlier=True)])
    settle(applier, outcome)
    assert applier.records == []
    assert applier.sent == []
    assert len(applier.client.listed_at) == 1  # nothing a listing again could settle
    assert outcome.unknown == [LostAnswer(
        work("A"), f"a 504; a campaign named 'A' appeared with the ID {shown}, which cannot "
        "be recorded for it (not a campaign ID, or another channel)", sent, True)]


def test_a_campaign_stored_in_another_form_of_the_name_is_never_sent_again() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("summer  SALE", "cmp_s"), remote("Other", "cmp_o")]])
    outcome = Outcome(unknown=[lost("Summer Sale", sent_now(clocks))])
    settle(applier, outcome)
    assert applier.sent == []
    assert applier.records == []
    assert outcome.unknown == []
    assert [f.work for f in outcome.failed] == [work("Summer Sale")]
    assert [f.message for f in outcome.failed] == [
        "a 504; the account now holds 'summer  SALE' (cmp_s), the same name but for "
        "spacing, case or Unicode form: the server may have stored this create in that form, "
        "so it was not sent again. If it is this campaign, write the name as the account "
        "has it and the plan adopts it"]
    assert applier.events == [("failed", work("Summer Sale"), "'summer  SALE' (cmp_s) appeared")]
    assert applier.resolved_names == ["Summer Sale"]


def test_the_exact_name_wins_over_another_form() -> None:
    clocks = Clocks(server_offset=0.0)
    applier = FakeApplier(clocks, [[remote("sale", "cmp_other"), remote("Sale", "cmp_s")]])
    outcome = Outcome(unknown=[lost("Sale", sent_now(clocks))])
    settle(applier, outcome)
    assert outcome.created == [("Sale", "cmp_s")]
    assert outcome.failed == []


def test_the_listed_campaigns_not_accounted_for_by_name() -> None:
    a1, a2, b, old = remote("A", "cmp_1"), remote("A", "cmp_2"), remote("B", "cmp_3"), \
        remote("A", "cmp_0")
    assert unaccounted_by_name([a1, old, b, a2], {"cmp_0"}) == {"A": [a1, a2], "B": [b]}
    assert unaccounted_by_name([old], {"cmp_0"}) == {}


def test_the_applier_is_given_the_listings_own_stats_with_its_date() -> None:
    """What the listing counted (its pages' Date among it) goes to the applier, which keeps
    the account's total from it."""
    clocks = Clocks(server_offset=5000.0)
    applier = FakeApplier(clocks, [[remote("A", "cmp_a")]])
    applier.client.dates = [7777.0]
    settle(applier, Outcome(unknown=[lost("A", sent_now(clocks))]))
    ((stats, settling),) = applier.listed_calls
    assert isinstance(stats, ListingStats)
    assert (stats.earliest_date, settling) == (7777.0, {"A"})

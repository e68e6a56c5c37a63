"""The account-total arithmetic apply relies on to catch someone else creating campaigns."""

from __future__ import annotations

import threading

from reconciler.apply.account_total import (
    EXACT_CHECK_WAVES,
    LIMITED_EXACT_SECONDS,
    LIMITED_READ_SECONDS,
    TotalWatch,
)


def test_the_total_may_grow_by_what_this_run_posted_and_no_more() -> None:
    watch = TotalWatch(10, parallelism=4)
    watch.posted("A")
    watch.posted("B")
    assert not watch.others(12)  # both of ours may have landed
    assert watch.others(13)  # one more is someone else's
    watch.answered("B", landed=False)  # the API refused B: it cannot be in the total
    assert watch.others(12) and not watch.others(11)


def test_a_listing_resets_the_allowance_to_what_is_still_in_flight() -> None:
    watch = TotalWatch(10, parallelism=4)
    for name in "ABC":
        watch.posted(name)
    watch.answered("A", landed=True)
    watch.listed(11)  # A is in the listing; B and C may land after it
    assert watch.baseline == 11 and watch.unlisted == 2
    assert not watch.others(13) and watch.others(14)


def test_a_read_from_before_the_last_listing_says_nothing() -> None:
    watch = TotalWatch(10, parallelism=4)
    generation = watch.generation
    watch.listed(20)
    assert not watch.others(1000, generation)
    assert watch.others(21, watch.generation)


def test_exact_reads_come_first_after_the_first_create_and_every_ten_waves() -> None:
    watch = TotalWatch(0, parallelism=2)
    assert watch.exact_check_due() and not watch.exact_check_due()  # before the first
    watch.posted("first")
    watch.check_after_next()
    assert watch.exact_check_due()  # after it, alone
    for n in range(EXACT_CHECK_WAVES * 2 - 1):
        watch.posted(f"c{n}")
        assert not watch.exact_check_due()
    watch.posted("last")
    assert watch.exact_check_due()


def test_a_run_without_a_total_never_reads_it() -> None:
    watch = TotalWatch(None, parallelism=4)
    watch.posted("A")
    assert not watch.active and not watch.exact_check_due() and not watch.others(10**9)


def test_a_read_beside_the_creates_waits_for_a_wave_or_the_end() -> None:
    watch = TotalWatch(0, parallelism=3)
    got: list[tuple[int, int] | None] = []
    reader = threading.Thread(target=lambda: got.append(watch.wait_for_wave(0, lambda: False)))
    reader.start()
    for name in "ABC":
        watch.posted(name)
    reader.join(timeout=10)
    assert got == [(3, 0)]
    stopped = threading.Event()
    ended = threading.Thread(target=lambda: got.append(watch.wait_for_wave(3, stopped.is_set)))
    ended.start()
    stopped.set()
    watch.wake()
    ended.join(timeout=10)
    assert got[-1] is None


def test_waiting_for_answers_ends_when_the_last_is_in() -> None:
    watch = TotalWatch(0, parallelism=2)
    watch.posted("A")
    answered = threading.Timer(0.05, lambda: watch.answered("A", landed=True))
    answered.start()
    watch.wait_until_answered(lambda: False)
    assert watch.in_flight == set()


def test_under_a_rate_limit_the_reads_are_spaced_in_time_not_waves() -> None:
    """Once the server has answered 429, a read takes a create's place: a wave's read waits
    for LIMITED_READ_SECONDS since the last, an exact one for LIMITED_EXACT_SECONDS."""
    now = [0.0]
    limited = [False]
    watch = TotalWatch(0, parallelism=2, limited=lambda: limited[0], clock=lambda: now[0])
    assert watch.exact_check_due()  # before the first create, limited or not
    for n in range(EXACT_CHECK_WAVES * 2):
        watch.posted(f"c{n}")
    limited[0] = True
    assert not watch.exact_check_due()  # ten waves, but no time since the last exact read
    now[0] = LIMITED_EXACT_SECONDS
    assert watch.exact_check_due()
    now[0] = 0.0
    beside = TotalWatch(0, parallelism=2, limited=lambda: True, clock=lambda: now[0])
    beside.posted("A")
    beside.posted("B")
    got: list[tuple[int, int] | None] = []
    reader = threading.Thread(target=lambda: got.append(beside.wait_for_wave(0, lambda: False)))
    reader.start()
    reader.join(timeout=0.5)
    assert reader.is_alive() and not got  # a wave is there, the time is not
    now[0] = LIMITED_READ_SECONDS
    beside.wake()
    reader.join(timeout=10)
    assert got == [(2, 0)]


def test_under_a_rate_limit_an_exact_read_counts_as_the_last_read_beside() -> None:
    """An exact read tells all that a read beside the creates would: under a rate limit,
    the next read beside waits LIMITED_READ_SECONDS from it, not from the last one beside."""
    now = [0.0]
    watch = TotalWatch(0, parallelism=2, limited=lambda: True, clock=lambda: now[0])
    now[0] = LIMITED_READ_SECONDS  # the time has come for a read beside the creates...
    assert watch.exact_check_due()  # ...but an exact read is made (before the first create)
    watch.posted("A")
    watch.posted("B")
    got: list[tuple[int, int] | None] = []
    reader = threading.Thread(target=lambda: got.append(watch.wait_for_wave(0, lambda: False)))
    reader.start()
    reader.join(timeout=0.5)
    assert reader.is_alive() and not got  # a wave is there; the last read was just made
    now[0] = 2 * LIMITED_READ_SECONDS
    watch.wake()
    reader.join(timeout=10)
    assert got == [(2, 0)]

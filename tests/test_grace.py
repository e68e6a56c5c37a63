"""The in-flight grace's arithmetic, at its edges: which clock measures it, the exact moment
a listing can prove a create absent, and a send dated so far ahead that a clock was wrong."""

from __future__ import annotations

import pytest

from reconciler.grace import (
    AHEAD_SLACK,
    IN_FLIGHT_GRACE,
    Left,
    Now,
    SentAt,
    latest_known,
    left,
    proven_absent,
)
from reconciler.state import Intent

GRACE = 100.0


def test_the_grace_and_the_slack_for_a_clock_ahead_are_what_the_docs_promise() -> None:
    # Twice the 60 s a whole request may take; a minute of slack for a clock ahead.
    assert IN_FLIGHT_GRACE == 120.0
    assert AHEAD_SLACK == 60.0


def test_the_latest_known_reading_ignores_the_unknown_ones() -> None:
    assert latest_known() is None
    assert latest_known(None, None) is None
    assert latest_known(None, 5.0) == 5.0
    assert latest_known(7.0, None, 3.0) == 7.0
    assert latest_known(-2.0, -1.0) == -1.0
    assert latest_known(0.0) == 0.0  # a reading of zero is known, not missing


def test_a_sent_at_of_an_intent_takes_its_two_clocks_and_no_monotonic_one() -> None:
    intent = Intent("Sale", "k", "2026-01-01T00:00:00Z", 1000.0, 2000.0)
    assert SentAt.of(intent) == SentAt(1000.0, 2000.0, None)
    undated = Intent("Sale", "k", "2026-01-01T00:00:00Z", 1000.0)
    assert SentAt.of(undated) == SentAt(1000.0, None, None)


def test_by_default_a_reading_knows_only_this_machines_clock() -> None:
    assert SentAt(1.0) == SentAt(1.0, None, None)
    assert Now(1.0) == Now(1.0, None)
    assert Left(1.0, "local") == Left(1.0, "local", ahead=False)


# -- left ---------------------------------------------------------------------------------


def test_the_servers_clock_measures_the_grace_when_both_readings_have_it() -> None:
    # This machine's clock says the grace is long over; the server's says 30 s have passed.
    got = left(SentAt(0.0, 5000.0), Now(10_000.0, 5030.0), GRACE)
    assert got == Left(70.0, "server")


@pytest.mark.parametrize(("sent", "now"), [
    (SentAt(0.0, None), Now(30.0, 9999.0)),  # the send has no server time
    (SentAt(0.0, 9999.0), Now(30.0, None)),  # the listing has none
    (SentAt(0.0, None), Now(30.0, None)),
])
def test_without_both_server_readings_this_machines_clock_measures_it(
        sent: SentAt, now: Now) -> None:
    assert left(sent, now, GRACE) == Left(70.0, "local")


def test_what_is_left_reaches_zero_at_the_grace_and_stays_there() -> None:
    assert left(SentAt(0.0), Now(GRACE - 1), GRACE) == Left(1.0, "local")
    assert left(SentAt(0.0), Now(GRACE), GRACE) == Left(0.0, "local")
    assert left(SentAt(0.0), Now(GRACE + 50), GRACE) == Left(0.0, "local")


def test_a_send_a_little_after_now_is_an_honest_reading_of_two_clocks() -> None:
    # Sent 10 s "after" now: the whole grace and those 10 s are left, no clock is wrong.
    assert left(SentAt(10.0), Now(0.0), GRACE) == Left(GRACE + 10, "local", ahead=False)


def test_a_send_further_ahead_than_the_grace_and_the_slack_means_a_clock_was_wrong() -> None:
    edge = GRACE + AHEAD_SLACK
    # Exactly at the edge: still an honest reading.
    assert left(SentAt(edge), Now(0.0), GRACE) == Left(GRACE + edge, "local", ahead=False)
    # Just past it: a clock was wrong, and what is left says by how much.
    beyond = edge + 0.5
    assert left(SentAt(beyond), Now(0.0), GRACE) == Left(GRACE + beyond, "local", ahead=True)
    # On the server's clock too.
    assert left(SentAt(0.0, beyond), Now(0.0, 0.0), GRACE) == \
        Left(GRACE + beyond, "server", ahead=True)


def test_the_edge_of_a_clock_ahead_moves_with_the_grace() -> None:
    # With a grace of 10 s, a send 100 s ahead is further than 10 + 60: a clock was wrong.
    assert left(SentAt(100.0), Now(0.0), 10.0).ahead
    assert not left(SentAt(70.0), Now(0.0), 10.0).ahead


# -- proven_absent ----------------------------------------------------------------------------


def test_a_listing_proves_absence_from_the_moment_the_grace_is_over_on_the_server() -> None:
    sent = SentAt(local=0.0, server=1000.0, monotonic=0.0)
    # This machine's clocks say the grace is long over; the server's decides.
    assert not proven_absent(sent, GRACE, Now(1e6, 1000.0 + GRACE - 0.5), 1e6)
    assert proven_absent(sent, GRACE, Now(0.0, 1000.0 + GRACE), 0.0)
    assert proven_absent(sent, GRACE, Now(0.0, 1000.0 + GRACE + 1), 0.0)


def test_without_the_servers_clock_this_processs_monotonic_clock_decides() -> None:
    sent = SentAt(local=0.0, server=None, monotonic=500.0)
    # The wall clock jumped forward: it proves nothing while the monotonic clock does not.
    assert not proven_absent(sent, GRACE, Now(1e6, 9e9), 500.0 + GRACE - 0.5)
    assert proven_absent(sent, GRACE, Now(0.0, None), 500.0 + GRACE)
    # A server time on the listing alone is not enough to use the server's clock.
    assert not proven_absent(sent, GRACE, Now(0.0, 9e9), 500.0)


def test_with_no_other_clock_this_machines_wall_clock_decides() -> None:
    sent = SentAt(local=200.0)
    assert not proven_absent(sent, GRACE, Now(200.0 + GRACE - 0.5), 1e9)
    assert proven_absent(sent, GRACE, Now(200.0 + GRACE), -1e9)
    # The listing's server time cannot be compared with a send that has none.
    assert not proven_absent(SentAt(local=200.0, server=None), GRACE, Now(200.0, 9e9), 1e9)
    # And the send's server time cannot with a listing that has none.
    assert proven_absent(SentAt(local=0.0, server=9e9), GRACE, Now(GRACE, None), -1e9)

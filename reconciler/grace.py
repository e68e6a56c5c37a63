"""The in-flight grace: how long a create whose answer was lost may still land, and the
clock it is measured on. Pure arithmetic, no HTTP and no files: the plan and the settling
of lost answers both use it.

A gateway may give up on a create (a 504, a reset, a timeout) while the backend commits it
later. Until `grace` seconds have passed since the create was sent, a listing that does not
show it proves nothing. Those seconds are counted on the server's clock, which every
runner shares (read from its answers' `Date`, see `client/serverclock.py`): this
machine's wall clock may jump forward between two applies, and another runner's may be
ahead, and either would otherwise prove a campaign absent too early and send it twice.
Within one process, the wait itself runs on the monotonic clock. Only where the server
sends no usable `Date` is the wall clock used, and the plan says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reconciler.state import Intent

# Seconds a create whose answer was lost may still land in the account: twice the 60 s the
# client allows a whole request (a gateway gives up; its backend may commit well after).
IN_FLIGHT_GRACE = 120.0

# How far a send may seem to lie after "now" and still be an honest reading: the clocks are
# known to a second or two (whole-second Dates, round trips), and a runner's wall clock
# drifts. Further ahead than the grace plus this, a clock was wrong.
AHEAD_SLACK = 60.0

ClockName = Literal["server", "local"]


@dataclass(frozen=True)
class SentAt:
    """When a create was sent, on each clock that knows."""

    local: float  # this machine's wall clock (seconds since the epoch)
    server: float | None = None  # the server's clock, at the latest; None: no usable Date
    monotonic: float | None = None  # this process's monotonic clock, for its own creates

    @classmethod
    def of(cls, intent: Intent) -> SentAt:
        return cls(intent.at_epoch, intent.server_epoch)


@dataclass(frozen=True)
class Now:
    """Now, on each clock: this machine's wall clock, and the server's at the earliest (the
    `Date` of the listing the plan was made from; None when the server gave none)."""

    local: float
    server: float | None = None


@dataclass(frozen=True)
class Left:
    """What is left of a lost answer's grace."""

    seconds: float  # before a listing can prove the create absent (0: it can now)
    clock: ClockName  # the clock it was measured on
    ahead: bool = False  # sent "after now" by more than the grace: a clock was wrong


def latest_known(*readings: float | None) -> float | None:
    """The latest of lower bounds on one moment (None when none is known)."""
    known = [r for r in readings if r is not None]
    return max(known) if known else None


def left(sent: SentAt, now: Now, grace: float) -> Left:
    """What is left of the grace of a create sent at `sent`, at `now`."""
    clock: ClockName
    if sent.server is not None and now.server is not None:
        since, clock = now.server - sent.server, "server"
    else:
        since, clock = now.local - sent.local, "local"
    if since < -(grace + AHEAD_SLACK):
        return Left(grace - since, clock, ahead=True)
    return Left(max(0.0, grace - since), clock)


def proven_absent(sent: SentAt, grace: float, listed: Now,
                  listed_monotonic: float) -> bool:
    """Whether a listing taken at `listed` (and started at `listed_monotonic` on this
    process's monotonic clock) that does not show the campaign proves that its create,
    sent at `sent`, created nothing."""
    if sent.server is not None and listed.server is not None:
        return listed.server >= sent.server + grace
    if sent.monotonic is not None:
        return listed_monotonic >= sent.monotonic + grace
    return listed.local >= sent.local + grace

"""Is anyone else creating campaigns in this account while apply sends? `meta.total` says.

Campaigns are never deleted, so the account's total only grows. During an apply it may grow
by at most the creates this run has posted since the last listing (less those the API
refused): any more is someone else at work, another applier or a person, and the next
create must not start before the account is listed again.

`TotalWatch` keeps that arithmetic, and when to read the total: before the first create,
again after it (the first create goes alone, so that two appliers started together find
each other after one campaign each), then once a wave (`parallelism` creates) beside the
creates, and every EXACT_CHECK_WAVES waves with none in flight, when the total is exact.
It sends nothing and reads nothing itself: the applier asks it and tells it what happened.

Once the server limits the rate (it has answered 429), every read takes the place of a
create, and the same reads are spaced in time instead: a wave's read at most
LIMITED_READ_SECONDS after the last read of either kind, an exact one at most every
LIMITED_EXACT_SECONDS. Until then a read beside the creates delays none of them, and they
are read once a wave as before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# Waves between two reads of the total made with no create in flight (exact: a single
# campaign made by someone else shows). The reads beside the creates, in between, allow for
# those in flight, so they see another applier once it has made more than a wave.
EXACT_CHECK_WAVES = 10
# Under a rate limit: the least time between two reads beside the creates, and between two
# exact reads. At 30 requests a second a read a wave (4 creates) took a fifth of them.
LIMITED_READ_SECONDS = 2.0
LIMITED_EXACT_SECONDS = 10.0


class TotalWatch:
    def __init__(self, baseline: int | None, parallelism: int, *,
                 limited: Callable[[], bool] = lambda: False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.baseline = baseline  # the account's meta.total when last listed (None: off)
        self.parallelism = parallelism
        self.limited = limited  # whether the server limits the rate (reads are then timed)
        self.clock = clock
        self._read_at = clock()  # when the last read (beside the creates, or exact) was due
        self._exact_read_at = clock()  # when the last exact read was due
        self._changed = threading.Condition()  # a create was posted or answered
        self.posts = 0  # creates posted in this run
        # This run's creates that may be in the account but not in the last listing: those
        # in flight when it was made and those posted since, less those the API refused.
        self.unlisted = 0
        self.generation = 0  # incremented at each listing
        self.in_flight: set[str] = set()  # names posted, not yet answered and recorded
        self._check_next = baseline is not None  # the next create waits for an exact read
        self._exact_at = 0  # the posts made when the total was last read with none in flight

    @property
    def active(self) -> bool:
        return self.baseline is not None

    # -- what the applier tells it ----------------------------------------------------------

    def posted(self, name: str) -> None:
        with self._changed:
            self.posts += 1
            self.unlisted += 1
            self.in_flight.add(name)
            self._changed.notify_all()

    def answered(self, name: str, landed: bool) -> None:
        """The create of `name` was answered and recorded; `landed`: False when the API
        certainly created nothing (it was counted as possibly landed when posted)."""
        with self._changed:
            if not landed:
                self.unlisted -= 1
            self.in_flight.discard(name)
            self._changed.notify_all()

    def listed(self, total: int) -> None:
        """The account was listed again, `total` its meta.total; what is in flight may still
        land after it."""
        with self._changed:
            self.baseline = total
            self.unlisted = len(self.in_flight)
            self.generation += 1

    def check_after_next(self) -> None:
        """Read the total exactly before the next create (after the first one, alone)."""
        with self._changed:
            self._check_next = True

    def wake(self) -> None:
        """Wake whoever waits (the batch is over, or stopped)."""
        with self._changed:
            self._changed.notify_all()

    # -- what it answers ------------------------------------------------------------------

    def others(self, total: int, generation: int | None = None) -> bool:
        """Whether `total`, just read, holds campaigns that are not this run's: more than the
        last listing plus every create of this run that may have landed since. A read made
        before the last listing (`generation` older) says nothing."""
        with self._changed:
            if self.baseline is None or (generation is not None
                                         and generation != self.generation):
                return False
            return total > self.baseline + self.unlisted

    def exact_check_due(self) -> bool:
        """Whether the next create must wait for an exact read (and the due read is taken:
        the caller makes it)."""
        with self._changed:
            due = self.active and (self._check_next or (
                self.posts >= self._exact_at + EXACT_CHECK_WAVES * self.parallelism
                and self._spaced(self._exact_read_at, LIMITED_EXACT_SECONDS)))
            if due:
                self._check_next = False
                self._exact_at = self.posts
                # An exact read tells all that a read beside the creates would: under a
                # rate limit, the next one is spaced from it too.
                self._exact_read_at = self._read_at = self.clock()
            return due

    def _spaced(self, last: float, seconds: float) -> bool:
        """Whether a read may be made now: always, unless the rate is limited and the last
        one was less than `seconds` ago."""
        return not self.limited() or self.clock() - last >= seconds

    def wait_until_answered(self, stopped: Callable[[], bool]) -> None:
        """Until every create posted so far is answered (the total is then exact)."""
        with self._changed:
            while self.in_flight and not stopped():
                self._changed.wait(timeout=0.5)

    def wait_for_wave(self, since: int, stopped: Callable[[], bool]) -> tuple[int, int] | None:
        """Until a wave of creates has been posted since `since` posts (and, under a rate
        limit, LIMITED_READ_SECONDS have passed since the last read): (posts, generation)
        then, for a read beside the creates; None once `stopped`."""
        with self._changed:
            while not stopped() and (self.posts < since + self.parallelism or not
                                     self._spaced(self._read_at, LIMITED_READ_SECONDS)):
                self._changed.wait(timeout=0.1 if self.limited() else 0.5)
            self._read_at = self.clock()
            return None if stopped() else (self.posts, self.generation)

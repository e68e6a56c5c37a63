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
"""

from __future__ import annotations

import threading
from collections.abc import Callable

# Waves between two reads of the total made with no create in flight (exact: a single
# campaign made by someone else shows). The reads beside the creates, in between, allow for
# those in flight, so they see another applier once it has made more than a wave.
EXACT_CHECK_WAVES = 10


class TotalWatch:
    def __init__(self, baseline: int | None, parallelism: int) -> None:
        self.baseline = baseline  # the account's meta.total when last listed (None: off)
        self.parallelism = parallelism
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
            due = self.active and (self._check_next or self.posts >= self._exact_at
                                   + EXACT_CHECK_WAVES * self.parallelism)
            if due:
                self._check_next = False
                self._exact_at = self.posts
            return due

    def wait_until_answered(self, stopped: Callable[[], bool]) -> None:
        """Until every create posted so far is answered (the total is then exact)."""
        with self._changed:
            while self.in_flight and not stopped():
                self._changed.wait(timeout=0.5)

    def wait_for_wave(self, since: int, stopped: Callable[[], bool]) -> tuple[int, int] | None:
        """Until a wave of creates has been posted since `since` posts: (posts, generation)
        then, for a read beside the creates; None once `stopped`."""
        with self._changed:
            while not stopped() and self.posts < since + self.parallelism:
                self._changed.wait(timeout=0.5)
            return None if stopped() else (self.posts, self.generation)

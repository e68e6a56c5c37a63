"""The server's clock, read from the `Date` header of its answers.

The in-flight grace (how long a create whose answer was lost may still land) must be
measured on a clock that every runner shares: a runner whose clock is ahead, or one that
jumps forward between two applies, would otherwise prove a campaign absent too early and
send it twice. The API's own clock is that shared clock, and every answer tells it.

A `Date` is whole seconds, written when the server answered. So when an answer arrives,
the server's clock reads at least its `Date`, and at most its `Date` plus one second plus
the time since the request was sent (the answer's own trip). From then on this machine's
monotonic clock carries both bounds forward: it cannot jump, whatever the wall clock does.
`ServerClock` keeps the tightest of those bounds over every answer it has seen.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime


def parse_http_date(value: str | None) -> float | None:
    """An HTTP `Date` header as seconds since the epoch; None when absent or unusable."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:  # HTTP dates are always GMT; one without a zone is not one
        return None
    try:
        return moment.timestamp()
    except (OverflowError, OSError, ValueError):
        return None


class ServerClock:
    """The server's time now, as an interval: `earliest()` and `latest()` (None until an
    answer with a usable `Date` has been seen). Safe to use from many threads."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        # Server time minus monotonic time, at the least and at the most.
        self._low: float | None = None
        self._high: float | None = None

    def observe(self, date_header: str | None, sent: float, received: float) -> float | None:
        """Take in an answer's `Date`; `sent` and `received` are the monotonic times the
        request left and its answer arrived. Returns the parsed date (None if unusable)."""
        date = parse_http_date(date_header)
        if date is None:
            return None
        low, high = date - received, date + 1.0 - sent
        with self._lock:
            if self._low is None or self._high is None or low > self._high or high < self._low:
                # The first reading, or one that contradicts the others (the server's clock
                # was stepped): start again from it.
                self._low, self._high = low, high
            else:
                self._low, self._high = max(self._low, low), min(self._high, high)
        return date

    @property
    def known(self) -> bool:
        with self._lock:
            return self._low is not None

    def earliest(self) -> float | None:
        """The server's time now, at the earliest (seconds since the epoch)."""
        with self._lock:
            low = self._low
        return None if low is None else self._monotonic() + low

    def latest(self) -> float | None:
        """The server's time now, at the latest (seconds since the epoch)."""
        with self._lock:
            high = self._high
        return None if high is None else self._monotonic() + high

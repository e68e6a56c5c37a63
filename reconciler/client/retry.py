"""How requests are retried: the policy, `Retry-After`, the shared pause after a 429, and a
stop on an injectable clock."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from tenacity import (
    RetryCallState,
)
from tenacity.stop import stop_base

from reconciler.client.errors import ApiError


@dataclass
class RetryPolicy:
    attempts: int = 6  # per request, the first one included
    total_seconds: float = 120.0  # per request, waiting included
    base_delay: float = 0.5
    max_delay: float = 30.0


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP-date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:  # "inf" or "nan" from a server would pause every request for ever
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


class Retryable(Exception):
    """Internal: this attempt failed in a way that another attempt may fix."""

    def __init__(self, error: ApiError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


@dataclass
class Pause:
    """A shared "nobody sends before" time: one 429 slows every request of the client."""

    until: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def push(self, until: float) -> None:
        with self.lock:
            self.until = max(self.until, until)


class OutOfTime(stop_base):
    """Stop when the next wait would take the request past its time budget.

    It reads the client's (injectable) clock, where tenacity's own stop_after_delay reads
    the wall clock, so that tests can prove the bound without sleeping.
    """

    def __init__(self, clock: Callable[[], float], started: float, budget: float) -> None:
        self.clock = clock
        self.started = started
        self.budget = budget

    def __call__(self, retry_state: RetryCallState) -> bool:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome else None
        planned = exc.retry_after if isinstance(exc, Retryable) and exc.retry_after else 0.0
        return self.clock() - self.started + planned > self.budget


def duration_text(seconds: float) -> str:
    """`86400` -> "86,400 s (about 24 h)"."""
    if seconds < 120:
        return f"{seconds:,.0f} s"
    if seconds < 7200:
        return f"{seconds:,.0f} s (about {seconds / 60:.0f} min)"
    return f"{seconds:,.0f} s (about {seconds / 3600:.0f} h)"

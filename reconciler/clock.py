"""The one clock of the tool, and the one way it writes a time.

Every "now" the commands use (planning, review checks, state and journal records) comes
from `now()`, so that a test can set the time once (`monkeypatch.setattr(clock, "now",
...)`) and test data can be made relative to it instead of hard-coding a year.
"""

from __future__ import annotations

from datetime import datetime, timezone


def now() -> datetime:
    return datetime.now(timezone.utc)


def utc_text(moment: datetime) -> str:
    """`2030-06-01T09:00:00Z`: how every time is written (state, plans, messages)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

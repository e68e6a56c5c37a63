"""The one clock of the tool, and the one way it writes a time.

Every "now" the commands use (planning, review checks, state and journal records) comes
from `now()`, so that a test can set the time once (`monkeypatch.setattr(clock, "now",
...)`) and test data can be made relative to it instead of hard-coding a year.

`CAMPAIGNS_CLOCK_OFFSET_DAYS` moves the clock forward (never back) for every process, so
that CI can prove that nothing depends on today's date (`.ci/run` runs the suite and the
quick start five years ahead). It is for testing only. Forward-only keeps it safe: a later
"now" can only make a send time look past and be refused, never the reverse.

`CAMPAIGNS_CLOCK_AT` (`2099-01-01T12:00:00Z`) stops the clock at one instant, for output that
must be the same on every run: the documentation's examples are generated with it
(`tests/docgen.py`). It is forward-only too: an instant earlier than the real time (or
than the offset's) is ignored. With it set, the embedded sandbox also stamps its
campaigns with this clock and gives them IDs derived from their names.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from functools import lru_cache

OFFSET_VARIABLE = "CAMPAIGNS_CLOCK_OFFSET_DAYS"
FIXED_VARIABLE = "CAMPAIGNS_CLOCK_AT"


def _offset() -> timedelta:
    try:
        days = float(os.environ.get(OFFSET_VARIABLE) or 0)
    except ValueError:
        return timedelta(0)
    return timedelta(days=days) if 0 < days <= 36_500 else timedelta(0)


def _fixed() -> datetime | None:
    text = os.environ.get(FIXED_VARIABLE)
    if not text:
        return None
    try:
        return parse(text)
    except ValueError:
        return None


def now() -> datetime:
    moving = datetime.now(timezone.utc) + _offset()
    fixed = _fixed()
    return fixed if fixed is not None and fixed > moving else moving


def is_fixed() -> bool:
    """Whether `CAMPAIGNS_CLOCK_AT` holds the clock (the documentation's reproducible runs)."""
    fixed = _fixed()
    return fixed is not None and fixed > datetime.now(timezone.utc) + _offset()


def utc_text(moment: datetime) -> str:
    """`2030-06-01T09:00:00Z`: how every time is written (state, plans, messages)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=4096)  # a plan reads the same few times once a campaign
def parse(text: str) -> datetime:
    """A time as the tool and the API write it (`2030-06-01T09:00:00Z`, or with an offset)
    as an aware datetime (UTC when it names no zone); ValueError when it is not one."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

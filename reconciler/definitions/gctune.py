"""Fewer garbage collections while a command builds its bulk of long-lived objects.

Loading definitions and listing the account build tens of thousands of small objects that
live until the command exits, and almost no cycles. With Python's default thresholds the
collector walks them again and again: a fifth of the time of a large plan. Inside
`fewer_collections()` young objects are collected less often; the thresholds are restored
on the way out, so a long-running command (`sandbox serve`, `status --watch`) and a test
that calls the command line in-process keep Python's own.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 50_000  # allocations between young collections (Python's default: 700)
_depth = 0  # only the outermost of nested scopes changes anything (one thread uses it)


@contextmanager
def fewer_collections() -> Iterator[None]:
    global _depth
    _depth += 1
    if _depth > 1:
        try:
            yield
        finally:
            _depth -= 1
        return
    before = gc.get_threshold()
    gc.freeze()  # what exists already (the imported modules) is left out of every walk
    gc.set_threshold(max(before[0], YOUNG_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
        _depth -= 1

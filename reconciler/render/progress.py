"""Apply's progress: plain lines in CI logs; on a terminal, the same lines under a bar.

The bar is redrawn with a carriage return and cleared by overwriting it with spaces, not
with an ANSI erase sequence, which a Windows console without virtual-terminal processing
prints as text."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from typing import IO

from reconciler.plan.work import Event
from reconciler.plural import counted

COUNTED = ("created", "failed", "adopted", "renamed", "found", "unknown", "appeared")
WIDTH = 30


def describe(event: Event) -> str:
    kind, work, detail = event.kind, event.step, event.detail
    loc = f"{work.file}:{work.line}"
    words = {
        "created": f"+ created {work.name!r} ({detail})",
        "found": f"+ created {work.name!r} ({detail}; found by listing)",
        "adopted": f"> adopted {work.name!r} ({detail})",
        "renamed": f"~ renamed {detail!r} to {work.name!r} in the state",
        "failed": f"! {loc}: {work.name!r} failed: {detail}",
        "unknown": f"? {loc}: {work.name!r} unknown: may have been sent: {detail}",
        "appeared": f"> adopted {work.name!r} ({detail}; it appeared in the account during "
                    "this apply, so it was not sent)",
    }
    return words.get(kind, f"{kind} {work.name!r}")


class Progress:
    """Called from worker threads with each event of an apply."""

    def __init__(self, total: int, out: IO[str], tty: bool,
                 monotonic: Callable[[], float] = time.monotonic,
                 columns: int | None = None) -> None:
        self.total = total
        self.finished: set[str] = set()  # names whose create has an outcome (for the bar)
        self.out = out
        self.tty = tty
        self.lock = threading.Lock()
        self.monotonic = monotonic
        self.waited_line_at: float | None = None  # when the last waiting line was written
        self.columns = columns or shutil.get_terminal_size().columns
        self.drawn = 0  # characters of the line under the cursor (the bar or a countdown)

    @property
    def done(self) -> int:
        return len(self.finished)

    def start(self, total: int) -> None:
        self.total = total

    def bar(self) -> str:
        filled = WIDTH * self.done // self.total if self.total else WIDTH
        return f"[{'#' * filled}{'.' * (WIDTH - filled)}] {self.done}/{self.total}"

    def redraw(self, line: str) -> None:
        """Replace the bar or countdown under the cursor with `line`, cut to the terminal's
        width (a wrapped line could not be redrawn from its start)."""
        line = line[:max(self.columns - 1, 0)]
        self.out.write(f"\r{line}{' ' * (self.drawn - len(line))}")
        if self.drawn > len(line):
            self.out.write(f"\r{line}")
        self.drawn = len(line)

    def __call__(self, event: Event) -> None:
        with self.lock:
            if event[0] in COUNTED:
                self.finished.add(event[1].name)  # a create sent again counts once
            line = describe(event)
            if self.tty:
                # Overwrite the bar with the event, whole, then draw the bar below it.
                self.out.write(f"\r  {line}{' ' * (self.drawn - len(line) - 2)}\n")
                self.drawn = 0
                self.redraw(self.bar())
            else:
                self.out.write(f"  [{self.done}/{self.total}] {line}\n")
            self.out.flush()

    def waiting(self, left: float, count: int) -> None:
        """While lost answers are waited out: a countdown on a terminal, a line a minute in
        a log."""
        text = (f"waiting {left:.0f} s for {counted(count, 'create')} whose answer was lost: then "
                "the account is listed, what landed is recorded, the rest is sent again")
        with self.lock:
            if self.tty:
                self.redraw(f"  {text}")
            else:
                now = self.monotonic()
                if self.waited_line_at is not None and now - self.waited_line_at < 60:
                    return
                self.waited_line_at = now
                self.out.write(f"  {text}\n")
            self.out.flush()

    def finish(self) -> None:
        with self.lock:
            if self.tty:
                self.redraw("")
                self.out.flush()

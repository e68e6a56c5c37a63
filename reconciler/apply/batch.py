"""One batch of creates: the workers, the one gate where they take the next campaign, and
the read of the account's total beside them.

`parallelism` workers take the next campaign one at a time at the gate (`take`), where the
total is read exactly when it is due and the account listed again when it grew; one more
thread reads the total beside them once a wave (`watch_beside`). The thread that runs the
batch applies the workers' reports meanwhile, and stays free for signals. What each create
does, and what the reads decide, is the applier's (`applier.py`).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

from reconciler.client import ApiError
from reconciler.plan.work import Step

if TYPE_CHECKING:
    from reconciler.apply.applier import Applier


class Batch:
    def __init__(self, applier: Applier, creates: Sequence[Step]) -> None:
        self.applier = applier
        self.queue: deque[Step] = deque(creates)
        self.gate = threading.Lock()  # one worker at a time takes the next campaign (and lists)
        self.grew = threading.Event()  # a read beside the creates saw someone else's
        self.finished = threading.Event()

    def stopped(self) -> bool:
        return self.finished.is_set() or self.applier.stop.is_set()

    def take(self) -> Step | None:
        """The next campaign to create, once the account's total allows it; None when no
        more creates may start."""
        a, watch = self.applier, self.applier.watch
        with self.gate:
            if a.stop.is_set() or not self.queue:
                return None
            if watch.exact_check_due():
                watch.wait_until_answered(a.stop.is_set)
                if not a.check_account(self.queue):
                    return None
            if self.grew.is_set():
                self.grew.clear()
                if not a.relist(self.queue):
                    return None
            return self.queue.popleft() if self.queue else None

    def take_and_create(self, limit: int | None = None) -> None:
        """One worker: create until the queue is empty, the run stops, or `limit` creates."""
        made = 0
        try:
            while limit is None or made < limit:
                taken = self.take()
                if taken is None:
                    break
                self.applier.create_one(taken)
                made += 1
            self.applier.journal.sync()  # this worker's last record on disk, and reported
        except OSError as error:  # the journal: its lines are not known to be on disk
            self.applier.halt(f"the state's journal could not be written "
                              f"({error.strerror or error})")

    def watch_beside(self) -> None:
        """Read the total once every wave of creates posted, beside them."""
        a = self.applier
        since = a.watch.posts
        while (read := a.watch.wait_for_wave(since, self.stopped)) is not None:
            since, generation = read
            try:
                total = a.client.campaign_total()
            except ApiError as error:
                a.halt(f"the account could not be checked while sending ({error})")
                return
            if a.watch.others(total, generation):  # creates posted meanwhile allowed for
                self.grew.set()

    def run(self, apply_reports: Callable[[], None]) -> None:
        a = self.applier
        workers = min(a.parallelism, len(self.queue))
        if workers == 0:
            return
        with ThreadPoolExecutor(max_workers=workers + 1, thread_name_prefix="apply") as pool:
            if a.watch.active and len(self.queue) > 1:
                # The first create goes alone and the total is read again after it, so that
                # two appliers started at the same moment find each other after one
                # campaign each, not after a whole wave.
                self._until_done([pool.submit(self.take_and_create, 1)], apply_reports)
                a.watch.check_after_next()
            watcher = pool.submit(self.watch_beside) if a.watch.active else None
            try:
                self._until_done([pool.submit(self.take_and_create) for _ in range(workers)],
                                 apply_reports)
            finally:
                self.finished.set()
                a.watch.wake()
            if watcher is not None:
                self._until_done([watcher], apply_reports)

    def _until_done(self, futures: list[Future[None]],
                    apply_reports: Callable[[], None]) -> None:
        """Wait for `futures`, applying reports as they come, in short waits that keep this
        thread free for signals. A bug in one stops the others; it is raised here once they
        are done."""
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_EXCEPTION)
            apply_reports()
            crashed = [f.exception() for f in done if f.exception() is not None]
            if crashed:
                self.applier.stop.set()
                self.applier.watch.wake()
                wait(pending)
                apply_reports()
                raise crashed[0]  # type: ignore[misc]

"""Carrying out a plan: adopt and rename, create once, then settle the lost answers.

Each create is preceded by an `intent` in the state journal and followed by its `record`
(or `resolved` when the API certainly refused it); both are on disk before the worker
sends another create. A created ID is told (progress, summary) only once its record is on
disk: the record does not wait for an fsync of its own, the next intent's covers it.

A create whose answer was lost is never posted again before it is settled: once every
other create is done, `settle.py` waits out the in-flight grace, lists the account,
records what landed and sends again what the listing proves absent. The "waiting"
campaigns of the plan, whose create an earlier, interrupted apply sent without getting the
answer, are settled the same way.

An answer must agree with what was sent: a 201 under another name is not recorded under
the definition's name and stops the run (the server normalised it), and a name that
appears only in another form is never sent again.

Creates carry a deterministic `Idempotency-Key` (API URL, name, definition), and the
account's total is read before the first create, after it, and then once every
`parallelism` creates (spaced in time once the server limits the rate: see
totalwatch.py): if it grew beyond what this run may have made, someone else is
creating campaigns, so the account is listed again before the next create starts and any
name that appeared is adopted instead of created. After the first create, that read runs
beside the creates instead of between them: the creates never wait for it, and what it
finds stops the next create that starts after its answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from functools import partial
from queue import Empty, SimpleQueue

from reconciler.apply.settle import Settle, Settler, unaccounted_by_name
from reconciler.apply.totalwatch import TotalWatch
from reconciler.client import (
    ApiError,
    InsufficientCredits,
    ListingStats,
    OutcomeUnknown,
    RateLimited,
    Unauthorized,
    ZexaClient,
)
from reconciler.grace import SentAt
from reconciler.plan import Action
from reconciler.plan.work import Event, Failure, Outcome, Unknown, Work
from reconciler.state import Journal, new_entry


def idempotency_key(api_url: str, name: str, digest: str) -> str:
    """The same for the same definition against the same API, from any machine and run."""
    text = "\x00".join((api_url, name, digest))
    return "zxc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:48]



# What a worker reports: a change to the outcome, and the event that shows it (if any). The
# thread that runs the apply applies them in order (`_fold`): nothing else writes the
# outcome while creates run.
Report = tuple[Callable[[Outcome], None], Event | None]


class Applier:
    """Carries out the work: adoptions and renames, then the creates, `parallelism` at a
    time, each once (see the module's text), then the lost answers settled."""

    def __init__(
        self,
        client: ZexaClient,
        journal: Journal,
        *,
        parallelism: int = 4,
        stop: threading.Event | None = None,
        on_event: Callable[[Event], None] = lambda event: None,
        settle: Settle | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.parallelism = max(1, parallelism)
        self.stop = stop or threading.Event()
        self.on_event = on_event
        self.settle = settle or Settle()
        self.watch = TotalWatch(None, self.parallelism)
        self._reports: SimpleQueue[Report] = SimpleQueue()
        self._lock = threading.Lock()  # guards the three sets below
        self._ours: set[str] = set()  # IDs the plan's listing held, and those made since
        self._sent: set[str] = set()  # names this run has posted
        self._lost: set[str] = set()  # names whose create's answer was lost, not settled
        self._sent_monotonic: dict[str, float] = {}  # when this run last sent each name

    def run(self, work: Sequence[Work], known_ids: set[str],
            account_total: int | None = None) -> Outcome:
        """Do `work`. `known_ids` are the account's IDs, and `account_total` its
        `meta.total`, in the listing the work was planned on (None: no total check). The
        campaigns under a waiting name are not among `known_ids`: the one that landed, if
        any, is its create's."""
        outcome = Outcome()
        self._ours = set(known_ids) | {e.id for e in self.journal.state.campaigns.values()}
        self.watch = TotalWatch(account_total, self.parallelism,
                                limited=lambda: self.client.rate_limited)
        # An earlier run's lost answers: settled with this run's, after the creates.
        outcome.unknown.extend(self._waiting(w) for w in work if w.action is Action.WAITING)
        for w in work:
            if w.action is Action.ADOPT and w.remote_id:
                self._adopt(w, w.remote_id, "adopted")
            elif w.action is Action.RENAME and w.previous_name:
                self.journal.move(w.previous_name, w.name)
                self._report(partial(_add, "renamed", (w.previous_name, w.name)),
                             ("renamed", w, w.previous_name))
        self._fold(outcome)
        self.send([w for w in work if w.action is Action.CREATE], outcome)
        Settler(self, self.settle).run(outcome)
        if self.stop.is_set() and outcome.stopped_because is None:
            outcome.interrupted = True
        return outcome

    # -- reports --------------------------------------------------------------------------

    def _report(self, change: Callable[[Outcome], None], event: Event | None = None) -> None:
        self._reports.put((change, event))

    def _fold(self, outcome: Outcome) -> None:
        """Apply what was reported, in order, and show its events."""
        while True:
            try:
                change, event = self._reports.get_nowait()
            except Empty:
                return
            change(outcome)
            if event is not None:
                self.on_event(event)

    def _halt(self, reason: str) -> None:
        """No new create starts; the first reason given is the one reported."""
        def first(outcome: Outcome) -> None:
            if outcome.stopped_because is None:
                outcome.stopped_because = reason

        self.stop.set()
        self._report(first)

    # -- lost answers (what settling needs: see settle.py) ------------------------------------

    def _waiting(self, w: Work) -> Unknown:
        """A create an earlier run sent without getting the answer, as a lost answer."""
        intent = self.journal.state.pending.get(w.name)
        return Unknown(w, "an earlier apply sent it and did not get the answer",
                       SentAt.of(intent) if intent else None, earlier=True)

    def accounted_ids(self) -> set[str]:
        """The IDs that belong to some name already: listed when planning, or made since."""
        with self._lock:
            return set(self._ours)

    def listed(self, stats: ListingStats, settling: set[str]) -> None:
        """The account was listed to settle the lost answers of `settling`."""
        if self.watch.active:  # nothing is in flight: the listing is exact
            self.watch.listed(stats.reported_total)
        with self._lock:
            self._lost -= settling  # settled now, or reported again

    def record(self, w: Work, campaign_id: str) -> None:
        """A lost answer's campaign, found in the account."""
        self._record(w, campaign_id, "created")

    def resolved(self, name: str) -> None:
        self.journal.resolved(name)

    # -- creates ---------------------------------------------------------------------------

    def send(self, creates: Sequence[Work], outcome: Outcome) -> None:
        """Create `creates`, `parallelism` at a time; what was not started is reported."""
        batch = _Batch(self, creates)
        batch.run(lambda: self._fold(outcome))
        self._fold(outcome)
        outcome.not_started.extend(batch.queue)

    def _record(self, w: Work, campaign_id: str, origin: str) -> None:
        entry = new_entry(campaign_id, w.channel, w.digest,
                          "created" if origin == "created" else "adopted", w.file, w.blob)
        self.journal.record(w.name, entry)  # durable when it returns (shared fsyncs)
        with self._lock:
            self._ours.add(campaign_id)

    def _adopt(self, w: Work, campaign_id: str, kind: str) -> None:
        """Record a campaign the account already holds: `adopted` (planned) or `appeared`
        (it appeared during this apply)."""
        self._record(w, campaign_id, "adopted")
        bucket = "adopted" if kind == "adopted" else "appeared"
        self._report(partial(_add, bucket, (w.name, campaign_id)), (kind, w, campaign_id))

    def _fail(self, w: Work, message: str, shown: str | None = None) -> None:
        self._report(lambda o: o.failed.append(Failure(w, message)),
                     ("failed", w, shown or message))

    def _create_one(self, w: Work) -> None:
        key = idempotency_key(self.journal.state.api_url, w.name, w.digest)
        try:
            # On disk before the request leaves, with the server's clock at the latest: the
            # in-flight grace is measured from it.
            self.journal.intent(w.name, key, self.client.server_clock.latest())
        except OSError as error:  # nothing was sent
            self._report(lambda o: o.not_started.append(w))
            self._halt(f"the state's journal could not be written ({error.strerror or error}); "
                       "nothing more was sent")
            return
        with self._lock:
            self._sent.add(w.name)
            self._sent_monotonic[w.name] = time.monotonic()
        self.watch.posted(w.name)
        landed = True
        try:
            landed = self._send(w, key)
        finally:  # answered and recorded (or known lost): no longer in flight
            self.watch.answered(w.name, landed)

    def _send(self, w: Work, key: str) -> bool:
        """Post one create and report what came of it; False when it certainly created
        nothing."""
        try:
            created = self.client.create_campaign(w.payload, idempotency_key=key)
        except OutcomeUnknown as unknown:
            self._unknown(w, str(unknown))  # never posted again before settled
            return True
        except ApiError as error:
            self.journal.resolved(w.name)  # the API said no: nothing was created
            self._refused(w, error)
            return False
        with self._lock:
            taken = created.id in self._ours
            self._ours.add(created.id)
        if taken:  # another campaign's ID: what this create made, if anything, is unknown
            self._unknown(w, f"the API answered with the ID {created.id}, which already "
                          "belongs to another campaign; it was not recorded")
            return True
        if created.name != w.name:
            self.journal.resolved(w.name)
            self._fail(w, f"the API stored the campaign as {created.name!r} ({created.id}), "
                       f"not as the {w.name!r} that was sent; nothing was recorded under "
                       "the definition's name. If that is the campaign, rename the "
                       "definition to the account's form and record it with `campaigns "
                       f"state import {created.name!r} {created.id}`")
            self._halt("the API changed a campaign's name; stopped so that no other name is "
                       "sent in a form the account will not match")
            return True
        self._report(lambda o: o.answered.__setitem__(w.name, created.id))
        entry = new_entry(created.id, w.channel, w.digest, "created", w.file, w.blob)
        try:
            # The worker goes on to its next intent, whose fsync covers this record too;
            # the ID is reported once that fsync has finished.
            self.journal.record_later(w.name, entry, lambda: self._report(
                lambda o: o.created.append((w.name, created.id)), ("created", w, created.id)))
        except OSError as error:
            self._halt(f"the state's journal could not be written ({error.strerror or error}); "
                       "nothing more was sent")
        return True

    def _refused(self, w: Work, error: ApiError) -> None:
        """The API certainly created nothing: a 429 leaves the campaign not sent and stops
        the run; any other refusal is this campaign's failure (a 401 or running out of
        credits stops the others too)."""
        if isinstance(error, RateLimited):
            self._report(lambda o: o.not_started.append(w))
            self._halt(f"the API is limiting requests ({error})")
            return
        self._fail(w, str(error))
        if isinstance(error, Unauthorized):
            self._halt("the API key was refused (401)")
        elif isinstance(error, InsufficientCredits):
            self._halt("the account ran out of credits")
            with contextlib.suppress(ApiError):
                balance = self.client.credits()
                self._report(lambda o: setattr(o, "balance", balance))

    def _unknown(self, w: Work, cause: str) -> None:
        with self._lock:
            self._lost.add(w.name)
            sent_monotonic = self._sent_monotonic.get(w.name)
        intent = self.journal.state.pending.get(w.name)
        sent = (SentAt(intent.at_epoch, intent.server_epoch, sent_monotonic)
                if intent is not None else None)
        self._report(lambda o: o.unknown.append(Unknown(w, cause, sent)), ("unknown", w, cause))

    # -- the account's total -------------------------------------------------------------

    def _check_account(self, queue: deque[Work]) -> bool:
        """Before a create, with none in flight: has anyone else created campaigns since the
        last listing? If so, list again (`_relist`). False when no more creates may start."""
        try:
            total = self.client.campaign_total()
        except ApiError as error:
            self._halt(f"the account could not be checked before sending ({error})")
            return False
        return self._relist(queue) if self.watch.others(total) else True

    def _relist(self, queue: deque[Work]) -> bool:
        """The account grew beyond this run: list it again, and adopt rather than create any
        queued name that appeared. When a name this run has already posted appeared under
        another ID, another apply is creating the same campaigns at the same time: stop.
        False when no more creates may start."""
        stats = ListingStats()
        try:
            listing = self.client.list_campaigns(stats)
        except ApiError as error:
            self._halt(f"the account changed and could not be listed ({error})")
            return False
        self.watch.listed(stats.reported_total)
        with self._lock:
            ours = set(self._ours)
            # A name in flight may be listed under its new ID before this run records it.
            sent = self._sent - self.watch.in_flight - self._lost
        appeared = unaccounted_by_name(listing, ours)
        clash = sorted(n for n in sent if n in appeared)
        if clash:
            shown = ", ".join(repr(n) for n in clash[:5]) + (" ..." if len(clash) > 5 else "")
            self._halt(f"another apply is creating the same campaigns in this account at the "
                       f"same time ({len(clash)} sent by both: {shown}); stopped so that "
                       "nothing more is sent twice. Run one apply at a time per account (CI: "
                       "a concurrency group), and check those names in the account")
            return False
        for w in [w for w in queue if w.name in appeared]:
            queue.remove(w)
            found = appeared[w.name]
            if len(found) == 1 and found[0].valid_id and found[0].channel == w.channel:
                self._adopt(w, found[0].id, "appeared")
            else:
                ids = ", ".join(repr(r.id) for r in found)
                self._fail(w, f"campaigns named {w.name!r} appeared in the account during "
                           f"this apply ({ids}) that cannot be adopted (several, another "
                           "channel or an ID that is not a campaign ID); nothing was sent. "
                           "Settle it by hand with `campaigns state import`",
                           "appeared in the account during this apply")
        return not self.stop.is_set() and bool(queue)


class _Batch:
    """One batch of creates: `parallelism` workers take the next campaign one at a time
    (`take`: where the total is read, exactly, when due, and the account listed again when
    it grew), and one more reads the total beside them once a wave (`watch_beside`). The
    thread that runs the batch folds the reports meanwhile, and stays free for signals."""

    def __init__(self, applier: Applier, creates: Sequence[Work]) -> None:
        self.applier = applier
        self.queue: deque[Work] = deque(creates)
        self.gate = threading.Lock()  # one worker at a time takes work (and lists)
        self.grew = threading.Event()  # a read beside the creates saw someone else's
        self.finished = threading.Event()

    def stopped(self) -> bool:
        return self.finished.is_set() or self.applier.stop.is_set()

    def take(self) -> Work | None:
        a, watch = self.applier, self.applier.watch
        with self.gate:
            if a.stop.is_set() or not self.queue:
                return None
            if watch.exact_check_due():
                watch.wait_until_answered(a.stop.is_set)
                if not a._check_account(self.queue):
                    return None
            if self.grew.is_set():
                self.grew.clear()
                if not a._relist(self.queue):
                    return None
            return self.queue.popleft() if self.queue else None

    def work(self, limit: int | None = None) -> None:
        """Create until the queue is empty, the run stops, or `limit` creates."""
        made = 0
        try:
            while limit is None or made < limit:
                taken = self.take()
                if taken is None:
                    break
                self.applier._create_one(taken)
                made += 1
            self.applier.journal.sync()  # this worker's last record on disk, and reported
        except OSError as error:  # the journal: its lines are not known to be on disk
            self.applier._halt(f"the state's journal could not be written "
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
                a._halt(f"the account could not be checked while sending ({error})")
                return
            if a.watch.others(total, generation):  # creates posted meanwhile allowed for
                self.grew.set()

    def run(self, fold: Callable[[], None]) -> None:
        a = self.applier
        workers = min(a.parallelism, len(self.queue))
        if workers == 0:
            return
        with ThreadPoolExecutor(max_workers=workers + 1, thread_name_prefix="apply") as pool:
            if a.watch.active and len(self.queue) > 1:
                # The first create goes alone and the total is read again after it, so that
                # two appliers started at the same moment find each other after one
                # campaign each, not after a whole wave.
                self._until_done([pool.submit(self.work, 1)], fold)
                a.watch.check_after_next()
            watcher = pool.submit(self.watch_beside) if a.watch.active else None
            try:
                self._until_done([pool.submit(self.work) for _ in range(workers)], fold)
            finally:
                self.finished.set()
                a.watch.wake()
            if watcher is not None:
                self._until_done([watcher], fold)

    def _until_done(self, futures: list[Future[None]], fold: Callable[[], None]) -> None:
        """Wait for `futures`, folding reports as they come, in short waits that keep this
        thread free for signals. A bug in one stops the others; it is raised here once they
        are done."""
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_EXCEPTION)
            fold()
            crashed = [f.exception() for f in done if f.exception() is not None]
            if crashed:
                self.applier.stop.set()
                self.applier.watch.wake()
                wait(pending)
                fold()
                raise crashed[0]  # type: ignore[misc]


def _add(bucket: str, value: object, outcome: Outcome) -> None:
    """Append `value` to one of the outcome's lists (a report's change)."""
    getattr(outcome, bucket).append(value)

"""Carrying out a plan: create what is missing, once, and remember every ID whatever fails.

Each create is preceded by an `intent` in the state journal and followed by its `record`
(or `resolved` when the API certainly refused it); both are on disk before the worker
sends another create. A created ID is told (progress, summary) only once its record is on
disk: the record does not wait for an fsync of its own, the next intent's covers it.

A create whose answer was lost (`OutcomeUnknown`: a 5xx, a gateway's page, a dropped
connection, a timeout, a 201 naming another campaign's ID) is never posted again before
the in-flight grace has passed since it was sent, because the server may still commit it
late. Once every other create is done, the run waits out the grace, lists the account,
records what landed and sends again what the listing proves absent (`Settle`). What is
still unknown at the limit stays in flight in the journal, for a later run.

An answer must agree with what was sent: a 201 under another name is not recorded under
the definition's name and stops the run (the server normalised it), and a name that
appears only in another form is never sent again.

Creates carry a deterministic `Idempotency-Key` (API URL, name, definition), and the
account's total is read before the first create, after it, and then once every
`parallelism` creates: if it grew beyond what this run may have made, someone else is
creating campaigns, so the account is listed again before the next create starts and any
name that appeared is adopted instead of created. After the first create, that read runs
beside the creates instead of between them: the creates never wait for it, and what it
finds stops the next create that starts after its answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from queue import Empty, SimpleQueue
from typing import Any

from reconciler import clock, names
from reconciler.client import (
    ApiError,
    InsufficientCredits,
    ListingStats,
    OutcomeUnknown,
    RateLimited,
    Unauthorized,
    ZexaClient,
)
from reconciler.plan import IN_FLIGHT_GRACE, Action, Item, Plan
from reconciler.remote import Credits, RemoteCampaign
from reconciler.state import Journal, new_entry
from reconciler.totalwatch import TotalWatch


def idempotency_key(api_url: str, name: str, digest: str) -> str:
    """The same for the same definition against the same API, from any machine and run."""
    text = "\x00".join((api_url, name, digest))
    return "zxc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:48]


@dataclass(frozen=True)
class Work:
    """One thing to do, as a fresh plan or a saved plan file describes it."""

    action: Action  # CREATE, ADOPT or RENAME
    name: str
    channel: str
    digest: str
    file: str
    line: int
    column: int
    payload: dict[str, Any] = field(default_factory=dict)
    remote_id: str | None = None
    previous_name: str | None = None
    # Local-only fields the review checks read, so that a saved plan can be checked again.
    purpose: str | None = None
    skip_checks: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action.value, "name": self.name, "channel": self.channel,
            "digest": self.digest, "file": self.file, "line": self.line,
            "column": self.column, "payload": self.payload, "remote_id": self.remote_id,
            "previous_name": self.previous_name, "purpose": self.purpose,
            "skip_checks": list(self.skip_checks),
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Work:
        """A work item of a saved plan already checked against `saved-plan.schema.json`."""
        return cls(
            action=Action(doc["action"]), name=doc["name"], channel=doc["channel"],
            digest=doc["digest"], file=doc["file"], line=doc["line"], column=doc["column"],
            payload=doc["payload"], remote_id=doc["remote_id"],
            previous_name=doc["previous_name"], purpose=doc["purpose"],
            skip_checks=tuple(doc["skip_checks"]),
        )


def work_of(plan: Plan) -> list[Work]:
    out: list[Work] = []
    for item in plan.items:
        if item.action not in (Action.CREATE, Action.ADOPT, Action.RENAME):
            continue
        out.append(_work(item))
    return out


def _work(item: Item) -> Work:
    c = item.campaign
    return Work(
        action=item.action, name=c.name, channel=c.channel, digest=c.digest(),
        file=c.location.file, line=c.location.line, column=c.location.column,
        payload=c.payload() if item.action is Action.CREATE else {},
        remote_id=item.remote_id, previous_name=item.previous_name,
        purpose=c.purpose, skip_checks=c.skip_checks,
    )


@dataclass
class Failure:
    work: Work
    message: str


@dataclass
class Unknown:
    work: Work
    cause: str
    sent_epoch: float | None = None  # when its create was last sent (the intent's time)

    def settles_at(self, grace: float) -> str | None:
        """When a later run may list the account to settle it (UTC text), if known."""
        if self.sent_epoch is None:
            return None
        return clock.utc_text(datetime.fromtimestamp(self.sent_epoch + grace, timezone.utc))


@dataclass
class Outcome:
    created: list[tuple[str, str]] = field(default_factory=list)
    adopted: list[tuple[str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)
    not_started: list[Work] = field(default_factory=list)
    appeared: list[tuple[str, str]] = field(default_factory=list)  # adopted mid-apply
    stopped_because: str | None = None
    balance: Credits | None = None  # read when the account ran out of credits
    interrupted: bool = False
    # Every ID a create's answer gave, told or not: when the journal cannot be written (a
    # full disk), those whose record never reached it are still reported (`unrecorded`).
    answered: dict[str, str] = field(default_factory=dict)
    settle_rounds: int = 0  # rounds of waiting out lost answers, then listing
    state_error: str | None = None  # the state could not be saved (its journal may stand)

    @property
    def unrecorded(self) -> list[tuple[str, str]]:
        told = {name for name, _ in self.created}
        return [(n, i) for n, i in self.answered.items() if n not in told]

    @property
    def ok(self) -> bool:
        return not (self.failed or self.unknown or self.not_started or self.interrupted
                    or self.unrecorded or self.state_error)

    def summary(self) -> str:
        parts = [f"{len(self.created)} created",
                 f"{len(self.adopted) + len(self.appeared)} adopted"]
        if self.renamed:
            parts.append(f"{len(self.renamed)} renamed")
        if self.ok:
            return "Apply complete: " + ", ".join(parts) + "."
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        if self.unknown:
            parts.append(f"{len(self.unknown)} unknown: may have been sent")
        if self.not_started:
            parts.append(f"{len(self.not_started)} not sent")
        if self.unrecorded:
            parts.append(f"{len(self.unrecorded)} created but not recorded")
        return "Apply incomplete: " + ", ".join(parts) + "."


Event = tuple[str, Work, str]  # (kind, work, detail): kinds created/adopted/failed/unknown/...

# Rounds of sending again what a listing proved absent after the grace, within one run.
MAX_SETTLE_ROUNDS = 10
SETTLE_TIMEOUT = 900.0  # seconds, from the first lost answer's create, that apply waits


@dataclass(frozen=True)
class Settle:
    """How a run settles lost answers (`OutcomeUnknown`) before it ends.

    With `wait`, once every other create is done it waits until `grace` seconds have
    passed since each such create was sent, lists the account, records what is there and
    sends again what is proven absent (under the same rules), for at most
    MAX_SETTLE_ROUNDS rounds and `timeout` seconds. Without it (`--no-wait`), one listing
    records what is already there and the rest is left to a later run.
    """

    wait: bool = True
    grace: float = IN_FLIGHT_GRACE
    timeout: float = SETTLE_TIMEOUT
    # Called about once a second while waiting: (seconds left, lost answers waited for).
    on_wait: Callable[[float, int], None] = lambda left, count: None
    now: Callable[[], float] = lambda: clock.now().timestamp()


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

    def run(self, work: Sequence[Work], known_ids: set[str],
            account_total: int | None = None) -> Outcome:
        """Do `work`. `known_ids` are the account's IDs, and `account_total` its
        `meta.total`, in the listing the work was planned on (None: no total check)."""
        outcome = Outcome()
        self._ours = set(known_ids) | {e.id for e in self.journal.state.campaigns.values()}
        self.watch = TotalWatch(account_total, self.parallelism)
        for w in work:
            if w.action is Action.ADOPT and w.remote_id:
                self._adopt(w, w.remote_id, "adopted")
            elif w.action is Action.RENAME and w.previous_name:
                self.journal.move(w.previous_name, w.name)
                self._report(partial(_add, "renamed", (w.previous_name, w.name)),
                             ("renamed", w, w.previous_name))
        self._fold(outcome)
        self._batch([w for w in work if w.action is Action.CREATE], outcome)
        self._settle(outcome)
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

    # -- lost answers ------------------------------------------------------------------------

    def _settle(self, outcome: Outcome) -> None:
        """Settle the creates whose answer was lost, within this run (see `Settle`)."""
        first_sent: float | None = None
        while outcome.unknown and not self.stop.is_set():
            if not self.settle.wait:
                too_early = self._resolve(outcome)  # not proven absent: the grace is not over
                outcome.unknown.extend(too_early)
                return
            sent = [u.sent_epoch or self.settle.now() for u in outcome.unknown]
            first_sent = min(sent) if first_sent is None else first_sent
            due = max(sent) + self.settle.grace
            if due - first_sent > self.settle.timeout or \
                    outcome.settle_rounds >= MAX_SETTLE_ROUNDS:
                return  # the limit: what is still unknown is left to a later run
            if not self._wait_until(due, len(outcome.unknown)):
                return  # interrupted
            absent = self._resolve(outcome)
            if not absent:
                return  # settled, or what is left cannot be settled by listing
            outcome.settle_rounds += 1
            # Proven absent: sent again, under the same rules.
            self._batch([u.work for u in absent], outcome)

    def _sent_epoch(self, w: Work) -> float | None:
        intent = self.journal.state.pending.get(w.name)
        return intent.at_epoch if intent is not None else None

    def _wait_until(self, due: float, count: int) -> bool:
        """Sleep until `due` (the tool's clock), telling `on_wait` once a second; False
        when the run was asked to stop meanwhile."""
        while True:
            left = due - self.settle.now()
            if left <= 0:
                return not self.stop.is_set()
            self.settle.on_wait(left, count)
            if self.stop.wait(min(1.0, left)):
                return False

    # -- creates ---------------------------------------------------------------------------

    def _batch(self, creates: Sequence[Work], outcome: Outcome) -> None:
        batch = _Batch(self, creates)
        batch.run(lambda: self._fold(outcome))
        self._fold(outcome)
        outcome.not_started.extend(batch.queue)

    def _record(self, w: Work, campaign_id: str, origin: str) -> None:
        entry = new_entry(campaign_id, w.channel, w.digest,
                          "created" if origin == "created" else "adopted", w.file)
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
            self.journal.intent(w.name, key)  # on disk before the request leaves
        except OSError as error:  # nothing was sent
            self._report(lambda o: o.not_started.append(w))
            self._halt(f"the state's journal could not be written ({error.strerror or error}); "
                       "nothing more was sent")
            return
        with self._lock:
            self._sent.add(w.name)
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
        entry = new_entry(created.id, w.channel, w.digest, "created", w.file)
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
        sent = self._sent_epoch(w)
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
        appeared = _new_by_name(listing, ours)
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

    def _resolve(self, outcome: Outcome) -> list[Unknown]:
        """One listing: record the lost answers whose campaign is there, and return those
        whose campaign is not (proven absent only once the grace has passed since their
        create was sent: the caller knows). What cannot be settled by listing stays in
        `outcome.unknown`."""
        pending, outcome.unknown = outcome.unknown, []
        stats = ListingStats()
        try:
            listing = self.client.list_campaigns(stats)
        except ApiError as error:
            outcome.unknown = [Unknown(u.work, f"{u.cause}; listing to find out failed: "
                                       f"{error}", u.sent_epoch) for u in pending]
            return []
        if self.watch.active:  # nothing is in flight: the listing is exact
            self.watch.listed(stats.reported_total)
        with self._lock:
            ours = set(self._ours)
            self._lost -= {u.work.name for u in pending}  # settled here, or reported again
        appeared = _new_by_name(listing, ours)
        similar = names.by_key(appeared)
        absent: list[Unknown] = []
        for unknown in pending:
            w = unknown.work
            found = appeared.get(w.name, [])
            alike = similar.get(names.name_key(w.name), [])
            if not found and alike:  # stored in another form: never sent again on a guess
                other = appeared[alike[0]][0]
                outcome.failed.append(Failure(
                    w, f"{unknown.cause}; the account now holds {other.name!r} ({other.id}), "
                    "the same name but for spacing, case or Unicode form: the server may "
                    "have stored this create in that form, so it was not sent again. If it "
                    "is this campaign, write the name as the account has it and the plan "
                    "adopts it"))
                self.on_event(("failed", w, f"{other.name!r} ({other.id}) appeared"))
                self.journal.resolved(w.name)
            elif not found:
                absent.append(unknown)
            elif len(found) == 1 and found[0].valid_id and found[0].channel == w.channel:
                self._record(w, found[0].id, "created")
                outcome.created.append((w.name, found[0].id))
                self.on_event(("found", w, found[0].id))
            elif len(found) > 1:
                ids = ", ".join(repr(r.id) for r in found)
                outcome.failed.append(Failure(
                    w, f"{len(found)} campaigns named {w.name!r} appeared during this "
                    f"apply ({ids}); none was recorded. Settle it by hand with "
                    "`campaigns state import`"))
                self.journal.resolved(w.name)
            else:
                outcome.unknown.append(Unknown(
                    w, f"{unknown.cause}; a campaign named {w.name!r} appeared with the ID "
                    f"{found[0].id!r} on {found[0].channel or 'an unknown channel'}, which "
                    "cannot be recorded for it (not a campaign ID, or another channel)",
                    unknown.sent_epoch))
        return absent



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


def _new_by_name(listing: Sequence[RemoteCampaign],
                 ours: set[str]) -> dict[str, list[RemoteCampaign]]:
    out: dict[str, list[RemoteCampaign]] = {}
    for r in listing:
        if r.id not in ours:
            out.setdefault(r.name, []).append(r)
    return out

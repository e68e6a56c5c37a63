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
account_total.py): if it grew beyond what this run may have made, someone else is
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
from functools import partial
from queue import Empty, SimpleQueue
from typing import Literal, NamedTuple

from reconciler.apply.account_total import TotalWatch
from reconciler.apply.batch import Batch
from reconciler.apply.settle import Settle, Settler, adoptable, unaccounted_by_name
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
from reconciler.plan.work import Event, Failure, LostAnswer, Outcome, Step
from reconciler.remote import RemoteCampaign
from reconciler.state import Journal, Origin, new_entry


def idempotency_key(api_url: str, name: str, digest: str) -> str:
    """The same for the same definition against the same API, from any machine and run."""
    text = "\x00".join((api_url, name, digest))
    return "zxc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:48]


class Report(NamedTuple):
    """What a worker reports. The thread that runs the apply applies the reports in order
    (`_apply_reports`): nothing else writes the outcome while creates run."""

    change: Callable[[Outcome], None]  # to the outcome
    event: Event | None  # what shows it, if anything


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

    def run(self, work: Sequence[Step], known_ids: set[str],
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
        self._adopt_and_rename(work)
        self._apply_reports(outcome)
        self.send([w for w in work if w.action is Action.CREATE], outcome)
        Settler(self, self.settle).run(outcome)
        if self.stop.is_set() and outcome.stopped_because is None:
            outcome.interrupted = True
        return outcome

    def _adopt_and_rename(self, work: Sequence[Step]) -> None:
        """Record the planned adoptions and renames: they send nothing."""
        for w in work:
            if w.action is Action.ADOPT and w.remote_id:
                self._adopt(w, w.remote_id, "adopted")
            elif w.action is Action.RENAME and w.previous_name:
                self.journal.move(w.previous_name, w.name)
                self._report(partial(_add, "renamed", (w.previous_name, w.name)),
                             Event("renamed", w, w.previous_name))

    # -- reports --------------------------------------------------------------------------

    def _report(self, change: Callable[[Outcome], None], event: Event | None = None) -> None:
        self._reports.put(Report(change, event))

    def _apply_reports(self, outcome: Outcome) -> None:
        """Apply what was reported to the outcome, in order, and show its events."""
        while True:
            try:
                change, event = self._reports.get_nowait()
            except Empty:
                return
            change(outcome)
            if event is not None:
                self.on_event(event)

    def halt(self, reason: str) -> None:
        """No new create starts; the first reason given is the one reported."""
        def first(outcome: Outcome) -> None:
            if outcome.stopped_because is None:
                outcome.stopped_because = reason

        self.stop.set()
        self._report(first)

    # -- lost answers (what settling needs: see settle.py) ------------------------------------

    def _waiting(self, w: Step) -> LostAnswer:
        """A create an earlier run sent without getting the answer, as a lost answer."""
        intent = self.journal.state.pending.get(w.name)
        return LostAnswer(w, "an earlier apply sent it and did not get the answer",
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

    def record(self, w: Step, campaign_id: str) -> None:
        """A lost answer's campaign, found in the account."""
        self._record(w, campaign_id, "created")

    def drop_intent(self, name: str) -> None:
        """A lost answer settled as a failure (a person settles it): its create is no longer
        in flight, and the journal says so."""
        self.journal.resolved(name)

    # -- creates ---------------------------------------------------------------------------

    def send(self, creates: Sequence[Step], outcome: Outcome) -> None:
        """Create `creates`, `parallelism` at a time; what was not started is reported."""
        batch = Batch(self, creates)
        batch.run(lambda: self._apply_reports(outcome))
        self._apply_reports(outcome)
        outcome.not_started.extend(batch.queue)

    def _record(self, w: Step, campaign_id: str, origin: Origin) -> None:
        entry = new_entry(campaign_id, w.channel, w.digest, origin, w.file, w.blob)
        self.journal.record(w.name, entry)  # durable when it returns (shared fsyncs)
        with self._lock:
            self._ours.add(campaign_id)

    def _adopt(self, w: Step, campaign_id: str,
               kind: Literal["adopted", "appeared"]) -> None:
        """Record a campaign the account already holds: `adopted` (planned) or `appeared`
        (it appeared during this apply)."""
        self._record(w, campaign_id, "adopted")
        self._report(partial(_add, kind, (w.name, campaign_id)), Event(kind, w, campaign_id))

    def _fail(self, w: Step, message: str, shown: str | None = None) -> None:
        self._report(lambda o: o.failed.append(Failure(w, message)),
                     Event("failed", w, shown or message))

    def create_one(self, w: Step) -> None:
        """Write the intent, post the create and report what came of it (a batch's worker)."""
        key = idempotency_key(self.journal.state.api_url, w.name, w.digest)
        try:
            # On disk before the request leaves, with the server's clock at the latest: the
            # in-flight grace is measured from it.
            self.journal.intent(w.name, key, self.client.server_clock.latest())
        except OSError as error:  # nothing was sent
            self._report(lambda o: o.not_started.append(w))
            self.halt(f"the state's journal could not be written ({error.strerror or error}); "
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

    def _send(self, w: Step, key: str) -> bool:
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
            self._fail(w, _renamed_by_server(w, created.name, created.id))
            self.halt("the API changed a campaign's name; stopped so that no other name is "
                       "sent in a form the account will not match")
            return True
        self._report(lambda o: o.answered.__setitem__(w.name, created.id))
        entry = new_entry(created.id, w.channel, w.digest, "created", w.file, w.blob)
        try:
            # The worker goes on to its next intent, whose fsync covers this record too;
            # the ID is reported once that fsync has finished.
            self.journal.record_later(w.name, entry, lambda: self._report(
                lambda o: o.created.append((w.name, created.id)), Event("created", w, created.id)))
        except OSError as error:
            self.halt(f"the state's journal could not be written ({error.strerror or error}); "
                       "nothing more was sent")
        return True

    def _refused(self, w: Step, error: ApiError) -> None:
        """The API certainly created nothing: a 429 leaves the campaign not sent and stops
        the run; any other refusal is this campaign's failure (a 401 or running out of
        credits stops the others too)."""
        if isinstance(error, RateLimited):
            self._report(lambda o: o.not_started.append(w))
            self.halt(f"the API is limiting requests ({error})")
            return
        self._fail(w, str(error))
        if isinstance(error, Unauthorized):
            self.halt("the API key was refused (401)")
        elif isinstance(error, InsufficientCredits):
            self.halt("the account ran out of credits")
            with contextlib.suppress(ApiError):
                balance = self.client.credits()
                self._report(lambda o: setattr(o, "balance", balance))

    def _unknown(self, w: Step, cause: str) -> None:
        with self._lock:
            self._lost.add(w.name)
            sent_monotonic = self._sent_monotonic.get(w.name)
        intent = self.journal.state.pending.get(w.name)
        sent = (SentAt(intent.at_epoch, intent.server_epoch, sent_monotonic)
                if intent is not None else None)
        self._report(lambda o: o.unknown.append(LostAnswer(w, cause, sent)),
                     Event("unknown", w, cause))

    # -- the account's total -------------------------------------------------------------

    def check_account(self, queue: deque[Step]) -> bool:
        """Before a create, with none in flight: has anyone else created campaigns since the
        last listing? If so, list again (`relist`). False when no more creates may start."""
        try:
            total = self.client.campaign_total()
        except ApiError as error:
            self.halt(f"the account could not be checked before sending ({error})")
            return False
        return self.relist(queue) if self.watch.others(total) else True

    def relist(self, queue: deque[Step]) -> bool:
        """The account grew beyond this run: list it again, and adopt rather than create any
        queued name that appeared. When a name this run has already posted appeared under
        another ID, another apply is creating the same campaigns at the same time: stop.
        False when no more creates may start."""
        stats = ListingStats()
        try:
            listing = self.client.list_campaigns(stats)
        except ApiError as error:
            self.halt(f"the account changed and could not be listed ({error})")
            return False
        self.watch.listed(stats.reported_total)
        with self._lock:
            ours = set(self._ours)
            # A name in flight may be listed under its new ID before this run records it.
            sent = self._sent - self.watch.in_flight - self._lost
        appeared = unaccounted_by_name(listing, ours)
        clash = sorted(n for n in sent if n in appeared)
        if clash:
            self.halt(_sent_by_both(clash))
            return False
        self._take_appeared(queue, appeared)
        return not self.stop.is_set() and bool(queue)

    def _take_appeared(self, queue: deque[Step],
                       appeared: dict[str, list[RemoteCampaign]]) -> None:
        """Each queued name that appeared in the account is adopted instead of created, or
        failed when what appeared cannot be adopted."""
        for w in [w for w in queue if w.name in appeared]:
            queue.remove(w)
            found = appeared[w.name]
            if adoptable(found, w):
                self._adopt(w, found[0].id, "appeared")
            else:
                self._fail(w, _cannot_adopt(w, found),
                           "appeared in the account during this apply")


def _renamed_by_server(w: Step, stored: str, campaign_id: str) -> str:
    return (f"the API stored the campaign as {stored!r} ({campaign_id}), not as the "
            f"{w.name!r} that was sent; nothing was recorded under the definition's name. If "
            "that is the campaign, rename the definition to the account's form and record it "
            f"with `campaigns state import {stored!r} {campaign_id}`")


def _sent_by_both(clash: Sequence[str]) -> str:
    shown = ", ".join(repr(n) for n in clash[:5]) + (" ..." if len(clash) > 5 else "")
    return (f"another apply is creating the same campaigns in this account at the same time "
            f"({len(clash)} sent by both: {shown}); stopped so that nothing more is sent "
            "twice. Run one apply at a time per account (CI: a concurrency group), and check "
            "those names in the account")


def _cannot_adopt(w: Step, found: Sequence[RemoteCampaign]) -> str:
    ids = ", ".join(repr(r.id) for r in found)
    return (f"campaigns named {w.name!r} appeared in the account during this apply ({ids}) "
            "that cannot be adopted (several, another channel or an ID that is not a "
            "campaign ID); nothing was sent. Settle it by hand with `campaigns state import`")


def _add(bucket: str, value: object, outcome: Outcome) -> None:
    """Append `value` to one of the outcome's lists (a report's change)."""
    getattr(outcome, bucket).append(value)

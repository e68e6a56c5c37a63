"""Carrying out a plan: create what is missing, once, and remember every ID whatever fails.

Each create is preceded by an `intent` in the state journal and followed by its `record`
(or `resolved` when it certainly failed); both are on disk before the worker starts
another create. A create whose answer was lost (`OutcomeUnknown`) is never posted again
blindly: after the batch the account is listed, a campaign of that name that appeared
since the apply began is adopted as ours, and only one proven absent is created again.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from reconciler.api import (
    ApiError,
    InsufficientCredits,
    OutcomeUnknown,
    Unauthorized,
    ZexaClient,
)
from reconciler.diagnostics import Location
from reconciler.plan import Action, Item, Plan
from reconciler.remote import Credits
from reconciler.state import Journal, new_entry

RESOLVE_ROUNDS = 3


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

    @property
    def location(self) -> Location:
        return Location(self.file, self.line, self.column)

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action.value, "name": self.name, "channel": self.channel,
            "digest": self.digest, "file": self.file, "line": self.line,
            "column": self.column, "payload": self.payload, "remote_id": self.remote_id,
            "previous_name": self.previous_name,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Work:
        return cls(
            action=Action(doc["action"]), name=str(doc["name"]), channel=str(doc["channel"]),
            digest=str(doc["digest"]), file=str(doc["file"]), line=int(doc["line"]),
            column=int(doc["column"]), payload=dict(doc.get("payload") or {}),
            remote_id=doc.get("remote_id"), previous_name=doc.get("previous_name"),
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
    )


@dataclass
class Failure:
    work: Work
    message: str


@dataclass
class Unknown:
    work: Work
    cause: str
    may_still_land: bool = False


@dataclass
class Outcome:
    created: list[tuple[str, str]] = field(default_factory=list)
    adopted: list[tuple[str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)
    not_started: list[Work] = field(default_factory=list)
    stopped_because: str | None = None
    balance: Credits | None = None  # read when the account ran out of credits
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not (self.failed or self.unknown or self.not_started or self.interrupted)

    def summary(self) -> str:
        parts = [f"{len(self.created)} created", f"{len(self.adopted)} adopted"]
        if self.renamed:
            parts.append(f"{len(self.renamed)} renamed")
        if self.ok:
            return "Apply complete: " + ", ".join(parts) + "."
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        if self.unknown:
            parts.append(f"{len(self.unknown)} unknown")
        if self.not_started:
            parts.append(f"{len(self.not_started)} not started")
        return "Apply incomplete: " + ", ".join(parts) + "."


Event = tuple[str, Work, str]  # (kind, work, detail): kinds created/adopted/failed/unknown/...


class Applier:
    def __init__(
        self,
        client: ZexaClient,
        journal: Journal,
        *,
        parallelism: int = 4,
        stop: threading.Event | None = None,
        on_event: Callable[[Event], None] = lambda event: None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.parallelism = max(1, parallelism)
        self.stop = stop or threading.Event()
        self.on_event = on_event
        self._lock = threading.Lock()

    def run(self, work: Sequence[Work], known_ids: set[str]) -> Outcome:
        """Do `work`; `known_ids` are the account's IDs when the plan was made."""
        outcome = Outcome()
        for w in work:
            if w.action is Action.ADOPT and w.remote_id:
                self._record(w, w.remote_id, "adopted")
                outcome.adopted.append((w.name, w.remote_id))
                self.on_event(("adopted", w, w.remote_id))
            elif w.action is Action.RENAME and w.previous_name:
                self.journal.move(w.previous_name, w.name)
                outcome.renamed.append((w.previous_name, w.name))
                self.on_event(("renamed", w, w.previous_name))
        creates = [w for w in work if w.action is Action.CREATE]
        self._batch(creates, outcome)
        if outcome.unknown and not self.stop.is_set():
            self._resolve(outcome, known_ids)
        if self.stop.is_set() and outcome.stopped_because is None:
            outcome.interrupted = True
        return outcome

    # -- creates ---------------------------------------------------------------------------

    def _record(self, w: Work, campaign_id: str, origin: str) -> None:
        entry = new_entry(campaign_id, w.channel, w.digest,
                          "created" if origin == "created" else "adopted", w.file)
        with self._lock:
            self.journal.record(w.name, entry)

    def _halt(self, outcome: Outcome, reason: str) -> None:
        with self._lock:
            if outcome.stopped_because is None:
                outcome.stopped_because = reason
        self.stop.set()

    def _create_one(self, w: Work, outcome: Outcome) -> None:
        key = str(uuid.uuid4())
        with self._lock:
            self.journal.intent(w.name, key)
        try:
            created = self.client.create_campaign(w.payload, idempotency_key=key)
        except OutcomeUnknown as unknown:
            with self._lock:
                outcome.unknown.append(Unknown(w, str(unknown), unknown.may_still_land))
            self.on_event(("unknown", w, str(unknown)))
            return
        except ApiError as error:
            with self._lock:
                self.journal.resolved(w.name)  # the API said no: nothing was created
                outcome.failed.append(Failure(w, str(error)))
            self.on_event(("failed", w, str(error)))
            if isinstance(error, Unauthorized):
                self._halt(outcome, "the API key was refused (401)")
            elif isinstance(error, InsufficientCredits):
                self._halt(outcome, "the account ran out of credits")
                with contextlib.suppress(ApiError):
                    outcome.balance = self.client.credits()
            return
        self._record(w, created.id, "created")
        with self._lock:
            outcome.created.append((w.name, created.id))
        self.on_event(("created", w, created.id))

    def _batch(self, creates: Sequence[Work], outcome: Outcome) -> None:
        queue: Iterator[Work] = iter(creates)
        queue_lock = threading.Lock()

        def worker() -> None:
            while not self.stop.is_set():
                with queue_lock:
                    w = next(queue, None)
                if w is None:
                    return
                self._create_one(w, outcome)

        threads = [threading.Thread(target=worker, name=f"create-{n}", daemon=True)
                   for n in range(min(self.parallelism, len(creates)))]
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(timeout=0.1)  # short joins keep the main thread free for signals
        outcome.not_started.extend(queue)

    def _resolve(self, outcome: Outcome, known_ids: set[str]) -> None:
        """Find out by listing what became of creates whose answer was lost.

        Each round lists the account, records what appeared, and creates again only what
        the listing proves absent; the last listing only records.
        """
        for round_number in range(RESOLVE_ROUNDS + 1):
            pending, outcome.unknown = outcome.unknown, []
            try:
                listing = self.client.list_campaigns()
            except ApiError as error:
                outcome.unknown = [
                    Unknown(u.work, f"{u.cause}; listing to find out failed: {error}", True)
                    for u in pending
                ]
                return
            ours = known_ids | {cid for _, cid in outcome.created}
            retry: list[Work] = []
            for unknown in pending:
                w = unknown.work
                appeared = [r for r in listing if r.name == w.name and r.id not in ours]
                if len(appeared) == 1:
                    self._record(w, appeared[0].id, "created")
                    outcome.created.append((w.name, appeared[0].id))
                    self.on_event(("found", w, appeared[0].id))
                elif len(appeared) > 1:
                    ids = ", ".join(r.id for r in appeared)
                    outcome.failed.append(Failure(
                        w, f"{len(appeared)} campaigns named {w.name!r} appeared during this "
                        f"apply ({ids}); none was recorded. Settle it by hand with "
                        "`campaigns state import`"))
                    with self._lock:
                        self.journal.resolved(w.name)
                elif unknown.may_still_land:
                    # The request may still be on its way: it is not proven absent yet.
                    outcome.unknown.append(unknown)
                else:
                    retry.append(w)  # the account proves it was not created
            if not retry or self.stop.is_set() or round_number == RESOLVE_ROUNDS:
                for w in retry:
                    with self._lock:
                        self.journal.resolved(w.name)  # proven absent: nothing in flight
                outcome.not_started.extend(retry)
                return
            for w in retry:
                with self._lock:
                    self.journal.resolved(w.name)
                self.on_event(("retry", w, "not in the account: creating it again"))
            self._batch(retry, outcome)
            if not outcome.unknown or self.stop.is_set():
                return

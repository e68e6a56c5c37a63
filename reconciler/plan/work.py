"""The work of an apply, and what came of it: plain values that the applier, the settling
of lost answers, saved plans and the renderers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal, NamedTuple

from reconciler import clock
from reconciler.definitions.gitblob import blob_id
from reconciler.grace import SentAt
from reconciler.plan.model import CHANGES, Action, Item, Plan
from reconciler.remote import Credits


@dataclass(frozen=True)
class Step:
    """One thing to do, as a fresh plan or a saved plan file describes it."""

    action: Action  # CREATE, ADOPT, RENAME or WAITING
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
    blob: str | None = None  # the definition file's git blob ID, for the state's entry

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action.value, "name": self.name, "channel": self.channel,
            "digest": self.digest, "file": self.file, "line": self.line,
            "column": self.column, "payload": self.payload, "remote_id": self.remote_id,
            "previous_name": self.previous_name, "purpose": self.purpose,
            "skip_checks": list(self.skip_checks), "blob": self.blob,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Step:
        """A work item of a saved plan already checked against `saved-plan.schema.json`."""
        return cls(
            action=Action(doc["action"]), name=doc["name"], channel=doc["channel"],
            digest=doc["digest"], file=doc["file"], line=doc["line"], column=doc["column"],
            payload=doc["payload"], remote_id=doc["remote_id"],
            previous_name=doc["previous_name"], purpose=doc["purpose"],
            skip_checks=tuple(doc["skip_checks"]), blob=doc.get("blob"),
        )


def steps_of(plan: Plan) -> list[Step]:
    """What apply does of a plan: its creates, adoptions, renames and waiting creates."""
    return [_step(item) for item in plan.items if item.action in CHANGES]


def _step(item: Item) -> Step:
    c = item.campaign
    return Step(
        action=item.action, name=c.name, channel=c.channel, digest=c.digest(),
        file=c.location.file, line=c.location.line, column=c.location.column,
        payload=c.payload() if item.action in (Action.CREATE, Action.WAITING) else {},
        remote_id=item.remote_id, previous_name=item.previous_name,
        purpose=c.purpose, skip_checks=c.skip_checks,
        blob=None if c.source is None else blob_id(c.source),
    )


@dataclass
class Failure:
    work: Step
    message: str


@dataclass
class LostAnswer:
    """A lost answer: a create that was sent, and may or may not have made a campaign."""

    work: Step
    cause: str
    sent: SentAt | None = None  # when its create was last sent (the intent's times)
    earlier: bool = False  # sent by an earlier, interrupted apply (a "waiting" campaign)

    def settles_at(self, grace: float) -> str | None:
        """When a listing can prove it absent (UTC text, on the server's clock where it is
        known), if known."""
        if self.sent is None:
            return None
        base = self.sent.server if self.sent.server is not None else self.sent.local
        return clock.utc_text(datetime.fromtimestamp(base + grace, timezone.utc))


@dataclass
class Outcome:
    created: list[tuple[str, str]] = field(default_factory=list)
    adopted: list[tuple[str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    unknown: list[LostAnswer] = field(default_factory=list)
    not_started: list[Step] = field(default_factory=list)
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


EventKind = Literal["created", "found", "adopted", "appeared", "renamed", "failed", "unknown"]


class Event(NamedTuple):
    """What the progress shows as an apply goes: what happened to which step, and its detail
    (the campaign's ID, the previous name, or why it failed or is in doubt)."""

    kind: EventKind
    step: Step
    detail: str

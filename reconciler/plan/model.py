"""What a plan is made of and what it says: its inputs (`Inputs`), each defined campaign's
verdict (`Action`, `Problem`, `Item`), the state entries no definition claims (`Orphan`),
and the `Plan` with its counts. Plain values: the rules that decide them are in
`verdict.py`, the function that makes a plan in `make.py`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from functools import cached_property

from reconciler.checks.config import CheckConfig, QuietHours
from reconciler.checks.links import LinkCheck
from reconciler.config import Limits
from reconciler.definitions import Campaign
from reconciler.diagnostics import Diagnostic, Findings
from reconciler.grace import IN_FLIGHT_GRACE
from reconciler.plan.audience import (
    AudienceTotals,
    ListSize,
    Reach,
    Verdict,
    audience_totals,
    verdicts,
)
from reconciler.plan.sentdiff import SentDiff, SentLookup
from reconciler.plural import counted
from reconciler.remote import Credits, RegisteredSender, RemoteCampaign
from reconciler.state import Entry, State


class Action(str, Enum):
    CREATE = "create"
    ADOPT = "adopt"  # exists in the account, unknown to the state: record it, send nothing
    RENAME = "rename"  # the state knows it under a previous name: move the entry
    IN_SYNC = "in-sync"
    # An earlier apply sent its create and lost the answer, too recently for a listing to
    # prove it absent: apply sends the rest, waits out the grace, lists, then records it
    # or sends it again.
    WAITING = "waiting"
    ERROR = "error"  # a condition that must stop an apply


CHANGES = (Action.CREATE, Action.ADOPT, Action.RENAME, Action.WAITING)  # what apply acts on


class Problem(str, Enum):
    DUPLICATE_NAME = "duplicate-in-account"
    OTHER_CHANNEL = "other-channel"
    MISSING = "missing-from-account"
    RENAMED_REMOTELY = "id-under-another-name"
    CHANGED = "changed-after-create"
    PAST = "scheduled-in-the-past"
    IN_FLIGHT = "create-in-flight"  # dated after now by more than the grace
    SENDER = "sender-not-registered"
    FOREIGN_ID = "id-not-a-campaign-id"
    SIMILAR_NAME = "similar-name-in-account"
    REVIEW_CHECK = "review-check-error"  # a create that a review check at error refuses


@dataclass(frozen=True, slots=True)
class Item:
    """One defined campaign and what apply would do about it."""

    name: str
    action: Action
    campaign: Campaign
    remote_id: str | None = None
    previous_name: str | None = None  # the state or account knew it under this name
    problem: Problem | None = None
    message: str = ""
    diagnostic: Diagnostic | None = None  # the finding that made it an error, when one did
    # A definition changed after its campaign was sent: what differs (None: not looked up).
    sent: SentDiff | None = None

    @property
    def sends_immediately(self) -> bool:
        return self.action is Action.CREATE and self.campaign.scheduled_at is None


@dataclass(frozen=True)
class Orphan:
    """A state entry that no definition claims any more: reported, never touched."""

    name: str
    entry: Entry
    in_account: bool


@dataclass
class Plan(Findings):
    items: list[Item]
    orphans: list[Orphan]
    unmanaged: list[RemoteCampaign]
    diagnostics: list[Diagnostic]
    credits: Credits | None
    senders_verified: bool
    api_url: str
    state_lineage: str | None  # None: no state file yet
    state_serial: int
    state_fingerprint: str
    account_fingerprint: str
    generated_at: str
    account_ids: frozenset[str] = frozenset()  # every ID the listing returned
    account_total: int | None = None  # the listing's meta.total, for apply's total check
    zone: str = QuietHours().zone  # the time zone reviewers think in (the quiet hours')
    environment: str | None = None  # the configuration's environment it was made for
    list_sizes: dict[str, ListSize] = field(default_factory=dict)  # known contacts a list
    limits: Limits = field(default_factory=Limits)  # the configuration's, for this apply
    links: list[LinkCheck] | None = None  # the online link check's answers; None: not run

    def estimated_credits(self, item: Item) -> int | None:
        size = self.list_sizes.get(item.campaign.contact_list_id)
        return None if size is None else cost(item.campaign, size.size)

    @cached_property  # the totals, the verdicts and every renderer read it
    def reaches(self) -> list[Reach]:
        """Each campaign to create, with its recipients and credits when known."""
        out = []
        for item in self.sendable:
            size = self.list_sizes.get(item.campaign.contact_list_id)
            out.append(Reach(item.name, item.campaign.contact_list_id,
                             None if size is None else size.size,
                             self.estimated_credits(item)))
        return out

    @property
    def totals(self) -> AudienceTotals:
        """What this plan's apply would create and reach."""
        return audience_totals(self.reaches)

    @property
    def verdicts(self) -> list[Verdict]:
        """Each limit that is set, against this plan's totals."""
        return verdicts(self.limits, self.reaches)

    @property
    def over_limits(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.exceeded]

    @property
    def sendable(self) -> list[Item]:
        """The campaigns apply may send: those to create, and those waiting (sent again if
        the account proves they did not land)."""
        return [i for i in self.items if i.action in (Action.CREATE, Action.WAITING)]

    @property
    def covered_names(self) -> list[str]:
        return covered_names(self.items)

    def of(self, action: Action) -> list[Item]:
        return [i for i in self.items if i.action is action]

    @property
    def has_changes(self) -> bool:
        return any(i.action in CHANGES for i in self.items)

    def summary(self) -> str:
        n = len(self.errors)
        parts = [
            f"{len(self.of(Action.CREATE))} to create",
            f"{len(self.of(Action.ADOPT))} to adopt",
        ]
        if self.of(Action.RENAME):
            parts.append(f"{len(self.of(Action.RENAME))} to rename in the state")
        if self.of(Action.WAITING):
            parts.append(f"{len(self.of(Action.WAITING))} waiting")
        parts.append(f"{len(self.of(Action.IN_SYNC))} in sync")
        parts.append(counted(n, "error"))
        return "Plan: " + ", ".join(parts) + "."


@dataclass(frozen=True)
class Inputs:
    """Everything the plan is a function of."""

    campaigns: Sequence[Campaign]
    remote: Sequence[RemoteCampaign]
    state: State
    now: datetime
    now_epoch: float
    credits: Credits | None = None
    senders: Sequence[RegisteredSender] | None = None
    definition_diagnostics: Sequence[Diagnostic] = field(default_factory=tuple)
    in_flight_grace: float = IN_FLIGHT_GRACE
    # The server's clock when the account was listed, at the earliest (the listing's Date);
    # None when the server sent none. The in-flight grace is measured on it.
    server_now: float | None = None
    checks: CheckConfig | None = None  # review checks on the campaigns to create
    account_total: int | None = None  # meta.total of the listing `remote` came from
    environment: str | None = None
    limits: Limits = field(default_factory=Limits)
    # Reads the definitions as sent, for what changed after a campaign was sent (None: the
    # plan says only that it changed).
    sent: SentLookup | None = None


def covered_names(items: Sequence[Item]) -> list[str]:
    """Every name a plan speaks for: its campaigns' names and their previous names. A saved
    plan is stale when the account gains a campaign under any of them."""
    return sorted({i.name for i in items} | {i.previous_name for i in items if i.previous_name})


def cost(c: Campaign, recipients: int) -> int:
    """Credits a campaign costs: recipients x SMS segments (1 a recipient elsewhere)."""
    return recipients * (c.sms().segments if c.channel == "sms" and c.body else 1)

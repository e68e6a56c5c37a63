"""The plan: a pure function of (definitions, account snapshot, state, now) -> Plan.

No HTTP and no files here: `make_plan` is tested without any server. Every defined
campaign gets exactly one verdict; the conditions under which guessing could send a
campaign twice, or to the wrong people, are errors that stop an apply.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import Enum
from functools import cached_property

from reconciler import clock, names
from reconciler.checks.config import CheckConfig, QuietHours
from reconciler.checks.links import LinkCheck
from reconciler.checks.review import checked, sends_immediately
from reconciler.clock import utc_text
from reconciler.config import Limits
from reconciler.definitions import Campaign
from reconciler.diagnostics import Diagnostic, Findings, Severity
from reconciler.grace import IN_FLIGHT_GRACE, Left, Now, SentAt, left
from reconciler.plan import audience
from reconciler.plan.audience import ListSize, Reach, Totals, Verdict, totals, verdicts
from reconciler.plan.sentdiff import SentDiff, SentLookup
from reconciler.remote import Credits, RegisteredSender, RemoteCampaign
from reconciler.state import Entry, Intent, State
from reconciler.words import counted

SOON = timedelta(minutes=15)  # a create scheduled sooner than this may be past when applied


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
    def totals(self) -> Totals:
        """What this plan's apply would create and reach."""
        return totals(self.reaches)

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


def account_fingerprint(remote: Iterable[RemoteCampaign], names: Iterable[str]) -> str:
    """What the account held under `names`: a saved plan is stale when this changes."""
    wanted = set(names)
    rows = sorted((c.name, c.id, c.channel) for c in remote if c.name in wanted)
    digest = hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()
    return "sha256:" + digest


def make_plan(inputs: Inputs) -> Plan:
    state = inputs.state
    by_name: dict[str, list[RemoteCampaign]] = defaultdict(list)
    by_id: dict[str, RemoteCampaign] = {}
    for remote in inputs.remote:
        by_name[remote.name].append(remote)
        by_id[remote.id] = remote

    items, claimed_state = _items(inputs, by_name, by_id)
    list_sizes = audience.list_sizes(inputs.campaigns, state, by_id,
                                     inputs.checks.list_sizes if inputs.checks else ())
    diagnostics, refused = _diagnostics(items, inputs, by_name, list_sizes)
    items = [refused_by_check(i, refused[i.name]) if i.name in refused else i for i in items]

    defined_names = {n for c in inputs.campaigns for n in (c.name, *c.previous_names)}
    orphans = [
        Orphan(name, entry, entry.id in by_id)
        for name, entry in sorted(state.campaigns.items())
        if name not in claimed_state and name not in defined_names
    ]
    state_ids = {e.id for e in state.campaigns.values()}
    unmanaged = [
        r for r in inputs.remote if r.name not in defined_names and r.id not in state_ids
    ]
    senders_verified = inputs.senders is not None
    return Plan(
        items=items,
        orphans=orphans,
        unmanaged=sorted(unmanaged, key=lambda r: (r.name, r.id)),
        diagnostics=sorted(diagnostics, key=Diagnostic.sort_key),
        credits=inputs.credits,
        senders_verified=senders_verified,
        api_url=state.api_url,
        state_lineage=state.lineage if state.exists else None,
        state_serial=state.serial,
        state_fingerprint=state.fingerprint(),
        account_fingerprint=account_fingerprint(inputs.remote, covered_names(items)),
        generated_at=utc_text(inputs.now),
        account_ids=frozenset(by_id),
        account_total=inputs.account_total,
        zone=inputs.checks.quiet_hours.zone if inputs.checks else QuietHours().zone,
        environment=inputs.environment,
        list_sizes=list_sizes,
        limits=inputs.limits,
    )


def _items(inputs: Inputs, by_name: Mapping[str, list[RemoteCampaign]],
           by_id: Mapping[str, RemoteCampaign]) -> tuple[list[Item], set[str]]:
    """A verdict for every defined campaign, and the state entries they claim."""
    items: list[Item] = []
    claimed_state: set[str] = set()
    similar: Mapping[str, list[str]] | None = None  # made only when something is created
    for campaign in inputs.campaigns:
        item, state_name = _verdict(campaign, inputs.state, by_name, by_id, inputs.sent)
        if state_name is not None:
            claimed_state.add(state_name)
        if item.action is Action.CREATE:
            similar = similar if similar is not None else names.by_key(by_name)
            item = _check_create(item, inputs, similar, by_name)
        elif item.action is Action.ADOPT:
            item = _check_adopt(item, inputs)
        items.append(item)
    return items, claimed_state


def _diagnostics(items: Sequence[Item], inputs: Inputs,
                 by_name: Mapping[str, list[RemoteCampaign]],
                 list_sizes: Mapping[str, ListSize],
                 ) -> tuple[list[Diagnostic], dict[str, Diagnostic]]:
    """The definitions' problems, the errors of the verdicts, the review checks of what
    is created, and the plan's warnings; and, by name, the first error of a review check
    of each create that has one."""
    diagnostics = list(inputs.definition_diagnostics)
    diagnostics.extend(item_diagnostic(i) for i in items if i.action is Action.ERROR)
    refused: dict[str, Diagnostic] = {}
    if inputs.checks is not None:
        creates = [i.campaign for i in items if i.action is Action.CREATE]
        for campaign, finding in checked(creates, inputs.checks, inputs.now,
                                         context=inputs.campaigns):
            diagnostics.append(finding)
            if finding.is_error:
                refused.setdefault(campaign.name, finding)
    diagnostics.extend(_warnings(items, inputs, by_name, list_sizes))
    return diagnostics, refused


def refused_by_check(item: Item, finding: Diagnostic) -> Item:
    """A create with a review check's error is an error, never a create: apply refuses it."""
    return Item(item.name, Action.ERROR, item.campaign, problem=Problem.REVIEW_CHECK,
                message=finding.message, diagnostic=finding)


def cost(c: Campaign, recipients: int) -> int:
    """Credits a campaign costs: recipients x SMS segments (1 a recipient elsewhere)."""
    return recipients * (c.sms().segments if c.channel == "sms" and c.body else 1)


def _verdict(
    c: Campaign,
    state: State,
    by_name: Mapping[str, list[RemoteCampaign]],
    by_id: Mapping[str, RemoteCampaign],
    sent: SentLookup | None = None,
) -> tuple[Item, str | None]:
    """The verdict for one campaign, and the state entry it claims (if any)."""
    state_name = c.name if c.name in state.campaigns else next(
        (old for old in c.previous_names if old in state.campaigns), None
    )
    if state_name is not None:
        entry = state.campaigns[state_name]
        previous = state_name if state_name != c.name else None
        remote = by_id.get(entry.id)
        if remote is None:
            return Item(c.name, Action.ERROR, c, entry.id, previous, Problem.MISSING,
                        f"the state's ID {entry.id} is no longer in the account; it was "
                        "never deleted by this tool. Check the account, then `campaigns "
                        "state rm` the entry if the campaign is truly gone"), state_name
        known_names = {c.name, *c.previous_names}
        if remote.name not in known_names:
            return Item(c.name, Action.ERROR, c, entry.id, previous, Problem.RENAMED_REMOTELY,
                        f"the state's ID {entry.id} is now named {remote.name!r} in the "
                        "account; if that is this campaign, add the name to previous_names"
                        ), state_name
        if entry.digest != c.digest():
            return _changed(c, entry, state_name, previous, sent), state_name
        action = Action.RENAME if previous else Action.IN_SYNC
        return Item(c.name, action, c, entry.id, previous), state_name

    for name in (c.name, *c.previous_names):
        matches = by_name.get(name, [])
        if not matches:
            continue
        previous = name if name != c.name else None
        foreign = [m for m in matches if not m.valid_id]
        if foreign:
            return Item(c.name, Action.ERROR, c, None, previous, Problem.FOREIGN_ID,
                        f"the account holds a campaign named {name!r} whose ID "
                        f"{foreign[0].id!r} is not a campaign ID (cmp_...); it cannot be "
                        "recorded, and creating another would send it twice. Ask the "
                        "provider what it is, or give the definition a new name"), None
        if len(matches) > 1:
            ids = described(matches, state.pending.get(name))
            return Item(c.name, Action.ERROR, c, None, previous, Problem.DUPLICATE_NAME,
                        f"the account holds {len(matches)} campaigns named {name!r} ({ids}); "
                        "which one this is cannot be told. Give the definition a new name, "
                        "or record the right ID with `campaigns state import`"), None
        (match,) = matches
        if match.channel != c.channel:
            return Item(c.name, Action.ERROR, c, match.id, previous, Problem.OTHER_CHANNEL,
                        f"the account's campaign {match.id} named {name!r} is on "
                        f"{match.channel or 'an unknown channel'}, not {c.channel}; "
                        "give the definition a new name"), None
        return Item(c.name, Action.ADOPT, c, match.id, previous), None
    return Item(c.name, Action.CREATE, c), None


def _changed(c: Campaign, entry: Entry, state_name: str, previous: str | None,
             sent: SentLookup | None) -> Item:
    """A definition whose campaign was sent, changed since: an error, with what differs."""
    diff = None if sent is None else sent.diff(c, state_name, entry.blob, entry.file,
                                               entry.digest)
    return Item(c.name, Action.ERROR, c, entry.id, previous, Problem.CHANGED,
                f"the definition changed after its campaign {entry.id} was "
                f"{entry.origin}. That campaign goes out as it was sent: campaigns cannot "
                "be updated or cancelled through the API. Revert the change so that the "
                "definition says what was sent. A new name would create a second "
                "campaign, sent as well as the first", sent=diff)


def _check_create(item: Item, inputs: Inputs, similar: Mapping[str, list[str]],
                  by_name: Mapping[str, list[RemoteCampaign]]) -> Item:
    c = item.campaign
    alike = similar.get(names.name_key(c.name), [])
    if alike:
        found = by_name[alike[0]][0]
        return Item(c.name, Action.ERROR, c, found.id, problem=Problem.SIMILAR_NAME,
                    message=f"the account holds {found.name!r} ({found.id}), the same name "
                    "but for spacing, case or Unicode form: a server may have normalised an "
                    "earlier create of this campaign. If it is this campaign, write the name "
                    "as the account has it, and the plan adopts it (or record it with "
                    "`campaigns state import`); if not, give this one a name that differs "
                    "in more than that")
    if c.sends_at is not None and c.sends_at <= inputs.now:
        return Item(c.name, Action.ERROR, c, problem=Problem.PAST,
                    message=f"{c.scheduled_at} is in the past; the API would refuse it (or, "
                    "if it did not, send at once)")
    waiting = _waiting(item, inputs)
    if waiting is not None:
        return waiting
    if inputs.senders is not None:
        problem = _sender_problem(c, inputs.senders)
        if problem:
            return Item(c.name, Action.ERROR, c, problem=Problem.SENDER, message=problem)
    return item


def _check_adopt(item: Item, inputs: Inputs) -> Item:
    """No campaign found by listing is taken as this definition's while an earlier create
    of that name may still land: that one would be the definition's too, and a duplicate
    nobody recorded."""
    waiting = _waiting(item, inputs)
    return item if waiting is None else waiting


def _waiting(item: Item, inputs: Inputs) -> Item | None:
    """The verdict for a campaign whose create an earlier apply sent without getting the
    answer, while a listing cannot yet prove it absent (None: there is none, or its grace
    is over and the listing the plan was made from tells)."""
    intent: Intent | None = inputs.state.pending.get(item.name)
    if intent is None:
        return None
    wait = left(SentAt.of(intent), Now(inputs.now_epoch, inputs.server_now),
                inputs.in_flight_grace)
    if wait.ahead:
        return Item(item.name, Action.ERROR, item.campaign, item.remote_id,
                    item.previous_name, Problem.IN_FLIGHT, ahead_message(intent, wait))
    if wait.seconds <= 0:
        return None
    found = (f"; {item.remote_id} has that name in the account, and is recorded then if no "
             "other copy appears") if item.remote_id else ""
    return Item(item.name, Action.WAITING, item.campaign, item.remote_id, item.previous_name,
                message=f"an earlier apply sent this create at {intent.at} and did not get "
                f"the answer; it may still land. Apply sends the rest first, waits out the "
                f"{_seconds(wait.seconds)} left of the in-flight grace (on the "
                f"{_clock_name(wait)}), then lists the account: it records the campaign if "
                f"it landed, and sends it again only if it did not{found}")


def ahead_message(intent: Intent, wait: Left) -> str:
    """Why an intent dated in the future cannot be waited out, and the way out."""
    return (f"an earlier apply's create of this campaign is dated {intent.at}, "
            f"{_seconds(wait.seconds)} after now on the {_clock_name(wait)}: more than the "
            "in-flight grace, so a clock was wrong and waiting would never settle it. "
            f"Settle it by listing: `campaigns state settle {intent.name!r}` records the "
            "campaign if it is in the account, and clears the intent if it is not")


def _clock_name(wait: Left) -> str:
    return ("server's clock" if wait.clock == "server" else "clock of this machine, since "
            "no server time is known for it (the server sends no usable Date header)")


def _seconds(seconds: float) -> str:
    whole = int(seconds) + (seconds % 1 > 0)
    return f"{whole} s" if whole < 3600 else f"{whole / 3600:.1f} h"


def described(campaigns: Sequence[RemoteCampaign], lost: Intent | None,
              recorded: Entry | None = None) -> str:
    """IDs with when each was created, saying which came after a create whose answer was
    lost (`lost`, an intent still in flight) or after the recorded campaign (`recorded`):
    the late commit of a create a gateway gave up on looks exactly like that."""
    since, what = (lost.at, f"after the create sent at {lost.at} whose answer was lost: "
                   "likely its late commit") if lost else \
        (recorded.at, f"after the recorded {recorded.id}: likely the late commit of a create "
         "whose answer was lost, or someone else's") if recorded else (None, "")
    parts = []
    for r in sorted(campaigns, key=lambda r: (r.created_at or "", r.id)):
        when = f"created {r.created_at}" if r.created_at else "creation time unknown"
        late = since is not None and r.created_at is not None and \
            _instant(r.created_at) >= _instant(since)
        parts.append(f"{r.id}, {when}" + (f", {what}" if late else ""))
    return "; ".join(parts)


def _instant(text: str) -> datetime:
    try:
        return clock.parse(text)
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)


def _sender_problem(c: Campaign, senders: Sequence[RegisteredSender]) -> str | None:
    same = [s for s in senders if s.sender_id == c.sender_id]
    on_channel = [s for s in same if s.channel in (None, c.channel)]
    if not on_channel:
        others = sorted({s.channel for s in same if s.channel})
        hint = f" (it is registered for {', '.join(others)} only)" if others else ""
        return f"sender ID {c.sender_id!r} is not registered for {c.channel}{hint}"
    if any(s.status in (None, "approved") for s in on_channel):
        return None
    status = on_channel[0].status
    return f"sender ID {c.sender_id!r} is {status} for {c.channel}, not approved"


def item_diagnostic(item: Item) -> Diagnostic:
    """An error item as a located message, at the field at fault."""
    if item.diagnostic is not None:
        return item.diagnostic
    c = item.campaign
    field_name = {
        Problem.PAST: "scheduled_at",
        Problem.SENDER: "sender_id",
        Problem.OTHER_CHANNEL: "channel",
    }.get(item.problem) if item.problem else None
    where = c.location_of(field_name) if field_name else c.location_of("name")
    return Diagnostic(where, item.message, field=field_name or "name",
                      code=item.problem.value if item.problem else "plan")


def _create_warnings(c: Campaign, now: datetime, new_list: bool) -> Iterator[Diagnostic]:
    """What a reviewer must see about one campaign to create: the first to a list never sent
    to (`new_list`), a send at once, a send too soon."""
    if new_list:
        where = "contact_list" if c.contact_list else "contact_list_id"
        yield Diagnostic(
            c.location_of(where),
            f"first campaign to {c.contact_list_id} from this repository: size unknown (it "
            "counts against `max_new_lists`; `list_sizes:` in the configuration can give "
            "it)", field=where, severity=Severity.WARNING, code="first-list")
    at_once = sends_immediately(c)
    if at_once is not None:
        yield at_once
    elif c.sends_at is not None and c.sends_at <= now + SOON:
        yield Diagnostic(c.location_of("scheduled_at"),
                         f"sends within {int(SOON.total_seconds() // 60)} minutes of this "
                         "plan; if apply runs later, the API will refuse a time in the past",
                         field="scheduled_at", severity=Severity.WARNING,
                         code="scheduled-soon")


def _warnings(items: Sequence[Item], inputs: Inputs,
              by_name: Mapping[str, list[RemoteCampaign]],
              list_sizes: Mapping[str, ListSize]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    creates = [i for i in items if i.action is Action.CREATE]
    warned: set[str] = set()  # lists of unknown size: one warning each, at its first create
    for item in creates:
        list_id = item.campaign.contact_list_id
        new_list = list_id not in list_sizes and list_id not in warned
        warned.add(list_id)
        out.extend(_create_warnings(item.campaign, inputs.now, new_list))
    for item in items:
        if item.action in (Action.IN_SYNC, Action.RENAME):
            others = [r for r in by_name.get(item.name, []) if r.id != item.remote_id]
            if others:
                recorded = inputs.state.campaigns.get(item.previous_name or item.name)
                out.append(Diagnostic(
                    item.campaign.location_of("name"),
                    f"the account also holds {counted(len(others), 'other campaign')} named "
                    f"{item.name!r} ({described(others, None, recorded)}), not managed here",
                    field="name", severity=Severity.WARNING, code="duplicate-in-account"))
    credits = inputs.credits
    if creates and credits is not None:
        known = sum(cost(i.campaign, list_sizes[i.campaign.contact_list_id].size)
                    for i in creates if i.campaign.contact_list_id in list_sizes)
        if credits.balance < max(known, len(creates)):
            need = (f"the {len(creates)} campaigns to create need at least {known:,} "
                    "(for the lists whose size is known)" if known else
                    f"not enough for even one recipient of each of the {len(creates)} "
                    "campaigns to create")
            out.append(Diagnostic(
                creates[0].campaign.location_of("name"),
                f"the account has {credits.balance:,.0f} credits; {need}. Creates would "
                "fail with insufficient_credits, or sending would pause",
                severity=Severity.WARNING, code="credits"))
    return out

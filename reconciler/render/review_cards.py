"""The review page's cards: one campaign of a plan as the page shows it (its verdict, what
apply does about it, its list, audience, cost and send time, its message as the recipient
sees it, and the findings about it, each where it belongs on the card)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NamedTuple

from reconciler.channels import MessageView
from reconciler.diagnostics import Diagnostic, Location
from reconciler.plan import Action, Item, Plan, Problem, item_diagnostic
from reconciler.plural import counted
from reconciler.render.message import CHANNEL_NAMES
from reconciler.render.plan import list_of, sender_of
from reconciler.render.review_lines import Line, lines_of, safe, unseen
from reconciler.render.schedule import local_time, relative

VERDICTS = {Action.CREATE: "create", Action.ADOPT: "adopt", Action.RENAME: "rename",
            Action.IN_SYNC: "in sync", Action.WAITING: "waiting", Action.ERROR: "error"}
UNCOMPARED = "not compared"  # the verdict when no account was asked (`campaigns preview`)
# Where on a card a finding is shown, by the field it names.
SPOTS = {"contact_list": "list", "contact_list_id": "list", "sender": "sender",
         "sender_id": "sender", "scheduled_at": "when", "body": "message",
         "template": "message", "template_text": "message"}


# A line of what changed since a campaign was sent: added, removed, a hunk's head, or kept.
DiffKind = Literal["add", "del", "hunk", "same"]
DIFF_KINDS: dict[str, DiffKind] = {"+": "add", "-": "del", "@": "hunk"}


class When(NamedTuple):
    """A send's time, as a card shows it."""

    local: str  # `Fri 4 Jan 2030, 09:00 Africa/Luanda`
    relative: str  # `in 3 days`
    utc: str  # as the definition gives it
    time_of_day: str  # `09:00`, or `now`


@dataclass(frozen=True)
class Finding:
    where: str  # file:line:col
    severity: Literal["error", "warning"]
    field: str
    message: str


@dataclass(frozen=True)
class Card:
    """One campaign as the page shows it."""

    id: str
    name: str
    verdict: str
    verdict_key: str
    what: str  # what apply does about it, in words
    channel: str
    channel_name: str
    list_shown: str
    list_id: str
    sender_shown: str
    sender: str  # as the recipient's app or handset shows it
    audience: str
    cost: str
    when_local: str
    when_relative: str
    when_utc: str
    time_of_day: str
    where: str
    description: str
    lines: tuple[Line, ...]
    sent: str
    encoding: str
    segments: int
    ucs2_chars: tuple[str, ...]
    mentions: tuple[str, ...]
    notes: tuple[str, ...]
    details: tuple[tuple[str, str], ...]
    findings: dict[str, tuple[Finding, ...]] = field(default_factory=dict)
    open: bool = True
    sent_differs: bool = True  # the text sent is not the text shown (formatting, a template)
    # A definition changed after its campaign was sent: what was sent, against it, line by
    # line; or why that cannot be shown.
    changed: bool = False
    sent_diff: tuple[tuple[DiffKind, str], ...] = ()
    sent_note: str = ""

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for group in self.findings.values() for f in group)


def finding_of(d: Diagnostic) -> Finding:
    return Finding(safe(str(d.location)), "error" if d.is_error else "warning",
                   safe(d.field), safe(d.message))


def verdict_of(item: Item, compared: bool) -> str:
    """The verdict as the page names it (`not compared` for a create no account was asked
    about)."""
    if not compared and item.action is Action.CREATE:
        return UNCOMPARED
    return VERDICTS[item.action]


def findings_by_campaign(plan: Plan) -> tuple[dict[str, list[Diagnostic]], list[Diagnostic]]:
    """Each campaign's findings, and the findings of no campaign. A finding belongs to the
    campaign one of whose fields stands where it points, else to the campaign whose lines
    it points into (from its `name` to the next campaign of the file)."""
    owner: dict[Location, str] = {}
    starts: dict[str, list[tuple[int, str]]] = {}
    for item in plan.items:
        c = item.campaign
        owner.setdefault(c.location, item.name)
        for key in (*c.fields_placed(), "name"):
            owner.setdefault(c.location_of(key), item.name)
        starts.setdefault(c.location.file, []).append((c.location.line, item.name))
    for lines in starts.values():
        lines.sort()

    def owner_of(d: Diagnostic) -> str | None:
        exact = owner.get(d.location)
        if exact is not None:
            return exact
        lines = starts.get(d.location.file, [])
        at = bisect.bisect_right(lines, (d.location.line, "\U0010ffff")) - 1
        return lines[at][1] if at >= 0 else None

    mine: dict[str, list[Diagnostic]] = {}
    rest: list[Diagnostic] = []
    for d in plan.diagnostics:
        name = owner_of(d)
        if name is None:
            rest.append(d)
        else:
            mine.setdefault(name, []).append(d)
    for item in plan.items:
        if item.action is Action.ERROR:
            d = item_diagnostic(item)
            found = mine.setdefault(item.name, [])
            if d not in found:
                found.insert(0, d)
    return mine, rest


def _what(item: Item, compared: bool) -> str:
    if not compared and item.action is Action.CREATE:
        return "no account was asked"
    if item.action is Action.CREATE:
        return "apply creates it and it is sent"
    if item.action is Action.ADOPT:
        was = f" (found as {item.previous_name!r})" if item.previous_name else ""
        return f"exists in the account as {item.remote_id}{was}: recorded in the state, " \
               "nothing is sent"
    if item.action is Action.RENAME:
        return f"{item.remote_id}: renamed from {item.previous_name!r} in the state, " \
               "nothing is sent"
    if item.action is Action.IN_SYNC:
        return f"{item.remote_id}: already created; nothing to do"
    return item.message


def _audience(plan: Plan, item: Item, now: datetime) -> tuple[str, str]:
    """(`about 850 recipients (from 'Weekend Sale', 2 days ago)`, `about 1,700 credits`)."""
    c = item.campaign
    size = plan.list_sizes.get(c.contact_list_id)
    credits = plan.estimated_credits(item)
    segments = ""
    if c.channel == "sms" and c.body is not None:
        info = c.sms()
        segments = f"{counted(info.segments, 'SMS segment')} ({info.encoding}) a recipient"
    if size is None or credits is None:
        return (f"unknown: no campaign to {c.contact_list_id} from this repository yet",
                ", ".join(p for p in (segments, "credits unknown") if p))
    return (f"about {counted(size.size, 'recipient')} ({size.describe(now)})",
            ", ".join(p for p in (segments, f"about {credits:,} credits") if p))


def _when(plan: Plan, item: Item, now: datetime) -> When:
    c = item.campaign
    if c.sends_at is None:
        return When("immediately when applied", "now", "", "now")
    local = local_time(c.sends_at, plan.zone)
    return When(f"{local.day}, {local.hour} {plan.zone}", relative(c.sends_at - now),
                c.scheduled_at or "", local.hour)


def _spots(findings: Sequence[Diagnostic]) -> dict[str, tuple[Finding, ...]]:
    """The findings by where on the card each is shown."""
    spots: dict[str, list[Finding]] = {}
    for d in findings:
        spots.setdefault(SPOTS.get(d.field, "campaign"), []).append(finding_of(d))
    return {k: tuple(v) for k, v in spots.items()}


def _message(view: MessageView) -> dict[str, Any]:
    """The card's fields that show the message: as displayed, as sent, and what of it the
    channel notes (an SMS's encoding and segments, mentions, a template's details)."""
    return {
        "sender": safe(view.sender), "lines": tuple(lines_of(view)), "sent": safe(view.sent),
        "encoding": view.encoding or "", "segments": len(view.segments),
        "ucs2_chars": tuple(dict.fromkeys(
            f"{safe(f.char)} (U+{ord(f.char):04X})" for f in view.flags if f.kind == "ucs2")),
        "mentions": tuple(f"{safe(m.source)} notifies {m.who}" for m in view.mentions),
        "notes": tuple(safe(n) for n in view.notes),
        "details": tuple((safe(k), safe(v)) for k, v in view.details),
        "sent_differs": view.sent != view.text or any(map(unseen, view.sent)),
    }


def card(plan: Plan, item: Item, number: int, findings: Sequence[Diagnostic], *,
         compared: bool, now: datetime, open_: bool) -> Card:
    c = item.campaign
    key = verdict_of(item, compared)
    audience, cost = _audience(plan, item, now)
    when = _when(plan, item, now)
    loc = c.location
    return Card(
        id=f"c{number}", name=safe(item.name), verdict=key, verdict_key=key.replace(" ", "-"),
        what=safe(_what(item, compared)), channel=c.channel,
        channel_name=CHANNEL_NAMES.get(c.channel, c.channel),
        list_shown=safe(list_of(c)), list_id=safe(c.contact_list_id),
        sender_shown=safe(sender_of(c)), audience=safe(audience),
        cost=cost, when_local=when.local, when_relative=when.relative, when_utc=when.utc,
        time_of_day=when.time_of_day,
        where=safe(f"{loc.file}:{loc.line}"), description=safe(c.description or ""),
        findings=_spots(findings), open=open_, **_message(c.view()), **_changed(item))


def _changed(item: Item) -> dict[str, Any]:
    """For a definition changed after its campaign was sent: the diff of what was sent
    against the definition now, line by line, or why it cannot be shown."""
    if item.problem is not Problem.CHANGED:
        return {}
    sent = item.sent
    if sent is None or sent.status != "diff":
        return {"changed": True, "sent_note": safe(sent.note if sent else
                                                   "no record of what was sent")}
    return {"changed": True, "sent_note": safe(sent.note),
            "sent_diff": tuple((DIFF_KINDS.get(line[:1], "same"), safe(line))
                               for line in sent.lines)}

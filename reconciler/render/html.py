"""The review page: every campaign of a plan as its recipients will see it, in one
self-contained HTML file (`campaigns plan --html-out`, `campaigns preview`).

Python only gathers values (`Card`, `Lane`, ...) from the plan and the channels' views;
the markup is Jinja2's (`templates/review.html`), autoescaped, so that any text from a
definition is shown and never run. The page asks for nothing outside itself: its Content
Security Policy allows inline style and the one inline script, by the hash of that script
as rendered.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import itertools
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from reconciler import __version__, clock
from reconciler.channels import MessageView, Span
from reconciler.checks.config import QuietHours
from reconciler.diagnostics import Diagnostic, Location
from reconciler.plan import Action, Item, Plan, Problem, item_diagnostic
from reconciler.render.message import CHANNEL_NAMES
from reconciler.render.plan import api_shown, list_of, sender_of, totals_line
from reconciler.render.schedule import Send, relative, sends, zone_of
from reconciler.words import counted

if TYPE_CHECKING:
    import jinja2

OPEN_UP_TO = 100  # cards shown open; a larger plan's cards start collapsed
LANE_NAMES = 12  # sends named in one day's row of the schedule; the rest are counted
VERDICTS = {Action.CREATE: "create", Action.ADOPT: "adopt", Action.RENAME: "rename",
            Action.IN_SYNC: "in sync", Action.WAITING: "waiting", Action.ERROR: "error"}
UNCOMPARED = "not compared"  # the verdict when no account was asked (`campaigns preview`)
# Where on a card a finding is shown, by the field it names.
SPOTS = {"contact_list": "list", "contact_list_id": "list", "sender": "sender",
         "sender_id": "sender", "scheduled_at": "when", "body": "message",
         "template": "message", "template_text": "message"}
# The element a displayed span is wrapped in (the class says which kind it is).
TAGS = {"bold": "strong", "italic": "em", "strike": "s", "code": "code", "monospace": "code",
        "quote": "span", "list": "span", "link": "span", "mention": "span", "emoji": "span",
        "placeholder": "ins"}


# -- a message's displayed text, in pieces the template can mark up -------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of displayed text with the same styling: `kinds` are span kinds (outer
    first); `flag` an SMS character's mark; `unseen` an invisible character shown by name."""

    text: str
    kinds: tuple[str, ...] = ()
    title: str = ""
    flag: str = ""  # "ucs2" or "extension"
    unseen: bool = False
    segment: str = ""  # "2/3": an SMS segment starts here
    mass: bool = False  # a mention that notifies a whole channel or workspace


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    quote: bool = False


def unseen(ch: str) -> bool:
    """A character that shows as nothing, or that reorders what follows (bidi controls),
    shown as `<U+202E>` instead. The zero-width joiner, which builds emoji, is kept."""
    return ch not in "\n\t\u200d" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


def safe(text: str) -> str:
    """`text` with each unseen character shown by name (`<U+202E>`), as the message's own
    text and the Markdown comment show them."""
    if not any(unseen(ch) for ch in text):
        return text
    return "".join(f"<U+{ord(ch):04X}>" if unseen(ch) else ch for ch in text)


def _span_title(view: MessageView, kind: str, target: str | None, shown: str) -> str:
    if kind == "link" and target and target != shown:
        return f"links to {target}"
    if kind == "emoji" and target:
        return target
    if kind == "placeholder" and target:
        return f"fills {{{{{target}}}}}"
    if kind == "mention":
        for mention in view.mentions:
            if mention.source and shown == f"@{mention.name}":
                return f"notifies {mention.who}"
    return ""


def _cuts(view: MessageView, spans: Sequence[Span]) -> list[int]:
    """Where a piece of `view.text` ends and another starts."""
    text = view.text
    cuts = {0, len(text), *(s.start for s in view.segments)}
    for s in spans:
        cuts.update((s.start, s.end))
    for f in view.flags:
        cuts.update((f.offset, f.offset + 1))
    for offset, ch in enumerate(text):
        if ch == "\n" or unseen(ch):
            cuts.update((offset, offset + 1))
    return sorted(c for c in cuts if 0 <= c <= len(text))


def _run(view: MessageView, a: int, b: int, spans: Sequence[Span]) -> Run:
    """The piece `view.text[a:b]`, which no span, flag or segment start cuts."""
    piece = view.text[a:b]
    inside = [s for s in spans if s.start <= a and b <= s.end]
    kinds = tuple(s.kind for s in inside)
    segment = next((f"{s.number}/{len(view.segments)}" for s in view.segments
                    if s.start == a and s.number > 1), "")
    if len(piece) == 1 and unseen(piece):
        return Run(f"<U+{ord(piece):04X}>", kinds, "an invisible character", unseen=True,
                   segment=segment)
    flag = next((f for f in view.flags if f.offset == a), None) if b == a + 1 else None
    if flag is not None:
        what = ("is not in GSM-7: the whole message is sent as UCS-2" if flag.kind == "ucs2"
                else "a GSM-7 extension character: two septets")
        return Run(piece, kinds, f"U+{ord(flag.char):04X} {what}", flag.kind, segment=segment)
    title = next((t for s in reversed(inside)
                  if (t := _span_title(view, s.kind, s.target, view.text[s.start:s.end]))), "")
    mass = {m.offset for m in view.mentions}
    return Run(piece, kinds, title, segment=segment,
               mass=any(s.kind == "mention" and s.start in mass for s in inside))


def lines_of(view: MessageView) -> list[Line]:
    """`view.text` cut where any span, segment or flagged character starts or ends, then
    into lines, each piece knowing what it is inside."""
    text = view.text
    spans = [s for s in view.spans if s.kind != "quote" and s.start < s.end]
    quoted = {text.count("\n", 0, s.start) for s in view.spans if s.kind == "quote"}
    lines: list[list[Run]] = [[]]
    for a, b in itertools.pairwise(_cuts(view, spans)):
        if text[a:b] == "\n":
            lines.append([])
        else:
            lines[-1].append(_run(view, a, b, spans))
    return [Line(tuple(runs), n in quoted) for n, runs in enumerate(lines)]


# -- the cards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    where: str  # file:line:col
    severity: str  # "error" or "warning"
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
    # A definition changed after its campaign was sent: what was sent, against it, as
    # (kind, line) with kind "add", "del", "hunk" or "same"; or why that cannot be shown.
    changed: bool = False
    sent_diff: tuple[tuple[str, str], ...] = ()
    sent_note: str = ""

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for group in self.findings.values() for f in group)


def _finding(d: Diagnostic) -> Finding:
    return Finding(safe(str(d.location)), "error" if d.is_error else "warning",
                   safe(d.field), safe(d.message))


def _findings_by_campaign(plan: Plan) -> tuple[dict[str, list[Diagnostic]], list[Diagnostic]]:
    """Each campaign's findings, and the findings of no campaign. A finding belongs to the
    campaign one of whose fields stands where it points, else to the campaign whose lines
    it points into (from its `name` to the next campaign of the file)."""
    owner: dict[Location, str] = {}
    starts: dict[str, list[tuple[int, str]]] = {}
    for item in plan.items:
        c = item.campaign
        owner.setdefault(c.location, item.name)
        for key in (*c.field_marks, "name"):
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


def _when(plan: Plan, item: Item, now: datetime) -> tuple[str, str, str, str]:
    """(local, relative, UTC, HH:MM) of the send."""
    c = item.campaign
    if c.sends_at is None:
        return ("immediately when applied", "now", "", "now")
    local = c.sends_at.astimezone(zone_of(plan.zone))
    return (f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M} {plan.zone}",
            relative(c.sends_at - now), c.scheduled_at or "", f"{local:%H:%M}")


def card(plan: Plan, item: Item, number: int, findings: Sequence[Diagnostic], *,
         compared: bool, now: datetime, open_: bool) -> Card:
    c = item.campaign
    view = c.view()
    spots: dict[str, list[Finding]] = {}
    for d in findings:
        spots.setdefault(SPOTS.get(d.field, "campaign"), []).append(_finding(d))
    key = VERDICTS[item.action]
    if not compared and item.action is Action.CREATE:
        key = UNCOMPARED
    audience, cost = _audience(plan, item, now)
    local, after, utc, hhmm = _when(plan, item, now)
    loc = c.location
    return Card(
        id=f"c{number}", name=safe(item.name), verdict=key, verdict_key=key.replace(" ", "-"),
        what=safe(_what(item, compared)), channel=c.channel,
        channel_name=CHANNEL_NAMES.get(c.channel, c.channel),
        list_shown=safe(list_of(c)), list_id=safe(c.contact_list_id),
        sender_shown=safe(sender_of(c)), sender=safe(view.sender), audience=safe(audience),
        cost=cost, when_local=local, when_relative=after, when_utc=utc, time_of_day=hhmm,
        where=safe(f"{loc.file}:{loc.line}"), description=safe(c.description or ""),
        lines=tuple(lines_of(view)), sent=safe(view.sent), encoding=view.encoding or "",
        segments=len(view.segments),
        ucs2_chars=tuple(dict.fromkeys(
            f"{safe(f.char)} (U+{ord(f.char):04X})" for f in view.flags if f.kind == "ucs2")),
        mentions=tuple(f"{safe(m.source)} notifies {m.who}" for m in view.mentions),
        notes=tuple(safe(n) for n in view.notes),
        details=tuple((safe(k), safe(v)) for k, v in view.details),
        findings={k: tuple(v) for k, v in spots.items()}, open=open_,
        sent_differs=view.sent != view.text or any(map(unseen, view.sent)),
        **_changed(item))


def _changed(item: Item) -> dict[str, Any]:
    """For a definition changed after its campaign was sent: the diff of what was sent
    against the definition now, line by line, or why it cannot be shown."""
    if item.problem is not Problem.CHANGED:
        return {}
    sent = item.sent
    if sent is None or sent.status != "diff":
        return {"changed": True, "sent_note": safe(sent.note if sent else
                                                   "no record of what was sent")}
    kinds = {"+": "add", "-": "del", "@": "hunk"}
    return {"changed": True, "sent_note": safe(sent.note),
            "sent_diff": tuple((kinds.get(line[:1], "same"), safe(line))
                               for line in sent.lines)}


# -- the schedule ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One send on a day's 24-hour bar."""

    name: str
    time: str
    x: float  # minutes after local midnight
    new: bool
    quiet: bool
    close: bool
    now: bool


@dataclass(frozen=True)
class Day:
    label: str
    marks: tuple[Mark, ...]
    more: int  # sends of that day not named


@dataclass(frozen=True)
class Lane:
    """A contact list's sends, day by day."""

    list_shown: str
    days: tuple[Day, ...]
    collisions: int


@dataclass(frozen=True)
class Quiet:
    """The quiet hours as stretches of the 24-hour bar, in minutes."""

    label: str
    stretches: tuple[tuple[int, int], ...]


def quiet_of(quiet: QuietHours) -> Quiet:
    start = quiet.start.hour * 60 + quiet.start.minute
    end = quiet.end.hour * 60 + quiet.end.minute
    stretches = ((start, end),) if start <= end else ((0, end), (start, 1440))
    return Quiet(f"{quiet.start:%H:%M}–{quiet.end:%H:%M} {quiet.zone}",
                 tuple((a, b) for a, b in stretches if b > a))


def lanes(plan: Plan, found: Sequence[Send]) -> list[Lane]:
    zone = zone_of(plan.zone)
    by_list: dict[str, dict[str, list[Send]]] = {}
    for s in found:
        local = s.at.astimezone(zone)
        day = f"{local:%a} {local.day} {local:%b %Y}"
        by_list.setdefault(s.list_shown, {}).setdefault(day, []).append(s)
    out = []
    for list_shown, days in by_list.items():
        rows = []
        for label, group in days.items():
            marks = []
            for s in group[:LANE_NAMES]:
                local = s.at.astimezone(zone)
                marks.append(Mark(safe(s.name), "now" if s.immediately else f"{local:%H:%M}",
                                  local.hour * 60 + local.minute, s.new, s.quiet_hours,
                                  s.too_close, s.immediately))
            rows.append(Day(label, tuple(marks), len(group) - len(marks)))
        out.append(Lane(safe(list_shown), tuple(rows),
                        sum(1 for group in days.values() for s in group if s.too_close)))
    return out


# -- the page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    title: str
    target: str
    compared: bool
    summary: str
    totals: str
    credits: str
    limits: tuple[tuple[str, bool], ...]  # (what the limit says, exceeded)
    over_limits: bool
    immediate: int
    findings: tuple[Finding, ...]
    untouched: tuple[str, ...]
    cards: Iterator[Card]
    count: int
    verdicts: tuple[tuple[str, str, int], ...]  # (key, label, how many)
    channels: tuple[tuple[str, str, int], ...]
    lists: tuple[tuple[str, int], ...]
    zone: str
    quiet: Quiet
    lanes: tuple[Lane, ...]
    generated: str
    version: str = __version__


def _counts(values: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def _head(plan: Plan, compared: bool) -> tuple[str, str, str]:
    """(the target, the summary, the credits) as the page's head says them."""
    if not compared:
        return ("the definitions alone (no account was asked)",
                f"Preview: {counted(len(plan.items), 'campaign')}, "
                f"{counted(len(plan.errors), 'error')}, "
                f"{counted(len(plan.warnings), 'warning')}; no account was asked, so no "
                "verdicts.", "not read (no account was asked)")
    credits = (f"{plan.credits.balance:,.0f} {plan.credits.currency}".rstrip()
               if plan.credits else "could not be read")
    return safe(api_shown(plan.api_url)), plan.summary(), credits


def page_of(plan: Plan, *, compared: bool = True, quiet: QuietHours | None = None) -> Page:
    """What the template shows, from the plan (`compared`: against an account)."""
    now = clock.parse(plan.generated_at)
    mine, rest = _findings_by_campaign(plan)
    open_ = len(plan.items) <= OPEN_UP_TO
    cards = (card(plan, item, n, mine.get(item.name, ()), compared=compared, now=now,
                  open_=open_) for n, item in enumerate(plan.items, 1))
    keys = [UNCOMPARED if not compared and i.action is Action.CREATE else VERDICTS[i.action]
            for i in plan.items]
    verdicts = _counts(keys)
    channels = _counts([i.campaign.channel for i in plan.items])
    lists = _counts([safe(i.campaign.contact_list_id) for i in plan.items])
    untouched = [f"{safe(o.name)} ({o.entry.id}) is in the state but no longer defined"
                 for o in plan.orphans]
    if plan.unmanaged:
        untouched.append(f"{counted(len(plan.unmanaged), 'campaign')} in the account not "
                         "managed here")
    quiet = quiet or QuietHours(zone=plan.zone)
    target, summary, credits = _head(plan, compared)
    creates = plan.of(Action.CREATE)
    return Page(
        title="Zexa campaigns review" + (f": {safe(plan.environment)}"
                                         if plan.environment else ""),
        target=target, compared=compared, summary=summary,
        totals=safe(totals_line(plan)) if creates else "Nothing to create.",
        credits=credits,
        limits=tuple((safe(v.describe()), v.exceeded) for v in plan.verdicts),
        over_limits=bool(plan.over_limits) and compared,
        immediate=sum(1 for i in creates if i.sends_immediately),
        findings=tuple(_finding(d) for d in rest), untouched=tuple(untouched),
        cards=cards, count=len(plan.items),
        verdicts=tuple((k.replace(" ", "-"), k, n) for k, n in verdicts.items()),
        channels=tuple((k, CHANNEL_NAMES.get(k, k), n) for k, n in sorted(channels.items())),
        lists=tuple(sorted(lists.items())), zone=safe(plan.zone), quiet=quiet_of(quiet),
        lanes=tuple(lanes(plan, sends(plan))), generated=plan.generated_at)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    import jinja2  # loaded only when a page is written

    return jinja2.Environment(
        loader=jinja2.PackageLoader("reconciler.render", "templates"),
        autoescape=jinja2.select_autoescape(("html",), default_for_string=True,
                                            default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)


def script() -> str:
    """The page's one script, as it stands between its tags."""
    return environment().get_template("review.js").render()


def script_hash(text: str) -> str:
    """`sha256-…`, as a Content-Security-Policy names an inline script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def render_html_chunks(plan: Plan, *, compared: bool = True,
                       quiet: QuietHours | None = None) -> Iterator[str]:
    """The page piece by piece, for writing as it is made."""
    code = script()
    template = environment().get_template("review.html")
    return template.generate(page=page_of(plan, compared=compared, quiet=quiet),
                             script=code, script_hash=script_hash(code), tags=TAGS,
                             minutes_a_day=1440)


def render_html(plan: Plan, *, compared: bool = True, quiet: QuietHours | None = None) -> str:
    return "".join(render_html_chunks(plan, compared=compared, quiet=quiet))




def write_html(path: str, plan: Plan, *, compared: bool = True,
               quiet: QuietHours | None = None) -> None:
    """The page to `path`, written as it is made (UTF-8, `\\n` line ends)."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for chunk in render_html_chunks(plan, compared=compared, quiet=quiet):
            out.write(chunk)

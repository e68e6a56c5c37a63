"""A Plan as text (for people), JSON (for scripts), Markdown (a pull-request comment) and
GitHub annotations. Small functions over the one Plan structure."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from reconciler import clock
from reconciler.channels import MessageView
from reconciler.definitions import Campaign
from reconciler.diagnostics import Diagnostic
from reconciler.plan import Action, Item, Plan, item_diagnostic
from reconciler.plan.plandoc import plan_json
from reconciler.plan.sentdiff import SentDiff
from reconciler.render.common import (
    Renderer,
    Style,
    json_chunks,
    json_document,
    paint,
    safe,
)
from reconciler.render.github import annotation
from reconciler.render.markdown import LIMIT, Document, code, details, fence, html_code
from reconciler.render.message import escaped, headline, markdown_message, text_message
from reconciler.render.schedule import gantt, relative, sends, timeline, zone_of
from reconciler.secret import public_url
from reconciler.words import counted

MARKER = "<!-- zexa-campaigns-plan -->"


def marker(environment: str | None) -> str:
    """The hidden first line a CI step finds its comment by: one comment per environment."""
    return MARKER if environment is None else f"<!-- zexa-campaigns-plan:{environment} -->"


def title(environment: str | None) -> str:
    return "### Zexa campaigns plan" + (f": `{environment}`" if environment else "")

SYMBOLS: dict[Action, tuple[str, str, dict[str, Any]]] = {
    Action.CREATE: ("+", "create", {"fg": "green"}),
    Action.ADOPT: (">", "adopt", {"fg": "cyan"}),
    Action.RENAME: ("~", "rename", {"fg": "cyan"}),
    Action.IN_SYNC: ("=", "in sync", {"dim": True}),
    Action.WAITING: ("?", "waiting", {"fg": "yellow"}),
    Action.ERROR: ("!", "error", {"fg": "red", "bold": True}),
}


def cost_of(plan: Plan, item: Item) -> str:
    """`2 SMS segments (UCS-2), about 850 recipients (from 'Weekend Sale', 2 days ago),
    about 1,700 credits`: what a reviewer weighs."""
    c = item.campaign
    parts = []
    if c.channel == "sms" and c.body is not None:
        info = c.sms()
        parts.append(f"{counted(info.segments, 'SMS segment')} ({info.encoding})")
    size = plan.list_sizes.get(c.contact_list_id)
    credits = plan.estimated_credits(item)
    if size is None or credits is None:
        parts.append(f"size unknown: first campaign to {c.contact_list_id} from this "
                     "repository")
    else:
        parts.append(f"about {counted(size.size, 'recipient')} "
                     f"({size.describe(_generated(plan))}), about {credits:,} credits")
    return ", ".join(parts)


def _generated(plan: Plan) -> datetime:
    return clock.parse(plan.generated_at)


def totals_line(plan: Plan) -> str:
    """What this apply reaches, the known and the unknown apart: `This apply: 3 campaigns;
    about 850 recipients and 1,700 credits for the 2 campaigns to lists of known size;
    unknown for 1 campaign to 1 list of unknown size (lst_partners).`"""
    t = plan.totals
    known = [r for r in plan.reaches if r.recipients is not None]
    figures = (f"about {counted(t.recipients, 'recipient')} and "
               f"{counted(t.credits, 'credit')}")
    head = f"This apply: {counted(t.campaigns, 'campaign')}"
    if not t.unknown_lists:
        return f"{head}, {figures}."
    unknown = (f"{counted(len(t.unknown_lists), 'list')} of unknown size "
               f"({', '.join(t.unknown_lists)})")
    if not known:
        return f"{head}; recipients and credits unknown: {unknown}."
    return (f"{head}; {figures} for the {counted(len(known), 'campaign')} to lists of "
            f"known size; unknown for {counted(t.campaigns - len(known), 'campaign')} to "
            f"{unknown}.")


def when_of(item: Item, plan: Plan) -> str:
    """`2030-06-01T09:00:00Z (10:00 Africa/Luanda, Sat 1 Jun 2030), in 3 days`."""
    c = item.campaign
    if c.sends_at is None:
        return "immediately when applied"
    local = c.sends_at.astimezone(zone_of(plan.zone))
    return (f"{c.scheduled_at} ({local:%H:%M} {plan.zone}, {local:%a} {local.day} "
            f"{local:%b %Y}), {relative(c.sends_at - clock.parse(plan.generated_at))}")


def short_when(item: Item, plan: Plan) -> str:
    """`Sat 1 Jun 2030 10:00, in 3 days`: the table's cell (the UTC instant is in the
    message's block)."""
    c = item.campaign
    if c.sends_at is None:
        return "**immediately**"
    local = c.sends_at.astimezone(zone_of(plan.zone))
    return (f"{local:%a} {local.day} {local:%b %Y} {local:%H:%M}, "
            f"{relative(c.sends_at - clock.parse(plan.generated_at))}")


# -- JSON -----------------------------------------------------------------------------------


def api_shown(api_url: str, show: Callable[[str], str] = str) -> str:
    """`sandbox` or `sandbox:staging` (what a state records) as a reader says it; a URL
    with its credentials, query string and fragment masked (a state written before such
    URLs were refused may hold a key there)."""
    if api_url == "sandbox":
        return "the embedded sandbox"
    if api_url.startswith("sandbox:"):
        return f"the embedded sandbox of {api_url.removeprefix('sandbox:')}"
    return show(public_url(api_url))


def list_of(c: Campaign) -> str:
    """The contact list as a reviewer reads it: `customers → lst_stg_main` for an alias."""
    return f"{c.contact_list} → {c.contact_list_id}" if c.contact_list else c.contact_list_id


def sender_of(c: Campaign) -> str:
    return f"{c.sender} → {c.sender_id}" if c.sender else c.sender_id




def link_lines(plan: Plan) -> list[str]:
    """Each URL the online check asked, where it was sent on to (`→`), and its answer."""
    return [f"{link.trail()}: {link.problem or link.status}" for link in plan.links or ()]


def _checked_links(plan: Plan) -> Iterator[str]:
    if plan.links:
        yield ""
        yield "Links checked:"
        yield from (safe(f"  {line}") for line in link_lines(plan))


def render_json_chunks(plan: Plan, *, show_unmanaged: bool = False) -> Iterator[str]:
    """The JSON plan piece by piece, for writing as it is made."""
    return json_chunks(plan_json(plan, show_unmanaged=show_unmanaged, lazily=True))


def render_json(plan: Plan, *, show_unmanaged: bool = False) -> str:
    return json_document(plan_json(plan, show_unmanaged=show_unmanaged))


# -- text -----------------------------------------------------------------------------------


def text_lines(plan: Plan, *, color: bool = False,
               show_unmanaged: bool = False) -> Iterator[str]:
    """The text plan line by line, for writing as it is made."""
    yield from _head_lines(plan, color)
    yield ""
    width = min(max((len(i.name) for i in plan.items), default=10), 48)
    for item in plan.items:
        yield from _item_lines(item, plan, width, color)
    if not plan.items:
        yield "  (no campaigns defined)"
    if plan.of(Action.CREATE):
        yield ""
        yield f"Schedule ({plan.zone}):"
        yield from (safe(line) for line in timeline(plan, sends(plan)))
        yield ""
        yield totals_line(plan)
        for verdict in plan.verdicts:
            yield paint(f"  limit {verdict.describe()}", color,
                        **({"fg": "red", "bold": True} if verdict.exceeded else {}))
    if plan.orphans or plan.unmanaged:
        yield ""
        yield "Not touched:"
        yield from _untouched_lines(plan, show_unmanaged)
    yield from _checked_links(plan)
    shown = {item_diagnostic(i) for i in plan.items if i.action is Action.ERROR}
    others = [d for d in plan.diagnostics if d not in shown]
    if others:
        yield ""
        for d in others:
            yield paint(d.text(), color, fg="red" if d.is_error else "yellow")
    yield ""
    yield paint(plan.summary(), color, bold=True)


def _head_lines(plan: Plan, color: bool) -> Iterator[str]:
    """The target, the credits, what could not be read and the over-limits banner."""
    target = api_shown(plan.api_url)
    scope = f"Plan for {plan.environment} against" if plan.environment else "Plan against"
    yield (paint(f"{scope} {target} (state serial {plan.state_serial})", color,
                     bold=True))
    if plan.credits is not None:
        yield f"Credits: {plan.credits.balance:,.0f} {plan.credits.currency}".rstrip()
    else:
        yield "Credits: could not be read"
    if not plan.senders_verified:
        yield "Sender IDs: could not be verified (the API's answer was not understood)"
    if plan.over_limits:
        yield paint("Over the limits of one apply: apply is refused unless overridden "
                    "(--override-limits); the limit lines below say which.", color,
                    fg="red", bold=True)


def _item_lines(item: Item, plan: Plan, width: int, color: bool) -> Iterator[str]:
    """One campaign's verdict: a head line and, for a create or an error, what follows."""
    symbol, word, style = SYMBOLS[item.action]
    head = paint(f"  {symbol} {word:<8} {item.name:<{width}}", color, **style)
    loc = item.campaign.location
    if item.action is Action.CREATE:
        c = item.campaign
        yield head + safe(f"  {loc.file}:{loc.line}")
        yield safe(f"      {c.channel} to {list_of(c)} from {sender_of(c)}, "
                   f"sends {when_of(item, plan)}")
        yield f"      {cost_of(plan, item)}"
        yield from _message_lines(c.view(), color)
    elif item.action is Action.ADOPT:
        was = f" (found as {item.previous_name!r})" if item.previous_name else ""
        yield head + safe(f"  {item.remote_id}{was}: record it, send nothing")
    elif item.action is Action.RENAME:
        yield head + f"  {item.remote_id}: was {item.previous_name!r} in the state"
    elif item.action is Action.IN_SYNC:
        yield head + safe(f"  {item.remote_id}")
    elif item.action is Action.WAITING:
        yield head + safe(f"  {loc.file}:{loc.line}")
        yield safe(f"      {item.message}")
    else:
        d = item_diagnostic(item)
        yield head + safe(f"  {d.location}: {d.field}")
        yield safe(f"      {item.message}")
        if item.sent is not None:
            yield from _sent_lines(item.sent, color)


_DIFF_STYLES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("---", {"bold": True}), ("+++", {"bold": True}), ("@@", {"fg": "cyan"}),
    ("-", {"fg": "red"}), ("+", {"fg": "green"}))


def _diff_style(line: str) -> dict[str, Any]:
    return next((style for start, style in _DIFF_STYLES if line.startswith(start)), {})


def _sent_lines(sent: SentDiff, color: bool) -> Iterator[str]:
    """What changed since the campaign was sent: the diff, or why it cannot be shown."""
    if sent.status == "diff":
        yield "      What changed since it was sent:"
        yield from (paint(f"      {line}", color, **_diff_style(line)) for line in sent.lines)
        if sent.note:
            yield safe(f"      Note: {sent.note}.")
    elif sent.status == "outside-file":
        yield safe(f"      What changed: {sent.note}.")
    else:
        yield safe(f"      What changed cannot be shown: {sent.note}.")


def sent_advice(item: Item) -> str:
    """What to do about a definition changed after its campaign was sent."""
    return (f"{item.remote_id} goes out as it was sent: it cannot be updated or cancelled "
            "through the API. Revert the change so that the definition says what was sent. "
            "Giving the definition a new name creates a second campaign, which is sent as "
            "well as the first: only for a message that should go out in addition.")


def _message_lines(view: MessageView, color: bool) -> Iterator[str]:
    """The message as its recipient sees it, in a bar; what to weigh beneath."""
    yield safe(f"      {headline(view)}:")
    if view.text:
        yield from (f"      │ {line}" for line in text_message(view, color))
    for mention in view.mentions:
        yield paint(f"      ⚠ mass-mention: {mention.source} notifies {mention.who}", color,
                    fg="yellow")
    ucs2 = list(dict.fromkeys(f.char for f in view.flags if f.kind == "ucs2"))
    if ucs2:
        yield paint(f"      UCS-2 because of {', '.join(ucs2)} (marked "
                    f"{'in red' if color else 'in [ ]'}); ⟨n⟩ marks where segment n starts",
                    color)
    elif len(view.segments) > 1:
        yield "      ⟨n⟩ marks where segment n starts"
    for note in view.notes:
        yield safe(f"      note: {note}")
    for label, value in view.details:
        yield safe(f"      {label}: {value}")


def _untouched_lines(plan: Plan, show_unmanaged: bool) -> Iterator[str]:
    """State entries no longer defined, and account campaigns no definition mentions."""
    for o in plan.orphans:
        where = "" if o.in_account else ", no longer in the account"
        yield f"  - {o.name!r} ({o.entry.id}) is in the state but no longer defined{where}"
    if not plan.unmanaged:
        return
    unmanaged = counted(len(plan.unmanaged), "campaign")
    if not show_unmanaged:
        yield f"  - {unmanaged} in the account not managed here (--show-unmanaged lists them)"
        return
    yield f"  - {unmanaged} in the account not managed here:"
    yield from (safe(f"      {r.name!r} ({r.id}, {r.channel})") for r in plan.unmanaged)


def render_text(plan: Plan, *, color: bool = False, show_unmanaged: bool = False) -> str:
    return "\n".join(text_lines(plan, color=color, show_unmanaged=show_unmanaged)) + "\n"


# -- GitHub ---------------------------------------------------------------------------------


def render_github(plan: Plan) -> str:
    lines = [annotation(d, title="campaigns plan") for d in plan.diagnostics]
    lines.append(plan.summary())
    return "\n".join(lines) + "\n"


# -- Markdown -------------------------------------------------------------------------------

def render_markdown(plan: Plan, *, limit: int = LIMIT,
                    full_version: str = "the job log of `campaigns plan`") -> str:
    """A pull-request comment that fits under `limit` characters.

    Every user-written value is escaped or in code, and every create's whole message is
    shown: the body with all its lines,
    or the template with every component and parameter. What does not fit is counted in a
    closing line that says where the full version is.
    """
    doc = Document(limit=limit, full_version=full_version)
    doc.add(_heading(plan))
    creates = plan.of(Action.CREATE)
    if creates:
        doc.add(escaped(totals_line(plan)))
    immediate = [i for i in creates if i.sends_immediately]
    if immediate:
        doc.add(f"> **Warning:** {counted(len(immediate), 'campaign')} without "
                "`scheduled_at`: each sends the moment apply creates it.")
    if plan.errors:
        doc.add(f"**Errors ({len(plan.errors)})**: apply is refused until they are fixed.")
        doc.add_table("", [finding(d) for d in plan.errors], "errors")
        for item in plan.items:
            if item.sent is not None:
                doc.add(markdown_sent(item), "diffs of campaigns changed after they were sent")
    if creates:
        _add_creates(doc, plan, creates)
    adopts = plan.of(Action.ADOPT) + plan.of(Action.RENAME)
    if adopts:
        _add_adoptions(doc, adopts)
    waiting = plan.of(Action.WAITING)
    if waiting:
        _add_waiting(doc, waiting)
    if plan.warnings:
        lines = "\n".join(finding(d) for d in plan.warnings)
        doc.add(details(f"Warnings ({len(plan.warnings)})", lines), "warnings")
    if plan.links:
        doc.add(details(f"Links checked ({len(plan.links)})", fence("\n".join(link_lines(plan)))),
                "links")
    if plan.of(Action.IN_SYNC) or plan.orphans or plan.unmanaged:
        _add_unchanged(doc, plan)
    return doc.render()


def _heading(plan: Plan) -> str:
    """The marker, the title, the over-limits banner, the summary and the target."""
    status = "❌" if plan.errors else ("📝" if plan.has_changes else "✅")
    target = api_shown(plan.api_url, code)
    credits = (f"{plan.credits.balance:,.0f} {code(plan.credits.currency)}"
               if plan.credits else "could not be read")
    banner = ("> ⛔ **Over the limits of one apply:** apply is refused unless overridden "
              "(`--override-limits`).\n>\n" + "\n".join(
                  f"> - {code(v.describe())}" for v in plan.over_limits) + "\n\n"
              if plan.over_limits else "")
    return (f"{marker(plan.environment)}\n{title(plan.environment)}\n\n{banner}"
            f"{status} **{plan.summary()}**\n\n"
            f"Against {target}, state serial {plan.state_serial}. Credits: {credits}.")


def finding(d: Diagnostic) -> str:
    """A list item that wraps: the place to copy in code, the message as text."""
    field = f"{escaped(d.field)}: " if d.field else ""
    kind = "error: " if d.is_error else "warning: "
    return f"- {code(str(d.location))} {kind}{field}{escaped(d.message)}"


DIFF_LINES = 200  # of one campaign's diff in a comment; the text plan prints it whole


def markdown_sent(item: Item) -> str:
    """What changed in a definition since its campaign was sent, in a ```diff block that
    nothing in the definition can close (see `fence`), and what to do."""
    sent = item.sent
    assert sent is not None
    summary = (f"What changed in {html_code(item.name)} since {html_code(item.remote_id or '')} "
               "was sent")
    if sent.status == "diff":
        shown = sent.lines[:DIFF_LINES]
        # A carriage return ends a line in Markdown: shown as `\r`, so each line keeps its
        # `-`/`+` and the text stays inside the block.
        body = fence("\n".join(shown).replace("\r", "\\r"), "diff")
        if len(sent.lines) > len(shown):
            body += (f"\n\n{counted(len(sent.lines) - len(shown), 'more line')} of the diff "
                     "not shown: `campaigns plan` prints it whole.")
        if sent.note:
            body += f"\n\n{escaped('Note: ' + sent.note + '.')}"
    elif sent.status == "outside-file":
        body = escaped(f"{sent.note[0].upper()}{sent.note[1:]}.")
    else:
        body = escaped(f"It cannot be shown: {sent.note}.")
    return details(summary, f"{body}\n\n{escaped(sent_advice(item))}", open_=True)


def _add_creates(doc: Document, plan: Plan, creates: Sequence[Item]) -> None:
    """The table of creates, the schedule, then each create's whole message."""
    rows = []
    for item in creates:
        c = item.campaign
        listed = (f"{escaped(c.contact_list)} → {code(c.contact_list_id)}" if c.contact_list
                  else code(c.contact_list_id))
        sender = (f"{escaped(c.sender)} → {code(c.sender_id)}" if c.sender
                  else code(c.sender_id))
        rows.append(f"| {escaped(c.name)} | {c.channel} | {listed} | {sender} | "
                    f"{short_when(item, plan)} | {escaped(cost_of(plan, item))} |")
    doc.add_table(f"**To create ({len(creates)})**\n\n"
                  "| Campaign | Channel | List | Sender | Sends | Cost |\n"
                  "| --- | --- | --- | --- | --- | --- |", rows, "campaigns to create")
    chart, left_out = gantt(plan, sends(plan))
    more = f"\n\n{counted(left_out, 'more send')} not shown." if left_out else ""
    doc.add(f"**Schedule** ({escaped(plan.zone)} time; red: quiet hours or too close to "
            f"another marketing send to the list; grey: already scheduled)\n\n"
            f"{fence(chart, 'mermaid')}{more}", "schedule")
    for item in creates:
        doc.add(markdown_message(item.campaign.view(), item.name, open_=len(creates) <= 10,
                                 sends=when_of(item, plan)), "messages")


def _add_adoptions(doc: Document, adopts: Sequence[Item]) -> None:
    rows = ["| Campaign | ID | Why |", "| --- | --- | --- |"]
    for item in adopts:
        why = ("exists in the account, unknown to the state" if item.action is Action.ADOPT
               else f"renamed from {item.previous_name}")
        rows.append(f"| {code(item.name)} | {code(item.remote_id or '')} | {code(why)} |")
    doc.add(details(f"To record in the state without sending ({len(adopts)})",
                    "\n".join(rows)), "adoptions")


def _add_waiting(doc: Document, waiting: Sequence[Item]) -> None:
    """The creates an interrupted apply sent without getting the answer."""
    rows = ["| Campaign | What apply does |", "| --- | --- |"]
    rows += [f"| {escaped(i.name)} | {escaped(i.message)} |" for i in waiting]
    doc.add(f"**Waiting ({len(waiting)})**: sent by an earlier apply whose answer was lost; "
            "settled by this apply after the in-flight grace.\n\n" + "\n".join(rows),
            "waiting campaigns")


def _add_unchanged(doc: Document, plan: Plan) -> None:
    in_sync = plan.of(Action.IN_SYNC)
    unchanged = [f"{i.name}: {i.remote_id or ''}" for i in in_sync]
    unchanged += [f"{o.name}: {o.entry.id}, in the state, no longer defined (not touched)"
                  for o in plan.orphans]
    summary = (f"Unchanged ({len(in_sync)} in sync, {len(plan.orphans)} no longer "
               f"defined, {len(plan.unmanaged)} not managed here)")
    doc.add(details(summary, fence("\n".join(unchanged)) if unchanged else "(none listed)"),
            "lists of unchanged campaigns")


def render_failed_markdown(reason: str, environment: str | None = None) -> str:
    """The comment when no plan could be made, so that an earlier plan does not stand."""
    return (f"{marker(environment)}\n{title(environment)}\n\n❌ **Plan failed:** no plan "
            f"was made, so nothing here is approved.\n\n{fence(reason)}\n")


def _gitlab(plan: Plan, style: Style) -> str:
    from reconciler.render import gitlab

    return gitlab.render(plan.diagnostics)


# One registry for a plan's formats: `--format` offers exactly these.
RENDERERS: dict[str, Renderer[Plan]] = {
    "text": lambda plan, style: render_text(plan, color=style.color,
                                            show_unmanaged=style.show_unmanaged),
    "json": lambda plan, style: render_json(plan, show_unmanaged=style.show_unmanaged),
    "markdown": lambda plan, style: render_markdown(plan),
    "github": lambda plan, style: render_github(plan),
    "gitlab": _gitlab,
}

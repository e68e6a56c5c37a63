"""A Plan as text, for a person at a terminal: a line a campaign, and under each create
where it goes, when, what it costs and its message as the recipient sees it. Written line
by line as it is made, so that a large plan is never held whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reconciler.channels import MessageView
from reconciler.plan import Action, Item, Plan, item_diagnostic
from reconciler.plan.sentdiff import SentDiff
from reconciler.plural import counted
from reconciler.render.common import paint, safe
from reconciler.render.message import headline, text_message
from reconciler.render.plan_parts import (
    api_shown,
    cost_of,
    link_lines,
    list_of,
    sender_of,
    totals_line,
    when_of,
)
from reconciler.render.schedule import sends, timeline

SYMBOLS: dict[Action, tuple[str, str, dict[str, Any]]] = {
    Action.CREATE: ("+", "create", {"fg": "green"}),
    Action.ADOPT: (">", "adopt", {"fg": "cyan"}),
    Action.RENAME: ("~", "rename", {"fg": "cyan"}),
    Action.IN_SYNC: ("=", "in sync", {"dim": True}),
    Action.WAITING: ("?", "waiting", {"fg": "yellow"}),
    Action.ERROR: ("!", "error", {"fg": "red", "bold": True}),
}


def text_lines(plan: Plan, *, color: bool = False,
               show_unmanaged: bool = False) -> Iterator[str]:
    """The text plan line by line, for writing as it is made."""
    yield from _head_lines(plan, color)
    yield ""
    yield from _items_lines(plan, color)
    if plan.of(Action.CREATE):
        yield from _apply_lines(plan, color)
    if plan.orphans or plan.unmanaged:
        yield ""
        yield "Not touched:"
        yield from _untouched_lines(plan, show_unmanaged)
    yield from _checked_links(plan)
    yield from _other_diagnostics(plan, color)
    yield ""
    yield paint(plan.summary(), color, bold=True)


def render_text(plan: Plan, *, color: bool = False, show_unmanaged: bool = False) -> str:
    return "\n".join(text_lines(plan, color=color, show_unmanaged=show_unmanaged)) + "\n"


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


def _items_lines(plan: Plan, color: bool) -> Iterator[str]:
    """Every campaign's verdict, the names in one column."""
    width = min(max((len(i.name) for i in plan.items), default=10), 48)
    for item in plan.items:
        yield from _item_lines(item, plan, width, color)
    if not plan.items:
        yield "  (no campaigns defined)"


def _apply_lines(plan: Plan, color: bool) -> Iterator[str]:
    """The schedule of the creates, what they reach, and the limits of one apply."""
    yield ""
    yield f"Schedule ({plan.zone}):"
    yield from (safe(line) for line in timeline(plan, sends(plan)))
    yield ""
    yield totals_line(plan)
    for verdict in plan.verdicts:
        yield paint(f"  limit {verdict.describe()}", color,
                    **({"fg": "red", "bold": True} if verdict.exceeded else {}))


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


# The sent-diff holds no file headers (plan/sentdiff.py drops them by position), so a line
# that begins `---` is a removed line that begins `--` (an email's signature): red.
_DIFF_STYLES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("@@", {"fg": "cyan"}), ("-", {"fg": "red"}), ("+", {"fg": "green"}))


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


def _message_lines(view: MessageView, color: bool) -> Iterator[str]:
    """The message as its recipient sees it, in a bar; what to weigh beneath."""
    yield safe(f"      {headline(view)}:")
    if view.text:
        yield from (f"      │ {line}" for line in text_message(view, color))
    for mention in view.mentions:
        yield paint(f"      ⚠ mass-mention: {mention.source} notifies {mention.who}", color,
                    fg="yellow")
    key = _segments_key(view, color)
    if key:
        yield key
    for note in view.notes:
        yield safe(f"      note: {note}")
    for label, value in view.details:
        yield safe(f"      {label}: {value}")


def _segments_key(view: MessageView, color: bool) -> str | None:
    """What the marks in an SMS mean: the characters that make it UCS-2, and ⟨n⟩."""
    ucs2 = list(dict.fromkeys(f.char for f in view.flags if f.kind == "ucs2"))
    if ucs2:
        return paint(f"      UCS-2 because of {', '.join(ucs2)} (marked "
                     f"{'in red' if color else 'in [ ]'}); ⟨n⟩ marks where segment n starts",
                     color)
    if len(view.segments) > 1:
        return "      ⟨n⟩ marks where segment n starts"
    return None


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


def _checked_links(plan: Plan) -> Iterator[str]:
    if plan.links:
        yield ""
        yield "Links checked:"
        yield from (safe(f"  {line}") for line in link_lines(plan))


def _other_diagnostics(plan: Plan, color: bool) -> Iterator[str]:
    """The diagnostics not already shown under their campaign's line."""
    shown = {item_diagnostic(i) for i in plan.items if i.action is Action.ERROR}
    others = [d for d in plan.diagnostics if d not in shown]
    if others:
        yield ""
        for d in others:
            yield paint(d.text(), color, fg="red" if d.is_error else "yellow")

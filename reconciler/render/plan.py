"""A Plan as text (for people), JSON (for scripts), Markdown (a pull-request comment) and
GitHub annotations. Small functions over the one Plan structure."""

from __future__ import annotations

import json
from typing import Any

from reconciler.checks import sms_info
from reconciler.diagnostics import Diagnostic
from reconciler.plan import Action, Item, Plan, item_diagnostic
from reconciler.render.common import FORMAT_VERSION, md, paint, safe
from reconciler.render.github import annotation
from reconciler.render.validation import diagnostic_json

MARKER = "<!-- zexa-campaigns-plan -->"
MARKDOWN_LIMIT = 65_000

SYMBOLS: dict[Action, tuple[str, str, dict[str, Any]]] = {
    Action.CREATE: ("+", "create", {"fg": "green"}),
    Action.ADOPT: (">", "adopt", {"fg": "cyan"}),
    Action.RENAME: ("~", "rename", {"fg": "cyan"}),
    Action.IN_SYNC: ("=", "in sync", {"dim": True}),
    Action.ERROR: ("!", "error", {"fg": "red", "bold": True}),
}


def first_line(text: str | None, width: int = 72) -> str:
    if not text:
        return ""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def message_of(item: Item) -> str:
    c = item.campaign
    if c.body is not None:
        return first_line(c.body)
    if c.template is not None:
        language = c.template.get("language")
        code = language.get("code") if isinstance(language, dict) else None
        return f"template {c.template.get('name')} ({code})"
    return ""


def cost_of(plan: Plan, item: Item) -> str:
    """`2 SMS segments (UCS-2), about 1,700 credits`: what a reviewer weighs."""
    c = item.campaign
    parts = []
    if c.channel == "sms" and c.body is not None:
        info = sms_info(c.body)
        parts.append(f"{info.segments} SMS segment{'s' if info.segments != 1 else ''} "
                     f"({info.encoding})")
    credits = plan.estimated_credits(item)
    parts.append(f"about {credits:,} credits" if credits is not None
                 else "list size unknown")
    return ", ".join(parts)


def when_of(item: Item) -> str:
    scheduled = item.campaign.scheduled_at
    return scheduled if scheduled else "immediately when applied"


# -- JSON -----------------------------------------------------------------------------------


def item_json(item: Item, plan: Plan) -> dict[str, Any]:
    c = item.campaign
    loc = c.location
    doc: dict[str, Any] = {
        "name": item.name,
        "action": item.action.value,
        "channel": c.channel,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "id": item.remote_id,
        "previous_name": item.previous_name,
    }
    if item.action is Action.ERROR:
        doc["problem"] = item.problem.value if item.problem else None
        doc["message"] = item.message
    if item.action is Action.CREATE:
        doc["payload"] = c.payload()
        doc["sends_immediately"] = item.sends_immediately
        doc["estimated_credits"] = plan.estimated_credits(item)
        if c.channel == "sms" and c.body is not None:
            info = sms_info(c.body)
            doc["sms"] = {"encoding": info.encoding, "length": info.length,
                          "segments": info.segments}
    return doc


def plan_json(plan: Plan, *, show_unmanaged: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "generated_at": plan.generated_at,
        "api_url": plan.api_url,
        "state": {"lineage": plan.state_lineage, "serial": plan.state_serial},
        "summary": {
            "create": len(plan.of(Action.CREATE)),
            "adopt": len(plan.of(Action.ADOPT)),
            "rename": len(plan.of(Action.RENAME)),
            "in_sync": len(plan.of(Action.IN_SYNC)),
            "errors": len(plan.errors),
            "warnings": len(plan.warnings),
            "has_changes": plan.has_changes,
            "text": plan.summary(),
        },
        "credits": (
            {"balance": plan.credits.balance, "currency": plan.credits.currency}
            if plan.credits else None
        ),
        "senders_verified": plan.senders_verified,
        "campaigns": [item_json(i, plan) for i in plan.items],
        "not_defined": [
            {"name": o.name, "id": o.entry.id, "in_account": o.in_account} for o in plan.orphans
        ],
        "unmanaged": {
            "count": len(plan.unmanaged),
            "campaigns": [{"name": r.name, "id": r.id, "channel": r.channel}
                          for r in plan.unmanaged] if show_unmanaged else None,
        },
        "diagnostics": [diagnostic_json(d) for d in plan.diagnostics],
    }
    return doc


def render_json(plan: Plan, *, show_unmanaged: bool = False) -> str:
    return json.dumps(plan_json(plan, show_unmanaged=show_unmanaged), indent=2,
                      ensure_ascii=False) + "\n"


# -- text -----------------------------------------------------------------------------------


def render_text(plan: Plan, *, color: bool = False, show_unmanaged: bool = False) -> str:
    out: list[str] = []
    target = "the embedded sandbox" if plan.api_url == "sandbox" else plan.api_url
    out.append(paint(f"Plan against {target} (state serial {plan.state_serial})", color,
                     bold=True))
    if plan.credits is not None:
        out.append(f"Credits: {plan.credits.balance:,.0f} {plan.credits.currency}".rstrip())
    else:
        out.append("Credits: could not be read")
    if not plan.senders_verified:
        out.append("Sender IDs: could not be verified (the API's answer was not understood)")
    out.append("")
    width = max((len(i.name) for i in plan.items), default=10)
    width = min(width, 48)
    for item in plan.items:
        symbol, word, style = SYMBOLS[item.action]
        head = f"  {symbol} {word:<8} {item.name:<{width}}"
        loc = item.campaign.location
        if item.action is Action.CREATE:
            c = item.campaign
            out.append(paint(head, color, **style) + safe(f"  {loc.file}:{loc.line}"))
            out.append(safe(f"      {c.channel} to {c.contact_list_id} from {c.sender_id}, "
                            f"sends {when_of(item)}"))
            out.append(f"      {cost_of(plan, item)}")
            message = message_of(item)
            if message:
                out.append(f"      {json.dumps(message, ensure_ascii=False)}")
        elif item.action is Action.ADOPT:
            was = f" (found as {item.previous_name!r})" if item.previous_name else ""
            out.append(paint(head, color, **style)
                       + safe(f"  {item.remote_id}{was}: record it, send nothing"))
        elif item.action is Action.RENAME:
            out.append(paint(head, color, **style)
                       + f"  {item.remote_id}: was {item.previous_name!r} in the state")
        elif item.action is Action.IN_SYNC:
            out.append(paint(head, color, **style) + safe(f"  {item.remote_id}"))
        else:
            d = item_diagnostic(item)
            out.append(paint(head, color, **style) + safe(f"  {d.location}: {d.field}"))
            out.append(safe(f"      {item.message}"))
    if not plan.items:
        out.append("  (no campaigns defined)")
    if plan.orphans or plan.unmanaged:
        out.append("")
        out.append("Not touched:")
        for o in plan.orphans:
            where = "" if o.in_account else ", no longer in the account"
            out.append(f"  - {o.name!r} ({o.entry.id}) is in the state but no longer "
                       f"defined{where}")
        if plan.unmanaged:
            if show_unmanaged:
                out.append(f"  - {len(plan.unmanaged)} campaign(s) in the account are not "
                           "managed here:")
                out.extend(safe(f"      {r.name!r} ({r.id}, {r.channel})")
                           for r in plan.unmanaged)
            else:
                out.append(f"  - {len(plan.unmanaged)} campaign(s) in the account are not "
                           "managed here (--show-unmanaged lists them)")
    shown = {item_diagnostic(i) for i in plan.items if i.action is Action.ERROR}
    others = [d for d in plan.diagnostics if d not in shown]
    if others:
        out.append("")
        for d in others:
            out.append(paint(d.text(), color, fg="red" if d.is_error else "yellow"))
    out.append("")
    out.append(paint(plan.summary(), color, bold=True))
    return "\n".join(out) + "\n"


# -- GitHub ---------------------------------------------------------------------------------


def render_github(plan: Plan) -> str:
    lines = [annotation(d, title="campaigns plan") for d in plan.diagnostics]
    lines.append(plan.summary())
    return "\n".join(lines) + "\n"


# -- Markdown -------------------------------------------------------------------------------

def _loc(d: Diagnostic) -> str:
    return md(f"{d.location.file}:{d.location.line}")


def render_markdown(plan: Plan, *, limit: int = MARKDOWN_LIMIT) -> str:
    """A pull-request comment; summarised until it fits under `limit` characters."""
    for detail in (3, 2, 1, 0):
        text = _markdown(plan, detail=detail, max_rows=None)
        if len(text) <= limit:
            return text
    rows = max(10, len(plan.of(Action.CREATE)))
    while rows > 0:
        text = _markdown(plan, detail=0, max_rows=rows)
        if len(text) <= limit:
            return text
        rows //= 2
    return _markdown(plan, detail=0, max_rows=0)


def _markdown(plan: Plan, *, detail: int, max_rows: int | None) -> str:
    out = [MARKER, "### Zexa campaigns plan", ""]
    status = "❌" if plan.errors else ("📝" if plan.has_changes else "✅")
    out.append(f"{status} **{plan.summary()}**")
    target = "the embedded sandbox" if plan.api_url == "sandbox" else md(plan.api_url)
    credits = (f"{plan.credits.balance:,.0f} {md(plan.credits.currency)}"
               if plan.credits else "could not be read")
    out.append("")
    out.append(f"Against {target}, state serial {plan.state_serial}. Credits: {credits}.")
    creates = plan.of(Action.CREATE)
    immediate = [i for i in creates if i.sends_immediately]
    if immediate:
        out.append("")
        out.append(f"> **Warning:** {len(immediate)} campaign(s) have no `scheduled_at` and "
                   "send the moment apply creates them.")
    if plan.errors:
        out.append("")
        out.append(f"**Errors ({len(plan.errors)})** — apply is refused until they are fixed:")
        out.append("")
        shown = plan.errors if detail >= 1 else plan.errors[:20]
        out.extend(f"- {_loc(d)}: {md(d.field + ': ' if d.field else '')}{md(d.message)}"
                   for d in shown)
        if len(shown) < len(plan.errors):
            out.append(f"- … and {len(plan.errors) - len(shown)} more (see the job log)")
    if creates:
        out.append("")
        out.append(f"**To create ({len(creates)})**")
        out.append("")
        out.append("| Campaign | Channel | List | Sender | Sends | Cost | Message |")
        out.append("| --- | --- | --- | --- | --- | --- | --- |")
        rows = creates if max_rows is None else creates[:max_rows]
        for item in rows:
            c = item.campaign
            when = "**immediately**" if item.sends_immediately else md(when_of(item))
            out.append(f"| {md(c.name)} | {md(c.channel)} | {md(c.contact_list_id)} | "
                       f"{md(c.sender_id)} | {when} | {md(cost_of(plan, item))} | "
                       f"{md(message_of(item))} |")
        if len(rows) < len(creates):
            out.append("")
            out.append(f"… and {len(creates) - len(rows)} more (see the job log).")
    adopts = plan.of(Action.ADOPT) + plan.of(Action.RENAME)
    if adopts and detail >= 1:
        out.append("")
        out.append(f"<details><summary>To record in the state without sending "
                   f"({len(adopts)})</summary>")
        out.append("")
        out.append("| Campaign | ID | Why |")
        out.append("| --- | --- | --- |")
        for item in adopts:
            why = ("exists in the account, unknown to the state" if item.action is Action.ADOPT
                   else f"renamed from {item.previous_name}")
            out.append(f"| {md(item.name)} | {md(item.remote_id or '')} | {md(why)} |")
        out.append("")
        out.append("</details>")
    if plan.warnings and detail >= 2:
        out.append("")
        out.append(f"<details><summary>Warnings ({len(plan.warnings)})</summary>")
        out.append("")
        out.extend(f"- {_loc(d)}: {md(d.field + ': ' if d.field else '')}{md(d.message)}"
                   for d in plan.warnings)
        out.append("")
        out.append("</details>")
    in_sync = plan.of(Action.IN_SYNC)
    if (in_sync or plan.orphans or plan.unmanaged) and detail >= 3:
        out.append("")
        out.append(f"<details><summary>Unchanged ({len(in_sync)} in sync, "
                   f"{len(plan.orphans)} no longer defined, {len(plan.unmanaged)} not "
                   "managed here)</summary>")
        out.append("")
        out.extend(f"- {md(i.name)}: {md(i.remote_id or '')}" for i in in_sync)
        out.extend(f"- {md(o.name)}: {md(o.entry.id)}, in the state, no longer defined "
                   "(not touched)" for o in plan.orphans)
        out.append("")
        out.append("</details>")
    out.append("")
    return "\n".join(out)

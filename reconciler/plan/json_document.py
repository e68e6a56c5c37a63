"""The plan as a JSON document (`schemas/plan.schema.json`): part of the core, since a saved
plan carries it (`planfile.py`) as well as `plan --format json` printing it. Renderers
format this document; nothing here formats text."""

from __future__ import annotations

from typing import Any

from reconciler.channels import MessageView
from reconciler.checks.links import LinkCheck
from reconciler.diagnostics import diagnostic_json
from reconciler.plan.model import Action, Item, Plan
from reconciler.plan.sentdiff import SentDiff
from reconciler.secret import public_url

FORMAT_VERSION = 1  # of the plan document; see schemas/plan.schema.json


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
        if item.sent is not None:
            doc["sent_diff"] = sent_json(item.sent)
    elif item.action is Action.WAITING:
        doc["message"] = item.message
    aliases = {k: v for k, v in (("contact_list", c.contact_list), ("sender", c.sender)) if v}
    if aliases:
        doc["aliases"] = aliases
    if item.action is Action.CREATE:
        doc.update(_create_json(item, plan))
    if item.action in (Action.CREATE, Action.ERROR):
        doc["preview"] = preview_json(c.view())
    return doc


def _create_json(item: Item, plan: Plan) -> dict[str, Any]:
    """What a campaign to create adds: what is sent, to how many, at what cost."""
    c = item.campaign
    size = plan.list_sizes.get(c.contact_list_id)
    doc: dict[str, Any] = {
        "payload": c.payload(),
        "sends_immediately": item.sends_immediately,
        "estimated_credits": plan.estimated_credits(item),
        "audience": None if size is None else {
            "recipients": size.size, "from_campaign": size.source, "at": size.at},
    }
    if c.channel == "sms" and c.body is not None:
        info = c.sms()
        doc["sms"] = {"encoding": info.encoding, "length": info.length,
                      "segments": info.segments}
    return doc


def sent_json(sent: SentDiff) -> dict[str, Any]:
    """What changed after a campaign was sent (`reconciler.plan.sentdiff`)."""
    return {"status": sent.status, "diff": sent.text or None, "note": sent.note,
            "blob": sent.blob, "sent_file": sent.sent_file}


def preview_json(view: MessageView) -> dict[str, Any]:
    """What the recipient sees (`channels`): offsets are code points into `text`, except
    an SMS's segments and flags, which are offsets into the body that is sent."""
    return {
        "sender": view.sender,
        "text": view.text,
        "spans": [{"start": s.start, "end": s.end, "kind": s.kind, "target": s.target}
                  for s in view.spans],
        "encoding": view.encoding,
        "segments": [{"number": s.number, "start": s.start, "end": s.end}
                     for s in view.segments],
        "flags": [{"offset": f.offset, "char": f.char, "kind": f.kind} for f in view.flags],
        "mentions": [{"offset": m.offset, "source": m.source, "name": m.name, "who": m.who}
                     for m in view.mentions],
        "notes": list(view.notes),
        "details": [{"label": label, "value": value} for label, value in view.details],
    }


def plan_json(plan: Plan, *, show_unmanaged: bool = False,
              lazily: bool = False) -> dict[str, Any]:
    """The JSON plan (`schemas/plan.schema.json`). `lazily`: the campaigns as an iterator,
    each built as it is written (see `render_json_chunks`)."""
    doc: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "generated_at": plan.generated_at,
        "api_url": public_url(plan.api_url),
        "state": {"lineage": plan.state_lineage, "serial": plan.state_serial},
        "summary": summary_json(plan),
        "credits": None if plan.credits is None else {
            "balance": plan.credits.balance, "currency": plan.credits.currency},
        "senders_verified": plan.senders_verified,
        "campaigns": (item_json(i, plan) for i in plan.items) if lazily
        else [item_json(i, plan) for i in plan.items],
        "not_defined": [
            {"name": o.name, "id": o.entry.id, "in_account": o.in_account} for o in plan.orphans
        ],
        "unmanaged": unmanaged_json(plan, show_unmanaged),
        "diagnostics": [diagnostic_json(d) for d in plan.diagnostics],
        "links": None if plan.links is None else [link_json(link) for link in plan.links],
        "totals": totals_json(plan),
        "limits": limits_json(plan),
    }
    return doc


def summary_json(plan: Plan) -> dict[str, Any]:
    return {
        "create": len(plan.of(Action.CREATE)),
        "adopt": len(plan.of(Action.ADOPT)),
        "rename": len(plan.of(Action.RENAME)),
        "waiting": len(plan.of(Action.WAITING)),
        "in_sync": len(plan.of(Action.IN_SYNC)),
        "errors": len(plan.errors),
        "warnings": len(plan.warnings),
        "has_changes": plan.has_changes,
        "text": plan.summary(),
    }


def unmanaged_json(plan: Plan, show: bool) -> dict[str, Any]:
    """The account's campaigns not managed here: their count, and each when `show`."""
    return {"count": len(plan.unmanaged),
            "campaigns": [{"name": r.name, "id": r.id, "channel": r.channel}
                          for r in plan.unmanaged] if show else None}


def limits_json(plan: Plan) -> list[dict[str, Any]]:
    return [{"limit": v.limit, "allowed": v.allowed, "total": v.total,
             "exceeded": v.exceeded, "campaigns": list(v.campaigns)} for v in plan.verdicts]


def link_json(link: LinkCheck) -> dict[str, Any]:
    """The online link check's answer for one link, and where the link stands."""
    return {"url": link.url, "status": link.status, "redirects": list(link.redirects),
            "final_url": link.final_url, "failure": link.problem,
            "places": [{"file": p.file, "line": p.line, "column": p.column}
                       for p in link.places]}


def totals_json(plan: Plan) -> dict[str, Any]:
    t = plan.totals
    return {"campaigns": t.campaigns, "recipients": t.recipients, "credits": t.credits,
            "unknown_lists": list(t.unknown_lists)}

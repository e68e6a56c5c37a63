"""How a stored campaign moves through its statuses on the sandbox's clock, and the
shapes the API reports it in (a list item, the detail)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from reconciler.sandbox.account import Account, StoredCampaign
from reconciler.sandbox.faults import Timing
from reconciler.sandbox.rules import iso, parse_time


def phase(c: StoredCampaign, account: Account, timing: Timing,
          now: datetime) -> tuple[str, datetime, float]:
    """(status, when sending starts, share of the send done), from the clock."""
    created = parse_time(c.created_at) or now
    scheduled = parse_time(c.scheduled_at) if c.scheduled_at else None
    start = max(created, scheduled) if scheduled else created
    elapsed = (now - start).total_seconds()
    if elapsed < 0:
        return "scheduled", start, 0.0
    contact_list = account.contact_lists.get(c.contact_list_id)
    if contact_list is not None and contact_list.broken:
        return "failed", start, 1.0
    processing, sent = timing.processing_seconds, timing.sent_seconds
    done = min(1.0, elapsed / (processing + sent)) if processing + sent > 0 else 1.0
    if elapsed < processing:
        return "processing", start, done
    if elapsed < processing + sent:
        return "sent", start, done
    return "completed", start, 1.0


def progress(c: StoredCampaign, account: Account, timing: Timing,
             now: datetime) -> dict[str, Any]:
    status, start, done = phase(c, account, timing, now)
    if status == "scheduled":
        return {"status": status, "delivered": 0, "failed": 0,
                "sent_at": None, "completed_at": None}
    total = c.total_recipients
    if status == "failed":
        return {"status": status, "delivered": 0, "failed": total,
                "sent_at": iso(start), "completed_at": iso(start)}
    contact_list = account.contact_lists.get(c.contact_list_id)
    final_failed = round(total * (contact_list.fail_share if contact_list else 0.0))
    completed_at = None
    if status == "completed":
        span = timing.processing_seconds + timing.sent_seconds
        completed_at = iso(start + timedelta(seconds=span))
    return {
        "status": status,
        "delivered": round((total - final_failed) * done),
        "failed": round(final_failed * done),
        "sent_at": iso(start),
        "completed_at": completed_at,
    }


def summary(c: StoredCampaign, status: str) -> dict[str, Any]:
    """A list item; also the answer to a create (the documented fields are the same)."""
    return {
        "id": c.id,
        "name": c.name,
        "status": status,
        "channel": c.channel,
        "total_recipients": c.total_recipients,
        "created_at": c.created_at,
    }


def detail(c: StoredCampaign, account: Account, timing: Timing,
           now: datetime) -> dict[str, Any]:
    progress_now = progress(c, account, timing, now)
    return {
        "id": c.id,
        "name": c.name,
        "status": progress_now["status"],
        "channel": c.channel,
        "total_recipients": c.total_recipients,
        "delivered": progress_now["delivered"],
        "failed": progress_now["failed"],
        "created_at": c.created_at,
        "sent_at": progress_now["sent_at"],
        "completed_at": progress_now["completed_at"],
    }

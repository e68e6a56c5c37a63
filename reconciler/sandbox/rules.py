"""What the sandbox's API accepts, as the provider documents it: a create's body, its
sender, its schedule, and an SMS's segments (the sandbox's own table, on purpose: see
`app.py`). Errors are `ApiProblem`s in the documented shape."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs

from reconciler.sandbox.account import Account

CHANNELS = ("sms", "whatsapp", "telegram", "email", "slack")
REQUIRED = ("name", "channel", "contact_list_id", "sender_id")
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")


def sms_segments(text: str) -> int:
    """Segments an SMS body takes: GSM-7 160/153 septets, else UCS-2 70/67 units; a
    two-septet character or a surrogate pair is never split between segments."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        return _segments([2 if c in GSM7_EXTENSION else 1 for c in text], 160, 153)
    return _segments([2 if ord(c) > 0xFFFF else 1 for c in text], 70, 67)


def _segments(sizes: list[int], single: int, multi: int) -> int:
    """Segments of `single` units for a short message, else of `multi` units each, with
    no character (of `sizes` units) split between two."""
    if sum(sizes) <= single:
        return 1
    count, room = 1, multi
    for size in sizes:
        if size > room:
            count, room = count + 1, multi
        room -= size
    return count


class ApiProblem(Exception):
    """An error answer in the documented shape."""

    def __init__(
        self, status: int, error: str, message: str, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.details = dict(details or {})


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=65536)
def parse_time(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def check_schedule(scheduled: str | None, now: datetime) -> None:
    """400 for a time that is not ISO 8601 with an offset; 422 for one in the past."""
    if scheduled is None:
        return
    when = parse_time(scheduled)
    if when is None:
        raise ApiProblem(400, "invalid_request", "scheduled_at must be an ISO 8601 UTC datetime",
                         {"field": "scheduled_at"})
    if when <= now:
        raise ApiProblem(422, "validation_error", "scheduled_at is in the past",
                         {"field": "scheduled_at"})


def validate_body(body: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiProblem(400, "invalid_request", "Malformed JSON body") from None
    if not isinstance(doc, dict):
        raise ApiProblem(400, "invalid_request", "The body must be a JSON object")
    problem = _field_problem(doc)
    if problem:
        field, message = problem
        raise ApiProblem(400, "invalid_request", message, {"field": field})
    return doc


_OPTIONAL_TYPES: tuple[tuple[str, type], ...] = (
    ("body", str), ("template", dict), ("scheduled_at", str))


def _field_problem(doc: Mapping[str, Any]) -> tuple[str, str] | None:
    """(field, message) for the first field of a create's body that is missing or of the
    wrong kind, in the order the API checks them."""
    for name in REQUIRED:
        if not isinstance(doc.get(name), str) or not doc[name]:
            return name, f"{name} is required"
    if doc["channel"] not in CHANNELS:
        return "channel", f"channel must be one of {', '.join(CHANNELS)}"
    for name, kind in _OPTIONAL_TYPES:
        if doc.get(name) is not None and not isinstance(doc[name], kind):
            return name, f"{name} has the wrong type"
    return None


def check_sender(account: Account, doc: Mapping[str, Any]) -> None:
    """422 unless the sender is registered and approved for the channel."""
    sender = next((s for s in account.sender_ids
                   if s.sender_id == doc["sender_id"] and s.channel == doc["channel"]), None)
    if sender is None:
        raise ApiProblem(422, "validation_error",
                         f"sender_id is not registered for {doc['channel']}",
                         {"field": "sender_id"})
    if sender.status != "approved":
        raise ApiProblem(422, "validation_error",
                         f"sender_id is not approved (status: {sender.status})",
                         {"field": "sender_id"})


def page_params(query: str, max_per_page: int) -> tuple[int, int]:
    """(page, per_page) of a listing's query string: per_page defaults to 50 and is clamped
    to `max_per_page`, as the API does without saying so."""
    params = parse_qs(query)
    try:
        page = int(params.get("page", ["1"])[0])
        per_page = int(params.get("per_page", ["50"])[0])
    except ValueError:
        raise ApiProblem(400, "invalid_request", "page and per_page must be integers") from None
    if page < 1 or per_page < 1:
        raise ApiProblem(400, "invalid_request", "page and per_page must be at least 1")
    return page, min(per_page, max_per_page)

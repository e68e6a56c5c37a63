"""What the API reports, as plain values: no HTTP here, so that the pure plan can use them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# What a Zexa campaign ID looks like. Anything else (from a create's answer or a listing) is
# never written to the state: a later command could not read it back, and an ID of another
# shape may not be a campaign at all.
CAMPAIGN_ID = re.compile(r"cmp_[A-Za-z0-9_-]{1,128}")


def is_campaign_id(value: object) -> bool:
    return isinstance(value, str) and CAMPAIGN_ID.fullmatch(value) is not None


class ResponseShapeError(ValueError):
    """An answer that is not the documented shape."""


@dataclass(frozen=True, slots=True)
class RemoteCampaign:
    """A campaign as the API reports it."""

    id: str
    name: str
    channel: str
    status: str = ""
    total_recipients: int | None = None
    created_at: str | None = None
    delivered: int | None = None
    failed: int | None = None
    sent_at: str | None = None
    completed_at: str | None = None

    @property
    def valid_id(self) -> bool:
        return is_campaign_id(self.id)

    @classmethod
    def from_json(cls, doc: Any) -> RemoteCampaign:
        if not isinstance(doc, Mapping):
            raise ResponseShapeError("unexpected campaign in the API's answer: not an object")
        cid, name = doc.get("id"), doc.get("name")
        if not isinstance(cid, str) or not isinstance(name, str):
            raise ResponseShapeError("unexpected campaign in the API's answer: no id or name")

        def num(key: str) -> int | None:
            value = doc.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        def text(key: str) -> str | None:
            value = doc.get(key)
            return value if isinstance(value, str) else None

        return cls(
            id=cid,
            name=name,
            channel=text("channel") or "",
            status=text("status") or "",
            total_recipients=num("total_recipients"),
            created_at=text("created_at"),
            delivered=num("delivered"),
            failed=num("failed"),
            sent_at=text("sent_at"),
            completed_at=text("completed_at"),
        )


@dataclass(frozen=True)
class Credits:
    balance: float
    currency: str


@dataclass(frozen=True)
class RegisteredSender:
    sender_id: str
    channel: str | None
    status: str | None


def senders_from(doc: Any) -> list[RegisteredSender] | None:
    """The registered sender IDs of an answer to GET /sender-ids, or None when it is not a
    shape this understands. The shape is not documented: a `data` list (or a bare list) of
    objects whose ID is under `sender_id`, `id`, `value` or `name`."""
    items = doc.get("data") if isinstance(doc, Mapping) else doc
    if not isinstance(items, list):
        return None
    out: list[RegisteredSender] = []
    for item in items:
        if not isinstance(item, Mapping):
            return None
        value = next((item[k] for k in ("sender_id", "id", "value", "name")
                      if isinstance(item.get(k), str)), None)
        if value is None:
            return None
        channel = item.get("channel")
        status = item.get("status")
        out.append(RegisteredSender(value, channel if isinstance(channel, str) else None,
                                    status if isinstance(status, str) else None))
    return out

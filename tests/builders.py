"""Small builders for tests: campaigns, account campaigns and states without any file."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from reconciler.definitions import Campaign
from reconciler.diagnostics import Location
from reconciler.plan import Inputs, Plan, make_plan
from reconciler.remote import RegisteredSender, RemoteCampaign
from reconciler.state import Entry, Intent, State

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)
LATER = "2030-02-01T09:00:00Z"


def campaign(name: str = "Sale", **fields: Any) -> Campaign:
    values: dict[str, Any] = {
        "channel": "sms", "contact_list_id": "lst_a", "sender_id": "BRAND", "body": "hi",
        "scheduled_at": LATER,
    }
    values.update(fields)
    return Campaign(name=name, location=Location("c.yaml", 3, 1), **values)


def remote(cid: str, name: str = "Sale", channel: str = "sms") -> RemoteCampaign:
    return RemoteCampaign(id=cid, name=name, channel=channel, status="completed")


def entry(cid: str, c: Campaign | None = None, channel: str = "sms",
          digest: str | None = None) -> Entry:
    return Entry(id=cid, channel=channel, digest=digest or (c or campaign()).digest(),
                 origin="created", at="2029-12-01T00:00:00Z", file="c.yaml")


def state(entries: dict[str, Entry] | None = None,
          pending: dict[str, Intent] | None = None) -> State:
    return State(api_url="sandbox", lineage="lin-1", serial=3, campaigns=dict(entries or {}),
                 pending=dict(pending or {}))


SENDERS = [RegisteredSender("BRAND", "sms", "approved")]


def plan_of(campaigns: list[Campaign], remotes: list[RemoteCampaign] | None = None,
            st: State | None = None, **kw: Any) -> Plan:
    kw.setdefault("senders", SENDERS)
    return make_plan(Inputs(campaigns=campaigns, remote=remotes or [], state=st or state(),
                            now=NOW, now_epoch=NOW.timestamp(), **kw))

"""The sandbox's account: contact lists, sender IDs, credits and campaigns, persisted to a file.

Campaigns are append-only, as in the real API (no update, cancel or delete). The data file
is a JSON snapshot plus a `.log` of campaigns created since, one JSON object per line, so
that a create costs the same however many campaigns the account holds; `compact()` folds
the log into the snapshot (on a clean shutdown).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass
class ContactList:
    id: str
    size: int
    fail_share: float = 0.04  # share of messages that end undelivered
    broken: bool = False  # every campaign to it ends in status `failed`


@dataclass
class SenderId:
    sender_id: str
    channel: str
    status: str  # approved, pending, ...


@dataclass
class StoredCampaign:
    id: str
    name: str
    channel: str
    contact_list_id: str
    sender_id: str
    body: str | None
    template: dict[str, Any] | None
    scheduled_at: str | None
    total_recipients: int
    created_at: str
    cost: int


@dataclass
class Account:
    contact_lists: dict[str, ContactList] = field(default_factory=dict)
    sender_ids: list[SenderId] = field(default_factory=list)
    credits: int = 0
    currency: str = "USD"
    campaigns: list[StoredCampaign] = field(default_factory=list)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Account:
        return cls(
            contact_lists={
                c["id"]: ContactList(**c) for c in doc.get("contact_lists", [])
            },
            sender_ids=[SenderId(**s) for s in doc.get("sender_ids", [])],
            credits=int(doc.get("credits", 0)),
            currency=str(doc.get("currency", "USD")),
            campaigns=[StoredCampaign(**c) for c in doc.get("campaigns", [])],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "contact_lists": [asdict(c) for c in self.contact_lists.values()],
            "sender_ids": [asdict(s) for s in self.sender_ids],
            "credits": self.credits,
            "currency": self.currency,
            "campaigns": [asdict(c) for c in self.campaigns],
        }


def default_seed() -> dict[str, Any]:
    """The account the quick start runs against: it matches `campaigns.example/`."""
    text = resources.files("reconciler.sandbox").joinpath("seed.json").read_text("utf-8")
    seed: dict[str, Any] = json.loads(text)
    return seed


def seed_for(environment: str) -> dict[str, Any]:
    """The default account as an environment's own: every list and sender ID differs, as
    a staging account's do from production's (`lst_customers` is `lst_staging_customers`,
    `MYBRAND` is `MYBRANDSTA`, `news@myapp.ao` is `news+staging@myapp.ao`)."""
    seed = default_seed()

    def list_id(value: str) -> str:
        return f"lst_{environment}_{value.removeprefix('lst_')}"

    def sender_id(value: str) -> str:
        if value.startswith("+") and value[1:].isdigit():  # E.164: another number
            return value[:-3] + f"{sum(environment.encode()) % 1000:03d}"
        if "@" in value:
            local, _, domain = value.partition("@")
            return f"{local}+{environment}@{domain}"
        if value.isalnum():  # a Sender ID: at most 11 letters and digits
            return value[:8] + environment[:3].upper()
        return f"{value}-{environment}"

    for item in seed["contact_lists"]:
        item["id"] = list_id(item["id"])
    for item in seed["sender_ids"]:
        item["sender_id"] = sender_id(item["sender_id"])
    for item in seed["campaigns"]:
        item["contact_list_id"] = list_id(item["contact_list_id"])
        item["sender_id"] = sender_id(item["sender_id"])
    return seed


class AccountStore:
    """Loads and saves an `Account` at `path` (snapshot + append-only log)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.log_path = path.with_name(path.name + ".log") if path else None
        self.dirty = False  # nothing is written for an account that was only read

    def load(self, seed: dict[str, Any] | None = None) -> Account:
        if self.path is None or not self.path.exists():
            return Account.from_json(seed if seed is not None else default_seed())
        account = Account.from_json(json.loads(self.path.read_text("utf-8")))
        if self.log_path is not None and self.log_path.exists():
            for line in self.log_path.read_text("utf-8").splitlines():
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    break  # a torn last line from a killed server: what follows never happened
                account.campaigns.append(StoredCampaign(**entry["campaign"]))
                account.credits = int(entry["credits"])
        return account

    def record_create(self, account: Account, campaign: StoredCampaign) -> None:
        if self.path is None or self.log_path is None:
            return
        if not self.path.exists():
            # The first write of a new account: its snapshot (without this campaign) first.
            snapshot = Account.from_json(account.to_json())
            snapshot.campaigns = [c for c in snapshot.campaigns if c.id != campaign.id]
            snapshot.credits += campaign.cost
            self._write_snapshot(snapshot)
        self.dirty = True
        line = json.dumps({"campaign": asdict(campaign), "credits": account.credits})
        with open(self.log_path, "a", encoding="utf-8", newline="\n") as f:
            f.write(line + "\n")

    def compact(self, account: Account) -> None:
        has_log = self.log_path is not None and self.log_path.exists()
        if self.path is None or not (self.dirty or has_log):
            return
        self._write_snapshot(account)
        if self.log_path is not None and self.log_path.exists():
            self.log_path.unlink()

    def _write_snapshot(self, account: Account) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                json.dump(account.to_json(), f, indent=1)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

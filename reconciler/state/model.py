"""The state's values: one Entry per managed campaign, the creates in flight, the State."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from reconciler import clock
from reconciler.errors import Locked, UserError
from reconciler.remote import is_campaign_id

# The format written. Version 2 added each entry's `blob`; a version 1 file (no entry has
# one) is read as it is, and written back as version 2. A tool that reads only version 1
# refuses a version 2 file by its version, instead of tripping over the new field.
STATE_VERSION = 2
READABLE_VERSIONS = (1, 2)

Origin = Literal["created", "adopted"]
# What a journal line says happened (its "op", written as this string): a create is about
# to be sent, its campaign recorded, it certainly made nothing, an entry removed or renamed.
JournalOp = Literal["intent", "record", "resolved", "forget", "move"]


class StateError(UserError):
    """The state cannot be used as it is; the message says what to do."""


class StateLocked(StateError, Locked):
    """Another writer holds the state's lock: an apply that meets it is refused."""


def utc_now() -> str:
    return clock.utc_text(clock.now())


@dataclass(frozen=True)
class Entry:
    """One managed campaign."""

    id: str
    channel: str
    digest: str  # of the definition it was created from (or adopted with)
    origin: Origin
    at: str  # when it was created or adopted (UTC)
    file: str  # the definition file, as given on the command line
    # The git blob ID of that file's bytes as they were read when the campaign was created
    # or adopted: `git cat-file blob` gives the definition as it was sent, for the plan to
    # show what changed since (`reconciler.plan.sentdiff`). None: recorded before there was one.
    blob: str | None = None

    def to_json(self) -> dict[str, str]:
        doc = {"id": self.id, "channel": self.channel, "digest": self.digest,
               "origin": self.origin, "at": self.at, "file": self.file}
        if self.blob is not None:
            doc["blob"] = self.blob
        return doc

    @classmethod
    def from_json(cls, doc: Any, where: str) -> Entry:
        if not isinstance(doc, Mapping):
            raise StateError(f"{where}: an entry must be an object")
        try:
            entry = cls(**{k: str(doc[k]) for k in ("id", "channel", "digest", "origin", "at",
                                                     "file")})  # type: ignore[arg-type]
        except KeyError as missing:
            raise StateError(f"{where}: entry has no {missing}") from None
        if not is_campaign_id(entry.id) or entry.origin not in ("created", "adopted"):
            raise StateError(f"{where}: entry has an invalid id or origin")
        blob = doc.get("blob")
        if blob is None:
            return entry
        if not is_blob_id(blob):
            raise StateError(f"{where}: entry has an invalid blob (40 hexadecimal digits)")
        return replace(entry, blob=blob)


@dataclass(frozen=True)
class Intent:
    """A create that was sent, and whose result the journal does not (yet) hold."""

    name: str
    key: str  # the Idempotency-Key it was sent with
    at: str  # this machine's clock, as text
    at_epoch: float  # this machine's clock, in seconds since the epoch
    # The server's clock when it was sent, at the latest (its answers' Date headers); None
    # when the server gave no usable Date. The in-flight grace is measured on it.
    server_epoch: float | None = None

    def to_record(self, lineage: str, api_url: str) -> dict[str, Any]:
        """The journal line that says it was sent."""
        op: JournalOp = "intent"
        return {"op": op, "name": self.name, "key": self.key, "at": self.at,
                "epoch": self.at_epoch, "server_epoch": self.server_epoch,
                "lineage": lineage, "api_url": api_url}


@dataclass
class State:
    api_url: str
    lineage: str = field(default_factory=lambda: str(uuid.uuid4()))
    serial: int = 0
    campaigns: dict[str, Entry] = field(default_factory=dict)
    pending: dict[str, Intent] = field(default_factory=dict)  # replayed from the journal
    exists: bool = False
    # The fingerprint of the file alone, before its journal was replayed: what a saved plan
    # made before an interrupted apply was made against.
    file_fingerprint: str | None = None
    replayed: bool = False  # a journal was found beside the state: the next save folds it

    def fingerprint(self) -> str:
        """What a saved plan was made against: lineage, serial and every entry."""
        doc = {"lineage": self.lineage if self.exists else None, "serial": self.serial,
               "campaigns": {k: v.to_json() for k, v in sorted(self.campaigns.items())}}
        canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "lineage": self.lineage,
            "serial": self.serial,
            "api_url": self.api_url,
            "campaigns": {name: e.to_json() for name, e in self.campaigns.items()},
        }



def new_entry(entry_id: str, channel: str, digest: str, origin: Origin, file: str,
              blob: str | None = None) -> Entry:
    return Entry(id=entry_id, channel=channel, digest=digest, origin=origin, at=utc_now(),
                 file=file, blob=blob)


_BLOB_ID = re.compile(r"[0-9a-f]{40}")


def is_blob_id(value: Any) -> bool:
    """A git blob ID as the state records it: SHA-1, 40 lowercase hexadecimal digits."""
    return isinstance(value, str) and _BLOB_ID.fullmatch(value) is not None



def dump(doc: Any) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


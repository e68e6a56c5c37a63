"""A campaign as the repository defines it (`Campaign`), and what reading the definitions
gives (`Definitions`): the values the checks, the plan and the renderers read.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from reconciler.diagnostics import Diagnostic, Findings, Location
from reconciler.schema.located import Mark

if TYPE_CHECKING:
    from reconciler.channels import MessageView
    from reconciler.channels.sms import SmsInfo


@dataclass(frozen=True, slots=True)
class Campaign:
    """One campaign as defined in the repository, valid against the schema.

    Slots, not an instance dict: a repository of 100,000 campaigns holds 100,000 of them.
    """

    name: str
    channel: str
    contact_list_id: str
    sender_id: str
    location: Location
    body: str | None = None
    template: Mapping[str, Any] | None = None
    scheduled_at: str | None = None  # normalised to UTC, `...Z`
    previous_names: tuple[str, ...] = ()
    description: str | None = None
    template_text: str | None = None  # local only: the approved template's text, for review
    purpose: str | None = None
    skip_checks: tuple[str, ...] = ()
    environments: tuple[str, ...] = ()  # empty: every environment
    # Aliases the configuration resolves per environment (`aliases.resolve`), when the
    # definition names its list or sender that way; the IDs above are "" until then.
    contact_list: str | None = None
    sender: str | None = None
    # Where each field's value stands: (lines below the campaign's own line, column).
    field_marks: Mapping[str, Mark] = field(default_factory=dict, compare=False)
    # Where the fields it takes from its file's `defaults:` stand, when they are not in
    # `field_marks`: one mapping shared by the campaigns of the file.
    defaults_at: Mapping[str, Location] = field(default_factory=dict, compare=False)
    # The bytes of the file it was read from (shared by its campaigns), so that a check
    # can locate what it found inside a field's value (a link in a body).
    source: bytes | None = field(default=None, compare=False, repr=False)
    # `scheduled_at` as an aware datetime, read once (the checks ask for it many times).
    _sends_at: datetime | None = field(init=False, repr=False, compare=False)
    # What `sms()` found, once asked: the checks, the cost and the renderers each ask.
    _sms: SmsInfo | None = field(init=False, default=None, repr=False, compare=False)
    _view: MessageView | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        when = None if self.scheduled_at is None else \
            datetime.fromisoformat(self.scheduled_at.replace("Z", "+00:00"))
        object.__setattr__(self, "_sends_at", when)

    def sms(self) -> SmsInfo:
        """The body's SMS encoding, length and segments (`channels.sms.sms_info`), worked
        out once a campaign."""
        info = self._sms
        if info is None:
            info = _sms_info(self.body or "")
            object.__setattr__(self, "_sms", info)
        return info

    def view(self) -> MessageView:
        """The message as its recipient sees it (`channels.view_of`), made once."""
        shown = self._view
        if shown is None:
            from reconciler.channels import view_of

            shown = view_of(self)
            object.__setattr__(self, "_view", shown)
        return shown

    def payload(self) -> dict[str, Any]:
        """The exact JSON body that creates this campaign (local-only fields left out)."""
        body: dict[str, Any] = {
            "name": self.name,
            "channel": self.channel,
            "contact_list_id": self.contact_list_id,
            "sender_id": self.sender_id,
        }
        if self.body is not None:
            body["body"] = self.body
        if self.template is not None:
            body["template"] = plain(self.template)
        body["scheduled_at"] = self.scheduled_at
        return body

    def digest(self) -> str:
        """A fingerprint of what is sent, name aside: it changes when the message would."""
        content = {k: v for k, v in self.payload().items() if k != "name"}
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def sends_at(self) -> datetime | None:
        """`scheduled_at` as an aware datetime; None: sends the moment it is created."""
        return self._sends_at

    def exists_in(self, environment: str | None) -> bool:
        """Whether this campaign is defined for `environment` (None: no environments)."""
        return not self.environments or environment in self.environments

    def location_of(self, name: str) -> Location:
        """Where a field's value stands (where `defaults` set it, if it came from there)."""
        mark = self.field_marks.get(name)
        if mark:
            return Location(self.location.file, self.location.line + mark[0], mark[1])
        return self.defaults_at.get(name, self.location)

    def fields_placed(self) -> list[str]:
        """The fields whose place in the file is known (`location_of`)."""
        return [*self.field_marks, *(k for k in self.defaults_at if k not in self.field_marks)]


@dataclass
class Definitions(Findings):
    """The outcome of reading definition paths: campaigns and every problem found."""

    campaigns: list[Campaign]
    diagnostics: list[Diagnostic]
    files: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


@lru_cache(maxsize=4096)  # a body shared by many campaigns (a file's defaults) is measured once
def _sms_info(body: str) -> SmsInfo:
    from reconciler.channels.sms import sms_info  # loaded where an SMS is measured

    return sms_info(body)


def plain(value: Any) -> Any:
    """Located containers -> plain dicts and lists (for JSON and equality)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


_FRACTION = re.compile(r"\.(\d+)")


@lru_cache(maxsize=1024)  # the checks and the campaign read each send time in turn
def to_utc(text: str) -> str:
    """An RFC 3339 date-time with an offset -> the same instant as `YYYY-MM-DDTHH:MM:SSZ`."""
    text = text.replace("Z", "+00:00").replace("z", "+00:00").replace("t", "T")
    # RFC 3339 allows any number of fraction digits; Python 3.10 reads only 3 or 6.
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    parsed = datetime.fromisoformat(text)
    utc = parsed.astimezone(timezone.utc)  # OverflowError near the ends of the calendar
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return utc.strftime(fmt)

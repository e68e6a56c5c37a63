"""Who an apply would reach, and the limits on one apply: the blast radius.

A campaign cannot be recalled, and the costliest mistake is a send to the wrong audience:
the 2,400-contact newsletter list where the 120-person VIP list was meant, or a merge
that queues forty campaigns at once. The API does not give list sizes, so they are
learned: each campaign this repository sent reports its `total_recipients`, and the state
and the definitions say which list it went to (the latest wins); the configuration's
`list_sizes:` can name others. A list never sent to, and not configured, is of unknown
size: it is counted apart, never as zero recipients.

Limits (`limits:` in the configuration, per environment merged over the top level) bound
one apply: campaigns created, known recipients, known credits, and lists of unknown size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from reconciler import clock
from reconciler.config import Limits

if TYPE_CHECKING:  # types only: counting an audience loads no definitions
    from reconciler.definitions import Campaign
    from reconciler.remote import RemoteCampaign
    from reconciler.state import State


@dataclass(frozen=True)
class ListSize:
    """Contacts in a list, and where the figure comes from."""

    size: int
    source: str | None = None  # the campaign that reported it; None: the configuration
    at: str | None = None  # when that campaign was created

    def describe(self, now: datetime) -> str:
        """`from 'Weekend Sale', 2 days ago`, or `configured`."""
        if self.source is None:
            return "configured"
        return f"from {self.source!r}" + (f", {_ago(self.at, now)}" if self.at else "")


def _ago(when: str, now: datetime) -> str:
    try:
        seconds = (now - clock.parse(when)).total_seconds()
    except (ValueError, TypeError):
        return when
    days = int(seconds // 86400)
    if days >= 2:
        return f"{days} days ago"
    if days == 1:
        return "yesterday"
    hours = int(seconds // 3600)
    return f"{hours} hours ago" if hours >= 2 else "just now"


def list_sizes(campaigns: Sequence[Campaign], state: State,
               by_id: Mapping[str, RemoteCampaign],
               configured: Iterable[tuple[str, int]] = ()) -> dict[str, ListSize]:
    """The size of every list this repository sent to, learned from the account (the latest
    campaign wins), then the configured ones over them."""
    return sizes_of_lists({c.name: c.contact_list_id for c in campaigns}, state, by_id,
                          configured)


def sizes_of_lists(list_of: Mapping[str, str], state: State,
                   by_id: Mapping[str, RemoteCampaign],
                   configured: Iterable[tuple[str, int]] = ()) -> dict[str, ListSize]:
    """As `list_sizes`, with the list of each defined campaign given by name (`list_of`):
    what a saved plan records, so that apply counts as a fresh plan would."""
    seen: dict[str, ListSize] = {}
    for name, entry in state.campaigns.items():
        remote = by_id.get(entry.id)
        list_id = list_of.get(name)
        if remote is None or list_id is None or remote.total_recipients is None:
            continue
        when = remote.created_at or ""
        if list_id not in seen or when >= (seen[list_id].at or ""):
            seen[list_id] = ListSize(remote.total_recipients, name, remote.created_at)
    for list_id, size in configured:
        seen[list_id] = ListSize(size)
    return seen


@dataclass(frozen=True)
class AudienceTotals:
    """What an apply would create and reach."""

    campaigns: int
    recipients: int  # over the lists of known size
    credits: int  # likewise
    unknown_lists: tuple[str, ...]  # lists of unknown size, each once


@dataclass(frozen=True)
class Verdict:
    """One limit against its total: whether it is exceeded, and by which campaigns."""

    limit: str
    allowed: int
    total: int
    campaigns: tuple[str, ...]

    @property
    def exceeded(self) -> bool:
        return self.total > self.allowed

    def describe(self) -> str:
        """`max_recipients 1,000: 1,700 in this apply, over the limit ('A', 'B')`."""
        if not self.exceeded:
            return f"{self.limit} {self.allowed:,}: {self.total:,} in this apply, within it"
        shown = ", ".join(map(repr, self.campaigns[:10]))
        more = ", ..." if len(self.campaigns) > 10 else ""
        return (f"{self.limit} {self.allowed:,}: {self.total:,} in this apply, over the "
                f"limit ({shown}{more})")


@dataclass(frozen=True)
class Reach:
    """One campaign to create: its list, and its recipients and credits when the list's
    size is known (None: unknown)."""

    name: str
    list_id: str
    recipients: int | None
    credits: int | None


def audience_totals(reaches: Sequence[Reach]) -> AudienceTotals:
    recipients = sum(r.recipients for r in reaches if r.recipients is not None)
    credits = sum(r.credits for r in reaches if r.credits is not None)
    unknown = tuple(sorted({r.list_id for r in reaches if r.recipients is None}))
    return AudienceTotals(len(reaches), recipients, credits, unknown)


def verdicts(limits: Limits, reaches: Sequence[Reach]) -> list[Verdict]:
    """A verdict for every limit that is set."""
    found = audience_totals(reaches)
    names = tuple(r.name for r in reaches)
    known = tuple(r.name for r in reaches if r.recipients is not None)
    unknown = tuple(r.name for r in reaches if r.recipients is None)
    out = []
    for limit, total, who in (
        ("max_creates", found.campaigns, names),
        ("max_recipients", found.recipients, known),
        ("max_credits", found.credits, known),
        ("max_new_lists", len(found.unknown_lists), unknown),
    ):
        allowed = getattr(limits, limit)
        if allowed is not None:
            out.append(Verdict(limit, allowed, total, who))
    return out

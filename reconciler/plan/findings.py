"""The plan's located messages: each error verdict at the field at fault, and the warnings
a reviewer must see before an apply (a list never sent to, a send at once or too soon,
other campaigns of a managed name in the account, too few credits)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta

from reconciler.checks.review import sends_immediately
from reconciler.definitions import Campaign
from reconciler.diagnostics import Diagnostic, Severity
from reconciler.plan import wording
from reconciler.plan.audience import ListSize
from reconciler.plan.model import Action, Inputs, Item, Problem, cost
from reconciler.remote import RemoteCampaign

SOON = timedelta(minutes=15)  # a create scheduled sooner than this may be past when applied

# The field an error is located at, by its problem (the campaign's name for the others).
_FIELD_OF = {
    Problem.PAST: "scheduled_at",
    Problem.SENDER: "sender_id",
    Problem.OTHER_CHANNEL: "channel",
}


def item_diagnostic(item: Item) -> Diagnostic:
    """An error item as a located message, at the field at fault."""
    if item.diagnostic is not None:
        return item.diagnostic
    field_name = _FIELD_OF.get(item.problem) if item.problem else None
    where = item.campaign.location_of(field_name or "name")
    return Diagnostic(where, item.message, field=field_name or "name",
                      code=item.problem.value if item.problem else "plan")


def warnings(items: Sequence[Item], inputs: Inputs,
             by_name: Mapping[str, list[RemoteCampaign]],
             list_sizes: Mapping[str, ListSize]) -> list[Diagnostic]:
    """What a reviewer must see about the campaigns to create, the campaigns kept, and the
    account's credits."""
    creates = [i.campaign for i in items if i.action is Action.CREATE]
    out = list(_creates_warnings(creates, inputs.now, list_sizes))
    out.extend(_others_in_account(items, inputs, by_name))
    credits = _credits_warning(creates, inputs, list_sizes)
    if credits is not None:
        out.append(credits)
    return out


def _creates_warnings(creates: Sequence[Campaign], now: datetime,
                      list_sizes: Mapping[str, ListSize]) -> Iterator[Diagnostic]:
    warned: set[str] = set()  # lists of unknown size: one warning each, at its first create
    for c in creates:
        list_id = c.contact_list_id
        new_list = list_id not in list_sizes and list_id not in warned
        warned.add(list_id)
        yield from _create_warnings(c, now, new_list)


def _create_warnings(c: Campaign, now: datetime, new_list: bool) -> Iterator[Diagnostic]:
    """What a reviewer must see about one campaign to create: the first to a list never sent
    to (`new_list`), a send at once, a send too soon."""
    if new_list:
        where = "contact_list" if c.contact_list else "contact_list_id"
        yield Diagnostic(c.location_of(where), wording.first_list(c.contact_list_id),
                         field=where, severity=Severity.WARNING, code="first-list")
    at_once = sends_immediately(c)
    if at_once is not None:
        yield at_once
    elif c.sends_at is not None and c.sends_at <= now + SOON:
        yield Diagnostic(c.location_of("scheduled_at"), wording.scheduled_soon(SOON),
                         field="scheduled_at", severity=Severity.WARNING,
                         code="scheduled-soon")


def _others_in_account(items: Sequence[Item], inputs: Inputs,
                       by_name: Mapping[str, list[RemoteCampaign]]) -> Iterator[Diagnostic]:
    """Campaigns kept (in sync or renamed) whose name the account holds more than once."""
    for item in items:
        if item.action not in (Action.IN_SYNC, Action.RENAME):
            continue
        others = [r for r in by_name.get(item.name, ()) if r.id != item.remote_id]
        if others:
            recorded = inputs.state.campaigns.get(item.previous_name or item.name)
            yield Diagnostic(item.campaign.location_of("name"),
                             wording.others_in_account(item.name, others, recorded),
                             field="name", severity=Severity.WARNING,
                             code="duplicate-in-account")


def _credits_warning(creates: Sequence[Campaign], inputs: Inputs,
                     list_sizes: Mapping[str, ListSize]) -> Diagnostic | None:
    """Fewer credits than the creates need (at least one a recipient of each)."""
    credits = inputs.credits
    if not creates or credits is None:
        return None
    known = sum(cost(c, list_sizes[c.contact_list_id].size)
                for c in creates if c.contact_list_id in list_sizes)
    if credits.balance >= max(known, len(creates)):
        return None
    return Diagnostic(creates[0].location_of("name"),
                      wording.short_of_credits(credits.balance, len(creates), known),
                      severity=Severity.WARNING, code="credits")

"""A saved plan's audience, counted again at apply as a fresh plan would count it.

A plan saved while a list's size was unknown, or before `list_sizes:` or `limits:` changed,
must not carry its old figures past today's limits. So apply takes each create's list from
the plan's payload, the sizes from today's configuration and from what the account reports
now for the campaigns in the state (with the list of each, which the plan records), and the
credits from the create's own message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from reconciler.definitions import parse_document
from reconciler.plan.audience import Reach, sizes_of_lists
from reconciler.plan.model import Action, cost
from reconciler.plan.planfile import SavedPlan
from reconciler.remote import RemoteCampaign
from reconciler.state import State


def reaches_now(saved: SavedPlan, state: State, remote: Sequence[RemoteCampaign],
                configured: Iterable[tuple[str, int]]) -> list[Reach]:
    """Each create of `saved`, with its recipients and credits as counted today (None where
    the list's size is unknown)."""
    by_id = {r.id: r for r in remote}
    sizes = sizes_of_lists(saved.lists or {}, state, by_id, configured)
    # A plan saved without its lists: the sizes it displayed stand for what it learned.
    displayed = {r.name: r.recipients for r in saved.reaches} if saved.lists is None else {}
    out = []
    for work in saved.work:
        if work.action is not Action.CREATE:
            continue
        list_id = str(work.payload.get("contact_list_id"))
        size = sizes.get(list_id)
        recipients = size.size if size is not None else displayed.get(work.name)
        out.append(Reach(work.name, list_id, recipients,
                         None if recipients is None else _credits(work.payload, recipients)))
    return out


def _credits(payload: dict[str, object], recipients: int) -> int:
    """What the create costs: recipients x SMS segments, as the plan counts it."""
    campaigns, _ = parse_document("saved plan", json.dumps(payload).encode("utf-8"))
    if len(campaigns) != 1:  # not reached: apply checks every create as a definition first
        return recipients
    return cost(campaigns[0], recipients)

"""The plan: a pure function of (definitions, account snapshot, state, now) -> Plan.

No HTTP and no files here: `make_plan` is tested without any server. Every defined
campaign gets exactly one verdict (`verdict.py`, where the rules are, in order); the
review checks of what is created, and the plan's warnings (`findings.py`), come after.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from reconciler.checks.config import QuietHours
from reconciler.checks.review import checked
from reconciler.clock import utc_text
from reconciler.diagnostics import Diagnostic
from reconciler.plan import audience
from reconciler.plan.audience import ListSize
from reconciler.plan.findings import item_diagnostic, warnings
from reconciler.plan.model import (
    CHANGES,
    Action,
    Inputs,
    Item,
    Orphan,
    Plan,
    Problem,
    cost,
    covered_names,
)
from reconciler.plan.verdict import Account, verdict
from reconciler.plan.wording import ahead_message, described
from reconciler.remote import RemoteCampaign
from reconciler.state import State

# The plan's values and rules, importable from here as before they had modules of their own.
__all__ = ["CHANGES", "Action", "Inputs", "Item", "Orphan", "Plan", "Problem",
           "account_fingerprint", "ahead_message", "cost", "covered_names", "described",
           "item_diagnostic", "make_plan", "refused_by_check"]


def account_fingerprint(remote: Iterable[RemoteCampaign], names: Iterable[str]) -> str:
    """What the account held under `names`: a saved plan is stale when this changes."""
    wanted = set(names)
    rows = sorted((c.name, c.id, c.channel) for c in remote if c.name in wanted)
    digest = hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()
    return "sha256:" + digest


def make_plan(inputs: Inputs) -> Plan:
    state = inputs.state
    account = Account.of(inputs.remote)
    items, claimed_state = _items(inputs, account)
    configured = inputs.checks.list_sizes if inputs.checks else ()
    list_sizes = audience.list_sizes(inputs.campaigns, state, account.by_id, configured)
    diagnostics, refused = _diagnostics(items, inputs, account, list_sizes)
    items = [refused_by_check(i, refused[i.name]) if i.name in refused else i for i in items]
    defined_names = {n for c in inputs.campaigns for n in (c.name, *c.previous_names)}
    return Plan(
        items=items,
        orphans=_orphans(state, account, claimed_state | defined_names),
        unmanaged=_unmanaged(inputs.remote, state, defined_names),
        diagnostics=sorted(diagnostics, key=Diagnostic.sort_key),
        credits=inputs.credits,
        senders_verified=inputs.senders is not None,
        api_url=state.api_url,
        state_lineage=state.lineage if state.exists else None,
        state_serial=state.serial,
        state_fingerprint=state.fingerprint(),
        account_fingerprint=account_fingerprint(inputs.remote, covered_names(items)),
        generated_at=utc_text(inputs.now),
        account_ids=frozenset(account.by_id),
        account_total=inputs.account_total,
        zone=(inputs.checks.quiet_hours if inputs.checks else QuietHours()).zone,
        environment=inputs.environment,
        list_sizes=list_sizes,
        limits=inputs.limits,
    )


def _items(inputs: Inputs, account: Account) -> tuple[list[Item], set[str]]:
    """A verdict for every defined campaign, and the state entries they claim."""
    items: list[Item] = []
    claimed_state: set[str] = set()
    for campaign in inputs.campaigns:
        item, state_name = verdict(campaign, inputs, account)
        if state_name is not None:
            claimed_state.add(state_name)
        items.append(item)
    return items, claimed_state


def _orphans(state: State, account: Account, claimed: set[str]) -> list[Orphan]:
    """The state's entries that no definition claims, by its name or a previous one."""
    return [Orphan(name, entry, entry.id in account.by_id)
            for name, entry in sorted(state.campaigns.items()) if name not in claimed]


def _unmanaged(remote: Iterable[RemoteCampaign], state: State,
               defined_names: set[str]) -> list[RemoteCampaign]:
    """The account's campaigns that neither the definitions nor the state speak of."""
    state_ids = {e.id for e in state.campaigns.values()}
    found = [r for r in remote if r.name not in defined_names and r.id not in state_ids]
    return sorted(found, key=lambda r: (r.name, r.id))


def _diagnostics(items: Sequence[Item], inputs: Inputs, account: Account,
                 list_sizes: dict[str, ListSize],
                 ) -> tuple[list[Diagnostic], dict[str, Diagnostic]]:
    """The definitions' problems, the errors of the verdicts, the review checks of what
    is created, and the plan's warnings; and, by name, the first error of a review check
    of each create that has one."""
    diagnostics = list(inputs.definition_diagnostics)
    diagnostics.extend(item_diagnostic(i) for i in items if i.action is Action.ERROR)
    refused: dict[str, Diagnostic] = {}
    if inputs.checks is not None:
        creates = [i.campaign for i in items if i.action is Action.CREATE]
        for campaign, finding in checked(creates, inputs.checks, inputs.now,
                                         context=inputs.campaigns):
            diagnostics.append(finding)
            if finding.is_error:
                refused.setdefault(campaign.name, finding)
    diagnostics.extend(warnings(items, inputs, account.by_name, list_sizes))
    return diagnostics, refused


def refused_by_check(item: Item, finding: Diagnostic) -> Item:
    """A create with a review check's error is an error, never a create: apply refuses it."""
    return Item(item.name, Action.ERROR, item.campaign, problem=Problem.REVIEW_CHECK,
                message=finding.message, diagnostic=finding)

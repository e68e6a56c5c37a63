"""What the commands do, without click: read the account, make the plan, check a saved plan.

`plan.py` stays pure; this module is where the API client and the state meet it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from reconciler.api import ApiError, ListingStats, ZexaClient
from reconciler.apply import Work
from reconciler.checks import CheckConfig
from reconciler.definitions import Campaign, Definitions
from reconciler.diagnostics import Diagnostic, Location
from reconciler.plan import (
    IN_FLIGHT_GRACE,
    Action,
    Inputs,
    Plan,
    account_fingerprint,
    make_plan,
)
from reconciler.planfile import SavedPlan
from reconciler.remote import Credits, RemoteCampaign
from reconciler.state import State


class Refused(Exception):
    """Apply will not go ahead; the message says why and what to do."""


@dataclass
class Snapshot:
    remote: list[RemoteCampaign]
    credits: Credits | None
    senders_checked: bool


def select(definitions: Definitions, targets: Sequence[str]) -> tuple[list[Campaign],
                                                                      list[Diagnostic]]:
    """The campaigns named by `--target` (all when none), and an error per unknown target."""
    if not targets:
        return list(definitions.campaigns), []
    by_name = {c.name: c for c in definitions.campaigns}
    chosen = [by_name[t] for t in dict.fromkeys(targets) if t in by_name]
    problems = [
        Diagnostic(Location("--target", 1, 1), f"no campaign is named {t!r}", field="target")
        for t in targets if t not in by_name
    ]
    return chosen, problems


def build_plan(
    client: ZexaClient,
    state: State,
    campaigns: Sequence[Campaign],
    *,
    diagnostics: Sequence[Diagnostic] = (),
    now: datetime | None = None,
    in_flight_grace: float = IN_FLIGHT_GRACE,
    stats: ListingStats | None = None,
    checks: CheckConfig | None = None,
) -> Plan:
    """One listing of the account and two preflight reads (credits, sender IDs), then plan."""
    remote = client.list_campaigns(stats)
    try:
        credits = client.credits()
    except ApiError:
        credits = None  # shown as "could not be read"; the creates will tell
    senders = client.sender_ids()
    moment = now or datetime.now(timezone.utc)
    return make_plan(Inputs(
        campaigns=campaigns,
        remote=remote,
        state=state,
        now=moment,
        now_epoch=time.time() if now is None else moment.timestamp(),
        credits=credits,
        senders=senders,
        definition_diagnostics=diagnostics,
        in_flight_grace=in_flight_grace,
        checks=checks,
    ))


def check_fresh(plan: Plan, max_creates: int) -> None:
    """Refuse a plan with errors, or with more creates than allowed."""
    if plan.errors:
        raise Refused(f"Apply refused: the plan has {len(plan.errors)} "
                      f"error{'s' if len(plan.errors) != 1 else ''}; nothing was sent.")
    creates = len(plan.of(Action.CREATE))
    if creates > max_creates:
        raise Refused(
            f"Apply refused: the plan creates {creates} campaigns, more than --max-creates "
            f"{max_creates}. If that is intended, raise the limit; nothing was sent."
        )


def check_saved(saved: SavedPlan, state: State, remote: Sequence[RemoteCampaign],
                max_creates: int) -> list[Work]:
    """The work of a saved plan, if it still holds; otherwise `Refused` with the reason."""
    if saved.errors:
        raise Refused(f"Apply refused: the saved plan has {saved.errors} error(s).")
    if saved.api_url != state.api_url:
        raise Refused(f"Apply refused: the plan was made against {saved.api_url}, "
                      f"not {state.api_url}.")
    lineage = state.lineage if state.exists else None
    if saved.state_lineage != lineage or saved.state_serial != state.serial:
        raise Refused(
            "Apply refused: the state changed since the plan was made (lineage "
            f"{saved.state_lineage} serial {saved.state_serial}, now {lineage} serial "
            f"{state.serial}). Make a new plan."
        )
    if saved.state_fingerprint != state.fingerprint():
        raise Refused("Apply refused: the state changed since the plan was made (an "
                      "interrupted apply left records). Make a new plan.")
    if account_fingerprint(remote, saved.names) != saved.account_fingerprint:
        raise Refused(
            "Apply refused: the account changed since the plan was made (a campaign with "
            "one of its names appeared). Make a new plan."
        )
    creates = sum(1 for w in saved.work if w.action is Action.CREATE)
    if creates > max_creates:
        raise Refused(f"Apply refused: the plan creates {creates} campaigns, more than "
                      f"--max-creates {max_creates}.")
    return saved.work

"""`campaigns plan`: one listing of the account and two preflight reads, then the plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from reconciler import clock, planfile
from reconciler.checks import CheckConfig
from reconciler.client import ApiError, ListingStats, ZexaClient
from reconciler.config import Target
from reconciler.definitions import Campaign
from reconciler.diagnostics import Diagnostic
from reconciler.plan import IN_FLIGHT_GRACE, Inputs, Plan, make_plan
from reconciler.state import State, load
from reconciler.workflow.inputs import Access, connected

__all__ = ["Plan", "build_plan", "plan_target", "save_plan"]


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
    environment: str | None = None,
) -> Plan:
    """One listing of the account and two preflight reads (credits, sender IDs), then plan."""
    stats = stats or ListingStats()
    remote = client.list_campaigns(stats)
    try:
        credits = client.credits()
    except ApiError:
        credits = None  # shown as "could not be read"; the creates will tell
    senders = client.sender_ids()
    moment = now or clock.now()
    return make_plan(Inputs(
        campaigns=campaigns,
        remote=remote,
        state=state,
        now=moment,
        now_epoch=moment.timestamp(),
        credits=credits,
        senders=senders,
        definition_diagnostics=diagnostics,
        in_flight_grace=in_flight_grace,
        checks=checks,
        account_total=stats.reported_total,
        environment=environment,
    ))



def plan_target(access: Access, campaigns: Sequence[Campaign], *,
                diagnostics: Sequence[Diagnostic] = (),
                in_flight_grace: float = IN_FLIGHT_GRACE) -> Plan:
    """The plan of `campaigns` against the target's account and state (read, never written)."""
    target: Target = access.target
    with connected(access) as conn:
        state = load(Path(target.state_file), conn.api_url)
        return build_plan(conn.client, state, campaigns, diagnostics=diagnostics,
                          in_flight_grace=in_flight_grace, checks=target.checks,
                          environment=target.environment)


def save_plan(plan: Plan, path: Path) -> None:
    """`plan --out FILE`: the saved plan `campaigns apply FILE` carries out."""
    planfile.write(plan, path)

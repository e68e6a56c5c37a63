"""`campaigns plan`: one listing of the account and two preflight reads, then the plan."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from reconciler import clock
from reconciler.checks.config import CheckConfig
from reconciler.client import ApiError, ListingStats, ZexaClient
from reconciler.config import Limits, Target
from reconciler.definitions import Campaign
from reconciler.definitions.gctune import fewer_collections
from reconciler.definitions.gitblob import GitBlobs
from reconciler.diagnostics import Diagnostic
from reconciler.grace import IN_FLIGHT_GRACE, latest_known
from reconciler.plan import Inputs, Plan, make_plan
from reconciler.plan.sentdiff import SentLookup
from reconciler.remote import Credits
from reconciler.state import State, load
from reconciler.workflow.inputs import Access, connected

__all__ = ["Plan", "build_plan", "plan_target", "save_plan"]


def build_plan(
    client: ZexaClient,
    state: State | Callable[[], State],
    campaigns: Sequence[Campaign],
    *,
    diagnostics: Sequence[Diagnostic] = (),
    now: datetime | None = None,
    in_flight_grace: float = IN_FLIGHT_GRACE,
    stats: ListingStats | None = None,
    checks: CheckConfig | None = None,
    environment: str | None = None,
    limits: Limits | None = None,
    check_links: bool = False,
) -> Plan:
    """One listing of the account and two preflight reads (credits, sender IDs), then plan.
    The preflight reads run beside the listing: each is a round trip the plan would
    otherwise wait for in turn; so does the reading of the state, when `state` is the
    function that reads it. With `check_links` (or `links: {check: true}` in the
    configuration) the links of the campaigns to create are asked of their servers."""
    read_state = state if callable(state) else lambda: state
    with fewer_collections():  # the state, the listing and the plan: bulk, long-lived objects
        plan = _build_plan(client, read_state, campaigns, diagnostics=diagnostics, now=now,
                           in_flight_grace=in_flight_grace, stats=stats, checks=checks,
                           environment=environment, limits=limits or Limits())
    config = checks or CheckConfig()
    if check_links or config.links.check:
        from reconciler.workflow.links import check_plan_links  # loaded only when asked

        check_plan_links(plan, config)
    return plan


def _build_plan(
    client: ZexaClient,
    read_state: Callable[[], State],
    campaigns: Sequence[Campaign],
    *,
    diagnostics: Sequence[Diagnostic],
    now: datetime | None,
    in_flight_grace: float,
    stats: ListingStats | None,
    checks: CheckConfig | None,
    environment: str | None,
    limits: Limits,
) -> Plan:
    stats = stats or ListingStats()

    def read_credits() -> Credits | None:
        try:
            return client.credits()
        except ApiError:
            return None  # shown as "could not be read"; the creates will tell

    # The server's time before the listing, at the earliest (from earlier answers, if any).
    server_before = client.server_clock.earliest()
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="preflight") as pool:
        # The state file is read while the listing waits for its pages; the listing stays
        # in this thread, so that an interrupt stops it at once.
        state_read = pool.submit(read_state)
        credits_read = pool.submit(read_credits)
        senders_read = pool.submit(client.sender_ids)
        try:
            remote = client.list_campaigns(stats)
        except Exception:
            state_read.result()  # a state that cannot be used is told first, as before
            raise
        state = state_read.result()
        credits = credits_read.result()
        senders = senders_read.result()
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
        server_now=latest_known(server_before, stats.server_time),
        checks=checks,
        account_total=stats.reported_total,
        environment=environment,
        limits=limits,
        sent=SentLookup(GitBlobs()),  # what changed in a definition sent before, from git
    ))



def plan_target(access: Access, campaigns: Sequence[Campaign], *,
                diagnostics: Sequence[Diagnostic] = (),
                in_flight_grace: float = IN_FLIGHT_GRACE,
                check_links: bool = False) -> Plan:
    """The plan of `campaigns` against the target's account and state (read, never written);
    `check_links`: with the online link check."""
    target: Target = access.target
    with connected(access) as conn:
        api_url = conn.api_url
        return build_plan(conn.client, lambda: load(Path(target.state_file), api_url),
                          campaigns, diagnostics=diagnostics, in_flight_grace=in_flight_grace,
                          checks=target.checks, environment=target.environment,
                          limits=target.limits, check_links=check_links)


def save_plan(plan: Plan, path: Path) -> None:
    """`plan --out FILE`: the saved plan `campaigns apply FILE` carries out."""
    from reconciler.plan import planfile  # and the applier's work format, only when saving

    planfile.write(plan, path)

"""`campaigns preview` without an account: the plan of the definitions alone.

No listing, no state and no key: every campaign is planned as if new, so that the review
checks, the configured list sizes, the limits and the schedule can still be shown. The
page says that no verdict was asked of an account.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler import clock
from reconciler.config import Target
from reconciler.definitions import Campaign
from reconciler.diagnostics import Diagnostic
from reconciler.plan import Inputs, Plan, make_plan
from reconciler.state import State


def definitions_plan(target: Target, campaigns: Sequence[Campaign], *,
                     diagnostics: Sequence[Diagnostic] = ()) -> Plan:
    """The plan of `campaigns` against an empty account and an empty state."""
    now = clock.now()
    return make_plan(Inputs(
        campaigns=campaigns, remote=(), state=State(api_url=""), now=now,
        now_epoch=now.timestamp(), definition_diagnostics=diagnostics,
        checks=target.checks, environment=target.environment, limits=target.limits))

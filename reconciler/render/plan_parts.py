"""What every format of a plan words alike: the comment's marker and title, a create's
cost and send time, the apply's totals, the target, a list and a sender as a reviewer
reads them, the links checked, and the advice for a campaign changed after it was sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from reconciler import clock
from reconciler.definitions import Campaign
from reconciler.plan import Item, Plan
from reconciler.plural import counted
from reconciler.render.schedule import local_time, relative
from reconciler.secret import public_url

MARKER = "<!-- zexa-campaigns-plan -->"


def marker(environment: str | None) -> str:
    """The hidden first line a CI step finds its comment by: one comment per environment."""
    return MARKER if environment is None else f"<!-- zexa-campaigns-plan:{environment} -->"


def title(environment: str | None) -> str:
    return "### Zexa campaigns plan" + (f": `{environment}`" if environment else "")


def cost_of(plan: Plan, item: Item) -> str:
    """`2 SMS segments (UCS-2), about 850 recipients (from 'Weekend Sale', 2 days ago),
    about 1,700 credits`: what a reviewer weighs."""
    c = item.campaign
    parts = []
    if c.channel == "sms" and c.body is not None:
        info = c.sms()
        parts.append(f"{counted(info.segments, 'SMS segment')} ({info.encoding})")
    size = plan.list_sizes.get(c.contact_list_id)
    credits = plan.estimated_credits(item)
    if size is None or credits is None:
        parts.append(f"size unknown: first campaign to {c.contact_list_id} from this "
                     "repository")
    else:
        parts.append(f"about {counted(size.size, 'recipient')} "
                     f"({size.describe(_generated(plan))}), about {credits:,} credits")
    return ", ".join(parts)


def _generated(plan: Plan) -> datetime:
    return clock.parse(plan.generated_at)


def totals_line(plan: Plan) -> str:
    """What this apply reaches, the known and the unknown apart: `This apply: 3 campaigns;
    about 850 recipients and 1,700 credits for the 2 campaigns to lists of known size;
    unknown for 1 campaign to 1 list of unknown size (lst_partners).`"""
    t = plan.totals
    known = [r for r in plan.reaches if r.recipients is not None]
    figures = (f"about {counted(t.recipients, 'recipient')} and "
               f"{counted(t.credits, 'credit')}")
    head = f"This apply: {counted(t.campaigns, 'campaign')}"
    if not t.unknown_lists:
        return f"{head}, {figures}."
    unknown = (f"{counted(len(t.unknown_lists), 'list')} of unknown size "
               f"({', '.join(t.unknown_lists)})")
    if not known:
        return f"{head}; recipients and credits unknown: {unknown}."
    return (f"{head}; {figures} for the {counted(len(known), 'campaign')} to lists of "
            f"known size; unknown for {counted(t.campaigns - len(known), 'campaign')} to "
            f"{unknown}.")


def when_of(item: Item, plan: Plan) -> str:
    """`2030-06-01T09:00:00Z (10:00 Africa/Luanda, Sat 1 Jun 2030), in 3 days`."""
    c = item.campaign
    if c.sends_at is None:
        return "immediately when applied"
    local = local_time(c.sends_at, plan.zone)
    return (f"{c.scheduled_at} ({local.hour} {plan.zone}, {local.day}), "
            f"{relative(c.sends_at - clock.parse(plan.generated_at))}")


def short_when(item: Item, plan: Plan) -> str:
    """`Sat 1 Jun 2030 10:00, in 3 days`: the table's cell (the UTC instant is in the
    message's block)."""
    c = item.campaign
    if c.sends_at is None:
        return "**immediately**"
    local = local_time(c.sends_at, plan.zone)
    return f"{local.day} {local.hour}, {relative(c.sends_at - clock.parse(plan.generated_at))}"


def api_shown(api_url: str, show: Callable[[str], str] = str) -> str:
    """`sandbox` or `sandbox:staging` (what a state records) as a reader says it; a URL
    with its credentials, query string and fragment masked (a state written before such
    URLs were refused may hold a key there)."""
    if api_url == "sandbox":
        return "the embedded sandbox"
    if api_url.startswith("sandbox:"):
        return f"the embedded sandbox of {api_url.removeprefix('sandbox:')}"
    return show(public_url(api_url))


def list_of(c: Campaign) -> str:
    """The contact list as a reviewer reads it: `customers → lst_stg_main` for an alias."""
    return f"{c.contact_list} → {c.contact_list_id}" if c.contact_list else c.contact_list_id


def sender_of(c: Campaign) -> str:
    return f"{c.sender} → {c.sender_id}" if c.sender else c.sender_id


def link_lines(plan: Plan) -> list[str]:
    """Each URL the online check asked, where it was sent on to (`→`), and its answer."""
    return [f"{link.trail()}: {link.problem or link.status}" for link in plan.links or ()]


def sent_advice(item: Item) -> str:
    """What to do about a definition changed after its campaign was sent."""
    return (f"{item.remote_id} goes out as it was sent: it cannot be updated or cancelled "
            "through the API. Revert the change so that the definition says what was sent. "
            "Giving the definition a new name creates a second campaign, which is sent as "
            "well as the first: only for a message that should go out in addition.")

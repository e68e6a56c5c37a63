"""Every message the plan writes, worded apart from the rules that choose them
(`verdict.py` for the verdicts, `findings.py` for the warnings): what went wrong, why it
matters when a create cannot be taken back, and the way out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from reconciler import clock
from reconciler.grace import Left
from reconciler.plural import counted
from reconciler.remote import RemoteCampaign
from reconciler.state import Entry, Intent

# The verdicts' errors, by the rule that chose them.


def missing(entry: Entry) -> str:
    return (f"the state's ID {entry.id} is no longer in the account; it was never deleted "
            "by this tool. Check the account, then `campaigns state rm` the entry if the "
            "campaign is truly gone")


def renamed_remotely(entry: Entry, remote: RemoteCampaign) -> str:
    return (f"the state's ID {entry.id} is now named {remote.name!r} in the account; if "
            "that is this campaign, add the name to previous_names")


def changed(entry: Entry) -> str:
    return (f"the definition changed after its campaign {entry.id} was {entry.origin}. That "
            "campaign goes out as it was sent: campaigns cannot be updated or cancelled "
            "through the API. Revert the change so that the definition says what was sent. "
            "A new name would create a second campaign, sent as well as the first")


def foreign_id(name: str, found: RemoteCampaign) -> str:
    return (f"the account holds a campaign named {name!r} whose ID {found.id!r} is not a "
            "campaign ID (cmp_...); it cannot be recorded, and creating another would send "
            "it twice. Ask the provider what it is, or give the definition a new name")


def duplicate(name: str, matches: Sequence[RemoteCampaign], lost: Intent | None) -> str:
    return (f"the account holds {len(matches)} campaigns named {name!r} "
            f"({described(matches, lost)}); which one this is cannot be told. Give the "
            "definition a new name, or record the right ID with `campaigns state import`")


def other_channel(name: str, found: RemoteCampaign, channel: str) -> str:
    return (f"the account's campaign {found.id} named {name!r} is on "
            f"{found.channel or 'an unknown channel'}, not {channel}; give the definition "
            "a new name")


def similar_name(found: RemoteCampaign) -> str:
    return (f"the account holds {found.name!r} ({found.id}), the same name but for spacing, "
            "case or Unicode form: a server may have normalised an earlier create of this "
            "campaign. If it is this campaign, write the name as the account has it, and "
            "the plan adopts it (or record it with `campaigns state import`); if not, give "
            "this one a name that differs in more than that")


def past(scheduled_at: str | None) -> str:
    return (f"{scheduled_at} is in the past; the API would refuse it (or, if it did not, "
            "send at once)")


def not_registered(sender_id: str, channel: str, others: Sequence[str]) -> str:
    hint = f" (it is registered for {', '.join(others)} only)" if others else ""
    return f"sender ID {sender_id!r} is not registered for {channel}{hint}"


def not_approved(sender_id: str, channel: str, status: str | None) -> str:
    return f"sender ID {sender_id!r} is {status} for {channel}, not approved"


# A create whose answer an earlier apply lost.


def waiting(intent: Intent, wait: Left, found_id: str | None) -> str:
    found = (f"; {found_id} has that name in the account, and is recorded then if no other "
             "copy appears") if found_id else ""
    return (f"an earlier apply sent this create at {intent.at} and did not get the answer; "
            "it may still land. Apply sends the rest first, waits out the "
            f"{_seconds(wait.seconds)} left of the in-flight grace (on the "
            f"{_clock_name(wait)}), then lists the account: it records the campaign if it "
            f"landed, and sends it again only if it did not{found}")


def ahead_message(intent: Intent, wait: Left) -> str:
    """Why an intent dated in the future cannot be waited out, and the way out."""
    return (f"an earlier apply's create of this campaign is dated {intent.at}, "
            f"{_seconds(wait.seconds)} after now on the {_clock_name(wait)}: more than the "
            "in-flight grace, so a clock was wrong and waiting would never settle it. "
            f"Settle it by listing: `campaigns state settle {intent.name!r}` records the "
            "campaign if it is in the account, and clears the intent if it is not")


def _clock_name(wait: Left) -> str:
    return ("server's clock" if wait.clock == "server" else "clock of this machine, since "
            "no server time is known for it (the server sends no usable Date header)")


def _seconds(seconds: float) -> str:
    whole = int(seconds) + (seconds % 1 > 0)
    return f"{whole} s" if whole < 3600 else f"{whole / 3600:.1f} h"


# The plan's warnings.


def first_list(list_id: str) -> str:
    return (f"first campaign to {list_id} from this repository: size unknown (it counts "
            "against `max_new_lists`; `list_sizes:` in the configuration can give it)")


def scheduled_soon(soon: timedelta) -> str:
    return (f"sends within {int(soon.total_seconds() // 60)} minutes of this plan; if apply "
            "runs later, the API will refuse a time in the past")


def others_in_account(name: str, others: Sequence[RemoteCampaign],
                      recorded: Entry | None) -> str:
    return (f"the account also holds {counted(len(others), 'other campaign')} named "
            f"{name!r} ({described(others, None, recorded)}), not managed here")


def short_of_credits(balance: float, creates: int, known: int) -> str:
    need = (f"the {creates} campaigns to create need at least {known:,} (for the lists "
            "whose size is known)" if known else
            f"not enough for even one recipient of each of the {creates} campaigns to "
            "create")
    return (f"the account has {balance:,.0f} credits; {need}. Creates would fail with "
            "insufficient_credits, or sending would pause")


def described(campaigns: Sequence[RemoteCampaign], lost: Intent | None,
              recorded: Entry | None = None) -> str:
    """IDs with when each was created, saying which came after a create whose answer was
    lost (`lost`, an intent still in flight) or after the recorded campaign (`recorded`):
    the late commit of a create a gateway gave up on looks exactly like that."""
    since, what = _since(lost, recorded)
    parts = []
    for r in sorted(campaigns, key=lambda r: (r.created_at or "", r.id)):
        when = f"created {r.created_at}" if r.created_at else "creation time unknown"
        late = since is not None and r.created_at is not None and \
            _instant(r.created_at) >= _instant(since)
        parts.append(f"{r.id}, {when}" + (f", {what}" if late else ""))
    return "; ".join(parts)


def _since(lost: Intent | None, recorded: Entry | None) -> tuple[str | None, str]:
    """From when a campaign counts as late, and what it is then likely to be."""
    if lost is not None:
        return lost.at, (f"after the create sent at {lost.at} whose answer was lost: likely "
                         "its late commit")
    if recorded is not None:
        return recorded.at, (f"after the recorded {recorded.id}: likely the late commit of "
                             "a create whose answer was lost, or someone else's")
    return None, ""


def _instant(text: str) -> datetime:
    try:
        return clock.parse(text)
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)

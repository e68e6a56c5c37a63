"""The verdict of one defined campaign: every rule that decides it, in the order they are
tried. The first rule that holds gives the verdict; where guessing could send a campaign
twice, or to the wrong people, the verdict is an error that stops an apply.

Known to the state (under its name, or else under one of its previous names):
  1. the state's ID is not in the account: error (missing-from-account);
  2. the account has that ID under a name the definition never had: error
     (id-under-another-name);
  3. the definition changed since its campaign was sent: error (changed-after-create);
  4. otherwise in sync, or rename when the state knows it under a previous name.
Unknown to the state, and the account holds its name (or else a previous name):
  5. an ID that is not a campaign ID among them: error (id-not-a-campaign-id);
  6. more than one campaign: error (duplicate-in-account);
  7. the one campaign is on another channel: error (other-channel);
  8. otherwise adopt, unless an earlier create of it may still land (11, 12).
Neither:
  9. the account holds the name but for spacing, case or Unicode form: error
     (similar-name-in-account);
  10. it is scheduled in the past: error (scheduled-in-the-past);
  11. an earlier apply sent its create and lost the answer (an intent in the state), and
      the intent is dated after now by more than the grace: error (create-in-flight);
  12. the same, within the grace: waiting (past it, the listing tells: the verdict stands);
  13. its sender ID is not registered, or not approved, for its channel: error
      (sender-not-registered), when the account's sender IDs could be read;
  14. otherwise create.
After these, the review checks of the creates (`make.py`): a create that a check at error
refuses is an error too (review-check-error).

The messages are worded in `wording.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from reconciler import names
from reconciler.definitions import Campaign
from reconciler.grace import Now, SentAt, left
from reconciler.plan import wording
from reconciler.plan.model import Action, Inputs, Item, Problem
from reconciler.plan.sentdiff import SentLookup
from reconciler.remote import RegisteredSender, RemoteCampaign
from reconciler.state import Entry, State


@dataclass
class Account:
    """The account's listing, looked up by name and by ID."""

    by_name: dict[str, list[RemoteCampaign]]
    by_id: dict[str, RemoteCampaign]

    @classmethod
    def of(cls, remote: Iterable[RemoteCampaign]) -> Account:
        by_name: dict[str, list[RemoteCampaign]] = {}
        by_id: dict[str, RemoteCampaign] = {}
        for campaign in remote:
            by_name.setdefault(campaign.name, []).append(campaign)
            by_id[campaign.id] = campaign
        return cls(by_name, by_id)

    @cached_property  # made only when something is to be created
    def similar(self) -> Mapping[str, list[str]]:
        """The account's names by what a server may normalise (`names.name_key`)."""
        return names.by_key(self.by_name)


class Decision(NamedTuple):
    item: Item  # the verdict
    state_name: str | None  # the state entry the campaign claims (None: the state has none)


def verdict(c: Campaign, inputs: Inputs, account: Account) -> Decision:
    """The verdict for one campaign, and the state entry it claims (if any)."""
    state_name = _state_name(c, inputs.state)
    if state_name is not None:
        entry = inputs.state.campaigns[state_name]
        return Decision(_known(c, entry, state_name, account, inputs.sent), state_name)
    for name in (c.name, *c.previous_names):
        matches = account.by_name.get(name)
        if matches:
            return Decision(_listed(c, name, matches, inputs), None)
    return Decision(_new(c, inputs, account), None)


def _state_name(c: Campaign, state: State) -> str | None:
    if c.name in state.campaigns:
        return c.name
    return next((old for old in c.previous_names if old in state.campaigns), None)


def _known(c: Campaign, entry: Entry, state_name: str, account: Account,
           sent: SentLookup | None) -> Item:
    """Rules 1 to 4: a campaign the state knows."""
    previous = state_name if state_name != c.name else None
    remote = account.by_id.get(entry.id)
    if remote is None:
        return Item(c.name, Action.ERROR, c, entry.id, previous, Problem.MISSING,
                    wording.missing(entry))
    if remote.name != c.name and remote.name not in c.previous_names:
        return Item(c.name, Action.ERROR, c, entry.id, previous, Problem.RENAMED_REMOTELY,
                    wording.renamed_remotely(entry, remote))
    if entry.digest != c.digest():
        diff = None if sent is None else sent.diff(c, state_name, entry.blob, entry.file,
                                                   entry.digest)
        return Item(c.name, Action.ERROR, c, entry.id, previous, Problem.CHANGED,
                    wording.changed(entry), sent=diff)
    return Item(c.name, Action.RENAME if previous else Action.IN_SYNC, c, entry.id, previous)


def _listed(c: Campaign, name: str, matches: Sequence[RemoteCampaign],
            inputs: Inputs) -> Item:
    """Rules 5 to 8: a campaign the state does not know, whose name (`name`: its own or a
    previous one) the account holds."""
    previous = name if name != c.name else None
    foreign = next((m for m in matches if not m.valid_id), None)
    if foreign is not None:
        return Item(c.name, Action.ERROR, c, None, previous, Problem.FOREIGN_ID,
                    wording.foreign_id(name, foreign))
    if len(matches) > 1:
        return Item(c.name, Action.ERROR, c, None, previous, Problem.DUPLICATE_NAME,
                    wording.duplicate(name, matches, inputs.state.pending.get(name)))
    (match,) = matches
    if match.channel != c.channel:
        return Item(c.name, Action.ERROR, c, match.id, previous, Problem.OTHER_CHANNEL,
                    wording.other_channel(name, match, c.channel))
    # No campaign found by listing is taken as this definition's while an earlier create of
    # it may still land: that one would be the definition's too, and a duplicate nobody
    # recorded.
    return _in_flight(Item(c.name, Action.ADOPT, c, match.id, previous), inputs)


def _new(c: Campaign, inputs: Inputs, account: Account) -> Item:
    """Rules 9 to 14: a campaign neither the state nor the account knows."""
    alike = account.similar.get(names.name_key(c.name))
    if alike:
        found = account.by_name[alike[0]][0]
        return Item(c.name, Action.ERROR, c, found.id, problem=Problem.SIMILAR_NAME,
                    message=wording.similar_name(found))
    if c.sends_at is not None and c.sends_at <= inputs.now:
        return Item(c.name, Action.ERROR, c, problem=Problem.PAST,
                    message=wording.past(c.scheduled_at))
    item = _in_flight(Item(c.name, Action.CREATE, c), inputs)
    if item.action is not Action.CREATE:
        return item
    problem = None if inputs.senders is None else _sender_problem(c, inputs.senders)
    if problem is not None:
        return Item(c.name, Action.ERROR, c, problem=Problem.SENDER, message=problem)
    return item


def _in_flight(item: Item, inputs: Inputs) -> Item:
    """Rules 11 and 12: `item` (an adopt or a create), unless an earlier apply sent its
    create without getting the answer, and a listing cannot yet prove it absent."""
    intent = inputs.state.pending.get(item.name)
    if intent is None:
        return item
    wait = left(SentAt.of(intent), Now(inputs.now_epoch, inputs.server_now),
                inputs.in_flight_grace)
    if wait.ahead:
        return Item(item.name, Action.ERROR, item.campaign, item.remote_id,
                    item.previous_name, Problem.IN_FLIGHT, wording.ahead_message(intent, wait))
    if wait.seconds <= 0:  # the grace is over: the listing the plan was made from tells
        return item
    return Item(item.name, Action.WAITING, item.campaign, item.remote_id, item.previous_name,
                message=wording.waiting(intent, wait, item.remote_id))


def _sender_problem(c: Campaign, senders: Sequence[RegisteredSender]) -> str | None:
    """Rule 13: why the campaign's sender ID cannot send on its channel (None: it can)."""
    same = [s for s in senders if s.sender_id == c.sender_id]
    on_channel = [s for s in same if s.channel in (None, c.channel)]
    if not on_channel:
        others = sorted({s.channel for s in same if s.channel})
        return wording.not_registered(c.sender_id, c.channel, others)
    if any(s.status in (None, "approved") for s in on_channel):
        return None
    return wording.not_approved(c.sender_id, c.channel, on_channel[0].status)

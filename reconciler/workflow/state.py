"""The `campaigns state` subcommands' rules: what may be forgotten, imported, unlocked or
merged, and how (under the lock, through the journal)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reconciler import clock, names
from reconciler.client import ListingStats
from reconciler.errors import UserError
from reconciler.grace import Now, SentAt, left
from reconciler.plural import counted
from reconciler.secret import public_url
from reconciler.state import (
    Entry,
    State,
    StateError,
    journal_path,
    load,
    new_entry,
    recording,
)
from reconciler.workflow.inputs import Access, connected

if TYPE_CHECKING:  # `state import` and `settle` read the definition; the others need none
    from reconciler.definitions import Campaign
    from reconciler.remote import RemoteCampaign

__all__ = [
    "Entry",
    "State",
    "StateError",
    "exists",
    "forget",
    "import_campaign",
    "install_merge_driver",
    "journal_note",
    "lock_holder",
    "merge",
    "public_url",
    "read",
    "settle",
    "unlock",
]


def read(path: Path) -> State:
    """The state file as it is, its journal replayed: the file, or at least the journal of
    an interrupted first apply, must exist."""
    if not exists(path):
        raise StateError(f"{path} does not exist (nothing has been applied with it yet).")
    return load(path, None)


def exists(path: Path) -> bool:
    """A state file, or the journal a first apply killed before writing one left."""
    return path.exists() or journal_path(path).exists()


def journal_note(path: Path, state: State) -> str | None:
    """What an interrupted apply's journal beside the state adds, if there is one."""
    if not state.replayed:
        return None
    where = "no state file yet" if not path.exists() else "the state file"
    return (f"{journal_path(path)} (an interrupted apply's journal; {where}) is included "
            f"above: {counted(len(state.pending), 'create')} in flight. The next apply, or "
            "`state` command that writes, folds it into the state.")


def forget(path: Path, names: Sequence[str], lock_timeout: float,
           confirm: Callable[[dict[str, str]], None]) -> None:
    """Under the lock: forget `names` (all must be in the state), after `confirm` heard
    their IDs (it raises to cancel). The account is not touched."""
    from reconciler.state.lock import locked

    with locked(path, "campaigns state rm", lock_timeout):
        state = read(path)
        missing = [n for n in names if n not in state.campaigns]
        if missing:
            raise StateError("not in the state: " + ", ".join(repr(n) for n in missing))
        confirm({n: state.campaigns[n].id for n in names})
        with recording(path, state) as journal:
            for n in names:
                journal.forget(n)


def import_campaign(access: Access, campaign: Campaign, campaign_id: str,
                    lock_timeout: float) -> None:
    """Record that the defined `campaign` is the account's `campaign_id`, once the account
    confirms its name (or a previous name) and channel. Sends nothing."""
    from reconciler.state.lock import locked

    path = Path(access.target.state_file)
    name = campaign.name
    with connected(access) as conn, locked(path, "campaigns state import", lock_timeout):
        state = load(path, conn.api_url)
        if name in state.campaigns:
            raise UserError(f"{name!r} is already in the state as "
                            f"{state.campaigns[name].id}; `campaigns state rm` it first.")
        remote = conn.client.get_campaign(campaign_id)
        if remote.name not in (campaign.name, *campaign.previous_names):
            raise UserError(f"{campaign_id} is named {remote.name!r} in the account, "
                            f"not {name!r}.")
        if remote.channel != campaign.channel:
            raise UserError(f"{campaign_id} is on {remote.channel}, not {campaign.channel}.")
        with recording(path, state) as journal:
            journal.record(name, new_entry(campaign_id, campaign.channel, campaign.digest(),
                                           "adopted", campaign.location.file,
                                           _blob(campaign)))


def _blob(campaign: Campaign) -> str | None:
    """The git blob ID of the file the definition was read from (see
    `reconciler.definitions.gitblob`)."""
    from reconciler.definitions.gitblob import blob_id

    return None if campaign.source is None else blob_id(campaign.source)


@dataclass(frozen=True)
class Settled:
    """What `settle` did: recorded `campaign_id`, or (None) cleared the intent."""

    campaign_id: str | None


def settle(access: Access, campaign: Campaign, grace: float, lock_timeout: float,
           on_wait: Callable[[float], None] = lambda left: None,
           sleep: Callable[[float], None] = time.sleep) -> Settled:
    """Settle by listing a create of the defined `campaign` that an earlier apply sent
    without getting the answer: record the campaign if the account holds it once; clear
    the intent once a listing proves it absent. Sends nothing.

    A listing proves it absent once the in-flight grace has passed since it was sent. The
    apply that sent it held the state's lock until it ended, so it was sent before this
    command took the lock: `grace` seconds after that, on this process's monotonic clock,
    it has landed or never will, whatever the clocks recorded in the journal say (an intent
    dated in the future, by a clock that was wrong, is settled that way). Sooner, where the
    intent's own time shows its grace over on the server's clock (or this machine's, when
    the server sends no Date)."""
    from reconciler.state.lock import locked

    path = Path(access.target.state_file)
    name = campaign.name
    with connected(access) as conn, locked(path, "campaigns state settle", lock_timeout):
        since_lock = time.monotonic()
        state = load(path, conn.api_url)
        intent = state.pending.get(name)
        if intent is None:
            raise UserError(f"no create of {name!r} is in flight in {path}: there is nothing "
                            "to settle (`campaigns state list` shows what is).")
        while True:
            listed_at = time.monotonic()
            stats = ListingStats()
            listing = conn.client.list_campaigns(stats)
            found = _found(listing, state, campaign)
            if found is not None:
                with recording(path, state) as journal:
                    journal.record(name, new_entry(found, campaign.channel, campaign.digest(),
                                                   "created", campaign.location.file,
                                                   _blob(campaign)))
                return Settled(found)
            wait = left(SentAt.of(intent), Now(clock.now().timestamp(), stats.server_time),
                        grace)
            due = since_lock + grace
            if not wait.ahead:
                due = min(due, listed_at + wait.seconds)
            if listed_at >= due:  # a listing taken after the grace: proven absent
                with recording(path, state) as journal:
                    journal.resolved(name)
                return Settled(None)
            on_wait(due - time.monotonic())
            sleep(max(0.0, due - time.monotonic()))


def _found(listing: Sequence[RemoteCampaign], state: State, campaign: Campaign) -> str | None:
    """The ID of the one campaign of the definition's name that no other entry holds
    (None: there is none); a UserError when it cannot be recorded on a guess."""
    from reconciler.apply.settle import unaccounted_by_name

    name = campaign.name
    ours = {e.id for e in state.campaigns.values()}
    appeared = unaccounted_by_name(listing, ours)
    found = appeared.get(name, [])
    if len(found) > 1:
        ids = ", ".join(sorted(r.id for r in found))
        raise UserError(f"{len(found)} campaigns named {name!r} are in the account ({ids}): "
                        "the create landed more than once. Keep the one to manage with "
                        f"`campaigns state import {name!r} ID`; the intent stays until then.")
    if found:
        remote = found[0]
        if not remote.valid_id or remote.channel != campaign.channel:
            raise UserError(f"the account lists {name!r} as {remote.id!r} on "
                            f"{remote.channel or 'an unknown channel'}, which cannot be "
                            f"recorded for this {campaign.channel} definition (not a campaign "
                            "ID, or another channel); the intent stays.")
        return remote.id
    alike = names.by_key(appeared).get(names.name_key(name), [])
    if alike:
        other = appeared[alike[0]][0]
        raise UserError(f"the account holds {other.name!r} ({other.id}), the same name but "
                        "for spacing, case or Unicode form: the server may have stored this "
                        "create in that form. If it is this campaign, write the name as the "
                        "account has it and the plan adopts it; the intent stays.")
    return None


def lock_holder(path: Path) -> str | None:
    """Who holds the state's lock ("an unknown holder" for a lock file without a holder),
    or None when it is not locked."""
    from reconciler.state.lock import read_holder

    holder = read_holder(path)
    if holder is None and not path.with_name(path.name + ".lock").exists():
        return None
    return holder.describe() if holder else "an unknown holder"


def unlock(path: Path) -> None:
    from reconciler.state.lock import force_unlock

    force_unlock(path)


def install_merge_driver(state_files: Sequence[str], folder: Path = Path(".")) -> list[str]:
    """Set this clone up to merge the state files entry by entry: a `.gitattributes` line
    for each of `state_files` (in `folder`, committed with the repository), and the driver
    in the clone's git configuration. Idempotent; returns the lines it added."""
    from reconciler.ci.git import Git, install_driver

    return install_driver(Git(folder), state_files, folder / ".gitattributes")


def merge(base: Path, ours: Path, theirs: Path) -> list[str]:
    """The git merge driver: BASE, OURS and THEIRS merged into OURS; a line per clash."""
    from reconciler.state.merge import merge_files

    return [clash.describe() for clash in merge_files(base, ours, theirs)]

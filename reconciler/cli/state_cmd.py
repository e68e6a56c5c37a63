"""`campaigns state ...`: settle by hand what the tool will not guess."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any

import click

from reconciler.cli.group import cli
from reconciler.cli.options import (
    F,
    access,
    api_options,
    definitions_or_exit,
    fail,
    format_option,
    grace,
    settings_or_exit,
    target_options,
    target_or_exit,
    user_errors,
)
from reconciler.plural import counted
from reconciler.render import state as render_state
from reconciler.render.common import Style
from reconciler.workflow import state as state_ops
from reconciler.workflow.inputs import DEFAULT_STATE

# -- state ----------------------------------------------------------------------------------


@cli.group("state")
def state_group() -> None:
    """Inspect the state file, and settle by hand what the tool will not guess."""


def state_option(func: F) -> F:
    """--env, --state and --config, resolved into the `state_file` the command receives."""

    @functools.wraps(func)
    def resolved(*args: Any, env_name: str | None, state_file: str | None,
                 config_file: str | None, **kwargs: Any) -> Any:
        target, _ = target_or_exit(config_file, env_name, state_file)
        return func(*args, state_file=target.state_file, **kwargs)

    return target_options(resolved)  # type: ignore[return-value]


def read_state(state_file: str) -> state_ops.State:
    with user_errors():
        return state_ops.read(Path(state_file))


@state_group.command("list")
@state_option
@format_option(["text", "json"], "json: the state itself (schemas/state.schema.json).")
def state_list(state_file: str, fmt: str) -> None:
    """List the managed campaigns: name, ID, channel, origin, when, file."""
    state = read_state(state_file)
    click.echo(render_state.RENDERERS[fmt](state, Style()), nl=False)
    if fmt == "json":
        return
    note = state_ops.journal_note(Path(state_file), state)
    if note:
        click.echo(note)


@state_group.command("show")
@state_option
@click.argument("name")
def state_show(state_file: str, name: str) -> None:
    """Show one entry as JSON: {"format_version": 1, "name": …, "entry": {…}}."""
    state = read_state(state_file)
    entry = state.campaigns.get(name)
    if entry is None:
        fail(f"Error: {name!r} is not in {state_file}.")
    click.echo(json.dumps({"format_version": 1, "name": name, "entry": entry.to_json()},
                          indent=2, sort_keys=True, ensure_ascii=False))


def _ask(question: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        fail("Refused: standard input is not a terminal; pass --yes to confirm.")
    if not click.confirm(question, default=False):
        fail("Cancelled.")


@state_group.command("rm")
@state_option
@click.argument("names", nargs=-1, required=True)
@click.option("--yes", is_flag=True, help="Do not ask.")
@click.option("--lock-timeout", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Seconds to wait for the state lock.")
def state_rm(state_file: str, names: tuple[str, ...], yes: bool, lock_timeout: float) -> None:
    """Forget campaigns (the account is not touched; the IDs are printed)."""

    def confirm(ids: dict[str, str]) -> None:
        for n, campaign_id in ids.items():
            click.echo(f"{n}: {campaign_id}")
        _ask(f"Forget {counted(len(names), 'campaign')}? Their campaigns stay in the account; a "
             "definition with the same name would then adopt it, or create a new one if it "
             "is gone", yes)

    with user_errors():
        state_ops.forget(Path(state_file), names, lock_timeout, confirm)
    click.echo(f"Forgot {counted(len(names), 'campaign')}.")


@state_group.command("import")
@click.argument("name")
@click.argument("campaign_id")
@click.argument("paths", nargs=-1, type=click.Path())
@api_options
@click.option("--lock-timeout", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Seconds to wait for the state lock.")
def state_import(name: str, campaign_id: str, paths: tuple[str, ...], sandbox: bool,
                 api_key_file: str | None, env_name: str | None, state_file: str | None,
                 config_file: str | None, lock_timeout: float) -> None:
    """Record that the defined campaign NAME is the account's CAMPAIGN_ID (sends nothing)."""
    target, settings = target_or_exit(config_file, env_name, state_file)
    (campaign,), _ = definitions_or_exit(paths, [name], None, target, settings)
    with user_errors():
        state_ops.import_campaign(access(target, sandbox, api_key_file), campaign,
                                  campaign_id, lock_timeout)
    click.echo(f"Recorded {name!r} as {campaign_id}.")


@state_group.command("settle")
@click.argument("name")
@click.argument("paths", nargs=-1, type=click.Path())
@api_options
@click.option("--lock-timeout", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Seconds to wait for the state lock.")
def state_settle(name: str, paths: tuple[str, ...], sandbox: bool, api_key_file: str | None,
                 env_name: str | None, state_file: str | None, config_file: str | None,
                 lock_timeout: float) -> None:
    """Settle a create of NAME that an earlier apply sent without seeing the answer, by
    listing the account (sends nothing).

    For the case waiting cannot settle: the create's intent is dated in the future (the
    clock that dated it was wrong), so the plan refuses the name. PATHS are the definition
    files or folders, as for `plan` (default: `campaigns/`); NAME must be defined there,
    since its entry is recorded from its definition.

    One campaign of that name in the account: it is recorded in the state. None: the
    intent is cleared once a listing proves the create never landed, and the next apply
    creates the campaign. That proof needs the in-flight grace to have passed since the
    create was sent. The apply that sent it held the state's lock until it ended, so this
    command waits at most the grace after taking the lock, however the intent was dated.
    Two or more of that name: an error; keep one with `campaigns state import`.

    Example: `campaigns state settle "Spring Sale" campaigns/`.
    """
    target, settings = target_or_exit(config_file, env_name, state_file)
    (campaign,), _ = definitions_or_exit(paths, [name], None, target, settings)

    def waiting(seconds: float) -> None:
        click.echo(f"{name!r} is not in the account yet; waiting {seconds:.1f} s, until the "
                   "in-flight grace is over, before a listing can prove it was not created.",
                   err=True)

    with user_errors():
        settled = state_ops.settle(access(target, sandbox, api_key_file), campaign,
                                   grace(target), lock_timeout, waiting)
    if settled.campaign_id:
        click.echo(f"Recorded {name!r} as {settled.campaign_id}: the create landed.")
    else:
        click.echo(f"Cleared the create of {name!r} in flight: the account does not hold it, "
                   "and it can no longer land. The next apply creates it.")


@state_group.command("unlock")
@state_option
@click.option("--yes", is_flag=True, help="Do not ask.")
def state_unlock(state_file: str, yes: bool) -> None:
    """Remove a lock left behind (only when its holder is surely gone)."""
    path = Path(state_file)
    who = state_ops.lock_holder(path)
    if who is None:
        click.echo("The state is not locked.")
        return
    _ask(f"Remove the lock held by {who}? Only do this if that process is gone", yes)
    state_ops.unlock(path)
    click.echo(f"Unlocked (it was held by {who}).")


@state_group.command("merge")
@click.argument("base", type=click.Path(dir_okay=False), required=False)
@click.argument("ours", type=click.Path(dir_okay=False), required=False)
@click.argument("theirs", type=click.Path(dir_okay=False), required=False)
@click.option("--install", is_flag=True,
              help="Set this clone up to use the driver: a .gitattributes line for every "
              "state file the configuration names, and the driver in git's configuration.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="With --install: the configuration that names the state files.")
def state_merge(base: str | None, ours: str | None, theirs: str | None, install: bool,
                config_file: str | None) -> None:
    """A git merge driver for state files: merge BASE, OURS and THEIRS into OURS.

    Set it up once per clone with `campaigns state merge --install`: it writes a
    `.gitattributes` line (`/campaigns.state.json merge=campaigns-state`) for every state
    file the configuration names (each environment's, and the default), and sets
    `merge.campaigns-state.driver` to `campaigns state merge %O %A %B` in this clone. It
    can be run again: nothing is added twice.

    Entries added on either side are kept, and identical ones once; the serial becomes the
    larger one plus one. A name recorded with two different IDs is a conflict: it is left
    between conflict markers, and the exit code is 1, as git expects.
    """
    if install:
        if base or ours or theirs:
            fail("Error: --install takes no files.")
        _install_merge_driver(config_file)
        return
    if not (base and ours and theirs):
        fail("Error: give BASE, OURS and THEIRS (as git does), or --install.")
    with user_errors():
        clashes = state_ops.merge(Path(base), Path(ours), Path(theirs))
    for clash in clashes:
        click.echo(clash, err=True)
    if clashes:
        fail(f"Automatic merge of the state failed: {counted(len(clashes), 'name')} recorded with "
             "different IDs on the two sides. Keep the right one (see `campaigns state "
             "import`), and note that both campaigns exist in the account.")
    click.echo("Merged the state files.", err=True)


def _install_merge_driver(config_file: str | None) -> None:
    """`state merge --install`: the driver for every state file the configuration names."""
    settings = settings_or_exit(config_file)
    files = [DEFAULT_STATE, *(env.state for env in settings.environments.values())]
    with user_errors():
        added = state_ops.install_merge_driver(files)
    for line in added:
        click.echo(f"Added to .gitattributes: {line}")
    click.echo("The merge driver is set up in this clone (merge.campaigns-state).")

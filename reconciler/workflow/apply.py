"""`campaigns apply`: lock, state, the plan or a saved plan, confirmation, creates, journal.

Everything here runs without click; the command supplies how the plan is shown, how the
confirmation is asked and how progress is drawn (`ApplyHooks`).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from reconciler import clock
from reconciler.apply import Applier
from reconciler.apply.settle import SETTLE_TIMEOUT, Settle
from reconciler.checks.config import CheckConfig
from reconciler.checks.review import run_checks
from reconciler.client import ListingStats, ZexaClient
from reconciler.config import Limits
from reconciler.definitions import Campaign, parse_document
from reconciler.diagnostics import Diagnostic, Severity
from reconciler.errors import InFlight, OverLimits, PlanHasErrors, Refused, StalePlan
from reconciler.grace import IN_FLIGHT_GRACE, Now, SentAt, left
from reconciler.plan import Action, Plan, account_fingerprint, ahead_message, planfile
from reconciler.plan.audience import Verdict, verdicts
from reconciler.plan.planfile import SavedPlan
from reconciler.plan.savedaudience import reaches_now
from reconciler.plan.work import Event, Outcome, Step, steps_of
from reconciler.plural import counted
from reconciler.remote import RemoteCampaign
from reconciler.secret import public_url
from reconciler.state import Entry, State, load, needs_fold, recording, save
from reconciler.workflow.connect import SANDBOX_IDENTITY
from reconciler.workflow.plan import build_plan

__all__ = ["SETTLE_TIMEOUT", "ApplyHooks", "ApplyRequest", "ApplyResult", "Outcome", "Refused",
           "SavedPlan", "check_fresh", "check_saved", "is_saved_plan", "read_saved",
           "recheck_work", "run_apply"]


def is_saved_plan(path: Path) -> bool:
    """A file (not a YAML definition file) that holds a saved plan."""
    return planfile.is_plan_file(path)


def read_saved(path: Path) -> SavedPlan:
    return planfile.read(path)


def made_on_sandbox(path: Path) -> bool:
    """Whether a saved plan was made with `--sandbox` (its API is the embedded sandbox's):
    it is applied there, without asking for a key or `--sandbox`."""
    api_url = planfile.read(path).api_url
    return api_url == SANDBOX_IDENTITY or api_url.startswith(SANDBOX_IDENTITY + ":")


def check_fresh(plan: Plan, override_limits: bool = False) -> None:
    """Refuse a plan with errors, or over a limit of one apply (unless overridden)."""
    if plan.errors:
        raise PlanHasErrors(f"Apply refused: the plan has {counted(len(plan.errors), 'error')}; "
                      "nothing was sent.")
    over_limits(plan.over_limits, override_limits)


def over_limits(over: Sequence[Verdict], override: bool) -> None:
    """`Refused`, naming each limit exceeded, its total and the campaigns that make it up,
    unless the apply was told to override the limits."""
    if over and not override:
        raise OverLimits("Apply refused: over the limits of one apply; nothing was sent.\n  "
                         + "\n  ".join(v.describe() for v in over)
                         + f"\nIf that is intended, raise {raise_how(over)}, or pass "
                         "--override-limits.",
                         limits=[{"limit": v.limit, "allowed": v.allowed, "total": v.total,
                                  "campaigns": list(v.campaigns)} for v in over])


def raise_how(over: Sequence[Verdict]) -> str:
    """Where each exceeded limit is set: only max_creates has an option of its own."""
    names = [v.limit for v in over]
    where = " and ".join(f"`limits.{n}`" for n in names) + " in the configuration"
    return where + (" (or --max-creates)" if "max_creates" in names else "")


def check_saved(saved: SavedPlan, state: State, remote: Sequence[RemoteCampaign],
                limits: Limits, *, override_limits: bool = False,
                checks: CheckConfig | None = None,
                now: datetime | None = None, server_now: float | None = None,
                in_flight_grace: float = IN_FLIGHT_GRACE) -> list[Step]:
    """The work of a saved plan that is left to do, if it still holds; otherwise `Refused`
    with the reason.

    A saved plan whose apply was interrupted applies again: what that apply recorded is
    done, and the creates it sent without getting the answer are waiting (settled as lost
    answers, like the fresh plan's "waiting" campaigns)."""
    if saved.errors:
        raise PlanHasErrors(f"Apply refused: the saved plan has "
                            f"{counted(saved.errors, 'error')}.")
    moment = now or clock.now()
    checks = checks or CheckConfig()
    problems = recheck_work(saved, checks, moment)
    if problems:
        raise StalePlan("Apply refused: the saved plan's work does not hold up as definitions; "
                        "nothing was sent. Make a new plan.\n  " + "\n  ".join(problems))
    _made_against(saved, state)
    work, done = _left_to_do(saved, state)
    work = [_waiting_if_sent(w, state, Now(moment.timestamp(), server_now), in_flight_grace)
            for w in work]
    if account_fingerprint(_as_planned(remote, state, saved, work, done),
                           saved.names) != saved.account_fingerprint:
        raise StalePlan(
            "Apply refused: the account changed since the plan was made (a campaign with "
            "one of its names appeared). Make a new plan."
        )
    # The limits in force now, against the audience as a fresh plan would count it now.
    reaches = reaches_now(saved, state, remote, checks.list_sizes)
    over_limits([v for v in verdicts(limits, reaches) if v.exceeded], override_limits)
    return work


def _made_against(saved: SavedPlan, state: State) -> None:
    """Refuse a saved plan made against another API, or another version of the state."""
    if saved.api_url != state.api_url:
        raise StalePlan(f"Apply refused: the plan was made against "
                        f"{public_url(saved.api_url)}, not {public_url(state.api_url)}.")
    lineage = state.lineage if state.exists else None
    if saved.state_lineage != lineage or saved.state_serial != state.serial:
        raise StalePlan(
            "Apply refused: the state changed since the plan was made (lineage "
            f"{saved.state_lineage} serial {saved.state_serial}, now {lineage} serial "
            f"{state.serial}). Make a new plan."
        )


def _left_to_do(saved: SavedPlan, state: State) -> tuple[list[Step], set[str]]:
    """The saved plan's work that is not done yet, and the names done: the state must be
    the one the plan was made against, but for what an interrupted apply of this plan
    recorded (each of its campaigns under the plan's name and digest, or renamed as the
    plan says)."""
    campaigns = dict(state.campaigns)
    done: set[str] = set()
    for w in saved.work:
        entry = campaigns.get(w.name)
        if entry is None or not _recorded_by_this_plan(w, entry, campaigns):
            continue
        if w.action is Action.RENAME and w.previous_name:
            campaigns[w.previous_name] = campaigns.pop(w.name)
        else:
            del campaigns[w.name]
        done.add(w.name)
    if replace(state, campaigns=campaigns).fingerprint() != saved.state_fingerprint:
        raise StalePlan("Apply refused: the state changed since the plan was made (records "
                        "that this plan's apply did not make). Make a new plan.")
    return [w for w in saved.work if w.name not in done], done


def _recorded_by_this_plan(w: Step, entry: Entry, campaigns: Mapping[str, Entry]) -> bool:
    """Whether `entry`, under `w`'s name, is what an interrupted apply of this plan recorded
    for `w`: its campaign under the plan's digest, or renamed as the plan says."""
    if w.action is Action.RENAME:
        return bool(w.previous_name) and entry.id == w.remote_id \
            and w.previous_name not in campaigns
    return entry.digest == w.digest


def _as_planned(remote: Sequence[RemoteCampaign], state: State, saved: SavedPlan,
                work: Sequence[Step], done: set[str]) -> list[RemoteCampaign]:
    """The account as the saved plan saw it, if nothing but its interrupted apply changed
    it: without the campaigns that apply created and recorded, nor any under a waiting
    name (the plan created it: it had none then)."""
    waiting = {w.name for w in work if w.action is Action.WAITING}
    created = {state.campaigns[w.name].id for w in saved.work
               if w.name in done and w.action in (Action.CREATE, Action.WAITING)}
    return [r for r in remote if r.name not in waiting and r.id not in created]


def _waiting_if_sent(w: Step, state: State, now: Now, grace: float) -> Step:
    """A create of the saved plan that an interrupted apply already sent, without getting
    the answer, is waiting: settled as a lost answer, never simply sent again."""
    intent = state.pending.get(w.name)
    if intent is None or w.action not in (Action.CREATE, Action.WAITING):
        return w
    wait = left(SentAt.of(intent), now, grace)
    if wait.ahead:
        raise InFlight(f"Apply refused: {w.name!r}: {ahead_message(intent, wait)}.")
    return replace(w, action=Action.WAITING)


def recheck_work(saved: SavedPlan, checks: CheckConfig, now: datetime) -> list[str]:
    """What is wrong with a saved plan's work, read again as if it were definitions."""
    problems = _work_against_shown(saved)
    for number, w in enumerate(saved.work):
        if w.action is Action.CREATE:
            problems.extend(_recheck_create(f"{saved.path}: work[{number}] ({w.name!r})", w,
                                            checks, now))
    return problems


def _work_against_shown(saved: SavedPlan) -> list[str]:
    """Whether the saved plan's work names each campaign once, and the campaigns (and the
    creates) its shown plan names."""
    problems: list[str] = []
    names = Counter(w.name for w in saved.work)
    repeated = sorted(n for n, k in names.items() if k > 1)
    if repeated:
        problems.append(f"the work names {', '.join(map(repr, repeated))} more than once")
    if _shown(saved, Action.CREATE, Action.ADOPT, Action.RENAME) != names:
        problems.append("the work's campaigns are not the ones the plan shows")
    creates = Counter(w.name for w in saved.work if w.action is Action.CREATE)
    if _shown(saved, Action.CREATE) != creates:
        problems.append("the campaigns the work creates are not the ones the plan shows")
    return problems


def _shown(saved: SavedPlan, *actions: Action) -> Counter[str]:
    """The names the saved plan shows with one of `actions`."""
    values = {a.value for a in actions}
    return Counter(n for n, action in saved.shown if action in values)


def _recheck_create(where: str, w: Step, checks: CheckConfig, now: datetime) -> list[str]:
    """What is wrong with one create of a saved plan, read again as a definition."""
    if w.payload.get("name") != w.name:
        return [f"{where}: its payload is named {w.payload.get('name')!r}"]
    campaigns, diagnostics = parse_document(where, json.dumps(_as_definition(w)).encode("utf-8"))
    errors = _errors(where, diagnostics)
    if errors or len(campaigns) != 1:
        return errors
    problems = []
    if campaigns[0].digest() != w.digest:
        problems.append(f"{where}: its payload does not match the definition digest the plan "
                        "records")
    problems.extend(_errors(where, run_checks(campaigns, checks, now)))
    return problems


def _as_definition(w: Step) -> dict[str, Any]:
    """A create of a saved plan as the definition it was made from."""
    doc = dict(w.payload)
    if w.purpose is not None:
        doc["purpose"] = w.purpose
    if w.skip_checks:
        doc["skip_checks"] = list(w.skip_checks)
    return doc


def _errors(where: str, diagnostics: Iterable[Diagnostic]) -> list[str]:
    return [f"{where}: {d.field or 'payload'}: {d.message}" for d in diagnostics
            if d.severity is Severity.ERROR]


# -- apply ----------------------------------------------------------------------------------


@dataclass
class ApplyRequest:
    """Everything `campaigns apply` decided from its options, without click."""

    client: ZexaClient
    api_url: str  # what the state records: the API's URL, or "sandbox"
    state_path: Path
    command: str  # for the lock file's "held by"
    campaigns: Sequence[Campaign] = ()  # a fresh plan's definitions...
    saved: SavedPlan | None = None  # ...or a saved plan
    diagnostics: Sequence[Diagnostic] = ()
    checks: CheckConfig | None = None
    environment: str | None = None
    limits: Limits = field(default_factory=Limits)
    override_limits: bool = False
    parallelism: int = 4
    lock_timeout: float = 0.0
    in_flight_grace: float = IN_FLIGHT_GRACE
    wait: bool = True  # settle lost answers within the run (False: `--no-wait`)
    settle_timeout: float = SETTLE_TIMEOUT


@dataclass
class ApplyHooks:
    """What the command line supplies: how a plan is shown, how `yes` is asked (it raises
    `Refused` for a no), how progress is shown, and the event that stops new creates."""

    show_plan: Callable[[Plan], None] = lambda plan: None
    confirm: Callable[[int], None] = lambda creates: None
    on_start: Callable[[int], None] = lambda steps: None  # how many events will follow
    on_event: Callable[[Event], None] = lambda event: None
    # While lost answers are waited out: (seconds left, how many), about once a second.
    on_wait: Callable[[float, int], None] = lambda left, count: None
    stop: threading.Event = field(default_factory=threading.Event)


@dataclass
class ApplyResult:
    outcome: Outcome | None  # None: there was nothing to do
    folded: bool = False  # a killed apply's journal or temporary files were tidied


class _ToApply(NamedTuple):
    """The work an apply carries out, and the listing it was planned on."""

    work: list[Step]
    known: set[str]  # the account's IDs that belong to some name already
    total: int | None  # the account's meta.total (None: no total check)


def run_apply(request: ApplyRequest, hooks: ApplyHooks) -> ApplyResult:
    """Under the state's lock: load the state, make the plan (or check the saved one), ask,
    create under a journal that is folded into the state whatever happens, and report."""
    from reconciler.state.lock import locked  # only writers load the lock

    path = request.state_path
    with locked(path, request.command, request.lock_timeout):
        state = load(path, request.api_url)
        if request.saved is not None:
            to_apply = _saved_work(request, request.saved, state)
        else:
            fresh = _fresh_work(request, state, hooks)
            if fresh is None:  # nothing to do
                folded = needs_fold(path, state)
                if folded:
                    save(path, state)
                return ApplyResult(None, folded)
            to_apply = fresh
        hooks.on_start(len(to_apply.work))
        return ApplyResult(_carry_out(request, hooks, state, to_apply))


def _saved_work(request: ApplyRequest, saved: SavedPlan, state: State) -> _ToApply:
    """A saved plan's work left to do, once it is checked against the account now."""
    stats = ListingStats()
    remote = request.client.list_campaigns(stats)
    work = check_saved(saved, state, remote, request.limits,
                       override_limits=request.override_limits, checks=request.checks,
                       server_now=stats.server_time, in_flight_grace=request.in_flight_grace)
    waiting = {w.name for w in work if w.action is Action.WAITING}
    return _ToApply(work, {r.id for r in remote if r.name not in waiting},
                    stats.reported_total)


def _fresh_work(request: ApplyRequest, state: State, hooks: ApplyHooks) -> _ToApply | None:
    """A fresh plan's work, shown, checked and confirmed; None when there is none."""
    fresh = build_plan(request.client, state, request.campaigns,
                       diagnostics=request.diagnostics,
                       in_flight_grace=request.in_flight_grace,
                       checks=request.checks, environment=request.environment,
                       limits=request.limits)
    hooks.show_plan(fresh)
    check_fresh(fresh, request.override_limits)
    work = steps_of(fresh)
    if not work:
        return None
    creates = sum(1 for w in work if w.action in (Action.CREATE, Action.WAITING))
    if creates:  # adopting or renaming sends nothing: no question
        hooks.confirm(creates)
    # What landed under a waiting name is its lost create's: not accounted for yet.
    known = set(fresh.account_ids) - {i.remote_id for i in fresh.of(Action.WAITING)
                                      if i.remote_id}
    return _ToApply(work, known, fresh.account_total)


def _carry_out(request: ApplyRequest, hooks: ApplyHooks, state: State,
               to_apply: _ToApply) -> Outcome:
    """Create under a journal that is folded into the state whatever happens."""
    path = request.state_path
    outcome: Outcome | None = None
    try:
        with recording(path, state) as journal:
            settle = Settle(wait=request.wait, grace=request.in_flight_grace,
                            timeout=request.settle_timeout, on_wait=hooks.on_wait)
            applier = Applier(request.client, journal, parallelism=request.parallelism,
                              stop=hooks.stop, on_event=hooks.on_event, settle=settle)
            outcome = applier.run(to_apply.work, to_apply.known, to_apply.total)
    except OSError as error:  # a full disk: the summary must still name every ID
        if outcome is None:
            raise
        outcome.state_error = (f"the state {path} could not be written "
                               f"({error.strerror or error})")
    return outcome

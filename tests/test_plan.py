"""The plan function alone: every verdict and the combinations that matter. No server."""

from __future__ import annotations

from dataclasses import replace

import pytest
from builders import NOW, campaign, entry, plan_of, remote, state

from reconciler.plan import Action, Problem, account_fingerprint
from reconciler.remote import Credits, RegisteredSender
from reconciler.state import Intent

C = campaign()


@pytest.mark.parametrize(
    ("remotes", "entries", "action", "problem"),
    [
        # (account campaigns, state entries) -> verdict
        ([], {}, Action.CREATE, None),
        ([remote("cmp_1")], {}, Action.ADOPT, None),
        ([remote("cmp_1", channel="email")], {}, Action.ERROR, Problem.OTHER_CHANNEL),
        ([remote("cmp_1"), remote("cmp_2")], {}, Action.ERROR, Problem.DUPLICATE_NAME),
        ([remote("cmp_1")], {"Sale": entry("cmp_1")}, Action.IN_SYNC, None),
        ([], {"Sale": entry("cmp_1")}, Action.ERROR, Problem.MISSING),
        ([remote("cmp_2")], {"Sale": entry("cmp_1")}, Action.ERROR, Problem.MISSING),
        ([remote("cmp_1", name="Other")], {"Sale": entry("cmp_1")}, Action.ERROR,
         Problem.RENAMED_REMOTELY),
        ([remote("cmp_1")], {"Sale": entry("cmp_1", digest="sha256:old")}, Action.ERROR,
         Problem.CHANGED),
        # The state wins over a same-named stranger: in sync, with a warning.
        ([remote("cmp_1"), remote("cmp_9")], {"Sale": entry("cmp_1")}, Action.IN_SYNC, None),
    ],
)
def test_verdicts(remotes, entries, action, problem) -> None:
    (item,) = plan_of([C], remotes, state(entries)).items
    assert (item.action, item.problem) == (action, problem)


def test_create_has_no_id_and_adopt_records_the_account_id() -> None:
    (create,) = plan_of([C]).items
    (adopt,) = plan_of([C], [remote("cmp_7")]).items
    assert create.remote_id is None and adopt.remote_id == "cmp_7"


def test_changed_definition_says_campaigns_cannot_be_updated_and_a_new_name_helps() -> None:
    (item,) = plan_of([C], [remote("cmp_1")],
                      state({"Sale": entry("cmp_1", digest="sha256:old")})).items
    assert "cannot be updated" in item.message and "new name" in item.message


def test_a_rename_with_previous_names_keeps_its_campaign() -> None:
    renamed = campaign("Sale 2030", previous_names=("Sale",))
    st = state({"Sale": entry("cmp_1", renamed)})
    (item,) = plan_of([renamed], [remote("cmp_1", name="Sale")], st).items
    assert (item.action, item.remote_id, item.previous_name) == (Action.RENAME, "cmp_1", "Sale")
    plan = plan_of([renamed], [remote("cmp_1", name="Sale")], st)
    assert plan.orphans == []  # the old name is claimed, not orphaned


def test_a_rename_unknown_to_the_state_adopts_by_previous_name() -> None:
    renamed = campaign("Sale 2030", previous_names=("Sale",))
    (item,) = plan_of([renamed], [remote("cmp_1", name="Sale")]).items
    assert (item.action, item.previous_name) == (Action.ADOPT, "Sale")


def test_without_previous_names_a_rename_is_a_create_and_the_old_entry_an_orphan() -> None:
    renamed = campaign("Sale 2030")
    plan = plan_of([renamed], [remote("cmp_1", name="Sale")], state({"Sale": entry("cmp_1")}))
    assert plan.items[0].action is Action.CREATE
    assert [(o.name, o.in_account) for o in plan.orphans] == [("Sale", True)]


def test_orphans_and_unmanaged_are_reported_never_acted_on() -> None:
    st = state({"Gone": entry("cmp_5"), "Kept": entry("cmp_6")})
    plan = plan_of([C], [remote("cmp_6", name="Kept"), remote("cmp_8", name="Someone else")],
                   st)
    assert [(o.name, o.in_account) for o in plan.orphans] == [("Gone", False), ("Kept", True)]
    assert [r.id for r in plan.unmanaged] == ["cmp_8"]
    assert [i.name for i in plan.items] == ["Sale"]


def test_a_past_scheduled_at_is_an_error_and_a_soon_one_a_warning() -> None:
    past = campaign(scheduled_at="2029-12-31T00:00:00Z")
    soon = campaign("Soon", scheduled_at="2030-01-01T12:05:00Z")
    plan = plan_of([past, soon])
    assert plan.items[0].problem is Problem.PAST
    assert plan.items[1].action is Action.CREATE
    assert [d.code for d in plan.warnings] == ["first-list", "scheduled-soon"]


def test_a_past_scheduled_at_does_not_matter_once_created() -> None:
    past = campaign(scheduled_at="2029-12-31T00:00:00Z")
    plan = plan_of([past], [remote("cmp_1")], state({"Sale": entry("cmp_1", past)}))
    assert plan.items[0].action is Action.IN_SYNC


def test_no_scheduled_at_is_marked_as_sending_immediately() -> None:
    (item,) = plan_of([campaign(scheduled_at=None)]).items
    assert item.sends_immediately
    assert not plan_of([C]).items[0].sends_immediately


@pytest.mark.parametrize(
    ("senders", "problem_text"),
    [
        ([RegisteredSender("OTHER", "sms", "approved")], "not registered for sms"),
        ([RegisteredSender("BRAND", "whatsapp", "approved")],
         "registered for whatsapp only"),
        ([RegisteredSender("BRAND", "sms", "pending")], "pending for sms, not approved"),
    ],
)
def test_sender_ids_are_checked_for_the_channel(senders, problem_text) -> None:
    (item,) = plan_of([C], senders=senders).items
    assert item.problem is Problem.SENDER and problem_text in item.message


def test_unverifiable_sender_ids_do_not_block_but_are_said() -> None:
    plan = plan_of([C], senders=None)
    assert plan.items[0].action is Action.CREATE and not plan.senders_verified


def test_a_create_in_flight_when_an_apply_died_is_waiting_until_its_grace_is_over() -> None:
    young = Intent("Sale", "k", "2030-01-01T11:59:50Z", NOW.timestamp() - 10)
    old = Intent("Sale", "k", "2030-01-01T11:50:00Z", NOW.timestamp() - 600)
    waiting = plan_of([C], st=state(pending={"Sale": young}))
    assert waiting.items[0].action is Action.WAITING and not waiting.errors
    assert "waits out the 110 s left of the in-flight grace" in waiting.items[0].message
    assert waiting.summary() == "Plan: 0 to create, 0 to adopt, 1 waiting, 0 in sync, 0 errors."
    assert waiting.has_changes
    assert plan_of([C], st=state(pending={"Sale": old})).items[0].action is Action.CREATE


def test_a_campaign_found_by_name_is_not_adopted_while_an_earlier_create_may_land() -> None:
    """Had it been adopted, the earlier create landing later would be a second campaign of
    that name that nobody recorded: it waits, and is recorded once the grace is over."""
    young = Intent("Sale", "k", "2030-01-01T11:59:50Z", NOW.timestamp() - 10)
    old = Intent("Sale", "k", "2030-01-01T11:50:00Z", NOW.timestamp() - 600)
    found = plan_of([C], [remote("cmp_1")], state(pending={"Sale": young}))
    assert found.items[0].action is Action.WAITING and found.items[0].remote_id == "cmp_1"
    assert "cmp_1 has that name in the account, and is recorded then if no other copy " \
        "appears" in found.items[0].message
    later = plan_of([C], [remote("cmp_1")], state(pending={"Sale": old}))
    assert later.items[0].action is Action.ADOPT and later.items[0].remote_id == "cmp_1"


def test_the_grace_is_measured_on_the_servers_clock_whatever_this_machines_says() -> None:
    """Sent 10 s ago by the server's clock: still waiting, though this machine's clock (or
    the runner that sent it) says an hour has passed; and the reverse."""
    server_sent = 5_000_000.0
    an_hour_ago = Intent("Sale", "k", "2030-01-01T11:00:00Z", NOW.timestamp() - 3600,
                         server_epoch=server_sent)
    plan = plan_of([C], st=state(pending={"Sale": an_hour_ago}), server_now=server_sent + 10)
    assert plan.items[0].action is Action.WAITING
    assert "on the server's clock" in plan.items[0].message
    in_an_hour = Intent("Sale", "k", "2030-01-01T13:00:00Z", NOW.timestamp() + 3600,
                        server_epoch=server_sent)
    over = plan_of([C], st=state(pending={"Sale": in_an_hour}), server_now=server_sent + 600)
    assert over.items[0].action is Action.CREATE


def test_without_a_server_clock_the_grace_falls_back_to_this_machines_and_says_so() -> None:
    young = Intent("Sale", "k", "2030-01-01T11:59:50Z", NOW.timestamp() - 10,
                   server_epoch=5_000_000.0)
    plan = plan_of([C], st=state(pending={"Sale": young}), server_now=None)
    assert plan.items[0].action is Action.WAITING
    assert "on the clock of this machine" in plan.items[0].message
    assert "the server sends no usable Date header" in plan.items[0].message


def test_an_intent_dated_far_in_the_future_is_an_error_with_a_way_out_not_a_wait() -> None:
    ahead = Intent("Sale", "k", "2031-01-01T12:00:00Z", NOW.timestamp() + 86_400 * 365)
    plan = plan_of([C], st=state(pending={"Sale": ahead}))
    assert plan.items[0].problem is Problem.IN_FLIGHT
    assert "campaigns state settle 'Sale'" in plan.items[0].message
    # A second or two ahead is the clocks' own uncertainty (whole-second Dates): waiting.
    close = Intent("Sale", "k", "2030-01-01T12:00:02Z", NOW.timestamp() + 2)
    assert plan_of([C], st=state(pending={"Sale": close})).items[0].action is Action.WAITING


def test_too_few_credits_is_a_warning() -> None:
    plan = plan_of([C, campaign("B")], credits=Credits(1, "USD"))
    assert [d.code for d in plan.warnings] == ["credits", "first-list"]
    assert [d.code for d in plan_of([C], credits=Credits(1000, "USD")).warnings] == [
        "first-list"]


def test_errors_are_located_at_the_field_at_fault() -> None:
    c = replace(C, field_marks={"sender_id": (3, 12), "name": (0, 7)})  # from its line 3
    plan = plan_of([c], senders=[])
    (error,) = plan.errors
    assert (error.location.line, error.location.column, error.field) == (6, 12, "sender_id")


def test_summary_and_changes() -> None:
    plan = plan_of([C, campaign("B")], [remote("cmp_1", name="B")])
    assert plan.summary() == "Plan: 1 to create, 1 to adopt, 0 in sync, 0 errors."
    assert plan.has_changes
    synced = plan_of([C], [remote("cmp_1")], state({"Sale": entry("cmp_1")}))
    assert not synced.has_changes


def test_every_defined_campaign_gets_exactly_one_verdict() -> None:
    names = [f"C{i}" for i in range(30)]
    campaigns = [campaign(n) for n in names]
    remotes = [remote(f"cmp_{i}", n) for i, n in enumerate(names) if i % 3 == 0]
    plan = plan_of(campaigns, remotes)
    assert [i.name for i in plan.items] == names


def test_account_fingerprint_moves_when_a_campaign_of_a_plan_name_appears() -> None:
    before = account_fingerprint([remote("cmp_1", "Other")], ["Sale"])
    after = account_fingerprint([remote("cmp_1", "Other"), remote("cmp_2")], ["Sale"])
    unrelated = account_fingerprint([remote("cmp_1", "Other"), remote("cmp_3", "X")], ["Sale"])
    assert before != after and before == unrelated


def test_each_sms_body_is_measured_once_for_the_checks_the_cost_and_every_renderer(
        monkeypatch) -> None:
    from reconciler.channels import sms
    from reconciler.definitions import campaign as definition
    from reconciler.render import plan as render_plan

    # A body measured earlier in this process (another test, or a run of the same one) is
    # in the cache and would not be measured here at all.
    definition._sms_info.cache_clear()
    measured: list[str] = []
    real = sms.sms_info

    def counting(body: str) -> sms.SmsInfo:
        measured.append(body)
        return real(body)

    monkeypatch.setattr(sms, "sms_info", counting)
    campaigns = [campaign("A", body="Olá"), campaign("B", body="hi " * 70),
                 campaign("C", channel="telegram", sender_id="Bot", body="hi")]
    plan = plan_of(campaigns, credits=Credits(10**6, "USD"))
    shown = [render_plan.render_text(plan), render_plan.render_markdown(plan),
             "".join(render_plan.render_json_chunks(plan))]
    assert "2 SMS segments (GSM-7)" in shown[0] and '"encoding": "UCS-2"' in shown[2]
    assert sorted(measured) == ["Olá", "hi " * 70]  # once each; never for Telegram


def test_two_campaigns_of_one_name_say_which_came_after_a_lost_answer() -> None:
    from dataclasses import replace

    lost = Intent("Sale", "k", "2030-01-01T11:00:00Z", NOW.timestamp() - 3600)
    early = replace(remote("cmp_early"), created_at="2030-01-01T10:00:00Z")
    late = replace(remote("cmp_late"), created_at="2030-01-01T11:01:30Z")
    item = plan_of([C], [early, late], state(pending={"Sale": lost})).items[0]
    assert item.problem is Problem.DUPLICATE_NAME
    assert "cmp_early, created 2030-01-01T10:00:00Z; cmp_late, created " \
        "2030-01-01T11:01:30Z, after the create sent at 2030-01-01T11:00:00Z whose answer " \
        "was lost: likely its late commit" in item.message


def test_a_second_campaign_after_the_recorded_one_is_called_out() -> None:
    from dataclasses import replace

    recorded = replace(remote("cmp_1"), created_at="2029-12-01T00:00:00Z")
    later = replace(remote("cmp_2"), created_at="2029-12-01T00:02:00Z")
    plan = plan_of([C], [recorded, later], state({"Sale": entry("cmp_1", C)}))
    (warning,) = [d for d in plan.warnings if d.code == "duplicate-in-account"]
    assert "cmp_2, created 2029-12-01T00:02:00Z, after the recorded cmp_1: likely the late " \
        "commit of a create whose answer was lost" in warning.message

"""The plan's rules at their edges, through `make_plan` alone: each verdict's whole item and
the exact words a user acts on, where each error and warning points, the moments a rule
turns, and what the Plan carries for apply. In-memory inputs and a fixed clock; no server."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from builders import NOW, campaign, entry, plan_of, remote, state

from reconciler.checks.config import CheckConfig, QuietHours
from reconciler.config import Limits
from reconciler.definitions.gitblob import blob_id
from reconciler.diagnostics import Diagnostic, Location, Severity
from reconciler.plan import Action, Inputs, Item, Plan, Problem, make_plan
from reconciler.plan.audience import ListSize
from reconciler.plan.sentdiff import SentLookup
from reconciler.remote import Credits, RegisteredSender, RemoteCampaign
from reconciler.state import Intent

MARKS = {"name": (0, 7), "channel": (1, 10), "sender_id": (3, 12), "scheduled_at": (4, 15),
         "contact_list": (2, 15), "contact_list_id": (2, 18)}
RENAMED = campaign("New", previous_names=("Old",), field_marks=MARKS)
C = campaign(field_marks=MARKS)


def at(line: int, column: int) -> Location:
    """Where a field of a campaign defined at c.yaml:3 stands."""
    return Location("c.yaml", line, column)


def created(r: RemoteCampaign, when: str | None) -> RemoteCampaign:
    return replace(r, created_at=when)


def only(plan: Plan) -> Item:
    (item,) = plan.items
    return item


def warnings_of(plan: Plan, code: str) -> list[Diagnostic]:
    return [d for d in plan.warnings if d.code == code]


# -- every error verdict: the whole item and what it tells the user to do ---------------------


def test_a_state_id_gone_from_the_account_keeps_its_id_and_previous_name() -> None:
    item = only(plan_of([RENAMED], [], state({"Old": entry("cmp_1", RENAMED)})))
    assert item == Item(
        "New", Action.ERROR, RENAMED, "cmp_1", "Old", Problem.MISSING,
        "the state's ID cmp_1 is no longer in the account; it was never deleted by this "
        "tool. Check the account, then `campaigns state rm` the entry if the campaign is "
        "truly gone")


def test_a_state_id_under_a_foreign_name_says_how_to_claim_it() -> None:
    item = only(plan_of([RENAMED], [remote("cmp_1", "Stranger")],
                        state({"Old": entry("cmp_1", RENAMED)})))
    assert item == Item(
        "New", Action.ERROR, RENAMED, "cmp_1", "Old", Problem.RENAMED_REMOTELY,
        "the state's ID cmp_1 is now named 'Stranger' in the account; if that is this "
        "campaign, add the name to previous_names")


def test_a_changed_definition_under_its_previous_name_keeps_its_id() -> None:
    item = only(plan_of([RENAMED], [remote("cmp_1", "Old")],
                        state({"Old": entry("cmp_1", digest="sha256:old")})))
    assert item == Item(
        "New", Action.ERROR, RENAMED, "cmp_1", "Old", Problem.CHANGED,
        "the definition changed after its campaign cmp_1 was created. That campaign goes "
        "out as it was sent: campaigns cannot be updated or cancelled through the API. "
        "Revert the change so that the definition says what was sent. A new name would "
        "create a second campaign, sent as well as the first")


def test_an_account_id_that_is_no_campaign_id_is_never_recorded_nor_sent_around() -> None:
    item = only(plan_of([RENAMED], [remote("cmp_1", "Old"), remote("job_9", "Old")]))
    assert item == Item(
        "New", Action.ERROR, RENAMED, None, "Old", Problem.FOREIGN_ID,
        "the account holds a campaign named 'Old' whose ID 'job_9' is not a campaign ID "
        "(cmp_...); it cannot be recorded, and creating another would send it twice. Ask "
        "the provider what it is, or give the definition a new name")


def test_two_account_campaigns_of_a_previous_name_are_listed_oldest_first() -> None:
    remotes = [created(remote("cmp_a", "Old"), "2030-01-01T10:00:00Z"),
               created(remote("cmp_b", "Old"), None),
               created(remote("cmp_c", "Old"), "2030-01-01T09:00:00Z")]
    item = only(plan_of([RENAMED], remotes))
    assert item == Item(
        "New", Action.ERROR, RENAMED, None, "Old", Problem.DUPLICATE_NAME,
        "the account holds 3 campaigns named 'Old' (cmp_b, creation time unknown; cmp_c, "
        "created 2030-01-01T09:00:00Z; cmp_a, created 2030-01-01T10:00:00Z); which one this "
        "is cannot be told. Give the definition a new name, or record the right ID with "
        "`campaigns state import`")


def test_duplicates_created_at_the_very_moment_of_a_lost_create_are_called_late() -> None:
    lost = Intent("Sale", "k", "2030-01-01T11:00:00Z", NOW.timestamp() - 3600)
    remotes = [created(remote("cmp_1"), "2030-01-01T11:00:00Z"),
               created(remote("cmp_2"), "not a time")]
    item = only(plan_of([C], remotes, state(pending={"Sale": lost})))
    assert item.problem is Problem.DUPLICATE_NAME
    # A creation time that cannot be read is never taken as after the lost create.
    assert "(cmp_1, created 2030-01-01T11:00:00Z, after the create sent at " \
        "2030-01-01T11:00:00Z whose answer was lost: likely its late commit; cmp_2, " \
        "created not a time)" in item.message


@pytest.mark.parametrize(("channel", "shown"), [("email", "email"),
                                                 ("", "an unknown channel")])
def test_a_previous_name_on_another_channel_names_both_channels(channel: str,
                                                                shown: str) -> None:
    item = only(plan_of([RENAMED], [remote("cmp_1", "Old", channel=channel)]))
    assert item == Item(
        "New", Action.ERROR, RENAMED, "cmp_1", "Old", Problem.OTHER_CHANNEL,
        f"the account's campaign cmp_1 named 'Old' is on {shown}, not sms; give the "
        "definition a new name")


def test_a_name_the_server_may_have_normalised_stops_the_create() -> None:
    item = only(plan_of([C], [remote("cmp_1", "  SALE ")]))
    assert item == Item(
        "Sale", Action.ERROR, C, "cmp_1", problem=Problem.SIMILAR_NAME,
        message="the account holds '  SALE ' (cmp_1), the same name but for spacing, case "
        "or Unicode form: a server may have normalised an earlier create of this campaign. "
        "If it is this campaign, write the name as the account has it, and the plan adopts "
        "it (or record it with `campaigns state import`); if not, give this one a name that "
        "differs in more than that")


def test_a_send_time_of_exactly_now_is_already_past() -> None:
    c = campaign(scheduled_at="2030-01-01T12:00:00Z")
    item = only(plan_of([c]))
    assert item == Item("Sale", Action.ERROR, c, problem=Problem.PAST,
                        message="2030-01-01T12:00:00Z is in the past; the API would refuse "
                        "it (or, if it did not, send at once)")


@pytest.mark.parametrize(("senders", "message"), [
    ([], "sender ID 'BRAND' is not registered for sms"),
    ([RegisteredSender("BRAND", "whatsapp", "approved"),
      RegisteredSender("BRAND", "telegram", "approved")],
     "sender ID 'BRAND' is not registered for sms (it is registered for telegram, whatsapp "
     "only)"),
])
def test_an_unregistered_sender_is_an_error_in_so_many_words(senders, message) -> None:
    assert only(plan_of([C], senders=senders)) == Item(
        "Sale", Action.ERROR, C, problem=Problem.SENDER, message=message)


def test_a_sender_registered_but_not_approved_is_an_error_that_names_it_and_its_status(
        ) -> None:
    senders = [RegisteredSender("BRAND", "sms", "pending")]
    assert only(plan_of([C], senders=senders)) == Item(
        "Sale", Action.ERROR, C, problem=Problem.SENDER,
        message="sender ID 'BRAND' is pending for sms, not approved")


# -- where the errors point -------------------------------------------------------------------


def test_each_plan_error_points_at_its_field_with_its_problem_as_code() -> None:
    plan = plan_of([C], [remote("cmp_1", channel="email")])
    assert plan.errors == [Diagnostic(at(4, 10), only(plan).message, field="channel",
                                      code="other-channel")]
    missing = plan_of([C], [], state({"Sale": entry("cmp_1", C)}))
    assert missing.errors == [Diagnostic(at(3, 7), only(missing).message, field="name",
                                         code="missing-from-account")]


# -- a create that an earlier apply may have sent ---------------------------------------------


def waiting_plan(sent_ago: float, remotes: list[RemoteCampaign] | None = None,
                 **kw: Any) -> Plan:
    intent = Intent("Sale", "k", "2030-01-01T11:58:00Z", NOW.timestamp() - sent_ago)
    return plan_of([C], remotes, state(pending={"Sale": intent}), **kw)


@pytest.mark.parametrize(("sent_ago", "shown"), [
    (119.5, "1 s"),  # half a second left is waited out, and counted as a whole second
    (117.0, "3 s"),
    (110.25, "10 s"),
])
def test_what_is_left_of_the_grace_is_waited_out_in_whole_seconds(sent_ago, shown) -> None:
    item = only(waiting_plan(sent_ago))
    assert item == Item(
        "Sale", Action.WAITING, C,
        message="an earlier apply sent this create at 2030-01-01T11:58:00Z and did not get "
        f"the answer; it may still land. Apply sends the rest first, waits out the {shown} "
        "left of the in-flight grace (on the clock of this machine, since no server time is "
        "known for it (the server sends no usable Date header)), then lists the account: it "
        "records the campaign if it landed, and sends it again only if it did not")


def test_a_campaign_found_under_a_previous_name_waits_with_its_id_and_that_name() -> None:
    intent = Intent("New", "k", "2030-01-01T11:58:00Z", NOW.timestamp() - 60)
    item = only(plan_of([RENAMED], [remote("cmp_1", "Old")], state(pending={"New": intent})))
    assert (item.name, item.action, item.campaign, item.remote_id, item.previous_name) == \
        ("New", Action.WAITING, RENAMED, "cmp_1", "Old")


def test_an_intent_dated_past_the_grace_ahead_is_an_error_that_keeps_the_found_id() -> None:
    # 3,480 s ahead: 3,600 s of grace are left, shown in hours; on the server's clock.
    ahead = Intent("New", "k", "2030-01-01T12:58:00Z", NOW.timestamp(),
                   server_epoch=1_000_000.0 + 3480)
    plan = plan_of([RENAMED], [remote("cmp_1", "Old")], state(pending={"New": ahead}),
                   server_now=1_000_000.0)
    assert only(plan) == Item(
        "New", Action.ERROR, RENAMED, "cmp_1", "Old", Problem.IN_FLIGHT,
        "an earlier apply's create of this campaign is dated 2030-01-01T12:58:00Z, 1.0 h "
        "after now on the server's clock: more than the in-flight grace, so a clock was "
        "wrong and waiting would never settle it. Settle it by listing: `campaigns state "
        "settle 'New'` records the campaign if it is in the account, and clears the intent "
        "if it is not")


def test_an_hour_less_a_second_is_still_shown_in_seconds() -> None:
    ahead = Intent("Sale", "k", "2030-01-01T12:58:00Z", NOW.timestamp() + 3479)
    message = only(plan_of([C], st=state(pending={"Sale": ahead}))).message
    assert ", 3599 s after now on the clock of this machine" in message
    further = Intent("Sale", "k", "2030-01-01T14:58:00Z", NOW.timestamp() + 3480 + 5400)
    assert ", 2.5 h after now" in only(plan_of([C], st=state(pending={"Sale": further}))).message
    # 5,580 s is 1.55 h: rounded to a tenth of an hour of 3,600 s.
    odd = Intent("Sale", "k", "2030-01-01T13:31:00Z", NOW.timestamp() + 5460)
    assert ", 1.6 h after now" in only(plan_of([C], st=state(pending={"Sale": odd}))).message


class SentFiles:
    """Definition files as sent, by git blob ID."""

    def __init__(self, *files: bytes) -> None:
        self.blobs = {blob_id(data): data for data in files}

    def read(self, blob: str, near: str) -> bytes:
        return self.blobs[blob]


def test_a_changed_definition_is_looked_up_as_sent_under_its_name_in_the_state() -> None:
    other = (b"name: Other\nchannel: sms\ncontact_list_id: lst_a\nsender_id: BRAND\n"
             b"body: hi\nscheduled_at: '2030-02-01T09:00:00Z'\n")
    recorded = replace(entry("cmp_1", digest="sha256:old"), blob=blob_id(other))
    item = only(plan_of([RENAMED], [remote("cmp_1", "Old")], state({"Old": recorded}),
                        sent=SentLookup(SentFiles(other))))
    assert item.problem is Problem.CHANGED and item.sent is not None
    assert (item.sent.status, item.sent.note) == \
        ("unavailable", "the file as sent holds no campaign named 'Old'")


# -- review checks that refuse a create ---------------------------------------------------------


QUIET = CheckConfig(severity=(("quiet-hours", Severity.ERROR),))


def test_a_create_a_review_check_refuses_is_an_error_carrying_the_first_finding() -> None:
    at_night = campaign("Night", scheduled_at="2030-02-01T23:00:00Z")
    plan = plan_of([at_night, C], checks=QUIET)
    (finding,) = [d for d in plan.errors if d.code == "quiet-hours"]
    assert plan.items[0] == Item("Night", Action.ERROR, at_night,
                                 problem=Problem.REVIEW_CHECK, message=finding.message,
                                 diagnostic=finding)
    assert plan.items[1].action is Action.CREATE


@pytest.mark.parametrize(("hour", "refused"), [(22, True), (12, False)])
def test_the_checks_judge_an_immediate_send_at_the_plans_now(hour: int, refused: bool) -> None:
    now = datetime(2030, 1, 1, hour, 0, tzinfo=timezone.utc)  # Luanda is an hour ahead
    c = campaign(scheduled_at=None)
    plan = make_plan(Inputs(campaigns=[c], remote=[], state=state(), now=now,
                            now_epoch=now.timestamp(), checks=QUIET))
    assert (only(plan).problem is Problem.REVIEW_CHECK) is refused


def test_the_checks_space_a_create_from_the_campaigns_already_sent_to_its_list() -> None:
    sent = campaign("Sent", purpose="marketing")
    after = campaign("Next", purpose="marketing", scheduled_at="2030-02-01T12:00:00Z")
    plan = plan_of([sent, after], [remote("cmp_1", "Sent")],
                   state({"Sent": entry("cmp_1", sent)}), checks=CheckConfig())
    assert plan.items[0].action is Action.IN_SYNC
    (spaced,) = [d for d in plan.diagnostics if d.code == "list-frequency"]
    assert "3.0 hours from the marketing campaign 'Sent'" in spaced.message


# -- warnings -----------------------------------------------------------------------------------


def test_the_first_create_to_a_list_is_warned_at_the_list_as_written() -> None:
    by_alias = campaign(contact_list="customers", field_marks=MARKS)
    plan = plan_of([by_alias, campaign("B", field_marks=MARKS)])
    message = ("first campaign to lst_a from this repository: size unknown (it counts "
               "against `max_new_lists`; `list_sizes:` in the configuration can give it)")
    assert warnings_of(plan, "first-list") == [Diagnostic(
        at(5, 15), message, field="contact_list", severity=Severity.WARNING,
        code="first-list")]
    by_id = plan_of([C])
    assert warnings_of(by_id, "first-list") == [Diagnostic(
        at(5, 18), message, field="contact_list_id", severity=Severity.WARNING,
        code="first-list")]


@pytest.mark.parametrize(("after", "warned"), [(timedelta(minutes=15), True),
                                               (timedelta(minutes=15, seconds=1), False)])
def test_a_send_within_fifteen_minutes_is_warned_up_to_the_fifteenth(after, warned) -> None:
    when = (NOW + after).strftime("%Y-%m-%dT%H:%M:%SZ")
    plan = plan_of([campaign(scheduled_at=when, field_marks=MARKS)])
    expected = [Diagnostic(at(7, 15), "sends within 15 minutes of this plan; if apply runs "
                           "later, the API will refuse a time in the past",
                           field="scheduled_at", severity=Severity.WARNING,
                           code="scheduled-soon")]
    assert warnings_of(plan, "scheduled-soon") == (expected if warned else [])


def test_a_stranger_beside_a_renamed_campaign_is_warned_at_its_name() -> None:
    recorded = created(remote("cmp_1", "New"), "2029-12-01T00:00:00Z")
    stranger = created(remote("cmp_2", "New"), "2029-12-01T00:00:00Z")
    plan = plan_of([RENAMED], [recorded, stranger], state({"Old": entry("cmp_1", RENAMED)}))
    assert only(plan).action is Action.RENAME
    assert warnings_of(plan, "duplicate-in-account") == [Diagnostic(
        at(3, 7), "the account also holds 1 other campaign named 'New' (cmp_2, created "
        "2029-12-01T00:00:00Z, after the recorded cmp_1: likely the late commit of a create "
        "whose answer was lost, or someone else's), not managed here",
        field="name", severity=Severity.WARNING, code="duplicate-in-account")]


def credit_warnings(balance: float, campaigns: list, **kw: Any) -> list[Diagnostic]:
    return warnings_of(plan_of(campaigns, credits=Credits(balance, "USD"), **kw), "credits")


def test_credits_for_one_recipient_of_each_create_are_enough_without_list_sizes() -> None:
    first = campaign("A", field_marks={"name": (1, 3)})
    assert credit_warnings(2, [first, campaign("B")]) == []
    assert credit_warnings(1.4, [first, campaign("B")]) == [Diagnostic(
        at(4, 3), "the account has 1 credits; not enough for even one recipient of each of "
        "the 2 campaigns to create. Creates would fail with insufficient_credits, or sending "
        "would pause", severity=Severity.WARNING, code="credits")]


def test_credits_are_weighed_against_the_lists_of_known_size() -> None:
    sizes = CheckConfig(list_sizes=(("lst_a", 1500),), disabled=frozenset({"quiet-hours"}))
    two = [campaign("A"), campaign("B", contact_list_id="lst_new")]
    assert credit_warnings(1500, two, checks=sizes) == []
    (warning,) = credit_warnings(1499, two, checks=sizes)
    assert warning.message == (
        "the account has 1,499 credits; the 2 campaigns to create need at least 1,500 (for "
        "the lists whose size is known). Creates would fail with insufficient_credits, or "
        "sending would pause")


# -- what the Plan carries --------------------------------------------------------------------


def test_the_plan_carries_the_listing_the_environment_the_zone_and_the_limits() -> None:
    checks = CheckConfig(quiet_hours=QuietHours(zone="Europe/Lisbon"),
                         list_sizes=(("lst_a", 40),))
    limits = Limits(max_creates=3, max_recipients=100)
    plan = plan_of([C], [remote("cmp_9", "Other")], account_total=1, environment="prod",
                   checks=checks, limits=limits)
    assert (plan.account_total, plan.environment, plan.zone, plan.limits) == \
        (1, "prod", "Europe/Lisbon", limits)
    assert plan.list_sizes == {"lst_a": ListSize(40)}
    assert plan.account_ids == frozenset({"cmp_9"})
    bare = plan_of([C])
    assert (bare.account_total, bare.environment, bare.zone, bare.list_sizes) == \
        (None, None, "Africa/Luanda", {})


def test_the_plan_names_the_state_lineage_only_when_the_state_file_exists() -> None:
    assert plan_of([C], st=replace(state(), exists=True)).state_lineage == "lin-1"
    assert plan_of([C], st=state()).state_lineage is None


def test_a_previous_name_of_a_defined_campaign_is_never_an_orphan() -> None:
    st = state({"New": entry("cmp_1", RENAMED), "Old": entry("cmp_0", RENAMED)})
    plan = plan_of([RENAMED], [remote("cmp_1", "New")], st)
    assert only(plan).action is Action.IN_SYNC
    assert plan.orphans == []


def test_the_plan_covers_every_name_and_previous_name_and_fingerprints_them() -> None:
    plan = plan_of([RENAMED, campaign("Z")], [remote("cmp_1", "Old")])
    assert plan.covered_names == ["New", "Old", "Z"]
    rows = b'[["Old","cmp_1","sms"]]'
    assert plan.account_fingerprint == "sha256:" + hashlib.sha256(rows).hexdigest()


def test_the_summary_counts_renames_in_the_state() -> None:
    plan = plan_of([RENAMED], [remote("cmp_1", "Old")], state({"Old": entry("cmp_1", RENAMED)}))
    assert plan.summary() == \
        "Plan: 0 to create, 0 to adopt, 1 to rename in the state, 0 in sync, 0 errors."


def test_only_an_sms_costs_a_credit_a_segment_for_each_recipient() -> None:
    long_text = "word " * 60  # two SMS segments' worth, on a channel that has none
    checks = CheckConfig(list_sizes=(("lst_a", 10),), disabled=frozenset({"quiet-hours"}))
    plan = plan_of([campaign("T", channel="telegram", sender_id="Bot", body=long_text),
                    campaign("S", body=long_text)], checks=checks, senders=None)
    assert [plan.estimated_credits(i) for i in plan.items] == [10, 20]


# -- list sizes and the limits of one apply (audience.py) --------------------------------------


@pytest.mark.parametrize(("ago", "shown"), [
    (timedelta(days=3), "3 days ago"),
    (timedelta(days=2), "2 days ago"),  # exactly two days: no longer "yesterday"
    (timedelta(days=1, hours=23), "yesterday"),
    (timedelta(days=1), "yesterday"),
    (timedelta(hours=23), "23 hours ago"),
    (timedelta(hours=2), "2 hours ago"),  # exactly two hours
    (timedelta(hours=1, minutes=59), "just now"),
    (timedelta(0), "just now"),
])
def test_a_learned_list_size_says_how_long_ago_it_was_reported(ago, shown) -> None:
    at = (NOW - ago).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ListSize(120, "Weekend Sale", at).describe(NOW) == f"from 'Weekend Sale', {shown}"


def test_a_list_size_without_a_date_or_from_the_configuration_says_only_where_from() -> None:
    assert ListSize(120, "Weekend Sale").describe(NOW) == "from 'Weekend Sale'"
    assert ListSize(120).describe(NOW) == "configured"


def test_a_lists_size_is_the_latest_dated_report_and_an_unknown_total_teaches_nothing() -> None:
    from reconciler.plan.audience import sizes_of_lists

    def sent(cid: str, total: int | None, at: str | None) -> RemoteCampaign:
        return RemoteCampaign(cid, cid, "sms", "completed", total, at)

    by_id = {r.id: r for r in [
        sent("cmp_a", 10, "2029-12-01T00:00:00Z"), sent("cmp_b", 11, None),
        sent("cmp_c", 20, "2029-12-05T00:00:00Z"), sent("cmp_d", 21, "2029-12-01T00:00:00Z"),
        sent("cmp_e", 30, None), sent("cmp_f", 31, "2029-12-01T00:00:00Z"),
        sent("cmp_g", None, "2029-12-01T00:00:00Z")]}
    # In this order: the first entry's campaign is gone from the account and is passed over.
    names = ["Gone", "A", "B", "C", "D", "E", "F", "G"]
    st = state({n: entry(f"cmp_{n.lower()}") for n in names})
    list_of = {"Gone": "lst_0", "A": "lst_1", "B": "lst_1", "C": "lst_2", "D": "lst_2",
               "E": "lst_3", "F": "lst_3", "G": "lst_4"}
    sizes = sizes_of_lists(list_of, st, by_id, [("lst_9", 5)])
    assert sizes == {
        "lst_1": ListSize(10, "A", "2029-12-01T00:00:00Z"),  # a later undated one loses
        "lst_2": ListSize(20, "C", "2029-12-05T00:00:00Z"),  # a later, older one loses
        "lst_3": ListSize(31, "F", "2029-12-01T00:00:00Z"),  # a dated one beats undated
        "lst_9": ListSize(5),
    }


def test_a_limit_exceeded_names_at_most_ten_of_its_campaigns() -> None:
    from reconciler.plan.audience import Verdict

    ten = tuple(f"c{n}" for n in range(10))
    shown = ", ".join(repr(n) for n in ten)
    assert Verdict("max_creates", 5, 10, ten).describe() == \
        f"max_creates 5: 10 in this apply, over the limit ({shown})"
    assert Verdict("max_creates", 5, 11, (*ten, "c10")).describe() == \
        f"max_creates 5: 11 in this apply, over the limit ({shown}, ...)"
    assert Verdict("max_creates", 20, 11, (*ten, "c10")).describe() == \
        "max_creates 20: 11 in this apply, within it"


def test_the_new_lists_limit_names_the_campaigns_sent_to_lists_of_unknown_size() -> None:
    from reconciler.plan.audience import Reach, Verdict, verdicts

    reaches = [Reach("A", "lst_new", None, None), Reach("B", "lst_known", 10, 10),
               Reach("C", "lst_new", None, None)]
    limits = Limits(max_creates=None, max_new_lists=0)
    assert verdicts(limits, reaches) == [Verdict("max_new_lists", 0, 1, ("A", "C"))]

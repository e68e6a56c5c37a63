"""The apply workflow without click, the safety branches no other test reaches, and
property tests of the plan and the journal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import campaign, entry, plan_of, remote, state
from e2e import KEY, future, write_campaigns
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.client import Secret, ZexaClient
from reconciler.definitions import load_definitions, parse_document
from reconciler.plan import Action
from reconciler.sandbox.account import StoredCampaign
from reconciler.sandbox.app import SandboxApp
from reconciler.state import Entry, Journal, State, StateError, load, recording
from reconciler.workflow.apply import ApplyHooks, ApplyRequest, Refused, run_apply


def request(server, tmp_path: Path, **kw) -> ApplyRequest:  # type: ignore[no-untyped-def]
    campaigns = load_definitions([str(tmp_path / "campaigns")]).campaigns
    return ApplyRequest(client=ZexaClient(server.url, Secret(KEY)), api_url=server.url,
                        state_path=tmp_path / "campaigns.state.json", command="test",
                        campaigns=campaigns, in_flight_grace=0, **kw)


# -- the workflow owns apply -----------------------------------------------------------------


def test_run_apply_asks_before_sending_and_a_no_sends_nothing(serve, tmp_path: Path) -> None:
    server = serve()
    write_campaigns(tmp_path / "campaigns", 2)
    asked: list[int] = []

    def refuse(creates: int) -> None:
        asked.append(creates)
        raise Refused("Apply cancelled.")

    with pytest.raises(Refused):
        run_apply(request(server, tmp_path), ApplyHooks(confirm=refuse))
    assert asked == [2]
    assert not [r for r in server.app.request_log if r.method == "POST"]
    assert not (tmp_path / "campaigns.state.json").exists()


def test_run_apply_creates_records_and_saves_whatever_the_outcome(serve, tmp_path: Path) -> None:
    server = serve()
    write_campaigns(tmp_path / "campaigns", 2)
    shown, events = [], []
    result = run_apply(request(server, tmp_path),
                       ApplyHooks(show_plan=shown.append, on_event=events.append))
    assert result.outcome is not None and result.outcome.ok
    assert len(shown) == 1 and [e[0] for e in events] == ["created", "created"]
    saved = json.loads((tmp_path / "campaigns.state.json").read_text(encoding="utf-8"))
    assert len(saved["campaigns"]) == 2 and saved["serial"] == 1
    again = run_apply(request(server, tmp_path), ApplyHooks())
    assert again.outcome is None and not again.folded


def test_applying_a_rename_moves_the_entry_and_sends_nothing(serve, tmp_path: Path) -> None:
    server = serve()
    write_campaigns(tmp_path / "campaigns", 1)
    run_apply(request(server, tmp_path), ApplyHooks())
    path = tmp_path / "campaigns" / "campaigns.yaml"
    renamed = path.read_text(encoding="utf-8").replace(
        "  - name: Campaign 0000",
        "  - name: Campaign Renamed\n    previous_names: [Campaign 0000]")
    path.write_text(renamed, encoding="utf-8")
    posts = sum(r.method == "POST" for r in server.app.request_log)
    # The account still names it "Campaign 0000": a rename is recorded, nothing is sent.
    result = run_apply(request(server, tmp_path), ApplyHooks())
    assert result.outcome is not None and result.outcome.renamed == [
        ("Campaign 0000", "Campaign Renamed")]
    assert sum(r.method == "POST" for r in server.app.request_log) == posts
    ids = json.loads((tmp_path / "campaigns.state.json").read_text(encoding="utf-8"))["campaigns"]
    assert list(ids) == ["Campaign Renamed"]


# -- resolving lost answers ---------------------------------------------------------------------


def lost_answers(serve, tmp_path: Path):  # type: ignore[no-untyped-def]
    from reconciler.sandbox.app import Faults

    server = serve(faults=Faults(commit_then_drop_share=1.0))
    write_campaigns(tmp_path / "campaigns", 1)
    return server


def test_when_the_listing_after_lost_answers_fails_they_stay_unknown(serve, tmp_path: Path,
                                                                    monkeypatch) -> None:
    server = lost_answers(serve, tmp_path)
    req = request(server, tmp_path)
    calls = {"n": 0}
    original = req.client.list_campaigns

    def listing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] >= 2:  # the plan's listing works; the one after the batch fails
            from reconciler.client import ServerError

            raise ServerError("down")
        return original(*args, **kwargs)

    monkeypatch.setattr(req.client, "list_campaigns", listing)
    result = run_apply(req, ApplyHooks())
    assert result.outcome is not None
    (unknown,) = result.outcome.unknown
    assert "listing to find out failed" in unknown.cause
    assert "Campaign 0000" in load(tmp_path / "campaigns.state.json", None).pending


def test_two_campaigns_appearing_for_one_lost_answer_are_never_recorded(serve, tmp_path) -> None:
    server = lost_answers(serve, tmp_path)
    original = server.app._commit

    def twice(campaign, idem):  # type: ignore[no-untyped-def]
        original(campaign, idem)
        original(StoredCampaign(**{**campaign.__dict__, "id": campaign.id + "b"}), None)

    server.app._commit = twice  # type: ignore[method-assign]
    result = run_apply(request(server, tmp_path), ApplyHooks())
    assert result.outcome is not None
    (failure,) = result.outcome.failed
    assert "2 campaigns named 'Campaign 0000' appeared" in failure.message
    state = load(tmp_path / "campaigns.state.json", None)
    assert state.campaigns == {} and state.pending == {}


# -- the journal and the state commands -----------------------------------------------------------


DIGEST, AT = "sha256:" + "0" * 64, "2030-01-01T00:00:00Z"


def test_forget_and_move_replay_from_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    st0 = State(api_url="sandbox")
    with recording(path, st0) as journal:
        journal.record("A", Entry("cmp_a", "sms", DIGEST, "created", AT, "f"))
        journal.record("B", Entry("cmp_b", "sms", DIGEST, "created", AT, "f"))
    journal = Journal(path, load(path, "sandbox"))
    journal.forget("A")
    journal.move("B", "B2")
    journal.close()  # a crash: not saved, only journalled
    replayed = load(path, "sandbox")
    assert {n: e.id for n, e in replayed.campaigns.items()} == {"B2": "cmp_b"}


def test_state_import_refuses_another_name_or_channel(serve, tmp_path: Path,
                                                      monkeypatch) -> None:
    from e2e import env_for, invoke

    monkeypatch.chdir(tmp_path)
    app = SandboxApp()
    for cid, name, channel in (("cmp_other1", "Somebody else", "sms"),
                               ("cmp_wa00001", "Campaign 0000", "whatsapp")):
        app.account.campaigns.append(StoredCampaign(
            id=cid, name=name, channel=channel, contact_list_id="lst_partners",
            sender_id="MYBRAND", body="x", template=None, scheduled_at=None,
            total_recipients=1, created_at="2026-01-01T00:00:00Z", cost=1))
        app._by_id[cid] = app.account.campaigns[-1]
    env = env_for(serve(app))
    write_campaigns(tmp_path / "campaigns", 1)
    named = invoke(["state", "import", "Campaign 0000", "cmp_other1"], env)
    assert named.exit_code == 1 and "is named 'Somebody else' in the account" in named.output
    channel = invoke(["state", "import", "Campaign 0000", "cmp_wa00001"], env)
    assert channel.exit_code == 1 and "is on whatsapp, not sms" in channel.output
    assert not (tmp_path / "campaigns.state.json").exists()


def test_yaml_merge_keys_fill_in_what_a_campaign_does_not_set() -> None:
    ok, problems = parse_document("m.yaml", (
        f"defaults:\n  channel: sms\ncampaigns:\n  - &one\n    name: One\n"
        f"    contact_list_id: lst_a\n    sender_id: BRAND\n    body: hi\n"
        f"    scheduled_at: {future()}\n  - <<: *one\n    name: Two\n").encode())
    assert problems == []
    assert [(c.name, c.contact_list_id, c.body) for c in ok] == [
        ("One", "lst_a", "hi"), ("Two", "lst_a", "hi")]


def test_a_corrupt_journal_type_is_refused_not_replayed(tmp_path: Path) -> None:
    (tmp_path / "s.json.journal").write_text(json.dumps(
        {"op": "record", "name": "A", "entry": {"id": 5}, "lineage": "l",
         "api_url": "sandbox"}) + "\n", encoding="utf-8")
    with pytest.raises(StateError):
        load(tmp_path / "s.json", None)


# -- properties --------------------------------------------------------------------------------


names = st.sampled_from(["A", "B", "C", "D", "E"])


@settings(max_examples=200, deadline=None)
@given(defined=st.lists(names, unique=True, max_size=5),
       in_account=st.lists(names, max_size=6), in_state=st.lists(names, unique=True, max_size=4))
def test_the_plan_gives_one_verdict_each_deterministically_never_a_create_for_a_known_name(
    defined, in_account, in_state
) -> None:  # type: ignore[no-untyped-def]
    campaigns = [campaign(n) for n in defined]
    remotes = [remote(f"cmp_{i}", n) for i, n in enumerate(in_account)]
    entries = {n: entry(f"cmp_s{n}", campaign(n)) for n in in_state}
    one = plan_of(campaigns, remotes, state(entries))
    two = plan_of(campaigns, remotes, state(entries))
    assert [i.name for i in one.items] == defined
    assert [(i.action, i.remote_id, i.problem) for i in one.items] == [
        (i.action, i.remote_id, i.problem) for i in two.items]
    for item in one.items:
        if item.action is Action.CREATE:
            assert item.name not in in_account and item.name not in in_state


OPS = st.lists(st.tuples(st.sampled_from(["intent", "record", "resolved", "forget", "move"]),
                         names), max_size=12)


@settings(max_examples=200, deadline=None)
@given(ops=OPS, cut=st.floats(0, 1))
def test_a_journal_cut_at_any_byte_replays_to_a_prefix_of_what_was_acknowledged(
    tmp_path_factory, ops, cut
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("journal")
    path = folder / "s.json"
    live = State(api_url="sandbox", lineage="lin")
    journal = Journal(path, live)
    snapshots = [({}, {})]
    for op, name in ops:
        if op == "intent":
            journal.intent(name, "k")
        elif op == "record":
            journal.record(name, Entry(f"cmp_{name}", "sms", "d", "created", "t", "f"))
        elif op == "resolved":
            journal.resolved(name)
        elif op == "forget":
            journal.forget(name)
        else:
            journal.move(name, name + "2")
        snapshots.append(({n: e.id for n, e in live.campaigns.items()}, set(live.pending)))
    journal.close()
    data = (folder / "s.json.journal").read_bytes()
    (folder / "s.json.journal").write_bytes(data[: int(len(data) * cut)])
    replayed = load(path, None)
    got = ({n: e.id for n, e in replayed.campaigns.items()}, set(replayed.pending))
    assert got in [(c, set(p)) for c, p in snapshots]



def test_the_clock_offset_moves_forward_only(monkeypatch) -> None:
    from datetime import datetime, timedelta, timezone

    from reconciler import clock

    real = datetime.now(timezone.utc)
    monkeypatch.setenv(clock.OFFSET_VARIABLE, "1826")
    assert clock.now() - real > timedelta(days=1825)
    for ignored in ("-30", "abc", "1e9", ""):
        monkeypatch.setenv(clock.OFFSET_VARIABLE, ignored)
        assert clock.now() - real < timedelta(minutes=1)


def test_the_state_file_is_checked_against_the_shipped_schema(tmp_path: Path) -> None:
    doc = {"version": 1, "lineage": "l", "serial": 1, "api_url": "sandbox",
           "campaigns": {"A": {"id": "ZX-1", "channel": "fax", "digest": DIGEST,
                               "origin": "created", "at": AT, "file": "f"}}}
    path = tmp_path / "campaigns.state.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(StateError) as refused:
        load(path, None)
    assert "campaigns.A.channel: 'fax' is not one of" in str(refused.value)
    assert "campaigns.A.id: 'ZX-1' does not match" in str(refused.value)


def test_a_saved_plan_is_checked_against_its_shipped_schema(serve, tmp_path: Path,
                                                           monkeypatch) -> None:
    from e2e import env_for, invoke
    from jsonschema import Draft202012Validator

    from reconciler.plan.planfile import _checksum
    from reconciler.schema import load_schema

    monkeypatch.chdir(tmp_path)
    server = serve()
    env = env_for(server)
    write_campaigns(tmp_path / "campaigns", 2)
    assert invoke(["plan", "--out", "p.json"], env).exit_code == 0
    doc = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    schema = load_schema("saved-plan.schema.json")
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(doc)) == []  # what plan writes
    printed = invoke(["schema", "saved-plan"], env)
    assert printed.exit_code == 0 and json.loads(printed.output) == schema

    def refused(edit) -> str:
        bad = json.loads(json.dumps(doc))
        edit(bad)
        bad["checksum"] = _checksum(bad)  # consistent: only the schema can catch it
        (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
        result = invoke(["apply", "bad.json"], env)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        return result.output

    def wrong_line(d) -> None:
        d["apply"]["work"][1]["line"] = "12"

    def fax(d) -> None:
        d["apply"]["work"][0]["channel"] = "fax"

    def extra(d) -> None:
        d["apply"]["sent_by"] = "me"

    def no_payload(d) -> None:
        del d["apply"]["work"][0]["payload"]

    assert "apply.work[1].line: '12' is not of type 'integer'" in refused(wrong_line)
    assert "apply.work[0].channel: 'fax' is not one of" in refused(fax)
    assert "'sent_by' was unexpected" in refused(extra)
    assert "apply.work[0]: 'payload' is a required property" in refused(no_payload)
    assert not [c for c in server.app.account.campaigns if c.name.startswith("Campaign")]


def test_a_saved_plan_has_its_own_format_apart_from_the_display_json(serve, tmp_path: Path,
                                                                     monkeypatch) -> None:
    from e2e import env_for, invoke

    from reconciler.plan.planfile import VERSION, _checksum

    monkeypatch.chdir(tmp_path)
    server = serve()
    env = env_for(server)
    write_campaigns(tmp_path / "campaigns", 1)
    assert invoke(["plan", "--out", "p.json"], env).exit_code == 0
    doc = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert doc["version"] == VERSION and doc["plan"]["format_version"] == 1
    assert doc["apply"]["shown"] == [["Campaign 0000", "create"]]
    older = {**doc, "version": VERSION - 1}
    older["checksum"] = _checksum(older)
    (tmp_path / "old.json").write_text(json.dumps(older), encoding="utf-8")
    refused = invoke(["apply", "old.json"], env)
    assert refused.exit_code == 1 and "this tool reads version" in refused.output
    doc["plan"]["campaigns"] = []  # the display part is not what apply reads
    doc["checksum"] = _checksum(doc)
    (tmp_path / "p.json").write_text(json.dumps(doc), encoding="utf-8")
    applied = invoke(["apply", "p.json"], env)
    assert applied.exit_code == 0, applied.output
    assert "1 created" in applied.output


# -- the plan workflow -----------------------------------------------------------------------


def test_the_plan_reads_the_state_while_the_account_is_listed(serve, tmp_path: Path,
                                                              monkeypatch) -> None:
    import threading

    from reconciler.workflow.plan import build_plan

    server = serve()
    client = ZexaClient(server.url, Secret(KEY))
    listing_started = threading.Event()
    read_page = client._read_page

    def page(number: int):  # type: ignore[no-untyped-def]
        listing_started.set()
        return read_page(number)

    monkeypatch.setattr(client, "_read_page", page)

    def read_state() -> State:
        # Read before the listing, this would wait in vain (and fail).
        assert listing_started.wait(timeout=30)
        return state()

    plan = build_plan(client, read_state, [campaign("Sale")])
    assert plan.state_serial == state().serial and [i.name for i in plan.items] == ["Sale"]


def test_a_state_that_cannot_be_used_is_told_before_a_failing_listing(serve, monkeypatch) -> None:
    from reconciler.client import ServerError
    from reconciler.workflow.plan import build_plan

    client = ZexaClient(serve().url, Secret(KEY))

    def listing(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ServerError("down")

    def read_state() -> State:
        raise StateError("campaigns.state.json belongs to another account")

    monkeypatch.setattr(client, "list_campaigns", listing)
    with pytest.raises(StateError, match="belongs to another account"):
        build_plan(client, read_state, [campaign("Sale")])

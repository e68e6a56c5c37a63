"""Servers that lie: each sandbox fault mode below is a way a real gateway or API misbehaves,
and apply must still send each campaign once and keep every ID it was given."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from e2e import (
    KEY,
    Moved,
    assert_consistent,
    env_for,
    invoke,
    names_in_account,
    posts,
    process,
    state_ids,
    write_campaigns,
)

from reconciler.apply import idempotency_key
from reconciler.client import (
    OutcomeUnknown,
    RetryPolicy,
    Secret,
    ServerError,
    Unauthorized,
    Unreachable,
    ZexaClient,
)
from reconciler.definitions import load_definitions
from reconciler.plan.planfile import _checksum
from reconciler.sandbox.account import StoredCampaign
from reconciler.sandbox.app import Faults, SandboxApp
from reconciler.state import Journal, load


def existing(app: SandboxApp, names: list[str]) -> None:
    for i, name in enumerate(names):
        app.account.campaigns.append(StoredCampaign(
            id=f"cmp_old{i:05d}", name=name, channel="sms", contact_list_id="lst_partners",
            sender_id="MYBRAND", body="x", template=None, scheduled_at=None,
            total_recipients=1, created_at="2026-01-01T00:00:00Z", cost=1))


# -- an answer lost after the request left is "unknown", never "absent" ---------------------


@pytest.mark.parametrize("drop", [False, True], ids=["504-page", "dropped-connection"])
def test_a_late_commit_behind_a_lost_answer_is_never_created_twice(
    serve, workdir: Path, drop: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = Moved(monkeypatch)
    app = SandboxApp(faults=Faults(late_commit_share=1.0, late_commit_delay=0.6,
                                   late_commit_drop=drop), clock=moved.sandbox)
    server = serve(app)
    write_campaigns(workdir / "campaigns", 6)
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="1.5")
    first = invoke(["apply", "--auto-approve", "--parallelism", "3", "--no-wait"], env)
    assert first.exit_code == 1, first.output
    assert "Apply incomplete: 0 created, 0 adopted, 6 unknown: may have been sent." \
        in first.output
    assert "Not sent:" not in first.output
    assert posts(app) == 6  # one POST each, whatever the answer
    # The grace has not passed: without waiting, the names are left as they are.
    early = invoke(["apply", "--auto-approve", "--no-wait"], env)
    assert early.exit_code == 1 and "6 waiting" in early.output, early.output
    assert posts(app) == 6
    moved.forward(1.6)  # past the grace: the backend has long committed them all
    app.faults = Faults()
    final = invoke(["apply", "--auto-approve"], env)
    assert final.exit_code == 0, final.output
    assert "Apply complete" in final.output  # recorded by the plan, or found by listing
    assert posts(app) == 6
    assert set(names_in_account(app).values()) == {1}
    assert_consistent(app, workdir / "campaigns.state.json")


def test_the_idempotency_key_is_derived_from_the_url_the_name_and_the_definition(
    serve, workdir: Path
) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 2)
    assert invoke(["apply", "--auto-approve"], env_for(server)).exit_code == 0
    sent = sorted(r.idempotency_key or "" for r in server.app.request_log if r.method == "POST")
    campaigns = load_definitions([str(workdir / "campaigns")]).campaigns
    assert sent == sorted(idempotency_key(server.url, c.name, c.digest()) for c in campaigns)
    c = campaigns[0]
    assert idempotency_key(server.url, c.name, c.digest()) != idempotency_key(
        server.url, c.name, "sha256:another-definition")
    assert idempotency_key(server.url, c.name, c.digest()) != idempotency_key(
        "https://api.zexa.ao/v1", c.name, c.digest())


# -- listings trust nothing ------------------------------------------------------------------


def test_a_total_that_lies_low_does_not_hide_existing_campaigns(serve, workdir: Path) -> None:
    app = SandboxApp(faults=Faults(total_offset=-100))
    existing(app, [f"Campaign {i:04d}" for i in range(150)])
    server = serve(app)
    write_campaigns(workdir / "campaigns", 150)
    result = invoke(["apply", "--auto-approve", "--max-creates", "500"], env_for(server))
    assert result.exit_code == 0, result.output
    assert "0 created, 150 adopted" in result.output
    assert posts(app) == 0


@pytest.mark.parametrize("listed", [0, 30])
def test_a_listing_that_stays_short_of_its_total_stops_the_plan(
    serve, workdir: Path, listed: int
) -> None:
    app = SandboxApp(faults=Faults(total_offset=10**9))
    existing(app, [f"Campaign {i:04d}" for i in range(listed)])
    server = serve(app)
    write_campaigns(workdir / "campaigns", 40)
    result = invoke(["plan"], env_for(server))
    assert result.exit_code == 1, result.output
    assert f"listing shows {listed + 2:,} campaigns but its meta.total says " \
        f"{listed + 2 + 10**9:,}, twice in a row" in result.output
    assert "likeliest the newest" in result.output and "accept_short_listing" in result.output
    applied = invoke(["apply", "--auto-approve", "--max-creates", "500"], env_for(server))
    assert applied.exit_code == 1 and posts(app) == 0


def test_a_total_that_lies_high_is_accepted_only_when_configured(serve, workdir: Path) -> None:
    app = SandboxApp(faults=Faults(total_offset=100))
    existing(app, [f"Campaign {i:04d}" for i in range(30)])
    server = serve(app)
    write_campaigns(workdir / "campaigns", 40)
    (workdir / ".campaigns.yaml").write_text("accept_short_listing: true\n", encoding="utf-8")
    result = invoke(["apply", "--auto-approve", "--max-creates", "500"], env_for(server))
    assert result.exit_code == 0, result.output
    assert "10 created, 30 adopted" in result.output
    assert set(names_in_account(app).values()) == {1}


@pytest.mark.parametrize("offset", [0, 10**9], ids=["plausible-total", "absurd-total"])
def test_endless_pages_end_with_a_clear_error_in_bounded_time(
    serve, workdir: Path, offset: int
) -> None:
    server = serve(faults=Faults(endless_pages=True, total_offset=offset))
    write_campaigns(workdir / "campaigns", 1)
    result = invoke(["plan"], env_for(server))
    assert result.exit_code == 1
    assert "kept returning full pages" in result.output
    pages = [r for r in server.app.request_log
             if r.method == "GET" and r.path == "/v1/campaigns"]
    assert len(pages) <= 2500 + 1  # (the two preflight reads run beside the listing)


def test_a_full_page_of_repeats_is_not_taken_for_more_campaigns(serve) -> None:
    app = SandboxApp()
    existing(app, [f"C{i}" for i in range(100)])
    original = app.handle

    def page_one_always(method, target, headers, body):  # a server that ignores `page`
        return original(method, target.replace("page=2", "page=1"), headers, body)

    app.handle = page_one_always  # type: ignore[method-assign]
    app.faults = Faults(total_offset=50)
    zexa = ZexaClient(serve(app).url, Secret(KEY), retry=RetryPolicy(attempts=1))
    with pytest.raises(Exception, match="kept changing"):
        zexa.list_campaigns()


# -- hard limits per request -----------------------------------------------------------------


def test_a_trickled_body_cannot_stretch_a_request_past_its_deadline(serve) -> None:
    app = SandboxApp(faults=Faults(trickle_bytes_per_second=40))
    existing(app, [f"C{i}" for i in range(20)])
    server = serve(app)
    zexa = ZexaClient(server.url, Secret(KEY), deadline=0.5,
                      retry=RetryPolicy(attempts=2, base_delay=0.01))
    # The page (about 3 KB at 40 bytes a second) would take over a minute to arrive; the
    # error says the deadline cut it off, not the read timeout (which each piece resets).
    with pytest.raises(Unreachable, match=r"did not arrive within 0\.5 s"):
        zexa.list_campaigns()
    with pytest.raises(OutcomeUnknown) as lost:
        zexa.create_campaign({"name": "T", "channel": "sms", "contact_list_id": "lst_partners",
                              "sender_id": "MYBRAND", "body": "x"})
    assert lost.value.may_still_land


def test_an_answer_larger_than_the_cap_is_refused(serve) -> None:
    app = SandboxApp()
    existing(app, [f"C{i}" for i in range(100)])
    zexa = ZexaClient(serve(app).url, Secret(KEY), max_response_bytes=1000)
    with pytest.raises(ServerError, match="larger than"):
        zexa.list_campaigns()


# -- IDs are checked before they are recorded ------------------------------------------------


def test_a_foreign_id_is_never_recorded_and_never_created_again(serve, workdir: Path) -> None:
    app = SandboxApp(faults=Faults(foreign_ids=True))
    server = serve(app)
    write_campaigns(workdir / "campaigns", 1)
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="0")
    result = invoke(["apply", "--auto-approve"], env)
    assert result.exit_code == 1
    (foreign,) = [c.id for c in app.account.campaigns if c.id.startswith("ZX-")]
    assert f"{foreign!r}" in result.output and "not a campaign ID" in result.output
    assert "unknown: may have been sent" in result.output
    state = load(workdir / "campaigns.state.json", None)  # still readable
    assert state.campaigns == {}
    again = invoke(["apply", "--auto-approve"], env)
    assert again.exit_code == 1
    assert f"whose ID {foreign!r} is not a campaign ID" in again.output
    assert posts(app) == 1
    status = invoke(["state", "list"], env)
    assert status.exit_code == 0, status.output


# -- the key never leaves ----------------------------------------------------------------------


def test_a_401_that_echoes_the_key_does_not_print_it(serve, workdir: Path) -> None:
    server = serve(api_key="the-right-key", faults=Faults(echo_key_on_401=True))
    write_campaigns(workdir / "campaigns", 1)
    result = invoke(["plan"], env_for(server))
    assert result.exit_code == 1
    assert "********" in result.output and KEY not in result.output
    try:
        ZexaClient(server.url, Secret(KEY)).get_campaign("cmp_x")
    except Unauthorized as exc:
        assert KEY not in str(exc) + repr(exc.__dict__)
    debug = process(["plan"], {**env_for(server), "CAMPAIGNS_DEBUG": "1"}, workdir)
    out, err = debug.communicate(timeout=60)
    assert debug.returncode == 1 and KEY not in out + err


# -- saved plans -----------------------------------------------------------------------------


def saved_plan(serve, workdir: Path, n: int = 2):
    server = serve()
    env = env_for(server)
    write_campaigns(workdir / "campaigns", n)
    assert invoke(["plan", "--out", "p.json"], env).exit_code == 0
    return server, env, json.loads((workdir / "p.json").read_text(encoding="utf-8"))


def forge(workdir: Path, doc: dict) -> None:
    doc["checksum"] = _checksum(doc)
    (workdir / "p.json").write_text(json.dumps(doc), encoding="utf-8")


def edit_body(doc: dict) -> None:
    doc["apply"]["work"][0]["payload"]["body"] = "Verify your account: http://phish.example"


def edit_list(doc: dict) -> None:
    doc["apply"]["work"][0]["payload"]["contact_list_id"] = "lst_customers"


def rename_payload(doc: dict) -> None:
    doc["apply"]["work"][0]["payload"]["name"] = "Something else"


def triple_work(doc: dict) -> None:
    doc["apply"]["work"] = doc["apply"]["work"] * 3


def foreign_work(doc: dict) -> None:
    extra = json.loads(json.dumps(doc["apply"]["work"][0]))
    extra["name"] = extra["payload"]["name"] = "Not in the plan"
    doc["apply"]["work"].append(extra)


def break_schema(doc: dict) -> None:
    doc["apply"]["work"][0]["payload"]["channel"] = "fax"


def drop_opt_out(doc: dict) -> None:
    work = doc["apply"]["work"][0]
    work["purpose"] = "marketing"
    work["payload"]["body"] = "Big sale today"


@pytest.mark.parametrize("tamper", [edit_body, edit_list, rename_payload, triple_work,
                                    foreign_work, break_schema, drop_opt_out])
def test_a_forged_saved_plan_sends_nothing(serve, workdir: Path, tamper) -> None:
    server, env, doc = saved_plan(serve, workdir)
    tamper(doc)
    forge(workdir, doc)
    result = invoke(["apply", "p.json"], env)
    assert result.exit_code == 1, result.output
    assert "does not hold up as definitions" in result.output
    assert posts(server.app) == 0


def test_a_saved_plan_waits_for_a_killed_applys_creates_like_a_fresh_plan(
    serve, workdir: Path
) -> None:
    server, env, _ = saved_plan(serve, workdir)
    path = workdir / "campaigns.state.json"
    journal = Journal(path, load(path, server.url))  # a killed apply sent this create
    journal.intent("Campaign 0001", "zxc-1")
    journal.close()
    result = invoke(["apply", "p.json", "--no-wait"], {**env, "CAMPAIGNS_INFLIGHT_GRACE": "60"})
    assert result.exit_code == 1, result.output
    assert "'Campaign 0001' unknown: may have been sent" in result.output
    assert "Apply incomplete: 1 created, 0 adopted, 1 unknown" in result.output
    assert posts(server.app) == 1  # the other campaign; the waiting one is not sent


# -- concurrent appliers -----------------------------------------------------------------------


def test_a_campaign_that_appears_before_the_first_wave_is_adopted_not_sent(
    serve, workdir: Path
) -> None:
    app = SandboxApp()
    server = serve(app)
    write_campaigns(workdir / "campaigns", 5)
    original = app.handle
    done = threading.Event()

    def someone_else_creates(method, target, headers, body):
        if "per_page=1&" in target + "&" and not done.is_set():
            done.set()  # another job applied while this one waited at its prompt
            existing(app, ["Campaign 0002"])
        return original(method, target, headers, body)

    app.handle = someone_else_creates  # type: ignore[method-assign]
    result = invoke(["apply", "--auto-approve"], env_for(server))
    assert result.exit_code == 0, result.output
    assert "it appeared in the account during this apply" in result.output
    assert "4 created, 1 adopted" in result.output
    assert names_in_account(app)["Campaign 0002"] == 1
    assert state_ids(workdir / "campaigns.state.json")["Campaign 0002"] == "cmp_old00000"


def apply_while_someone_else_creates(serve, workdir: Path, count: int, names: list[str],
                                     after_posts: int = 10):  # type: ignore[no-untyped-def]
    """Apply `count` campaigns at parallelism 4 while another job creates `names` after
    this run's tenth create. Every request takes 10 ms, and a read of the total 10 ms more
    (the creates must not wait for it)."""
    app = SandboxApp(faults=Faults(latency=0.01))
    server = serve(app)
    write_campaigns(workdir / "campaigns", count)
    original = app.handle
    injected = threading.Event()
    reading = threading.Event()  # a read of the total is being answered
    posts_during_a_read = []

    def someone_else_creates(method, target, headers, body):
        if method == "POST":
            if reading.is_set():
                posts_during_a_read.append(1)
            if posts(app) >= after_posts and not injected.is_set():
                injected.set()
                existing(app, names)
        if "per_page=1&" in target + "&" and injected.is_set():
            reading.set()
            try:
                time.sleep(0.01)
                return original(method, target, headers, body)
            finally:
                reading.clear()
        return original(method, target, headers, body)

    app.handle = someone_else_creates  # type: ignore[method-assign]
    result = invoke(["apply", "--auto-approve", "--max-creates", str(count), "--parallelism",
                     "4"], env_for(server))
    checks = [r for r in app.request_log if "per_page=1" in r.query.split("&")]
    return app, result, checks, posts_during_a_read


def test_another_job_creating_campaigns_mid_run_is_seen_beside_the_creates(
    serve, workdir: Path
) -> None:
    """Twelve of the queued campaigns appear at once: the read of the total made beside the
    creates sees more than this run can have made, and the next create to start lists the
    account first and adopts them instead of sending them."""
    names = [f"Campaign {i:04d}" for i in range(30, 42)]
    app, result, checks, posts_during_a_read = apply_while_someone_else_creates(
        serve, workdir, 60, names)
    assert result.exit_code == 0, result.output
    assert "48 created, 12 adopted" in result.output
    assert all(names_in_account(app)[n] == 1 for n in names)
    assert len(checks) <= 60 // 4 + 4  # before and after the first create, once a wave
    assert posts_during_a_read  # the creates went on while a read was answered


def test_a_single_campaign_created_mid_run_is_seen_by_the_next_exact_check(
    serve, workdir: Path
) -> None:
    """One queued campaign appears: too few to stand out beside the creates in flight, so
    it is seen by the read made with none in flight, every ten waves."""
    from reconciler.apply.account_total import EXACT_CHECK_WAVES

    count = EXACT_CHECK_WAVES * 4 + 40
    app, result, _, _ = apply_while_someone_else_creates(
        serve, workdir, count, ["Campaign 0075"])
    assert result.exit_code == 0, result.output
    assert f"{count - 1} created, 1 adopted" in result.output
    assert names_in_account(app)["Campaign 0075"] == 1
    assert state_ids(workdir / "campaigns.state.json")["Campaign 0075"] == "cmp_old00000"


def race(serve, tmp_path: Path, honour: bool, n: int = 40) -> int:
    """Two applies, two state files, one account, at the same moment: duplicates made."""
    app = SandboxApp(faults=Faults(latency=0.01), honour_idempotency_key=honour)
    server = serve(app)
    env = env_for(server)
    args = ["apply", "--auto-approve", "--max-creates", "1000", "--parallelism", "4"]
    procs = []
    for side in ("a", "b"):
        write_campaigns(tmp_path / side / "campaigns", n)
        procs.append(process(args, env, tmp_path / side))
    for proc in procs:
        proc.communicate(timeout=120)
    counts = names_in_account(app)
    return sum(k - 1 for k in counts.values())


def test_two_applies_at_once_make_no_duplicate_when_keys_are_honoured(
    serve, tmp_path: Path
) -> None:
    assert race(serve, tmp_path, honour=True) == 0


def test_two_applies_at_once_without_keys_send_at_most_one_campaign_twice(
    serve, tmp_path: Path
) -> None:
    # The first wave is a single create and a name this run sent appearing under another
    # ID stops the run: the two appliers find each other after one campaign each.
    assert race(serve, tmp_path, honour=False) <= 1


# -- the state file ----------------------------------------------------------------------------


def test_a_duplicate_key_in_the_state_is_refused_naming_its_line(tmp_path: Path) -> None:
    from reconciler.state import StateError

    path = tmp_path / "campaigns.state.json"
    entry = ('{"at": "2026-01-01T00:00:00Z", "channel": "sms", "digest": "sha256:x", '
             '"file": "c.yaml", "id": "%s", "origin": "created"}')
    path.write_text(
        '{\n  "api_url": "sandbox",\n  "campaigns": {\n'
        f'    "Promo": {entry % "cmp_a"},\n'
        f'    "Promo": {entry % "cmp_b"}\n'
        '  },\n  "lineage": "l",\n  "serial": 1,\n  "version": 1\n}\n', encoding="utf-8")
    with pytest.raises(StateError) as refused:
        load(path, None)
    assert f"{path}:5:5: the key 'Promo' appears twice" in str(refused.value)


def test_a_kill_between_the_temporary_file_and_the_rename_is_tidied_by_the_next_apply(
    serve, workdir: Path
) -> None:
    server = serve()
    env = env_for(server)
    write_campaigns(workdir / "campaigns", 2)
    assert invoke(["apply", "--auto-approve"], env).exit_code == 0
    write_campaigns(workdir / "campaigns", 3)
    path = workdir / "campaigns.state.json"
    before = path.read_text(encoding="utf-8")
    # A killed apply: its create was journalled, and it died after writing the new state
    # to a temporary file but before renaming it over the old one.
    state = load(path, server.url)
    journal = Journal(path, state)
    from reconciler.state import new_entry

    existing(server.app, ["Campaign 0002"])
    defined = load_definitions([str(workdir / "campaigns")]).campaigns
    journal.record("Campaign 0002", new_entry("cmp_old00000", "sms", defined[2].digest(),
                                              "created", "campaigns/campaigns.yaml"))
    journal.close()
    (workdir / ".campaigns.state.json.k1ll3d.tmp").write_text("{half a state", encoding="utf-8")
    assert path.read_text(encoding="utf-8") == before
    tidy = invoke(["apply", "--auto-approve"], env)  # nothing to do, but a journal to fold
    assert tidy.exit_code == 0, tidy.output
    assert "Folded what an interrupted apply left into the state." in tidy.output
    assert state_ids(path)["Campaign 0002"] == "cmp_old00000"
    assert not list(workdir.glob(".campaigns.state.json.*.tmp"))
    assert not (workdir / "campaigns.state.json.journal").exists()

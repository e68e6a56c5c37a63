"""The API client against the sandbox server over a real socket on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from conftest import FakeTime
from e2e import posts

from reconciler.client import (
    BadRequest,
    ConfigError,
    InconsistentListing,
    InsufficientCredits,
    ListingStats,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    RetryPolicy,
    Secret,
    ServerError,
    Unauthorized,
    Unreachable,
    ValidationFailed,
    ZexaClient,
    parse_retry_after,
)
from reconciler.sandbox.account import StoredCampaign
from reconciler.sandbox.app import Faults, Reply, SandboxApp
from reconciler.workflow.connect import check_url, read_api_key

SMS = {"name": "Sale", "channel": "sms", "contact_list_id": "lst_partners",
       "sender_id": "MYBRAND", "body": "hi"}
KEY = "zk_live_7f3a9c1e55d04b2a"


def client(server, fake: FakeTime | None = None, **kw) -> ZexaClient:
    fake = fake or FakeTime()
    kw.setdefault("retry", RetryPolicy(attempts=4, total_seconds=60))
    return ZexaClient(server.url, Secret(KEY), sleep=fake.sleep, clock=fake.clock,
                      jitter=lambda: 0.5, **kw)


# -- configuration --------------------------------------------------------------------


def test_missing_key_says_how_to_set_it_and_mentions_the_sandbox() -> None:
    with pytest.raises(ConfigError) as err:
        read_api_key(None, {})
    assert "ZEXA_API_KEY" in str(err.value) and "--sandbox" in str(err.value)
    assert "\n" not in str(err.value)


def test_key_file_is_read_and_stripped(tmp_path) -> None:
    path = tmp_path / "key"
    path.write_text(KEY + "\n", encoding="utf-8")
    assert read_api_key(str(path), {}).reveal() == KEY


@pytest.mark.parametrize("url", ["http://api.zexa.ao/v1", "ftp://x/v1", "http://10.0.0.1/v1"])
def test_plain_http_is_refused_except_to_loopback(url: str) -> None:
    with pytest.raises(ConfigError):
        check_url(url)


@pytest.mark.parametrize(
    "url", ["https://api.zexa.ao/v1", "http://127.0.0.1:9/v1", "http://localhost/v1",
            "http://[::1]:8/v1"]
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    assert check_url(url + "/") == url


# -- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "error", "code"),
    [
        ({**SMS, "channel": "fax"}, BadRequest, "invalid_request"),
        ({k: v for k, v in SMS.items() if k != "sender_id"}, BadRequest, "invalid_request"),
        ({**SMS, "contact_list_id": "lst_nope"}, NotFound, "not_found"),
        ({**SMS, "sender_id": "OTHER"}, ValidationFailed, "validation_error"),
        ({**SMS, "sender_id": "NEWBRAND"}, ValidationFailed, "validation_error"),
        ({**SMS, "body": None}, ValidationFailed, "validation_error"),
        ({**SMS, "scheduled_at": "2020-01-01T00:00:00Z"}, ValidationFailed, "validation_error"),
    ],
)
def test_each_documented_create_error_is_a_typed_exception_with_its_request_id(
    serve, payload, error, code
) -> None:
    server = serve()
    with pytest.raises(error) as caught:
        client(server).create_campaign(payload)
    exc = caught.value
    assert exc.code == code and exc.request_id and exc.request_id.startswith("req_")
    assert exc.request_id in str(exc)
    assert posts(server.app) == 1  # a definite failure is not retried


def test_insufficient_credits_carries_the_details(serve) -> None:
    server = serve(seed={"contact_lists": [{"id": "lst_a", "size": 10}],
                         "sender_ids": [{"sender_id": "B", "channel": "sms",
                                         "status": "approved"}],
                         "credits": 5})
    with pytest.raises(InsufficientCredits) as caught:
        client(server).create_campaign({**SMS, "contact_list_id": "lst_a", "sender_id": "B"})
    assert caught.value.details == {"required": 10, "available": 5}


def test_a_wrong_key_is_401_and_not_retried(serve) -> None:
    server = serve(api_key="the-right-key")
    with pytest.raises(Unauthorized):
        client(server).credits()
    assert len(server.app.request_log) == 1


def test_get_unknown_campaign_is_not_found(serve) -> None:
    with pytest.raises(NotFound) as caught:
        client(serve()).get_campaign("cmp_nope")
    assert "[request_id: req_" in str(caught.value)


def test_a_gateway_html_page_is_a_server_error_not_a_crash(serve) -> None:
    server = serve(faults=Faults(gateway_share=1.0))
    fake = FakeTime()
    with pytest.raises(ServerError) as caught:
        client(server, fake).credits()
    assert "non-JSON body (text/html)" in str(caught.value)
    assert len(server.app.request_log) == 4  # retried up to the attempt limit


# -- retries --------------------------------------------------------------------------


def test_reads_are_retried_on_5xx_with_exponential_backoff(serve) -> None:
    server = serve()
    server.app.script = [Reply(500, b"{}"), Reply(503, b"oops"), None]
    fake = FakeTime()
    credits = client(server, fake).credits()
    assert credits is not None and credits.balance == 250000
    assert fake.sleeps == [0.25, 0.5]  # base 0.5 x 2^n x jitter 0.5


def test_retry_after_in_seconds_is_honoured(serve) -> None:
    server = serve()
    server.app.script = [Reply(429, b"{}", {"Retry-After": "7"}), None]
    fake = FakeTime()
    client(server, fake).credits()
    assert fake.sleeps == [7.0]


def test_retry_after_as_an_http_date_is_honoured() -> None:
    now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    header = format_datetime(now + timedelta(seconds=42), usegmt=True)
    assert parse_retry_after(header, now=now.timestamp()) == 42
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("-3") == 0


def test_retries_stop_at_the_attempt_limit(serve) -> None:
    server = serve(faults=Faults(error_share=1.0))
    with pytest.raises(ServerError):
        client(server, retry=RetryPolicy(attempts=3)).credits()
    assert len(server.app.request_log) == 3


def test_retries_stop_when_the_time_budget_would_be_exceeded(serve) -> None:
    server = serve(faults=Faults(throttle_share=1.0, retry_after=20))
    fake = FakeTime()
    with pytest.raises(RateLimited):
        client(server, fake, retry=RetryPolicy(attempts=100, total_seconds=50)).credits()
    assert fake.sleeps == [20.0, 20.0]
    assert len(server.app.request_log) == 3


def test_a_429_slows_every_request_of_the_client(serve) -> None:
    server = serve()
    server.app.script = [Reply(429, b"{}", {"Retry-After": "5"})]
    fake = FakeTime()
    zexa = client(server, fake, retry=RetryPolicy(attempts=1))
    with pytest.raises(RateLimited):
        zexa.credits()  # gets the 429 and gives up at once: it never sleeps itself
    assert fake.sleeps == []
    zexa.sender_ids()  # another request, on another endpoint, waits out the pause
    assert fake.sleeps == [5.0]


def test_timeouts_on_reads_are_retried_then_reported(serve) -> None:
    server = serve(faults=Faults(latency=0.3))
    with pytest.raises(Unreachable) as caught:
        client(server, retry=RetryPolicy(attempts=2), timeout=0.05).credits()
    assert "timed out" in str(caught.value)


def test_connection_refused_is_unreachable(serve) -> None:
    server = serve()
    url = server.url
    server.stop()
    with pytest.raises(Unreachable):
        ZexaClient(url, Secret(KEY), sleep=lambda s: None,
                   retry=RetryPolicy(attempts=2)).credits()


# -- creates --------------------------------------------------------------------------


def test_create_sends_idempotency_key_and_user_agent(serve) -> None:
    server = serve()
    created = client(server).create_campaign(SMS, idempotency_key="idem-1")
    assert created.id.startswith("cmp_") and created.name == "Sale"
    (post,) = [r for r in server.app.request_log if r.method == "POST"]
    assert post.idempotency_key == "idem-1"
    assert post.user_agent and post.user_agent.startswith("zexa-campaigns/")


@pytest.mark.parametrize(
    "faults", [Faults(commit_then_drop_share=1.0), Faults(commit_then_error_share=1.0)]
)
def test_a_create_whose_answer_is_lost_is_outcome_unknown_and_not_retried(serve, faults):
    server = serve(faults=faults)
    with pytest.raises(OutcomeUnknown) as caught:
        client(server).create_campaign(SMS)
    assert caught.value.name == "Sale"
    assert posts(server.app) == 1
    # ...and the server did create it: only a listing can tell.
    assert [c.name for c in client(server).list_campaigns()].count("Sale") == 1


def test_a_create_that_times_out_is_outcome_unknown(serve) -> None:
    server = serve(faults=Faults(latency=0.3))
    with pytest.raises(OutcomeUnknown) as caught:
        client(server, timeout=0.05).create_campaign(SMS)
    assert "no answer in time" in str(caught.value)
    deadline = time.monotonic() + 5
    while not posts(server.app) and time.monotonic() < deadline:
        time.sleep(0.01)  # the server is still answering the request the client gave up on
    assert posts(server.app) == 1


def test_a_create_answered_429_was_not_acted_on_and_is_retried(serve) -> None:
    server = serve()
    server.app.script = [Reply(429, b"{}", {"Retry-After": "1"}), None]
    created = client(server).create_campaign(SMS)
    assert posts(server.app) == 2
    assert [c.id for c in server.app.account.campaigns if c.name == "Sale"] == [created.id]


# -- listing --------------------------------------------------------------------------


def fill(app: SandboxApp, n: int) -> None:
    for i in range(n):
        app.account.campaigns.append(StoredCampaign(
            id=f"cmp_{i:06d}", name=f"C{i}", channel="sms", contact_list_id="lst_a",
            sender_id="B", body="x", template=None, scheduled_at=None, total_recipients=1,
            created_at="2026-01-01T00:00:00Z", cost=1))


def test_listing_1050_campaigns_with_clamped_pages_gets_each_once(serve) -> None:
    app = SandboxApp(max_per_page=40, seed={"campaigns": []})
    fill(app, 1050)
    server = serve(app)
    stats = ListingStats()
    campaigns = client(server).list_campaigns(stats)
    assert len(campaigns) == 1050 and len({c.id for c in campaigns}) == 1050
    assert stats.requests == 27  # ceil(1050 / 40), read from meta, not assumed
    pages = [r.query for r in app.request_log]
    assert all("per_page=100" in q for q in pages)


def test_the_page_that_shows_where_a_full_listing_ends_is_read_in_the_same_round(
        serve) -> None:
    """1,000 campaigns at 100 a page: the total's last page will be full, so page 11 (empty:
    the end) is asked for with pages 2 to 10, not in a round trip of its own."""
    app = SandboxApp(seed={"campaigns": []}, faults=Faults(latency=0.2))
    fill(app, 1000)
    guard = threading.Lock()
    answered = 0
    seen_at_arrival: list[int] = []  # how many requests were answered when each arrived

    def sleep(seconds: float) -> None:
        nonlocal answered
        with guard:
            seen_at_arrival.append(answered)
        time.sleep(seconds)
        with guard:
            answered += 1

    app.sleep = sleep
    stats = ListingStats()
    campaigns = client(serve(app)).list_campaigns(stats)
    assert len(campaigns) == 1000 and stats.requests == 11
    assert sorted(seen_at_arrival) == [0] + [1] * 10  # page 1, then the rest at once


def test_a_listing_during_which_pages_shift_is_repeated(serve) -> None:
    app = SandboxApp(seed={"campaigns": []})
    fill(app, 250)
    original = app.handle
    inserted = threading.Event()

    def handle(method, target, headers, body):
        if "page=3" in target and not inserted.is_set():
            inserted.set()  # someone creates a campaign while we list: pages shift
            fill_one(app)
        return original(method, target, headers, body)

    def fill_one(a: SandboxApp) -> None:
        a.account.campaigns.append(StoredCampaign(
            id="cmp_new", name="New", channel="sms", contact_list_id="lst_a", sender_id="B",
            body="x", template=None, scheduled_at=None, total_recipients=1,
            created_at="2026-01-01T00:00:00Z", cost=1))

    app.handle = handle  # type: ignore[method-assign]
    stats = ListingStats()
    campaigns = client(serve(app), concurrency=1).list_campaigns(stats)
    assert stats.attempts == 2
    assert len({c.id for c in campaigns}) == 251


def test_a_listing_that_never_settles_is_refused(serve) -> None:
    app = SandboxApp(seed={"campaigns": []})
    fill(app, 150)
    original = app.handle
    counter = iter(range(10**6))

    def handle(method, target, headers, body):
        i = next(counter)
        app.account.campaigns.append(StoredCampaign(
            id=f"cmp_x{i}", name="X", channel="sms", contact_list_id="lst_a", sender_id="B",
            body="x", template=None, scheduled_at=None, total_recipients=1,
            created_at="2026-01-01T00:00:00Z", cost=1))
        return original(method, target, headers, body)

    app.handle = handle  # type: ignore[method-assign]
    with pytest.raises(InconsistentListing):
        client(serve(app)).list_campaigns()


def test_sender_ids_degrade_to_none_on_404_or_an_unknown_shape(serve) -> None:
    server = serve()
    server.app.script = [Reply(404, b'{"error": "not_found", "message": "x"}')]
    assert client(server).sender_ids() is None
    server.app.script = [Reply(200, json.dumps({"items": [1, 2]}).encode())]
    assert client(server).sender_ids() is None
    server.app.script = [Reply(200, json.dumps([{"id": "X"}]).encode())]
    assert [s.sender_id for s in client(server).sender_ids() or []] == ["X"]


# -- the key --------------------------------------------------------------------------


def test_the_key_never_appears_in_reprs_errors_or_logs(serve, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    server = serve(faults=Faults(commit_then_error_share=1.0))
    zexa = client(server)
    texts = [repr(zexa), repr(Secret(KEY)), str(Secret(KEY))]
    for call in (lambda: zexa.create_campaign(SMS), lambda: zexa.get_campaign("cmp_x")):
        try:
            call()
        except Exception as exc:
            texts += [str(exc), repr(exc), repr(exc.__dict__)]
    texts += [r.getMessage() for r in caplog.records]
    assert caplog.records  # httpx did log: the check below is not vacuous
    assert not [t for t in texts if KEY in t]
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(Secret(KEY))


def test_the_proxy_the_environment_names_carries_every_request(monkeypatch) -> None:
    """Requests go through httpx's client, which picks the transport for the URL: a forward
    proxy named in HTTP_PROXY sees them, in absolute form, with the key."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[tuple[str, str | None]] = []

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.path, self.headers.get("Authorization")))
            body = json.dumps({"id": "cmp_1", "name": "Sale", "channel": "sms",
                               "status": "completed"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_address[1]}")
    try:
        with ZexaClient("http://api.zexa.example/v1", Secret(KEY)) as zexa:
            assert zexa.get_campaign("cmp_1").name == "Sale"
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert seen == [("http://api.zexa.example/v1/campaigns/cmp_1", f"Bearer {KEY}")]


def test_an_https_api_has_its_certificate_checked() -> None:
    import ssl

    client = ZexaClient("https://api.zexa.ao/v1", Secret(KEY))
    context = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    client.close()

"""The online link check, against HTTP servers on 127.0.0.1 (real sockets): every status,
redirects, loops, silence, endless bodies, DNS and TLS failures; then the command line."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from reconciler.checks.linkcheck import USER_AGENT, LinkChecker, describe_failure

REDIRECTS = {"/moved": (301, "/moved-again"), "/moved-again": (302, "/ok"),
             "/loop-a": (302, "/loop-b"), "/loop-b": (302, "/loop-a")}
STATUSES = {"/ok": 200, "/missing": 404, "/error": 500, "/forbidden": 403}


class Site(BaseHTTPRequestHandler):
    """A small site: a status per path, redirects, a page whose HEAD is refused, and a
    page whose body never ends."""

    asked: ClassVar[Counter[tuple[str, str]]] = Counter()
    agents: ClassVar[set[str]] = set()

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, with_body: bool) -> None:
        self.path = self.path.split("?")[0]
        Site.asked[(self.command, self.path)] += 1
        Site.agents.add(self.headers.get("User-Agent", ""))
        if self.path in REDIRECTS:
            status, location = REDIRECTS[self.path]
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path in ("/no-head", "/endless") and self.command == "HEAD":
            self.send_response(405)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/endless":
            self.send_response(200)
            self.end_headers()  # no length: the body runs until the connection closes
            deadline = time.monotonic() + 10  # bounded: the server stops by itself
            try:
                while time.monotonic() < deadline:
                    self.wfile.write(b"x" * 65536)
            except OSError:
                pass
            self.close_connection = True
        else:
            status = STATUSES.get(self.path, 200 if self.path == "/no-head" else 404)
            body = b"page" if with_body else b""
            self.send_response(status)
            self.send_header("Content-Length", str(len(b"page")))
            self.end_headers()
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def do_GET(self) -> None:
        self._answer(with_body=True)


@pytest.fixture
def site() -> Iterator[str]:
    Site.asked.clear()
    Site.agents.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent() -> Iterator[str]:
    """A socket that takes connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def check(url: str, **options: object) -> object:
    with LinkChecker(timeout=2.0, **options) as checker:  # type: ignore[arg-type]
        return checker.check([url])[url]


@pytest.mark.parametrize(("path", "status", "problem"), [
    ("/ok", 200, None),
    ("/missing", 404, "answers 404 Not Found"),
    ("/error", 500, "answers 500 Internal Server Error"),
    ("/forbidden", 403, "answers 403 Forbidden"),
])
def test_each_status_is_reported(site: str, path: str, status: int,
                                 problem: str | None) -> None:
    answer = check(site + path)
    assert (answer.status, answer.problem) == (status, problem)  # type: ignore[attr-defined]


def test_a_broken_page_is_confirmed_with_get(site: str) -> None:
    check(site + "/missing")
    assert Site.asked == Counter({("HEAD", "/missing"): 1, ("GET", "/missing"): 1})


def test_a_refused_head_is_asked_again_with_get(site: str) -> None:
    answer = check(site + "/no-head")
    assert (answer.status, answer.problem) == (200, None)  # type: ignore[attr-defined]


def test_a_working_page_is_asked_once_with_head(site: str) -> None:
    check(site + "/ok")
    assert Site.asked == Counter({("HEAD", "/ok"): 1})


def test_redirects_are_followed_and_recorded(site: str) -> None:
    answer = check(site + "/moved")
    assert answer.redirects == (site + "/moved-again", site + "/ok")  # type: ignore[attr-defined]
    assert (answer.status, answer.problem) == (200, None)  # type: ignore[attr-defined]


def test_a_redirect_loop_is_a_finding(site: str) -> None:
    answer = check(site + "/loop-a")
    assert answer.problem == f"redirect loop: it comes back to {site}/loop-a"  # type: ignore[attr-defined]


def test_too_many_redirects_are_a_finding(site: str) -> None:
    answer = check(site + "/moved", max_redirects=1)
    assert answer.problem == "more than 1 redirects"  # type: ignore[attr-defined]


def test_a_host_that_never_answers_times_out(silent: str) -> None:
    with LinkChecker(timeout=0.3) as checker:
        answer = checker.check([silent + "/x"])[silent + "/x"]
    assert answer.status is None and answer.problem.startswith("no answer within 0.3 s")


def test_an_endless_body_is_never_read(site: str) -> None:
    answer = check(site + "/endless")
    assert (answer.status, answer.problem) == (200, None)  # type: ignore[attr-defined]


def test_a_name_under_invalid_is_a_dns_failure_without_asking_a_resolver(monkeypatch) -> None:
    def no_resolver(*args: object, **kwargs: object) -> None:
        raise AssertionError("a resolver was asked")

    monkeypatch.setattr(socket, "getaddrinfo", no_resolver)
    answer = check("https://shop.myapp.invalid/promo")
    assert answer.problem == "DNS failure: the name does not resolve"  # type: ignore[attr-defined]


def test_a_name_that_does_not_resolve_is_a_dns_failure(monkeypatch) -> None:
    """The resolver's own failure (here a stand-in for getaddrinfo, so that no query
    leaves the machine), as httpx reports it."""

    def unknown(host: object, *args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    answer = check("https://myapp-typo.ao/promo")
    assert answer.problem == "DNS failure: the name does not resolve"  # type: ignore[attr-defined]


def test_a_certificate_no_one_vouches_for_is_a_tls_error() -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        answer = check(f"https://127.0.0.1:{server.server_address[1]}/ok")
    finally:
        server.shutdown()
        server.server_close()
    assert answer.problem.startswith("TLS error: ")  # type: ignore[attr-defined]
    assert "certificate" in answer.problem  # type: ignore[attr-defined]


def test_a_failure_without_words_is_named_by_its_kind() -> None:
    assert describe_failure(httpx.ReadError(""), 5.0) == \
        "the server broke off the answer: ReadError"
    assert describe_failure(httpx.DecodingError(""), 5.0) == \
        "the request failed: DecodingError"


def test_each_url_is_asked_once_a_run_with_a_descriptive_user_agent(site: str) -> None:
    with LinkChecker(timeout=2.0) as checker:
        checker.check([site + "/ok", site + "/ok"])
        checker.check([site + "/ok"])
    assert Site.asked == Counter({("HEAD", "/ok"): 1})
    assert Site.agents == {USER_AGENT} and "zexa-campaigns/" in USER_AGENT


def test_500_links_are_checked_a_few_at_a_time(site: str) -> None:
    urls = [f"{site}/ok?n={i}" for i in range(500)]
    with LinkChecker(timeout=2.0) as checker:
        answers = checker.check(urls)
    assert len(answers) == 500 and all(a.problem is None for a in answers.values())


def test_one_host_gets_at_most_its_share_of_requests() -> None:
    """Requests to one host wait for each other beyond the per-host limit."""
    busy, most = 0, 0
    lock = threading.Lock()

    class Slow(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            nonlocal busy, most
            with lock:
                busy += 1
                most = max(most, busy)
            time.sleep(0.05)
            with lock:
                busy -= 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with LinkChecker(timeout=2.0, concurrency=8, per_host=2) as checker:
            checker.check([f"{base}/{i}" for i in range(12)])
    finally:
        server.shutdown()
        server.server_close()
    assert most == 2


# -- the command line -----------------------------------------------------------------------


SALE = """\
name: Black Friday 2099
purpose: marketing
channel: sms
contact_list_id: lst_customers
sender_id: MYBRAND
body: |
  Black Friday: 30% off everything!
  Shop now at {url}
  Responda STOP para cancelar.
scheduled_at: {when}
"""


def _repository(tmp_path: Path, url: str, config: str = "") -> None:
    from e2e import future

    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "sale.yaml").write_text(
        SALE.format(url=url, when=future()), encoding="utf-8")
    if config:
        (tmp_path / ".campaigns.yaml").write_text(config, encoding="utf-8")


def test_a_link_that_answers_404_is_an_error_at_its_place_and_the_apply_is_refused(
        serve, site: str, tmp_path: Path, monkeypatch) -> None:
    from e2e import env_for, invoke

    monkeypatch.chdir(tmp_path)
    _repository(tmp_path, f"{site}/missing", "links:\n  check: true\n")
    server = serve()
    env = env_for(server)
    planned = invoke(["plan", "--check-links"], env)
    assert planned.exit_code == 1
    assert "! error    Black Friday 2099  campaigns/sale.yaml:8:15: body" in planned.output
    assert f"{site}/missing: answers 404 Not Found; a recipient who taps" in planned.output
    assert "0 to create" in planned.output
    applied = invoke(["apply", "--auto-approve"], env)
    assert applied.exit_code == 1 and "Apply refused: the plan has" in applied.output
    assert not any(r.method == "POST" for r in server.app.request_log)


def test_without_the_check_no_link_is_asked(serve, site: str, tmp_path: Path,
                                            monkeypatch) -> None:
    from e2e import env_for, invoke

    monkeypatch.chdir(tmp_path)
    _repository(tmp_path, f"{site}/missing")
    assert "answers 404" not in invoke(["plan"], env_for(serve())).output
    assert Site.asked == Counter()


def test_a_broken_link_outside_the_allowed_domains_is_a_warning(serve, site: str,
                                                                tmp_path: Path,
                                                                monkeypatch) -> None:
    from e2e import env_for, invoke

    monkeypatch.chdir(tmp_path)
    _repository(tmp_path, f"{site}/missing", "links:\n  allowed_domains: [myapp.ao]\n")
    planned = invoke(["plan", "--check-links", "--format", "json"], env_for(serve()))
    doc = json.loads(planned.output)
    (broken,) = [d for d in doc["diagnostics"] if d["code"] == "link-broken"]
    assert broken["severity"] == "warning" and planned.exit_code == 0


def test_redirects_show_in_the_text_and_json_plans(serve, site: str, tmp_path: Path,
                                                  monkeypatch) -> None:
    from e2e import env_for, invoke

    monkeypatch.chdir(tmp_path)
    _repository(tmp_path, f"{site}/moved")
    env = env_for(serve())
    text = invoke(["plan", "--check-links"], env).output
    assert f"{site}/moved → {site}/moved-again → {site}/ok: 200" in text
    doc = json.loads(invoke(["plan", "--check-links", "--format", "json"], env).output)
    assert doc["links"] == [{
        "url": f"{site}/moved", "status": 200, "redirects": [f"{site}/moved-again",
                                                             f"{site}/ok"],
        "final_url": f"{site}/ok", "failure": None,
        "places": [{"file": "campaigns/sale.yaml", "line": 8, "column": 15}]}]
    from reconciler.schema import validator_for

    assert list(validator_for("plan.schema.json").iter_errors(doc)) == []
    markdown = invoke(["plan", "--check-links", "--format", "markdown"], env).output
    assert f"{site}/moved → {site}/moved-again → {site}/ok" in markdown


def test_a_link_without_utm_campaign_warns_under_require_params(serve, tmp_path: Path,
                                                               monkeypatch) -> None:
    from e2e import env_for, invoke

    monkeypatch.chdir(tmp_path)
    _repository(tmp_path, "myapp.ao/x", "links:\n  require_params: [utm_campaign]\n")
    planned = invoke(["plan"], env_for(serve()))
    assert ("campaigns/sale.yaml:8:15: warning: body: 'myapp.ao/x' lacks utm_campaign "
            "(require_params)") in planned.output
    assert planned.exit_code == 0

"""Send once, part two: one apply finishes the job, no answer that contradicts what was sent
is believed, no secret reaches any output, and every environment problem ends in one line.

Each test is a way a server, a gateway or a machine misbehaved for real; the sandbox's
fault modes (or a hostile wrapper around it) play it on a real socket.
"""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import trustme
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
    stored,
    write_campaigns,
)

from reconciler.client import RetryPolicy, Unreachable, ZexaClient
from reconciler.client.api import DEFAULT_URL
from reconciler.definitions import load_definitions
from reconciler.grace import IN_FLIGHT_GRACE
from reconciler.sandbox.app import Faults, Reply, SandboxApp
from reconciler.secret import Secret
from reconciler.state import load
from reconciler.workflow.apply import ApplyHooks, ApplyRequest, run_apply


def one_campaign(folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "c.yaml").write_text(
        f"name: {json.dumps(name)}\nchannel: sms\ncontact_list_id: lst_partners\n"
        "sender_id: MYBRAND\nbody: \"Hello. Reply STOP to opt out.\"\n"
        f"scheduled_at: 2099-01-01T09:00:00Z\n", encoding="utf-8")


# -- one apply finishes the job ---------------------------------------------------------------


def test_one_apply_settles_plain_500s_and_commits_behind_500s_and_sends_each_once(
    serve, workdir: Path
) -> None:
    app = SandboxApp(faults=Faults(error_share=0.2, commit_then_error_share=0.15, seed=11))
    server = serve(app)
    write_campaigns(workdir / "campaigns", 150)
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="0.3")
    result = invoke(["apply", "--auto-approve", "--max-creates", "500"], env)
    assert result.exit_code == 0, result.output[-3000:]
    assert "Apply complete: 150 created, 0 adopted." in result.output
    # Lost answers were settled in this run: creates proven absent were sent again, under
    # the same idempotency key. (Whether a wait line shows depends on how long the batch
    # took against the 0.3 s grace; the countdown has its own test.)
    keys = Counter(r.idempotency_key for r in app.request_log if r.method == "POST")
    assert max(keys.values()) > 1
    assert_consistent(app, workdir / "campaigns.state.json")
    assert len(state_ids(workdir / "campaigns.state.json")) == 150
    assert set(names_in_account(app).values()) == {1}
    assert sum(1 for r in app.request_log if r.status == 500) > 20  # the faults did happen


def test_no_wait_leaves_lost_answers_to_a_later_run_and_says_when_it_may_run(
    serve, workdir: Path
) -> None:
    app = SandboxApp(faults=Faults(late_commit_share=1.0, late_commit_delay=0.2))
    server = serve(app)
    write_campaigns(workdir / "campaigns", 2)
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="30")
    first = invoke(["apply", "--auto-approve", "--no-wait"], env)
    assert first.exit_code == 1
    assert "it waits until 20" in first.output
    second = invoke(["apply", "--auto-approve", "--no-wait"], env)  # nothing waits: left
    assert second.exit_code == 1 and "2 waiting" in second.output
    assert posts(app) == 2
    third = invoke(["apply", "--auto-approve"], env_for(server))  # a short grace: settled
    assert third.exit_code == 0, third.output
    assert posts(app) == 2
    assert_consistent(app, workdir / "campaigns.state.json")


def test_the_settle_wait_is_bounded_and_what_is_left_is_reported(serve, workdir: Path) -> None:
    # A server that answers every create 201 with another campaign's ID and stores nothing.
    app = SandboxApp(faults=Faults(answer_existing_id=True))
    server = serve(app)
    write_campaigns(workdir / "campaigns", 3)
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="0.2")
    result = invoke(["apply", "--auto-approve", "--settle-timeout", "0.5"], env)
    assert result.exit_code == 1
    assert "3 unknown: may have been sent" in result.output
    assert "already belongs to another campaign" in result.output
    assert 3 <= posts(app) <= 3 * 4  # the first sends, and a round or two within 0.5 s


def test_the_default_grace_covers_twice_the_longest_a_request_may_take() -> None:
    client = ZexaClient(DEFAULT_URL, Secret("k" * 20))
    assert 2 * client.deadline <= IN_FLIGHT_GRACE


def test_the_grace_is_a_setting_of_the_configuration(serve, workdir: Path) -> None:
    app = SandboxApp(faults=Faults(late_commit_share=1.0, late_commit_delay=0.1))
    server = serve(app)
    write_campaigns(workdir / "campaigns", 1)
    (workdir / ".campaigns.yaml").write_text("in_flight_grace: 0.4\n", encoding="utf-8")
    env = env_for(server)
    del env["CAMPAIGNS_INFLIGHT_GRACE"]  # the variable would win over the file
    result = invoke(["apply", "--auto-approve"], {**env, "CAMPAIGNS_INFLIGHT_GRACE": ""})
    assert result.exit_code == 0, result.output
    assert "found by listing" in result.output and posts(app) == 1


# -- an answer lost past the client's timeout ------------------------------------------------


def apply_request(server, folder: Path, **kw) -> ApplyRequest:  # type: ignore[no-untyped-def]
    client = ZexaClient(server.url, Secret(KEY), timeout=0.3, deadline=0.4)
    return ApplyRequest(client=client, api_url=server.url,
                        state_path=folder / "campaigns.state.json", command="test",
                        campaigns=load_definitions([str(folder / "campaigns")]).campaigns,
                        **kw)


def test_a_create_held_past_the_timeout_is_found_by_the_same_run(serve, tmp_path: Path) -> None:
    app = SandboxApp(faults=Faults(hold_create_seconds=0.7))
    server = serve(app)
    write_campaigns(tmp_path / "campaigns", 1)
    events: list[str] = []
    result = run_apply(apply_request(server, tmp_path, in_flight_grace=1.0),
                       ApplyHooks(on_event=lambda e: events.append(e[0])))
    assert result.outcome is not None and result.outcome.ok, result.outcome
    assert events == ["unknown", "found"]
    assert posts(app) == 1
    assert_consistent(app, tmp_path / "campaigns.state.json")


def test_a_second_apply_neither_sends_nor_adopts_while_a_held_create_may_land(
    serve, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = Moved(monkeypatch)
    app = SandboxApp(faults=Faults(hold_create_seconds=0.6))
    server = serve(app)
    write_campaigns(tmp_path / "campaigns", 1)
    first = run_apply(apply_request(server, tmp_path, in_flight_grace=2.5, wait=False),
                      ApplyHooks())
    assert first.outcome is not None and len(first.outcome.unknown) == 1
    assert app.wait_idle()  # the held create has landed: the listing shows it
    assert names_in_account(app)["Campaign 0000"] == 1
    # Within the grace, an apply that does not wait neither adopts nor sends it.
    second = run_apply(apply_request(server, tmp_path, in_flight_grace=2.5, wait=False),
                       ApplyHooks())
    assert second.outcome is not None and [u.earlier for u in second.outcome.unknown] == [True]
    state = load(tmp_path / "campaigns.state.json", server.url)
    assert "Campaign 0000" not in state.campaigns and "Campaign 0000" in state.pending
    moved.forward(2.5)  # past the grace
    final = run_apply(apply_request(server, tmp_path, in_flight_grace=2.5), ApplyHooks())
    assert final.outcome is not None and final.outcome.ok
    assert posts(app) == 1
    assert_consistent(app, tmp_path / "campaigns.state.json")


# -- an answer must match what was sent ------------------------------------------------------


def test_a_201_under_another_name_is_not_recorded_and_the_next_plan_refuses(
    serve, workdir: Path
) -> None:
    app = SandboxApp(faults=Faults(normalise_names=True))
    server = serve(app)
    one_campaign(workdir / "campaigns", "Spring  Sale")
    env = env_for(server)
    result = invoke(["apply", "--auto-approve"], env)
    assert result.exit_code == 1
    assert "as 'Spring Sale' (cmp_" in result.output
    assert "not as the 'Spring  Sale' that was sent" in result.output
    assert state_ids(workdir / "campaigns.state.json") == {}
    (workdir / "campaigns.state.json").unlink()  # even a fresh state must not send again
    again = invoke(["apply", "--auto-approve"], env)
    assert again.exit_code == 1
    assert "the account holds 'Spring Sale'" in again.output
    assert "but for spacing, case or Unicode form" in again.output
    assert posts(app) == 1


def test_a_normalised_name_behind_a_late_504_is_never_sent_again(serve, workdir: Path) -> None:
    app = SandboxApp(faults=Faults(normalise_names=True, late_commit_share=1.0,
                                   late_commit_delay=0.1))
    server = serve(app)
    one_campaign(workdir / "campaigns", "Spring  Sale")
    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="0.3")
    for _ in range(3):
        assert invoke(["apply", "--auto-approve"], env).exit_code == 1
    assert posts(app) == 1
    assert names_in_account(app)["Spring Sale"] == 1


def test_a_201_carrying_an_id_already_known_is_never_recorded(serve, workdir: Path) -> None:
    app = SandboxApp(faults=Faults(answer_existing_id=True))
    server = serve(app)
    taken = app.account.campaigns[0].id
    write_campaigns(workdir / "campaigns", 3)
    result = invoke(["apply", "--auto-approve", "--no-wait"], env_for(server))
    assert result.exit_code == 1
    assert "0 created" in result.output and "3 unknown" in result.output
    assert taken not in state_ids(workdir / "campaigns.state.json").values()
    assert state_ids(workdir / "campaigns.state.json") == {}


# -- rate limits as the server states them ---------------------------------------------------


def test_a_retry_after_beyond_the_budget_stops_the_apply_at_once(serve, workdir: Path) -> None:
    app = SandboxApp()
    server = serve(app)
    write_campaigns(workdir / "campaigns", 9)
    throttled = Reply(429, b'{"error": "rate_limit_exceeded", "message": "Too many requests"}',
                      {"Content-Type": "application/json", "Retry-After": "86400"})
    app.script = [None, None, None, None] + [throttled] * 20  # plan's reads, the total
    result = invoke(["apply", "--auto-approve", "--parallelism", "4"], env_for(server))
    assert result.exit_code == 1
    assert "Retry-After: 86400" in result.output and "about 24 h" in result.output
    assert "was not waited for" in result.output
    assert "Not sent: " + ", ".join(f"'Campaign {i:04d}'" for i in range(9)) in result.output
    assert posts(app) == 1  # the first create went alone; nothing was sent after its 429


# -- no secret in any output or file ---------------------------------------------------------


def assert_no_fragment_of_the_key(text: str) -> None:
    runs = [KEY[i:i + 8] for i in range(len(KEY) - 7)]
    assert not [r for r in runs if r in text], text


def test_secret_masks_every_run_of_eight_characters_of_the_key() -> None:
    secret = Secret(KEY)
    assert secret.redact(f"bad key {KEY[:-1]}!") == "bad key ********!"
    assert secret.redact(f"{KEY[3:12]} and {KEY[-8:]}") == "******** and ********"
    assert secret.redact(KEY[:7]) == KEY[:7]  # seven characters say nothing
    assert secret.redact("nothing here") == "nothing here"


def echoing(app: SandboxApp, fragment: str) -> None:
    """Every answer's `ECHO` becomes a fragment of the key, as a careless server's would."""
    original = app.handle

    def handle(method, target, headers, body):  # type: ignore[no-untyped-def]
        reply = original(method, target, headers, body)
        reply.body = reply.body.replace(b'"status": "scheduled"', b'"status": "ECHO"')
        reply.body = reply.body.replace(b"ECHO", fragment.encode())
        return reply

    app.handle = handle  # type: ignore[method-assign]


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github"])
def test_a_key_echoed_in_listed_campaigns_reaches_no_plan(serve, workdir: Path, fmt: str) -> None:
    app = SandboxApp()
    stored(app, "Unmanaged ECHO", "cmp_echo1", channel="smsECHO")
    stored(app, "Campaign 0000", "cmp_echo2", channel="ECHO")  # the other-channel error
    stored(app, "Campaign 0001", "cmp_ECHO")  # an ID that is not a campaign ID
    echoing(app, KEY[:-1])
    server = serve(app)
    write_campaigns(workdir / "campaigns", 2)
    result = invoke(["plan", "--format", fmt, "--show-unmanaged"], env_for(server))
    assert result.exit_code == 1  # the other-channel and foreign-ID errors
    assert "********" in result.output.replace("\\*", "*")  # Markdown escapes each '*'
    assert_no_fragment_of_the_key(result.output)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_a_key_echoed_in_a_status_reaches_no_output(serve, workdir: Path, fmt: str) -> None:
    app = SandboxApp()
    server = serve(app)
    write_campaigns(workdir / "campaigns", 1)
    assert invoke(["apply", "--auto-approve"], env_for(server)).exit_code == 0
    echoing(app, "x" + KEY[1:])
    result = invoke(["status", "--format", fmt], env_for(server))
    assert "********" in result.output
    assert_no_fragment_of_the_key(result.output)


def test_a_401_quoting_the_key_but_its_last_character_is_masked(serve, workdir: Path) -> None:
    app = SandboxApp()
    app.script = [Reply(401, json.dumps({"error": "unauthorized",
                                         "message": f"invalid key {KEY[:-1]}",
                                         "request_id": KEY[2:]}).encode(),
                        {"Content-Type": "application/json", "X-Request-Id": KEY})] * 3
    server = serve(app)
    write_campaigns(workdir / "campaigns", 1)
    result = invoke(["plan", "--format", "github"], env_for(server))
    assert result.exit_code == 1 and "invalid key ********" in result.output
    assert_no_fragment_of_the_key(result.output)


def test_credentials_in_the_api_url_are_refused_and_never_shown(workdir: Path) -> None:
    write_campaigns(workdir / "campaigns", 1)
    env = {"ZEXA_API_URL": "https://deploy:hunter2secret@api.example.test/v1",
           "ZEXA_API_KEY": KEY, "NO_COLOR": "1"}
    for command in (["plan"], ["plan", "--format", "json"], ["apply", "--auto-approve"]):
        result = invoke(command, env)
        assert result.exit_code == 1
        assert "holds credentials" in result.output and "***@api.example.test" in result.output
        assert "hunter2secret" not in result.output
    assert not (workdir / "campaigns.state.json").exists()


# -- every environment problem ends in one line, in bounded time -----------------------------


@pytest.mark.parametrize(("variable", "value"), [
    ("HTTPS_PROXY", "http://[::1"), ("http_proxy", "proxy.example:3128"),
    ("ALL_PROXY", "http://"), ("HTTPS_PROXY", "https://proxy.example:99999"),
    ("HTTP_PROXY", "socks4://127.0.0.1:1080")])
def test_a_malformed_proxy_variable_is_named(
    serve, workdir: Path, variable: str, value: str
) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    env = env_for(server, **{variable: value, "NO_PROXY": "*"})
    result = invoke(["plan"], env)
    assert result.exit_code == 1
    assert f"{variable.upper()} (or {variable.lower()})" in result.output
    assert "is not a proxy URL" in result.output
    assert "Internal error" not in result.output


def test_a_socks_proxy_without_its_extra_says_what_it_needs(
    serve, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    from reconciler.workflow import connect

    real = importlib.util.find_spec
    monkeypatch.setattr(connect.importlib.util, "find_spec",
                        lambda name, *a: None if name == "socksio" else real(name, *a))
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    result = invoke(["plan"], env_for(server, ALL_PROXY="socks5://127.0.0.1:9"))
    assert result.exit_code == 1
    assert "ALL_PROXY names a SOCKS proxy ('socks5://127.0.0.1:9'), which needs the socks " \
        "extra: pip install 'zexa-campaigns[socks]'" in result.output


class Socks5Proxy(threading.Thread):
    """The smallest SOCKS5 proxy (no authentication, CONNECT only), on loopback: it
    records where each connection asked to go and relays the bytes."""

    def __init__(self) -> None:
        import socket

        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.targets: list[tuple[str, int]] = []

    def run(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(client,), daemon=True).start()

    def serve(self, client) -> None:  # type: ignore[no-untyped-def]
        import socket

        def exactly(n: int) -> bytes:
            data = b""
            while len(data) < n:
                chunk = client.recv(n - len(data))
                if not chunk:
                    raise ConnectionError
                data += chunk
            return data

        try:
            _, methods = exactly(2)
            exactly(methods)
            client.sendall(b"\x05\x00")
            kind = exactly(4)[3]  # version, CONNECT, reserved, address type
            # An IPv4 address (httpx resolves names itself for socks5://), or a name.
            host = socket.inet_ntoa(exactly(4)) if kind == 1 else \
                exactly(exactly(1)[0]).decode()
            port = int.from_bytes(exactly(2), "big")
            self.targets.append((host, port))
            upstream = socket.create_connection((host, port))
            client.sendall(b"\x05\x00\x00\x01" + bytes(6))
        except (ConnectionError, OSError, ValueError):
            client.close()
            return

        def pipe(source, sink) -> None:  # type: ignore[no-untyped-def]
            try:
                while chunk := source.recv(65536):
                    sink.sendall(chunk)
            except OSError:
                pass
            finally:
                sink.close()

        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)

    def close(self) -> None:
        self.listener.close()


def test_a_socks_proxy_carries_every_request_with_the_extra(serve, workdir: Path) -> None:
    import socksio  # noqa: F401 - the socks extra, part of the test extras: never skipped
    app = SandboxApp()
    server = serve(app)
    proxy = Socks5Proxy()
    proxy.start()
    write_campaigns(workdir / "campaigns", 2)
    try:
        result = invoke(["apply", "--auto-approve"],
                        env_for(server, ALL_PROXY=f"socks5://127.0.0.1:{proxy.port}",
                                NO_PROXY=""))
    finally:
        proxy.close()
    assert result.exit_code == 0, result.output
    assert posts(app) == 2
    assert proxy.targets and set(proxy.targets) == {tuple(server.server_address[:2])}


def test_a_dead_proxy_is_named(serve, workdir: Path) -> None:
    server = serve()
    write_campaigns(workdir / "campaigns", 1)
    dead = invoke(["plan"], env_for(server, HTTP_PROXY="http://127.0.0.1:9", NO_PROXY=""))
    assert dead.exit_code == 1  # after the retries a connection failure gets
    assert "through the proxy http://127.0.0.1:9" in dead.output
    assert "connection refused" in dead.output


def test_an_unreachable_host_is_named() -> None:
    client = ZexaClient("http://127.0.0.1:9/v1", Secret(KEY), retry=RetryPolicy(attempts=1))
    with pytest.raises(Unreachable) as caught:
        client.credits()
    assert "could not connect to 127.0.0.1:9: connection refused" in str(caught.value)


def test_a_certificate_the_client_does_not_trust_names_the_host_and_the_reason(
    serve, workdir: Path
) -> None:
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    server = serve()
    server.socket = context.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    write_campaigns(workdir / "campaigns", 1)
    result = invoke(["plan"], env_for(server, ZEXA_API_URL=f"https://127.0.0.1:{port}/v1"))
    assert result.exit_code == 1
    assert f"could not connect to 127.0.0.1:{port}: its certificate was refused" \
        in result.output
    assert "certificate" in result.output.split("refused", 1)[1]


@pytest.mark.posix
def test_a_state_path_that_is_a_named_pipe_is_refused_at_once(serve, tmp_path: Path) -> None:
    server = serve()
    write_campaigns(tmp_path / "campaigns", 1)
    os.mkfifo(tmp_path / "campaigns.state.json")
    env = {**env_for(server)}
    for command in (["plan"], ["state", "list"], ["apply", "--auto-approve"]):
        proc = process(command, env, tmp_path)
        out, err = proc.communicate(timeout=60)  # a read of the pipe would never return
        assert proc.returncode == 1, out + err
        assert "is not a regular file (a named pipe)" in out + err
    assert posts(server.app) == 0


@pytest.mark.posix
def test_a_second_signal_ends_apply_at_once(serve, tmp_path: Path) -> None:
    app = SandboxApp(faults=Faults(hold_create_seconds=30))
    server = serve(app)
    write_campaigns(tmp_path / "campaigns", 2)
    proc = process(["apply", "--auto-approve"], env_for(server), tmp_path)
    journal = tmp_path / "campaigns.state.json.journal"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (
            journal.exists() and b'"intent"' in journal.read_bytes()):
        time.sleep(0.05)  # until the first create has been sent (the server holds it)
    proc.send_signal(signal.SIGTERM)
    assert proc.stderr is not None
    before = []
    for line in proc.stderr:  # until the first signal has been heard
        before.append(line)
        if line.startswith("Stopping: no new creates"):
            break
    proc.send_signal(signal.SIGTERM)
    out, rest = proc.communicate(timeout=10)  # not the 30 s the server holds the create
    err = "".join(before) + rest
    assert proc.returncode == 130, out + err
    assert "Stopped at once" in err
    state = load(tmp_path / "campaigns.state.json", server.url)
    assert list(state.pending) == ["Campaign 0000"]  # in flight, for the next run to settle


def test_a_full_disk_mid_apply_still_reports_every_id_and_the_next_apply_adopts_them(
    serve, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconciler.state import journal as journal_module
    from reconciler.state import store as store_module

    app = SandboxApp()
    server = serve(app)
    write_campaigns(workdir / "campaigns", 6)
    real_write = os.write
    full = threading.Event()

    def write(fd: int, data: bytes) -> int:
        if b'"op": "record"' in data and b"Campaign 0002" in data:
            full.set()  # from the third record on, the disk is full
        if full.is_set():
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    def atomic_write(path: Path, text: str) -> None:
        raise OSError(28, "No space left on device")

    env = env_for(server, CAMPAIGNS_INFLIGHT_GRACE="0.3")
    with monkeypatch.context() as patched:
        patched.setattr(journal_module.os, "write", write)
        patched.setattr(store_module, "_atomic_write", atomic_write)
        result = invoke(["apply", "--auto-approve", "--parallelism", "1"], env)
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert "Created but not recorded: 'Campaign 0002' is cmp_" in result.output
    created = {c.name: c.id for c in app.account.campaigns if c.name.startswith("Campaign")}
    for name, cid in created.items():
        assert cid in result.output, name  # every ID the API gave is in the summary
    assert "Not sent: 'Campaign 0003', 'Campaign 0004', 'Campaign 0005'" in result.output
    Moved(monkeypatch).forward(0.4)  # past the grace
    final = invoke(["apply", "--auto-approve"], env)
    assert final.exit_code == 0, final.output
    assert_consistent(app, workdir / "campaigns.state.json")
    assert posts(app) == 6


def test_state_list_after_a_killed_first_apply_shows_what_its_journal_holds(
    serve, tmp_path: Path
) -> None:
    app = SandboxApp(faults=Faults(latency=0.05))
    server = serve(app)
    write_campaigns(tmp_path / "campaigns", 30)
    proc = process(["apply", "--auto-approve", "--max-creates", "100"], env_for(server),
                   tmp_path)
    deadline = time.monotonic() + 30
    while posts(app) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.kill()
    proc.communicate(timeout=30)
    assert not (tmp_path / "campaigns.state.json").exists()
    listed = subprocess.run([sys.executable, "-m", "reconciler", "state", "list"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "NO_COLOR": "1"}, encoding="utf-8")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "an interrupted apply's journal; no state file yet" in listed.stdout
    recorded = [line for line in listed.stdout.splitlines() if line.startswith("cmp_")]
    assert len(recorded) >= 1


def test_api_settings_stand_at_the_top_and_an_environment_overrides_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconciler.config import load_settings, resolve_target
    from reconciler.workflow.inputs import accepts_short_listing, grace_from_environment

    (tmp_path / ".campaigns.yaml").write_text(
        "in_flight_grace: 300\naccept_short_listing: true\nenvironments:\n"
        "  staging: {in_flight_grace: 30}\n  production: {accept_short_listing: false}\n",
        encoding="utf-8")
    settings, problems = load_settings(None, tmp_path)
    assert problems == []
    staging = resolve_target(settings, "staging", None, "s.json")
    production = resolve_target(settings, "production", None, "s.json")
    monkeypatch.delenv("CAMPAIGNS_INFLIGHT_GRACE", raising=False)
    monkeypatch.delenv("CAMPAIGNS_ACCEPT_SHORT_LISTING", raising=False)
    assert grace_from_environment(staging.api.in_flight_grace) == 30
    assert grace_from_environment(production.api.in_flight_grace) == 300
    assert accepts_short_listing(staging) and not accepts_short_listing(production)
    monkeypatch.setenv("CAMPAIGNS_INFLIGHT_GRACE", "5")
    monkeypatch.setenv("CAMPAIGNS_ACCEPT_SHORT_LISTING", "1")
    assert grace_from_environment(staging.api.in_flight_grace) == 5
    assert accepts_short_listing(production)


def test_a_grace_that_is_not_a_number_of_seconds_is_located(tmp_path: Path) -> None:
    from reconciler.config import load_settings

    (tmp_path / ".campaigns.yaml").write_text("in_flight_grace: soon\n", encoding="utf-8")
    _, problems = load_settings(None, tmp_path)
    assert [(p.location.line, p.field) for p in problems] == [(1, "in_flight_grace")]


def test_a_key_too_short_to_tell_from_text_leaves_answers_whole_and_errors_masked() -> None:
    """`bench` in `lst_bench` is not an echo of the key `bench`: such a key (no real one is
    that short) is masked only where an error says it."""
    secret = Secret("bench")
    assert not secret.may_appear_in(b'{"id": "lst_bench", "sender_id": "news@bench.example"}')
    assert secret.redact("invalid key bench") == "invalid key ********"
    long_key = Secret(KEY)
    assert long_key.may_appear_in(f'{{"name": "x{KEY[2:12]}"}}'.encode())
    assert long_key.may_appear_in(b'{"name": "\\u0041"}')  # an escape could hide it

"""A faithful local Zexa API: the documented surface, shapes and errors, and fault knobs.

`SandboxApp.handle` takes a request's parts and returns a `Reply`; the HTTP server
(`server.py`) and the in-process httpx transport (`transport.py`) are thin adapters
over it. It shares no code with the client in `reconciler/client/`: a fake that borrowed
the client's code could not catch the client's mistakes.

Where the provider is silent the sandbox can give each possible answer: names are not
unique, the list order is newest first by default (so pages shift while campaigns are
created), an `Idempotency-Key` is ignored unless asked otherwise, and pages are clamped to
`max_per_page`.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs

from reconciler.sandbox.account import Account, AccountStore, StoredCampaign

CHANNELS = ("sms", "whatsapp", "telegram", "email", "slack")
REQUIRED = ("name", "channel", "contact_list_id", "sender_id")
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")


def sms_segments(text: str) -> int:
    """Segments an SMS body takes: GSM-7 160/153 septets, else UCS-2 70/67 units; a
    two-septet character or a surrogate pair is never split between segments."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        sizes = [2 if c in GSM7_EXTENSION else 1 for c in text]
        single, multi = 160, 153
    else:
        sizes = [2 if ord(c) > 0xFFFF else 1 for c in text]
        single, multi = 70, 67
    if sum(sizes) <= single:
        return 1
    count, room = 1, multi
    for size in sizes:
        if size > room:
            count, room = count + 1, multi
        room -= size
    return count


def _fault(default: Any, help: str, option: str | None = None) -> Any:
    """A fault mode, declared once: its default, and its `sandbox serve` option's help (and
    name, when it is not the field's)."""
    return field(default=default, metadata={"help": help, "option": option})


@dataclass
class Faults:
    """What can go wrong, on purpose. Shares are probabilities per request, 0 to 1. Each
    field is also a `campaigns sandbox serve` option (`--latency`, …), made from it."""

    latency: float = _fault(0.0, "Seconds added to every request.")
    error_share: float = _fault(0.0, "Share of requests answered 500 before doing anything.")
    gateway_share: float = _fault(0.0, "Share of requests answered 502 with an HTML page, "
                                  "before doing anything.")
    commit_then_error_share: float = _fault(0.0, "Share of creates committed, then answered "
                                            "500.")
    commit_then_drop_share: float = _fault(0.0, "Share of creates committed, then the "
                                           "connection dropped.")
    rate_limit: int = _fault(0, "Requests per second per key before 429 (0: none).")
    throttle_share: float = _fault(0.0, "Share of requests answered 429 regardless of rate "
                                   "(a 429 storm).")
    retry_after: int = _fault(1, "Seconds in the Retry-After header of every 429.")
    # A backend behind a timed-out gateway: the create is answered 504 (or dropped) and
    # committed `late_commit_delay` seconds later.
    late_commit_share: float = _fault(0.0, "Share of creates answered 504 (an HTML page) and "
                                      "committed later.")
    late_commit_delay: float = _fault(1.5, "Seconds after the 504 at which such a create is "
                                      "committed.")
    late_commit_drop: bool = _fault(False, "Drop the connection instead of answering 504 for "
                                    "late commits.")
    total_offset: int = _fault(0, "Added to meta.total: a total that lies low (negative) or "
                               "high.")
    endless_pages: bool = _fault(False, "Pages past the end come back full of made-up "
                                 "campaigns.")
    trickle_bytes_per_second: float = _fault(0.0, "Send every answer body at this many bytes "
                                             "a second (0: at once).", "--trickle")
    foreign_ids: bool = _fault(False, "New campaigns get IDs like ZX-000123 instead of "
                               "cmp_...")
    echo_key_on_401: bool = _fault(False, "A 401's message repeats the Authorization header "
                                   "it received.")
    normalise_names: bool = _fault(False, "Store names with runs of white space collapsed, "
                                   "as some servers do.")
    answer_existing_id: bool = _fault(False, "Answer every create 201 with the ID of a "
                                      "campaign already there, and store nothing.")
    hold_create_seconds: float = _fault(0.0, "Hold each create this many seconds before "
                                        "storing and answering it.", "--hold-create")
    no_date: bool = _fault(False, "Send no Date header (as some gateways strip it): clients "
                           "cannot read the server's clock.")
    seed: int | None = _fault(None, "Seed for the fault dice.", "--fault-seed")


@dataclass
class Timing:
    """How long a campaign stays in each status once it starts sending."""

    processing_seconds: float = 30.0
    sent_seconds: float = 60.0


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection instead of answering
    trickle: float = 0.0  # bytes a second at which the body is sent (0: all at once)


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    status: int  # 0: the connection was dropped instead of answering
    idempotency_key: str | None = None
    user_agent: str | None = None
    query: str = ""


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=65536)
def _parse_time(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _check_schedule(scheduled: str | None, now: datetime) -> None:
    """400 for a time that is not ISO 8601 with an offset; 422 for one in the past."""
    if scheduled is None:
        return
    when = _parse_time(scheduled)
    if when is None:
        raise ApiProblem(400, "invalid_request", "scheduled_at must be an ISO 8601 UTC datetime",
                         {"field": "scheduled_at"})
    if when <= now:
        raise ApiProblem(422, "validation_error", "scheduled_at is in the past",
                         {"field": "scheduled_at"})


class ApiProblem(Exception):
    """An error answer in the documented shape."""

    def __init__(
        self, status: int, error: str, message: str, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.details = dict(details or {})


class SandboxApp:
    def __init__(
        self,
        store: AccountStore | None = None,
        *,
        seed: dict[str, Any] | None = None,
        api_key: str | None = None,
        faults: Faults | None = None,
        timing: Timing | None = None,
        max_per_page: int = 100,
        newest_first: bool = True,
        honour_idempotency_key: bool = False,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        request_log_file: str | None = None,
        stable_ids: bool = False,
    ) -> None:
        self.store = store or AccountStore(None)
        self.account: Account = self.store.load(seed)
        self.api_key = api_key
        self.faults = faults or Faults()
        self.timing = timing or Timing()
        self.max_per_page = max_per_page
        self.newest_first = newest_first
        self.honour_idempotency_key = honour_idempotency_key
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.sleep = sleep
        self.request_log: list[LoggedRequest] = []
        self.request_log_file = request_log_file  # one "METHOD path status" line a request
        # IDs derived from the name (and how many of that name exist), not random: the
        # documentation's examples show the same IDs on every run.
        self.stable_ids = stable_ids
        # Replies to give, in order, instead of handling requests (None: handle normally);
        # for tests that need an exact sequence such as "429, then success".
        self.script: list[Reply | None] = []
        self._lock = threading.Lock()
        self._idle = threading.Condition()
        self._busy = 0  # requests being handled
        self._random = random.Random(self.faults.seed)
        self._by_id = {c.id: c for c in self.account.campaigns}
        self._idempotency: dict[str, StoredCampaign] = {}
        self._idempotency_locks: dict[str, threading.Lock] = {}
        # (due, campaign, key), due on the sandbox's clock (a test moves it instead of waiting)
        self._late: list[tuple[datetime, StoredCampaign, str | None]] = []
        self._window: dict[str, tuple[int, int]] = {}  # key -> (second, requests in it)
        self._serial = len(self.account.campaigns)

    # -- entry point -----------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Reply:
        """Answer one request. `target` is the path with its query string."""
        with self._idle:
            self._busy += 1
        try:
            return self._handle(method, target, headers, body)
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Until no request is being handled (what a killed client sent has landed or been
        refused); False after `timeout` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def _handle(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Reply:
        path, _, query = target.partition("?")
        self._land_late_commits()
        request_id = "req_" + secrets.token_hex(8)
        lower = {k.lower(): v for k, v in headers.items()}
        idem = lower.get("idempotency-key")
        if self.faults.latency:
            self.sleep(self.faults.latency)
        with self._lock:
            scripted = self.script.pop(0) if self.script else None
        if scripted is not None:
            reply = scripted
        else:
            try:
                reply = self._route(method.upper(), path, query, lower, body, request_id)
            except ApiProblem as problem:
                reply = self._problem(problem, request_id)
        with self._lock:
            self.request_log.append(
                LoggedRequest(method.upper(), path, reply.status, idem,
                              lower.get("user-agent"), query)
            )
            if self.request_log_file:
                with open(self.request_log_file, "a", encoding="utf-8", newline="\n") as f:
                    f.write(f"{method.upper()} {path} {reply.status}\n")
        if self.faults.trickle_bytes_per_second and not reply.trickle:
            reply.trickle = self.faults.trickle_bytes_per_second
        if not self.faults.no_date:
            # The server's clock, which every client shares: the sandbox's own (a test moves
            # it), not the machine's.
            reply.headers.setdefault("Date", formatdate(self.clock().timestamp(), usegmt=True))
        return reply

    def close(self) -> None:
        with self._lock:
            self.store.compact(self.account)

    # -- helpers ---------------------------------------------------------------------

    def _new_id(self, name: str) -> str:
        """The next campaign's ID (called with the lock held, after `_serial` moved)."""
        if self.faults.foreign_ids:
            return f"ZX-{self._serial:06d}"
        if self.stable_ids:
            same_name = sum(1 for c in self.account.campaigns if c.name == name)
            digest = hashlib.sha256(f"{name}\n{same_name}".encode()).hexdigest()
            return "cmp_" + digest[:16]
        return "cmp_" + secrets.token_hex(8)

    def _json(self, status: int, doc: Any, request_id: str) -> Reply:
        return Reply(
            status,
            json.dumps(doc).encode("utf-8"),
            {"Content-Type": "application/json", "X-Request-Id": request_id},
        )

    def _problem(self, problem: ApiProblem, request_id: str) -> Reply:
        doc: dict[str, Any] = {
            "error": problem.error,
            "message": problem.message,
            "request_id": request_id,
        }
        if problem.details:
            doc["details"] = problem.details
        reply = self._json(problem.status, doc, request_id)
        if problem.status == 429:
            reply.headers["Retry-After"] = str(self.faults.retry_after)
        return reply

    def _chance(self, share: float) -> bool:
        if share <= 0:
            return False
        with self._lock:
            return self._random.random() < share

    def _authenticate(self, headers: Mapping[str, str]) -> str:
        auth = headers.get("authorization", "")
        scheme, _, key = auth.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise ApiProblem(401, "unauthorized", "API key is missing")
        if self.api_key is not None and key.strip() != self.api_key:
            if self.faults.echo_key_on_401:  # as careless servers and proxies do
                raise ApiProblem(401, "unauthorized",
                                 f"invalid credentials in 'Authorization: {auth}'",
                                 {"header": auth})
            raise ApiProblem(401, "unauthorized", "API key is invalid")
        return key.strip()

    def _rate_limit(self, key: str) -> None:
        if self._chance(self.faults.throttle_share):
            raise ApiProblem(429, "rate_limit_exceeded", "Too many requests")
        limit = self.faults.rate_limit
        if limit <= 0:
            return
        second = int(time.monotonic())
        with self._lock:
            window, count = self._window.get(key, (second, 0))
            if window != second:
                window, count = second, 0
            count += 1
            self._window[key] = (window, count)
        if count > limit:
            raise ApiProblem(429, "rate_limit_exceeded", "Too many requests")

    # -- routing ---------------------------------------------------------------------

    def _route(
        self,
        method: str,
        path: str,
        query: str,
        headers: Mapping[str, str],
        body: bytes,
        request_id: str,
    ) -> Reply:
        if not path.startswith("/v1/"):
            raise ApiProblem(404, "not_found", f"No route for {path}")
        key = self._authenticate(headers)
        self._rate_limit(key)
        if self._chance(self.faults.gateway_share):
            return Reply(
                502,
                b"<html><head><title>502 Bad Gateway</title></head>"
                b"<body><h1>502 Bad Gateway</h1></body></html>",
                {"Content-Type": "text/html"},
            )
        if self._chance(self.faults.error_share):
            raise ApiProblem(500, "internal_error", "Something went wrong on our side")

        route = path[len("/v1") :].rstrip("/")
        if route == "/campaigns" and method == "POST":
            return self._create(body, headers, request_id)
        if route == "/campaigns" and method == "GET":
            return self._json(200, self._list(query), request_id)
        match = re.fullmatch(r"/campaigns/([^/]+)", route)
        if match and method == "GET":
            campaign = self._by_id.get(match.group(1))
            if campaign is None:
                raise ApiProblem(404, "not_found", "Campaign not found", {"id": match.group(1)})
            return self._json(200, self._detail(campaign), request_id)
        if route == "/credits" and method == "GET":
            return self._json(
                200,
                {"credits": self.account.credits, "currency": self.account.currency},
                request_id,
            )
        if route == "/sender-ids" and method == "GET":
            data = [
                {"sender_id": s.sender_id, "channel": s.channel, "status": s.status}
                for s in self.account.sender_ids
            ]
            return self._json(200, {"data": data}, request_id)
        raise ApiProblem(404, "not_found", f"No route for {method} {path}")

    # -- campaigns -------------------------------------------------------------------

    def _list(self, query: str) -> dict[str, Any]:
        params = parse_qs(query)
        try:
            page = int(params.get("page", ["1"])[0])
            per_page = int(params.get("per_page", ["50"])[0])
        except ValueError:
            raise ApiProblem(400, "invalid_request", "page and per_page must be integers") from None
        if page < 1 or per_page < 1:
            raise ApiProblem(400, "invalid_request", "page and per_page must be at least 1")
        per_page = min(per_page, self.max_per_page)
        with self._lock:
            campaigns = list(self.account.campaigns)
        if self.newest_first:
            campaigns.reverse()
        chunk = [self._summary(c) for c in campaigns[(page - 1) * per_page : page * per_page]]
        if self.faults.endless_pages:
            chunk.extend(
                {"id": f"cmp_ghost_{page}_{n}", "name": f"Ghost {page}-{n}", "status": "sent",
                 "channel": "sms", "total_recipients": 1, "created_at": "2026-01-01T00:00:00Z"}
                for n in range(len(chunk), per_page)
            )
        total = max(0, len(campaigns) + self.faults.total_offset)
        return {"data": chunk, "meta": {"total": total, "page": page, "per_page": per_page}}

    def _phase(self, c: StoredCampaign) -> tuple[str, datetime, float]:
        """(status, when sending starts, share of the send done), from the clock."""
        now = self.clock()
        created = _parse_time(c.created_at) or now
        scheduled = _parse_time(c.scheduled_at) if c.scheduled_at else None
        start = max(created, scheduled) if scheduled else created
        elapsed = (now - start).total_seconds()
        if elapsed < 0:
            return "scheduled", start, 0.0
        contact_list = self.account.contact_lists.get(c.contact_list_id)
        if contact_list is not None and contact_list.broken:
            return "failed", start, 1.0
        processing, sent = self.timing.processing_seconds, self.timing.sent_seconds
        done = min(1.0, elapsed / (processing + sent)) if processing + sent > 0 else 1.0
        if elapsed < processing:
            return "processing", start, done
        if elapsed < processing + sent:
            return "sent", start, done
        return "completed", start, 1.0

    def _progress(self, c: StoredCampaign) -> dict[str, Any]:
        status, start, done = self._phase(c)
        if status == "scheduled":
            return {"status": status, "delivered": 0, "failed": 0,
                    "sent_at": None, "completed_at": None}
        total = c.total_recipients
        if status == "failed":
            return {"status": status, "delivered": 0, "failed": total,
                    "sent_at": _iso(start), "completed_at": _iso(start)}
        contact_list = self.account.contact_lists.get(c.contact_list_id)
        final_failed = round(total * (contact_list.fail_share if contact_list else 0.0))
        completed_at = None
        if status == "completed":
            span = self.timing.processing_seconds + self.timing.sent_seconds
            completed_at = _iso(start + timedelta(seconds=span))
        return {
            "status": status,
            "delivered": round((total - final_failed) * done),
            "failed": round(final_failed * done),
            "sent_at": _iso(start),
            "completed_at": completed_at,
        }

    def _summary(self, c: StoredCampaign) -> dict[str, Any]:
        """A list item; also the answer to a create (the documented fields are the same)."""
        return {
            "id": c.id,
            "name": c.name,
            "status": self._phase(c)[0],
            "channel": c.channel,
            "total_recipients": c.total_recipients,
            "created_at": c.created_at,
        }

    def _detail(self, c: StoredCampaign) -> dict[str, Any]:
        progress = self._progress(c)
        return {
            "id": c.id,
            "name": c.name,
            "status": progress["status"],
            "channel": c.channel,
            "total_recipients": c.total_recipients,
            "delivered": progress["delivered"],
            "failed": progress["failed"],
            "created_at": c.created_at,
            "sent_at": progress["sent_at"],
            "completed_at": progress["completed_at"],
        }

    def _validate(self, body: bytes) -> dict[str, Any]:
        try:
            doc = json.loads(body or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ApiProblem(400, "invalid_request", "Malformed JSON body") from None
        if not isinstance(doc, dict):
            raise ApiProblem(400, "invalid_request", "The body must be a JSON object")
        for name in REQUIRED:
            if not isinstance(doc.get(name), str) or not doc[name]:
                raise ApiProblem(
                    400, "invalid_request", f"{name} is required", {"field": name}
                )
        if doc["channel"] not in CHANNELS:
            raise ApiProblem(
                400, "invalid_request", f"channel must be one of {', '.join(CHANNELS)}",
                {"field": "channel"},
            )
        for name, kind in (("body", str), ("template", dict), ("scheduled_at", str)):
            if doc.get(name) is not None and not isinstance(doc[name], kind):
                raise ApiProblem(400, "invalid_request", f"{name} has the wrong type",
                                 {"field": name})
        return doc

    def _land_late_commits(self) -> None:
        if not self._late:
            return
        now = self.clock()
        with self._lock:
            due = [late for late in self._late if late[0] <= now]
            self._late = [late for late in self._late if late[0] > now]
        for _, campaign, idem in due:
            self._commit(campaign, idem)

    def _commit(self, campaign: StoredCampaign, idem: str | None) -> None:
        with self._lock:
            self.account.credits -= campaign.cost
            self.account.campaigns.append(campaign)
            self._by_id[campaign.id] = campaign
            if idem:
                self._idempotency[idem] = campaign
            self.store.record_create(self.account, campaign)

    def _create(self, body: bytes, headers: Mapping[str, str], request_id: str) -> Reply:
        doc = self._validate(body)
        idem = headers.get("idempotency-key")
        if self.honour_idempotency_key and idem:
            # Requests with one key are handled one at a time: the second sees the first's
            # campaign, as an API that documents idempotency keys guarantees.
            with self._lock:
                key_lock = self._idempotency_locks.setdefault(idem, threading.Lock())
            with key_lock:
                with self._lock:
                    earlier = self._idempotency.get(idem)
                if earlier is not None:
                    return self._json(201, self._summary(earlier), request_id)
                return self._create_new(doc, idem, request_id)
        return self._create_new(doc, idem, request_id)

    def _check_sender(self, doc: Mapping[str, Any]) -> None:
        """422 unless the sender is registered and approved for the channel."""
        sender = next((s for s in self.account.sender_ids
                       if s.sender_id == doc["sender_id"] and s.channel == doc["channel"]), None)
        if sender is None:
            raise ApiProblem(422, "validation_error",
                             f"sender_id is not registered for {doc['channel']}",
                             {"field": "sender_id"})
        if sender.status != "approved":
            raise ApiProblem(422, "validation_error",
                             f"sender_id is not approved (status: {sender.status})",
                             {"field": "sender_id"})

    def _create_new(self, doc: dict[str, Any], idem: str | None, request_id: str) -> Reply:
        if self.faults.answer_existing_id and self.account.campaigns:
            taken = self.account.campaigns[0]
            return self._json(201, {**self._summary(taken), "name": doc["name"]}, request_id)
        if self.faults.hold_create_seconds:
            self.sleep(self.faults.hold_create_seconds)
        if self.faults.normalise_names:
            doc = {**doc, "name": " ".join(doc["name"].split())}
        contact_list = self.account.contact_lists.get(doc["contact_list_id"])
        if contact_list is None:
            raise ApiProblem(404, "not_found", "The specified contact_list_id does not exist",
                             {"field": "contact_list_id"})
        self._check_sender(doc)
        if not doc.get("body") and not doc.get("template"):
            raise ApiProblem(422, "validation_error", "body or template is required",
                             {"field": "body"})
        now = self.clock()
        scheduled = doc.get("scheduled_at")
        _check_schedule(scheduled, now)
        per_recipient = sms_segments(doc["body"]) if doc["channel"] == "sms" and doc.get(
            "body") else 1
        cost = contact_list.size * per_recipient
        with self._lock:
            if cost > self.account.credits:
                raise ApiProblem(422, "insufficient_credits",
                                 "Not enough credits to dispatch the campaign",
                                 {"required": cost, "available": self.account.credits})
            self._serial += 1
            campaign = StoredCampaign(
                id=self._new_id(doc["name"]),
                name=doc["name"],
                channel=doc["channel"],
                contact_list_id=doc["contact_list_id"],
                sender_id=doc["sender_id"],
                body=doc.get("body"),
                template=doc.get("template"),
                scheduled_at=scheduled,
                total_recipients=contact_list.size,
                created_at=_iso(now),
                cost=cost,
            )
        if self._chance(self.faults.late_commit_share):
            # The gateway gives up; the backend stores the campaign a moment later (seen
            # by any request after that moment; no timer thread to outlive the sandbox).
            with self._lock:
                self._late.append((self.clock() + timedelta(seconds=self.faults.late_commit_delay),
                                   campaign, idem))
            if self.faults.late_commit_drop:
                return Reply(0, drop=True)
            return Reply(
                504,
                b"<html><head><title>504 Gateway Time-out</title></head>"
                b"<body><h1>504 Gateway Time-out</h1></body></html>",
                {"Content-Type": "text/html"},
            )
        self._commit(campaign, idem)
        if self._chance(self.faults.commit_then_error_share):
            raise ApiProblem(500, "internal_error", "Something went wrong on our side")
        if self._chance(self.faults.commit_then_drop_share):
            return Reply(0, drop=True)
        return self._json(201, self._summary(campaign), request_id)

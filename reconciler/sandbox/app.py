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
from typing import Any

from reconciler.sandbox.account import Account, AccountStore, StoredCampaign
from reconciler.sandbox.delivery import detail, phase, summary
from reconciler.sandbox.faults import Faults, Timing
from reconciler.sandbox.rules import (
    ApiProblem,
    check_schedule,
    check_sender,
    iso,
    page_params,
    sms_segments,
    validate_body,
)

__all__ = ["ApiProblem", "Faults", "LoggedRequest", "Reply", "SandboxApp", "Timing",
           "sms_segments"]

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

    def _route(self, method: str, path: str, query: str, headers: Mapping[str, str],
               body: bytes, request_id: str) -> Reply:
        if not path.startswith("/v1/"):
            raise ApiProblem(404, "not_found", f"No route for {path}")
        self._rate_limit(self._authenticate(headers))
        failed = self._gateway_faults()
        if failed is not None:
            return failed
        route = path[len("/v1") :].rstrip("/")
        if method == "POST" and route == "/campaigns":
            return self._create(body, headers, request_id)
        match = re.fullmatch(r"/campaigns/([^/]+)", route)
        if method == "GET" and match:
            return self._json(200, self._one(match.group(1)), request_id)
        if method == "GET" and route in self._reads:
            return self._json(200, self._reads[route](query), request_id)
        raise ApiProblem(404, "not_found", f"No route for {method} {path}")

    def _gateway_faults(self) -> Reply | None:
        """A gateway's 502 page, or a backend's 500, before anything is done."""
        if self._chance(self.faults.gateway_share):
            return Reply(502, b"<html><head><title>502 Bad Gateway</title></head>"
                         b"<body><h1>502 Bad Gateway</h1></body></html>",
                         {"Content-Type": "text/html"})
        if self._chance(self.faults.error_share):
            raise ApiProblem(500, "internal_error", "Something went wrong on our side")
        return None

    @property
    def _reads(self) -> dict[str, Callable[[str], Any]]:
        """The documented reads, by path: each takes the query string."""
        return {"/campaigns": self._list, "/credits": lambda query: self._credits(),
                "/sender-ids": lambda query: self._sender_ids()}

    def _one(self, campaign_id: str) -> dict[str, Any]:
        campaign = self._by_id.get(campaign_id)
        if campaign is None:
            raise ApiProblem(404, "not_found", "Campaign not found", {"id": campaign_id})
        return detail(campaign, self.account, self.timing, self.clock())

    def _credits(self) -> dict[str, Any]:
        return {"credits": self.account.credits, "currency": self.account.currency}

    def _sender_ids(self) -> dict[str, Any]:
        return {"data": [{"sender_id": s.sender_id, "channel": s.channel, "status": s.status}
                         for s in self.account.sender_ids]}

    # -- campaigns -------------------------------------------------------------------

    def _list(self, query: str) -> dict[str, Any]:
        page, per_page = page_params(query, self.max_per_page)
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

    def _summary(self, c: StoredCampaign) -> dict[str, Any]:
        """A list item; also the answer to a create (the documented fields are the same)."""
        return summary(c, phase(c, self.account, self.timing, self.clock())[0])

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
        doc = validate_body(body)
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

    def _create_new(self, doc: dict[str, Any], idem: str | None, request_id: str) -> Reply:
        if self.faults.answer_existing_id and self.account.campaigns:
            taken = self.account.campaigns[0]
            return self._json(201, {**self._summary(taken), "name": doc["name"]}, request_id)
        if self.faults.hold_create_seconds:
            self.sleep(self.faults.hold_create_seconds)
        if self.faults.normalise_names:
            doc = {**doc, "name": " ".join(doc["name"].split())}
        campaign = self._priced(doc)
        if self._chance(self.faults.late_commit_share):
            return self._commit_late(campaign, idem)
        self._commit(campaign, idem)
        if self._chance(self.faults.commit_then_error_share):
            raise ApiProblem(500, "internal_error", "Something went wrong on our side")
        if self._chance(self.faults.commit_then_drop_share):
            return Reply(0, drop=True)
        return self._json(201, self._summary(campaign), request_id)

    def _priced(self, doc: dict[str, Any]) -> StoredCampaign:
        """The campaign a valid create makes, with its cost; 404, 422 or insufficient
        credits as the API answers them."""
        contact_list = self.account.contact_lists.get(doc["contact_list_id"])
        if contact_list is None:
            raise ApiProblem(404, "not_found", "The specified contact_list_id does not exist",
                             {"field": "contact_list_id"})
        check_sender(self.account, doc)
        if not doc.get("body") and not doc.get("template"):
            raise ApiProblem(422, "validation_error", "body or template is required",
                             {"field": "body"})
        now = self.clock()
        check_schedule(doc.get("scheduled_at"), now)
        sms = doc["channel"] == "sms" and doc.get("body")
        cost = contact_list.size * (sms_segments(doc["body"]) if sms else 1)
        with self._lock:
            if cost > self.account.credits:
                raise ApiProblem(422, "insufficient_credits",
                                 "Not enough credits to dispatch the campaign",
                                 {"required": cost, "available": self.account.credits})
            self._serial += 1
            return StoredCampaign(
                id=self._new_id(doc["name"]), name=doc["name"], channel=doc["channel"],
                contact_list_id=doc["contact_list_id"], sender_id=doc["sender_id"],
                body=doc.get("body"), template=doc.get("template"),
                scheduled_at=doc.get("scheduled_at"), total_recipients=contact_list.size,
                created_at=iso(now), cost=cost)

    def _commit_late(self, campaign: StoredCampaign, idem: str | None) -> Reply:
        """The gateway gives up; the backend stores the campaign a moment later (seen by any
        request after that moment; no timer thread to outlive the sandbox)."""
        with self._lock:
            self._late.append((self.clock() + timedelta(seconds=self.faults.late_commit_delay),
                               campaign, idem))
        if self.faults.late_commit_drop:
            return Reply(0, drop=True)
        return Reply(504, b"<html><head><title>504 Gateway Time-out</title></head>"
                     b"<body><h1>504 Gateway Time-out</h1></body></html>",
                     {"Content-Type": "text/html"})

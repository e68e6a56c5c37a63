"""The Zexa Campaigns API client: auth, pagination, retries and typed errors.

It knows nothing of YAML or state. Where the provider is silent, it is written to be
correct for every possible answer:

- reads are retried on connection errors, timeouts, 5xx and 429, with exponential backoff
  and full jitter, bounded in attempts and in total time, honouring `Retry-After`;
- a 429 pauses every request of the client, not only the one that received it;
- a create is retried only when the server certainly did not act on it (429, or the
  connection never opened); any other failure after sending raises `OutcomeUnknown`, so
  that the caller finds out by listing instead of posting twice;
- the full listing is checked for consistency (pages can shift while campaigns are being
  created) and repeated, or refused, when it is not.
"""

from __future__ import annotations

import json
import math
import random
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_any,
)

from reconciler import __version__
from reconciler.client.errors import (
    ApiError,
    BadRequest,
    InconsistentListing,
    InsufficientCredits,
    ListingShort,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    Unauthorized,
    Unreachable,
    ValidationFailed,
)
from reconciler.client.retry import OutOfTime, Pause, Retryable, RetryPolicy, parse_retry_after
from reconciler.client.serverclock import ServerClock
from reconciler.remote import Credits, RegisteredSender, RemoteCampaign, ResponseShapeError
from reconciler.secret import Secret

DEFAULT_URL = "https://api.zexa.ao/v1"
USER_AGENT = f"zexa-campaigns/{__version__}"
PER_PAGE = 100
# A listing never reads more than this many campaigns: a server whose pages never end (or
# whose total is absurd) is refused in bounded time and memory instead of followed forever.
MAX_LISTED = 250_000
# Pages read past the last one `meta.total` implies, while pages keep coming back full.
PAGE_MARGIN = 10
MAX_RESPONSE_BYTES = 16 * 1024 * 1024  # one page of 100 campaigns is about 20 KB



# -- values -------------------------------------------------------------------------------


def _certificate_error(exc: BaseException) -> str | None:
    """Why TLS refused the server's certificate, if that is what `exc` comes from."""
    seen: BaseException | None = exc
    for _ in range(10):  # the chain: httpx -> httpcore -> ssl
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or str(seen)
        seen = seen.__cause__ or seen.__context__
    return None


def _reason(exc: BaseException) -> str:
    """The operating system's words for a failed connection, else the exception's."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        seen = seen.__cause__ or seen.__context__
    return str(exc) or type(exc).__name__


def _first_round(total: int, per_page: int, expected: int, limit: int, ended: bool) -> int:
    """The pages that may be asked for at once after page 1: those the total implies, and,
    when the last of them will be full (page 1 already came back full, or the total is a
    multiple of the page size), the page after it, which shows where the campaigns end,
    instead of in a round of its own."""
    allowed = min(expected, limit)
    if not ended and allowed < limit and (allowed == 1 or total % per_page == 0):
        allowed += 1
    return allowed


def _distinct(pages: Mapping[int, list[RemoteCampaign]],
              per_page: int) -> list[RemoteCampaign] | None:
    """The campaigns of `pages`, each once, in page order; None when a full page holds only
    campaigns already seen (a server that ignores `page`: the pages are not stable)."""
    unique: dict[str, RemoteCampaign] = {}
    for number in sorted(pages):
        items = pages[number]
        fresh = [c for c in items if c.id not in unique]
        if number > 1 and items and not fresh and len(items) >= per_page:
            return None
        for item in fresh:
            unique[item.id] = item
    return list(unique.values())


def _duration(seconds: float) -> str:
    """`86400` -> "86,400 s (about 24 h)"."""
    if seconds < 120:
        return f"{seconds:,.0f} s"
    if seconds < 7200:
        return f"{seconds:,.0f} s (about {seconds / 60:.0f} min)"
    return f"{seconds:,.0f} s (about {seconds / 3600:.0f} h)"


def _campaign(doc: Any) -> RemoteCampaign:
    try:
        return RemoteCampaign.from_json(doc)
    except ResponseShapeError as exc:
        raise ServerError(str(exc), code="unexpected_response") from None


@dataclass
class ListingStats:
    requests: int = 0
    attempts: int = 0
    reported_total: int = 0  # `meta.total` of the accepted listing, as the server said it
    # The earliest `Date` of its pages (seconds since the epoch): the listing shows the
    # account as it was at that moment or later. None when a page carried no usable Date.
    earliest_date: float | None = None
    undated_pages: int = 0

    def dated(self, date: float | None) -> None:
        if date is None:
            self.undated_pages += 1
        elif self.earliest_date is None or date < self.earliest_date:
            self.earliest_date = date

    @property
    def server_time(self) -> float | None:
        """When, on the server's clock, the listing was taken at the earliest; None when
        unknown (some page had no Date)."""
        return None if self.undated_pages else self.earliest_date


@dataclass(frozen=True)
class _Answer:
    """A whole answer, read within the request's deadline and size cap."""

    status: int
    headers: httpx.Headers
    body: bytes
    date: float | None = None  # its `Date` header, when usable

    def json(self, key: Secret) -> Any:
        """The decoded body, every echo of the key in it masked; ValueError when it is not
        JSON."""
        doc = json.loads(self.body)
        return key.redact_all(doc) if key.may_appear_in(self.body) else doc


class _SlowAnswer(Exception):
    """The answer did not arrive whole within the request's deadline."""


class _HugeAnswer(Exception):
    """The answer is larger than MAX_RESPONSE_BYTES."""


# -- the client ---------------------------------------------------------------------------


class ZexaClient:
    def __init__(
        self,
        base_url: str,
        api_key: Secret,
        *,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        concurrency: int = 10,
        timeout: float = 30.0,
        deadline: float = 60.0,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
        accept_short_listing: bool = False,
        proxy: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._key = api_key
        self.retry = retry or RetryPolicy()
        self.concurrency = max(1, concurrency)
        self.timeout = timeout  # for each network step (connect, each read)
        self.deadline = deadline  # for a whole request, however its body trickles in
        self.max_response_bytes = max_response_bytes
        self.accept_short_listing = accept_short_listing
        self.proxy = proxy  # for messages: the proxy the environment routes requests through
        self._host = httpx.URL(self.base_url).netloc.decode("ascii", "replace")
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._pause = Pause()
        # The server's clock, from the Date of every answer (see serverclock.py); measured
        # with time.monotonic, as the requests' deadlines are.
        self.server_clock = ServerClock()
        self._count_lock = threading.Lock()
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            # Certificates are checked for https. A plain-http URL (connect.check_url allows
            # it to loopback only; redirects are not followed) has no TLS at all, so no CA
            # store is loaded for it: that alone took 20 ms of every command's start.
            verify=not self.base_url.startswith("http://"),
            timeout=httpx.Timeout(timeout, connect=10.0),
            limits=httpx.Limits(max_connections=self.concurrency + 4,
                                max_keepalive_connections=self.concurrency + 4),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )
        self._headers = dict(self._http.headers)  # with httpx's Accept-Encoding
        self._urls: dict[str, httpx.URL] = {}  # a URL per path, parsed once

    def __repr__(self) -> str:
        return f"ZexaClient({self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ZexaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- low level ----------------------------------------------------------------------

    def _wait_for_pause(self) -> None:
        while True:
            delay = self._pause.until - self._clock()
            if delay <= 0:
                return
            self._sleep(delay)

    def _send(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
              json_body: Any = None, headers: Mapping[str, str] | None = None,
              budget: float | None = None) -> _Answer:
        """One request, its answer read whole within the deadline and the size cap.

        httpx's timeouts bound each network step; a body that trickles in a few bytes at a
        time resets them forever, so the deadline is checked as each piece arrives too.
        """
        self._wait_for_pause()
        allowed = self.deadline if budget is None else max(0.001, min(self.deadline, budget))
        give_up = time.monotonic() + allowed
        all_headers = {**self._headers, "Authorization": f"Bearer {self._key.reveal()}"}
        all_headers.update(headers or {})
        step = min(self.timeout, allowed)
        request = httpx.Request(
            method, self._url(path), params=params, json=json_body, headers=all_headers,
            extensions={"timeout": httpx.Timeout(step, connect=min(10.0, step)).as_dict()},
        )
        sent = time.monotonic()
        response = self._http.send(request, stream=True)
        date = self.server_clock.observe(response.headers.get("Date"), sent, time.monotonic())
        try:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_response_bytes:
                raise _HugeAnswer
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_response_bytes:
                    raise _HugeAnswer
                if time.monotonic() > give_up:
                    raise _SlowAnswer
            return _Answer(response.status_code, response.headers, bytes(body), date)
        finally:
            response.close()

    def _url(self, path: str) -> httpx.URL:
        url = self._urls.get(path)
        if url is None:
            url = self._urls[path] = httpx.URL(self.base_url + path)
        return url

    def _error_from(self, response: _Answer) -> ApiError:
        status = response.status
        redact = self._key.redact
        request_id = response.headers.get("X-Request-Id")
        try:
            doc = response.json(self._key)
        except ValueError:
            doc = None
        if isinstance(doc, Mapping) and isinstance(doc.get("error"), str):
            # A decoded answer is redacted already, unless the key is too short to look
            # for in ordinary text: then at least what an error says is masked.
            code = redact(doc["error"])
            message = redact(str(doc.get("message") or code))
            raw_details = doc.get("details")
            details = ({str(k): redact(v) if isinstance(v, str) else v
                        for k, v in raw_details.items()}
                       if isinstance(raw_details, Mapping) else None)
            request_id = str(doc.get("request_id") or request_id or "") or None
        else:
            kind = response.headers.get("Content-Type", "unknown").split(";")[0]
            code = "unexpected_response"
            message = f"the API answered {status} with a non-JSON body ({redact(kind)})"
            details = None
        if request_id is not None:
            request_id = redact(request_id)
        cls: type[ApiError]
        if status == 400:
            cls = BadRequest
        elif status == 401:
            cls = Unauthorized
        elif status == 404:
            cls = NotFound
        elif status == 422 and code == "insufficient_credits":
            cls = InsufficientCredits
        elif status == 422:
            cls = ValidationFailed
        elif status == 429:
            cls = RateLimited
        elif status >= 500:
            cls = ServerError
        else:
            cls = ApiError
        return cls(message, status=status, code=code, details=details, request_id=request_id)

    def _throttled(self, response: _Answer, started: float) -> float:
        """Record a 429's wait for everyone; return it. A wait longer than what is left of
        the request's time is not waited for: `RateLimited` at once, saying what the server
        asked, so that nobody waits a wave at a time for a day."""
        asked = response.headers.get("Retry-After")
        retry_after = parse_retry_after(asked)
        wait = retry_after if retry_after is not None else self.retry.base_delay
        left = self._remaining(started)
        if wait > left:
            error = self._error_from(response)
            raise RateLimited(
                f"{error.message}; the API asked to wait {_duration(wait)} (Retry-After: "
                f"{self._key.redact(str(asked))}), longer than the {max(0.0, left):.0f} s "
                "this request had left, so it was not waited for",
                status=429, code=error.code, request_id=error.request_id, retry_after=wait)
        self._pause.push(self._clock() + wait)
        return wait

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.retry.max_delay, self.retry.base_delay * (2.0 ** (attempt - 1)))
        return ceiling * self._jitter()  # "full jitter"

    def _retrying(self) -> Retrying:
        started = self._clock()
        policy = self.retry

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            backoff = self._backoff(state.attempt_number)
            if isinstance(exc, Retryable) and exc.retry_after is not None:
                return max(backoff, exc.retry_after)
            return backoff

        return Retrying(
            stop=stop_any(
                stop_after_attempt(policy.attempts),
                OutOfTime(self._clock, started, policy.total_seconds),
            ),
            wait=wait,
            retry=retry_if_exception(lambda e: isinstance(e, Retryable)),
            sleep=self._sleep,
            reraise=True,
        )

    def _unreachable(self, exc: httpx.TransportError) -> Exception:
        """A connection that failed or timed out, in one line naming the host, the proxy
        that carries the request (if any) and the reason; retried unless no retry can
        help (a certificate that was refused)."""
        where = self._host + (f" through the proxy {self.proxy}" if self.proxy else "")
        certificate = _certificate_error(exc)
        if certificate is not None:
            return Unreachable(f"could not connect to {where}: its certificate was refused "
                               f"({certificate})")
        if isinstance(exc, httpx.TimeoutException):
            error = Unreachable(f"timed out waiting for {where} ({type(exc).__name__})")
        else:
            error = Unreachable(f"could not connect to {where}: {_reason(exc)}")
        return Retryable(error)

    def _remaining(self, started: float) -> float:
        return self.retry.total_seconds - (self._clock() - started)

    def _read(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET with retries; returns the decoded JSON body."""
        return self._read_dated(path, params)[0]

    def _read_dated(self, path: str,
                    params: Mapping[str, Any] | None = None) -> tuple[Any, float | None]:
        """GET with retries; returns the decoded JSON body and the answer's `Date`."""
        started = self._clock()

        def attempt() -> tuple[Any, float | None]:
            try:
                response = self._send("GET", path, params=params,
                                      budget=self._remaining(started))
            except _SlowAnswer:
                raise Retryable(Unreachable(
                    f"the answer to GET {path} did not arrive within "
                    f"{self.deadline:g} s")) from None
            except _HugeAnswer:
                raise ServerError(f"the answer to GET {path} is larger than "
                                  f"{self.max_response_bytes // (1024 * 1024)} MiB; refusing "
                                  "it", code="response_too_large") from None
            except httpx.TransportError as exc:
                raise self._unreachable(exc) from None
            if response.status == 429:
                wait = self._throttled(response, started)
                raise Retryable(self._error_from(response), retry_after=wait)
            if response.status >= 500:
                raise Retryable(self._error_from(response))
            if response.status >= 400:
                raise self._error_from(response)
            try:
                return response.json(self._key), response.date
            except ValueError:
                raise Retryable(ServerError(
                    f"the API answered {response.status} with a body that is not JSON"
                )) from None

        try:
            return self._retrying()(attempt)
        except Retryable as final:
            raise final.error from None

    # -- campaigns ------------------------------------------------------------------------

    def get_campaign(self, campaign_id: str) -> RemoteCampaign:
        return _campaign(self._read(f"/campaigns/{campaign_id}"))

    def create_campaign(self, payload: Mapping[str, Any],
                        idempotency_key: str | None = None) -> RemoteCampaign:
        """POST one campaign. Raises `OutcomeUnknown` when it may or may not exist now.

        Only an answer that proves the server did not act may be followed by another POST:
        a 429, a connection that never opened, or a 4xx. Anything lost after the request
        left (a 5xx, a gateway's page, a reset, a timeout, an unreadable answer) may still
        turn into a campaign seconds later.
        """
        name = str(payload.get("name"))
        key = idempotency_key or str(uuid.uuid4())
        started = self._clock()

        def attempt() -> RemoteCampaign:
            try:
                response = self._send("POST", "/campaigns", json_body=dict(payload),
                                      headers={"Idempotency-Key": key,
                                               "Content-Type": "application/json"},
                                      budget=self._remaining(started))
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # The request never left: trying again cannot create a second campaign.
                raise self._unreachable(exc) from None
            except (httpx.TimeoutException, _SlowAnswer) as exc:
                raise OutcomeUnknown(name, f"no answer in time ({type(exc).__name__})") from None
            except _HugeAnswer:
                raise OutcomeUnknown(name, "the answer was too large to read") from None
            except httpx.TransportError as exc:
                raise OutcomeUnknown(name, f"connection lost ({type(exc).__name__})") from None
            if response.status == 429:
                wait = self._throttled(response, started)
                raise Retryable(self._error_from(response), retry_after=wait)
            if not (200 <= response.status < 300 or 400 <= response.status < 500):
                error = self._error_from(response)  # a 5xx, a gateway's page, a redirect
                raise OutcomeUnknown(name, f"server error {response.status}",
                                     error.request_id)
            if response.status >= 400:
                raise self._error_from(response)
            try:
                created = _campaign(response.json(self._key))
            except (ValueError, ServerError) as exc:  # not JSON, or not a campaign
                cause = f"unreadable answer ({self._key.redact(str(exc))})"
                raise OutcomeUnknown(name, cause) from None
            if not created.valid_id:
                raise OutcomeUnknown(
                    name, f"the API answered with the ID {created.id!r}, which is not a "
                    "campaign ID (cmp_...); it was not recorded")
            return created

        try:
            return self._retrying()(attempt)
        except Retryable as final:
            raise final.error from None

    def list_campaigns(self, stats: ListingStats | None = None,
                       max_attempts: int = 3) -> list[RemoteCampaign]:
        """Every campaign in the account, each once.

        `meta.total` is a hint, never the end: pages are read until one comes back short,
        past the total if need be, up to a cap (the total plus a margin, and MAX_LISTED).
        A listing is accepted when every page reported the same total and the distinct IDs
        cover it; campaigns are never deleted, so a changed total means one was created
        meanwhile and pages may have shifted: list again. A total that lies low is harmless
        (every page was read to its end). Pages that end short of the total twice in a row,
        with the same campaigns, are refused (`ListingShort`): the campaigns a listing
        misses are likeliest the newest, those a plan must see not to create them again.
        Unless `accept_short_listing`, for an API known to count campaigns it never lists.
        """
        stats = stats or ListingStats()
        previous: tuple[frozenset[str], int] | None = None
        for _ in range(max_attempts):
            stats.attempts += 1
            found, totals, settled = self._list_once(stats)
            ids = frozenset(c.id for c in found)
            total = max(totals)
            stable = settled and len(totals) == 1
            if stable and (len(ids) >= total or previous == (ids, total)):
                if len(ids) < total and not self.accept_short_listing:
                    raise ListingShort(
                        f"the account's listing shows {len(ids):,} campaigns but its "
                        f"meta.total says {total:,}, twice in a row. The campaigns a "
                        "listing misses are likeliest the newest (a replica that lags), "
                        "the very ones a plan must see not to create them again, so "
                        "nothing was planned. If this API is known to count campaigns its "
                        "listing never shows, set `accept_short_listing: true` in the "
                        "configuration (or CAMPAIGNS_ACCEPT_SHORT_LISTING=1)",
                        listed=len(ids), total=total)
                stats.reported_total = total
                return found
            previous = (ids, total) if stable else None
        raise InconsistentListing(
            f"the account's campaigns kept changing during {max_attempts} listings; "
            "try again when nothing else is creating campaigns"
        )

    def campaign_total(self) -> int:
        """`meta.total` alone, with the cheapest request there is (one campaign a page)."""
        doc = self._read("/campaigns", {"page": 1, "per_page": 1})
        meta = doc.get("meta") if isinstance(doc, Mapping) else None
        total = meta.get("total") if isinstance(meta, Mapping) else None
        if not isinstance(total, int) or isinstance(total, bool) or total < 0:
            raise ServerError("unexpected answer to GET /campaigns: no `meta.total`")
        return total

    def _page(self, page: int, stats: ListingStats) -> tuple[list[RemoteCampaign], int, int]:
        doc, date = self._read_dated("/campaigns", {"page": page, "per_page": PER_PAGE})
        with self._count_lock:
            stats.requests += 1
            stats.dated(date)
        if not isinstance(doc, Mapping) or not isinstance(doc.get("data"), list):
            raise ServerError("unexpected answer to GET /campaigns: no `data` list")
        items = [_campaign(item) for item in doc["data"]]
        meta = doc.get("meta") if isinstance(doc.get("meta"), Mapping) else {}
        assert isinstance(meta, Mapping)
        total = meta.get("total")
        per_page = meta.get("per_page")
        if not isinstance(total, int) or isinstance(total, bool) or total < 0:
            raise ServerError("unexpected answer to GET /campaigns: no `meta.total`")
        if not isinstance(per_page, int) or isinstance(per_page, bool) or per_page < 1:
            per_page = len(items) or PER_PAGE
        return items, total, per_page

    def _list_once(self, stats: ListingStats) -> tuple[list[RemoteCampaign], set[int], bool]:
        """One walk through the pages: (campaigns, totals reported, ended on a short page).

        Page 1 gives the total; the pages it implies are read `concurrency` at a time. Past
        them, a page is asked for only when the one before it came back full.
        """
        first, total, per_page = self._page(1, stats)
        if 0 < len(first) < per_page and len(first) < total:
            per_page = len(first)  # the server clamps pages without saying so
        expected = max(1, math.ceil(total / per_page))
        limit = min(expected + PAGE_MARGIN, max(1, MAX_LISTED // per_page))
        pages: dict[int, list[RemoteCampaign]] = {1: first}
        totals = {total}
        short_at = 1 if len(first) < per_page else None
        next_page = 2
        allowed = _first_round(total, per_page, expected, limit, short_at is not None)
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            running: dict[Future[tuple[list[RemoteCampaign], int, int]], int] = {}
            while True:
                while (short_at is None and next_page <= allowed
                       and len(running) < self.concurrency):
                    running[pool.submit(self._page, next_page, stats)] = next_page
                    next_page += 1
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    number = running.pop(future)
                    items, page_total, _ = future.result()
                    pages[number] = items
                    totals.add(page_total)
                    if len(items) < per_page and (short_at is None or number < short_at):
                        short_at = number
                    elif number == allowed and allowed < limit:
                        allowed += 1  # the last page the total implies was full: read on
        if short_at is None:
            raise ServerError(
                f"the API kept returning full pages past page {limit} (its meta.total says "
                f"{total}); refusing to read more than {limit * per_page:,} campaigns"
            )
        unique = _distinct(pages, per_page)
        return (unique, totals, True) if unique is not None else ([], totals, False)

    # -- account --------------------------------------------------------------------------

    def credits(self) -> Credits | None:
        """The balance, or None when the answer is not the documented shape."""
        doc = self._read("/credits")
        if isinstance(doc, Mapping) and isinstance(doc.get("credits"), (int, float)):
            return Credits(float(doc["credits"]), str(doc.get("currency") or ""))
        return None

    def sender_ids(self) -> list[RegisteredSender] | None:
        """Registered sender IDs, or None when they could not be verified.

        The response shape is not documented: a `data` list (or a bare list) of objects
        whose ID is under `sender_id`, `id`, `value` or `name`. Anything else, a 404 or a
        server error degrades to None ("could not verify"), never to a crash.
        """
        try:
            doc = self._read("/sender-ids")
        except (NotFound, ServerError, BadRequest, ValidationFailed):
            return None
        items = doc.get("data") if isinstance(doc, Mapping) else doc
        if not isinstance(items, list):
            return None
        out: list[RegisteredSender] = []
        for item in items:
            if not isinstance(item, Mapping):
                return None
            value = next((item[k] for k in ("sender_id", "id", "value", "name")
                          if isinstance(item.get(k), str)), None)
            if value is None:
                return None
            channel = item.get("channel")
            status = item.get("status")
            out.append(RegisteredSender(value, channel if isinstance(channel, str) else None,
                                        status if isinstance(status, str) else None))
        return out


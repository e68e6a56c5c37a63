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

import random
import time
import uuid
from collections.abc import Callable, Mapping
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
from reconciler.client.answers import Answer, error_from
from reconciler.client.errors import (
    BadRequest,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    Unreachable,
    ValidationFailed,
    certificate_problem,
    connection_reason,
)
from reconciler.client.listing import (
    PER_PAGE,
    Listing,
    ListingStats,
    campaign_from,
)
from reconciler.client.retry import (
    OutOfTime,
    Pause,
    Retryable,
    RetryPolicy,
    duration_text,
    parse_retry_after,
)
from reconciler.client.serverclock import ServerClock
from reconciler.remote import Credits, RegisteredSender, RemoteCampaign, senders_from
from reconciler.secret import Secret

DEFAULT_URL = "https://api.zexa.ao/v1"
USER_AGENT = f"zexa-campaigns/{__version__}"
MAX_RESPONSE_BYTES = 16 * 1024 * 1024  # one page of 100 campaigns is about 20 KB


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
        self.rate_limited = False  # the server has answered 429 (apply then spaces its reads)
        # The server's clock, from the Date of every answer (see serverclock.py); measured
        # with time.monotonic, as the requests' deadlines are.
        self.server_clock = ServerClock()
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
              budget: float | None = None) -> Answer:
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
            return Answer(response.status_code, response.headers, bytes(body), date)
        finally:
            response.close()

    def _url(self, path: str) -> httpx.URL:
        url = self._urls.get(path)
        if url is None:
            url = self._urls[path] = httpx.URL(self.base_url + path)
        return url

    def _throttled(self, response: Answer, started: float) -> float:
        """Record a 429's wait for everyone; return it. A wait longer than what is left of
        the request's time is not waited for: `RateLimited` at once, saying what the server
        asked, so that nobody waits a wave at a time for a day."""
        asked = response.headers.get("Retry-After")
        retry_after = parse_retry_after(asked)
        wait = retry_after if retry_after is not None else self.retry.base_delay
        left = self._remaining(started)
        if wait > left:
            error = error_from(response, self._key)
            raise RateLimited(
                f"{error.message}; the API asked to wait {duration_text(wait)} (Retry-After: "
                f"{self._key.redact(str(asked))}), longer than the {max(0.0, left):.0f} s "
                "this request had left, so it was not waited for",
                status=429, code=error.code, request_id=error.request_id, retry_after=wait)
        self.rate_limited = True
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
        certificate = certificate_problem(exc)
        if certificate is not None:
            return Unreachable(f"could not connect to {where}: its certificate was refused "
                               f"({certificate})")
        if isinstance(exc, httpx.TimeoutException):
            error = Unreachable(f"timed out waiting for {where} ({type(exc).__name__})")
        else:
            error = Unreachable(f"could not connect to {where}: {connection_reason(exc)}")
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
                raise Retryable(error_from(response, self._key), retry_after=wait)
            if response.status >= 500:
                raise Retryable(error_from(response, self._key))
            if response.status >= 400:
                raise error_from(response, self._key)
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
        return campaign_from(self._read(f"/campaigns/{campaign_id}"))

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
                raise Retryable(error_from(response, self._key), retry_after=wait)
            if not (200 <= response.status < 300 or 400 <= response.status < 500):
                error = error_from(response, self._key)  # a 5xx, a gateway's page, a redirect
                raise OutcomeUnknown(name, f"server error {response.status}",
                                     error.request_id)
            if response.status >= 400:
                raise error_from(response, self._key)
            try:
                created = campaign_from(response.json(self._key))
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
        """Every campaign in the account, each once (see `Listing.all`)."""
        return Listing(self._read_page, self.concurrency,
                       self.accept_short_listing).all(stats, max_attempts)

    def _read_page(self, page: int) -> tuple[Any, float | None]:
        return self._read_dated("/campaigns", {"page": page, "per_page": PER_PAGE})

    def campaign_total(self) -> int:
        """`meta.total` alone, with the cheapest request there is (one campaign a page)."""
        doc = self._read("/campaigns", {"page": 1, "per_page": 1})
        meta = doc.get("meta") if isinstance(doc, Mapping) else None
        total = meta.get("total") if isinstance(meta, Mapping) else None
        if not isinstance(total, int) or isinstance(total, bool) or total < 0:
            raise ServerError("unexpected answer to GET /campaigns: no `meta.total`")
        return total

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
        return senders_from(doc)


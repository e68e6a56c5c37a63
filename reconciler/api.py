"""The Zexa Campaigns API client: auth, pagination, retries and typed errors.

It knows nothing of YAML or state. Where the provider is silent (see the README's "API
facts" section), it is written to be correct for every possible answer:

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

import ipaddress
import math
import os
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_any,
)
from tenacity.stop import stop_base

from reconciler import __version__
from reconciler.remote import Credits, RegisteredSender, RemoteCampaign, ResponseShapeError

DEFAULT_URL = "https://api.zexa.ao/v1"
USER_AGENT = f"zexa-campaigns/{__version__}"
PER_PAGE = 100


# -- errors -------------------------------------------------------------------------------


class ConfigError(Exception):
    """The client cannot be set up (no key, a URL that is not allowed)."""


class ApiError(Exception):
    """The API answered with an error, or could not be reached."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        code: str = "",
        details: Mapping[str, Any] | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = dict(details or {})
        self.request_id = request_id

    def __str__(self) -> str:
        head = f"{self.status} {self.code}: " if self.status else ""
        field = self.details.get("field")
        where = f" (field: {field})" if isinstance(field, str) else ""
        rid = f" [request_id: {self.request_id}]" if self.request_id else ""
        return f"{head}{self.message}{where}{rid}"


class BadRequest(ApiError):
    """400: the request was malformed; it was not acted on."""


class Unauthorized(ApiError):
    """401: the API key is missing or invalid."""


class NotFound(ApiError):
    """404: a campaign or contact list does not exist."""


class ValidationFailed(ApiError):
    """422 validation_error: e.g. an unregistered sender or a past scheduled_at."""


class InsufficientCredits(ApiError):
    """422 insufficient_credits: creating more will fail too until the account is topped up."""


class RateLimited(ApiError):
    """429 after every retry the budget allowed."""


class ServerError(ApiError):
    """5xx, or an answer that is not the documented JSON (a gateway's HTML page)."""


class Unreachable(ApiError):
    """The connection failed or timed out after every retry."""


class OutcomeUnknown(Exception):
    """A create was sent, and whether the server acted on it cannot be known from the answer.

    Never post the same campaign again on this: list the account and look for it by name.
    """

    def __init__(self, name: str, cause: str, request_id: str | None = None, *,
                 may_still_land: bool = False) -> None:
        rid = f" [request_id: {request_id}]" if request_id else ""
        super().__init__(f"outcome of creating {name!r} is unknown: {cause}{rid}")
        self.name = name
        self.cause = cause
        self.request_id = request_id
        # True when the server may still be working on it (a timeout): a listing made now
        # cannot prove it absent.
        self.may_still_land = may_still_land


class InconsistentListing(ApiError):
    """The account's campaigns changed under every listing attempt."""


# -- values -------------------------------------------------------------------------------


def _campaign(doc: Any) -> RemoteCampaign:
    try:
        return RemoteCampaign.from_json(doc)
    except ResponseShapeError as exc:
        raise ServerError(str(exc), code="unexpected_response") from None


@dataclass
class ListingStats:
    requests: int = 0
    attempts: int = 0


class Secret:
    """An API key that never shows itself in a repr, a log line or an exception."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("an API key cannot be pickled")


# -- configuration ------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """The API base URL, refused unless https (plain http only to a loopback address)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return url.rstrip("/")
    raise ConfigError(
        f"ZEXA_API_URL must be an https:// URL (plain http:// only to a loopback address), "
        f"not {url!r}"
    )


def read_api_key(api_key_file: str | None, environ: Mapping[str, str] | None = None) -> Secret:
    """The key from `--api-key-file`, else `ZEXA_API_KEY`; a one-line error when neither."""
    env = os.environ if environ is None else environ
    if api_key_file:
        try:
            value = Path(api_key_file).read_text("utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                f"cannot read the API key file {api_key_file}: {exc.strerror}"
            ) from None
        if not value:
            raise ConfigError(f"the API key file {api_key_file} is empty")
        return Secret(value)
    value = env.get("ZEXA_API_KEY", "").strip()
    if not value:
        raise ConfigError(
            "no API key: set ZEXA_API_KEY (or pass --api-key-file FILE); "
            "to try the tool without one, add --sandbox"
        )
    return Secret(value)


# -- retry policy -------------------------------------------------------------------------


@dataclass
class RetryPolicy:
    attempts: int = 6  # per request, the first one included
    total_seconds: float = 120.0  # per request, waiting included
    base_delay: float = 0.5
    max_delay: float = 30.0


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP-date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


class _Retryable(Exception):
    """Internal: this attempt failed in a way that another attempt may fix."""

    def __init__(self, error: ApiError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


@dataclass
class _Pause:
    """A shared "nobody sends before" time: one 429 slows every request of the client."""

    until: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def push(self, until: float) -> None:
        with self.lock:
            self.until = max(self.until, until)


class _OutOfTime(stop_base):
    """Stop when the next wait would take the request past its time budget.

    It reads the client's (injectable) clock, where tenacity's own stop_after_delay reads
    the wall clock, so that tests can prove the bound without sleeping.
    """

    def __init__(self, clock: Callable[[], float], started: float, budget: float) -> None:
        self.clock = clock
        self.started = started
        self.budget = budget

    def __call__(self, retry_state: RetryCallState) -> bool:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome else None
        planned = exc.retry_after if isinstance(exc, _Retryable) and exc.retry_after else 0.0
        return self.clock() - self.started + planned > self.budget


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
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._key = api_key
        self.retry = retry or RetryPolicy()
        self.concurrency = max(1, concurrency)
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._pause = _Pause()
        self.requests_sent = 0
        self._count_lock = threading.Lock()
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=10.0),
            limits=httpx.Limits(max_connections=self.concurrency + 4,
                                max_keepalive_connections=self.concurrency + 4),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )

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
              json_body: Any = None, headers: Mapping[str, str] | None = None) -> httpx.Response:
        self._wait_for_pause()
        with self._count_lock:
            self.requests_sent += 1
        all_headers = {"Authorization": f"Bearer {self._key.reveal()}"}
        all_headers.update(headers or {})
        return self._http.request(method, path, params=params, json=json_body,
                                  headers=all_headers)

    def _error_from(self, response: httpx.Response) -> ApiError:
        status = response.status_code
        request_id = response.headers.get("X-Request-Id")
        try:
            doc = response.json()
        except ValueError:
            doc = None
        if isinstance(doc, Mapping) and isinstance(doc.get("error"), str):
            code = str(doc["error"])
            message = str(doc.get("message") or code)
            details = doc.get("details") if isinstance(doc.get("details"), Mapping) else None
            request_id = str(doc.get("request_id") or request_id or "") or None
        else:
            kind = response.headers.get("Content-Type", "unknown").split(";")[0]
            code = "unexpected_response"
            message = f"the API answered {status} with a non-JSON body ({kind})"
            details = None
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

    def _throttled(self, response: httpx.Response) -> float:
        """Record a 429's wait for everyone; return it."""
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        wait = retry_after if retry_after is not None else self.retry.base_delay
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
            if isinstance(exc, _Retryable) and exc.retry_after is not None:
                return max(backoff, exc.retry_after)
            return backoff

        return Retrying(
            stop=stop_any(
                stop_after_attempt(policy.attempts),
                _OutOfTime(self._clock, started, policy.total_seconds),
            ),
            wait=wait,
            retry=retry_if_exception(lambda e: isinstance(e, _Retryable)),
            sleep=self._sleep,
            reraise=True,
        )

    def _read(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET with retries; returns the decoded JSON body."""

        def attempt() -> Any:
            try:
                response = self._send("GET", path, params=params)
            except httpx.TimeoutException as exc:
                raise _Retryable(Unreachable(f"timed out: {type(exc).__name__}")) from None
            except httpx.TransportError as exc:
                raise _Retryable(Unreachable(f"connection failed: {type(exc).__name__}")) from None
            if response.status_code == 429:
                wait = self._throttled(response)
                raise _Retryable(self._error_from(response), retry_after=wait)
            if response.status_code >= 500:
                raise _Retryable(self._error_from(response))
            if response.status_code >= 400:
                raise self._error_from(response)
            try:
                return response.json()
            except ValueError:
                raise _Retryable(ServerError(
                    f"the API answered {response.status_code} with a body that is not JSON"
                )) from None

        try:
            return self._retrying()(attempt)
        except _Retryable as final:
            raise final.error from None

    # -- campaigns ------------------------------------------------------------------------

    def get_campaign(self, campaign_id: str) -> RemoteCampaign:
        return _campaign(self._read(f"/campaigns/{campaign_id}"))

    def create_campaign(self, payload: Mapping[str, Any],
                        idempotency_key: str | None = None) -> RemoteCampaign:
        """POST one campaign. Raises `OutcomeUnknown` when it may or may not exist now."""
        name = str(payload.get("name"))
        key = idempotency_key or str(uuid.uuid4())

        def attempt() -> RemoteCampaign:
            try:
                response = self._send("POST", "/campaigns", json_body=dict(payload),
                                      headers={"Idempotency-Key": key,
                                               "Content-Type": "application/json"})
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # The request never left: trying again cannot create a second campaign.
                raise _Retryable(Unreachable(f"connection failed: {type(exc).__name__}")) from None
            except httpx.TimeoutException as exc:
                raise OutcomeUnknown(name, f"no answer in time ({type(exc).__name__})",
                                     may_still_land=True) from None
            except httpx.TransportError as exc:
                raise OutcomeUnknown(name, f"connection lost ({type(exc).__name__})") from None
            if response.status_code == 429:
                wait = self._throttled(response)
                raise _Retryable(self._error_from(response), retry_after=wait)
            if response.status_code >= 500:
                error = self._error_from(response)
                raise OutcomeUnknown(name, f"server error {response.status_code}",
                                     error.request_id)
            if response.status_code >= 400:
                raise self._error_from(response)
            try:
                return RemoteCampaign.from_json(response.json())
            except ValueError as exc:  # not JSON, or not a campaign
                raise OutcomeUnknown(name, f"unreadable answer ({exc})") from None

        try:
            return self._retrying()(attempt)
        except _Retryable as final:
            raise final.error from None

    def list_campaigns(self, stats: ListingStats | None = None,
                       max_attempts: int = 3) -> list[RemoteCampaign]:
        """Every campaign in the account, each once.

        Page 1 gives the total; the other pages are fetched concurrently. The listing is
        accepted only when every page reported the same total and the distinct IDs cover
        it; campaigns are never deleted, so a changed total means a campaign was created
        meanwhile and pages may have shifted: list again.
        """
        stats = stats or ListingStats()
        for _ in range(max_attempts):
            stats.attempts += 1
            found, consistent = self._list_once(stats)
            if consistent:
                return found
        raise InconsistentListing(
            f"the account's campaigns kept changing during {max_attempts} listings; "
            "try again when nothing else is creating campaigns"
        )

    def _page(self, page: int, stats: ListingStats) -> tuple[list[RemoteCampaign], int, int]:
        doc = self._read("/campaigns", {"page": page, "per_page": PER_PAGE})
        with self._count_lock:
            stats.requests += 1
        if not isinstance(doc, Mapping) or not isinstance(doc.get("data"), list):
            raise ServerError("unexpected answer to GET /campaigns: no `data` list")
        items = [_campaign(item) for item in doc["data"]]
        meta = doc.get("meta") if isinstance(doc.get("meta"), Mapping) else {}
        assert isinstance(meta, Mapping)
        total = meta.get("total")
        per_page = meta.get("per_page")
        if not isinstance(total, int) or total < 0:
            raise ServerError("unexpected answer to GET /campaigns: no `meta.total`")
        if not isinstance(per_page, int) or per_page < 1:
            per_page = len(items) or PER_PAGE
        return items, total, per_page

    def _list_once(self, stats: ListingStats) -> tuple[list[RemoteCampaign], bool]:
        first, total, per_page = self._page(1, stats)
        pages = max(1, math.ceil(total / per_page))
        results: list[tuple[list[RemoteCampaign], int, int]] = [(first, total, per_page)]
        if pages > 1:
            with ThreadPoolExecutor(max_workers=min(self.concurrency, pages - 1)) as pool:
                results.extend(pool.map(lambda p: self._page(p, stats), range(2, pages + 1)))
        unique: dict[str, RemoteCampaign] = {}
        for items, _, _ in results:
            for item in items:
                unique.setdefault(item.id, item)
        totals = {t for _, t, _ in results}
        consistent = len(totals) == 1 and len(unique) >= total
        return list(unique.values()), consistent

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

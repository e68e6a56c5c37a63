"""The online link check: does each URL of a message answer?

Its own httpx client, never the Zexa client (whose credentials must not travel to a link's
server). Each distinct URL is asked once a run (HEAD; GET when HEAD is refused or fails,
since many servers answer HEAD wrongly), redirects are followed one by one so that each
step is recorded and a loop is caught, and no body is ever read: a GET's answer is
closed once its status and headers are in. Requests run a few at a time, fewer still to
one host, each step bounded by a short timeout.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import httpx

from reconciler import __version__

USER_AGENT = (f"zexa-campaigns/{__version__} link-check (checks the links of campaigns "
              "before they are sent)")
CONCURRENCY = 8
PER_HOST = 2
MAX_REDIRECTS = 10
_REDIRECTS = frozenset((301, 302, 303, 307, 308))


@dataclass(frozen=True)
class Answer:
    """What one URL came to: its last status, where it was sent on to, what is wrong."""

    url: str
    status: int | None  # None: no answer
    redirects: tuple[str, ...] = ()
    problem: str | None = None


def _cause(error: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def describe_failure(error: Exception, timeout: float) -> str:
    """What a reader is told when a link's server could not be asked."""
    if isinstance(error, httpx.TimeoutException):
        return f"no answer within {timeout:g} s ({type(error).__name__})"
    chain = list(_cause(error))
    if any(isinstance(e, socket.gaierror) for e in chain):
        return "DNS failure: the name does not resolve"
    tls = next((e for e in chain if isinstance(e, ssl.SSLError)), None)
    if tls is not None:
        return f"TLS error: {_tls_reason(tls)}"
    if isinstance(error, httpx.ConnectError):
        return f"could not connect: {error}"
    return _failed_request(error)


def _failed_request(error: Exception) -> str:
    """A request that was cut off on the way, or that failed for a reason not named above."""
    said = str(error) or type(error).__name__  # an exception without words is named
    if isinstance(error, (httpx.RemoteProtocolError, httpx.ReadError)):
        return f"the server broke off the answer: {said}"
    return f"the request failed: {said}"


def _tls_reason(error: ssl.SSLError) -> object:
    """The certificate's fault when verification failed, else OpenSSL's reason."""
    return getattr(error, "verify_message", None) or getattr(error, "reason", None) or error


class LinkChecker:
    """Checks URLs against their servers, each distinct URL once for the checker's life."""

    def __init__(self, *, timeout: float = 5.0, concurrency: int = CONCURRENCY,
                 per_host: int = PER_HOST, max_redirects: int = MAX_REDIRECTS,
                 transport: httpx.BaseTransport | None = None,
                 verify: ssl.SSLContext | bool = True) -> None:
        self.timeout = timeout
        self.concurrency = concurrency
        self.per_host = per_host
        self.max_redirects = max_redirects
        self._cache: dict[str, Answer] = {}
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=False, transport=transport,
            verify=verify, headers={"User-Agent": USER_AGENT, "Accept": "*/*"},
            limits=httpx.Limits(max_connections=concurrency,
                                max_keepalive_connections=concurrency))

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> LinkChecker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self, urls: Iterable[str]) -> dict[str, Answer]:
        """Each URL's answer; a URL already asked this run is not asked again."""
        wanted = list(dict.fromkeys(urls))
        new = [u for u in wanted if u not in self._cache]
        if new:
            with ThreadPoolExecutor(max_workers=min(self.concurrency, len(new)),
                                    thread_name_prefix="link-check") as pool:
                for url, answer in zip(new, pool.map(self._follow, new), strict=True):
                    self._cache[url] = answer
        return {u: self._cache[u] for u in wanted}

    def _host_slot(self, url: str) -> threading.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            return self._hosts.setdefault(host, threading.Semaphore(self.per_host))

    def _follow(self, url: str) -> Answer:
        trail: list[str] = []
        current = url
        for _ in range(self.max_redirects + 1):
            try:
                status, location = self._ask(current)
            except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as error:
                return Answer(url, None, tuple(trail), describe_failure(error, self.timeout))
            if status in _REDIRECTS and location:
                following = urljoin(current, location)
                if following in (current, url) or following in trail:
                    return Answer(url, status, (*trail, following),
                                  f"redirect loop: it comes back to {following}")
                trail.append(following)
                current = following
                continue
            problem = None if status < 400 else f"answers {status} {_reason(status)}".rstrip()
            return Answer(url, status, tuple(trail), problem)
        return Answer(url, None, tuple(trail), f"more than {self.max_redirects} redirects")

    def _ask(self, url: str) -> tuple[int, str | None]:
        """One step: HEAD, and GET when HEAD is refused; the status and any Location."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"{url} is not an http(s) URL")
        host = (urlsplit(url).hostname or "").rstrip(".")
        if host == "invalid" or host.endswith(".invalid"):
            # RFC 6761: names under .invalid never resolve; no resolver is asked.
            raise httpx.ConnectError("reserved name", request=None) from socket.gaierror(
                socket.EAI_NONAME, "names under .invalid never resolve")
        with self._host_slot(url):
            head = self._client.head(url)
            if head.status_code < 400:
                return head.status_code, head.headers.get("location")
            with self._client.stream("GET", url) as got:  # the body is never read
                return got.status_code, got.headers.get("location")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""

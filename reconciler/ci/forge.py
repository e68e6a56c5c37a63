"""The code host a CI job runs on (GitHub or GitLab), as the few REST calls the tool makes:
who the token is, a pull or merge request's comments, and the request a commit was merged
by. Detected from the job's environment; every address can be pointed elsewhere (tests
point them at a local fake)."""

from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from reconciler.errors import UserError
from reconciler.secret import Secret


class ForgeError(UserError):
    """The code host cannot be reached as configured (no token, no request number, ...)."""


class Refused(Exception):
    """The code host said no (401, 403, 404): a warning, never a failed job."""


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    body: str


MAX_PAGES = 1000  # of one listing: a host whose pages never end is stopped


class Forge(ABC):
    """What both hosts offer, over httpx. Subclasses say where and how."""

    name = ""
    comment_limit = 0  # the longest comment the host takes, in characters
    default_author: str | None = None  # who writes when the token cannot say who it is

    def __init__(self, api_url: str, token: Secret, headers: Mapping[str, str],
                 request: str | None) -> None:
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.request = request  # the pull or merge request's number, once known
        self._http = httpx.Client(base_url=self.api_url, headers=dict(headers), timeout=30.0,
                                  follow_redirects=False)

    def close(self) -> None:
        self._http.close()

    def _send(self, method: str, path: str, **kw: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kw)
        except httpx.HTTPError as exc:
            raise ForgeError(f"{self.name}: {method} {path} failed: "
                             f"{self.token.redact(str(exc)) or type(exc).__name__}") from None
        if response.status_code in (401, 403, 404):
            raise Refused(f"{self.name} answered {response.status_code} to {method} {path}: "
                          f"{self.token.redact(response.text[:200])}")
        if response.status_code >= 400:
            raise ForgeError(f"{self.name} answered {response.status_code} to {method} "
                             f"{path}: {self.token.redact(response.text[:200])}")
        return response

    def _json(self, response: httpx.Response, method: str, path: str) -> Any:
        try:
            return response.json() if response.content else None
        except ValueError:
            raise ForgeError(f"{self.name}: {method} {path} did not answer JSON") from None

    def call(self, method: str, path: str, **kw: Any) -> Any:
        return self._json(self._send(method, path, **kw), method, path)

    def pages(self, path: str) -> Iterator[Any]:
        """Every item of a listing, page after page for as long as the host names a next
        one (the `Link` header's rel="next", or GitLab's `X-Next-Page`): never judged by a
        page's size, which a host or a proxy may cap below the size asked for."""
        url: str = path
        params: dict[str, Any] | None = {"per_page": 100}
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            response = self._send("GET", url, params=params)
            if str(response.request.url) in seen:
                raise ForgeError(f"{self.name}: GET {path}: the pages repeat; stopped")
            seen.add(str(response.request.url))
            items = self._json(response, "GET", path)
            if not isinstance(items, list):
                raise ForgeError(f"{self.name}: GET {path} did not answer a list")
            yield from items
            following = self._next_page(response, path)
            if following is None:
                return
            url, params = following
        raise ForgeError(f"{self.name}: GET {path}: more than {MAX_PAGES} pages; stopped")

    def _next_page(self, response: httpx.Response,
                   path: str) -> tuple[str, dict[str, Any] | None] | None:
        """(the address, its parameters) of the page after `response`, or None."""
        link = response.links.get("next", {}).get("url")
        if link:
            following = httpx.URL(link)
            if (following.scheme, following.host, following.port) != \
                    (self._http.base_url.scheme, self._http.base_url.host,
                     self._http.base_url.port):
                raise ForgeError(f"{self.name}: GET {path}: the next page is on another host "
                                 f"({following.scheme}://{following.host}); the token is not "
                                 "sent there")
            return link, None
        number = response.headers.get("X-Next-Page", "").strip()
        if number:
            if not number.isdigit():
                raise ForgeError(f"{self.name}: GET {path}: X-Next-Page is not a page number")
            return path, {"per_page": 100, "page": int(number)}
        return None

    # -- what each host provides ---------------------------------------------------------

    @abstractmethod
    def whoami(self) -> str | None:
        """(See each host.)"""

    @abstractmethod
    def comments(self) -> list[Comment]:
        """(See each host.)"""

    @abstractmethod
    def create(self, body: str) -> str:
        """(See each host.)"""

    @abstractmethod
    def update(self, comment_id: str, body: str) -> None:
        """(See each host.)"""

    @abstractmethod
    def merged_request(self, sha: str) -> str | None:
        """(See each host.)"""


class GitHub(Forge):
    name = "GitHub"
    comment_limit = 65_536  # GitHub answers 422 to a longer comment
    default_author = "github-actions[bot]"  # the workflow's token writes as this

    def __init__(self, env: Mapping[str, str], request: str | None = None) -> None:
        token = env.get("GH_TOKEN") or env.get("GITHUB_TOKEN") or ""
        if not token:
            raise ForgeError("no token: set GITHUB_TOKEN (or GH_TOKEN) to the job's token")
        self.repository = env.get("GITHUB_REPOSITORY") or ""
        if not self.repository:
            raise ForgeError("GITHUB_REPOSITORY is not set: is this a GitHub Actions job?")
        super().__init__(env.get("GITHUB_API_URL") or "https://api.github.com", Secret(token),
                         {"Authorization": f"Bearer {token}",
                          "Accept": "application/vnd.github+json",
                          "X-GitHub-Api-Version": "2022-11-28"},
                         request or env.get("PR_NUMBER") or _event_number(env))

    def whoami(self) -> str | None:
        try:
            doc = self.call("GET", "/user")
        except Refused:  # the workflow's token cannot read /user
            return None
        return str(doc.get("login") or "") or None if isinstance(doc, dict) else None

    def comments(self) -> list[Comment]:
        path = f"/repos/{self.repository}/issues/{self.request}/comments"
        return [Comment(str(c["id"]), str((c.get("user") or {}).get("login") or ""),
                        str(c.get("body") or "")) for c in self.pages(path)]

    def create(self, body: str) -> str:
        doc = self.call("POST", f"/repos/{self.repository}/issues/{self.request}/comments",
                        json={"body": body})
        return str(doc["id"])

    def update(self, comment_id: str, body: str) -> None:
        self.call("PATCH", f"/repos/{self.repository}/issues/comments/{comment_id}",
                  json={"body": body})

    def merged_request(self, sha: str) -> str | None:
        pulls = self.call("GET", f"/repos/{self.repository}/commits/{sha}/pulls")
        merged = [p for p in pulls or [] if p.get("merged_at")]
        return str(merged[0]["number"]) if merged else None


class GitLab(Forge):
    name = "GitLab"
    comment_limit = 1_000_000  # GitLab's limit on a note

    def __init__(self, env: Mapping[str, str], request: str | None = None) -> None:
        token = env.get("CAMPAIGNS_GITLAB_TOKEN") or env.get("GITLAB_TOKEN") or ""
        if not token:
            raise ForgeError("no token: set CAMPAIGNS_GITLAB_TOKEN to a project access token "
                             "with the api scope (the job token cannot write notes)")
        self.project = env.get("CI_PROJECT_ID") or ""
        if not self.project:
            raise ForgeError("CI_PROJECT_ID is not set: is this a GitLab CI job?")
        super().__init__(env.get("CI_API_V4_URL") or "https://gitlab.com/api/v4",
                         Secret(token), {"PRIVATE-TOKEN": token},
                         request or env.get("CI_MERGE_REQUEST_IID"))

    def whoami(self) -> str | None:
        try:
            doc = self.call("GET", "/user")
        except Refused:
            return None
        return str(doc.get("username") or "") or None if isinstance(doc, dict) else None

    def _notes(self) -> str:
        return f"/projects/{self.project}/merge_requests/{self.request}/notes"

    def comments(self) -> list[Comment]:
        return [Comment(str(n["id"]), str((n.get("author") or {}).get("username") or ""),
                        str(n.get("body") or "")) for n in self.pages(self._notes())
                if not n.get("system")]

    def create(self, body: str) -> str:
        return str(self.call("POST", self._notes(), json={"body": body})["id"])

    def update(self, comment_id: str, body: str) -> None:
        self.call("PUT", f"{self._notes()}/{comment_id}", json={"body": body})

    def merged_request(self, sha: str) -> str | None:
        found = self.call("GET", f"/projects/{self.project}/repository/commits/{sha}/"
                                 "merge_requests")
        merged = [m for m in found or [] if m.get("state") == "merged"]
        return str(merged[0]["iid"]) if merged else None


def _event_number(env: Mapping[str, str]) -> str | None:
    """The pull request's number from the event GitHub Actions wrote for the job."""
    path = env.get("GITHUB_EVENT_PATH")
    if not path or not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            event = json.load(f)
    except (OSError, ValueError):
        return None
    number = (event.get("pull_request") or {}).get("number") if isinstance(event, dict) \
        else None
    return str(number) if number else None


def detect(env: Mapping[str, str], request: str | None = None) -> Forge:
    """The host this job runs on, from its environment."""
    if env.get("GITHUB_ACTIONS") == "true":
        return GitHub(env, request)
    if env.get("GITLAB_CI") == "true":
        return GitLab(env, request)
    raise ForgeError("neither GitHub Actions (GITHUB_ACTIONS=true) nor GitLab CI "
                     "(GITLAB_CI=true): `campaigns ci` runs in a CI job")

"""A local fake of the GitHub and GitLab REST calls `campaigns ci` makes: comments (notes)
of one request, the token's user, and the request that merged a commit."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "ghs_token_abcdef1234567890"


class FakeForge(ThreadingHTTPServer):
    """The REST calls of GitHub (kind "github") or GitLab ("gitlab"), in memory."""

    def __init__(self, kind: str, me: str | None = "campaigns-bot") -> None:
        super().__init__(("127.0.0.1", 0), FakeHandler)
        self.kind = kind
        self.me = me  # None: GET /user is refused, as for the GitHub workflow token
        self.comments: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []
        self.refuse_writes = False
        self.merged: dict[str, int] = {}  # commit -> request that merged it
        self.next_id = 100
        # Paging as the host (or a proxy before it) does it: at most `max_per_page` items a
        # page whatever was asked, and the next page named by a `Link` header (rel="next"),
        # by GitLab's `X-Next-Page` alone ("x-next-page"), or by both ("both").
        self.max_per_page = 100
        self.paging = "link"
        self.link_base: str | None = None  # where `Link` points (default: this server)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def author(self, c: dict[str, Any]) -> str:
        return c["user"]["login"] if self.kind == "github" else c["author"]["username"]

    def add(self, body: str, author: str) -> dict[str, Any]:
        self.next_id += 1
        who = {"user": {"login": author}} if self.kind == "github" else \
            {"author": {"username": author}}
        comment = {"id": self.next_id, "body": body, **who}
        self.comments.append(comment)
        return comment


class FakeHandler(BaseHTTPRequestHandler):
    server: FakeForge

    def log_message(self, *args: object) -> None:
        pass

    def reply(self, status: int, doc: Any = None,
              headers: dict[str, str] | None = None) -> None:
        body = json.dumps(doc).encode() if doc is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def authorised(self) -> bool:
        if self.server.kind == "github":
            return self.headers.get("Authorization") == f"Bearer {TOKEN}"
        return self.headers.get("PRIVATE-TOKEN") == TOKEN

    def handle_any(self, method: str) -> None:
        server = self.server
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        server.requests.append((method, path))
        if not self.authorised():
            return self.reply(401, {"message": "Bad credentials"})
        length = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(length)) if length else {}
        github = server.kind == "github"
        comments_path = "/repos/o/r/issues/7/comments" if github else \
            "/projects/42/merge_requests/7/notes"
        if path == "/user" and method == "GET":
            if server.me is None:
                return self.reply(403, {"message": "Resource not accessible by integration"})
            return self.reply(200, {"login": server.me} if github else {"username": server.me})
        if path == comments_path and method == "GET":
            page = int(query.get("page", ["1"])[0])
            per = min(int(query.get("per_page", ["30"])[0]), server.max_per_page)
            headers = {}
            if page * per < len(server.comments):
                if server.paging in ("link", "both"):
                    base = server.link_base or server.url
                    headers["Link"] = (f'<{base}{path}?per_page={per}&page={page + 1}>; '
                                       f'rel="next", <{server.url}{path}?page=1>; rel="first"')
                if server.paging in ("x-next-page", "both"):
                    headers["X-Next-Page"] = str(page + 1)
            return self.reply(200, server.comments[(page - 1) * per:page * per], headers)
        if path == comments_path and method == "POST":
            if server.refuse_writes:
                return self.reply(403, {"message": "Resource not accessible by integration"})
            return self.reply(201, server.add(payload["body"], server.me or
                                               "github-actions[bot]"))
        edit = (method == "PATCH" and path.startswith("/repos/o/r/issues/comments/")) or (
            method == "PUT" and path.startswith(comments_path + "/"))
        if edit:
            wanted = int(path.rsplit("/", 1)[1])
            for comment in server.comments:
                if comment["id"] == wanted:
                    comment["body"] = payload["body"]
                    return self.reply(200, comment)
            return self.reply(404, {"message": "Not Found"})
        if github and path.startswith("/repos/o/r/commits/") and path.endswith("/pulls"):
            sha = path.split("/")[5]
            number = server.merged.get(sha)
            return self.reply(200, [{"number": number, "merged_at": "2030-01-01T00:00:00Z"}]
                              if number else [])
        if not github and path.startswith("/projects/42/repository/commits/"):
            sha = path.split("/")[5]
            number = server.merged.get(sha)
            return self.reply(200, [{"iid": number, "state": "merged"}] if number else [])
        return self.reply(404, {"message": "Not Found"})

    def do_GET(self) -> None:
        self.handle_any("GET")

    def do_POST(self) -> None:
        self.handle_any("POST")

    def do_PATCH(self) -> None:
        self.handle_any("PATCH")

    def do_PUT(self) -> None:
        self.handle_any("PUT")


def env_of(server: FakeForge, **extra: str) -> dict[str, str]:
    if server.kind == "github":
        env = {"GITHUB_ACTIONS": "true", "GITLAB_CI": "", "GITHUB_TOKEN": TOKEN,
               "GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": server.url, "PR_NUMBER": "7"}
    else:
        env = {"GITHUB_ACTIONS": "", "GITLAB_CI": "true", "CAMPAIGNS_GITLAB_TOKEN": TOKEN,
               "CI_PROJECT_ID": "42", "CI_API_V4_URL": server.url, "CI_MERGE_REQUEST_IID": "7"}
    return {**env, **extra}

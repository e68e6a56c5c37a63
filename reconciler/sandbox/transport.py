"""The sandbox in-process, as an httpx transport: what `--sandbox` uses."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx

from reconciler.sandbox.app import SandboxApp

SANDBOX_URL = "http://sandbox.invalid/v1"  # never resolved: the transport answers in-process


def _trickled(body: bytes, per_second: float) -> Iterator[bytes]:
    step = max(1, int(per_second / 10))
    for start in range(0, len(body), step):
        time.sleep(step / per_second)
        yield body[start:start + step]


class SandboxTransport(httpx.BaseTransport):
    def __init__(self, app: SandboxApp) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = request.url.raw_path.decode("ascii")
        reply = self.app.handle(request.method, target, dict(request.headers), request.read())
        if reply.drop:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        if reply.trickle:
            return httpx.Response(reply.status, headers=reply.headers, request=request,
                                  content=_trickled(reply.body, reply.trickle))
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body,
                              request=request)

    def close(self) -> None:
        self.app.close()

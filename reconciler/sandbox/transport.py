"""The sandbox in-process, as an httpx transport: what `--sandbox` uses."""

from __future__ import annotations

import httpx

from reconciler.sandbox.app import SandboxApp

SANDBOX_URL = "http://sandbox.invalid/v1"  # never resolved: the transport answers in-process


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
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body,
                              request=request)

    def close(self) -> None:
        self.app.close()

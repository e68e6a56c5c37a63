"""The sandbox as a real threaded HTTP server on loopback."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from reconciler.sandbox.app import SandboxApp


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are written apart: no 40 ms ACK stall
    server: SandboxServer

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.app.handle(self.command, self.path, dict(self.headers), body)
        if reply.drop:
            # The request was acted on; the answer is lost on the way back.
            self.close_connection = True
            return
        try:
            # The app gives the Date (its own clock, or none at all): not the machine's.
            self.send_response_only(reply.status)
            self.log_request(reply.status)
            self.send_header("Server", self.version_string())
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.trickle:
                self._trickle(reply.body, reply.trickle)
            else:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (a timeout): what was done stays done.
            self.close_connection = True

    def _trickle(self, body: bytes, per_second: float) -> None:
        """Send the body a few bytes at a time, as a congested or hostile peer does."""
        step = max(1, int(per_second / 10))
        for start in range(0, len(body), step):
            self.wfile.write(body[start:start + step])
            self.wfile.flush()
            time.sleep(step / per_second)

    do_GET = _serve
    do_POST = _serve
    do_PUT = _serve
    do_PATCH = _serve
    do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a real server accepts bursts; the default 5 drops connections
    allow_reuse_address = True

    def __init__(self, app: SandboxApp, host: str = "127.0.0.1", port: int = 0,
                 verbose: bool = False) -> None:
        self.app = app
        self.verbose = verbose
        super().__init__((host, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.verbose:
            super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start_background(self) -> threading.Thread:
        thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name="zexa-sandbox",
            daemon=True,
        )
        thread.start()
        return thread

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.app.close()

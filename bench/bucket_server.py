"""The sandbox behind a token bucket, as rate-limited APIs and gateways count: BUCKET
requests at once, refilled at RATE a second; a request that finds the bucket empty is
answered 429 with `Retry-After: 1`. (The sandbox's own `--rate-limit` counts per calendar
second instead.) The floor of N requests is then (N - BUCKET) / RATE seconds.

    python bench/bucket_server.py SEED_JSON DATA_JSON RATE BUCKET LATENCY

Prints `Zexa sandbox listening on URL`, as `campaigns sandbox serve` does, and serves until
terminated.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from reconciler.sandbox.account import AccountStore
from reconciler.sandbox.app import Faults, Reply, SandboxApp
from reconciler.sandbox.server import SandboxServer


class Bucket:
    def __init__(self, rate: float, size: int) -> None:
        self.rate, self.size = rate, size
        self.tokens = float(size)
        self.at = time.monotonic()
        self.lock = threading.Lock()
        self.refused = 0

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.size, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens < 1:
                self.refused += 1
                return False
            self.tokens -= 1
            return True


def main() -> None:
    seed_file, data_file, rate, size, latency = sys.argv[1:6]
    app = SandboxApp(AccountStore(Path(data_file)), seed=json.loads(Path(seed_file).read_text()),
                     faults=Faults(latency=float(latency)))
    bucket = Bucket(float(rate), int(size))
    handle = app.handle

    def limited(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        if not bucket.take():
            time.sleep(float(latency))
            return Reply(429, b'{"error": "rate_limit_exceeded", "message": "Too many requests"}',
                         {"Content-Type": "application/json", "Retry-After": "1"})
        return handle(method, target, headers, body)

    app.handle = limited  # type: ignore[method-assign]
    server = SandboxServer(app, "127.0.0.1", 0)
    print(f"Zexa sandbox listening on {server.url}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    server.server_close()
    if os.environ.get("BENCH_BUCKET_SUMMARY"):  # what the requests were, for a reader
        kinds = Counter(f"{r.method} {r.path}{' total' if 'per_page=1' in r.query else ''} "
                        f"{r.status}" for r in app.request_log)
        print(f"refused (429): {bucket.refused}; " + ", ".join(
            f"{k}: {n}" for k, n in sorted(kinds.items())), file=sys.stderr)


if __name__ == "__main__":
    main()

"""Run `campaigns sandbox serve` in a child process for a benchmark (server and client must
not share one interpreter's lock, or the figures measure the GIL)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def seed_with(campaigns: int, *, credits: int = 10**12) -> dict[str, Any]:
    return {
        "contact_lists": [{"id": "lst_bench", "size": 1, "fail_share": 0.0}],
        "sender_ids": [{"sender_id": "BENCH", "channel": "sms", "status": "approved"}],
        "credits": credits,
        "campaigns": [
            {
                "id": f"cmp_bench{i:07d}", "name": f"Existing {i:05d}", "channel": "sms",
                "contact_list_id": "lst_bench", "sender_id": "BENCH", "body": "x",
                "template": None, "scheduled_at": None, "total_recipients": 1,
                "created_at": "2026-01-01T00:00:00Z", "cost": 1,
            }
            for i in range(campaigns)
        ],
    }


@contextmanager
def sandbox_server(seed: dict[str, Any], *options: str,
                   bucket: tuple[int, int, float] | None = None) -> Iterator[str]:
    """`campaigns sandbox serve` with `options`; with `bucket` (rate, size, latency), the
    sandbox behind a token bucket instead (bucket_server.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        seed_file = Path(tmp) / "seed.json"
        seed_file.write_text(json.dumps(seed))
        data = str(Path(tmp) / "account.json")
        if bucket is None:
            argv = [sys.executable, "-m", "reconciler", "sandbox", "serve", "--port", "0",
                    "--data", data, "--seed", str(seed_file), *options]
        else:
            argv = [sys.executable, str(Path(__file__).parent / "bucket_server.py"),
                    str(seed_file), data, *(str(v) for v in bucket)]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().rsplit(" ", 1)[1].strip()
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=30)

"""The window that remains: how late may a lost create land before apply sends it twice?

A gateway answers every create 504 and its backend stores the campaign DELAY seconds later.
One `campaigns apply` (the whole process, as CI runs it) then waits out the in-flight grace,
lists the account and sends again only what is absent. Beside it, the same creates by the
script a user would otherwise write: POST, and on a 5xx, wait a second and POST again (up to
three times). For each delay, as a share of the grace, it prints the duplicates each made.

    python bench/bench_window.py [--campaigns 10] [--grace 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
from sandbox_proc import sandbox_server, seed_with


def definitions(folder: Path, n: int) -> None:
    lines = ["defaults:", "  channel: sms", "  contact_list_id: lst_bench", "  sender_id: BENCH",
             "  scheduled_at: 2099-01-01T09:00:00Z", "campaigns:"]
    for i in range(n):
        lines += [f"  - name: Window {i:03d}", f'    body: "Message {i}. Reply STOP to opt out."']
    (folder / "campaigns.yaml").write_text("\n".join(lines) + "\n")


def duplicates(url: str) -> int:
    doc = httpx.get(url + "/campaigns", params={"per_page": 100},
                    headers={"Authorization": "Bearer bench"}).json()
    counts = Counter(c["name"] for c in doc["data"] if c["name"].startswith("Window"))
    return sum(k - 1 for k in counts.values())


def tool(url: str, folder: Path, grace: float) -> tuple[int, float, int]:
    env = {**os.environ, "ZEXA_API_URL": url, "ZEXA_API_KEY": "bench", "NO_COLOR": "1",
           "CAMPAIGNS_INFLIGHT_GRACE": str(grace)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "reconciler", "apply", str(folder),
                           "--auto-approve", "--settle-timeout", str(grace * 3),
                           "--state", str(folder / "state.json")],
                          env=env, capture_output=True, text=True)
    return duplicates(url), time.perf_counter() - started, done.returncode


def naive(url: str, n: int) -> int:
    with httpx.Client(base_url=url, headers={"Authorization": "Bearer bench"}) as client:
        for i in range(n):
            body = {"name": f"Window {i:03d}", "channel": "sms", "contact_list_id": "lst_bench",
                    "sender_id": "BENCH", "body": "x", "scheduled_at": "2099-01-01T09:00:00Z"}
            for _ in range(3):
                if client.post("/campaigns", json=body).status_code < 500:
                    break
                time.sleep(1)
    time.sleep(5)  # every late commit has landed
    return duplicates(url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=10)
    parser.add_argument("--grace", type=float, default=2.0)
    args = parser.parse_args()
    print(f"{args.campaigns} creates, each answered 504 and stored DELAY later; in-flight "
          f"grace {args.grace:g} s")
    print(f"  {'delay / grace':>14}  {'apply: duplicates':>18}  {'exit':>4}  {'time':>6}  "
          f"{'retry script: duplicates':>24}")
    for share in (0.25, 0.5, 0.9, 1.1, 1.5):
        delay = share * args.grace
        options = ["--late-commit-share", "1", "--late-commit-delay", f"{delay}"]
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            definitions(folder, args.campaigns)
            with sandbox_server(seed_with(0), *options) as url:
                dups, seconds, code = tool(url, folder, args.grace)
                time.sleep(delay + 0.5)  # what the run left in flight has landed
                dups = duplicates(url)
            with sandbox_server(seed_with(0), *options) as url:
                baseline = naive(url, args.campaigns) if delay < 5 else -1
        print(f"  {share:>14.2f}  {dups:>18}  {code:>4}  {seconds:>5.1f}s  {baseline:>24}")


if __name__ == "__main__":
    main()

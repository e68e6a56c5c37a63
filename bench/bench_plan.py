"""`campaigns plan`: 10,000 definitions against an account holding 10,000 campaigns.

The sandbox server runs in its own process at 20 ms latency per request; the state knows
every campaign (the steady state of a large repository). Prints wall time, requests made
(target: 100 list pages + at most 2 preflight reads), peak memory of the whole `campaigns
plan` process (target: under 200 MB) and the ratio to the floor, which is the parse-only
floor of the definitions (PyYAML's libyaml loader) plus the listing floor (100 pages / 10
at a time x 20 ms).

    python bench/bench_plan.py
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from bench_validate import make_files
from sandbox_proc import sandbox_server, seed_with

from reconciler.definitions import load_definitions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "campaigns"
        folder.mkdir()
        make_files(folder, args.campaigns, 100)
        campaigns = load_definitions([str(folder)]).campaigns
        seed = seed_with(0)
        seed["campaigns"] = [
            {"id": f"cmp_bench{i:07d}", "name": c.name, "channel": c.channel,
             "contact_list_id": "lst_bench", "sender_id": "BENCH", "body": "x",
             "template": None, "scheduled_at": None, "total_recipients": 1,
             "created_at": "2026-01-01T00:00:00Z", "cost": 1}
            for i, c in enumerate(campaigns)
        ]
        log = Path(tmp) / "requests.log"
        with sandbox_server(seed, "--latency", str(args.latency), "--request-log",
                            str(log)) as url:
            state = {
                "version": 1, "lineage": "bench", "serial": 1, "api_url": url,
                "campaigns": {
                    c.name: {"id": f"cmp_bench{i:07d}", "channel": c.channel,
                             "digest": c.digest(), "origin": "created",
                             "at": "2026-01-01T00:00:00Z", "file": c.location.file}
                    for i, c in enumerate(campaigns)
                },
            }
            state_file = Path(tmp) / "campaigns.state.json"
            state_file.write_text(json.dumps(state))
            env = {**os.environ, "ZEXA_API_URL": url, "ZEXA_API_KEY": "bench",
                   "NO_COLOR": "1", "GITHUB_ACTIONS": ""}
            best = float("inf")
            out = ""
            for _ in range(args.runs):
                start = time.perf_counter()
                proc = subprocess.run(
                    [sys.executable, "-m", "reconciler", "plan", str(folder), "--state",
                     str(state_file), "--format", "json"],
                    env=env, capture_output=True, text=True, check=False)
                best = min(best, time.perf_counter() - start)
                out = proc.stdout
                requests = len(log.read_text().splitlines())
                log.unlink()
                assert proc.returncode == 0, proc.stderr[-2000:]
            peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import reconciler.cli"], check=True)
            startup = time.perf_counter() - start
        doc = json.loads(out)
        assert doc["summary"]["in_sync"] == args.campaigns, doc["summary"]
        t0 = time.perf_counter()
        for p in sorted(folder.glob("*.yaml")):
            yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)
        parse_floor = time.perf_counter() - t0
    pages = -(-args.campaigns // 100)
    list_floor = pages / 10 * args.latency
    floor = parse_floor + list_floor
    print(f"definitions / account campaigns: {args.campaigns} / {args.campaigns}")
    print(f"wall time (whole process):       {best:.3f} s (best of {args.runs}; "
          f"interpreter and imports {startup:.3f} s)")
    print(f"requests:                        {requests} (target: {pages} list pages + "
          "2 preflight reads)")
    print(f"peak memory (max RSS):           {peak_kb / 1024:.0f} MB")
    print(f"floor:                           {floor:.3f} s (parse {parse_floor:.3f} s + "
          f"listing {list_floor:.3f} s)")
    print(f"ratio to floor:                  {best / floor:.2f}x")


if __name__ == "__main__":
    main()

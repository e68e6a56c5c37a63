"""`campaigns status` of 1,000 managed campaigns at 20 ms a request, against the script a
user would write (`naive_status.py`: the same GETs from 8 threads), both whole processes,
interleaved. The floor is 1,000 x 20 ms / 8.

    python bench/bench_status.py [--campaigns 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from harness import CAMPAIGNS, HERE, PYTHON, header, interleave, run_process
from sandbox_proc import sandbox_server, seed_with


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    seed = seed_with(args.campaigns)
    with tempfile.TemporaryDirectory() as tmp, \
            sandbox_server(seed, "--latency", str(args.latency)) as url:
        state = Path(tmp) / "campaigns.state.json"
        state.write_text(json.dumps({
            "version": 1, "lineage": "bench", "serial": 1, "api_url": url,
            "campaigns": {c["name"]: {"id": c["id"], "channel": "sms",
                                      "digest": "sha256:" + "0" * 64, "origin": "adopted",
                                      "at": "2026-01-01T00:00:00Z", "file": "bench.yaml"}
                          for c in seed["campaigns"]}}))
        env = {"ZEXA_API_URL": url, "ZEXA_API_KEY": "bench"}
        naive = [PYTHON, str(HERE / "naive_status.py"), str(state), url]
        tool = [*CAMPAIGNS, "status", "--state", str(state), "--format", "json"]
        commands = {"naive 8-thread script (baseline)": lambda: run_process(naive, env),
                    "campaigns status": lambda: run_process(tool, env)}
        figures = interleave(commands, args.runs)
    floor = args.campaigns * args.latency / 8
    header(f"status: {args.campaigns:,} campaigns at {args.latency * 1000:.0f} ms a request "
           f"(floor {floor:.2f} s)", args.runs)
    for name in commands:
        print(figures.line(name, "naive 8-thread script (baseline)"))


if __name__ == "__main__":
    main()

"""`campaigns plan` against the script a user would write (`naive_plan.py`), both as whole
processes, interleaved, at 20 ms a request, in two cases and at several sizes:

- all creates: N definitions, none in the account, which holds N other campaigns; no state;
- all in sync: the account holds the N campaigns and the state knows them.

The sandbox runs in its own process (`sandbox_proc.py`). For each point: the tool's JSON
plan, its text and Markdown plans (the renderers' cost), and the naive script; the cost per
definition of the JSON plan (the curve should stay flat).

    python bench/bench_plan.py [--sizes 1000 10000] [--runs 5] [--latency 0.02]
    python bench/bench_plan.py --sizes 100000 --runs 3      # the large point, slow
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from harness import (
    CAMPAIGNS,
    HERE,
    PYTHON,
    contact_lists,
    header,
    interleave,
    make_files,
    run_process,
    senders,
)
from sandbox_proc import sandbox_server, seed_with


def account_seed(remote_names: list[str]) -> dict:
    seed = seed_with(0)
    seed["sender_ids"] = senders()
    seed["contact_lists"] = contact_lists()
    channels = ["sms", "telegram", "email"]
    seed["campaigns"] = [
        {"id": f"cmp_bench{i:07d}", "name": name, "channel": channels[i % 3],
         "contact_list_id": "lst_bench", "sender_id": "BENCH", "body": "x",
         "template": None, "scheduled_at": None, "total_recipients": 1,
         "created_at": "2026-01-01T00:00:00Z", "cost": 1}
        for i, name in enumerate(remote_names)
    ]
    return seed


def synced_state(folder: Path, url: str) -> dict:
    """The state a repository in sync holds: every definition recorded with its digest."""
    sys.path.insert(0, str(HERE.parent))
    from reconciler.definitions import load_definitions

    campaigns = load_definitions([str(folder)]).campaigns
    return {"version": 1, "lineage": "bench", "serial": 1, "api_url": url,
            "campaigns": {c.name: {"id": f"cmp_bench{i:07d}", "channel": c.channel,
                                   "digest": c.digest(), "origin": "created",
                                   "at": "2026-01-01T00:00:00Z", "file": c.location.file}
                          for i, c in enumerate(campaigns)}}


def point(size: int, case: str, runs: int, latency: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "campaigns"
        names = make_files(folder, size)
        remote = names if case == "all in sync" else [f"Existing {i:06d}" for i in range(size)]
        state = Path(tmp) / "campaigns.state.json"
        with sandbox_server(account_seed(remote), "--latency", str(latency),
                            "--max-per-page", "100") as url:
            if case == "all in sync":
                state.write_text(json.dumps(synced_state(folder, url)))
            env = {"ZEXA_API_URL": url, "ZEXA_API_KEY": "bench"}

            def tool(fmt: str):
                argv = [*CAMPAIGNS, "plan", str(folder), "--state", str(state),
                        "--format", fmt, "--override-limits"]
                return lambda: run_process(argv, env)

            naive = [PYTHON, str(HERE / "naive_plan.py"), str(folder), url]
            commands = {"naive script (baseline)": lambda: run_process(naive, env),
                        "campaigns plan --format json": tool("json"),
                        "campaigns plan (text)": tool("text"),
                        "campaigns plan --format markdown": tool("markdown")}
            figures = interleave(commands, runs)
    header(f"plan, {case}: {size:,} definitions x {size:,} in the account, "
           f"{latency * 1000:.0f} ms a request", runs)
    for name in commands:
        print(figures.line(name, "naive script (baseline)"))
    json_time = figures.median("campaigns plan --format json")
    print(f"  cost per definition (JSON plan): {json_time / size * 1e6:.0f} µs; text "
          f"{figures.median('campaigns plan (text)') / json_time:.2f}x and Markdown "
          f"{figures.median('campaigns plan --format markdown') / json_time:.2f}x the JSON "
          "time")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--cases", nargs="+", default=["all creates", "all in sync"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    for size in args.sizes:
        for case in args.cases:
            point(size, case, args.runs, args.latency)


if __name__ == "__main__":
    main()

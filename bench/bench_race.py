"""Two appliers, two state files, one account, at the same moment: how many duplicates?

Each run starts two `campaigns apply` workflows together (threads, each with its own client
and state file) against a sandbox server in its own process, creating the same N campaigns.
It is run three ways, interleaved, so that the figures come from the same machine state:

- `no check`: the work is applied without the account-total check before each wave (what
  apply did before that check existed);
- `total check`: as apply does now;
- `total check + keys honoured`: the server honours `Idempotency-Key` (sandbox
  `--honour-idempotency-key`), as an API that documents idempotency would.

    python bench/bench_race.py [--runs 10] [--campaigns 40] [--parallelism 4] [--latency 0.01]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from collections import Counter
from pathlib import Path

from sandbox_proc import sandbox_server, seed_with

from reconciler.apply import Applier
from reconciler.client import ListingStats, Secret, ZexaClient
from reconciler.plan import Action
from reconciler.plan.work import Step
from reconciler.state import Journal, load, save


def works(n: int) -> list[Step]:
    return [
        Step(action=Action.CREATE, name=f"Race {i:05d}", channel="sms",
             digest="sha256:" + "0" * 64, file="race.yaml", line=i + 1, column=1,
             payload={"name": f"Race {i:05d}", "channel": "sms", "contact_list_id": "lst_bench",
                      "sender_id": "BENCH", "body": "x", "scheduled_at": None})
        for i in range(n)
    ]


def one_side(url: str, path: Path, n: int, parallelism: int, check: bool,
             start: threading.Barrier) -> None:
    with ZexaClient(url, Secret("bench"), concurrency=parallelism) as client:
        stats = ListingStats()
        known = {c.id for c in client.list_campaigns(stats)}  # the plan's listing
        state = load(path, url)
        journal = Journal(path, state)
        start.wait()  # both plans are made: both start sending now
        try:
            Applier(client, journal, parallelism=parallelism).run(
                works(n), known, stats.reported_total if check else None)
        finally:
            journal.close()
            save(path, state)


def race(url: str, folder: Path, n: int, parallelism: int, check: bool, number: str) -> int:
    start = threading.Barrier(2)
    sides = [threading.Thread(target=one_side, args=(url, folder / f"{number}-{side}.json", n,
                                                     parallelism, check, start))
             for side in "ab"]
    for t in sides:
        t.start()
    for t in sides:
        t.join()
    with ZexaClient(url, Secret("bench")) as client:
        counts = Counter(c.name for c in client.list_campaigns()
                         if c.name.startswith("Race"))
    return sum(k - 1 for k in counts.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--campaigns", type=int, default=40)
    parser.add_argument("--parallelism", type=int, default=4)
    parser.add_argument("--latency", type=float, default=0.01)
    args = parser.parse_args()
    modes = [("no check", False, False), ("total check", True, False),
             ("total check + keys honoured", True, True)]
    results: dict[str, list[int]] = {name: [] for name, _, _ in modes}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for name, check, honour in modes:  # interleaved
                options = ["--latency", str(args.latency)]
                if honour:
                    options.append("--honour-idempotency-key")
                with sandbox_server(seed_with(0), *options) as url:
                    results[name].append(race(url, Path(tmp), args.campaigns,
                                              args.parallelism, check, f"{run}-{name}"))
    print(f"{args.runs} races of 2 appliers x {args.campaigns} campaigns, parallelism "
          f"{args.parallelism}, {args.latency * 1000:.0f} ms a request:")
    for name, dups in results.items():
        racy = sum(1 for d in dups if d)
        print(f"  {name:30} races with a duplicate: {racy}/{len(dups)}; duplicates: "
              f"{sum(dups)} of {args.runs * args.campaigns} campaigns "
              f"(per race: {', '.join(map(str, dups))})")


if __name__ == "__main__":
    main()

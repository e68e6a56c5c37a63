"""`campaigns apply`: creates against the sandbox server in its own process.

1. 1,000 creates at 20 ms latency, parallelism 8: wall time against the floor
   (1,000 x 20 ms / 8 = 2.5 s); target within 1.3x.
2. 10,000 creates at no latency: the cost of recording each acknowledged ID (journal
   append + fsync) at the start and at the end of the run, which must not grow with the
   size of the state.

    python bench/bench_apply.py [--creates 1000] [--big 10000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sandbox_proc import sandbox_server, seed_with

from reconciler.apply import Applier, Work
from reconciler.client import Secret, ZexaClient
from reconciler.plan import Action
from reconciler.state import Journal, load, save


def works(n: int) -> list[Work]:
    return [
        Work(action=Action.CREATE, name=f"Bench {i:06d}", channel="sms",
             digest="sha256:" + "0" * 64, file="bench.yaml", line=i + 1, column=1,
             payload={"name": f"Bench {i:06d}", "channel": "sms",
                      "contact_list_id": "lst_bench", "sender_id": "BENCH", "body": "x",
                      "scheduled_at": None})
        for i in range(n)
    ]


class TimedJournal(Journal):
    """Times each `record` (the append + fsync of an acknowledged ID)."""

    def __init__(self, *args: object, **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.timings: list[float] = []

    def record(self, name, entry):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        super().record(name, entry)
        self.timings.append(time.perf_counter() - start)


def run(url: str, n: int, parallelism: int, folder: Path) -> tuple[float, TimedJournal]:
    path = folder / f"state-{n}.json"
    state = load(path, url)
    journal = TimedJournal(path, state)
    with ZexaClient(url, Secret("bench"), concurrency=parallelism) as client:
        start = time.perf_counter()
        outcome = Applier(client, journal, parallelism=parallelism).run(works(n), set())
        elapsed = time.perf_counter() - start
    journal.close()
    save(path, state)
    assert outcome.ok and len(outcome.created) == n, outcome.summary()
    return elapsed, journal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--creates", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--parallelism", type=int, default=8)
    parser.add_argument("--big", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with sandbox_server(seed_with(0), "--latency", str(args.latency)) as url:
            elapsed, _ = run(url, args.creates, args.parallelism, folder)
        floor = args.creates * args.latency / args.parallelism
        print(f"{args.creates} creates at {args.latency * 1000:.0f} ms, parallelism "
              f"{args.parallelism}: {elapsed:.3f} s; floor {floor:.3f} s; ratio "
              f"{elapsed / floor:.2f}x")
        with sandbox_server(seed_with(0)) as url:
            elapsed, journal = run(url, args.big, args.parallelism, folder)
        t = journal.timings
        k = max(1, len(t) // 10)
        first = statistics.median(t[:k]) * 1e6
        last = statistics.median(t[-k:]) * 1e6
        print(f"{args.big} creates at no latency: {elapsed:.2f} s "
              f"({args.big / elapsed:,.0f} creates/s)")
        print(f"recording an ID (journal append + fsync), median: first {k}: {first:.0f} us, "
              f"last {k}: {last:.0f} us (ratio {last / first:.2f})")


if __name__ == "__main__":
    main()

"""Listing 10,000 campaigns from the sandbox server with 20 ms latency per request.

Prints the requests made (the minimum is 100 pages of 100), the wall time, and the ratio
to the floor: pages / concurrency x latency.

    python bench/bench_list.py [--campaigns 10000] [--latency 0.02] [--concurrency 10]
"""

from __future__ import annotations

import argparse
import math
import time

from sandbox_proc import sandbox_server, seed_with

from reconciler.client import ListingStats, Secret, ZexaClient


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with sandbox_server(seed_with(args.campaigns), "--latency", str(args.latency)) as url:
        best = float("inf")
        for _ in range(args.runs):
            with ZexaClient(url, Secret("bench"), concurrency=args.concurrency) as client:
                stats = ListingStats()
                start = time.perf_counter()
                found = client.list_campaigns(stats)
                best = min(best, time.perf_counter() - start)
                assert len(found) == args.campaigns
                requests = client.requests_sent
    pages = math.ceil(args.campaigns / 100)
    floor = pages / args.concurrency * args.latency
    print(f"campaigns listed: {args.campaigns}")
    print(f"requests:         {requests} (minimum {pages})")
    print(f"wall time:        {best:.3f} s (best of {args.runs})")
    print(f"floor:            {floor:.3f} s ({pages} pages / {args.concurrency} x "
          f"{args.latency * 1000:.0f} ms)")
    print(f"ratio to floor:   {best / floor:.2f}x")


if __name__ == "__main__":
    main()

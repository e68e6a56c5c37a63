"""Start-up: whole processes, interleaved with their baseline, median and spread.

`campaigns --version` against `python -c "import click"` (the least any click tool pays),
and `campaigns validate` of one file against the same baseline.

    python bench/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(args: list[str]) -> float:
    # As installed: bytecode cached (see harness.run_process).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.yaml"
        one.write_text((ROOT / "campaigns.example" / "newsletter.yaml").read_text())
        commands = {
            "python -c 'import click' (baseline)": [sys.executable, "-c", "import click"],
            "campaigns --version": [sys.executable, "-m", "reconciler", "--version"],
            "campaigns validate one.yaml": [sys.executable, "-m", "reconciler", "validate",
                                            str(one)],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():
            timed(command)  # warm the file cache once
        for _ in range(args.runs):
            for name, command in commands.items():  # interleaved
                times[name].append(timed(command))
    base = statistics.median(times["python -c 'import click' (baseline)"])
    print(f"{args.runs} runs each, interleaved; median (min-max), ratio to the baseline:")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:38} {median * 1000:6.0f} ms ({min(values) * 1000:.0f}-"
              f"{max(values) * 1000:.0f})  {median / base:4.2f}x")


if __name__ == "__main__":
    main()

"""Validating 10,000 campaigns in 100 files: campaigns per second, peak memory, ratio to floor.

The floor is the time to merely parse the same files with PyYAML's libyaml loader
(`yaml.load(..., CSafeLoader)`), with no validation at all.

    python bench/bench_validate.py [--campaigns 10000] [--files 100]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

from reconciler.checks import CheckConfig, run_checks
from reconciler.definitions import load_definitions

ENTRY = """\
  - name: Campaign {i:05d}
    channel: {channel}
    sender_id: {sender}
    body: "Offer {i}: 20% off this weekend at myapp.ao. Responda STOP para cancelar."
    scheduled_at: 2030-06-{day:02d}T09:00:00+01:00
    purpose: marketing
"""
CHANNELS = [("sms", "MYBRAND"), ("telegram", "MyAppBot"), ("email", "news@myapp.ao")]


def make_files(folder: Path, campaigns: int, files: int) -> None:
    per_file = campaigns // files
    for f in range(files):
        parts = ["defaults:\n  contact_list_id: lst_customers\ncampaigns:\n"]
        for j in range(per_file):
            i = f * per_file + j
            channel, sender = CHANNELS[i % len(CHANNELS)]
            parts.append(ENTRY.format(i=i, channel=channel, sender=sender, day=1 + i % 28))
        (folder / f"file{f:03d}.yaml").write_text("".join(parts))


def best_of(runs: int, fn: object) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_files(folder, args.campaigns, args.files)
        paths = sorted(folder.glob("*.yaml"))

        def floor() -> None:
            for p in paths:
                yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)

        def validate() -> None:
            # What `campaigns validate` does: load, schema, cross-file rules, review checks.
            result = load_definitions([str(folder)])
            assert result.ok and len(result.campaigns) == args.campaigns, result.errors[:3]
            findings = run_checks(result.campaigns, CheckConfig())
            assert not findings, findings[:3]

        t_floor = best_of(args.runs, floor)
        t_validate = best_of(args.runs, validate)
        tracemalloc.start()
        validate()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"campaigns:            {args.campaigns} in {args.files} files")
    print(f"parse-only floor:     {t_floor:.3f} s (PyYAML CSafeLoader)")
    print(f"validate:             {t_validate:.3f} s (best of {args.runs})")
    print(f"campaigns per second: {args.campaigns / t_validate:,.0f}")
    print(f"ratio to floor:       {t_validate / t_floor:.2f}x")
    print(f"peak memory (traced): {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()

"""What reading the definitions in two processes would gain: the one structural change
measured for `validate`'s goals (docs/benchmarks.md, Goals). The tool reads them in one
process; this measures, in one process and in two forked workers (each half the files),
wall time:

- `validate`'s work: every file loaded and every campaign's review checks run. Two ways
  of sending it back: "findings back", a count of each worker's findings and its
  campaigns' names (a lower bound: nothing compares the campaigns of one half with the
  other's), or "campaigns back", each campaign's own findings with the campaigns
  themselves, the checks across files (names, list frequency) then run in the parent on
  all of them, as they must be;
- `plan`'s: every file loaded, the workers returning the campaigns themselves (a plan
  needs them), pickled on the way back.

Interleaved rounds, medians. Linux only (fork).

    python bench/parallel_load.py [--campaigns 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from harness import HERE, make_defaults_files, make_files

sys.path.insert(0, str(HERE.parent))

from reconciler import clock
from reconciler.checks.catalogue import Finding
from reconciler.checks.frequency import check_list_frequency
from reconciler.checks.review import PER_CAMPAIGN, check_quiet_hours, run_checks
from reconciler.config import load_settings
from reconciler.definitions import Campaign, load_definitions
from reconciler.definitions.gctune import fewer_collections
from reconciler.definitions.loader import discover, load_file
from reconciler.definitions.rules import check_names

SETTINGS, _ = load_settings(None)


def _loaded(files: Sequence[str]) -> list[Campaign]:
    campaigns: list[Campaign] = []
    for file in files:
        campaigns.extend(load_file(file)[0])
    return campaigns


def _validated(files: Sequence[str]) -> tuple[int, list[str]]:
    with fewer_collections():
        campaigns = _loaded(files)
        return len(run_checks(campaigns, SETTINGS.checks)), [c.name for c in campaigns]


def _checked_each(files: Sequence[str]) -> tuple[list[Finding], list[Campaign]]:
    """Each campaign's own checks in the worker; the campaigns go back for the checks that
    compare them with the other worker's."""
    with fewer_collections():
        campaigns = _loaded(files)
        now = clock.now()
        own = [d for c in campaigns for check in PER_CAMPAIGN for d in check(c, SETTINGS.checks)]
        own.extend(d for c in campaigns for d in check_quiet_hours(c, SETTINGS.checks, now))
        return own, campaigns


def _validated_across(folder: Path) -> object:
    """`_checked_each` in two workers, then the checks across files on all the campaigns."""
    halves: list[tuple[list[Finding], list[Campaign]]] = in_two(_checked_each, folder)
    campaigns = [c for _, half in halves for c in half]
    with fewer_collections():
        return (check_names(campaigns),
                list(check_list_frequency(campaigns, campaigns, SETTINGS.checks, clock.now())))


def _campaigns(files: Sequence[str]) -> list[Campaign]:
    with fewer_collections():
        return _loaded(files)


def in_two(work: Callable[[Sequence[str]], Any], folder: Path) -> list[Any]:
    files, _ = discover([str(folder)])
    half = len(files) // 2
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(work, [files[:half], files[half:]]))


def wall(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"Loading {args.campaigns:,} campaigns in one process and in two, wall time, "
          f"medians of {args.rounds} rounds:")
    for kind, make in (("`defaults:` files", make_defaults_files), ("full-field files",
                                                                      make_files)):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            make(folder, args.campaigns)

            def one_validate(f: Path = folder) -> object:
                with fewer_collections():
                    return run_checks(load_definitions([str(f)]).campaigns, SETTINGS.checks)

            steps = {
                "validate's work, one process": one_validate,
                "validate's work, two (findings back)":
                    lambda f=folder: in_two(_validated, f),
                "validate's work, two (campaigns back)":
                    lambda f=folder: _validated_across(f),
                "plan's loading, one process": lambda f=folder: load_definitions([str(f)]),
                "plan's loading, two (campaigns back)":
                    lambda f=folder: in_two(_campaigns, f),
            }
            seconds: dict[str, list[float]] = {name: [] for name in steps}
            for _ in range(args.rounds):
                for name, step in steps.items():
                    seconds[name].append(wall(step))
        print(f"  {kind}:")
        for name, times in seconds.items():
            print(f"    {name:40s} {statistics.median(times):6.3f} s")


if __name__ == "__main__":
    main()

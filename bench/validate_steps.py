"""Where `validate`'s time goes on campaigns of `defaults:` files: each step alone, in
one process, as CPU time a campaign and as a ratio to the step that reads the YAML. The
steps are the loader's own functions, run on the same files, in rounds (each step once a
round, the collector tuned as the tool tunes it); each figure is the median of the rounds,
and each ratio the median of the rounds' ratios, so that a slow moment of the machine,
which slows every step of its round alike, cancels out.

With --ratios, the guarded ratios alone, as JSON: the guard (goals.py --quick) fails on a
slowdown of the checks by them, since the checks are too small a share of a whole
`validate` for a slowdown of them to stand out from that figure's spread.
BENCH_SLOW_CHECKS=2 slows the checks here as it does in the tool (slowed.py).

    python bench/validate_steps.py [--campaigns 10000] [--rounds 9] [--ratios]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness import HERE, SLOW_CHECKS, make_defaults_files

sys.path.insert(0, str(HERE.parent))

if os.environ.get(SLOW_CHECKS):
    import slowed  # noqa: F401  (the checks made slower, as in the tool the guard starts)

from reconciler.checks.review import run_checks
from reconciler.config import load_settings
from reconciler.definitions import loader
from reconciler.definitions.gctune import fewer_collections
from reconciler.definitions.rules import check_names, value_problems
from reconciler.definitions.yamlsafe import load
from reconciler.diagnostics import Location

READ = "read the YAML"
# The steps the guard keeps apart, by their keys in goals.json.
GUARDED = {"steps-schema": "schema: each campaign's own fields",
           "steps-checks": "review checks"}


def cpu(step: Callable[[], object]) -> float:
    with fewer_collections():
        start = time.process_time()
        step()
        return time.process_time() - start


def rounds(steps: dict[str, Callable[[], object]], count: int) -> dict[str, list[float]]:
    """Each step's CPU time in each of `count` rounds."""
    seconds: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(count):
        for name, step in steps.items():
            seconds[name].append(cpu(step))
    return seconds


def ratio(seconds: dict[str, list[float]], name: str) -> float:
    """The median of a step's ratios to the YAML read of the same round."""
    return statistics.median(t / read for t, read in zip(seconds[name], seconds[READ],
                                                         strict=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--ratios", action="store_true", help="the guarded ratios, as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_defaults_files(folder, args.campaigns)
        files = sorted(str(p) for p in folder.glob("*.yaml"))
        datas = [Path(f).read_bytes() for f in files]

        def at(mark: tuple[int, int]) -> Location:
            return Location("f.yaml", *mark)

        tops = [load(data) for data in datas]
        files_of = []  # (the file's shared defaults, its campaigns, its bytes)
        for top, data in zip(tops, datas, strict=True):
            shared = loader._Shared(top["defaults"], at)
            files_of.append((shared, list(top["campaigns"]), data))
        loader.parse_document(files[0], datas[0])  # the layout has passed the whole check
        campaigns = loader.load_definitions([str(folder)]).campaigns
        settings, _ = load_settings(None)
        run_checks(campaigns, settings.checks)  # what is worked out once a run, done
        steps = {
            "read the YAML": lambda: [load(data) for data in datas],
            "schema: each campaign's own fields": lambda: [
                loader.known_valid_over(s.base_for(e).data, e)
                for s, es, _ in files_of for e in es],
            "rules: name and send time": lambda: [
                value_problems(e, at) for _, es, _ in files_of for e in es],
            "the campaign: values and marks": lambda: [
                s.base_for(e).campaign(e, at, d) for s, es, d in files_of for e in es],
            "names unique across files": lambda: check_names(campaigns),
            "review checks": lambda: run_checks(campaigns, settings.checks),
            "load_definitions, all of it": lambda: loader.load_definitions([str(folder)]),
        }
        if args.ratios:
            steps = {name: steps[name] for name in (READ, *GUARDED.values())}
            seconds = rounds(steps, args.rounds)
            read = statistics.median(seconds[READ])
            print(json.dumps({key: {"ratio": ratio(seconds, name), "read": read,
                                    "step": statistics.median(seconds[name])}
                              for key, name in GUARDED.items()}))
            return
        seconds = rounds(steps, args.rounds)
        print(f"validate's steps, {len(campaigns):,} campaigns in `defaults:` files, medians "
              f"of {args.rounds} rounds:")
        print(f"  {'':36s} {'CPU time':>8s}  {'a campaign':>10s}  / the YAML read")
        for name, times in seconds.items():
            median = statistics.median(times)
            print(f"  {name:36s} {median:6.3f} s  {median / len(campaigns) * 1e6:7.1f} µs  "
                  f"{ratio(seconds, name):14.2f}x")


if __name__ == "__main__":
    main()

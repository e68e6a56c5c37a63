"""Where `validate`'s time goes on campaigns of `defaults:` files: each step alone, in
one process, as CPU time a campaign (the best of 5, with the collector tuned as the tool
tunes it). The steps are the loader's own functions, run on the same files.

    python bench/validate_steps.py [--campaigns 10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness import HERE, make_defaults_files

sys.path.insert(0, str(HERE.parent))

from reconciler.checks.review import run_checks
from reconciler.config import load_settings
from reconciler.definitions import loader
from reconciler.definitions.gctune import fewer_collections
from reconciler.definitions.rules import check_names, value_problems
from reconciler.definitions.yamlsafe import load
from reconciler.diagnostics import Location
from reconciler.schema import known_valid_over


def best(step: Callable[[], object], runs: int = 5) -> float:
    seconds = []
    for _ in range(runs):
        with fewer_collections():
            start = time.process_time()
            step()
            seconds.append(time.process_time() - start)
    return min(seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=10_000)
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
                known_valid_over(s.base_for(e).data, e) for s, es, _ in files_of for e in es],
            "rules: name and send time": lambda: [
                value_problems(e, at) for _, es, _ in files_of for e in es],
            "the campaign: values and marks": lambda: [
                s.base_for(e).campaign(e, at, d) for s, es, d in files_of for e in es],
            "names unique across files": lambda: check_names(campaigns),
            "review checks": lambda: run_checks(campaigns, settings.checks),
            "load_definitions, all of it": lambda: loader.load_definitions([str(folder)]),
        }
        print(f"validate's steps, {len(campaigns):,} campaigns in `defaults:` files, CPU "
              "time (best of 5):")
        for name, step in steps.items():
            seconds = best(step)
            print(f"  {name:36s} {seconds:6.3f} s  {seconds / len(campaigns) * 1e6:5.1f} µs "
                  "a campaign")


if __name__ == "__main__":
    main()

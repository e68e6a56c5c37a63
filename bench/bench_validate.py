"""`campaigns validate` against its parse floor, both whole processes, interleaved: the
floor (`parse_floor.py`) reads the same files with libyaml and does nothing else. The
files' timestamps are quoted, so the floor builds no datetime objects (the tool never
does). Reports the cost per definition, to show it stays flat from 10k to 100k.

    python bench/bench_validate.py [--sizes 10000 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from harness import CAMPAIGNS, HERE, PYTHON, header, interleave, make_files, run_process


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "campaigns"
            make_files(folder, size)
            floor = [PYTHON, str(HERE / "parse_floor.py"), str(folder)]
            tool = [*CAMPAIGNS, "validate", str(folder)]
            commands = {"parse floor (libyaml, baseline)": lambda f=floor: run_process(f),
                        "campaigns validate": lambda t=tool: run_process(t)}
            figures = interleave(commands, args.runs)
        header(f"validate: {size:,} definitions in {size // 100:,} files", args.runs)
        for name in commands:
            print(figures.line(name, "parse floor (libyaml, baseline)"))
        print(f"  cost per definition: "
              f"{figures.median('campaigns validate') / size * 1e6:.0f} µs")


if __name__ == "__main__":
    main()

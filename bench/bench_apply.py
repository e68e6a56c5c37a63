"""`campaigns apply` creating 1,000 campaigns at 20 ms a request, through the command line,
at parallelism 4, 8 and 16, against the script a user would write (`naive_apply.py`: the
same POSTs from as many threads, no plan, no state, no journal) and against the floor
(creates x latency / parallelism). Every run starts from an empty account and no state.

    python bench/bench_apply.py [--creates 1000] [--parallelism 4 8 16] [--runs 5]
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--creates", type=int, default=1000)
    parser.add_argument("--parallelism", type=int, nargs="+", default=[4, 8, 16])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    seed = seed_with(0)
    seed["sender_ids"] = senders()
    seed["contact_lists"] = contact_lists()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "campaigns"
        make_files(folder, args.creates)
        state = Path(tmp) / "campaigns.state.json"
        for parallelism in args.parallelism:

            def fresh(command: list[str], env_extra: dict[str, str]):  # type: ignore[no-untyped-def]
                def go():  # type: ignore[no-untyped-def]
                    for leftover in Path(tmp).glob("campaigns.state.json*"):
                        leftover.unlink()
                    with sandbox_server(seed, "--latency", str(args.latency)) as url:
                        env = {"ZEXA_API_URL": url, "ZEXA_API_KEY": "bench", **env_extra}
                        return run_process([c.replace("{url}", url) for c in command], env)
                return go

            tool = [*CAMPAIGNS, "apply", str(folder), "--state", str(state), "--auto-approve",
                    "--max-creates", str(args.creates), "--parallelism", str(parallelism)]
            naive = [PYTHON, str(HERE / "naive_apply.py"), str(folder), "{url}",
                     str(parallelism)]
            commands = {"naive threaded script (baseline)": fresh(naive, {}),
                        "campaigns apply": fresh(tool, {})}
            figures = interleave(commands, args.runs)
            floor = args.creates * args.latency / parallelism
            header(f"apply: {args.creates:,} creates at {args.latency * 1000:.0f} ms a "
                   f"request, parallelism {parallelism} (floor {floor:.2f} s)", args.runs)
            for name in commands:
                print(figures.line(name, "naive threaded script (baseline)"))
            print(f"  campaigns apply / floor: {figures.median('campaigns apply') / floor:.2f}x; "
                  f"naive / floor: "
                  f"{figures.median('naive threaded script (baseline)') / floor:.2f}x")


if __name__ == "__main__":
    main()

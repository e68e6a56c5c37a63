"""Every goal of the benchmarks as one table, and the guard that keeps them from sliding back.

Each figure is a ratio against a floor or a baseline measured in the same run (whole
processes, interleaved, medians of at least 5 runs; see harness.py), so the speed of the
machine cancels out. The goals and the guard's limits are in goals.json.

    python bench/goals.py              # the full figures, as docs/benchmarks.md shows them
    python bench/goals.py --quick      # the guard (.ci/run): smaller sizes, under two minutes;
                                       # exits 1 when a figure is more than 25% worse
                                       # than its limit in goals.json, naming it, and
                                       # still is when measured again

The guard has two figures of its own (the "steps" part, no goal): `validate`'s schema
check and its review checks, each against its YAML read in one process
(validate_steps.py). The checks are too small a share of a whole `validate` for a
slowdown of them to stand out from that figure's spread; against the YAML read, twice
their time is close to twice the figure.

BENCH_SLOW_CHECKS=2 makes the tool's checks (each campaign's schema check, the review
checks) take twice their time, in the processes these benchmarks start and nowhere else
(see slowed.py): the guard must fail on it.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bench_plan import account_seed  # the same account as plan's own benchmark
from harness import (
    HERE,
    PYTHON,
    Figures,
    Sample,
    contact_lists,
    interleave,
    make_defaults_files,
    make_files,
    run_process,
    senders,
    tool_command,
)
from sandbox_proc import sandbox_server, seed_with

GOALS_FILE = HERE / "goals.json"
LATENCY = 0.02  # seconds a request, as every plan figure is taken
LISTING_CONCURRENCY = 10  # pages the client reads at once (ZexaClient's default)
PAGE = 100  # campaigns a page


@dataclass(frozen=True)
class Sizes:
    validate: int
    plan: int
    memory: int
    creates: int
    rate: int  # requests a second the server allows
    runs: int


FULL = Sizes(validate=10_000, plan=10_000, memory=100_000, creates=600, rate=30, runs=5)
QUICK = Sizes(validate=10_000, plan=1_000, memory=1_000, creates=45, rate=30, runs=5)


@dataclass(frozen=True)
class Figure:
    key: str  # as in goals.json
    ratio: float
    detail: str  # what was measured against what


# -- the guard ----------------------------------------------------------------------------


def load_goals(path: Path = GOALS_FILE) -> dict[str, object]:
    goals: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return goals


def judge(figures: Mapping[str, float], limits: Mapping[str, float],
          tolerance: float) -> list[str]:
    """One message for each figure more than `tolerance` worse than its limit (a ratio:
    lower is better), and for each limit that has no figure."""
    failures = []
    for key, limit in limits.items():
        ratio = figures.get(key)
        if ratio is None:
            failures.append(f"{key}: not measured")
        elif ratio > limit * (1 + tolerance):
            failures.append(f"{key}: {ratio:.2f}x, more than {tolerance:.0%} worse than its "
                            f"limit of {limit:.2f}x in bench/goals.json (fails above "
                            f"{limit * (1 + tolerance):.2f}x)")
    return failures


def past_line(failures: list[str]) -> list[str]:
    """The figures that `judge`'s messages name."""
    return [message.split(":", 1)[0] for message in failures]


def judge_again(first: Mapping[str, float], again: Mapping[str, float],
                limits: Mapping[str, float], tolerance: float) -> list[str]:
    """The guard's verdict once the parts with a figure past its line were measured again:
    one message for each figure past its line both times (or not measured again)."""
    once = past_line(judge(first, limits, tolerance))
    return judge(again, {key: limits[key] for key in once}, tolerance)


# -- the figures --------------------------------------------------------------------------


def _median(figures: Figures, name: str) -> float:
    return figures.median(name)


def _rss(figures: Figures, name: str) -> float:
    return statistics.median(s.rss_mib for s in figures.samples[name])


def validate_figures(sizes: Sizes, tmp: Path) -> list[Figure]:
    out = []
    for key, make in (("validate-defaults", make_defaults_files), ("validate-full", make_files)):
        folder = tmp / key
        make(folder, sizes.validate)
        floor = [PYTHON, str(HERE / "parse_floor.py"), str(folder)]
        tool = [*tool_command(), "validate", str(folder)]
        figures = interleave({"floor": lambda f=floor: run_process(f),
                              "tool": lambda t=tool: run_process(t)}, sizes.runs)
        t, f = _median(figures, "tool"), _median(figures, "floor")
        out.append(Figure(key, t / f, f"{t:.3f} s / parse floor {f:.3f} s"))
    return out


def step_figures(sizes: Sizes, tmp: Path) -> list[Figure]:
    """The guard's own: validate's schema check and review checks against its YAML read,
    each step alone in one process (validate_steps.py), rounds interleaved. A slowdown of
    the checks doubles these where it moves a whole `validate` by a fraction."""
    rounds = 2 * sizes.runs - 1
    answer = subprocess.run([PYTHON, str(HERE / "validate_steps.py"), "--ratios",
                             "--campaigns", str(sizes.validate), "--rounds", str(rounds)],
                            check=True, capture_output=True, encoding="utf-8")
    steps: dict[str, dict[str, float]] = json.loads(answer.stdout)
    return [Figure(key, step["ratio"], f"{step['step']:.3f} s / {step['read']:.3f} s, "
                   f"medians of {rounds} rounds")
            for key, step in steps.items()]


def synced_state(folder: Path, url: str) -> dict[str, object]:
    """The state a repository in sync holds: every definition recorded with its digest."""
    sys.path.insert(0, str(HERE.parent))
    from reconciler.definitions import load_definitions

    campaigns = load_definitions([str(folder)]).campaigns
    return {"version": 1, "lineage": "bench", "serial": 1, "api_url": url,
            "campaigns": {c.name: {"id": f"cmp_bench{i:07d}", "channel": c.channel,
                                   "digest": c.digest(), "origin": "created",
                                   "at": "2026-01-01T00:00:00Z", "file": c.location.file}
                          for i, c in enumerate(campaigns)}}


def _plan(folder: Path, state: Path, fmt: str, env: dict[str, str]) -> Callable[[], Sample]:
    # A plan of more creates than one apply makes by default fails unless told otherwise.
    argv = [*tool_command(), "plan", str(folder), "--state", str(state), "--format", fmt,
            "--override-limits"]
    return lambda: run_process(argv, env)


def plan_in_sync(size: int, runs: int, tmp: Path, latency: float = LATENCY) -> Figures:
    """The naive script and `plan --format json`, N definitions all in sync."""
    folder = tmp / f"sync{size}"
    names = make_files(folder, size)
    state = tmp / f"sync{size}.state.json"
    with sandbox_server(account_seed(names), "--latency", str(latency),
                        "--max-per-page", str(PAGE)) as url:
        state.write_text(json.dumps(synced_state(folder, url)))
        env = {"ZEXA_API_URL": url, "ZEXA_API_KEY": "bench"}
        naive = [PYTHON, str(HERE / "naive_plan.py"), str(folder), url]
        return interleave({"naive": lambda: run_process(naive, env),
                           "json": _plan(folder, state, "json", env)}, runs)


def plan_creates(size: int, runs: int, tmp: Path, latency: float = LATENCY,
                 memory: bool = False) -> Figures:
    """N definitions, none in the account (which holds N others), no state: the parse
    floor, and the plan as JSON (the recipient view as data, no schedule), text and
    Markdown (both drawn); or, for `memory`, the naive script and the JSON plan."""
    folder = tmp / f"creates{size}"
    make_files(folder, size)
    state = tmp / f"creates{size}.state.json"
    remote = [f"Existing {i:06d}" for i in range(size)]
    with sandbox_server(account_seed(remote), "--latency", str(latency),
                        "--max-per-page", str(PAGE)) as url:
        env = {"ZEXA_API_URL": url, "ZEXA_API_KEY": "bench"}
        if memory:
            naive = [PYTHON, str(HERE / "naive_plan.py"), str(folder), url]
            return interleave({"naive": lambda: run_process(naive, env),
                               "json": _plan(folder, state, "json", env)}, runs)
        floor = [PYTHON, str(HERE / "parse_floor.py"), str(folder)]
        return interleave({"parse floor": lambda: run_process(floor),
                           "json": _plan(folder, state, "json", env),
                           "text": _plan(folder, state, "text", env),
                           "markdown": _plan(folder, state, "markdown", env)},
                          runs)


def plan_figures(sizes: Sizes, tmp: Path) -> list[Figure]:
    out = []
    sync = plan_in_sync(sizes.plan, sizes.runs, tmp)
    t, n = _median(sync, "json"), _median(sync, "naive")
    out.append(Figure("plan-in-sync", t / n, f"{t:.3f} s / naive script {n:.3f} s"))
    creates = plan_creates(sizes.plan, sizes.runs, tmp)
    pages = math.ceil(sizes.plan / PAGE)
    listing = math.ceil(pages / LISTING_CONCURRENCY) * LATENCY
    parse, t = _median(creates, "parse floor"), _median(creates, "json")
    out.append(Figure("plan-creates", t / (parse + listing),
                      f"{t:.3f} s / (parse floor {parse:.3f} s + {pages} pages, "
                      f"{LISTING_CONCURRENCY} at a time: {listing:.2f} s)"))
    text, markdown = _median(creates, "text"), _median(creates, "markdown")
    worst = max(text, markdown)
    out.append(Figure("review-outputs", worst / t,
                      f"text {text:.3f} s, Markdown {markdown:.3f} s / JSON {t:.3f} s"))
    # Memory, where it is highest against the script: all to create (the plan holds every
    # create's payload). No latency: peak memory does not depend on it.
    memory = plan_creates(sizes.memory, sizes.runs, tmp, latency=0.0, memory=True)
    tool_rss, naive_rss = _rss(memory, "json"), _rss(memory, "naive")
    out.append(Figure("plan-memory", tool_rss / naive_rss,
                      f"{tool_rss:.0f} MiB / naive script {naive_rss:.0f} MiB "
                      f"({sizes.memory:,} to create)"))
    return out


def apply_figures(sizes: Sizes, tmp: Path) -> list[Figure]:
    """`apply` creating N campaigns against a server with a token bucket of `rate` requests,
    refilled at `rate` a second (429 when empty): the floor is the creates past the
    bucket's first `rate`, at `rate` a second."""
    folder = tmp / f"apply{sizes.creates}"
    make_files(folder, sizes.creates)
    state = tmp / "apply.state.json"
    seed = seed_with(0)
    seed["sender_ids"] = senders()
    seed["contact_lists"] = contact_lists()

    def run() -> Sample:
        for leftover in tmp.glob("apply.state.json*"):
            leftover.unlink()
        with sandbox_server(seed, bucket=(sizes.rate, sizes.rate, LATENCY)) as url:
            env = {"ZEXA_API_URL": url, "ZEXA_API_KEY": "bench"}
            return run_process([*tool_command(), "apply", str(folder), "--state", str(state),
                                "--auto-approve", "--max-creates", str(sizes.creates)], env)

    figures = interleave({"apply": run}, sizes.runs)
    floor = (sizes.creates - sizes.rate) / sizes.rate
    t = _median(figures, "apply")
    return [Figure("apply-rate-limit", t / floor,
                   f"{t:.2f} s / floor {floor:.2f} s ({sizes.creates} creates, "
                   f"{sizes.rate} requests/s)")]


# -- the table ----------------------------------------------------------------------------


def table(figures: list[Figure], goals: Mapping[str, Mapping[str, object]],
          limit_key: str, tolerance: float = 0.0) -> str:
    """The figures against their goals (or, for the guard, their limits and tolerance)."""
    head = ("| figure | measured | ratio | goal | met |" if not tolerance else
            f"| figure | measured | ratio | limit | within {tolerance:.0%} |")
    lines = [head, "| --- | --- | --- | --- | --- |"]
    for f in figures:
        goal = goals[f.key]
        limit = float(goal[limit_key])  # type: ignore[arg-type]
        met = "yes" if f.ratio <= limit * (1 + tolerance) else "no"
        lines.append(f"| {goal['title']} | {f.detail} | {f.ratio:.2f}x | ≤ {limit:.2f}x | {met} |")
    return "\n".join(lines)


PARTS: dict[str, Callable[[Sizes, Path], list[Figure]]] = {
    "validate": validate_figures, "steps": step_figures, "plan": plan_figures,
    "apply": apply_figures}
GUARD_ONLY = frozenset(("steps",))  # figures with a limit and no goal


def measure(names: list[str], sizes: Sizes, tmp: Path) -> dict[str, list[Figure]]:
    """Each part's figures, by the part's name."""
    return {name: PARTS[name](sizes, tmp) for name in names}


def flat(parts: Mapping[str, list[Figure]]) -> list[Figure]:
    return [figure for figures in parts.values() for figure in figures]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true",
                        help="the guard: smaller sizes, fail on a regression")
    parser.add_argument("--runs", type=int, help="runs of each command (at least 5)")
    parser.add_argument("--only", nargs="+", choices=list(PARTS))
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    if args.runs:
        sizes = Sizes(**{**sizes.__dict__, "runs": args.runs})
    goals = load_goals()
    figures_goals: dict[str, dict[str, object]] = goals["figures"]  # type: ignore[assignment]
    names = [name for name in PARTS if (args.only is None or name in args.only)
             and (args.quick or name not in GUARD_ONLY)]
    limit_key = "quick" if args.quick else "goal"
    tolerance = float(goals["tolerance"]) if args.quick else 0.0  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        measured = measure(names, sizes, Path(tmp))
        figures = flat(measured)
        print(_heading("Quick figures (the guard)" if args.quick else "Goals", sizes))
        print(table(figures, figures_goals, limit_key, tolerance))
        if not args.quick:
            return
        limits = {f.key: float(figures_goals[f.key]["quick"]) for f in figures}  # type: ignore[arg-type]
        first = {f.key: f.ratio for f in figures}
        failures = judge(first, limits, tolerance)
        if failures:
            # The same code's figures spread widely from run to run on a shared machine
            # (docs/benchmarks.md, The guard), so one figure past its line may be the
            # machine: the parts with such a figure are measured again, with twice the
            # runs, and only a figure past its line both times fails the guard.
            print("\nPast the line once:", *failures, sep="\n  ")
            sizes = Sizes(**{**sizes.__dict__, "runs": 2 * sizes.runs})
            parts = [name for name, part in measured.items()
                     if any(f.key in past_line(failures) for f in part)]
            figures = flat(measure(parts, sizes, Path(tmp)))
            print("\n" + _heading(f"Measured again ({', '.join(parts)})", sizes))
            print(table(figures, figures_goals, limit_key, tolerance))
            failures = judge_again(first, {f.key: f.ratio for f in figures}, limits, tolerance)
            if failures:
                print("\nThe benchmarks slid back (past the line twice):", *failures,
                      sep="\n  ", file=sys.stderr)
                sys.exit(1)
            print(f"\nMeasured again, every figure is within {tolerance:.0%} of its limit.")
            return
    print(f"\nEvery figure is within {tolerance:.0%} of its limit.")


def _heading(title: str, sizes: Sizes) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"{title}, {when}, {platform.machine()} {_cpus()} cores, "
            f"Python {platform.python_version()}, {sizes.runs} runs each, medians:\n")


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()

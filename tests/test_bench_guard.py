"""The benchmarks' guard (bench/goals.py --quick, run by .ci/run): what it fails on. Its
figures are timed there; here it is fed figures, so nothing here depends on the clock."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def goals():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import goals as module
    finally:
        sys.path.remove(str(BENCH))
    return module


def quick_limits(goals) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {key: float(figure["quick"])
            for key, figure in goals.load_goals()["figures"].items()}


def test_the_figures_at_their_limits_pass(goals) -> None:  # type: ignore[no-untyped-def]
    limits = quick_limits(goals)
    assert goals.judge(dict(limits), limits, tolerance=0.25) == []


def test_a_figure_a_little_worse_than_its_limit_passes(goals) -> None:  # type: ignore[no-untyped-def]
    limits = quick_limits(goals)
    figures = {key: limit * 1.2 for key, limit in limits.items()}
    assert goals.judge(figures, limits, tolerance=0.25) == []


def test_checks_twice_as_slow_fail_the_guard_and_name_the_figure(goals) -> None:  # type: ignore[no-untyped-def]
    """The step figures are a step's time over the YAML read of the same process: twice
    the checks' time is twice the figure. At the highest level this machine showed for
    the same code they pass; at twice it, each fails on its own and is named."""
    limits = quick_limits(goals)
    levels = {key: float(figure["level"])
              for key, figure in goals.load_goals()["figures"].items() if "level" in figure}
    assert set(levels) == {"steps-schema", "steps-checks"}
    assert goals.judge({**limits, **levels}, limits, tolerance=0.25) == []
    for key, level in levels.items():
        figures = {**limits, key: 2 * level}
        failures = goals.judge(figures, limits, tolerance=0.25)
        assert len(failures) == 1
        assert failures[0].startswith(f"{key}: {2 * level:.2f}x, more than 25% worse")
        assert "bench/goals.json" in failures[0]


def test_the_step_figures_are_measured_with_the_checks_slowed_and_not() -> None:
    """What the guard runs for them, at a small size, with BENCH_SLOW_CHECKS set to 1 and
    to 2 (slowed.py loaded): the ratios it judges, by the keys goals.json holds. How much
    slower is for the guard's own runs to show (docs/benchmarks.md, The guard)."""
    import json
    import os
    import subprocess

    recorded = json.loads((BENCH / "goals.json").read_text("utf-8"))["figures"]
    for times in ("1", "2"):
        answer = subprocess.run(
            [sys.executable, str(BENCH / "validate_steps.py"), "--ratios",
             "--campaigns", "200", "--rounds", "1"],
            env={**os.environ, "BENCH_SLOW_CHECKS": times}, capture_output=True,
            encoding="utf-8", check=True)
        steps = json.loads(answer.stdout)
        assert set(steps) == {"steps-schema", "steps-checks"} <= set(recorded)
        for step in steps.values():
            assert step["ratio"] > 0 and step["step"] > 0 and step["read"] > 0


def test_a_figure_not_measured_fails(goals) -> None:  # type: ignore[no-untyped-def]
    limits = quick_limits(goals)
    figures = dict(limits)
    del figures["apply-rate-limit"]
    assert goals.judge(figures, limits, tolerance=0.25) == ["apply-rate-limit: not measured"]


def test_every_figure_has_a_quick_limit_and_the_tolerance_is_a_quarter(goals) -> None:  # type: ignore[no-untyped-def]
    """Every figure has a limit; each has a goal but the guard's own (its part is run
    only by the guard)."""
    recorded = goals.load_goals()
    assert recorded["tolerance"] == 0.25
    for key, figure in recorded["figures"].items():
        assert float(figure["quick"]) > 0, key
        guard_only = key.startswith("steps-")
        assert ("goal" not in figure) == guard_only, key
        if not guard_only:
            assert float(figure["goal"]) > 0, key


def test_only_the_benchmarks_read_the_slowdown_variable() -> None:
    package = BENCH.parent / "reconciler"
    assert not [p for p in package.rglob("*.py") if "BENCH_SLOW_CHECKS" in p.read_text("utf-8")]


def test_a_figure_past_its_line_once_but_not_when_measured_again_passes(goals) -> None:  # type: ignore[no-untyped-def]
    limits = quick_limits(goals)
    first = dict(limits)
    first["plan-in-sync"] = limits["plan-in-sync"] * 1.4
    assert goals.past_line(goals.judge(first, limits, tolerance=0.25)) == ["plan-in-sync"]
    again = {"plan-in-sync": limits["plan-in-sync"] * 1.1}
    assert goals.judge_again(first, again, limits, tolerance=0.25) == []


def test_a_figure_past_its_line_twice_fails_and_only_it(goals) -> None:  # type: ignore[no-untyped-def]
    """Only the figures past the line the first time can fail: one past it only in the
    second measurement (here validate-full) passed once, as it does without a second."""
    limits = quick_limits(goals)
    first = dict(limits)
    first["validate-defaults"] = limits["validate-defaults"] * 1.5
    again = {"validate-defaults": limits["validate-defaults"] * 1.4,
             "validate-full": limits["validate-full"] * 1.4}
    failures = goals.judge_again(first, again, limits, tolerance=0.25)
    assert len(failures) == 1
    assert failures[0].startswith("validate-defaults: ")
    assert f"{again['validate-defaults']:.2f}x" in failures[0]


def test_a_figure_past_its_line_and_not_measured_again_fails(goals) -> None:  # type: ignore[no-untyped-def]
    limits = quick_limits(goals)
    first = dict(limits)
    first["apply-rate-limit"] = limits["apply-rate-limit"] * 2
    assert goals.judge_again(first, {}, limits, tolerance=0.25) == [
        "apply-rate-limit: not measured"]


def test_figures_within_their_limits_fail_nothing_when_measured_again(goals) -> None:  # type: ignore[no-untyped-def]
    limits = quick_limits(goals)
    worse = {key: limit * 2 for key, limit in limits.items()}
    assert goals.judge_again(dict(limits), worse, limits, tolerance=0.25) == []

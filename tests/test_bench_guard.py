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
    """The checks (schema and review checks) are a share of `validate`'s time: at the share
    the profile shows (at least 40% of a `defaults:` file's validate, past the start-up),
    twice their time pushes the figure more than 25% past its limit."""
    limits = quick_limits(goals)
    share = 0.4
    figures = dict(limits)
    figures["validate-defaults"] = limits["validate-defaults"] * (1 + share)
    failures = goals.judge(figures, limits, tolerance=0.25)
    assert len(failures) == 1
    assert failures[0].startswith("validate-defaults: ")
    assert f"{figures['validate-defaults']:.2f}x" in failures[0]
    assert "bench/goals.json" in failures[0]


def test_a_figure_not_measured_fails(goals) -> None:  # type: ignore[no-untyped-def]
    limits = quick_limits(goals)
    figures = dict(limits)
    del figures["apply-rate-limit"]
    assert goals.judge(figures, limits, tolerance=0.25) == ["apply-rate-limit: not measured"]


def test_every_goal_has_a_quick_limit_and_the_tolerance_is_a_quarter(goals) -> None:  # type: ignore[no-untyped-def]
    recorded = goals.load_goals()
    assert recorded["tolerance"] == 0.25
    for key, figure in recorded["figures"].items():
        assert float(figure["goal"]) > 0 and float(figure["quick"]) > 0, key


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

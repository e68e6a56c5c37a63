"""The schedule at a glance: the comment's mermaid gantt and the terminal's timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import campaign, entry, plan_of, remote, state

from reconciler.checks.config import CheckConfig
from reconciler.render.schedule import chart_text, gantt, relative, sends, timeline

HOSTILE_NAMES = ["a: b; c # d %% e", "section Evil", "click x call alert(1)", "<b>&amp;</b>",
                 "dateFormat x", "weekend friday", "tab\tand ```", "名前 :crit, 2030", "-->",
                 "%%{init: {}}%%"]


@pytest.mark.parametrize(("delta", "said"), [
    (timedelta(minutes=45), "in 45 minutes"), (timedelta(hours=5), "in 5 hours"),
    (timedelta(days=3), "in 3 days"), (timedelta(days=150), "in 5 months"),
    (timedelta(days=26510), "in 73 years")])
def test_relative_times_are_in_human_units(delta: timedelta, said: str) -> None:
    assert relative(delta) == said


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_chart_name_holds_no_mermaid_syntax(name: str) -> None:
    shown = chart_text(name)
    assert not set(shown) & set(":;#%&<>`{}\t\n")
    assert shown.split(" ")[0].lower() not in ("section", "click", "dateformat", "weekend")


def test_a_name_that_only_begins_like_a_keyword_is_kept() -> None:
    assert chart_text("Weekend Sale - June") == "Weekend Sale - June"


def test_one_section_per_list_with_creates_and_campaigns_already_scheduled() -> None:
    sent = campaign("Sent", scheduled_at="2030-02-01T10:00:00Z", contact_list_id="lst_b")
    plan = plan_of([campaign("New A"), campaign("New B", contact_list_id="lst_b"), sent],
                   [remote("cmp_1", "Sent")], state({"Sent": entry("cmp_1", sent)}))
    chart, left_out = gantt(plan, sends(plan))
    assert left_out == 0
    assert chart.splitlines()[4:] == [
        "    section lst_a", "    New A :2030-02-01 10:00, 30m",
        "    section lst_b", "    New B :2030-02-01 10:00, 30m",
        "    Sent (scheduled) :done, 2030-02-01 11:00, 30m"]


def test_quiet_hours_and_list_frequency_are_marked() -> None:
    config = CheckConfig()
    late = campaign("Late", scheduled_at="2030-02-01T22:00:00Z", purpose="marketing",
                    body="x STOP")
    close = campaign("Close", scheduled_at="2030-02-01T23:00:00Z", purpose="marketing",
                     body="y STOP")
    plan = plan_of([late, close], checks=config)
    chart, _ = gantt(plan, sends(plan))
    assert "Late (quiet hours, too close) :crit, 2030-02-01 23:00" in chart
    text = "\n".join(timeline(plan, sends(plan)))
    assert "23:00  + Late" in text and "(quiet hours; too close to another marketing send)" \
        in text


def test_the_chart_is_capped_and_says_how_many_it_left_out() -> None:
    plan = plan_of([campaign(f"C{i}", scheduled_at=f"2030-02-01T{i % 24:02d}:00:00Z")
                    for i in range(70)])
    chart, left_out = gantt(plan, sends(plan))
    assert left_out == 10 and chart.count(" :") == 60


def test_the_timeline_goes_day_by_day_in_the_configured_zone() -> None:
    plan = plan_of([campaign("A", scheduled_at="2030-02-01T23:30:00Z"),
                    campaign("B", scheduled_at="2030-02-03T08:00:00Z")])
    assert list(timeline(plan, sends(plan))) == [
        "  Sat 2 Feb 2030", "    00:30  + A  lst_a  in 31 days",
        "  Sun 3 Feb 2030", "    09:00  + B  lst_a  in 33 days"]

"""The comment's mermaid chart, parsed and rendered by mermaid itself in Chromium."""

from __future__ import annotations

import os

import pytest
from browser import mermaid_path, missing, page
from builders import campaign, entry, plan_of, remote, state
from test_schedule import HOSTILE_NAMES

from reconciler.checks.config import CheckConfig
from reconciler.render.schedule import gantt, sends

pytestmark = pytest.mark.browser

PARSE_AND_RENDER = """async (chart) => {
  mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
  await mermaid.parse(chart);
  const {svg} = await mermaid.render("schedule", chart);
  return svg;
}"""


@pytest.fixture(scope="module")
def render_chart():
    lack = missing()
    if lack:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests must run in CI: {lack}")
        pytest.skip(lack)
    with page() as (tab, requested):
        tab.set_content("<!doctype html><html><body></body></html>")
        tab.add_script_tag(path=str(mermaid_path()))

        def render(chart: str) -> str:
            svg: str = tab.evaluate(PARSE_AND_RENDER, chart)
            assert requested == []  # mermaid came from the file; nothing else was asked for
            return svg

        yield render


def hostile_plan():
    sent = campaign("Sent <b>", scheduled_at="2030-02-01T10:00:00Z", contact_list_id="lst_b")
    creates = [campaign(name, contact_list_id=f"lst_{n % 3}", purpose="marketing",
                        body="x STOP", scheduled_at=f"2030-02-01T{10 + n:02d}:30:00Z")
               for n, name in enumerate(HOSTILE_NAMES)]
    return plan_of([*creates, sent], [remote("cmp_1", "Sent <b>")],
                   state({"Sent <b>": entry("cmp_1", sent)}), checks=CheckConfig(),
                   senders=None)


def test_the_schedule_with_hostile_names_parses_and_renders_in_mermaid(render_chart) -> None:
    plan = hostile_plan()
    chart, _ = gantt(plan, sends(plan))
    svg = render_chart(chart)
    assert svg.startswith("<svg") and svg.count('class="taskText') >= len(HOSTILE_NAMES)
    assert "<b>" not in svg and "onerror" not in svg


def test_a_capped_schedule_of_many_lists_parses(render_chart) -> None:
    plan = plan_of([campaign(f"C{i}", contact_list_id=f"lst_{i % 7}",
                             scheduled_at=f"2030-0{1 + i % 9}-1{i % 10}T0{i % 10}:00:00Z")
                    for i in range(90)], senders=None)
    chart, left_out = gantt(plan, sends(plan))
    assert left_out == 30
    assert render_chart(chart).count('class="taskText') == 60

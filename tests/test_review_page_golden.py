"""The whole review page, byte for byte, against tests/golden/ (see tests/golden.py): one
page of a plan against an account with every verdict, finding and schedule mark the page
shows, and one of hostile definitions alone, as `campaigns preview` writes it."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from builders import campaign, plan_of, remote, state
from conftest import ROOT
from golden import check_golden

from reconciler import __version__
from reconciler.checks.config import CheckConfig
from reconciler.config import Limits, Target
from reconciler.definitions import Campaign, parse_document
from reconciler.definitions.gitblob import blob_id
from reconciler.diagnostics import Diagnostic, Location, Severity
from reconciler.plan import Plan
from reconciler.plan.sentdiff import SentLookup
from reconciler.remote import Credits, RegisteredSender
from reconciler.render.html import render_html
from reconciler.state import Entry
from reconciler.workflow.preview import definitions_plan

SENT = (b"name: Changed\nchannel: sms\ncontact_list_id: lst_a\nsender_id: BRAND\n"
        b"scheduled_at: 2030-02-01T09:00:00Z\nbody: |-\n  Hello\n  Sale on Saturday\n")
TEMPLATE = {
    "name": "order_update", "language": {"code": "pt_PT"},
    "components": [{"type": "body", "parameters": [{"type": "text", "text": "@maria"}]}],
}


class Blobs:
    def __init__(self, blobs: dict[str, bytes]) -> None:
        self.blobs = blobs

    def read(self, blob: str, near: str) -> bytes:
        return self.blobs[blob]


def placed(line: int, name: str, **fields: Any) -> Campaign:
    """A campaign whose lines start at `line` of c.yaml (findings are placed by line)."""
    return dataclasses.replace(campaign(name, **fields), location=Location("c.yaml", line, 1))


def account_plan() -> Plan:
    (sent,), _ = parse_document("c.yaml", SENT)
    blob = blob_id(SENT)
    entries = {
        "Changed": Entry("cmp_changed", "sms", sent.digest(), "created", "2029-12-01T00:00:00Z",
                         "c.yaml", blob),
        "In sync": Entry("cmp_sync", "sms", campaign("In sync").digest(), "created",
                         "2029-12-01T00:00:00Z", "c.yaml"),
        "Old name": Entry("cmp_renamed", "sms", campaign("Old name").digest(), "created",
                          "2029-12-01T00:00:00Z", "c.yaml"),
        "Gone": Entry("cmp_gone", "sms", campaign("Gone").digest(), "created",
                      "2029-12-01T00:00:00Z", "c.yaml"),
    }
    campaigns = [
        placed(10, "Late <b>sale</b>", body="Sale at https://myapp.ao 😀 tonight\u202e STOP "
               + "x" * 60, purpose="marketing", scheduled_at="2030-02-01T22:00:00Z",
               description="Winter\u200b sale"),
        placed(20, "Close", body="y STOP {oops}", purpose="marketing",
               scheduled_at="2030-02-01T23:00:00Z"),
        placed(30, "Now", body="now €", scheduled_at=None, contact_list_id="lst_b"),
        placed(40, "Slack", channel="slack", sender_id="bot",
               body="*bold* <!channel> :tada: <https://myapp.ao|the shop> <@U123>",
               contact_list_id="lst_b", scheduled_at="2030-02-02T08:00:00Z"),
        placed(50, "Order", channel="whatsapp", sender_id="BRAND", body=None,
               template=TEMPLATE, template_text="Olá {{1}}\n> quoted _it_ ~s~ ```m```",
               scheduled_at="2030-01-01T12:45:00Z"),
        placed(60, "Adopted", previous_names=("Older",)),
        placed(70, "In sync"),
        placed(80, "New name", previous_names=("Old name",)),
        placed(90, "Changed", body="Hello\nSale on Sunday"),
        placed(100, "Twice"),
        placed(110, "Mail", channel="email", sender_id="news@myapp.ao",
               body="Hello @everyone\n\nSee https://myapp.ao/june", scheduled_at=None),
    ]
    remotes = [remote("cmp_adopted", "Older"), remote("cmp_sync", "In sync"),
               remote("cmp_renamed", "Old name"), remote("cmp_changed", "Changed"),
               remote("cmp_t1", "Twice"), remote("cmp_t2", "Twice"),
               remote("cmp_other", "Not ours")]
    loose = Diagnostic(Location("other.yaml", 4, 2), "a finding of <no> campaign", "x",
                       Severity.WARNING, "custom")
    return plan_of(
        campaigns, remotes, state(entries), sent=SentLookup(Blobs({blob: SENT})),
        credits=Credits(1234.5, "AOA"), definition_diagnostics=(loose,),
        environment="prod<1>", limits=Limits(max_creates=2, max_recipients=100),
        checks=CheckConfig(list_sizes=(("lst_a", 850),)),
        senders=[RegisteredSender("BRAND", None, "approved"),
                 RegisteredSender("news@myapp.ao", "email", "approved")])


def versionless(page: str) -> str:
    """The page with the tool's version named as VERSION, so a release keeps it."""
    return page.replace(f"zexa-campaigns {__version__}", "zexa-campaigns VERSION")


def test_the_page_of_a_plan_against_an_account_matches_its_golden_file(
        request: pytest.FixtureRequest) -> None:
    page = render_html(account_plan())
    assert "zexa-campaigns VERSION" not in page and __version__ in page
    check_golden(request, "review-page.html", versionless(page))


def test_the_preview_page_of_hostile_definitions_matches_its_golden_file(
        request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    from builders import NOW

    from reconciler import clock

    monkeypatch.setattr(clock, "now", lambda: NOW)
    path = ROOT / "tests" / "review_page" / "hostile.yaml"
    campaigns, diagnostics = parse_document("hostile.yaml", path.read_bytes())
    target = Target(None, CheckConfig(), "campaigns.state.json", None, "ZEXA_API_KEY")
    plan = definitions_plan(target, campaigns, diagnostics=diagnostics)
    check_golden(request, "review-page-preview.html",
                 versionless(render_html(plan, compared=False)))

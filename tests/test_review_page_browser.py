"""The review page as a person sees it, in Chromium: each message as its channel shows it,
the filters by mouse and keyboard, nothing run and nothing fetched, whatever the
definitions hold. Screenshots of the examples' page are written on every run, to
$REVIEW_PAGE_SCREENSHOTS or a folder under pytest's temporary directory."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser import missing, page
from conftest import ROOT

from reconciler.definitions import load_definitions

pytestmark = pytest.mark.browser

HOSTILE = ROOT / "tests" / "review_page" / "hostile.yaml"


@dataclass
class Tab:
    """A Chromium tab that records every request, dialog and console error."""

    tab: Any
    refused: list[str]
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: Path) -> Any:
        self.requests.clear()
        self.tab.goto(path.resolve().as_uri())
        return self.tab

    def outside(self, path: Path) -> list[str]:
        """Requests for anything but the page itself."""
        return [url for url in self.requests if url != path.resolve().as_uri()]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Tab]:
    lack = missing(mermaid=False)
    if lack:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests must run in CI: {lack}")
        pytest.skip(lack)
    with page() as (tab, refused):
        seen = Tab(tab, refused)
        tab.on("request", lambda request: seen.requests.append(request.url))

        def dialog(d: Any) -> None:
            seen.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        tab.on("dialog", dialog)
        tab.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: seen.errors.append(str(e)))
        yield seen


def write_page(folder: Path, source: Path, *args: str) -> Path:
    """`campaigns <args>` run as a user runs it, in `folder`, on a copy of `source`."""
    folder.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, folder / source.name, dirs_exist_ok=True)
    else:
        shutil.copy(source, folder / source.name)
    run = subprocess.run([sys.executable, "-m", "reconciler", *args], cwd=folder,
                         capture_output=True, text=True, encoding="utf-8",
                         env={**os.environ, "NO_COLOR": "1", "ZEXA_API_KEY": "",
                              "GITHUB_ACTIONS": "", "CAMPAIGNS_STATE": ""})
    out = folder / "review.html"
    assert out.is_file(), run.stderr
    return out


@pytest.fixture(scope="module")
def examples_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("examples")
    return write_page(folder, ROOT / "campaigns.example", "plan", "campaigns.example",
                      "--sandbox", "--html-out", "review.html")


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    return write_page(folder, HOSTILE, "preview", "hostile.yaml", "--out", "review.html")


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("REVIEW_PAGE_SCREENSHOTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("review-page-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def card(tab: Any, name: str) -> Any:
    return tab.locator("article.card").filter(
        has=tab.locator(".name", has_text=name)).first


def visible_names(tab: Any) -> list[str]:
    names: list[str] = tab.eval_on_selector_all(
        "article.card", "cards => cards.filter(c => c.offsetParent !== null)"
                        ".map(c => c.querySelector('.name').textContent)")
    return names


def test_each_example_reads_as_its_channel_shows_it(chromium: Tab, examples_page: Path,
                                                    screenshots: Path) -> None:
    tab = chromium.open(examples_page)
    expected = {c.name: c for c in load_definitions([ROOT / "campaigns.example"]).campaigns}
    assert tab.locator("article.card").count() == len(expected) == 6
    for name, c in expected.items():
        shown = card(tab, name)
        assert shown.locator(".verdict").inner_text().lower() == "create"
        message = shown.locator(".message").inner_text()
        assert message.rstrip("\n") == c.view().text.rstrip("\n"), name
        frame = {"slack": ".device.slack", "email": ".device.mail"}.get(
            c.channel, f".device.phone.{c.channel}")
        assert shown.locator(frame).is_visible(), name
        assert shown.locator(".from").first.inner_text() == c.view().sender
    tab.screenshot(path=str(screenshots / "examples-light.png"), full_page=True)
    tab.emulate_media(color_scheme="dark")
    tab.screenshot(path=str(screenshots / "examples-dark.png"), full_page=True)
    tab.emulate_media(color_scheme="light")


def test_each_card_says_its_verdict_list_audience_cost_send_time_and_place(
        chromium: Tab, examples_page: Path) -> None:
    tab = chromium.open(examples_page)
    sale = card(tab, "Weekend Sale - June 2099")
    assert sale.locator(".what").inner_text().startswith("create: apply creates it")
    assert sale.locator(".list").inner_text().startswith("lst_customers")
    assert sale.locator(".audience").inner_text().startswith("unknown")
    assert sale.locator(".cost").inner_text() == "1 SMS segment (GSM-7) a recipient, " \
                                                 "credits unknown"
    when = sale.locator(".when").inner_text()
    assert when.startswith("Sun 28 Jun 2099, 09:00 Africa/Luanda, in ") and "years" in when
    assert sale.locator(".where").inner_text() == "campaigns.example/weekend-sale.yaml:3"
    warning = card(tab, "July Newsletter 2099").locator(".list .findings li.warning")
    assert "first campaign to lst_newsletter" in warning.inner_text()


def test_the_summary_and_limits_head_the_page_and_the_schedule_follows_the_cards(
        chromium: Tab, examples_page: Path) -> None:
    tab = chromium.open(examples_page)
    assert tab.locator("#plan-summary").inner_text() == \
        "Plan: 6 to create, 0 to adopt, 0 in sync, 0 errors."
    assert "max_creates 25: 6 in this apply, within it" in tab.locator("#limits").inner_text()
    order = tab.eval_on_selector_all("main > section", "s => s.map(x => x.id)")
    assert order == ["summary", "campaigns", "schedule"]
    lanes = tab.locator("#schedule .lane h3").all_inner_texts()
    assert sorted(lanes) == ["lst_customers", "lst_newsletter", "lst_partners", "lst_vip"]
    assert tab.locator("#schedule svg .quiet").count() >= 5  # quiet hours on each day's bar
    assert "09:00 + Weekend Sale - June 2099" in tab.locator("#schedule").inner_text()


def test_bold_is_bold_and_a_link_is_text_that_goes_nowhere(chromium: Tab,
                                                          examples_page: Path) -> None:
    tab = chromium.open(examples_page)
    launch = card(tab, "Summer Collection Launch 2099")
    bold = launch.locator(".message strong")
    assert bold.inner_text() == "coleção de verão"
    assert int(bold.evaluate("e => getComputedStyle(e).fontWeight")) >= 700
    plain = launch.locator(".message .line").evaluate("e => getComputedStyle(e).fontWeight")
    assert int(plain) < 600
    link = launch.locator(".message .f-link")
    assert link.inner_text() == "https://myapp.ao/verao"
    assert link.evaluate("e => e.closest('a') === null && !e.hasAttribute('href')")


def test_sms_segments_and_ucs2_characters_are_marked(chromium: Tab, hostile_page: Path) -> None:
    tab = chromium.open(hostile_page)
    sms = card(tab, "Long emoji SMS")
    marks = sms.locator(".message .seg")
    assert marks.count() == 2
    shown = [marks.nth(i).evaluate("e => getComputedStyle(e, '::before').content")
             for i in range(2)]
    assert shown == ['"✂ 2/3"', '"✂ 3/3"']
    assert all(marks.nth(i).bounding_box()["width"] > 10 for i in range(2))
    ucs2 = sms.locator(".message mark.ucs2")
    assert ucs2.inner_text() == "😀"
    assert ucs2.evaluate("e => getComputedStyle(e).backgroundColor") not in (
        "rgba(0, 0, 0, 0)", "transparent")
    assert "UCS-2, 3 segments" in sms.locator(".sms-facts").inner_text()


def test_the_filters_work_by_click(chromium: Tab, examples_page: Path) -> None:
    tab = chromium.open(examples_page)
    assert len(visible_names(tab)) == 6
    tab.get_by_label("SMS (2)").click()
    assert sorted(visible_names(tab)) == ["July Newsletter 2099",
                                          "Planned Maintenance - August 2099 (Slack)",
                                          "Planned Maintenance - August 2099 (Telegram)",
                                          "Summer Collection Launch 2099"]
    assert tab.locator("#shown-count").inner_text() == "4 of 6 shown"
    tab.get_by_label("SMS (2)").click()
    tab.locator("select[name=list]").select_option("lst_vip")
    assert visible_names(tab) == ["Summer Collection Launch 2099"]
    tab.get_by_role("button", name="Show all").click()
    assert len(visible_names(tab)) == 6


def test_the_filters_work_by_keyboard_and_focus_is_visible(chromium: Tab,
                                                           examples_page: Path) -> None:
    tab = chromium.open(examples_page)
    tab.locator("input[name=q]").focus()
    tab.keyboard.type("maintenance")
    assert len(visible_names(tab)) == 3
    tab.keyboard.press("Tab")  # to "Show all"
    assert tab.evaluate("document.activeElement.textContent") == "Show all"
    outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    tab.keyboard.press("Enter")
    assert len(visible_names(tab)) == 6
    tab.locator("input[name=verdict]").first.focus()
    tab.keyboard.press("Space")
    assert visible_names(tab) == []
    tab.keyboard.press("Space")
    assert len(visible_names(tab)) == 6


def test_nothing_of_a_hostile_definition_runs_opens_or_fetches(chromium: Tab,
                                                               hostile_page: Path,
                                                               screenshots: Path) -> None:
    tab = chromium.open(hostile_page)
    for summary in tab.locator("details.sent > summary").all():
        summary.click()  # "Sent as written" opens
    for summary in tab.locator("article.card > details > summary").all():
        summary.click()  # closed
        summary.click()  # and open again
    for piece in tab.locator(".message span, .message mark, .message strong").all():
        piece.hover()
        piece.click()
    tab.wait_for_timeout(300)
    assert chromium.dialogs == []
    assert chromium.outside(hostile_page) == [] and chromium.refused == []
    assert chromium.errors == []  # no script refused by the CSP, no error thrown
    assert tab.url == hostile_page.resolve().as_uri()  # no link was followed
    shown = card(tab, "<script>alert('name')</script>")
    assert shown.locator(".message").inner_text() == "<img src=x onerror=alert(1)>"
    textarea = card(tab, "Textarea").locator(".message").inner_text()
    assert textarea == "</textarea><script>alert(2)</script><textarea>"
    assert "<U+202E>" in card(tab, "Bidi").locator(".message").inner_text()
    assert card(tab, "Links").locator(".message").inner_text().startswith("click me and bold")
    assert tab.evaluate("document.querySelectorAll('img, a, iframe, textarea').length") == 0
    tab.screenshot(path=str(screenshots / "hostile.png"), full_page=True)


def test_the_examples_page_fetches_nothing_and_its_script_runs_under_its_policy(
        chromium: Tab, examples_page: Path) -> None:
    tab = chromium.open(examples_page)
    assert chromium.outside(examples_page) == [] and chromium.refused == []
    assert tab.locator("#filters").is_visible()  # the script ran: its hash is allowed
    assert chromium.errors == [] and chromium.dialogs == []


def test_the_page_reads_without_script(chromium: Tab, examples_page: Path) -> None:
    context = chromium.tab.context.browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(examples_page.resolve().as_uri())
        assert not tab.locator("#filters").is_visible()
        assert tab.locator("article.card .message").count() == 6
        assert all(m.is_visible() for m in tab.locator("article.card .message").all())
        assert tab.locator("#schedule .lane").count() == 4
    finally:
        context.close()


def test_dark_scheme_print_language_and_headings(chromium: Tab, examples_page: Path) -> None:
    tab = chromium.open(examples_page)
    assert tab.evaluate("document.documentElement.lang") == "en"
    levels = tab.eval_on_selector_all("h1, h2, h3, h4, h5, h6",
                                      "hs => hs.map(h => Number(h.tagName[1]))")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    background = "getComputedStyle(document.body).backgroundColor"
    light = tab.evaluate(background)
    tab.emulate_media(color_scheme="dark")
    dark = tab.evaluate(background)
    tab.emulate_media(color_scheme="light", media="print")
    assert not tab.locator("#filters").is_visible()
    tab.emulate_media(media="screen")

    def brightness(rgb: str) -> int:
        return sum(int(v) for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])

    assert brightness(dark) < 150 < brightness(light)
    # Printed under a dark screen scheme, the paper and every bubble are the light ones,
    # and their colours are printed (they are backgrounds).
    tab.emulate_media(color_scheme="dark", media="print")
    bubble = tab.locator("[data-channel=sms] .bubble, .bubble").first
    assert brightness(tab.evaluate(background)) > 700
    assert brightness(bubble.evaluate("b => getComputedStyle(b).backgroundColor")) > 600
    assert brightness(bubble.evaluate("b => getComputedStyle(b).color")) < 150
    assert bubble.evaluate("b => getComputedStyle(b).printColorAdjust") == "exact"
    tab.emulate_media(color_scheme="light", media="screen")


def test_a_large_plans_cards_start_folded_and_one_opens_when_found(chromium: Tab,
                                                                  tmp_path: Path) -> None:
    from builders import campaign, plan_of

    from reconciler.render.html import OPEN_UP_TO, render_html

    n = OPEN_UP_TO + 50
    path = tmp_path / "large.html"
    path.write_text(render_html(plan_of([campaign(f"Campaign {i:04d}", body=f"Body {i}")
                                         for i in range(n)], senders=None)),
                    encoding="utf-8")
    tab = chromium.open(path)
    assert tab.locator("article.card details[open]").count() == 0
    assert not tab.get_by_text("Body 149", exact=True).is_visible()
    tab.locator("input[name=q]").fill("campaign 0149")
    assert visible_names(tab) == ["Campaign 0149"]
    card(tab, "Campaign 0149").locator("summary").first.click()
    assert card(tab, "Campaign 0149").locator(".message").inner_text() == "Body 149"
    # Printing opens every folded card, and folds them again afterwards.
    tab.locator("#show-all").click()
    tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert tab.locator("article.card > details:not([open])").count() == 0
    tab.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert tab.locator("article.card > details[open]").count() == 1  # the one opened
    assert chromium.outside(path) == [] and chromium.dialogs == []

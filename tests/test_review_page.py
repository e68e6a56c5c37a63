"""The review page as a file: `campaigns preview` and `plan --html-out` write it, it asks
for nothing outside itself, and no text of a definition becomes markup. What a person sees
of it in a browser is in tests/test_review_page_browser.py."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
import shutil
import sys
import webbrowser
from html.parser import HTMLParser
from pathlib import Path

import pytest
from builders import campaign, plan_of
from conftest import ROOT
from e2e import invoke

from reconciler.diagnostics import Location
from reconciler.render import html as review
from reconciler.render.html import lines_of, render_html

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ENV = {"NO_COLOR": "1", "GITHUB_ACTIONS": "", "ZEXA_API_KEY": ""}
HOSTILE = ROOT / "tests" / "review_page" / "hostile.yaml"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parsed(text: str) -> Tags:
    tags = Tags()
    tags.feed(text)
    return tags


@pytest.fixture
def examples(workdir: Path) -> Path:
    shutil.copytree(ROOT / "campaigns.example", workdir / "campaigns.example")
    return workdir


def test_preview_writes_the_page_from_the_definitions_alone_with_no_key(examples: Path) -> None:
    result = invoke(["preview", "campaigns.example", "--out", "page.html"], ENV)
    assert result.exit_code == 0, result.output
    assert "from the definitions alone" in result.stderr
    page = (examples / "page.html").read_text(encoding="utf-8")
    assert "no account was asked" in page
    assert page.count('data-verdict="not-compared"') == 6
    assert not (examples / ".campaigns-sandbox.json").exists()  # no account, not even the sandbox


def test_preview_open_opens_the_written_page_in_the_default_browser(
        examples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    result = invoke(["preview", "campaigns.example", "--open"], ENV)
    assert result.exit_code == 0, result.output
    assert opened == [(examples / "campaigns-review.html").resolve().as_uri()]


def test_preview_open_says_so_when_no_browser_can_be_opened(
        examples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)
    result = invoke(["preview", "campaigns.example", "--open"], ENV)
    assert result.exit_code == 0
    assert "No browser could be opened here; open campaigns-review.html in one." \
        in result.stderr


def test_preview_with_the_sandbox_shows_the_accounts_verdicts(examples: Path) -> None:
    result = invoke(["preview", "campaigns.example", "--sandbox", "--out", "page.html"], ENV)
    assert result.exit_code == 0, result.output
    page = (examples / "page.html").read_text(encoding="utf-8")
    assert page.count('data-verdict="create"') == 6
    assert "Plan: 6 to create, 0 to adopt, 0 in sync, 0 errors." in page


def test_plan_writes_the_page_beside_the_markdown_comment_in_one_run(examples: Path) -> None:
    result = invoke(["plan", "campaigns.example", "--sandbox", "--markdown-out", "plan.md",
                     "--html-out", "review.html", "--format", "json"], ENV)
    assert result.exit_code == 0, result.output
    assert (examples / "plan.md").read_text(encoding="utf-8").startswith("<!-- zexa")
    page = (examples / "review.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.count("<article") == 6
    assert result.stdout.startswith("{")  # the chosen format still goes to standard output


def test_plan_takes_the_pages_path_from_the_environment_too(examples: Path) -> None:
    result = invoke(["plan", "campaigns.example", "--sandbox"],
                    {**ENV, "CAMPAIGNS_HTML_OUT": "from-env.html"})
    assert result.exit_code == 0, result.output
    assert (examples / "from-env.html").is_file()


def test_a_verdict_after_apply_is_in_sync_and_an_adoption_says_nothing_is_sent(
        examples: Path) -> None:
    assert invoke(["apply", "campaigns.example", "--sandbox", "--auto-approve"],
                  ENV).exit_code == 0
    Path("campaigns.state.json").unlink()
    result = invoke(["preview", "campaigns.example", "--sandbox", "--out", "p.html"], ENV)
    page = (examples / "p.html").read_text(encoding="utf-8")
    assert result.exit_code == 0 and page.count('data-verdict="adopt"') == 6
    assert "recorded in the state, nothing is sent" in page


def test_the_page_allows_only_its_own_script_by_the_hash_of_that_script(
        examples: Path) -> None:
    invoke(["preview", "campaigns.example", "--out", "page.html"], ENV)
    page = (examples / "page.html").read_text(encoding="utf-8")
    tags = parsed(page)
    (csp,) = [a["content"] for t, a in tags.tags
              if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp is not None
    rules = dict(rule.strip().split(" ", 1) for rule in csp.split(";"))
    assert rules["default-src"] == "'none'"
    assert rules["style-src"] == "'unsafe-inline'"
    (script,) = tags.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert rules["script-src"] == f"'sha256-{digest}'"
    assert review.script() == script


def test_the_page_names_nothing_outside_itself(examples: Path) -> None:
    invoke(["preview", "campaigns.example", "--out", "page.html"], ENV)
    tags = parsed((examples / "page.html").read_text(encoding="utf-8"))
    for tag, attrs in tags.tags:
        for name in ("src", "href", "action", "srcset", "data", "poster"):
            assert name not in attrs, (tag, attrs)
    assert [t for t, _ in tags.tags if t in ("link", "iframe", "img", "object", "embed")] == []


def test_no_text_of_a_definition_becomes_markup(workdir: Path) -> None:
    shutil.copy(HOSTILE, workdir / "hostile.yaml")
    result = invoke(["preview", "hostile.yaml", "--out", "page.html"], ENV)
    assert result.exit_code == 1  # the javascript: links are errors, shown on the page
    page = (workdir / "page.html").read_text(encoding="utf-8")
    tags = parsed(page)
    assert [t for t, _ in tags.tags if t in ("img", "a", "textarea", "iframe")] == []
    days = sum(1 for t, a in tags.tags if t == "div" and a.get("class") == "day")
    assert sum(1 for t, _ in tags.tags if t == "svg") == days == 1  # the schedule's own
    assert sum(1 for t, _ in tags.tags if t == "script") == 1
    assert not any(k.startswith("on") for _, attrs in tags.tags for k in attrs)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "\u202e" not in page and "&lt;U+202E&gt;" in page
    # a template's approved text and its parameter, and a name made to end an attribute
    assert "&lt;script&gt;alert(8)&lt;/script&gt; " in page
    assert ">&lt;iframe src=javascript:alert(10)&gt;</span></ins>" in page  # fills {{1}}
    assert 'data-name="quote&#34; onmouseover=&#34;alert(7)&#34; x=&#39;"' in page


def test_a_body_with_script_text_is_written_escaped_whatever_the_channel() -> None:
    body = "</script><script>alert(1)</script> *x* <b>y</b>"
    plan = plan_of([campaign(f"C {ch}", channel=ch, body=body, sender_id="BRAND")
                    for ch in ("sms", "whatsapp", "slack", "telegram", "email")], senders=None)
    page = render_html(plan)
    assert page.count("<script") == 1 and "<b>" not in page
    assert page.count("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") >= 5


def test_an_sms_text_is_cut_where_each_segment_starts_and_marks_each_ucs2_character() -> None:
    body = "a" * 100 + "😀" + "b" * 49
    c = campaign("Emoji", body=body)
    runs = [r for line in lines_of(c.view()) for r in line.runs]
    assert "".join(r.text for r in runs) == body
    assert [r.segment for r in runs if r.segment] == ["2/3", "3/3"]
    assert [(r.text, r.flag) for r in runs if r.flag] == [("😀", "ucs2")]
    starts = {s.number: s.start for s in c.view().segments}
    offsets = [sum(len(r.text) for r in runs[:i]) for i, r in enumerate(runs) if r.segment]
    assert offsets == [starts[2], starts[3]]


def test_whatsapp_formatting_becomes_the_elements_that_show_it() -> None:
    plan = plan_of([campaign("Wa", channel="whatsapp", sender_id="+244",
                             body="*bold* _it_ ~gone~ ```mono```")], senders=None)
    page = render_html(plan)
    for element in ('<strong class="f-bold">bold</strong>', '<em class="f-italic">it</em>',
                    '<s class="f-strike">gone</s>', '<code class="f-monospace">mono</code>'):
        assert element in page


def test_a_large_plan_starts_with_its_cards_collapsed() -> None:
    few = render_html(plan_of([campaign(f"C{i}") for i in range(3)], senders=None))
    many = render_html(plan_of([campaign(f"C{i}") for i in range(review.OPEN_UP_TO + 1)],
                               senders=None))
    assert few.count("<details open>") == 3
    assert "<details open>" not in many and many.count("<article") == review.OPEN_UP_TO + 1


def test_a_finding_is_shown_on_the_card_it_concerns(workdir: Path) -> None:
    shutil.copy(HOSTILE, workdir / "hostile.yaml")
    invoke(["preview", "hostile.yaml", "--out", "page.html"], ENV)
    page = (workdir / "page.html").read_text(encoding="utf-8")
    cards = re.findall(r"<article.*?</article>", page, re.S)
    (links,) = [c for c in cards if 'data-name="links"' in c]
    assert "is a javascript: link" in links and "Findings of no single campaign" not in page


def test_the_templates_ship_in_the_wheel_and_the_sdist() -> None:
    doc = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "templates/*" in doc["tool"]["setuptools"]["package-data"]["reconciler.render"]
    assert any(d.startswith("jinja2") for d in doc["project"]["dependencies"])
    shipped = ROOT / "reconciler" / "render" / "templates"
    assert {p.name for p in shipped.iterdir()} >= {"review.html", "review.js"}


def test_the_schedule_shades_quiet_hours_and_marks_sends_too_close_to_each_other() -> None:
    from reconciler.checks.config import CheckConfig

    late = campaign("Late", scheduled_at="2030-02-01T22:00:00Z", purpose="marketing",
                    body="x STOP")
    close = campaign("Close", scheduled_at="2030-02-01T23:00:00Z", purpose="marketing",
                     body="y STOP")
    noon = campaign("Noon", scheduled_at="2030-02-03T11:00:00Z", contact_list_id="lst_b")
    # each where its own lines are: the schedule finds a campaign's findings by place
    placed = [dataclasses.replace(c, location=Location("c.yaml", 10 * n, 1))
              for n, c in enumerate((late, close, noon), 1)]
    page = render_html(plan_of(placed, checks=CheckConfig()))
    schedule = page[page.index('<section id="schedule"'):]
    assert schedule.count('<section class="lane"') == 2  # one a contact list
    # 21:00-08:00 Africa/Luanda, across midnight: two stretches of each day's bar (Late is
    # at 23:00 on the 1st, Close at 00:00 on the 2nd)
    assert schedule.count('<rect class="quiet" x="0" y="0" width="480"') == 3
    assert schedule.count('<rect class="quiet" x="1260" y="0" width="180"') == 3
    assert '<g class="send close quiet-send"><title>23:00 Late</title>' in schedule
    assert ("<time>00:00</time> + Close <span class=\"tag quiet-send\">quiet hours</span> "
            "<span class=\"tag close\">too close to another marketing send</span>") in schedule
    assert "<time>12:00</time> + Noon</li>" in schedule


def test_the_ci_recipes_keep_the_page_and_link_it() -> None:
    import yaml

    text = (ROOT / "docs" / "gitlab-ci.md").read_text(encoding="utf-8")
    pipelines = [yaml.safe_load(b.split("```", 1)[0]) for b in text.split("```yaml\n")[1:]
                 if "stages:" in b]
    plan_jobs = [job for p in pipelines for name, job in p.items()
                 if "plan" in name and isinstance(job, dict) and "script" in job]
    assert len(plan_jobs) == 2
    for job in plan_jobs:
        assert job["artifacts"]["expose_as"] == "Review page"
        assert "review.html" in job["artifacts"]["paths"]
        assert "--html-out review.html" in "\n".join(job["script"])
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    steps = {s.get("id") or s.get("name") or s["uses"]: s for s in action["runs"]["steps"]}
    assert steps["review"]["uses"].startswith("actions/upload-artifact@")
    assert "CAMPAIGNS_HTML_OUT" in steps["run"]["env"]
    assert any("steps.review.outputs.artifact-url" in str(s.get("env")) for s in steps.values())


def test_a_create_to_a_list_sent_to_before_shows_its_audience_and_cost(examples: Path) -> None:
    assert invoke(["apply", "campaigns.example", "--sandbox", "--auto-approve"],
                  ENV).exit_code == 0
    (examples / "campaigns.example" / "autumn.yaml").write_text(
        "name: Autumn Sale 2099\npurpose: marketing\nchannel: sms\n"
        "contact_list_id: lst_customers\nsender_id: MYBRAND\n"
        "body: Autumn sale at myapp.ao. Responda STOP para cancelar.\n"
        "scheduled_at: 2099-09-12T09:00:00+01:00\n", encoding="utf-8")
    result = invoke(["preview", "campaigns.example", "--sandbox", "--out", "p.html"], ENV)
    assert result.exit_code == 0, result.output
    page = (examples / "p.html").read_text(encoding="utf-8")
    (autumn,) = [c for c in re.findall(r"<article.*?</article>", page, re.S)
                 if 'data-name="autumn sale 2099"' in c]
    assert 'data-verdict="create"' in autumn
    assert ('class="audience">about 850 recipients (from &#39;Weekend Sale - June 2099&#39;'
            in autumn)
    assert 'class="cost">1 SMS segment (GSM-7) a recipient, about 850 credits' in autumn
    assert page.count('data-verdict="in-sync"') == 6

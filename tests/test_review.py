"""What a reviewer approves: the whole message in the text plan, the prompt and the PR
comment, rendered by a GitHub-flavoured Markdown renderer; the two review checks; a
comment that always fits."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from builders import NOW, campaign, plan_of
from conftest import ROOT
from golden import check_golden
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reconciler import clock
from reconciler.checks.config import CheckConfig
from reconciler.checks.review import run_checks
from reconciler.definitions import Definitions
from reconciler.diagnostics import Diagnostic, Location, Severity
from reconciler.remote import RegisteredSender
from reconciler.render.markdown import code, fence
from reconciler.render.plan import MARKER, render_markdown, render_text
from reconciler.render.validation import render_markdown as render_invalid_markdown

GOLDEN = ROOT / "tests" / "golden"
PHISH = "PS: verify your account at http://phish.example/login"
BODY = (f"Hi! Our sale starts Friday.\n{PHISH}\nReply to @support-team or "
        "news@myapp.ao.\nCode: ``` <script>alert(1)</script> `x` | <b>bold</b>")
TEMPLATE = {
    "name": "order_update", "language": {"code": "pt_PT"},
    "components": [
        {"type": "body", "text": "Olá {{1}}, a sua encomenda {{2}} saiu.",
         "parameters": [{"type": "text", "text": "@maria"},
                        {"type": "text", "text": "http://evil\\.example/[x](y)"}]},
    ],
}


def review_plan():  # type: ignore[no-untyped-def]
    return plan_of([
        campaign("Friday Sale", body=BODY, scheduled_at="2030-01-04T08:00:00Z"),
        campaign("Newsletter | June", channel="email", sender_id="news@myapp.ao",
                 body="Hello @everyone\n\nSee https://myapp.ao/june", scheduled_at=None),
        campaign("Order update", channel="whatsapp", sender_id="BRAND", body=None,
                 template=TEMPLATE, scheduled_at="2030-01-01T12:45:00Z"),
    ], senders=[RegisteredSender("BRAND", None, "approved"),
                RegisteredSender("news@myapp.ao", "email", "approved")])



# -- the whole message, everywhere a person approves it ---------------------------------------


def test_the_text_plan_shows_every_line_of_every_body_and_every_template_parameter(
    request: pytest.FixtureRequest,
) -> None:
    text = render_text(review_plan())
    check_golden(request, "review.txt", text)
    assert f"      │ {PHISH}" in text.replace("⟨2⟩", "")  # where segment 2 starts
    assert "Olá @maria, a sua encomenda http://evil\\.example/[x](y) saiu." in text
    assert "body {{2}}: http://evil\\.example/[x](y)" in text
    assert "news@myapp.ao" in text and "\u200b" not in text


def test_the_send_time_is_shown_in_utc_in_the_zone_and_relative_to_the_plan() -> None:
    text = render_text(review_plan())
    assert "sends 2030-01-04T08:00:00Z (09:00 Africa/Luanda, Fri 4 Jan 2030), in 3 days" in text
    assert "sends 2030-01-01T12:45:00Z (13:45 Africa/Luanda, Tue 1 Jan 2030), in 45 minutes" \
        in text


def test_the_confirmation_prompt_follows_the_whole_plan(serve, tmp_path: Path,
                                                         monkeypatch,
                                                         request: pytest.FixtureRequest) -> None:
    from e2e import env_for, invoke

    from reconciler.cli import apply_cmd

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(apply_cmd, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    server = serve()
    folder = tmp_path / "campaigns"
    folder.mkdir()
    (folder / "sale.yaml").write_text(
        "name: Friday Sale\nchannel: sms\ncontact_list_id: lst_partners\nsender_id: MYBRAND\n"
        "purpose: transactional\nscheduled_at: 2030-01-04T08:00:00Z\nbody: |\n"
        + "".join(f"  {line}\n" for line in BODY.splitlines()), encoding="utf-8")
    result = invoke(["apply"], env_for(server), input="no\n")
    out = result.output.replace(server.url, "http://127.0.0.1:PORT/v1")
    check_golden(request, "review-prompt.txt", out)
    assert f"      │ {PHISH}" in out.replace("⟨2⟩", "")  # where segment 2 starts
    assert out.index("http://phish") < out.index("Apply these changes?")
    assert result.exit_code == 1 and "Apply cancelled." in out
    assert not [r for r in server.app.request_log if r.method == "POST"]


def test_the_markdown_comment_matches_its_golden_file(request: pytest.FixtureRequest) -> None:
    check_golden(request, "review.md", render_markdown(review_plan()))


class _Html(HTMLParser):
    """Elements, text outside code, code texts and table rows of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.open: list[str] = []
        self.plain: list[str] = []
        self.code: list[str] = []
        self.rows: list[int] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)
        self.open.append(tag)
        if tag == "tr":
            self.rows.append(0)
        if tag in ("td", "th"):
            self.rows[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        (self.code if "code" in self.open or "pre" in self.open else self.plain).append(data)


def rendered(markdown: str) -> _Html:
    html = MarkdownIt("gfm-like", {"linkify": True, "html": True}).render(markdown)
    parser = _Html()
    parser.feed(html)
    return parser


def test_the_comment_renders_with_no_link_mention_or_html_from_user_text() -> None:
    page = rendered(render_markdown(review_plan()))
    allowed = {"h3", "p", "strong", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
               "details", "summary", "blockquote", "em", "ins", "sup", "br", "ul", "li"}
    assert set(page.tags) <= allowed, set(page.tags) - allowed  # no <a>, <b>, <script>
    outside = "".join(page.plain)
    assert "@" not in outside and "http" not in outside
    assert "<b>bold</b>" in outside and "alert(1)</script>" in outside  # as text
    header, *rows = page.rows[:4]
    assert all(cells == header for cells in rows) and header == 6
    inside = "".join(page.code)
    assert BODY + "\n" in inside  # the whole body, exactly as written
    assert '"text": "http://evil\\\\.example/[x](y)"' in inside
    assert "news@myapp.ao" in inside and "\u200b" not in inside


def test_a_fence_is_longer_than_any_backtick_run_and_a_code_span_keeps_pipes() -> None:
    assert fence("a ```` b").startswith("`````text\n")
    assert code("a | b") == "`a \\| b`"
    assert code("`x`") == "`` `x` ``"


def test_a_plan_that_failed_says_so_in_the_comment(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reconciler.cli import cli

    (tmp_path / "c.yaml").write_text("name: A\nchannel: sms\ncontact_list_id: lst_a\n"
                                     "sender_id: B\nbody: x\n", encoding="utf-8")
    out = tmp_path / "plan.md"
    result = CliRunner().invoke(cli, ["plan", str(tmp_path / "c.yaml"), "--markdown-out",
                                      str(out)], env={"ZEXA_API_KEY": "", "GITHUB_ACTIONS": ""})
    assert result.exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert text.startswith(MARKER) and "Plan failed" in text and "no API key" in text


# -- a comment that always fits ------------------------------------------------------------------


def test_300_invalid_definitions_with_long_names_fit_in_one_comment() -> None:
    errors = [Diagnostic(Location(f"campaigns/file-{i:03d}.yaml", 1 + j, 7),
                         f"'{'N' * 180} {i}' is not valid for reason {j}", field="name")
              for i in range(300) for j in range(4)]
    result = Definitions([], errors, [f"f{i}" for i in range(300)])
    text = render_invalid_markdown(result, MARKER, full_version="`plan.full.md`")
    assert len(text) <= 65_000
    assert text.startswith(MARKER)
    assert "errors. The full version: `plan.full.md`." in text
    page = rendered(text)
    assert "".join(page.code).count("is not valid") + int(
        text.split("left out ")[1].split(" ")[0]) == 1200


# -- the checks ---------------------------------------------------------------------------


def findings(*campaigns, **config):  # type: ignore[no-untyped-def]
    return run_checks(list(campaigns), CheckConfig(**config), NOW)


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\ufeff", "\u00ad", "\x07"])
def test_an_invisible_character_in_a_body_is_a_warning_naming_it(char: str) -> None:
    (d,) = [d for d in findings(campaign(body=f"Sale{char}now")) if d.code ==
            "invisible-characters"]
    assert d.severity.value == "warning" and d.field == "body"
    assert f"U+{ord(char):04X}" in d.message and "at character 5" in d.message


@settings(max_examples=500, deadline=None)
@given(st.text(), st.booleans())
def test_the_fast_path_for_invisible_characters_agrees_with_the_scan(text: str,
                                                                       newline: bool) -> None:
    from reconciler.checks.review import _scan_invisible, invisible_characters

    assert invisible_characters(text, allow_newline=newline) == \
        _scan_invisible(text, allow_newline=newline)


def test_newlines_in_a_body_are_not_invisible_characters() -> None:
    assert not [d for d in findings(campaign(body="one\ntwo")) if d.code ==
                "invisible-characters"]


def test_a_bidi_override_in_a_name_is_an_error_even_if_configured_as_a_warning() -> None:
    (d,) = [d for d in findings(campaign("Sale\u202etxt.exe"),
                                severity=(("invisible-characters", Severity.WARNING),))
            if d.code == "invisible-characters"]
    assert d.is_error and "U+202E (RIGHT-TO-LEFT OVERRIDE" in d.message


def test_an_nfd_name_is_flagged_as_looking_like_another_spelling() -> None:
    (d,) = [d for d in findings(campaign("Cafe\u0301")) if d.code == "invisible-characters"]
    assert d.is_error and "normal form C" in d.message


def marketing(name: str, when: str | None, list_id: str = "lst_a"):  # type: ignore[no-untyped-def]
    return campaign(name, purpose="marketing", scheduled_at=when, contact_list_id=list_id,
                    body="Sale. Reply STOP to opt out.")


def test_two_marketing_campaigns_to_one_list_within_a_day_are_flagged_with_the_gap() -> None:
    a = marketing("A", "2030-01-02T09:00:00Z")
    b = marketing("B", "2030-01-02T15:00:00Z")
    hits = [d for d in findings(a, b) if d.code == "list-frequency"]
    assert len(hits) == 2
    assert "6.0 hours from the marketing campaign 'A'" in hits[1].message


def test_an_immediate_send_counts_at_plan_time_and_sent_campaigns_count_too() -> None:
    sent = marketing("Sent yesterday", (NOW - timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    new = marketing("Now", None)
    hits = run_checks([new], CheckConfig(), NOW, context=[sent, new])
    (d,) = [d for d in hits if d.code == "list-frequency"]
    assert "20.0 hours from the marketing campaign 'Sent yesterday'" in d.message


def test_list_frequency_respects_the_gap_other_lists_purposes_and_switches() -> None:
    a = marketing("A", "2030-01-02T09:00:00Z")
    assert not [d for d in findings(a, marketing("B", "2030-01-03T10:00:00Z"))
                if d.code == "list-frequency"]
    assert not [d for d in findings(a, marketing("C", "2030-01-02T10:00:00Z", "lst_b"))
                if d.code == "list-frequency"]
    assert not [d for d in findings(a, campaign("T", scheduled_at="2030-01-02T10:00:00Z"))
                if d.code == "list-frequency"]
    b = marketing("B", "2030-01-02T12:00:00Z")
    assert not [d for d in findings(a, b, min_hours_between_marketing=2.0)
                if d.code == "list-frequency"]
    assert not [d for d in findings(a, b, disabled=frozenset({"list-frequency"}))
                if d.code == "list-frequency"]


def _nearest_by_scan(subjects, context, now):  # type: ignore[no-untyped-def]
    """The list-frequency rule as first written: every pair compared (n squared)."""
    checked = {id(c) for c in subjects}
    sends = [((c.sends_at or (now if id(c) in checked else None)), c)
             for c in {id(c): c for c in [*context, *subjects]}.values()
             if c.purpose == "marketing"]
    sends = [(when, c) for when, c in sends if when is not None]
    out = {}
    for c in subjects:
        if c.purpose != "marketing":
            continue
        mine = c.sends_at or now
        out[c.name] = min(((abs(when - mine), other.name) for when, other in sends
                           if other is not c and other.contact_list_id == c.contact_list_id),
                          key=lambda pair: pair[0], default=None)
    return out


@settings(max_examples=300, deadline=None)
@example([("lst_a", 7, True, False), ("lst_a", 3, True, False), ("lst_a", 5, True, True)])
@example([("lst_a", 3, True, False), ("lst_a", 7, True, False), ("lst_a", 5, True, True)])
@example([("lst_a", 5, True, True), ("lst_a", 5, True, True), ("lst_a", 5, True, False)])
@given(st.lists(st.tuples(st.sampled_from(["lst_a", "lst_b"]),
                          st.one_of(st.none(), st.integers(0, 12)),
                          st.booleans(), st.booleans()), max_size=14))
def test_the_nearest_send_to_a_list_is_the_one_a_full_scan_finds(sends) -> None:  # type: ignore[no-untyped-def]
    """The list-frequency check finds, in n log n, what comparing every pair finds: the
    same distance and, on ties, the same campaign."""
    from reconciler.checks.frequency import _Timeline

    campaigns = [campaign(f"C{i}", purpose="marketing" if marketing_ else None,
                          contact_list_id=list_id,
                          scheduled_at=None if hour is None else
                          f"2030-01-02T{hour:02d}:00:00Z")
                 for i, (list_id, hour, marketing_, _) in enumerate(sends)]
    subjects = [c for c, (_, _, _, subject) in zip(campaigns, sends, strict=True) if subject]
    expected = _nearest_by_scan(subjects, campaigns, NOW)
    by_list: dict = {}
    checked = {id(c) for c in subjects}
    for c in {id(c): c for c in [*campaigns, *subjects]}.values():
        when = c.sends_at or (NOW if id(c) in checked else None)
        if c.purpose == "marketing" and when is not None:
            by_list.setdefault(c.contact_list_id, []).append((when, c))
    for c in subjects:
        if c.purpose != "marketing":
            continue
        timeline = _Timeline(by_list[c.contact_list_id])
        found = timeline.nearest(c.sends_at or NOW, c)
        assert (None if found is None else (found[0], found[1].name)) == expected[c.name]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["lst_a", "lst_b"]),
                          st.one_of(st.none(), st.integers(0, 12)),
                          st.booleans(), st.booleans()), max_size=14),
       st.integers(0, 5))
def test_a_send_clear_of_the_others_is_one_whose_nearest_is_at_least_the_gap_away(
        sends, hours) -> None:  # type: ignore[no-untyped-def]
    """The quick answer from the neighbouring sends agrees with the nearest send."""
    from reconciler.checks.frequency import _timelines

    campaigns = [campaign(f"C{i}", purpose="marketing" if marketing_ else None,
                          contact_list_id=list_id,
                          scheduled_at=None if hour is None else
                          f"2030-01-02T{hour:02d}:00:00Z")
                 for i, (list_id, hour, marketing_, _) in enumerate(sends)]
    subjects = [c for c, (_, _, _, subject) in zip(campaigns, sends, strict=True) if subject]
    gap = timedelta(hours=hours)
    timelines = _timelines(subjects, campaigns, NOW)
    for c in subjects:
        if c.purpose != "marketing":
            continue
        timeline, mine = timelines[c.contact_list_id], c.sends_at or NOW
        nearest = timeline.nearest(mine, c)
        assert timeline.clear_of(mine, gap) == (nearest is None or nearest[0] >= gap)


def test_the_new_checks_can_be_configured_in_the_configuration(tmp_path: Path) -> None:
    from reconciler.config import load_config

    (tmp_path / ".campaigns.yaml").write_text(
        "checks:\n  disable: [invisible-characters]\n  min_hours_between_marketing: 48\n",
        encoding="utf-8")
    config, problems = load_config(folder=tmp_path)
    assert problems == []
    assert "invisible-characters" in config.disabled
    assert config.min_hours_between_marketing == 48.0

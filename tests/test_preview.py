"""What a reviewer sees of each message, in JSON, Markdown (rendered as GitHub would) and
text."""

from __future__ import annotations

import json

import pytest
from builders import campaign, plan_of

from reconciler.remote import Credits
from reconciler.render.plan import render_json
from reconciler.schema import validator_for

TEMPLATE = {"name": "summer_launch", "language": {"code": "pt_PT"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "VIP"}]}]}
EMOJI_SMS = "a" * 100 + "😀" + "b" * 49


def campaigns() -> list:
    return [
        campaign("Sms", body=EMOJI_SMS),
        campaign("Wa", channel="whatsapp", sender_id="+244", body="*20% off* this weekend"),
        campaign("Tpl", channel="whatsapp", sender_id="+244", body=None, template=TEMPLATE,
                 template_text="Olá {{1}}, a coleção chegou."),
        campaign("Slack", channel="slack", sender_id="bot", body="Shipped :tada: <!channel>"),
    ]


def previews() -> dict[str, dict]:
    doc = json.loads(render_json(plan_of(campaigns(), credits=Credits(10**6, "USD"), senders=None)))
    assert list(validator_for("plan.schema.json").iter_errors(doc)) == []
    return {c["name"]: c["preview"] for c in doc["campaigns"]}


def test_the_json_preview_of_an_sms_has_its_encoding_segments_and_flagged_characters() -> None:
    sms = previews()["Sms"]
    assert sms["encoding"] == "UCS-2"
    assert [(s["start"], s["end"]) for s in sms["segments"]] == [(0, 67), (67, 133),
                                                                 (133, 150)]
    assert sms["flags"] == [{"offset": 100, "char": "😀", "kind": "ucs2"}]


def test_the_json_preview_has_the_displayed_text_and_its_spans() -> None:
    found = previews()
    assert found["Wa"]["text"] == "20% off this weekend"
    assert found["Wa"]["spans"] == [{"start": 0, "end": 7, "kind": "bold", "target": None}]
    assert found["Tpl"]["text"] == "Olá VIP, a coleção chegou."


def test_the_json_preview_has_the_mass_mentions() -> None:
    slack = previews()["Slack"]
    assert slack["text"] == "Shipped 🎉 @channel"
    assert [(m["source"], m["name"]) for m in slack["mentions"]] == [("<!channel>", "channel")]


# -- Markdown, rendered as GitHub would ---------------------------------------------------


def comment_html(cs: list) -> str:
    from markdown_it import MarkdownIt

    from reconciler.render.plan import render_markdown

    markdown = render_markdown(plan_of(cs, credits=Credits(10**6, "USD"), senders=None))
    return MarkdownIt("gfm-like", {"linkify": True, "html": True}).render(markdown)


def text_of(html: str) -> str:
    import re
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", html))


def test_whatsapp_bold_is_strong_in_the_comment() -> None:
    assert "<strong>20% off</strong> this weekend" in comment_html(campaigns())


def test_slack_emoji_are_resolved_and_a_mass_mention_is_flagged_at_its_message() -> None:
    html = comment_html([campaigns()[3]])
    assert "Shipped 🎉" in html and ":tada:" not in text_of(html).split("Sent as written")[0]
    assert "mass-mention:</strong> <code>&lt;!channel&gt;</code> notifies every member" in html


def test_an_sms_shows_its_encoding_where_it_splits_and_the_emoji_that_forced_ucs2() -> None:
    html = comment_html([campaigns()[0]])
    assert "SMS from <code>BRAND</code>: UCS-2, 3 segments" in html
    assert "a" * 67 + "<sup>✂ 2/3</sup>" in html and "<sup>✂ 3/3</sup>" in html
    assert "<code>😀</code>" in html and "<code>😀</code> (U+1F600) at character 101" in html


def test_a_template_shows_its_text_filled_with_its_parameters() -> None:
    assert "Olá VIP, a coleção chegou." in text_of(comment_html([campaigns()[2]]))


HOSTILE = ("</details> <!-- x --> --> <img src=x onerror=alert(1)> <script>s()</script>\n"
           "````` fence\n</summary></blockquote> | cell | @octocat #12 <!channel>\n"
           "*bold ~strike _it_~* `code` ```pre``` &amp; &lt;b&gt;")


@pytest.mark.parametrize("channel", ["sms", "whatsapp", "slack", "telegram", "email"])
def test_nothing_a_message_holds_escapes_its_block(channel: str) -> None:
    from html.parser import HTMLParser

    html = comment_html([campaign("Hostile </details>", channel=channel, sender_id="X",
                                  body=HOSTILE), campaign("After", body="tail")])
    tags: list[str] = []
    depth: list[int] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)
            if tag == "details":
                depth.append(1)

        def handle_endtag(self, tag):
            if tag == "details":
                depth.pop()

        def handle_comment(self, data):
            tags.append("comment")

    Tags().feed(html)
    allowed = {"h3", "p", "strong", "em", "del", "ins", "sup", "br", "code", "pre", "table",
               "thead", "tbody", "tr", "th", "td", "details", "summary", "blockquote", "ul",
               "li"}
    assert set(tags) - {"comment"} <= allowed, set(tags) - allowed
    assert tags.count("comment") == 1  # the marker, and only it
    assert tags.count("details") == html.count("</details>") and depth == []
    # the next message is a block of its own, at the top level: the first one closed
    before = html[:html.index("<summary><code>After</code>")]
    assert before.count("<details") - before.count("</details>") == 1
    assert "fence" in before


# -- text -----------------------------------------------------------------------------------


def plan_text(color: bool) -> str:
    from reconciler.render.plan import render_text

    return render_text(plan_of(campaigns(), senders=None), color=color)


def test_the_text_plan_styles_formatting_only_with_colour() -> None:
    assert "\x1b[1m20% off\x1b[0m this weekend" in plan_text(color=True)
    plain = plan_text(color=False)
    assert "\x1b" not in plain and "│ 20% off this weekend" in plain


def test_the_text_plan_marks_segment_starts_and_ucs2_characters_without_colour() -> None:
    plain = plan_text(color=False)
    assert "│ " + "a" * 67 + "⟨2⟩" + "a" * 33 + "[😀]" + "b" * 32 + "⟨3⟩" in plain
    assert "⚠ mass-mention: <!channel> notifies every member of the channel" in plain


# -- the summary ----------------------------------------------------------------------------


def test_lists_of_unknown_size_are_unknown_never_about_zero() -> None:
    from reconciler.render.plan import totals_line

    line = totals_line(plan_of(campaigns(), senders=None))
    assert line == ("This apply: 4 campaigns; recipients and credits unknown: 1 list of "
                    "unknown size (lst_a).")


def test_known_and_unknown_lists_are_summed_apart() -> None:
    from reconciler.checks.config import CheckConfig
    from reconciler.render.plan import totals_line

    plan = plan_of([campaign("A"), campaign("B", contact_list_id="lst_b")], senders=None,
                   checks=CheckConfig(list_sizes=(("lst_a", 100),)))
    assert totals_line(plan) == (
        "This apply: 2 campaigns; about 100 recipients and 100 credits for the 1 campaign "
        "to lists of known size; unknown for 1 campaign to 1 list of unknown size (lst_b).")

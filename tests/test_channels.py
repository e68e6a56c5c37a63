"""Each channel's view of a message: what the recipient reads, and what stands in it."""

from __future__ import annotations

import itertools

import pytest
from builders import campaign
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.channels import email, slack, sms, telegram, whatsapp
from reconciler.channels.sms import Segment, segments, sms_info

# -- SMS ------------------------------------------------------------------------------------


def test_a_150_character_sms_with_one_emoji_is_ucs2_in_three_segments() -> None:
    body = "a" * 100 + "😀" + "b" * 49
    shown = sms.view(body, "BRAND")
    assert len(body) == 150 and shown.encoding == "UCS-2"
    # 151 UTF-16 units, 67 a segment: the emoji's two units fall in the second
    assert [(s.start, s.end) for s in shown.segments] == [(0, 67), (67, 133), (133, 150)]
    assert [(f.offset, f.char, f.kind) for f in shown.flags] == [(100, "😀", "ucs2")]


def test_an_emoji_at_a_segment_boundary_moves_whole_to_the_next_segment() -> None:
    body = "a" * 66 + "😀" + "a" * 10  # the pair would be units 67 and 68
    assert segments(body) == (Segment(0, 66), Segment(66, 77))


def test_a_euro_sign_at_septet_153_starts_the_next_segment() -> None:
    body = "a" * 152 + "€" + "a" * 20  # its escape would be the 153rd septet, € the 154th
    info = sms_info(body)
    assert info.encoding == "GSM-7"
    assert info.bounds == (Segment(0, 152), Segment(152, 173))
    assert info.extension == (("€", 152),)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("aZ0 @£$\n€[]^{}~|ãçñ😀"),
                                  st.characters()), max_size=400))
def test_the_fast_path_of_sms_info_agrees_with_the_walk_through_each_character(
        body: str) -> None:
    from reconciler.channels.sms import _measured, septets

    assert sms_info(body) == _measured(body, [septets(ch) for ch in body])


def test_segments_cover_the_body_without_gaps() -> None:
    body = "x" * 400
    bounds = segments(body)
    assert bounds[0].start == 0 and bounds[-1].end == len(body)
    assert all(a.end == b.start for a, b in itertools.pairwise(bounds))


def test_a_short_sms_is_one_segment() -> None:
    assert segments("hello") == (Segment(0, 5),)


def test_extension_characters_are_flagged_as_taking_two_septets() -> None:
    shown = sms.view("Price: 5€ [now]", "BRAND")
    assert [(f.char, f.kind) for f in shown.flags] == [
        ("€", "extension"), ("[", "extension"), ("]", "extension")]


@pytest.mark.parametrize(("sender", "shown"), [
    ("MYBRAND", "MYBRAND"), ("MYBRANDSTORE2030", "MYBRANDSTOR"), ("+244912000000",
                                                                  "+244912000000")])
def test_the_sender_as_a_handset_shows_it(sender: str, shown: str) -> None:
    assert sms.view("hi", sender).sender == shown


def test_a_cut_sender_is_said() -> None:
    assert "'MYBRANDSTOR'" in sms.view("hi", "MYBRANDSTORE2030").notes[0]


# -- WhatsApp -------------------------------------------------------------------------------


def spans(text: str) -> list[tuple[str, str]]:
    shown, found = whatsapp.formatted(text)
    return [(shown[s.start:s.end], s.kind) for s in found]


def test_whatsapp_bold_drops_its_markers() -> None:
    assert whatsapp.formatted("*20% off* this weekend")[0] == "20% off this weekend"
    assert spans("*20% off* this weekend") == [("20% off", "bold")]


@pytest.mark.parametrize(("text", "found"), [
    ("_italic_ and ~gone~", [("italic", "italic"), ("gone", "strike")]),
    ("`a *b*`", [("a *b*", "code")]),
    ("```x = *1*```", [("x = *1*", "monospace")]),
    ("*bold _and italic_*", [("bold and italic", "bold"), ("and italic", "italic")]),
])
def test_whatsapp_markers(text: str, found: list[tuple[str, str]]) -> None:
    assert spans(text) == found


@pytest.mark.parametrize("text", ["*half a message bold", "2*3*4 = 24", "a * b * c", "**",
                                  "* not bold*"])
def test_unbalanced_or_word_internal_markers_stay_literal(text: str) -> None:
    assert whatsapp.formatted(text) == (text, ())


def test_snake_case_words_keep_their_underscores() -> None:
    assert spans("_snake_case_words_") == [("snake_case_words", "italic")]
    assert spans("see snake_case_words here") == []


def test_a_url_with_asterisks_and_underscores_is_one_link() -> None:
    text = "Shop at https://myapp.ao/a_b_c*d*e now"
    shown, found = whatsapp.formatted(text)
    assert shown == text
    assert [(s.kind, s.target) for s in found] == [("link", "https://myapp.ao/a_b_c*d*e")]


def test_quotes_and_lists() -> None:
    shown, found = whatsapp.formatted("> said\n- one\n2. two")
    assert shown == "said\n- one\n2. two"
    assert [(shown[s.start:s.end], s.kind) for s in found] == [
        ("said", "quote"), ("- ", "list"), ("2. ", "list")]


TEMPLATE = {"name": "summer_launch", "language": {"code": "pt_PT"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "VIP"}]}]}


def test_a_template_text_is_filled_with_the_body_parameters() -> None:
    shown = whatsapp.view(None, TEMPLATE, "+244", "Olá {{1}}, a coleção chegou.")
    assert shown.text == "Olá VIP, a coleção chegou."
    assert [(s.kind, s.target) for s in shown.spans] == [("placeholder", "1")]
    assert '"name": "summer_launch"' in shown.sent  # what is sent is the template


def test_without_template_text_the_view_names_the_template_and_its_parameters() -> None:
    shown = whatsapp.view(None, TEMPLATE, "+244")
    assert shown.text == ""
    assert "approved template 'summer_launch'" in shown.notes[0]
    assert shown.details == (("template", "summer_launch"), ("language", "pt_PT"),
                             ("body {{1}}", "VIP"))


def test_a_placeholder_without_a_parameter_stays_as_written() -> None:
    shown = whatsapp.view(None, TEMPLATE, "+244", "{{1}} and {{2}}")
    assert shown.text == "VIP and {{2}}" and "no parameter" in shown.notes[0]


# -- Slack ----------------------------------------------------------------------------------


def test_slack_shortcodes_become_emoji() -> None:
    assert slack.view("Shipped :tada: :wrench: :+1:", "bot").text == "Shipped 🎉 🔧 👍"


def test_an_unknown_shortcode_stays_as_written() -> None:
    assert slack.view("see :not_an_emoji_at_all:", "bot").text == "see :not_an_emoji_at_all:"


@pytest.mark.parametrize(("body", "source", "name"), [
    ("<!channel> deploy", "<!channel>", "channel"), ("<!here> now", "<!here>", "here"),
    ("<!everyone> hi", "<!everyone>", "everyone"), ("cc @channel", "@channel", "channel"),
    ("ping @here.", "@here", "here")])
def test_mass_mentions_are_found(body: str, source: str, name: str) -> None:
    (mention,) = slack.view(body, "bot").mentions
    assert (mention.source, mention.name) == (source, name)


def test_an_address_is_not_a_mention() -> None:
    assert slack.view("write to ops@here.ao", "bot").mentions == ()


def test_slack_links_show_their_label_and_keep_their_target() -> None:
    shown = slack.view("Read <https://x.io/a_b|the notes> &amp; <@U123>", "bot")
    assert shown.text == "Read the notes & @U123"
    assert [(s.kind, s.target) for s in shown.spans] == [
        ("link", "https://x.io/a_b"), ("mention", "U123")]


def test_slack_mrkdwn() -> None:
    shown = slack.view("*bold* _it_ ~no~", "bot")
    assert shown.text == "bold it no"
    assert [s.kind for s in shown.spans] == ["bold", "italic", "strike"]


# -- Telegram and email ---------------------------------------------------------------------


def test_telegram_is_plain_text_with_links_marked() -> None:
    shown = telegram.view("*not bold* https://t.me/x_y", "Bot")
    assert shown.text == "*not bold* https://t.me/x_y"
    assert [(s.kind, s.target) for s in shown.spans] == [("link", "https://t.me/x_y")]


def test_email_wraps_long_lines_as_a_mail_client_does() -> None:
    body = "word " * 30 + "\n\nshort line"
    shown = email.view(body, "news@myapp.ao")
    assert all(len(line) <= email.WIDTH for line in shown.text.split("\n"))
    assert shown.text.endswith("\n\nshort line") and shown.sent == body
    assert shown.sender == "news@myapp.ao"


def test_email_never_breaks_a_url() -> None:
    url = "https://myapp.ao/" + "x" * 90
    assert url in email.view(f"Read {url} today", "a@b.ao").text.split("\n")


# -- a campaign's view ----------------------------------------------------------------------


def test_a_campaign_view_uses_its_channel_and_is_made_once() -> None:
    c = campaign(channel="slack", sender_id="bot", body=":tada:")
    assert c.view().text == "🎉" and c.view() is c.view()


def test_template_text_is_never_in_the_payload() -> None:
    c = campaign(channel="whatsapp", body=None, template=TEMPLATE,
                 template_text="Olá {{1}}, a coleção chegou.")
    assert "template_text" not in c.payload() and "coleção" not in str(c.payload())

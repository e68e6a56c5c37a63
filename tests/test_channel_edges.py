"""The recipient's view at its edges: each channel's exact text and spans, where a marker
opens and closes, where a quote ends, which of two overlapping pieces is kept, how email
wraps, and how WhatsApp shows a template's parameters."""

from __future__ import annotations

from builders import campaign

from reconciler.channels import email, slack, sms, telegram, view_of, whatsapp
from reconciler.channels.markup import Atom, Formatted, line_atoms, parse, without_overlaps
from reconciler.channels.view import Mention, MessageView, Span

# -- SMS: UTF-16 units -------------------------------------------------------------------------


def test_only_a_character_beyond_the_basic_plane_takes_two_ucs2_units() -> None:
    assert sms.sms_info("\uffff").length == 1  # the last code point of the basic plane
    assert sms.sms_info("\U00010000").length == 2  # the first beyond it: a surrogate pair
    assert sms.sms_info("\U00010001").length == 2


def test_a_character_takes_one_septet_two_from_the_extension_table_or_none() -> None:
    assert [sms.septets(ch) for ch in "a€[ж"] == [1, 2, 2, 0]


def test_a_segment_holds_fewer_characters_once_a_message_takes_more_than_one() -> None:
    assert [(i.segments, i.per_segment) for i in map(sms.sms_info, (
        "a" * 160, "a" * 161, "ж" * 70, "ж" * 71))] == [(1, 160), (2, 153), (1, 70), (2, 67)]


# -- markup: where a marker opens and closes -----------------------------------------------------


def test_a_marker_right_after_a_word_does_not_open() -> None:
    assert parse("a*b* c") == Formatted("a*b* c", ())
    assert parse("a*b*") == Formatted("a*b*", ())  # the word is the first character


def test_a_marker_followed_by_a_word_does_not_close() -> None:
    assert parse("*a*b") == Formatted("*a*b", ())


def test_a_marker_after_a_space_does_not_close() -> None:
    assert parse("*ab * x") == Formatted("*ab * x", ())


def test_one_character_can_be_formatted() -> None:
    assert parse("*a* b") == Formatted("a b", (Span(0, 1, "bold"),))


def test_formatting_never_crosses_a_line() -> None:
    assert parse("*a\nb*") == Formatted("*a\nb*", ())


def test_a_marker_inside_a_link_neither_closes_nor_is_lost() -> None:
    source = "*see https://x.io/a* now*"
    assert parse(source, line_atoms(source)) == Formatted(
        "see https://x.io/a* now",
        (Span(0, 23, "bold"), Span(4, 19, "link", "https://x.io/a*")))


def test_an_outer_span_comes_before_one_that_starts_with_it() -> None:
    assert parse("*_a_ b*") == Formatted(
        "a b", (Span(0, 3, "bold"), Span(0, 1, "italic")))


# -- markup: quotes -------------------------------------------------------------------------------


def test_each_quote_runs_to_the_end_of_its_own_line() -> None:
    view = whatsapp.view("> a\n> b *c*\n>\nend", None, "S")
    assert view.text == "a\nb c\n\nend"
    assert view.spans == (Span(0, 1, "quote"), Span(2, 5, "quote"), Span(4, 5, "bold"),
                          Span(6, 6, "quote"))


def test_a_quote_on_the_last_line_runs_to_the_end() -> None:
    assert whatsapp.view("> last", None, "S").spans == (Span(0, 4, "quote"),)


def test_an_empty_quote_on_the_first_line_is_empty() -> None:
    view = whatsapp.view(">\nnext", None, "S")
    assert view.text == "\nnext"
    assert view.spans == (Span(0, 0, "quote"),)


# -- markup: overlapping pieces ------------------------------------------------------------------


def test_of_two_pieces_that_start_together_the_longer_is_kept() -> None:
    short, long = Atom(0, 3, "s"), Atom(0, 5, "l")
    assert without_overlaps([short, long]) == [long]


def test_pieces_that_only_touch_are_both_kept() -> None:
    first, second, inside = Atom(0, 3, "a"), Atom(3, 5, "b"), Atom(1, 2, "c")
    assert without_overlaps([second, inside, first]) == [first, second]


# -- email ---------------------------------------------------------------------------------------


def test_a_line_of_exactly_the_width_is_left_as_it_is() -> None:
    line = "a" * 70 + "  "
    assert email.wrapped(line) == line


def test_a_long_line_is_wrapped_at_72_characters() -> None:
    assert email.wrapped("x" * 69 + " yy zzz") == "x" * 69 + " yy\nzzz"


def test_wrapping_keeps_hyphenated_words_whole() -> None:
    assert email.wrapped("word " * 13 + "well-known-thing end") == \
        "word " * 12 + "word\nwell-known-thing end"


def test_wrapped_lines_lose_the_spaces_where_they_were_cut() -> None:
    assert email.wrapped("ab " * 30) == "ab " * 23 + "ab\n" + "ab " * 5 + "ab"


def test_a_long_line_of_spaces_becomes_an_empty_line() -> None:
    assert email.wrapped("top\n" + " " * 80 + "\nend") == "top\n\nend"


def test_an_emails_links_are_marked_in_the_wrapped_text() -> None:
    body = "Read https://x.io/a."
    assert email.view(body, "news@x.io") == MessageView(
        "email", "news@x.io", body, body, (Span(5, 19, "link", "https://x.io/a"),))


# -- telegram -----------------------------------------------------------------------------------


def test_telegram_shows_the_body_with_its_links() -> None:
    body = "see https://a.io/x. and www.b.io"
    assert telegram.view(body, "T") == MessageView(
        "telegram", "T", body, body,
        (Span(4, 18, "link", "https://a.io/x"), Span(24, 32, "link", "www.b.io")))


# -- slack ---------------------------------------------------------------------------------------


def test_slack_shows_each_kind_of_special_text_as_the_app_does() -> None:
    body = ("<!here> <!channel|all> <!subteam^S123|@team> <!subteam^S9> <#C1|general> "
            "<#C2> <@U1> <@U2|bob> <https://x.io|X> <https://y.io>")
    view = slack.view(body, "S")
    assert view.channel == "slack"
    assert view.sent == body
    assert view.text == "@here @channel @team @subteam #general #C2 @U1 @bob X https://y.io"
    assert view.spans == (
        Span(0, 5, "mention", "here"), Span(6, 14, "mention", "channel"),
        Span(15, 20, "mention", "subteam"), Span(21, 29, "mention", "subteam"),
        Span(30, 38, "mention", "C1"), Span(39, 42, "mention", "C2"),
        Span(43, 46, "mention", "U1"), Span(47, 51, "mention", "U2"),
        Span(52, 53, "link", "https://x.io"), Span(54, 66, "link", "https://y.io"))
    assert view.mentions == (Mention(0, "<!here>", "here"),
                             Mention(6, "<!channel|all>", "channel"))


def test_slack_shows_monospace_emoji_and_entities() -> None:
    view = slack.view("```a *b*``` :tada: :nope: &amp; &lt;x&gt; @everyone", "S")
    assert view.text == "a *b* 🎉 :nope: & <x> @everyone"
    assert view.spans == (Span(0, 5, "monospace"), Span(6, 7, "emoji", ":tada:"),
                          Span(21, 30, "mention", "everyone"))
    assert view.mentions == (Mention(21, "@everyone", "everyone"),)


def test_each_mass_mention_says_who_it_notifies() -> None:
    assert [Mention(0, "", name).who for name in ("channel", "here", "everyone")] == [
        "every member of the channel, online or not",
        "every member of the channel who is online",
        "every member of the workspace (in its #general channel)"]


# -- whatsapp ------------------------------------------------------------------------------------


def test_a_whatsapp_message_without_a_body_or_template_is_empty() -> None:
    assert whatsapp.view(None, None, "S") == MessageView("whatsapp", "S", "", "", ())


def test_a_template_without_its_text_shows_what_it_sends_and_its_details() -> None:
    template = {"name": "promo", "language": {"code": "pt_PT"},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ana"}]}]}
    view = whatsapp.view(None, template, "S")
    assert (view.channel, view.sender, view.text) == ("whatsapp", "S", "")
    assert view.sent == (
        '{\n  "name": "promo",\n  "language": {\n    "code": "pt_PT"\n  },\n  "components": [\n'
        '    {\n      "type": "body",\n      "parameters": [\n        {\n          "type": '
        '"text",\n          "text": "Ana"\n        }\n      ]\n    }\n  ]\n}')
    assert view.details == (("template", "promo"), ("language", "pt_PT"), ("body {{1}}", "Ana"))
    assert len(view.notes) == 1
    assert "'promo'" in view.notes[0]


def test_the_body_components_parameters_fill_the_text_not_another_components() -> None:
    template = {"name": "t", "components": [
        "not a component",
        {"type": "header", "parameters": [{"type": "text", "text": "HEADER"}]},
        {"type": "body", "parameters": [{"type": "text", "text": "Ana"}]}]}
    assert whatsapp.body_parameters(template) == ["Ana"]
    view = whatsapp.view(None, template, "S", "Hi {{1}}")
    assert view.text == "Hi Ana"
    assert view.spans == (Span(3, 6, "placeholder", "1"),)
    assert view.notes == ()


def test_each_kind_of_parameter_reads_as_the_customer_sees_it() -> None:
    template = {"name": "t", "components": [{"type": "body", "parameters": [
        "plain", 5, {"type": "text", "text": "Ana"}, {"type": "button", "payload": "YES"},
        {"type": "currency", "z": 1, "fallback": "€5"}]}]}
    assert whatsapp.body_parameters(template) == [
        "plain", "5", "Ana", "YES", '{"fallback": "€5", "z": 1}']


def test_a_templates_details_name_each_components_parameters() -> None:
    template = {"name": "t", "language": "en", "components": [
        "not a component",
        {"parameters": ["x"]},
        {"type": "header", "parameters": [{"type": "text", "text": "H"}]},
        {"type": "body", "parameters": ["a", "b"]}]}
    view = whatsapp.view(None, template, "S", "{{1}} {{2}}")
    assert view.details == (
        ("template", "t"), ("language", "None"), ("component {{1}}", "x"),
        ("header {{1}}", "H"), ("body {{1}}", "a"), ("body {{2}}", "b"))


# -- any channel ---------------------------------------------------------------------------------


def test_a_message_without_a_body_is_seen_as_empty_on_every_channel() -> None:
    for channel in ("telegram", "email", "slack", "sms"):
        view = view_of(campaign(channel=channel, body=None))
        assert (view.channel, view.text, view.sent) == (channel, "", "")


# -- edges the mutation run found unpinned ---------------------------------------------------------


def test_a_long_plain_gsm_message_is_cut_153_septets_a_segment() -> None:
    info = sms.sms_info("a" * 307)
    assert (info.encoding, info.length, info.segments) == ("GSM-7", 307, 3)
    assert info.bounds == ((0, 153), (153, 306), (306, 307))


def test_extension_characters_count_two_septets_against_the_single_segments_160() -> None:
    assert sms.sms_info("€" + "a" * 158).segments == 1  # 160 septets
    info = sms.sms_info("€" + "a" * 159)  # 161 septets
    assert (info.encoding, info.length, info.segments) == ("GSM-7", 161, 2)
    assert info.extension == (("€", 0),)


def test_line_and_paragraph_separators_are_unseen_separators_and_a_letter_is_seen() -> None:
    from reconciler.channels.unseen import kind_of

    assert kind_of("\u2028") == "separator"
    assert kind_of("\u2029") == "separator"
    assert kind_of("a") is None and kind_of(" ") is None


def test_a_whatsapp_templates_notes_say_what_to_do_in_so_many_words() -> None:
    template = {"name": "promo", "components": [{"type": "body", "parameters": ["Ana"]}]}
    assert whatsapp.view(None, template, "S").notes == (
        "the text lives in the approved template 'promo'; give it in `template_text` to see "
        "it here as customers will",)
    assert whatsapp.view(None, template, "S", "{{1}} and {{2}}").notes == (
        "a placeholder has no parameter: WhatsApp rejects the message",)

"""A message's displayed text escaped for Markdown by `str.translate`, and searched for
what GitHub would link only when it may hold some, shows exactly what the escaping a
character at a time, searching every text, showed: the same bytes, on any text. So does
an SMS marked for the terminal a stretch at a time."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.channels import sms
from reconciler.render import message
from reconciler.render.markdown import code

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def escaped_a_character_at_a_time(text: str) -> str:
    """The escaping as it was first written: one decision a character."""
    out = []
    for ch in text:
        if ch in _PUNCTUATION:
            out.append("\\" + ch)
        elif ch == "\t":
            out.append(" ")
        elif ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(code(f"<U+{ord(ch):04X}>"))
        else:
            out.append(ch)
    return "".join(out)


def escaped_as_first_written(text: str) -> str:
    """`escaped` as it was first written: every text searched for references, and the
    rest escaped a character at a time."""
    out, last = [], 0
    for m in message._GITHUB_REFERENCE.finditer(text):
        out += (escaped_a_character_at_a_time(text[last:m.start()]), code(m.group()))
        last = m.end()
    out.append(escaped_a_character_at_a_time(text[last:]))
    return "".join(out)


def marked_a_character_at_a_time(text: str, a: int, b: int, ucs2: Sequence[int]) -> str:
    return "".join(code(text[i]) if i in ucs2 else escaped_a_character_at_a_time(text[i])
                   for i in range(a, b))


# Text a definition may hold, weighted towards what escaping decides on: punctuation,
# tabs and newlines, controls, bidi and zero-width characters, separators, emoji, and
# characters that make an SMS UCS-2.
TRICKY = st.sampled_from(sorted(_PUNCTUATION) + list(
    "\t\n\r\x00\x1b\x7f\x85\xad\u200b\u200d\u200e\u202e\u2066\u2028\u2029\ufeff"
    "é€ção🙂👍🏽ΩЖ漢 "))
TEXT = st.one_of(st.text(), st.text(alphabet=TRICKY), st.text(
    alphabet=st.one_of(TRICKY, st.characters()), max_size=300))


@settings(max_examples=500)
@given(TEXT)
def test_markdown_escaping_equals_the_escaping_a_character_at_a_time(text: str) -> None:
    assert message._escape_chars(text) == escaped_a_character_at_a_time(text)


# Text with what GitHub links or notifies, and near misses of it.
REFERENCES = st.lists(st.one_of(TRICKY, st.sampled_from(
    ["@", "#", "#12", "a#3", "http", "https://", "http://x.ao/a_b)", "www.", "www.x.ao.",
     "me@x.ao", "a.b+c@d-e.f/g", "@team", "ht", "tp", "w", "ww.", "12", "x", "_"])),
    max_size=40).map("".join)


@settings(max_examples=500)
@given(st.one_of(TEXT, REFERENCES))
def test_escaped_text_equals_the_text_searched_and_escaped_everywhere(text: str) -> None:
    assert message.escaped(text) == escaped_as_first_written(text)


@settings(max_examples=200)
@given(TEXT)
def test_the_escaping_is_the_same_once_its_table_is_full(text: str) -> None:
    class Small(message._Escapes):
        KEEP = len(_PUNCTUATION) + 3  # three characters remembered, the rest looked up

    table = Small()
    for _ in range(2):  # the second time, from what the first one kept
        assert text.translate(table) == escaped_a_character_at_a_time(text)
    assert len(table) <= Small.KEEP


def test_a_character_that_shows_nothing_is_named_in_code_and_punctuation_is_escaped() -> None:
    assert message._escape_chars("a\u202eb\tc*d\ne") == "a`<U+202E>`b c\\*d\ne"


SMS_BODY = st.one_of(st.text(alphabet=TRICKY, max_size=400), REFERENCES, st.lists(st.sampled_from(
    ["Olá ", "see https://shop.example/a_b ", "mail me@x.ao ", "#12 ", "€", "[x] ", "🙂",
     "a" * 150, "\t", "\u202e", "*bold* "]), max_size=30).map("".join))


@settings(max_examples=300)
@given(SMS_BODY)
def test_an_sms_in_markdown_is_the_same_as_marked_a_character_at_a_time(
        body: str) -> None:
    view = sms.view(body, "BRAND")
    now = message.bubble(view)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(message, "_marked_ucs2", marked_a_character_at_a_time)
        patch.setattr(message, "_references", message._GITHUB_REFERENCE.finditer)
        then = message.bubble(view)
    assert now == then


def sms_text_a_character_at_a_time(view: message.MessageView, color: bool) -> str:
    """`_sms_text` as it was first written: each character made safe, and marked, alone."""
    ucs2 = {f.offset for f in view.flags if f.kind == "ucs2"}
    starts = {s.start: s.number for s in view.segments if s.number > 1}
    pieces = []
    for offset, ch in enumerate(view.text):
        if offset in starts:
            pieces.append(message.paint(f"⟨{starts[offset]}⟩", color, dim=True) if color
                          else f"⟨{starts[offset]}⟩")
        if offset in ucs2:
            pieces.append(message.paint(ch, True, fg="red", reverse=True) if color
                          else f"[{message.safe(ch)}]")
        else:
            pieces.append(message.paint(ch, False))
    return "".join(pieces)


@settings(max_examples=300)
@given(SMS_BODY, st.booleans())
def test_an_sms_at_a_terminal_is_the_same_as_marked_a_character_at_a_time(
        body: str, color: bool) -> None:
    view = sms.view(body, "BRAND")
    assert message._sms_text(view, color) == sms_text_a_character_at_a_time(view, color)

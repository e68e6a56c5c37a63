"""A message's displayed text escaped for Markdown by `str.translate` shows exactly what
the escaping a character at a time showed: the same bytes, on any text."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

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


SMS_BODY = st.one_of(st.text(alphabet=TRICKY, max_size=400), st.lists(st.sampled_from(
    ["Olá ", "see https://shop.example/a_b ", "mail me@x.ao ", "#12 ", "€", "[x] ", "🙂",
     "a" * 150, "\t", "\u202e", "*bold* "]), max_size=30).map("".join))


@settings(max_examples=300)
@given(SMS_BODY)
def test_an_sms_in_markdown_is_the_same_as_marked_a_character_at_a_time(
        body: str) -> None:
    view = sms.view(body, "BRAND")
    now = message.bubble(view)
    before = message._marked_ucs2
    message._marked_ucs2 = marked_a_character_at_a_time
    try:
        then = message.bubble(view)
    finally:
        message._marked_ucs2 = before
    assert now == then

"""Characters a reader cannot see, in one table: the checks flag them, the definitions refuse
them in names, and every renderer shows them by name (`<U+202E>`) instead of passing them on.

Each entry is a named set; `kind_of` says what a character is in the words a finding uses.
"""

from __future__ import annotations

import unicodedata
from typing import Final, Literal

BIDI_CONTROLS: Final = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides: LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # isolates: LRI, RLI, FSI, PDI
)
"""Reorder the text that follows them: the trick of a name or link that reads backwards."""

BIDI_MARKS: Final = frozenset("\u200e\u200f")
"""Left-to-right and right-to-left marks: invisible, and they move the text around them."""

ZERO_WIDTH: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff")
"""Zero-width space, non-joiner, joiner, word joiner and the byte-order mark."""

EMOJI_JOINER: Final = "\u200d"
"""The zero-width joiner, which also builds emoji (a family, a flag): renderers keep it."""

LINE_SEPARATORS: Final = frozenset("\u2028\u2029")
"""Line and paragraph separators: a line break most readers do not expect."""

HIDDEN_CATEGORIES: Final = frozenset(("Cc", "Cf", "Zl", "Zp"))
"""Unicode categories that show as nothing: controls, format characters (every entry above
but the separators is one), line and paragraph separators."""

Kind = Literal["bidi", "zero-width", "format", "control", "separator"]

KIND_WORDS: Final[dict[Kind, str]] = {
    "bidi": "a bidi control, which reorders the text around it",
    "zero-width": "a zero-width character",
    "format": "an invisible format character",
    "control": "a control character",
    "separator": "a line or paragraph separator",
}


def hidden(ch: str) -> bool:
    """Whether `ch` shows as nothing, or reorders what is around it."""
    return unicodedata.category(ch) in HIDDEN_CATEGORIES


def kind_of(ch: str) -> Kind | None:
    """What `ch` is, when a reader cannot see it; None for a visible character."""
    if ch in BIDI_CONTROLS or ch in BIDI_MARKS:
        return "bidi"
    if ch in ZERO_WIDTH:
        return "zero-width"
    category = unicodedata.category(ch)
    if category == "Cf":
        return "format"
    if category == "Cc":
        return "control"
    if category in ("Zl", "Zp"):
        return "separator"
    return None

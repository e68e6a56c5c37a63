"""Inline formatting as WhatsApp and Slack read it: `*bold*`, `_italic_`, `~strike~`,
`` `code` ``, each on one line.

A marker opens only where it is not inside a word (at the start, or after a space or
punctuation) and is followed by a non-space; it closes at the first same marker that
follows a non-space and is not inside a word. Anything else, an unbalanced marker or a
word-internal one (`snake_case`), stays literal, as those apps leave it. Pieces of the
source that formatting cannot reach into (a URL, a Slack `<...>`, an emoji shortcode) are
given as atoms: each is shown as its own text, whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reconciler.channels.view import Span, SpanKind

# A URL, without the punctuation that usually ends the sentence around it.
URL = re.compile(r"(?:https?://|www\.)[^\s<>]*[^\s<>.,;:!?'\")\]]")
_LINE_START = re.compile(r"^(?:(?P<quote>> ?)|(?P<item>[-•] |\d{1,3}[.)] ))", re.MULTILINE)
MARKERS: Mapping[str, SpanKind] = {"*": "bold", "_": "italic", "~": "strike", "`": "code"}


@dataclass(frozen=True, slots=True)
class Atom:
    """`source[start:end]` is shown as `shown`, styled `kind` (None: plain)."""

    start: int
    end: int
    shown: str
    kind: SpanKind | None = None
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Formatted:
    text: str
    spans: tuple[Span, ...]


def _inside_word(ch: str) -> bool:
    return ch.isalnum()


class _Parser:
    def __init__(self, source: str, atoms: Sequence[Atom]) -> None:
        self.source = source
        self.atoms = {a.start: a for a in atoms}
        self.out: list[str] = []
        self.size = 0
        self.spans: list[Span] = []

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.size += len(text)

    def _before(self, i: int) -> str:
        return self.source[i - 1] if i > 0 else " "

    def _after(self, i: int) -> str:
        return self.source[i + 1] if i + 1 < len(self.source) else " "

    def can_open(self, i: int) -> bool:
        before, after = self._before(i), self._after(i)
        return not _inside_word(before) and before != self.source[i] and not after.isspace()

    def closing(self, i: int, hi: int) -> int | None:
        """Where the marker at `i` closes, before `hi` and on the same line."""
        marker = self.source[i]
        j = i + 2  # never empty
        while j < hi:
            atom = self.atoms.get(j)
            if atom is not None:
                j = atom.end
                continue
            ch = self.source[j]
            if ch == "\n":
                return None
            if ch == marker and not self.source[j - 1].isspace() \
                    and not _inside_word(self._after(j)):
                return j
            j += 1
        return None

    def run(self, lo: int, hi: int, literal: bool = False) -> None:
        i = lo
        while i < hi:
            atom = self.atoms.get(i)
            if atom is not None:
                start = self.size
                self.emit(atom.shown)
                if atom.kind is not None:
                    self.spans.append(Span(start, self.size, atom.kind, atom.target))
                i = atom.end
                continue
            ch = self.source[i]
            kind = None if literal else MARKERS.get(ch)
            close = self.closing(i, hi) if kind and self.can_open(i) else None
            if kind is None or close is None:
                self.emit(ch)
                i += 1
                continue
            start = self.size
            self.run(i + 1, close, literal=kind == "code")
            self.spans.append(Span(start, self.size, kind))
            i = close + 1


def parse(source: str, atoms: Sequence[Atom] = ()) -> Formatted:
    """The displayed text and its spans, by start (an outer span before those inside it)."""
    parser = _Parser(source, atoms)
    parser.run(0, len(source))
    text = "".join(parser.out)
    spans = [_to_line_end(s, text) if s.kind == "quote" else s for s in parser.spans]
    return Formatted(text, tuple(sorted(spans, key=lambda s: (s.start, -s.end))))


def _to_line_end(span: Span, text: str) -> Span:
    """A quote marker (shown as nothing) quotes the rest of its line."""
    end = text.find("\n", span.start)
    return Span(span.start, len(text) if end < 0 else end, span.kind, span.target)


def line_atoms(source: str, urls: bool = True) -> list[Atom]:
    """Atoms every line-based chat shares: a `> ` quote, a `- ` or `1. ` list item, and
    URLs (whose `*` and `_` are not formatting)."""
    atoms = []
    for m in _LINE_START.finditer(source):
        if m.group("quote"):
            atoms.append(Atom(m.start("quote"), m.end("quote"), "", "quote"))
        else:
            atoms.append(Atom(m.start("item"), m.end("item"), m.group("item"), "list"))
    if urls:
        for m in URL.finditer(source):
            atoms.append(Atom(m.start(), m.end(), m.group(), "link", m.group()))
    return atoms


def without_overlaps(atoms: Sequence[Atom]) -> list[Atom]:
    """The atoms that start first (longest first) where two overlap."""
    kept: list[Atom] = []
    end = -1
    for atom in sorted(atoms, key=lambda a: (a.start, -a.end)):
        if atom.start >= end:
            kept.append(atom)
            end = max(end, atom.end)
    return kept

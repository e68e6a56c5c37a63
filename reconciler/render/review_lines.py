"""The review page's message text, in pieces the template can mark up: each `Run` a stretch
of a message's displayed text with one styling (the spans it is inside, an SMS
character's flag, an invisible character shown by name, where a segment starts), in
`Line`s as the recipient sees them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import reconciler.channels.unseen as table
from reconciler.channels import Flag, MessageView, Span
from reconciler.channels.view import FlagKind, SpanKind


@dataclass(frozen=True)
class Run:
    """A stretch of displayed text with the same styling: `kinds` are span kinds (outer
    first); `flag` an SMS character's mark; `unseen` an invisible character shown by name."""

    text: str
    kinds: tuple[SpanKind, ...] = ()
    title: str = ""
    flag: FlagKind | Literal[""] = ""
    unseen: bool = False
    segment: str = ""  # "2/3": an SMS segment starts here
    mass: bool = False  # a mention that notifies a whole channel or workspace


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    quote: bool = False


def unseen(ch: str) -> bool:
    """A character that shows as nothing, or that reorders what follows (bidi controls),
    shown as `<U+202E>` instead. The zero-width joiner, which builds emoji, is kept."""
    return ch not in "\n\t" and ch != table.EMOJI_JOINER and table.hidden(ch)


def safe(text: str) -> str:
    """`text` with each unseen character shown by name (`<U+202E>`), as the message's own
    text and the Markdown comment show them."""
    if not any(unseen(ch) for ch in text):
        return text
    return "".join(f"<U+{ord(ch):04X}>" if unseen(ch) else ch for ch in text)


def _span_title(view: MessageView, kind: str, target: str | None, shown: str) -> str:
    if kind == "mention":
        return next((f"notifies {m.who}" for m in view.mentions
                     if m.source and shown == f"@{m.name}"), "")
    if not target or (kind == "link" and target == shown):
        return ""
    titles = {"link": f"links to {target}", "emoji": target,
              "placeholder": f"fills {{{{{target}}}}}"}
    return titles.get(kind, "")


def _cuts(view: MessageView, spans: Sequence[Span]) -> list[int]:
    """Where a piece of `view.text` ends and another starts."""
    text = view.text
    cuts = {0, len(text), *(s.start for s in view.segments)}
    for s in spans:
        cuts.update((s.start, s.end))
    for f in view.flags:
        cuts.update((f.offset, f.offset + 1))
    for offset, ch in enumerate(text):
        if ch == "\n" or unseen(ch):
            cuts.update((offset, offset + 1))
    return sorted(c for c in cuts if 0 <= c <= len(text))


def _segment_at(view: MessageView, a: int) -> str:
    """`2/3` when the second of three SMS segments starts at `a`, else nothing."""
    return next((f"{s.number}/{len(view.segments)}" for s in view.segments
                 if s.start == a and s.number > 1), "")


def _flag_at(view: MessageView, a: int, b: int) -> Flag | None:
    """The flag of the one character `view.text[a:b]`, if it has one."""
    return next((f for f in view.flags if f.offset == a), None) if b == a + 1 else None


def _flag_title(flag: Flag) -> str:
    """What a flagged SMS character costs, as its run's title says it."""
    what = ("is not in GSM-7: the whole message is sent as UCS-2" if flag.kind == "ucs2"
            else "a GSM-7 extension character: two septets")
    return f"U+{ord(flag.char):04X} {what}"


def _title(view: MessageView, inside: Sequence[Span]) -> str:
    """The title of the innermost span around a piece that has one."""
    return next((t for s in reversed(inside)
                 if (t := _span_title(view, s.kind, s.target, view.text[s.start:s.end]))), "")


def _mass(view: MessageView, inside: Sequence[Span]) -> bool:
    """Whether a piece is inside a mention that notifies a whole channel or workspace."""
    mass = {m.offset for m in view.mentions}
    return any(s.kind == "mention" and s.start in mass for s in inside)


def _run(view: MessageView, a: int, b: int, spans: Sequence[Span]) -> Run:
    """The piece `view.text[a:b]`, which no span, flag or segment start cuts."""
    piece = view.text[a:b]
    inside = [s for s in spans if s.start <= a and b <= s.end]
    kinds = tuple(s.kind for s in inside)
    segment = _segment_at(view, a)
    if len(piece) == 1 and unseen(piece):
        return Run(f"<U+{ord(piece):04X}>", kinds, "an invisible character", unseen=True,
                   segment=segment)
    flag = _flag_at(view, a, b)
    if flag is not None:
        return Run(piece, kinds, _flag_title(flag), flag.kind, segment=segment)
    return Run(piece, kinds, _title(view, inside), segment=segment,
               mass=_mass(view, inside))


def lines_of(view: MessageView) -> list[Line]:
    """`view.text` cut where any span, segment or flagged character starts or ends, then
    into lines, each piece knowing what it is inside."""
    text = view.text
    spans = [s for s in view.spans if s.kind != "quote" and s.start < s.end]
    quoted = {text.count("\n", 0, s.start) for s in view.spans if s.kind == "quote"}
    lines: list[list[Run]] = [[]]
    for a, b in itertools.pairwise(_cuts(view, spans)):
        if text[a:b] == "\n":
            lines.append([])
        else:
            lines[-1].append(_run(view, a, b, spans))
    return [Line(tuple(runs), n in quoted) for n, runs in enumerate(lines)]

"""A message as its recipient sees it (`channels.MessageView`), for a pull-request comment
(Markdown) and a terminal (text).

In Markdown, the displayed text is escaped character by character: every ASCII
punctuation mark gets a backslash, so nothing a definition contains is read as Markdown
or HTML (no tag, comment, fence, table or list can start), and the formatting the
recipient sees is added around it as Markdown's own (`**`, `*`, `~~`). Links, `@names`,
`#numbers` and code are code spans, where GitHub makes no link or mention. The raw text
that is sent stays one click away, in a fenced block.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import click

from reconciler.channels import Flag, MessageView, Span, unseen
from reconciler.channels.markup import URL
from reconciler.plural import counted
from reconciler.render.common import paint, safe
from reconciler.render.markdown import code, details, fence, html_code

CHANNEL_NAMES = {"sms": "SMS", "whatsapp": "WhatsApp", "slack": "Slack",
                 "telegram": "Telegram", "email": "Email"}
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# What GitHub would link or notify in plain text: URLs, addresses, @names and #numbers.
_GITHUB_REFERENCE = re.compile(URL.pattern + r"|[\w.+-]*@[\w-]+(?:[./][\w-]+)*|(?<!\w)#\d+")
_WRAP = {"bold": ("**", "**"), "italic": ("*", "*"), "strike": ("~~", "~~"),
         "placeholder": ("<ins>", "</ins>")}
_VERBATIM = {"code", "monospace", "link", "mention"}


def headline(view: MessageView, sender: Callable[[str], str] = str) -> str:
    """`SMS from MYBRAND: UCS-2, 3 segments`: the message's channel and what it costs."""
    name = CHANNEL_NAMES.get(view.channel, view.channel)
    out = f"{name} from {sender(view.sender)}"
    if view.encoding is not None:
        out += f": {view.encoding}, {counted(len(view.segments), 'segment')}"
    return out


# -- Markdown -------------------------------------------------------------------------------


def _unseen(ch: str) -> bool:
    return ch != "\n" and unseen.hidden(ch)


def _references(text: str) -> Iterator[re.Match[str]]:
    """What GitHub would link or notify in `text`. Each holds `@`, `#`, `http` or `www.`:
    text with none of them (most text) is not searched, where the search would take twice
    the time of the escaping itself."""
    if "@" in text or "#" in text or "http" in text or "www." in text:
        return _GITHUB_REFERENCE.finditer(text)
    return iter(())


def escaped(text: str) -> str:
    """Plain displayed text as Markdown that shows exactly it (newlines kept as `\\n`)."""
    out: list[str] = []
    last = 0
    for m in _references(text):
        out.append(_escape_chars(text[last:m.start()]))
        out.append(code(m.group()))
        last = m.end()
    out.append(_escape_chars(text[last:]))
    return "".join(out)


class _Escapes(dict[int, str]):
    """`str.translate`'s table for displayed text: every ASCII punctuation mark behind a
    backslash, a tab as a space, a character that shows nothing (a control, a format
    character such as a bidi control, a line or paragraph separator) as a code span that
    names it, and the rest as itself. A character met for the first time is looked up
    once (`__missing__`) and kept, up to a bound, so that the work of a message is done by
    `translate` in C rather than a function call a character."""

    KEEP = 4096  # characters remembered at most (a text may hold any of a million)

    def __init__(self) -> None:
        super().__init__({ord(ch): "\\" + ch for ch in _PUNCTUATION})
        self[ord("\t")] = " "

    def __missing__(self, key: int) -> str:
        ch = chr(key)
        out = code(f"<U+{key:04X}>") if _unseen(ch) else ch
        if len(self) < self.KEEP:
            self[key] = out
        return out


_ESCAPES = _Escapes()


def _escape_chars(text: str) -> str:
    return text.translate(_ESCAPES)


def _markdown_span(view: MessageView, span: Span, inner: str) -> str:
    shown = view.text[span.start:span.end]
    if span.kind == "link":
        label = escaped(shown)
        return code(shown) if shown == span.target else f"{label} ({code(span.target or '')})"
    if span.kind == "mention":
        mass = any(m.offset == span.start for m in view.mentions)
        return ("⚠️ " if mass else "") + code(shown)
    if span.kind in _VERBATIM:  # a code span a line: a block of several stays several
        return "\n".join(code(line) if line else "" for line in shown.split("\n"))
    start, end = _WRAP.get(span.kind, ("", ""))
    return f"{start}{inner}{end}"


def _nested(view: MessageView, lo: int, hi: int, spans: Sequence[Span],
            plain: Callable[[str], str], wrap: Callable[[MessageView, Span, str], str]) -> str:
    """`view.text[lo:hi]` with `spans` (nested, by start) wrapped around their text."""
    out: list[str] = []
    at, k = lo, 0
    while k < len(spans):
        span = spans[k]
        inside = []
        k += 1
        while k < len(spans) and spans[k].end <= span.end:
            inside.append(spans[k])
            k += 1
        out.append(plain(view.text[at:span.start]))
        out.append(wrap(view, span, _nested(view, span.start, span.end, inside, plain, wrap)))
        at = span.end
    out.append(plain(view.text[at:hi]))
    return "".join(out)


def _sms_markdown(view: MessageView) -> str:
    """The body with each segment's start marked and each UCS-2 character pointed at;
    URLs and addresses in code spans, cut where a segment starts inside one."""
    text = view.text
    ucs2 = sorted({f.offset for f in view.flags if f.kind == "ucs2"})
    starts = {s.start: s.number for s in view.segments if s.number > 1}
    verbatim = [(m.start(), m.end()) for m in _references(text)]
    out: list[str] = []
    for a, b in _pieces(len(text), starts, verbatim):
        if a in starts:
            out.append(f"<sup>✂ {starts[a]}/{len(view.segments)}</sup>")
        inside = any(start <= a < end for start, end in verbatim)
        out.append(code(text[a:b]) if inside else _marked_ucs2(text, a, b, ucs2))
    return "".join(out)


def _pieces(size: int, starts: Iterable[int],
            verbatim: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The text cut where a segment starts and where a verbatim run starts or ends."""
    cuts = {0, size, *starts}
    for a, b in verbatim:
        cuts.update((a, b))
    return itertools.pairwise(sorted(cuts))


def _marked_ucs2(text: str, a: int, b: int, ucs2: Sequence[int]) -> str:
    """`text[a:b]` escaped, each character that makes the SMS UCS-2 (`ucs2`: their
    offsets, in order) in a code span."""
    out: list[str] = []
    at = a
    for i in ucs2[bisect.bisect_left(ucs2, a):bisect.bisect_left(ucs2, b)]:
        out += (_escape_chars(text[at:i]), code(text[i]))
        at = i + 1
    out.append(_escape_chars(text[at:b]))
    return "".join(out)


def _quoted_lines(view: MessageView) -> set[int]:
    """The displayed lines (from 0) that are quotes."""
    return {view.text.count("\n", 0, s.start) for s in view.spans if s.kind == "quote"}


def bubble(view: MessageView) -> str:
    """The displayed text as a Markdown block quote, a hard break at each line end."""
    if view.channel == "sms":
        body = _sms_markdown(view)
    else:
        spans = [s for s in view.spans if s.kind not in ("quote", "list")]
        body = _nested(view, 0, len(view.text), spans, escaped, _markdown_span)
    quoted = _quoted_lines(view)
    lines = body.split("\n")
    out = []
    for n, line in enumerate(lines):
        stripped = line.lstrip(" ")
        line = "&nbsp;" * (len(line) - len(stripped)) + stripped
        if n in quoted:
            line = "▎ " + line
        more = n + 1 < len(lines) and lines[n + 1].strip() and line.strip()
        out.append(f"> {line}\\" if more else f"> {line}".rstrip())
    return "\n".join(out)


def _flag_line(view: MessageView) -> str | None:
    """What an SMS's characters cost: those that make it UCS-2, and the GSM-7 extension
    characters, which take two septets each."""
    ucs2 = [f for f in view.flags if f.kind == "ucs2"]
    extension = [f for f in view.flags if f.kind == "extension"]
    parts = []
    if ucs2:
        parts.append(_ucs2_part(ucs2))
    if extension:
        chars = "".join(dict.fromkeys(f.char for f in extension))
        parts.append(f"{counted(len(extension), 'GSM-7 extension character')} "
                     f"({code(chars)}), two septets each")
    return "> " + "; ".join(parts) + "." if parts else None


def _ucs2_part(ucs2: Sequence[Flag]) -> str:
    """The first eight characters that make an SMS UCS-2, each where it first stands."""
    first: dict[str, int] = {}
    for f in ucs2:
        first.setdefault(f.char, f.offset)
    shown = ", ".join(f"{code(ch)} (U+{ord(ch):04X}) at character {offset + 1}"
                      for ch, offset in list(first.items())[:8])
    more = f" and {len(first) - 8} more" if len(first) > 8 else ""
    return f"**UCS-2** (70 characters a segment, not 160) because of {shown}{more}"


def markdown_message(view: MessageView, name: str, *, open_: bool, sends: str = "") -> str:
    """One message in a comment: a collapsible block headed by the campaign's name (and,
    closed, the message's first line), the message as received, what a reviewer must
    weigh, and the raw text that is sent."""
    blocks = [f"Sends {escaped(sends)}."] if sends else []
    if view.text:
        blocks.append(bubble(view))
    blocks += _to_weigh(view)
    blocks.append(details("Sent as written", fence(view.sent)))
    summary = f"{html_code(name)}: {headline(view, html_code)}"
    if not open_ and view.text:
        first = view.text.split("\n")[0]
        summary += ": " + html_code(first[:80] + ("…" if len(first) > 80 else ""))
    return details(summary, "\n\n".join(blocks), open_=open_)


def _to_weigh(view: MessageView) -> list[str]:
    """What a reviewer must weigh beneath the message: its characters' cost, mass
    mentions, the channel's notes and the template's details."""
    flags = _flag_line(view)
    blocks = [flags] if flags else []
    blocks += [f"> ⚠️ **mass-mention:** {code(mention.source)} notifies {mention.who}."
               for mention in view.mentions]
    blocks += [f"> ℹ️ {escaped(note)}" for note in view.notes]
    if view.details:
        blocks.append("\n".join(f"- {escaped(label)}: {code(value)}"
                                for label, value in view.details))
    return blocks


# -- text -----------------------------------------------------------------------------------

_TEXT_STYLE: dict[str, dict[str, Any]] = {
    "bold": {"bold": True}, "italic": {"italic": True}, "strike": {"strikethrough": True},
    "code": {"fg": "cyan"}, "monospace": {"fg": "cyan"}, "link": {"underline": True},
    "mention": {"fg": "blue"}, "placeholder": {"underline": True},
}


def text_message(view: MessageView, color: bool) -> list[str]:
    """The displayed text, a line each, styled where colour is on; an SMS's segment starts
    and UCS-2 characters marked either way."""
    text = _sms_text(view, color) if view.channel == "sms" else _styled_text(view, color)
    quoted = _quoted_lines(view)
    return [("▎ " if n in quoted else "") + line for n, line in enumerate(text.split("\n"))]


def _sms_text(view: MessageView, color: bool) -> str:
    """An SMS body, made terminal-safe, with ⟨n⟩ where segment n starts and each UCS-2
    character in red (or in [ ] without colour)."""
    ucs2 = {f.offset for f in view.flags if f.kind == "ucs2"}
    starts = {s.start: s.number for s in view.segments if s.number > 1}
    text = view.text
    pieces = []
    done = 0  # the text before this is in `pieces` (`safe` works a character at a time)
    for offset in sorted(ucs2 | starts.keys()):
        pieces.append(safe(text[done:offset]))
        done = offset
        if offset in starts:
            pieces.append(paint(f"⟨{starts[offset]}⟩", color, dim=True) if color
                          else f"⟨{starts[offset]}⟩")
        if offset in ucs2:
            ch = text[offset]
            pieces.append(paint(ch, True, fg="red", reverse=True) if color else f"[{safe(ch)}]")
            done = offset + 1
    pieces.append(safe(text[done:]))
    return "".join(pieces)


def _styled_text(view: MessageView, color: bool) -> str:
    """A formatted message, made terminal-safe, its formatting as terminal styles where
    colour is on; a mass mention stands out either way."""
    spans = [s for s in view.spans if s.kind not in ("quote", "list")]

    def wrap(v: MessageView, span: Span, inner: str) -> str:
        if span.kind == "mention" and any(m.offset == span.start for m in v.mentions):
            return paint(v.text[span.start:span.end], color, fg="yellow", bold=True)
        style = _TEXT_STYLE.get(span.kind)
        return click.style(inner, **style) if color and style else inner

    return _nested(view, 0, len(view.text), spans, lambda t: paint(t, False), wrap)

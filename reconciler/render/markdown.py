"""Markdown that user text cannot subvert, and that always fits in a pull-request comment.

User-written text (names, bodies, templates, messages that quote them) only ever appears
inside code: a code span in a table cell, or a fenced code block. There nothing is linked,
mentioned or rendered as HTML, and the text stays exactly as written (no escapes or
zero-width characters pushed into addresses and URLs). A fence is longer than any run of
backticks in its text, so the text cannot close it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

LIMIT = 65_000  # GitHub refuses comments over 65,536 characters
_BACKTICKS = re.compile(r"`+")


def _longest_backticks(text: str) -> int:
    return max((len(m) for m in _BACKTICKS.findall(text)), default=0)


def code(text: str) -> str:
    """A code span for a table cell: verbatim, with `|` escaped as GFM tables require."""
    text = text.replace("\r", " ").replace("\n", " ").replace("|", "\\|")
    ticks = "`" * (_longest_backticks(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fence(text: str, info: str = "text") -> str:
    """A fenced code block holding `text` exactly."""
    ticks = "`" * max(3, _longest_backticks(text) + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{ticks}{info}\n{body}{ticks}"


def html_code(text: str) -> str:
    """User text inside HTML (a `<summary>`): escaped, and in `<code>`, where GitHub makes
    no mentions or links."""
    return f"<code>{html.escape(text.replace(chr(10), ' '), quote=True)}</code>"


def details(summary_html: str, body: str, *, open_: bool = False) -> str:
    attribute = " open" if open_ else ""
    return f"<details{attribute}><summary>{summary_html}</summary>\n\n{body}\n\n</details>"


def _agreeing(kind: str, n: int) -> str:
    """`warnings` as said of one: `warning` (the kinds are plural phrases whose first word
    is the noun: `campaigns to create`, `lists of unchanged campaigns`)."""
    if n != 1:
        return kind
    first, _, rest = kind.partition(" ")
    return " ".join(filter(None, [first.removesuffix("s"), rest]))


@dataclass
class Document:
    """Blocks added in order of importance until the next one would not fit; then a line
    says what was left out and where the full version is."""

    limit: int = LIMIT
    full_version: str = "the job log"
    blocks: list[str] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # what -> how many
    _size: int = 0

    def _reserve(self) -> int:
        return 400 + len(self.full_version)  # room kept for the closing note

    def fits(self, block: str) -> bool:
        return self._size + len(block) + 2 + self._reserve() <= self.limit

    def _leave_out(self, what: str, count: int = 1) -> None:
        self.left_out[what] = self.left_out.get(what, 0) + count

    def add(self, block: str, what: str = "sections") -> bool:
        if self.left_out or not self.fits(block):
            self._leave_out(what)
            return False
        self.blocks.append(block)
        self._size += len(block) + 2
        return True

    def add_fenced_lines(self, lines: Sequence[str], what: str) -> None:
        """As many of `lines` as fit, in one fenced block; the rest counted as left out."""
        if self.left_out:
            self._leave_out(what, len(lines))
            return
        kept: list[str] = []
        for line in lines:
            if not self.fits(fence("\n".join([*kept, line]))):
                break
            kept.append(line)
        if kept:
            self.add(fence("\n".join(kept)))
        if len(kept) < len(lines):
            self._leave_out(what, len(lines) - len(kept))

    def add_each(self, blocks: Iterable[str], what: str, count: int) -> None:
        """The `count` blocks `blocks` yields, in order, while they fit. The blocks are made
        as they are taken: those after the first that does not fit are counted as left out
        and never made (a plan of 10,000 creates makes the few dozen messages a comment
        holds, not 10,000)."""
        made = 0
        if not self.left_out:
            for block in blocks:
                made += 1
                if not self.add(block, what):
                    break
        if count > made:
            self._leave_out(what, count - made)

    def add_table(self, head: str, rows: Iterable[str], what: str,
                  count: int | None = None) -> None:
        """`head` (title, header and rule lines) and as many `rows` as fit. Rows that are
        made as they are taken (a generator, with `count` saying how many it holds) after
        the last that fits are never made."""
        if count is None:
            listed = list(rows)
            rows, count = listed, len(listed)
        if self.left_out:
            self._leave_out(what, count)
            return
        kept: list[str] = []
        size = len(head)
        for row in rows:
            if not self.fits("x" * (size + len(row) + 1)):
                break
            kept.append(row)
            size += len(row) + 1
        if kept:
            self.add("\n".join([head, *kept]))
        if len(kept) < count:
            self._leave_out(what, count - len(kept))

    def render(self) -> str:
        out = list(self.blocks)
        if self.left_out:
            what = ", ".join(f"{n} {_agreeing(kind, n)}" for kind, n in self.left_out.items())
            out.append(f"> **Shortened to fit in a comment:** left out {what}. The full "
                       f"version: {self.full_version}.")
        return "\n\n".join(out) + "\n"

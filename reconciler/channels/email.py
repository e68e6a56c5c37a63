"""Email as a mail client shows a plain-text body: from the sender's address, each long
line wrapped at the width mail clients use for plain text, links marked."""

from __future__ import annotations

import textwrap

from reconciler.channels.markup import URL
from reconciler.channels.view import MessageView, Span

WIDTH = 72  # the plain-text width mail clients wrap to (RFC 3676 suggests at most 78)


def wrapped(body: str, width: int = WIDTH) -> str:
    """Each line of `body` wrapped at `width`, words and URLs kept whole."""
    lines = []
    for line in body.split("\n"):
        if len(line) <= width:
            lines.append(line)
            continue
        lines.extend(textwrap.wrap(line, width, break_long_words=False,
                                   break_on_hyphens=False, drop_whitespace=True) or [""])
    return "\n".join(lines)


def view(body: str, sender_id: str) -> MessageView:
    text = wrapped(body)
    links = tuple(Span(m.start(), m.end(), "link", m.group()) for m in URL.finditer(text))
    return MessageView("email", sender_id, text, body, links)

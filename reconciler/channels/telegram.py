"""Telegram as its app shows a message the API sends as plain text: exactly the body, with
the links the app makes clickable marked."""

from __future__ import annotations

from reconciler.channels.markup import URL
from reconciler.channels.view import MessageView, Span


def view(body: str, sender_id: str) -> MessageView:
    links = tuple(Span(m.start(), m.end(), "link", m.group()) for m in URL.finditer(body))
    return MessageView("telegram", sender_id, body, body, links)

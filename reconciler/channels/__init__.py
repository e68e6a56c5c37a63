"""A message as its recipient sees it, one module a channel: pure functions, no I/O.

What is sent (`MessageView.sent`, the API's body) and what is shown (`MessageView.text`
with its spans) are kept apart; the SMS figures come from what is sent. The checks and
every renderer read these views, so that segment, encoding and formatting rules exist once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from reconciler.channels.view import Flag, Mention, MessageView, SmsSegment, Span

if TYPE_CHECKING:
    from reconciler.channels.sms import SmsInfo

__all__ = ["Flag", "Mention", "MessageView", "SmsSegment", "Span", "view_of"]


class Message(Protocol):
    """What a view is made from (a `Campaign` is one)."""

    @property
    def channel(self) -> str: ...
    @property
    def body(self) -> str | None: ...
    @property
    def template(self) -> Mapping[str, Any] | None: ...
    @property
    def template_text(self) -> str | None: ...
    @property
    def sender_id(self) -> str: ...
    def sms(self) -> SmsInfo: ...


def view_of(message: Message) -> MessageView:
    """The view of a message on its channel (each channel's module is loaded when first
    asked for: `validate` of an SMS repository never loads the emoji table)."""
    body = message.body or ""
    if message.channel == "sms":
        from reconciler.channels import sms

        return sms.view(body, message.sender_id, message.sms())
    if message.channel == "whatsapp":
        from reconciler.channels import whatsapp

        return whatsapp.view(message.body, message.template, message.sender_id,
                             message.template_text)
    if message.channel == "slack":
        from reconciler.channels import slack

        return slack.view(body, message.sender_id)
    if message.channel == "email":
        from reconciler.channels import email

        return email.view(body, message.sender_id)
    from reconciler.channels import telegram

    return telegram.view(body, message.sender_id)

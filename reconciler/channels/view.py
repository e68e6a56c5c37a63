"""What every channel's view is made of: the text a recipient reads, and what stands in it.

Offsets are code points into `MessageView.text` (Python string indices), never bytes or
UTF-16 units, so that every renderer can slice the text it was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# How a stretch of the displayed text looks or what it is.
SpanKind = Literal["bold", "italic", "strike", "code", "monospace", "quote", "list",
                   "link", "mention", "emoji", "placeholder"]
# A character an SMS reviewer must see: one that forces UCS-2, or a GSM-7 extension
# character that takes two septets.
FlagKind = Literal["ucs2", "extension"]


@dataclass(frozen=True, slots=True)
class Span:
    """`text[start:end]` is shown as `kind`; `target` is a link's address, a mention's
    name, an emoji's shortcode or a placeholder's number."""

    start: int
    end: int
    kind: SpanKind
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Flag:
    offset: int
    char: str
    kind: FlagKind


@dataclass(frozen=True, slots=True)
class Mention:
    """A mention that notifies many people at once (Slack's `<!channel>`, `@here`...)."""

    offset: int  # into the displayed text
    source: str  # as written in the body
    name: Literal["channel", "here", "everyone"]

    @property
    def who(self) -> str:
        return {
            "channel": "every member of the channel, online or not",
            "here": "every member of the channel who is online",
            "everyone": "every member of the workspace (in its #general channel)",
        }[self.name]


@dataclass(frozen=True, slots=True)
class SmsSegment:
    """One segment of a concatenated SMS: `text[start:end]`, and its number from 1."""

    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class MessageView:
    """A message as its recipient sees it.

    `text` is what is displayed (formatting markers removed, emoji resolved, placeholders
    filled); `sent` is what the API receives. The SMS figures are worked out from `sent`.
    """

    channel: str
    sender: str  # as the recipient's app or handset shows it
    text: str
    sent: str
    spans: tuple[Span, ...] = ()
    encoding: Literal["GSM-7", "UCS-2"] | None = None  # SMS only
    segments: tuple[SmsSegment, ...] = ()  # SMS only
    flags: tuple[Flag, ...] = ()  # SMS only
    mentions: tuple[Mention, ...] = ()
    notes: tuple[str, ...] = ()  # what a reviewer must know that the text does not say
    details: tuple[tuple[str, str], ...] = ()  # e.g. a template's name, language, parameters

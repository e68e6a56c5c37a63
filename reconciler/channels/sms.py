"""SMS as a handset receives it: GSM 03.38 (7-bit, with its extension table) when every
character has a septet, else UCS-2; and the segments it is cut into, each a credit per
recipient. Definitions measure their body once; the checks, the cost and the renderers
read that measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

import gsm0338

from reconciler.channels.view import Flag, MessageView, SmsSegment

Encoding = Literal["GSM-7", "UCS-2"]
_CODEC = gsm0338.Codec()
SENDER_LIMIT = 11  # characters an alphanumeric sender ID shows on a handset


@lru_cache(maxsize=4096)
def septets(ch: str) -> int:
    """Septets a character takes in GSM-7 (2 for the extension table), 0 when it has none."""
    try:
        return len(_CODEC.encode(ch)[0])
    except UnicodeEncodeError:
        return 0


class Segment(NamedTuple):
    """A segment as code-point offsets into the body: `body[start:end]`."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SmsInfo:
    encoding: Encoding
    length: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    forced_by: tuple[tuple[str, int], ...] = ()  # (character, offset in the body)
    gsm7_segments: int | None = None  # what it would take without those characters
    bounds: tuple[Segment, ...] = ()  # each segment's code-point offsets
    extension: tuple[tuple[str, int], ...] = ()  # GSM-7 characters that take two septets

    @property
    def per_segment(self) -> int:
        if self.encoding == "GSM-7":
            return 160 if self.segments == 1 else 153
        return 70 if self.segments == 1 else 67


def _split(widths: Sequence[int], single: int, multi: int) -> tuple[Segment, ...]:
    """Segments for characters of these widths: one if all fit in `single`, else packed
    `multi` to a segment without splitting a character (an escape and its extension
    character, or a surrogate pair, never straddle two segments)."""
    if sum(widths) <= single:
        return (Segment(0, len(widths)),)
    out: list[Segment] = []
    start, used = 0, 0
    for index, width in enumerate(widths):
        if used + width > multi:
            out.append(Segment(start, index))
            start, used = index, 0
        used += width
    out.append(Segment(start, len(widths)))
    return tuple(out)


def _units(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1  # a surrogate pair in UCS-2 (UTF-16)


def sms_info(body: str) -> SmsInfo:
    """GSM 03.38 (with its extension table) when every character has a septet, else UCS-2.

    Concatenated messages carry a header: 153 septets or 67 UCS-2 units a segment once a
    message takes more than one.
    """
    width = {ch: septets(ch) for ch in set(body)}
    if set(width.values()) <= {1}:  # the common case, known from its distinct characters
        bounds = _split([1] * len(body), 160, 153)
        return SmsInfo("GSM-7", len(body), len(bounds), bounds=bounds)
    return _measured(body, [width[ch] for ch in body])


def _measured(body: str, counts: Sequence[int]) -> SmsInfo:
    """`sms_info` from each character's septets (0: none, 2: the extension table)."""
    forced = tuple((ch, i) for i, (ch, n) in enumerate(zip(body, counts, strict=True)) if n == 0)
    if not forced:
        bounds = _split(counts, 160, 153)
        extension = tuple((ch, i) for i, (ch, n) in enumerate(zip(body, counts, strict=True))
                          if n == 2)
        return SmsInfo("GSM-7", sum(counts), len(bounds), bounds=bounds, extension=extension)
    units = [_units(ch) for ch in body]
    bounds = _split(units, 70, 67)
    without = [n for n in counts if n]
    return SmsInfo("UCS-2", sum(units), len(bounds), forced, len(_split(without, 160, 153)),
                   bounds=bounds)


def segments(body: str) -> tuple[Segment, ...]:
    """Where a handset's segments of `body` start and end, as code-point offsets."""
    return sms_info(body).bounds


def sender_shown(sender_id: str) -> str:
    """The sender as a handset shows it: an alphanumeric ID cut to 11 characters."""
    if sender_id.startswith("+") or sender_id.isdigit():
        return sender_id
    return sender_id[:SENDER_LIMIT]


def view(body: str, sender_id: str, info: SmsInfo | None = None) -> MessageView:
    """The SMS as received: its text, encoding, segments and the characters that cost."""
    info = info or sms_info(body)
    flags = [Flag(i, ch, "ucs2") for ch, i in info.forced_by]
    flags += [Flag(i, ch, "extension") for ch, i in info.extension]
    notes = []
    shown = sender_shown(sender_id)
    if shown != sender_id:
        notes.append(f"handsets show the sender as {shown!r}: an alphanumeric sender ID "
                     f"has at most {SENDER_LIMIT} characters")
    return MessageView(
        channel="sms", sender=shown, text=body, sent=body, encoding=info.encoding,
        segments=tuple(SmsSegment(n, s.start, s.end) for n, s in enumerate(info.bounds, 1)),
        flags=tuple(sorted(flags, key=lambda f: f.offset)), notes=tuple(notes))

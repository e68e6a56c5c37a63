"""How an SMS body is sent: GSM 03.38 (7-bit, with its extension table) when every
character has a septet, else UCS-2; and in how many segments, each a credit per recipient.
A module of its own: definitions measure their body once, the checks and the cost read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import gsm0338

_CODEC = gsm0338.Codec()


@lru_cache(maxsize=4096)
def septets(ch: str) -> int:
    """Septets a character takes in GSM-7 (2 for the extension table), 0 when it has none."""
    try:
        return len(_CODEC.encode(ch)[0])
    except UnicodeEncodeError:
        return 0


@dataclass(frozen=True, slots=True)
class SmsInfo:
    encoding: str  # "GSM-7" or "UCS-2"
    length: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    forced_by: tuple[tuple[str, int], ...] = ()  # (character, offset in the body)
    gsm7_segments: int | None = None  # what it would take without those characters

    @property
    def per_segment(self) -> int:
        if self.encoding == "GSM-7":
            return 160 if self.segments == 1 else 153
        return 70 if self.segments == 1 else 67


def _segments(widths: Sequence[int], single: int, multi: int) -> int:
    """Segments for characters of these widths: one if all fit in `single`, else packed
    `multi` to a segment without splitting a character (an escape and its extension
    character, or a surrogate pair, never straddle two segments)."""
    if sum(widths) <= single:
        return 1
    segments, used = 1, 0
    for width in widths:
        if used + width > multi:
            segments, used = segments + 1, 0
        used += width
    return segments


def sms_info(body: str) -> SmsInfo:
    """GSM 03.38 (with its extension table) when every character has a septet, else UCS-2.

    Concatenated messages carry a header: 153 septets or 67 UCS-2 units a segment once a
    message takes more than one.
    """
    counts = [septets(ch) for ch in body]
    forced = tuple((ch, i) for i, (ch, n) in enumerate(zip(body, counts, strict=True)) if n == 0)
    if not forced:
        return SmsInfo("GSM-7", sum(counts), _segments(counts, 160, 153))
    units = [2 if ord(ch) > 0xFFFF else 1 for ch in body]
    without = [n for n in counts if n]
    return SmsInfo("UCS-2", sum(units), _segments(units, 70, 67), forced,
                   _segments(without, 160, 153))


def segment_starts(body: str) -> tuple[int, ...]:
    """Where each segment after the first begins, as code-point offsets in `body`
    (packed as `_segments` packs them); () for a body that fits in one segment."""
    counts = [septets(ch) for ch in body]
    if all(counts):
        widths, single, multi = counts, 160, 153
    else:
        widths, single, multi = [2 if ord(ch) > 0xFFFF else 1 for ch in body], 70, 67
    if sum(widths) <= single:
        return ()
    starts, used = [], 0
    for offset, width in enumerate(widths):
        if used + width > multi:
            starts.append(offset)
            used = 0
        used += width
    return tuple(starts)

"""Review checks: the costly and the unlawful, caught before a campaign is sent.

Each check has an id, a default severity, and a message that says how to fix what it
found. A campaign can switch checks off for itself (`skip_checks: [id, ...]`), the
repository for everything (`.campaigns.yaml` or `[tool.campaigns]` in pyproject.toml; see
`config.py`). Checks are pure functions of a campaign, the configuration and the time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import gsm0338

from reconciler.definitions import Campaign
from reconciler.diagnostics import Diagnostic, Location, Severity

_CODEC = gsm0338.Codec()


@dataclass(frozen=True)
class Check:
    id: str
    severity: Severity
    summary: str


CHECKS: dict[str, Check] = {c.id: c for c in (
    Check("sms-encoding", Severity.WARNING,
          "an SMS body needs UCS-2 (70 characters a segment instead of 160) because of "
          "characters outside GSM-7"),
    Check("sms-segments", Severity.WARNING,
          "an SMS body takes more segments (credits per recipient) than allowed"),
    Check("opt-out", Severity.ERROR,
          "a marketing SMS without opt-out wording"),
    Check("quiet-hours", Severity.WARNING,
          "a campaign that starts sending inside the quiet hours"),
    Check("whatsapp-template", Severity.WARNING,
          "a WhatsApp broadcast without an approved template, or a template whose "
          "parameters do not match its placeholders"),
    Check("sender-id", Severity.WARNING,
          "an alphanumeric sender ID made only of digits (read as a phone number)"),
)}

DEFAULT_OPT_OUT = (
    "STOP", "Reply STOP", "Text STOP", "Send STOP", "Responda STOP", "Envie STOP",
    "Responda SAIR", "unsubscribe", "opt out", "opt-out", "cancelar",
)


@dataclass(frozen=True)
class QuietHours:
    start: time = time(21, 0)
    end: time = time(8, 0)
    zone: str = "Africa/Luanda"

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(ZoneInfo(self.zone)).time()
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # the window crosses midnight


@dataclass(frozen=True)
class CheckConfig:
    disabled: frozenset[str] = frozenset()
    severity: tuple[tuple[str, Severity], ...] = ()
    opt_out_phrases: tuple[str, ...] = DEFAULT_OPT_OUT
    quiet_hours: QuietHours = QuietHours()
    max_sms_segments: int = 2
    list_sizes: tuple[tuple[str, int], ...] = ()

    def severity_of(self, check_id: str) -> Severity:
        return dict(self.severity).get(check_id, CHECKS[check_id].severity)


# -- SMS encoding and segments --------------------------------------------------------------


@lru_cache(maxsize=4096)
def septets(ch: str) -> int:
    """Septets a character takes in GSM-7 (2 for the extension table), 0 when it has none."""
    try:
        return len(_CODEC.encode(ch)[0])
    except UnicodeEncodeError:
        return 0


@dataclass(frozen=True)
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


# -- the checks -------------------------------------------------------------------------


def _describe_chars(forced: Sequence[tuple[str, int]], limit: int = 5) -> str:
    distinct: dict[str, int] = {}
    for ch, offset in forced:
        distinct.setdefault(ch, offset)
    shown = [f"{ch!r} (U+{ord(ch):04X}) at character {offset + 1} of the body"
             for ch, offset in list(distinct.items())[:limit]]
    more = f" and {len(distinct) - limit} more" if len(distinct) > limit else ""
    return ", ".join(shown) + more


Finding = tuple[str, Location, str, str]  # (check id, where, field, message)


def check_sms(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    if c.channel != "sms" or c.body is None:
        return
    info = sms_info(c.body)
    if info.encoding == "UCS-2":
        cost = ""
        if info.gsm7_segments is not None and info.gsm7_segments < info.segments:
            cost = (f"; it takes {info.segments} segments instead of {info.gsm7_segments}, "
                    f"{info.segments / info.gsm7_segments:.1f}x the credits")
        yield ("sms-encoding", c.location_of("body"), "body",
               f"needs UCS-2 (70 characters a segment, not 160) because of "
               f"{_describe_chars(info.forced_by)}{cost}. Replace them with GSM-7 "
               "characters (e.g. 'a' for 'ã') if the message allows it")
    if info.segments > config.max_sms_segments:
        yield ("sms-segments", c.location_of("body"), "body",
               f"takes {info.segments} segments ({info.length} "
               f"{'septets' if info.encoding == 'GSM-7' else 'UCS-2 characters'}, "
               f"{info.per_segment} a segment in {info.encoding}), more than "
               f"{config.max_sms_segments}: each recipient costs {info.segments} credits. "
               "Shorten it or raise max_sms_segments")


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def check_opt_out(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    if c.channel != "sms" or c.purpose != "marketing" or c.body is None:
        return
    if any(_phrase_pattern(p).search(c.body) for p in config.opt_out_phrases):
        return
    examples = ", ".join(repr(p) for p in config.opt_out_phrases[:3])
    yield ("opt-out", c.location_of("body"), "body",
           "a marketing SMS must tell recipients how to opt out; add wording such as "
           f"'Responda STOP para cancelar' (accepted phrases include {examples}; set "
           "opt_out_phrases in the configuration for others)")


def check_quiet_hours(c: Campaign, config: CheckConfig, now: datetime) -> Iterable[Finding]:
    q = config.quiet_hours
    moment = c.sends_at
    if moment is not None:
        where, when = c.location_of("scheduled_at"), "starts"
    else:
        moment, where, when = now, c.location_of("name"), \
            "has no scheduled_at and would start now,"
    if not q.contains(moment):
        return
    local = moment.astimezone(ZoneInfo(q.zone))
    yield ("quiet-hours", where, "scheduled_at",
           f"{when} at {local:%H:%M} {q.zone} ({local:%Y-%m-%d}), inside the quiet hours "
           f"{q.start:%H:%M}-{q.end:%H:%M}; schedule it outside them")


_PLACEHOLDER = re.compile(r"\{\{\s*([0-9]{1,9})\s*\}\}")  # ASCII digits, a sane count


def check_whatsapp(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    if c.channel != "whatsapp":
        return
    if c.template is None:
        yield ("whatsapp-template", c.location_of("body"), "body",
               "a business-initiated WhatsApp broadcast needs an approved template; a "
               "plain body reaches only people who wrote to you in the last 24 hours")
        return
    components = c.template.get("components")
    if not isinstance(components, list):
        return
    for index, component in enumerate(components):
        if not isinstance(component, dict):
            continue
        text, parameters = component.get("text"), component.get("parameters")
        if not isinstance(text, str) or not isinstance(parameters, list):
            continue
        placeholders = {int(n) for n in _PLACEHOLDER.findall(text)}
        if len(placeholders) != len(parameters):
            kind = component.get("type", f"#{index + 1}")
            yield ("whatsapp-template", c.location_of("template"),
                   f"template.components[{index}]",
                   f"the {kind} component's text has {len(placeholders)} placeholder(s) "
                   f"({', '.join('{{' + str(n) + '}}' for n in sorted(placeholders)) or 'none'})"
                   f" but {len(parameters)} parameter(s); WhatsApp rejects the message")


def check_sender(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    if c.channel in ("sms", "whatsapp", "telegram") and c.sender_id.isdigit():
        yield ("sender-id", c.location_of("sender_id"), "sender_id",
               f"{c.sender_id!r} is only digits: handsets show it as a phone number that "
               "cannot be replied to; use letters, or an E.164 number with its '+'")


CampaignCheck = Callable[[Campaign, CheckConfig], Iterable[Finding]]
PER_CAMPAIGN: tuple[CampaignCheck, ...] = (check_sms, check_opt_out, check_whatsapp,
                                           check_sender)


def run_checks(campaigns: Sequence[Campaign], config: CheckConfig,
               now: datetime | None = None) -> list[Diagnostic]:
    """Every finding of every check that is switched on, as located diagnostics."""
    moment = now or datetime.now(timezone.utc)
    out: list[Diagnostic] = []
    for c in campaigns:
        findings: list[Finding] = []
        for check in PER_CAMPAIGN:
            findings.extend(check(c, config))
        findings.extend(check_quiet_hours(c, config, moment))
        for check_id, where, field, message in findings:
            if check_id in config.disabled or check_id in c.skip_checks:
                continue
            out.append(Diagnostic(where, message, field=field,
                                  severity=config.severity_of(check_id), code=check_id))
    return out

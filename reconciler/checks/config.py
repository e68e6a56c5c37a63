"""The review checks' settings (`checks:` in the configuration), apart from the checks
themselves: reading the configuration, as every command does, loads no check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from reconciler.diagnostics import Severity

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


# Link shorteners: they hide where a link goes, and carriers filter them.
DEFAULT_SHORTENERS = (
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly",
    "rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id", "bit.do",
    "lnkd.in", "v.gd", "shorte.st", "adf.ly",
)


@dataclass(frozen=True)
class LinkRules:
    """`links:` in the configuration: what the link checks expect of every link."""

    require_params: tuple[str, ...] = ()  # query parameters every own link carries
    allowed_domains: tuple[str, ...] = ()  # the sender's own sites; () : not configured
    shorteners: tuple[str, ...] = DEFAULT_SHORTENERS
    check: bool = False  # the online check on every plan and apply (`--check-links`)
    timeout: float = 5.0  # seconds a link's server has for each step of its answer


@dataclass(frozen=True)
class CheckConfig:
    disabled: frozenset[str] = frozenset()
    severity: tuple[tuple[str, Severity], ...] = ()
    opt_out_phrases: tuple[str, ...] = DEFAULT_OPT_OUT
    quiet_hours: QuietHours = QuietHours()
    max_sms_segments: int = 2
    list_sizes: tuple[tuple[str, int], ...] = ()
    min_hours_between_marketing: float = 24.0
    links: LinkRules = LinkRules()

"""Review checks: the costly and the unlawful, caught before a campaign is sent.

Each check has an id and a default severity (`catalogue.py`), and a message that says how
to fix what it found. A campaign can switch checks off for itself (`skip_checks: [id, ...]`), the
repository for everything (`.campaigns.yaml` or `[tool.campaigns]` in pyproject.toml; see
`config.py`). Checks are pure functions of a campaign, the configuration and the time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import reconciler.channels.unseen as unseen
from reconciler import clock
from reconciler.checks.catalogue import CHECKS as CHECKS
from reconciler.checks.catalogue import Finding as Finding
from reconciler.checks.catalogue import severity_of as severity_of
from reconciler.checks.catalogue import severity_of_finding
from reconciler.checks.config import CheckConfig
from reconciler.checks.frequency import check_list_frequency
from reconciler.definitions import Campaign
from reconciler.diagnostics import Diagnostic, Severity
from reconciler.plural import counted


def _describe_chars(forced: Sequence[tuple[str, int]], limit: int = 5) -> str:
    distinct: dict[str, int] = {}
    for ch, offset in forced:
        distinct.setdefault(ch, offset)
    shown = [f"{ch!r} (U+{ord(ch):04X}) at character {offset + 1} of the body"
             for ch, offset in list(distinct.items())[:limit]]
    more = f" and {len(distinct) - limit} more" if len(distinct) > limit else ""
    return ", ".join(shown) + more


def check_sms(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    if c.channel != "sms" or c.body is None:
        return
    info = c.sms()
    if info.encoding == "UCS-2":
        cost = ""
        if info.gsm7_segments is not None and info.gsm7_segments < info.segments:
            cost = (f"; it takes {info.segments} segments instead of {info.gsm7_segments}, "
                    f"{info.segments / info.gsm7_segments:.1f}x the credits")
        yield Finding("sms-encoding", c.location_of("body"), "body",
                      f"needs UCS-2 (70 characters a segment, not 160) because of "
                      f"{_describe_chars(info.forced_by)}{cost}. Replace them with GSM-7 "
                      "characters (e.g. 'a' for 'ã') if the message allows it")
    if info.segments > config.max_sms_segments:
        yield Finding("sms-segments", c.location_of("body"), "body",
                      f"takes {info.segments} segments ({info.length} "
                      f"{'septets' if info.encoding == 'GSM-7' else 'UCS-2 characters'}, "
                      f"{info.per_segment} a segment in {info.encoding}), more than "
                      f"{config.max_sms_segments}: each recipient costs {info.segments} "
                      "credits. Shorten it or raise max_sms_segments")


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=4096)  # a body shared by many campaigns is read once
def _has_opt_out(body: str, phrases: tuple[str, ...]) -> bool:
    return any(_phrase_pattern(p).search(body) for p in phrases)


def check_opt_out(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    if c.channel != "sms" or c.purpose != "marketing" or c.body is None:
        return
    if _has_opt_out(c.body, config.opt_out_phrases):
        return
    examples = ", ".join(repr(p) for p in config.opt_out_phrases[:3])
    yield Finding("opt-out", c.location_of("body"), "body",
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
    yield Finding("quiet-hours", where, "scheduled_at",
                  f"{when} at {local:%H:%M} {q.zone} ({local:%Y-%m-%d}), inside the quiet "
                  f"hours {q.start:%H:%M}-{q.end:%H:%M}; schedule it outside them")


_PLACEHOLDER = re.compile(r"\{\{\s*([0-9]{1,9})\s*\}\}")  # ASCII digits, a sane count


def check_whatsapp(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    if c.channel != "whatsapp":
        return
    if c.template is None:
        yield Finding("whatsapp-template", c.location_of("body"), "body",
                      "a business-initiated WhatsApp broadcast needs an approved template; "
                      "a plain body reaches only people who wrote to you in the last 24 "
                      "hours")
        return
    components = c.template.get("components")
    if not isinstance(components, list):
        return
    yield from _component_counts(c, components)
    if c.template_text is not None:
        yield from _template_text_count(c, components, c.template_text)


def _component_counts(c: Campaign, components: list[object]) -> Iterable[Finding]:
    """Each component's text against its own parameters."""
    for index, component in enumerate(components):
        if not isinstance(component, dict):
            continue
        text, parameters = component.get("text"), component.get("parameters")
        if isinstance(text, str) and isinstance(parameters, list):
            yield from _placeholder_count(c, index, component, text, parameters)


def _template_text_count(c: Campaign, components: list[object],
                         text: str) -> Iterable[Finding]:
    """The approved text (`template_text`) against the body component's parameters."""
    body = next((component for component in components if isinstance(component, dict)
                 and component.get("type") == "body"), {})
    parameters = body.get("parameters") or []
    if isinstance(parameters, list):
        yield from _placeholder_count(c, None, body, text, parameters)


def _placeholder_count(c: Campaign, index: int | None, component: dict[str, object],
                       text: str, parameters: list[object]) -> Iterable[Finding]:
    """A component's text (`index`) or the template_text (None) against its parameters."""
    placeholders = {int(n) for n in _PLACEHOLDER.findall(text)}
    if len(placeholders) == len(parameters):
        return
    if index is None:
        where, field, what = "template_text", "template_text", "template_text"
    else:
        kind = component.get("type", f"#{index + 1}")
        where, field, what = "template", f"template.components[{index}]", \
            f"{kind} component's text"
    numbered = ", ".join("{{" + str(n) + "}}" for n in sorted(placeholders)) or "none"
    yield Finding("whatsapp-template", c.location_of(where), field,
                  f"the {what} has {counted(len(placeholders), 'placeholder')} ({numbered}) "
                  f"but {counted(len(parameters), 'parameter')}; WhatsApp rejects the "
                  "message")


def _line_and_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column} of the body" if line > 1 else \
        f"character {column} of the body"


def check_mass_mention(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    if c.channel != "slack" or c.body is None:
        return
    view = c.view()
    written: dict[str, int] = {}
    for mention in view.mentions:
        written.setdefault(mention.source, c.body.find(mention.source))
    for source, offset in written.items():
        mention = next(m for m in view.mentions if m.source == source)
        yield Finding("mass-mention", c.location_of("body"), "body",
                      f"{source} at {_line_and_column(c.body, offset)} notifies "
                      f"{mention.who}. Keep it only if every one of them must be "
                      "interrupted; otherwise remove it, or add mass-mention to skip_checks")


def check_sender(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    if c.channel in ("sms", "whatsapp", "telegram") and c.sender_id.isdigit():
        yield Finding("sender-id", c.location_of("sender_id"), "sender_id",
                      f"{c.sender_id!r} is only digits: handsets show it as a phone number "
                      "that cannot be replied to; use letters, or an E.164 number with its "
                      "'+'")


class Invisible(NamedTuple):
    """A character a reader cannot see, where it stands, and what it is."""

    character: str
    position: int  # from 1
    kind: str  # in words: unseen.KIND_WORDS


def invisible_characters(text: str, *, allow_newline: bool) -> list[Invisible]:
    """Each character of `text` that a reader cannot see."""
    if (text.replace("\n", "") if allow_newline else text).isprintable():
        return []  # no Cc or Cf character at all: the common case, at C speed
    return _scan_invisible(text, allow_newline=allow_newline)


def _invisible_kind(ch: str) -> str | None:
    """What an invisible character is, in words; None for one a reader sees. A line or
    paragraph separator is left to the renderers, which show it by name: in a body it
    reads as the line break it is."""
    kind = unseen.kind_of(ch)
    return None if kind is None or kind == "separator" else unseen.KIND_WORDS[kind]


def _scan_invisible(text: str, *, allow_newline: bool) -> list[Invisible]:
    found = []
    for position, ch in enumerate(text, start=1):
        kind = None if ch == "\n" and allow_newline else _invisible_kind(ch)
        if kind is not None:
            found.append(Invisible(ch, position, kind))
    return found


def _describe_invisible(found: Sequence[Invisible], limit: int = 5) -> str:
    shown = [f"U+{ord(i.character):04X} ({unicodedata.name(i.character, 'unnamed')}, "
             f"{i.kind}) at character {i.position}" for i in found[:limit]]
    more = f" and {len(found) - limit} more" if len(found) > limit else ""
    return "; ".join(shown) + more


def check_invisible(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    found = invisible_characters(c.name, allow_newline=False)
    if found:
        yield Finding("invisible-characters", c.location_of("name"), "name",
                      f"holds {_describe_invisible(found)}; a reviewer cannot see it, and "
                      "the name would not match what they read")
    elif unicodedata.normalize("NFC", c.name) != c.name:
        yield Finding("invisible-characters", c.location_of("name"), "name",
                      "is not in Unicode normal form C: it looks like another spelling of "
                      "the same name but does not match it")
    if c.body is not None:
        found = invisible_characters(c.body, allow_newline=True)
        if found:
            yield Finding("invisible-characters", c.location_of("body"), "body",
                          f"holds {_describe_invisible(found)}; recipients may see "
                          "something other than what the review showed. Remove them "
                          "unless they are meant")


def check_links(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    """The links' offline checks (`linkfindings.py`); the online one runs in the workflow."""
    if c.body is None and c.template is None:
        return ()
    from reconciler.checks.linkfindings import link_findings

    starts = tuple(s.start for s in c.sms().bounds[1:]) if c.channel == "sms" and c.body \
        else ()
    if c.template is not None:
        return link_findings(c, config.links, starts)
    # A body's findings stand where the body is written: the campaigns that share one (from
    # their file's `defaults:`) share them, and the body is read once.
    key = (c.body, c.location_of("body"), c.source, c.channel, config.links, starts)
    found = _BODY_FINDINGS.get(key)
    if found is None:
        if len(_BODY_FINDINGS) >= 256:
            _BODY_FINDINGS.clear()
        found = _BODY_FINDINGS[key] = tuple(link_findings(c, config.links, starts))
    return found


_BODY_FINDINGS: dict[tuple[object, ...], tuple[Finding, ...]] = {}


CampaignCheck = Callable[[Campaign, CheckConfig], Iterable[Finding]]
PER_CAMPAIGN: tuple[CampaignCheck, ...] = (check_sms, check_opt_out, check_whatsapp,
                                           check_sender, check_invisible, check_mass_mention,
                                           check_links)


def run_checks(campaigns: Sequence[Campaign], config: CheckConfig,
               now: datetime | None = None,
               context: Sequence[Campaign] | None = None) -> list[Diagnostic]:
    """Every finding of every check that is switched on, as located diagnostics.

    `campaigns` are checked; `context` (default: the same) is every definition, for the
    checks that compare campaigns with each other.
    """
    return [d for _, d in checked(campaigns, config, now, context)]


def sends_immediately(c: Campaign) -> Diagnostic | None:
    """A campaign without `scheduled_at` goes out the moment apply creates it: a warning in
    `validate` and `plan` alike (it needs nothing of the account to know)."""
    if c.scheduled_at is not None:
        return None
    return Diagnostic(c.location_of("name"),
                      "not set: the campaign sends the moment apply creates it",
                      field="scheduled_at", severity=Severity.WARNING,
                      code="sends-immediately")


def checked(campaigns: Sequence[Campaign], config: CheckConfig,
            now: datetime | None = None,
            context: Sequence[Campaign] | None = None) -> list[tuple[Campaign, Diagnostic]]:
    """`run_checks`, each finding with the campaign it is about."""
    moment = now or clock.now()
    found: list[tuple[Campaign, Finding]] = []
    for c in campaigns:
        for check in PER_CAMPAIGN:
            for finding in check(c, config):
                found.append((c, finding))
        for finding in check_quiet_hours(c, config, moment):
            found.append((c, finding))
    found.extend(check_list_frequency(campaigns, campaigns if context is None else context,
                                      config, moment))
    return [(c, _diagnostic(f, config)) for c, f in found
            if f.check not in config.disabled and f.check not in c.skip_checks]


def _diagnostic(finding: Finding, config: CheckConfig) -> Diagnostic:
    return Diagnostic(finding.location, finding.message, field=finding.field,
                      severity=severity_of_finding(config, finding), code=finding.check)

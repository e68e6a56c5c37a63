"""Review checks: the costly and the unlawful, caught before a campaign is sent.

Each check has an id, a default severity, and a message that says how to fix what it
found. A campaign can switch checks off for itself (`skip_checks: [id, ...]`), the
repository for everything (`.campaigns.yaml` or `[tool.campaigns]` in pyproject.toml; see
`config.py`). Checks are pure functions of a campaign, the configuration and the time.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from reconciler import clock
from reconciler.checks.config import CheckConfig
from reconciler.definitions import Campaign
from reconciler.diagnostics import Diagnostic, Location, Severity
from reconciler.words import counted


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
    Check("invisible-characters", Severity.WARNING,
          "bidi controls, zero-width and other invisible or control characters in a body "
          "(in a name they are always an error)"),
    Check("list-frequency", Severity.WARNING,
          "two marketing campaigns reaching the same contact list too close together"),
    Check("mass-mention", Severity.WARNING,
          "a Slack message that notifies a whole channel or workspace (`<!channel>`, "
          "`<!here>`, `<!everyone>`, `@channel`, `@here`)"),
    Check("link-scheme", Severity.ERROR,
          "a javascript:, vbscript:, data: or file: link in a message"),
    Check("link-insecure", Severity.WARNING, "a plain http:// link where https:// is expected"),
    Check("link-shortener", Severity.WARNING,
          "a link shortener's link (it hides where it goes; carriers filter them)"),
    Check("link-idn", Severity.WARNING,
          "a link to an internationalised domain (shown with its punycode form)"),
    Check("link-form", Severity.WARNING,
          "a link with a space, a typo-prone or non-ASCII character, or too long"),
    Check("link-segment", Severity.WARNING, "a link cut by an SMS segment boundary"),
    Check("link-domain", Severity.WARNING, "a link to a domain outside allowed_domains"),
    Check("link-params", Severity.WARNING,
          "a link without the query parameters of require_params (utm_campaign, ...)"),
    Check("link-broken", Severity.ERROR,
          "with the online check: a link that answers 4xx or 5xx, or no answer at all "
          "(an error on your own domains, a warning elsewhere)"),
)}


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
    info = c.sms()
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


@lru_cache(maxsize=4096)  # a body shared by many campaigns is read once
def _has_opt_out(body: str, phrases: tuple[str, ...]) -> bool:
    return any(_phrase_pattern(p).search(body) for p in phrases)


def check_opt_out(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    if c.channel != "sms" or c.purpose != "marketing" or c.body is None:
        return
    if _has_opt_out(c.body, config.opt_out_phrases):
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
        yield from _placeholder_count(c, index, component, text, parameters)
    if c.template_text is not None:
        body = next((component for component in components if isinstance(component, dict)
                     and component.get("type") == "body"), {})
        parameters = body.get("parameters") or []
        if isinstance(parameters, list):
            yield from _placeholder_count(c, None, body, c.template_text, parameters)


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
    yield ("whatsapp-template", c.location_of(where), field,
           f"the {what} has {counted(len(placeholders), 'placeholder')} ({numbered}) but "
           f"{counted(len(parameters), 'parameter')}; WhatsApp rejects the message")


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
        yield ("mass-mention", c.location_of("body"), "body",
               f"{source} at {_line_and_column(c.body, offset)} notifies {mention.who}. "
               "Keep it only if every one of them must be interrupted; otherwise remove "
               "it, or add mass-mention to skip_checks")


def check_sender(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    if c.channel in ("sms", "whatsapp", "telegram") and c.sender_id.isdigit():
        yield ("sender-id", c.location_of("sender_id"), "sender_id",
               f"{c.sender_id!r} is only digits: handsets show it as a phone number that "
               "cannot be replied to; use letters, or an E.164 number with its '+'")


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def invisible_characters(text: str, *, allow_newline: bool) -> list[tuple[str, int, str]]:
    """(character, position from 1, what it is) for each character a reader cannot see."""
    if (text.replace("\n", "") if allow_newline else text).isprintable():
        return []  # no Cc or Cf character at all: the common case, at C speed
    return _scan_invisible(text, allow_newline=allow_newline)


def _scan_invisible(text: str, *, allow_newline: bool) -> list[tuple[str, int, str]]:
    found = []
    for position, ch in enumerate(text, start=1):
        if ch == "\n" and allow_newline:
            continue
        category = unicodedata.category(ch)
        if ch in _BIDI:
            kind = "a bidi control, which reorders the text around it"
        elif ch in _ZERO_WIDTH:
            kind = "a zero-width character"
        elif category == "Cf":
            kind = "an invisible format character"
        elif category == "Cc":
            kind = "a control character"
        else:
            continue
        found.append((ch, position, kind))
    return found


def _describe_invisible(found: Sequence[tuple[str, int, str]], limit: int = 5) -> str:
    shown = [f"U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed')}, {kind}) at character "
             f"{position}" for ch, position, kind in found[:limit]]
    more = f" and {len(found) - limit} more" if len(found) > limit else ""
    return "; ".join(shown) + more


def check_invisible(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    found = invisible_characters(c.name, allow_newline=False)
    if found:
        yield ("invisible-characters", c.location_of("name"), "name",
               f"holds {_describe_invisible(found)}; a reviewer cannot see it, and the "
               "name would not match what they read")
    elif unicodedata.normalize("NFC", c.name) != c.name:
        yield ("invisible-characters", c.location_of("name"), "name",
               "is not in Unicode normal form C: it looks like another spelling of the same "
               "name but does not match it")
    if c.body is not None:
        found = invisible_characters(c.body, allow_newline=True)
        if found:
            yield ("invisible-characters", c.location_of("body"), "body",
                   f"holds {_describe_invisible(found)}; recipients may see something "
                   "other than what the review showed. Remove them unless they are meant")


class _Timeline:
    """The marketing sends to one list, by time: the nearest other send to a moment in
    O(log n), so that checking n campaigns costs n log n, not n squared. Ties go to the
    campaign listed first (context before subjects), as a linear scan would pick."""

    def __init__(self, sends: Sequence[tuple[datetime, Campaign]]) -> None:
        firsts: dict[datetime, list[tuple[int, Campaign]]] = {}
        for order, (moment, c) in enumerate(sends):
            group = firsts.setdefault(moment, [])
            if len(group) < 2:  # the two listed first: one of them is not the asker
                group.append((order, c))
        self.times = sorted(firsts)
        self.firsts = firsts

    def _other(self, moment: datetime, asker: Campaign) -> tuple[int, Campaign] | None:
        return next((pair for pair in self.firsts.get(moment, ()) if pair[1] is not asker),
                    None)

    def nearest(self, mine: datetime, asker: Campaign) -> tuple[timedelta, Campaign] | None:
        at = bisect.bisect_left(self.times, mine)
        candidates: list[tuple[timedelta, int, Campaign]] = []
        same = self._other(mine, asker) if at < len(self.times) and \
            self.times[at] == mine else None
        if same:
            return timedelta(0), same[1]
        after = at + 1 if at < len(self.times) and self.times[at] == mine else at
        # The nearest time before and after with a send by another campaign (a time held
        # only by the asker itself has no other).
        for index, step in ((at - 1, -1), (after, 1)):
            while 0 <= index < len(self.times):
                other = self._other(self.times[index], asker)
                if other:
                    candidates.append((abs(self.times[index] - mine), other[0], other[1]))
                    break
                index += step
        if not candidates:
            return None
        distance, _, campaign = min(candidates, key=lambda t: (t[0], t[1]))
        return distance, campaign


def check_list_frequency(subjects: Sequence[Campaign], context: Sequence[Campaign],
                         config: CheckConfig, now: datetime) -> Iterable[tuple[Campaign,
                                                                               Finding]]:
    """Marketing campaigns to one list closer together than the configured gap.

    `subjects` are checked; `context` is every definition (those already sent included,
    since their files remain). A subject with no `scheduled_at` counts at `now`; a
    context campaign with none is left out, since when it went out is not in its file.
    """
    gap = timedelta(hours=config.min_hours_between_marketing)
    checked = {id(c) for c in subjects}
    by_list: dict[str, list[tuple[datetime, Campaign]]] = {}
    for c in {id(c): c for c in [*context, *subjects]}.values():
        if c.purpose != "marketing":
            continue
        moment = c.sends_at or (now if id(c) in checked else None)
        if moment is not None:
            by_list.setdefault(c.contact_list_id, []).append((moment, c))
    timelines = {list_id: _Timeline(sends) for list_id, sends in by_list.items()}
    for c in subjects:
        if c.purpose != "marketing":
            continue
        mine = c.sends_at or now
        timeline = timelines.get(c.contact_list_id)
        nearest = timeline.nearest(mine, c) if timeline else None
        if nearest is None or nearest[0] >= gap:
            continue
        distance, other = nearest
        hours = distance.total_seconds() / 3600
        yield c, ("list-frequency", c.location_of("scheduled_at" if c.sends_at else "name"),
                  "scheduled_at",
                  f"reaches {c.contact_list_id} {hours:.1f} hours from the marketing "
                  f"campaign {other.name!r} ({other.location_of('name')}), less than the "
                  f"{config.min_hours_between_marketing:g} hours between marketing campaigns "
                  "to one list (min_hours_between_marketing)")


def check_links(c: Campaign, config: CheckConfig) -> Iterable[Finding]:
    """The links' offline checks (`links.py`); the online one runs in the workflow."""
    if c.body is None and c.template is None:
        return ()
    from reconciler.checks.links import link_findings

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
def severity_of(config: CheckConfig, check_id: str) -> Severity:
    """The configuration's severity for a check, else the check's own."""
    return dict(config.severity).get(check_id, CHECKS[check_id].severity)


ALWAYS_ERRORS = {("invisible-characters", "name")}  # a name no reviewer can read


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
            found.extend((c, f) for f in check(c, config))
        found.extend((c, f) for f in check_quiet_hours(c, config, moment))
    found.extend(check_list_frequency(campaigns, campaigns if context is None else context,
                                      config, moment))
    out: list[tuple[Campaign, Diagnostic]] = []
    for c, (check_id, where, field, message) in found:
        if check_id in config.disabled or check_id in c.skip_checks:
            continue
        severity = (Severity.ERROR if (check_id, field) in ALWAYS_ERRORS
                    else severity_of(config, check_id))
        out.append((c, Diagnostic(where, message, field=field, severity=severity,
                                  code=check_id)))
    return out

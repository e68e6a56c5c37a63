"""The review checks by id: what each one looks for, its default severity, and the shape
of what a check finds (`Finding`), which `review.py` turns into located diagnostics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from reconciler.checks.config import CheckConfig
from reconciler.diagnostics import Location, Severity

CheckId = Literal[
    "sms-encoding", "sms-segments", "opt-out", "quiet-hours", "whatsapp-template",
    "sender-id", "invisible-characters", "list-frequency", "mass-mention", "link-scheme",
    "link-insecure", "link-shortener", "link-idn", "link-form", "link-segment",
    "link-domain", "link-params", "link-broken",
]


@dataclass(frozen=True)
class Check:
    id: CheckId
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


class Finding(NamedTuple):
    """What a check found in one field of one campaign."""

    check: CheckId
    location: Location  # where it stands: the field, or the place inside it
    field: str  # the field's path: `body`, `template.components[0].text`, ...
    message: str  # what is wrong and how to fix it


# A finding at error whatever the configuration says: a name no reviewer can read.
ALWAYS_ERRORS: frozenset[tuple[CheckId, str]] = frozenset({("invisible-characters", "name")})


def severity_of(config: CheckConfig, check_id: str) -> Severity:
    """The configuration's severity for a check, else the check's own."""
    return dict(config.severity).get(check_id, CHECKS[check_id].severity)


def severity_of_finding(config: CheckConfig, finding: Finding) -> Severity:
    """A finding's severity: `severity_of` its check, unless it is one of ALWAYS_ERRORS."""
    if (finding.check, finding.field) in ALWAYS_ERRORS:
        return Severity.ERROR
    return severity_of(config, finding.check)

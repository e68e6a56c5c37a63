"""The offline link checks: what is wrong with a campaign's links, as far as can be seen
without the network (`link-scheme` to `link-params`; `link-broken` needs the online
check). The links themselves are found and located by `links.py`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from reconciler.checks.catalogue import CheckId, Finding
from reconciler.checks.config import LinkRules
from reconciler.checks.links import Link, Located, located_links, punycode

if TYPE_CHECKING:
    from reconciler.definitions import Campaign

REFUSED_SCHEMES = ("javascript", "vbscript", "data", "file")
LONGEST_URL = 2000  # past about this many characters browsers and servers refuse a URL
SHOWN_A_CHECK = 10  # findings of one check in one field before "and N more"

# Characters a reader mistypes or a phone cuts a link at: outside RFC 3986 as typed.
_TYPO_PRONE = re.compile(r"[\\^`{}|\"<>\u00a0\u2018\u2019\u201c\u201d\u2013\u2014]")

# What each check says of a link (`shown`: the link as written, and its punycode;
# `short`: its first 60 characters).
_SAYS: dict[CheckId, str] = {
    "link-scheme": "{short} is a {scheme}: link, which runs or embeds content instead of "
                   "opening a page; send an https:// link",
    "link-insecure": "{shown} is plain http://: use https:// (carriers and browsers flag "
                     "plain-text links, and the page may be altered on the way)",
    "link-shortener": "{shown} is a link shortener: it hides where it goes and carriers "
                      "filter shortened links; link to the page itself",
    "link-idn": "{host!r} is an internationalised domain, sent as {ascii_host}: some phones "
                "show that form, and look-alike letters from other scripts are a phishing "
                "trick; check the spelling",
    "link-form": "{shown} {problem}",
    "link-segment": "{shown} is cut by an SMS segment boundary (character {at} of the "
                    "body): a phone that shows the segments apart cannot open it; move the "
                    "link or shorten the text before it",
    "link-domain": "{shown} goes to {host}, not one of the allowed_domains ({domains})",
    "link-params": "{shown} lacks {missing} (require_params): the visits it brings will not "
                   "be counted for this campaign",
}


def _found(check: CheckId, located: Located, **values: object) -> Finding:
    shown = _described(located.link)  # worded only for a finding: most links have none
    return Finding(check, located.location, located.field,
                   _SAYS[check].format(shown=shown, short=shown[:60], **values))


def _on(host: str, domains: Sequence[str]) -> bool:
    """The host is one of these domains or under one of them."""
    return _host_on(host, tuple(domains))


@lru_cache(maxsize=4096)  # a host linked from many campaigns is judged once
def _host_on(host: str, domains: tuple[str, ...]) -> bool:
    host = punycode(host.lower())
    return any(host == d or host.endswith("." + d)
               for d in (punycode(x.lower().strip(".")) for x in domains))


def is_own(link: Link, rules: LinkRules) -> bool:
    """A link to the sender's own site: under `allowed_domains`, or anywhere when none
    are configured (the tool cannot tell, so it is as careful as with your own)."""
    return not rules.allowed_domains or _on(link.host, rules.allowed_domains)


def _described(link: Link) -> str:
    shown = link.text if len(link.text) <= 80 else f"{link.text[:60]}…({len(link.text)} characters)"
    idn = f" ({link.ascii_host})" if link.host and not link.host.isascii() else ""
    return f"{shown!r}{idn}"


# -- the link's form: each judge says what is wrong, or None -----------------------------


class _Written(NamedTuple):
    """A link as written, and as much of the text around it as its form depends on: the
    same link in another message, with the same around it, is judged once."""

    text: str
    url: str
    after: str  # the 40 characters after it
    spaced_scheme: bool  # a bare domain just after `http://` and white space


def _too_long(w: _Written) -> str | None:
    if len(w.text) <= LONGEST_URL:
        return None
    return (f"is {len(w.text):,} characters long; browsers, servers and SMS gateways "
            f"refuse or cut URLs past about {LONGEST_URL:,}")


def _split_by_a_space(w: _Written) -> str | None:
    if re.match(r"\s+/\S", w.after):
        return "is followed by a space and more path: a space ends a link on a phone"
    if "%20" in w.text or w.spaced_scheme:
        return "holds a space: a phone ends the link there"
    return None


def _typo_prone(w: _Written) -> str | None:
    bad = _TYPO_PRONE.search(w.text)
    if bad is None:
        return None
    return (f"holds {bad.group()!r} (U+{ord(bad.group()):04X}), which phones cut a link at "
            "and readers mistype")


def _non_ascii_path(w: _Written) -> str | None:
    parts = urlsplit(w.url)
    odd = next((ch for ch in parts.path + parts.query + parts.fragment if not ch.isascii()),
               None)
    if odd is None:
        return None
    return (f"holds {odd!r} (U+{ord(odd):04X}) in its path: some phones and apps open it "
            "percent-encoded or not at all; use ASCII")


_FORM_JUDGES: tuple[Callable[[_Written], str | None], ...] = (
    _too_long, _split_by_a_space, _typo_prone, _non_ascii_path)


def _form_problem(located: Located) -> str | None:
    """The first thing wrong with how a link is written in its text, if any."""
    link, text = located.link, located.text
    return _form_problem_of(_Written(link.text, link.url, text[link.end:link.end + 40],
                                     link.bare and _after_a_spaced_scheme(text, link.start)))


def _after_a_spaced_scheme(text: str, start: int) -> bool:
    """`text[:start]` ends with `http://` or `https://` and white space."""
    at = start
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return at < start and text.endswith(("http://", "https://"), 0, at)


@lru_cache(maxsize=4096)
def _form_problem_of(written: _Written) -> str | None:
    return next(filter(None, (judge(written) for judge in _FORM_JUDGES)), None)


# -- the findings -------------------------------------------------------------------------


def link_findings(c: Campaign, rules: LinkRules, segment_starts: Sequence[int] = ()
                  ) -> Iterator[Finding]:
    """What is wrong with a campaign's links, as far as can be seen without the network.
    `segment_starts` are where each SMS segment after the first begins in the body."""
    per: dict[tuple[CheckId, str], int] = {}
    for finding in _each_finding(c, rules, segment_starts):
        key = (finding.check, finding.field)
        per[key] = per.get(key, 0) + 1
        if per[key] <= SHOWN_A_CHECK:
            yield finding
    for (check_id, field_name), count in per.items():
        if count > SHOWN_A_CHECK:
            yield Finding(check_id, c.location_of(field_name.split(".")[0]), field_name,
                          f"and {count - SHOWN_A_CHECK} more links like those above "
                          f"({count} in all)")


def _each_finding(c: Campaign, rules: LinkRules, segment_starts: Sequence[int]
                  ) -> Iterator[Finding]:
    sms_body = c.channel == "sms"
    for located in located_links(c):
        if located.link.scheme in REFUSED_SCHEMES:
            yield _found("link-scheme", located, scheme=located.link.scheme)
            continue
        yield from _written_findings(located, rules)
        if sms_body and located.field == "body":
            yield from _segment_findings(located, segment_starts)
        yield from _policy_findings(located, rules)


def _written_findings(located: Located, rules: LinkRules) -> Iterator[Finding]:
    """What is wrong with the link as written, whatever the configuration expects."""
    link = located.link
    if link.scheme == "http":
        yield _found("link-insecure", located)
    if _on(link.host, rules.shorteners):
        yield _found("link-shortener", located)
    if not link.host.isascii():
        yield _found("link-idn", located, host=link.host, ascii_host=link.ascii_host)
    problem = _form_problem(located)
    if problem:
        yield _found("link-form", located, problem=problem)


def _segment_findings(located: Located, segment_starts: Sequence[int]) -> Iterator[Finding]:
    link = located.link
    cut = next((s for s in segment_starts if link.start < s < link.end), None)
    if cut is not None:
        yield _found("link-segment", located, at=cut + 1)


def _policy_findings(located: Located, rules: LinkRules) -> Iterator[Finding]:
    """What the configuration asks of links: their domains and their query parameters."""
    link = located.link
    if rules.allowed_domains and not _on(link.host, rules.allowed_domains):
        yield _found("link-domain", located, host=link.host,
                     domains=", ".join(rules.allowed_domains))
    if rules.require_params and is_own(link, rules) and not _on(link.host, rules.shorteners):
        query = {k for k, _ in parse_qsl(urlsplit(link.url).query, keep_blank_values=True)}
        missing = [p for p in rules.require_params if p not in query]
        if missing:
            yield _found("link-params", located, missing=", ".join(missing))

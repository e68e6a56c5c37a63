"""Links in messages: found, located at `file:line:col`, and checked without the network.

A link is a `https://`/`http://` URL, a bare domain with a path (`myapp.ao/promo`), a
Slack `<url|label>`, or a `javascript:`/`data:` URL (always an error: a phone must never be
handed one). Bare domains count only when their last labels are a public suffix, as the
Public Suffix List says (`publicsuffixlist`'s bundled copy, never fetched), so `e.g.` or
`20.5` are not links and `myapp.ao` is.

Pure: no network, no files. The text of each definition's file comes with its campaign
(`Campaign.source`), so that a link is located where it stands, not only at its body.
The online check (`linkcheck.py`) and the plan's record of it (`LinkCheck`) build on this.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from reconciler.checks.config import LinkRules
from reconciler.diagnostics import Location

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

    from reconciler.definitions import Campaign

REFUSED_SCHEMES = ("javascript", "vbscript", "data", "file")
LONGEST_URL = 2000  # past about this many characters browsers and servers refuse a URL
SHOWN_A_CHECK = 10  # findings of one check in one field before "and N more"

# `<url|label>` and `<url>`, as Slack writes links.
_SLACK = re.compile(r"<((?:https?|javascript|vbscript|data|file):[^|>\s]+)(?:\|[^>\n]*)?>",
                    re.IGNORECASE)
# A URL with a scheme. `data:` only with a media type or a comma after it, so that
# "data: 10 Aug" stays prose.
_SCHEMED = re.compile(
    r"(?<![\w.+-])(?:https?://|javascript:|vbscript:|file:/|data:(?=[\w.+-]+/[\w.+-]+[;,]|,))"
    r"[^\s<>\"]*", re.IGNORECASE)
# A bare domain (labels of letters, digits and hyphens, any script) with an optional
# port and path; not the tail of an e-mail address or of a longer word.
_BARE = re.compile(
    r"(?<![^\W_])(?<![@.:/-])(?:[^\W_](?:[\w-]{0,62}[^\W_])?\.)+[^\W\d_]{2,63}(?![\w@-])"
    r"(?::\d{1,5})?(?:[/?#][^\s<>\"]*)?")
_TRAILING = ".,;:!?'\"…"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_EMPHASIS = "*_~"  # WhatsApp, Slack and Telegram's bold, italic and strike-through marks
# Characters a reader mistypes or a phone cuts a link at: outside RFC 3986 as typed.
_TYPO_PRONE = re.compile(r"[\\^`{}|\"<>\u00a0\u2018\u2019\u201c\u201d\u2013\u2014]")


@dataclass(frozen=True, slots=True)
class Link:
    """One link in a text: as written, and as a phone opens it."""

    text: str  # as written
    start: int  # code-point offset in the text it was found in
    url: str  # with `https://` before a bare domain
    scheme: str  # lower case
    host: str  # lower case, Unicode as written; "" for javascript:/data:
    bare: bool  # written without a scheme

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def ascii_host(self) -> str:
        """The host as DNS knows it (punycode for an internationalised name)."""
        return punycode(self.host)


def punycode(host: str) -> str:
    """`ção.ao` -> `xn--o-zfa.ao`; the host itself when it is ASCII or not encodable."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    # Loaded only when a bare domain needs judging: the list bundled with the package (it
    # fetches nothing), its ICANN section (a suffix a registry assigns, not a hosting
    # company's), and a last label the list does not know is no suffix (`e.g`).
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList(accept_unknown=False, only_icann=True)


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str:
    """`shop.myapp.co.ao` -> `myapp.co.ao`; "" when the host has no public suffix."""
    return _suffixes().privatesuffix(host) or ""


def _trim(text: str, start: int, end: int) -> int:
    """Where a link that a pattern took up to `end` really ends: without trailing
    punctuation, closing brackets it did not open, and emphasis marks around it."""
    opened_with = text[start - 1] if start > 0 else ""

    def dangling(last: str) -> bool:
        if last in _CLOSERS:
            return text.count(_CLOSERS[last], start, end) < text.count(last, start, end)
        return last in _TRAILING or (last in _EMPHASIS and last == opened_with)

    while end > start and dangling(text[end - 1]):
        end -= 1
    return end


def _link(text: str, start: int, end: int, bare: bool) -> Link | None:
    written = text[start:end]
    scheme = "https" if bare else written.split(":", 1)[0].lower()
    url = f"https://{written}" if bare else written
    host = ""
    if scheme in ("http", "https"):
        try:
            host = (urlsplit(url).hostname or "").rstrip(".")
        except ValueError:  # an unreadable port or an unbalanced [ in the host
            host = ""
        if not host:
            return None
    return Link(written, start, url, scheme, host, bare)


_DOTTED_WORD = re.compile(r"(?<!\S)[^\s.]*\.\S*")  # a whole word that holds a dot


def _bare_domains(text: str) -> Iterator[re.Match[str]]:
    """What `_BARE` finds in `text`, searched only in its words that hold a dot: a bare
    domain holds no white space, and the pattern tried at every position of a whole
    message was most of the time its links took to find."""
    for word in _DOTTED_WORD.finditer(text):
        # The bounds keep the text around them: the lookbehinds see the real character
        # before the word, and past its end the lookaheads see what white space gives.
        yield from _BARE.finditer(text, word.start(), word.end())


def find_links(text: str) -> list[Link]:
    """Every link in `text`, in order. Linear in the text's length."""
    return list(_links_in(text))


@lru_cache(maxsize=4096)  # a body shared by many campaigns (a file's defaults) is read once
def _links_in(text: str) -> tuple[Link, ...]:
    taken: list[tuple[int, int]] = []
    links: list[Link] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for m in _SLACK.finditer(text):
        link = _link(text, m.start(1), m.end(1), bare=False)
        taken.append((m.start(), m.end()))
        if link:
            links.append(link)
    for m in _SCHEMED.finditer(text):
        if not free(m.start(), m.end()):
            continue
        end = _trim(text, m.start(), m.end())
        taken.append((m.start(), m.end()))
        link = _link(text, m.start(), end, bare=False)
        if link:
            links.append(link)
    for m in _bare_domains(text):
        if not free(m.start(), m.end()):
            continue
        end = _trim(text, m.start(), m.end())
        link = _link(text, m.start(), end, bare=True)
        if link and registered_domain(link.host):
            taken.append((m.start(), m.end()))
            links.append(link)
    return tuple(sorted(links, key=lambda link: link.start))


# -- where links stand ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """A text that is sent, the field it is in, and where that field stands."""

    field: str
    text: str
    anchor: Location


def texts_of(c: Campaign) -> Iterator[Text]:
    """The body, and a template's component texts and its URL buttons' parameters."""
    if c.body:
        yield Text("body", c.body, c.location_of("body"))
    components = (c.template or {}).get("components")
    if not isinstance(components, list):
        return
    anchor = c.location_of("template")
    for i, component in enumerate(components):
        if not isinstance(component, Mapping):
            continue
        yield from _strings(f"template.components[{i}]", component, ("text", "url"), anchor)
        if component.get("sub_type") == "url" or component.get("type") == "url":
            for j, parameter in enumerate(component.get("parameters") or ()):
                if isinstance(parameter, Mapping):
                    yield from _strings(f"template.components[{i}].parameters[{j}]",
                                        parameter, ("text", "url"), anchor)
        for j, button in enumerate(component.get("buttons") or ()):
            if isinstance(button, Mapping):
                yield from _strings(f"template.components[{i}].buttons[{j}]", button,
                                    ("url",), anchor)


def _strings(prefix: str, mapping: Mapping[str, Any], keys: Sequence[str],
             anchor: Location) -> Iterator[Text]:
    for key in keys:
        value = mapping.get(key)
        if isinstance(value, str) and value:
            yield Text(f"{prefix}.{key}", value, anchor)


@lru_cache(maxsize=8)
def _lines(source: bytes) -> tuple[str, tuple[int, ...]]:
    text = source.decode("utf-8", errors="replace")
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return text, tuple(starts)


@dataclass(frozen=True, slots=True)
class Located:
    """A link of a campaign, and where it stands in the definition's file."""

    link: Link
    field: str
    location: Location
    text: str  # the whole text it is in


def located_links(c: Campaign) -> list[Located]:
    """Every link of a campaign's sent texts, each at its own `file:line:col` when the
    definition's text shows it as written (an escaped character in a quoted string hides
    it: then at its field)."""
    out: list[Located] = []
    for t in texts_of(c):
        links = find_links(t.text)
        out.extend(Located(link, t.field, where, t.text)
                   for link, where in zip(links, _places(c.source, t, links), strict=True))
    return out


def _places(source: bytes | None, t: Text, links: Sequence[Link]) -> Iterator[Location]:
    if source is None or not links:
        yield from (t.anchor for _ in links)
        return
    text, starts = _lines(source)
    if t.anchor.line > len(starts):
        yield from (t.anchor for _ in links)
        return
    cursor = starts[t.anchor.line - 1] + t.anchor.column - 1
    # A field's text in the file is its value plus indentation and quoting: a search
    # bounded by that finds its links and never runs into the next campaign's.
    limit = cursor + 2 * len(t.text) + 4 * t.text.count("\n") + 256
    for link in links:
        at = text.find(link.text, cursor, limit)
        if at < 0:
            yield t.anchor
            continue
        line = _line_of(starts, at)
        yield Location(t.anchor.file, line + 1, at - starts[line] + 1)
        cursor = at + len(link.text)


def _line_of(starts: Sequence[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset) - 1


# -- the offline checks ---------------------------------------------------------------------


Finding = tuple[str, Location, str, str]  # (check id, where, field, message), as checks'


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


def _form_problem(located: Located) -> str | None:
    return _form_problem_in(located.link, located.text)


@lru_cache(maxsize=4096)  # the same link in the same text (a shared body) is judged once
def _form_problem_in(link: Link, text: str) -> str | None:
    if len(link.text) > LONGEST_URL:
        return (f"is {len(link.text):,} characters long; browsers, servers and SMS gateways "
                f"refuse or cut URLs past about {LONGEST_URL:,}")
    if re.match(r"\s", text[link.end:link.end + 1]) and \
            re.match(r"\s+/\S", text[link.end:link.end + 40]):
        return "is followed by a space and more path: a space ends a link on a phone"
    if "%20" in link.text or (link.bare and re.search(r"https?://\s+$", text[:link.start])):
        return "holds a space: a phone ends the link there"
    bad = _TYPO_PRONE.search(link.text)
    if bad:
        return (f"holds {bad.group()!r} (U+{ord(bad.group()):04X}), which phones cut a link at "
                "and readers mistype")
    parts = urlsplit(link.url)
    odd = next((ch for ch in parts.path + parts.query + parts.fragment if not ch.isascii()),
               None)
    if odd is not None:
        return (f"holds {odd!r} (U+{ord(odd):04X}) in its path: some phones and apps open it "
                "percent-encoded or not at all; use ASCII")
    return None


def link_findings(c: Campaign, rules: LinkRules, segment_starts: Sequence[int] = ()
                  ) -> Iterator[Finding]:
    """What is wrong with a campaign's links, as far as can be seen without the network.
    `segment_starts` are where each SMS segment after the first begins in the body."""
    per: dict[tuple[str, str], int] = {}
    for finding in _each_finding(c, rules, segment_starts):
        key = (finding[0], finding[2])
        per[key] = per.get(key, 0) + 1
        if per[key] <= SHOWN_A_CHECK:
            yield finding
    for (check_id, field_name), count in per.items():
        if count > SHOWN_A_CHECK:
            yield (check_id, c.location_of(field_name.split(".")[0]), field_name,
                   f"and {count - SHOWN_A_CHECK} more links like those above "
                   f"({count} in all)")


def _each_finding(c: Campaign, rules: LinkRules, segment_starts: Sequence[int]
                  ) -> Iterator[Finding]:
    for located in located_links(c):
        link, where, field_name = located.link, located.location, located.field
        shown = _described(link)
        if link.scheme in REFUSED_SCHEMES:
            yield ("link-scheme", where, field_name,
                   f"{shown[:60]} is a {link.scheme}: link, which runs or embeds content "
                   "instead of opening a page; send an https:// link")
            continue
        if link.scheme == "http":
            yield ("link-insecure", where, field_name,
                   f"{shown} is plain http://: use https:// (carriers and browsers flag "
                   "plain-text links, and the page may be altered on the way)")
        if _on(link.host, rules.shorteners):
            yield ("link-shortener", where, field_name,
                   f"{shown} is a link shortener: it hides where it goes and carriers "
                   "filter shortened links; link to the page itself")
        if not link.host.isascii():
            yield ("link-idn", where, field_name,
                   f"{link.host!r} is an internationalised domain, sent as "
                   f"{link.ascii_host}: some phones show that form, and look-alike "
                   "letters from other scripts are a phishing trick; check the spelling")
        problem = _form_problem(located)
        if problem:
            yield ("link-form", where, field_name, f"{shown} {problem}")
        if field_name == "body" and c.channel == "sms":
            cut = next((s for s in segment_starts if link.start < s < link.end), None)
            if cut is not None:
                yield ("link-segment", where, field_name,
                       f"{shown} is cut by an SMS segment boundary (character {cut + 1} of "
                       "the body): a phone that shows the segments apart cannot open it; "
                       "move the link or shorten the text before it")
        yield from _policy_findings(located, rules, shown)


def _policy_findings(located: Located, rules: LinkRules, shown: str) -> Iterator[Finding]:
    """What the configuration asks of links: their domains and their query parameters."""
    link, where, field_name = located.link, located.location, located.field
    if rules.allowed_domains and not _on(link.host, rules.allowed_domains):
        yield ("link-domain", where, field_name,
               f"{shown} goes to {link.host}, not one of the allowed_domains "
               f"({', '.join(rules.allowed_domains)})")
    if rules.require_params and is_own(link, rules) and not _on(link.host, rules.shorteners):
        query = {k for k, _ in parse_qsl(urlsplit(link.url).query, keep_blank_values=True)}
        missing = [p for p in rules.require_params if p not in query]
        if missing:
            yield ("link-params", where, field_name,
                   f"{shown} lacks {', '.join(missing)} (require_params): the visits it "
                   "brings will not be counted for this campaign")


# -- what the online check found, as the plan keeps it --------------------------------------


@dataclass(frozen=True)
class LinkCheck:
    """One distinct URL of the campaigns to create, as the online check found it."""

    url: str
    status: int | None  # the last answer's HTTP status; None: no answer
    redirects: tuple[str, ...] = ()  # where it sent the request on to, in order
    problem: str | None = None  # None: it answered
    places: tuple[Location, ...] = field(default_factory=tuple)

    @property
    def final_url(self) -> str:
        return self.redirects[-1] if self.redirects else self.url

    def trail(self) -> str:
        """`https://a → https://b → https://c`: the URL and where it was sent on to."""
        return " → ".join((self.url, *self.redirects))

"""Links in messages: found, and located at `file:line:col`.

A link is a `https://`/`http://` URL, a bare domain with a path (`myapp.ao/promo`), a
Slack `<url|label>`, or a `javascript:`/`data:` URL (always an error: a phone must never be
handed one). Bare domains count only when their last labels are a public suffix, as the
Public Suffix List says (`publicsuffixlist`'s bundled copy, never fetched), so `e.g.` or
`20.5` are not links and `myapp.ao` is.

Pure: no network, no files. The text of each definition's file comes with its campaign
(`Campaign.source`), so that a link is located where it stands, not only at its body.
The offline checks (`linkfindings.py`), the online one (`linkcheck.py`) and the plan's
record of it (`LinkCheck`) build on this.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reconciler.diagnostics import Location

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

    from reconciler.definitions import Campaign

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
    # company's), and a last label the list does not know is no suffix (`e.g`). Its
    # internationalised suffixes stay as the list writes them, in Unicode, without the
    # punycode copy of each that the library would make on every load (two thirds of
    # the load): `registered_domain` asks in Unicode.
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList(accept_unknown=False, only_icann=True, accept_encoded_idn=False)


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str:
    """`shop.myapp.co.ao` -> `myapp.co.ao`; "" when the host has no public suffix."""
    labels = host.removesuffix(".").lower().split(".")
    found = _suffixes().privatesuffix(".".join(map(_unicode_label, labels)))
    return ".".join(labels[-(found.count(".") + 1):]) if found else ""


def _unicode_label(label: str) -> str:
    """`xn--p1ai` -> `рф`: a punycode label as the list writes it; any other as it is."""
    if not label.startswith("xn--"):
        return label
    try:
        unicode = label.encode("ascii").decode("idna")
    except UnicodeError:
        return label
    return unicode if unicode and "." not in unicode else label


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
    if "<" in text:  # a Slack link (`<url|label>`) may hold white space: the whole text
        return _scan(text)
    # Any other link lies inside one word (no white space) that holds a dot or a colon,
    # and what the patterns find in a word does not depend on the words around it (white
    # space before and after a word reads as the start and end of a text): each such word
    # is read once a run, however many messages hold it.
    links: list[Link] = []
    cursor = 0
    for word in text.split():
        start = text.find(word, cursor)
        cursor = start + len(word)
        if "." in word or ":" in word:
            links.extend(_moved(link, start) for link in _word_links(word))
    return tuple(links)


@lru_cache(maxsize=8192)  # a domain or URL that many messages share is read once
def _word_links(word: str) -> tuple[Link, ...]:
    return _scan(word)


def _moved(link: Link, offset: int) -> Link:
    if not offset:
        return link
    return Link(link.text, link.start + offset, link.url, link.scheme, link.host, link.bare)


def _scan(text: str) -> tuple[Link, ...]:
    """Every link in `text`, found by the patterns in the whole of it."""
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
        if isinstance(component, Mapping):
            yield from _component_texts(f"template.components[{i}]", component, anchor)


def _component_texts(prefix: str, component: Mapping[str, Any],
                     anchor: Location) -> Iterator[Text]:
    """A component's text and URL, its parameters' when it is a URL button, and its
    buttons' URLs."""
    yield from _strings(prefix, component, ("text", "url"), anchor)
    if component.get("sub_type") == "url" or component.get("type") == "url":
        yield from _each_mapping(f"{prefix}.parameters", component.get("parameters"),
                                 ("text", "url"), anchor)
    yield from _each_mapping(f"{prefix}.buttons", component.get("buttons"), ("url",), anchor)


def _each_mapping(prefix: str, items: object, keys: Sequence[str],
                  anchor: Location) -> Iterator[Text]:
    if not isinstance(items, list):
        return
    for j, item in enumerate(items):
        if isinstance(item, Mapping):
            yield from _strings(f"{prefix}[{j}]", item, keys, anchor)


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

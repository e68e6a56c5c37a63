"""Slack as its app shows a message (mrkdwn): `*bold*`, `_italic_`, `~strike~`, code,
`<url|label>` links, `<!channel>`-style mentions, and `:shortcode:` emoji, resolved with
the `emoji` package's aliases (Slack's names are GitHub's, which those aliases follow).
"""

from __future__ import annotations

import re
from typing import Literal, cast

from reconciler.channels.markup import Atom, line_atoms, parse, without_overlaps
from reconciler.channels.view import Mention, MessageView

_SPECIAL = re.compile(r"<(?P<inner>[^<>\n]+)>")
_SHORTCODE = re.compile(r":[a-z0-9_+'-]+:")
_PLAIN_MENTION = re.compile(r"(?<![\w@])@(?P<name>channel|here|everyone)\b")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_MONOSPACE = re.compile(r"```(.+?)```", re.DOTALL)
MassMention = Literal["channel", "here", "everyone"]
MASS = ("channel", "here", "everyone")


def _special(start: int, end: int, inner: str) -> Atom:
    """`<!here>`, `<@U123>`, `<#C123|general>`, `<https://x|label>` as Slack shows them."""
    target, _, label = inner.partition("|")
    if target.startswith("!"):
        name = target[1:].split("^")[0]
        if name in MASS:
            return Atom(start, end, f"@{name}", "mention", name)
        return Atom(start, end, label or f"@{name}", "mention", name)
    if target.startswith("@"):
        return Atom(start, end, f"@{label or target[1:]}", "mention", target[1:])
    if target.startswith("#"):
        return Atom(start, end, f"#{label or target[1:]}", "mention", target[1:])
    return Atom(start, end, label or target, "link", target)


def atoms(body: str) -> list[Atom]:
    found = [Atom(m.start(), m.end(), m.group(1), "monospace")
             for m in _MONOSPACE.finditer(body)]
    found += [_special(m.start(), m.end(), m.group("inner")) for m in _SPECIAL.finditer(body)]
    found += [Atom(m.start(), m.end(), m.group(), "mention", m.group("name"))
              for m in _PLAIN_MENTION.finditer(body)]
    found += _emoji(body)
    for entity, char in _ENTITIES.items():
        found += [Atom(m.start(), m.end(), char) for m in re.finditer(entity, body)]
    return found


def _emoji(body: str) -> list[Atom]:
    """`:shortcode:`s Slack shows as emoji. The emoji table (30 ms to load) is loaded only
    for a message that holds one."""
    codes = list(_SHORTCODE.finditer(body))
    if not codes:
        return []
    import emoji

    found = []
    for m in codes:
        shown = emoji.emojize(m.group(), language="alias")
        if shown != m.group():
            found.append(Atom(m.start(), m.end(), shown, "emoji", m.group()))
    return found


def view(body: str, sender_id: str) -> MessageView:
    kept = without_overlaps([*atoms(body), *line_atoms(body)])
    found = parse(body, kept)
    written = [body[a.start:a.end] for a in kept if a.kind == "mention" and a.target in MASS]
    shown = [s for s in found.spans if s.kind == "mention" and s.target in MASS]
    mentions = tuple(Mention(s.start, source, cast(MassMention, s.target))
                     for s, source in zip(shown, written, strict=True))
    return MessageView("slack", sender_id, found.text, body, found.spans, mentions=mentions)

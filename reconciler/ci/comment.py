"""One sticky comment per environment: created once, then edited in place.

A comment is this tool's only when its first line is the marker of the text being posted
(`<!-- zexa-campaigns-plan:staging -->`) AND it was written by the token's own user:
anyone can post a comment that starts with the marker, and such a comment is never
edited. A host that refuses (a fork's read-only token: 403) gives a warning, never a
failed job: the same text is in the job's log and summary.

A text longer than the host takes (GitHub: 65,536 characters; GitLab: 1,000,000) is cut at
a line, its open code block and `<details>` closed, and a last line says so and where the
full version is: the host would refuse it whole, and nothing would be posted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reconciler.ci.forge import Comment, Forge, ForgeError, Refused

MARKER_START = "<!-- zexa-campaigns"
NO_AUTHOR = (" (the token's user could not be told, so no earlier comment was edited; pass "
             "--author)")


@dataclass(frozen=True)
class Posted:
    message: str  # what happened, for the job log
    warning: bool = False


def marker_of(body: str) -> str:
    first = body.split("\n", 1)[0].strip()
    if not first.startswith(MARKER_START):
        raise ForgeError("the text does not start with the tool's marker line "
                         f"({MARKER_START} …): write it with plan --markdown-out or apply "
                         "--markdown-out")
    return first


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def _closing(text: str) -> str:
    """What closes the code block and the `<details>` left open at the end of `text`."""
    fence = ""
    details = 0
    for line in text.splitlines():
        found = _FENCE.match(line)
        if fence:
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = ""
        elif found:
            fence = found.group(1)
        else:
            details += line.count("<details") - line.count("</details>")
    return (f"{fence}\n" if fence else "") + "</details>\n" * max(details, 0)


def fitted(body: str, limit: int, host: str, full_version: str) -> str:
    """`body`, or when it is longer than `limit` characters, as much of it as fits, cut at
    a line and closed, with a last line that says so and where the full version is."""
    if len(body) <= limit:
        return body
    note = (f"\n> **Shortened to fit in a comment:** the text is {len(body):,} characters, "
            f"and {host} takes at most {limit:,}. The full version: {full_version}.\n")
    room = limit - len(note)
    while True:
        kept = body[:room]
        kept = kept[:kept.rfind("\n") + 1] or kept
        closing = _closing(kept)
        if len(kept) + len(closing) + len(note) <= limit:
            return kept + closing + note
        room -= len(closing)


def post_sticky(forge: Forge, body: str, author: str | None = None,
                full_version: str = "the job log") -> Posted:
    """Create, or update in place, the comment that carries `body` (shortened to what the
    host takes, naming `full_version` as where the rest is)."""
    marker = marker_of(body)
    cut = _shortened(forge, full_version) if len(body) > forge.comment_limit else ""
    body = fitted(body, forge.comment_limit, forge.name, full_version)
    if not forge.request:
        raise ForgeError(f"no {forge.name} request to comment on: run it on a pull or merge "
                         "request, or name one with --request")
    try:
        who = author or forge.whoami() or forge.default_author
        earlier = _earlier(forge, who, marker)
        if earlier is not None:
            forge.update(earlier.id, body)
            return Posted(f"Updated the comment {earlier.id} on {forge.name} request "
                          f"{forge.request}.{cut}")
        created = forge.create(body)
    except Refused as refused:
        return Posted(f"Could not comment ({refused}); the text is in the job's log and "
                      "summary. A fork's pull request gets a read-only token.", warning=True)
    note = "" if who else NO_AUTHOR
    return Posted(f"Posted the comment {created} on {forge.name} request "
                  f"{forge.request}.{note}{cut}")


def _earlier(forge: Forge, who: str | None, marker: str) -> Comment | None:
    """This tool's earlier comment: written by the token's user (`who`), its first line
    `marker`. With no user known, none is (another's comment is never edited)."""
    ours = [c for c in forge.comments()
            if who and c.author == who and c.body.split("\n", 1)[0].strip() == marker]
    return ours[0] if ours else None


def _shortened(forge: Forge, full_version: str) -> str:
    """The report's last sentence when the text was shortened to fit."""
    return f" It was shortened to {forge.comment_limit:,} characters, {forge.name}'s " \
        f"limit; the full version: {full_version}."

"""One sticky comment per environment: created once, then edited in place.

A comment is this tool's only when its first line is the marker of the text being posted
(`<!-- zexa-campaigns-plan:staging -->`) AND it was written by the token's own user:
anyone can post a comment that starts with the marker, and such a comment is never
edited. A host that refuses (a fork's read-only token: 403) gives a warning, never a
failed job: the same text is in the job's log and summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.ci.forge import Forge, ForgeError, Refused

MARKER_START = "<!-- zexa-campaigns"


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


def post_sticky(forge: Forge, body: str, author: str | None = None) -> Posted:
    """Create, or update in place, the comment that carries `body`."""
    marker = marker_of(body)
    if not forge.request:
        raise ForgeError(f"no {forge.name} request to comment on: run it on a pull or merge "
                         "request, or name one with --request")
    try:
        who = author or forge.whoami() or forge.default_author
        ours = [c for c in forge.comments()
                if who and c.author == who and c.body.split("\n", 1)[0].strip() == marker]
        if ours:
            forge.update(ours[0].id, body)
            return Posted(f"Updated the comment {ours[0].id} on {forge.name} request "
                          f"{forge.request}.")
        created = forge.create(body)
    except Refused as refused:
        return Posted(f"Could not comment ({refused}); the text is in the job's log and "
                      "summary. A fork's pull request gets a read-only token.", warning=True)
    note = "" if who else " (the token's user could not be told, so no earlier comment " \
        "was edited; pass --author)"
    return Posted(f"Posted the comment {created} on {forge.name} request "
                  f"{forge.request}.{note}")

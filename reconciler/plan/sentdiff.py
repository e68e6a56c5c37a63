"""What changed in a definition after its campaign was sent: the definition as sent against
the definition now, field by field, and line by line in the body and the template.

Campaigns cannot be updated through the API, and the API's listing returns no body, so the
record is ours: each state entry keeps the git blob ID of the definition file it was created
(or adopted) from (`reconciler.definitions.gitblob`). The plan reads that blob back through
`SentFiles`, parses it with the project's own loader, finds the campaign, and diffs it here.
Pure but for the reader it is given: no files and no processes of its own.
"""

from __future__ import annotations

import difflib
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from reconciler.definitions import Campaign, parse_document

Status = Literal["diff", "no-record", "unavailable", "outside-file"]
CONTEXT = 3  # unchanged lines shown around a change, as `git diff` does


class SentFiles(Protocol):
    """Reads a definition file as sent by its blob ID (`gitblob.GitBlobs`)."""

    def read(self, blob: str, near: str) -> bytes:
        """The blob's bytes; `near` is a definition file of the repository to read it from.
        Raises `gitblob.BlobUnavailable` (any exception: its text is the reason)."""
        ...


@dataclass(frozen=True)
class SentDiff:
    """What differs between the definition a campaign was sent with and the one now.

    `status`: `diff` (the lines say it), `no-record` (the state entry predates the record),
    `unavailable` (`note` says why, and how to get it), `outside-file` (the file's
    definition is as it was sent; what is sent differs through the configuration)."""

    status: Status
    lines: tuple[str, ...] = ()  # a unified diff, a hunk a field; empty unless `diff`
    note: str = ""  # why there is no diff, or what qualifies the one shown
    blob: str | None = None
    sent_file: str | None = None  # the file as the state recorded it

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n" if self.lines else ""


NO_RECORD = ("no record of what was sent (the state entry was written before the state "
             "kept one; it is kept for campaigns created or adopted from now on)")


def field_lines(c: Campaign) -> dict[str, list[str]]:
    """A definition as the lines a reviewer compares, field by field, in one fixed order:
    scalar fields one line, the body and template_text a line each, the
    template as indented JSON. Aliases as written (their IDs depend on the configuration)."""
    out: dict[str, list[str]] = {"name": [c.name], "channel": [c.channel]}
    for alias_field, alias, id_field, given in (
            ("contact_list", c.contact_list, "contact_list_id", c.contact_list_id),
            ("sender", c.sender, "sender_id", c.sender_id)):
        if alias is not None:
            out[alias_field] = [alias]
        else:
            out[id_field] = [given]
    if c.scheduled_at is not None:
        out["scheduled_at"] = [c.scheduled_at]
    if c.body is not None:
        out["body"] = _text_lines(c.body)
    if c.template is not None:
        out["template"] = json.dumps(c.template, indent=2, sort_keys=True,
                                     ensure_ascii=False).split("\n")
    if c.template_text is not None:
        out["template_text"] = _text_lines(c.template_text)
    return out


def _text_lines(text: str) -> list[str]:
    """A text's lines (a last line break ends the last line; see `_endings`)."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _endings(sent: Campaign, now: Campaign) -> dict[str, str]:
    """Where a text ends with a line break on one side only, a line that says so, by field:
    the lines themselves are the same, and a line break is sent (an SMS's last character),
    so the difference must show without looking like a line added or removed."""
    notes = {}
    for name in ("body", "template_text"):
        old, new = getattr(sent, name), getattr(now, name)
        if old and new and old.endswith("\n") != new.endswith("\n"):
            label = LOCAL_ONLY.get(name, name)
            notes[name] = (f"@@ {label} @@ sent " + ("with" if old.endswith("\n") else "without")
                           + " a line break at the end; now " +
                           ("with" if new.endswith("\n") else "without") + " one")
    return notes


LOCAL_ONLY = {"template_text": "template_text (local, not sent)"}


def diff_lines(sent: Campaign, now: Campaign) -> list[str]:
    """The unified diff of `sent` against `now`, a hunk (or more) a field that differs, the
    field named after each hunk's range as `git diff` names a function:
    `@@ -2,3 +2,3 @@ body`. Empty when no field differs."""
    before, after = field_lines(sent), field_lines(now)
    endings = _endings(sent, now)
    order = list(after) + [k for k in before if k not in after]
    out: list[str] = []
    for name in order:
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            out.extend(_hunks(LOCAL_ONLY.get(name, name), old, new))
        if name in endings:
            out.append(endings[name])
    return out


def _hunks(label: str, old: Sequence[str], new: Sequence[str]) -> Iterator[str]:
    lines = difflib.unified_diff(list(old), list(new), n=CONTEXT, lineterm="")
    # The first two lines are the file headers (one pair heads the whole diff). Told apart
    # by position, never by their text: a line removed that reads `-- Ana` (an email's
    # signature) is `--- Ana` in the diff, as a header is.
    for line in itertools.islice(lines, 2, None):
        if line.startswith("@@"):
            yield f"{line} {label}"
        else:
            yield line


@dataclass(frozen=True)
class SentFile:
    """A definition file as sent, parsed: its campaigns by name, and its first error."""

    by_name: dict[str, Campaign]
    error: str | None

    @classmethod
    def parse(cls, data: bytes, file: str) -> SentFile:
        campaigns, problems = parse_document(file, data)
        errors = [p for p in problems if p.is_error]
        return cls({c.name: c for c in campaigns}, errors[0].message if errors else None)

    def find(self, names: Sequence[str]) -> Campaign | str:
        """The campaign of the first of `names` it holds; or why there is none."""
        for name in names:
            if name in self.by_name:
                return self.by_name[name]
        if self.error:
            return f"the file as sent cannot be read by this version of the tool ({self.error})"
        return f"the file as sent holds no campaign named {names[0]!r}"


class SentLookup:
    """Diffs each changed campaign against the definition it was sent with, reading and
    parsing each file as sent once."""

    def __init__(self, files: SentFiles) -> None:
        self.files = files
        self._parsed: dict[str, SentFile] = {}

    def diff(self, now: Campaign, sent_name: str, blob: str | None, sent_file: str,
             sent_digest: str) -> SentDiff:
        """`now` against the campaign recorded under `sent_name` from the file `sent_file`
        whose blob is `blob` (None: no record) with the digest `sent_digest`."""
        if blob is None:
            return SentDiff("no-record", note=NO_RECORD, sent_file=sent_file)
        try:
            data = self.files.read(blob, now.location.file)
        except Exception as unavailable:  # the reader's reason, whatever its type
            return SentDiff("unavailable", note=str(unavailable), blob=blob,
                            sent_file=sent_file)
        parsed = self._parsed.get(blob)
        if parsed is None:
            parsed = self._parsed[blob] = SentFile.parse(data, sent_file)
        sent = parsed.find(list(dict.fromkeys([sent_name, now.name, *now.previous_names])))
        if isinstance(sent, str):
            return SentDiff("unavailable", note=sent, blob=blob, sent_file=sent_file)
        lines = diff_lines(sent, now)
        header = [f"--- sent: {sent_file} (blob {blob[:12]})",
                  f"+++ now: {now.location.file}"]
        resolved = _resolved_like(sent, now)
        if not lines:
            return SentDiff("outside-file", note=_outside(now), blob=blob,
                            sent_file=sent_file)
        checkable = resolved.contact_list_id != "" and resolved.sender_id != ""
        note = "" if not checkable or resolved.digest() == sent_digest else (
            "read today, the file as sent does not give the digest the state recorded: an "
            "alias it names may have resolved to another ID then, so more may differ than "
            "the lines show")
        return SentDiff("diff", tuple(header + lines), note, blob, sent_file)


def _resolved_like(sent: Campaign, now: Campaign) -> Campaign:
    """`sent` with each alias it shares with `now` resolved as `now`'s is (the same
    configuration); an alias `now` does not name stays unresolved ("")."""
    list_id = now.contact_list_id if sent.contact_list is not None and \
        sent.contact_list == now.contact_list else sent.contact_list_id
    sender_id = now.sender_id if sent.sender is not None and sent.sender == now.sender \
        else sent.sender_id
    return replace(sent, contact_list_id=list_id, sender_id=sender_id)


def _outside(now: Campaign) -> str:
    aliases = [f"{field}: {alias} → {resolved}" for field, alias, resolved in (
        ("contact_list", now.contact_list, now.contact_list_id),
        ("sender", now.sender, now.sender_id)) if alias is not None]
    where = (f"in what an alias it names resolves to in the configuration now "
             f"({'; '.join(aliases)})") if aliases else "outside the file"
    return ("the definition reads as it did when it was sent; what is sent differs "
            f"{where}")

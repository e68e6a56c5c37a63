"""Helpers shared by the renderers."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, TypeVar

import click

import reconciler.channels.unseen as unseen


@dataclass(frozen=True)
class Style:
    """How a renderer is asked to render: colour, and whether to list unmanaged campaigns."""

    color: bool = False
    show_unmanaged: bool = False


T = TypeVar("T")
Renderer = Callable[[T, Style], str]
# A renderer that hands its output over in pieces, to be written as they come.
ChunkRenderer = Callable[[T, Style], Iterable[str]]


_chosen_color: bool | None = None  # `--color` / `--no-color`; None: decide per stream


def choose_color(choice: bool | None) -> None:
    """What `campaigns --color` or `--no-color` asked for (None: neither); set by every
    command line, so that one in-process run does not leak into the next."""
    global _chosen_color
    _chosen_color = choice


def use_color(stream: IO[str]) -> bool:
    """`--color`/`--no-color` when given; otherwise colour only on a terminal, and never
    when NO_COLOR is set (https://no-color.org)."""
    if _chosen_color is not None:
        return _chosen_color
    if os.environ.get("NO_COLOR", "") != "":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# What `safe` shows as an escape: control characters other than newline and tab, the bidi
# controls and marks, and the line and paragraph separators.
_SHOWN_AS_CODES = "".join(sorted(unseen.BIDI_CONTROLS | unseen.BIDI_MARKS
                                  | unseen.LINE_SEPARATORS))
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_SHOWN_AS_CODES}]")


def safe(text: str) -> str:
    """Text that cannot drive a terminal: control characters other than newline and tab
    shown as escapes (`\\x1b`), bidi controls as `<U+202E>`."""
    if text.isprintable():  # most text: a line with nothing to escape
        return text
    return _UNSAFE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0xA0 else f"<U+{code:04X}>"


def paint(text: str, color: bool, **style: object) -> str:
    """`text` made terminal-safe, then styled when colour is on."""
    text = safe(text)
    return click.style(text, **style) if color else text  # type: ignore[arg-type]


def auto_format(requested: str | None, formats: Collection[str] = ("text", "github")) -> str:
    """The output format: the one asked for, else `github` inside GitHub Actions when the
    command has it, else text."""
    if requested:
        return requested
    if "github" in formats and os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text"


# indent=None keeps json's C encoder; with an indent it falls back to pure Python, which
# took more time than planning 10,000 campaigns.
_ONE_LINE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


_END = object()


def json_chunks(doc: Mapping[str, Any]) -> Iterator[str]:
    """A JSON object for people and for `jq`: a member a line, and each element of a list a
    line of its own (one campaign, one diagnostic), each encoded by the C encoder. A list
    may be given as an iterator: its elements are encoded as they come, so a plan of a
    hundred thousand campaigns is never held whole, as objects or as text."""
    yield "{\n"
    last = len(doc) - 1
    for n, (key, value) in enumerate(doc.items()):
        comma = "," if n < last else ""
        name = _ONE_LINE.encode(key)
        if not isinstance(value, (list, Iterator)):
            yield f"  {name}: {_ONE_LINE.encode(value)}{comma}\n"
            continue
        elements = iter(value)
        previous = next(elements, _END)
        if previous is _END:
            yield f"  {name}: []{comma}\n"
            continue
        yield f"  {name}: [\n"
        for element in elements:
            yield f"    {_ONE_LINE.encode(previous)},\n"
            previous = element
        yield f"    {_ONE_LINE.encode(previous)}\n  ]{comma}\n"
    yield "}\n"


def json_document(doc: Mapping[str, Any]) -> str:
    """`json_chunks` as one text."""
    return "".join(json_chunks(doc))

"""Helpers shared by the renderers."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any, TypeVar

import click

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Style:
    """How a renderer is asked to render: colour, and whether to list unmanaged campaigns."""

    color: bool = False
    show_unmanaged: bool = False


T = TypeVar("T")
Renderer = Callable[[T, Style], str]


def use_color(stream: IO[str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR", "") != "":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def safe(text: str) -> str:
    """Text that cannot drive a terminal: control characters other than newline and tab
    shown as escapes (`\\x1b`), bidi controls as `<U+202E>`."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\n\t":
            out.append(ch)
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif ch in _BIDI or ch in "\u2028\u2029":
            out.append(f"<U+{code:04X}>")
        else:
            out.append(ch)
    return "".join(out)


def paint(text: str, color: bool, **style: object) -> str:
    """`text` made terminal-safe, then styled when colour is on."""
    text = safe(text)
    return click.style(text, **style) if color else text  # type: ignore[arg-type]


def auto_format(requested: str | None) -> str:
    """The output format: the one asked for, else `github` inside GitHub Actions, else text."""
    if requested:
        return requested
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text"


# indent=None keeps json's C encoder; with an indent it falls back to pure Python, which
# took more time than planning 10,000 campaigns.
_ONE_LINE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def json_document(doc: Mapping[str, Any]) -> str:
    """A JSON object for people and for `jq`: a member a line, and each element of a list a
    line of its own (one campaign, one diagnostic), each encoded by the C encoder."""
    lines = ["{"]
    last = len(doc) - 1
    for n, (key, value) in enumerate(doc.items()):
        comma = "," if n < last else ""
        name = _ONE_LINE.encode(key)
        if isinstance(value, list) and value:
            lines.append(f"  {name}: [")
            end = len(value) - 1
            lines.extend(f"    {_ONE_LINE.encode(v)}{',' if i < end else ''}"
                         for i, v in enumerate(value))
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {name}: {_ONE_LINE.encode(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"

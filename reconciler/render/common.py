"""Helpers shared by the renderers."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TypeVar

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

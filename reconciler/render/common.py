"""Helpers shared by the renderers."""

from __future__ import annotations

import os
from typing import IO

import click

FORMAT_VERSION = 1


def use_color(stream: IO[str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR", "") != "":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, color: bool, **style: object) -> str:
    return click.style(text, **style) if color else text  # type: ignore[arg-type]


def auto_format(requested: str | None) -> str:
    """The output format: the one asked for, else `github` inside GitHub Actions, else text."""
    if requested:
        return requested
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text"


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~>")


def md(text: str) -> str:
    """User-written text made inert in a Markdown table cell: no markup, no broken rows."""
    out = []
    for ch in text:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch in "\r\n":
            out.append("<br>")
        elif ch == "@":
            out.append("@\u200b")  # no accidental @mentions
        elif ch in _MD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out).replace("<br><br>", "<br>")

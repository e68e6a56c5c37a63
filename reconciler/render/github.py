"""GitHub Actions workflow commands (annotations shown on the pull request's diff)."""

from __future__ import annotations

import os

from reconciler.diagnostics import Diagnostic


def repository_path(file: str) -> str:
    """`file` relative to the repository root (GITHUB_WORKSPACE), as GitHub needs for an
    annotation, whatever folder the command ran in."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace or file.startswith("--"):
        return file
    absolute = os.path.abspath(file)
    root = os.path.abspath(workspace)
    if os.path.commonpath([absolute, root]) != root:
        return file
    return os.path.relpath(absolute, root).replace(os.sep, "/")


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, *, title: str, file: str | None = None,
            line: int | None = None, col: int | None = None) -> str:
    """A workflow command such as `::error file=…,line=…::message` (kind: error, warning,
    notice), with its properties and message escaped as GitHub requires."""
    props = []
    if file is not None:
        props.append(f"file={escape_property(repository_path(file))}")
    if line is not None:
        props.append(f"line={line}")
    if col is not None:
        props.append(f"col={col}")
    props.append(f"title={escape_property(title)}")
    return f"::{kind} {','.join(props)}::{escape_data(message)}"


def annotation(d: Diagnostic, title: str = "campaigns") -> str:
    loc = d.location
    return command("error" if d.is_error else "warning",
                   f"{d.field}: {d.message}" if d.field else d.message,
                   title=title + (": " + d.field if d.field else ""),
                   file=loc.file, line=loc.line, col=loc.column)

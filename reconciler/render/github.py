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


def annotation(d: Diagnostic, title: str = "campaigns") -> str:
    kind = "error" if d.is_error else "warning"
    loc = d.location
    props = ",".join(
        [
            f"file={escape_property(repository_path(loc.file))}",
            f"line={loc.line}",
            f"col={loc.column}",
            f"title={escape_property(title + (': ' + d.field if d.field else ''))}",
        ]
    )
    message = f"{d.field}: {d.message}" if d.field else d.message
    return f"::{kind} {props}::{escape_data(message)}"

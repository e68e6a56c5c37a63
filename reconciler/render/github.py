"""GitHub Actions workflow commands (annotations shown on the pull request's diff)."""

from __future__ import annotations

from reconciler.diagnostics import Diagnostic


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic, title: str = "campaigns") -> str:
    kind = "error" if d.is_error else "warning"
    loc = d.location
    props = ",".join(
        [
            f"file={escape_property(loc.file)}",
            f"line={loc.line}",
            f"col={loc.column}",
            f"title={escape_property(title + (': ' + d.field if d.field else ''))}",
        ]
    )
    message = f"{d.field}: {d.message}" if d.field else d.message
    return f"::{kind} {props}::{escape_data(message)}"

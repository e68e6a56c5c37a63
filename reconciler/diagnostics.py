"""Located messages: every problem a user must act on names its file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A 1-based line and column in a file."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: where it is, which field, what is wrong and how bad."""

    location: Location
    message: str
    field: str = ""
    severity: Severity = Severity.ERROR
    code: str = "schema"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.field, self.message)

    def text(self) -> str:
        """`file:line:col: error: field: message` (`warning: ` for a warning)."""
        prefix = "error: " if self.is_error else "warning: "
        field = f"{self.field}: " if self.field else ""
        return f"{self.location}: {prefix}{field}{self.message}"


class Findings:
    """Errors and warnings of anything that carries a `diagnostics` list."""

    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


def sorted_unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Sort by place and drop exact repeats (a bad default is reported once, not per campaign)."""
    seen: set[tuple[object, ...]] = set()
    out: list[Diagnostic] = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        key = (d.location, d.field, d.message, d.severity)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def diagnostic_json(d: Diagnostic) -> dict[str, object]:
    return {
        "file": d.location.file,
        "line": d.location.line,
        "column": d.location.column,
        "field": d.field,
        "message": d.message,
        "severity": d.severity.value,
        "code": d.code,
    }

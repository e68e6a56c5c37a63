"""How the tool writes a count: `1 campaign`, `2 campaigns`, never `1 campaigns` or
`campaign(s)`."""

from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """`n` and the noun that agrees with it (thousands separated)."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"

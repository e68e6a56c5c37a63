"""When two campaign names are the same to a person, or to a server that normalises them.

A server may store `Spring  Sale` as `Spring Sale`, fold the case, or take the composed
form of an accented letter. A name that differs from an account campaign's only in that way
may be the same campaign, made by an earlier create: it is never created again on a guess.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping


def name_key(name: str) -> str:
    """`name` without what a server may change: runs of white space (of any kind), case,
    and Unicode form (compatibility characters included)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def by_key(names: Iterable[str]) -> Mapping[str, list[str]]:
    """Names grouped by `name_key`."""
    out: dict[str, list[str]] = {}
    for name in names:
        out.setdefault(name_key(name), []).append(name)
    return out

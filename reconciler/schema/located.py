"""The values the YAML loader returns: mappings and lists that remember where they, their
keys and their items stand in the file. Apart from the loader, so that what only checks
such values (the schema's error locations) loads no YAML reader."""

from __future__ import annotations

from typing import Any

Mark = tuple[int, int]  # 1-based (line, column)


class LocatedDict(dict[str, Any]):
    """A mapping that remembers where it, its keys and its values stand in the file."""

    __slots__ = ("key_marks", "mark", "raw", "value_marks")  # no instance dict each
    mark: Mark
    key_marks: dict[str, Mark]
    value_marks: dict[str, Mark]
    raw: dict[str, str]  # source text of scalar values, to quote it back in messages

    def __init__(self, mark: Mark = (1, 1)) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks = {}
        self.value_marks = {}
        self.raw = {}


class LocatedList(list[Any]):
    """A sequence that remembers where it and each of its items stand in the file."""

    __slots__ = ("item_marks", "mark", "raw")
    mark: Mark
    item_marks: list[Mark]
    raw: dict[int, str]

    def __init__(self, mark: Mark = (1, 1)) -> None:
        super().__init__()
        self.mark = mark
        self.item_marks = []
        self.raw = {}

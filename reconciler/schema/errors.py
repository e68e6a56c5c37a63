"""A JSON Schema violation in the words a person would write, at its line and column.

jsonschema says what failed in the schema's terms (`'x' is not of type 'string'`); this
turns each error into messages about the user's file: the field, what was expected, what
was found (quoted back as written), a guess at a misspelt field name.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reconciler.schema.located import LocatedDict, LocatedList, Mark

if TYPE_CHECKING:  # jsonschema is imported when a document is invalid, not on every run
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


class LocatedError:
    """A schema violation with its place in the file, field path and a human message."""

    __slots__ = ("field", "mark", "message")

    def __init__(self, mark: Mark, field: str, message: str) -> None:
        self.mark = mark
        self.field = field
        self.message = message


def field_path(parts: Sequence[str | int]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def locate(root: Any, path: Sequence[str | int], *, key: bool = False) -> Mark:
    """The line and column of the value (or, with `key`, the key) at `path` under `root`."""
    node = root
    mark: Mark = getattr(root, "mark", (1, 1))
    for part in path:
        if isinstance(node, LocatedDict) and isinstance(part, str) and part in node:
            mark = node.key_marks[part] if key else node.value_marks[part]
            node = node[part]
        elif isinstance(node, LocatedList) and isinstance(part, int) and part < len(node):
            mark = node.item_marks[part]
            node = node[part]
        else:
            break
    return mark


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


_TYPE_WORDS = {
    "string": "text",
    "object": "a mapping",
    "array": "a list",
    "integer": "a whole number",
    "number": "a number",
    "null": "null",
    "boolean": "true or false",
}


def _raw_text(root: Any, path: Sequence[str | int]) -> str | None:
    if not path:
        return None
    parent: Any = root
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return None
    raw = getattr(parent, "raw", None)
    if raw is None:
        return None
    text = raw.get(path[-1])
    return text if isinstance(text, str) else None


def explain(root: Any, error: ValidationError) -> Iterator[LocatedError]:
    """Turn one jsonschema error into the messages a person would write."""
    path = list(error.absolute_path)
    schema: dict[str, Any] = dict(error.schema) if isinstance(error.schema, Mapping) else {}
    custom: dict[str, str] = schema.get("x-messages", {})
    keyword = str(error.validator)
    instance = error.instance
    if keyword == "required":
        yield from _missing(root, path, error.validator_value, instance)
    elif keyword == "additionalProperties" and isinstance(instance, dict):
        yield from _unknown_fields(root, path, schema, instance, custom.get(keyword))
    elif "propertyNames" in error.relative_schema_path:
        # jsonschema reports a bad key with the key itself as the instance, at the mapping.
        bad = str(instance)
        message = custom.get(keyword) or f"{bad!r} is not an allowed key"
        yield LocatedError(locate(root, [*path, bad], key=True), field_path([*path, bad]),
                           message)
    else:
        field_hint = schema.get("x-field")
        target = [*path, field_hint] if field_hint and isinstance(instance, dict) else path
        # a missing field points at its mapping
        yield LocatedError(locate(root, target), field_path(target),
                           _message(root, path, error, custom))


def _missing(root: Any, path: list[Any], required: Any,
             instance: Any) -> Iterator[LocatedError]:
    for name in required:
        if isinstance(instance, dict) and name not in instance:
            yield LocatedError(locate(root, path), field_path([*path, name]),
                               "is required but missing")


def _unknown_fields(root: Any, path: list[Any], schema: Mapping[str, Any],
                    instance: Mapping[str, Any], custom: str | None) -> Iterator[LocatedError]:
    known = list(schema.get("properties", {}))
    for extra in sorted(set(instance) - set(known)):
        guess = difflib.get_close_matches(extra, known, n=1, cutoff=0.6)
        hint = f"; did you mean {guess[0]!r}?" if guess else f" (known: {', '.join(known)})"
        where = [*path, extra]
        yield LocatedError(locate(root, where, key=True), field_path(where),
                           custom or f"unknown field{hint}")


# Messages for a keyword's violation: (value described, what the keyword expected) -> text.
_MESSAGES: dict[str, Callable[[str, Any], str]] = {
    "enum": lambda value, expected: (f"{value} is not one of "
                                     f"{', '.join(str(c) for c in expected)}"),
    "const": lambda value, expected: f"{value} must be {expected!r}",
    "minLength": lambda value, expected: "is empty",
    "uniqueItems": lambda value, expected: "lists the same value twice",
    "format": lambda value, expected: f"{value} is not a valid {expected}",
    "pattern": lambda value, expected: f"{value} does not match {expected}",
}


def _message(root: Any, path: list[Any], error: ValidationError,
             custom: Mapping[str, str]) -> str:
    keyword, expected, value = str(error.validator), error.validator_value, error.instance
    if keyword in custom:
        if keyword in ("pattern", "format", "const"):
            return f"{_describe(value)} {custom[keyword]}"
        return custom[keyword]
    if keyword == "type":
        types = [str(t) for t in expected] if isinstance(expected, list) else [str(expected)]
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        raw = _raw_text(root, path)
        quote = f"; put it in quotes: {raw!r}" if "string" in types and raw is not None else ""
        return f"expected {wanted}, got {_describe(value)}{quote}"
    if keyword in _MESSAGES:
        return _MESSAGES[keyword](_describe(value), expected)
    return error.message


def located_errors(validator: Draft202012Validator, instance: Any) -> list[LocatedError]:
    """Every violation, one message per field (the first, most specific one wins)."""
    out: list[LocatedError] = []
    fields: set[str] = set()
    for error in validator.iter_errors(instance):
        for located in explain(instance, error):
            if located.field in fields:
                continue
            fields.add(located.field)
            out.append(located)
    return out

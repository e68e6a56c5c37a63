"""A campaign's schema in two parts: what its layout decides, and what each field decides
on its own.

The campaign schema is an object with `properties`, `required`, `additionalProperties:
false` and rules on the campaign as a whole (`allOf`: an ID or an alias, a body or a
template, the sender ID's form for the channel). Those rules read which fields are
present and the values of a few fields (the channel, the sender ID, ...), never the
others. So two campaigns with the same fields, and the same values in those few, are
valid alike but for what each of their other fields' own schemas say of them: a
repository of ten thousand campaigns holds a handful of such layouts, and once a layout
has passed the whole check, a campaign of that layout needs only its other fields
checked (`schema.campaign_errors`).

`split` finds the two parts in the schema itself, and gives up (None) on any keyword it
does not follow, so that a change of the schema can make the check slower, never wrong.
`tests/test_schema_fast_path.py` checks the split check against jsonschema.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, NamedTuple

# Keywords of the whole campaign's schema that the split understands.
_TOP = frozenset({"$schema", "type", "required", "additionalProperties", "properties", "allOf"})


class Split(NamedTuple):
    """The fields whose values the rules on the whole campaign read, and the schema that
    checks every other field against its own rules (on the whole campaign)."""

    value_keys: tuple[str, ...]
    fields: dict[str, Any]


def split(schema: Any) -> Split | None:
    """The two parts of an object schema, or None when it holds what they cannot follow
    (a `$ref`, a rule on the number of fields, a keyword not listed here)."""
    if not _closed_object(schema):
        return None
    read = _union(values_read(rule) for rule in schema.get("allOf", []))
    if read is None:
        return None
    fields = {"type": "object",
              "properties": {k: v for k, v in schema["properties"].items() if k not in read}}
    return Split(tuple(sorted(read)), fields)


def _closed_object(schema: Any) -> bool:
    """An object schema of listed fields only, with no keyword the split does not follow."""
    return (isinstance(schema, dict) and set(schema) <= _TOP
            and '"$ref"' not in json.dumps(schema) and schema.get("type") == "object"
            and schema.get("additionalProperties") is False
            and isinstance(schema.get("properties"), dict)
            and isinstance(schema.get("allOf", []), list))


def values_read(rule: Any) -> set[str] | None:
    """The fields whose values `rule`, applied to the whole campaign, reads (`required` and
    the keys of `dependencies` read only whether a field is present); None when it reads
    the campaign in another way (its type, its number of fields, ...)."""
    if isinstance(rule, bool):
        return set()
    if not isinstance(rule, dict):
        return None
    return _union(_read_by(word, value) for word, value in rule.items())


def _read_by(word: str, value: Any) -> set[str] | None:
    reader = _READERS.get(word)
    return reader(value) if reader is not None else None


def _each(rules: Any) -> set[str] | None:
    return _union(values_read(rule) for rule in rules) if isinstance(rules, list) else None


def _dependencies(value: Any) -> set[str] | None:
    """A dependency's key is read for its presence; a schema it names, on the whole."""
    if not isinstance(value, dict):
        return None
    return _union(set() if isinstance(rule, list) else values_read(rule)
                  for rule in value.values())


# How each keyword of a rule on the whole campaign reads it.
_READERS: dict[str, Callable[[Any], set[str] | None]] = {
    "allOf": _each, "anyOf": _each, "oneOf": _each,
    "not": values_read, "if": values_read, "then": values_read, "else": values_read,
    "dependencies": _dependencies,
    "properties": lambda value: set(value) if isinstance(value, dict) else None,
    "required": lambda value: set(),
}


def _union(parts: Iterable[set[str] | None]) -> set[str] | None:
    out: set[str] = set()
    for part in parts:
        if part is None:
            return None
        out |= part
    return out


def layout(instance: Any, value_keys: Iterable[str]) -> Hashable | None:
    """What the rules on the whole campaign see of `instance`: its fields, and the values
    (with their types: `true` is not `1`) of `value_keys`; None when a value is a list or
    a mapping (not worth comparing) or `instance` is not a mapping."""
    if not isinstance(instance, dict):
        return None
    return layout_over({}, instance, value_keys)


def layout_over(base: Mapping[str, Any], entry: Mapping[str, Any],
                value_keys: Iterable[str]) -> Hashable | None:
    """The `layout` of `entry` merged over `base` (a file's `defaults:`), without merging
    them: the fields of both, and each value key's value from `entry`, else from `base`."""
    values = []
    for k in value_keys:
        source = entry if k in entry else base if k in base else None
        if source is not None:
            value = source[k]
            values.append((k, type(value), value))
    key = (frozenset(base.keys() | entry.keys()), *values)
    try:
        hash(key)
    except TypeError:
        return None
    return key

"""The JSON Schemas shipped with the package, and jsonschema errors turned into located messages."""

from __future__ import annotations

import copy
import difflib
import hashlib
import importlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rfc3339_validator import validate_rfc3339

if TYPE_CHECKING:  # jsonschema is imported when a document is invalid, not on every run
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

from reconciler.located import LocatedDict, LocatedList, Mark

CAMPAIGN_SCHEMA = "campaign.schema.json"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in `reconciler/schemas/`, parsed once per process."""
    # Beside this module, as a wheel installs it (importlib.resources costs 7 ms to import,
    # a tenth of the start-up of `campaigns validate`).
    text = (Path(__file__).parent / "schemas" / name).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


# Where the editor schema is published with the documentation (`docs/schemas/`); its `$id`.
EDITOR_SCHEMA_URL = "https://zexa-campaigns.readthedocs.io/en/latest/schemas/campaigns.schema.json"
SCHEMAS = {"campaigns": "the definitions file, for editors and generic validators",
           "plan": "the JSON plan (`campaigns plan --format json`)",
           "state": "the state file",
           "saved-plan": "a saved plan (`campaigns plan --out FILE`)",
           "config": "the configuration (.campaigns.yaml or [tool.campaigns])",
           "validate": "`campaigns validate --format json`",
           "status": "`campaigns status --format json`",
           "apply": "`campaigns apply --format json`"}


def editor_schema() -> dict[str, Any]:
    """The JSON Schema of a definitions file in every shape the tool accepts.

    A file is one campaign, or `campaigns:` with optional `defaults:`. In a list, a campaign
    may leave to `defaults` every field but `name`, so there only `name` is required and a
    body-or-template rule is not applied (the tool checks each campaign once merged).
    """
    doc = copy.deepcopy(load_schema(CAMPAIGN_SCHEMA))
    doc["$id"] = EDITOR_SCHEMA_URL
    in_file = copy.deepcopy(doc["$defs"]["campaign"])
    in_file["required"] = ["name"]
    in_file["description"] = ("A campaign of a `campaigns:` list; the fields it does not set "
                              "come from the file's `defaults`.")
    in_file["allOf"] = [rule for rule in in_file.get("allOf", []) if "anyOf" not in rule]
    doc["$defs"]["campaignInFile"] = in_file
    doc["$defs"]["file"]["properties"]["campaigns"]["items"] = {"$ref": "#/$defs/campaignInFile"}
    return doc


def schema_document(name: str) -> dict[str, Any]:
    """`campaigns schema NAME`: one of SCHEMAS."""
    if name == "campaigns":
        return editor_schema()
    return load_schema(f"{name}.schema.json")


@cache
def _validator(definition: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    schema = load_schema(CAMPAIGN_SCHEMA)["$defs"][definition]
    return Draft202012Validator(schema, format_checker=FormatChecker())


@cache
def validator_for(name: str) -> Draft202012Validator:
    """A validator for a whole shipped schema (plan, state)."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(load_schema(name), format_checker=FormatChecker())


def campaign_validator() -> Draft202012Validator:
    return _validator("campaign")


def defaults_validator() -> Draft202012Validator:
    return _validator("defaults")


FastCheck = Any  # a compiled check: raises a ValueError when the instance is invalid
FORMATS = {"date-time": validate_rfc3339}

# The fast path: each schema below compiled to Python by fastjsonschema. The code is
# generated ahead of time into `reconciler/fastschema/` (compiling costs more than a
# small run's whole validation), and used only while the digest it was generated from
# matches the shipped schema; otherwise it is compiled at run time.
# `tests/test_schema_fast_path.py` checks that the generated code is current and that
# the fast path never accepts what jsonschema rejects.
FAST_SCHEMAS = {"campaign": (CAMPAIGN_SCHEMA, "campaign"),
                "defaults": (CAMPAIGN_SCHEMA, "defaults"),
                "state": ("state.schema.json", None),
                "saved_plan": ("saved-plan.schema.json", None)}
FAST_PACKAGE = "reconciler.fastschema"
_FAST_DOCUMENTS = {file: name for name, (file, definition) in FAST_SCHEMAS.items()
                   if definition is None}  # a whole shipped schema -> its fast check

_ANNOTATIONS = frozenset({"$comment", "$id", "default", "deprecated", "description",
                          "examples", "readOnly", "title", "writeOnly", "x-field",
                          "x-messages"})
_NAMED_SCHEMAS = frozenset({"$defs", "definitions", "dependencies", "dependentSchemas",
                            "patternProperties", "properties"})
_VALUES = frozenset({"const", "enum", "required"})


def validation_only(schema: Any) -> Any:
    """The schema without the keywords that only document it: fastjsonschema copies the
    whole schema of a failing branch into each exception it raises, and a valid campaign
    goes through three failing `if`/`not` branches."""
    if isinstance(schema, list):
        return [validation_only(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS:
            continue
        if key in _NAMED_SCHEMAS and isinstance(value, dict):
            out[key] = {name: validation_only(v) for name, v in value.items()}
        elif key in _VALUES:
            out[key] = value
        else:
            out[key] = validation_only(value)
    return out


def without_failing_branches(schema: Any) -> Any:
    """The same rules, written so that a valid instance takes no failing branch: the
    generated code raises an exception in each branch that fails (`not` of a schema that
    holds, the `if` of a rule that does not apply), and a valid campaign took four.

    - `not: {required: [a, b]}` (not both) becomes `dependencies: {a: {properties:
      {b: false}}}` (with a, no b);
    - `if: {required: [a]}, then: T` becomes `dependencies: {a: T}` (with a, T holds).

    Both are equivalences in draft 7; `tests/test_schema_fast_path.py` checks the fast path
    against jsonschema on the shipped schema."""
    if isinstance(schema, list):
        return [without_failing_branches(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: value if key in _VALUES else without_failing_branches(value)
           for key, value in schema.items()}
    rules = out.get("allOf")
    if isinstance(rules, list):
        kept: list[Any] = []
        dependencies: dict[str, list[Any]] = {}
        for rule in rules:
            rewritten = _as_dependency(rule)
            if rewritten is None:
                kept.append(rule)
            else:
                dependencies.setdefault(rewritten[0], []).append(rewritten[1])
        if dependencies:
            kept.append({"dependencies": {key: schemas[0] if len(schemas) == 1 else
                                          {"allOf": schemas}
                                          for key, schemas in dependencies.items()}})
            out["allOf"] = kept
    return out


def _as_dependency(rule: Any) -> tuple[str, Any] | None:
    """(key, schema) when `rule` is 'not both' or 'if this key then', else None."""
    if not isinstance(rule, dict):
        return None
    required = rule.get("not", {}).get("required") if set(rule) == {"not"} and \
        isinstance(rule["not"], dict) and set(rule["not"]) == {"required"} else None
    if isinstance(required, list) and len(required) == 2:
        first, second = required
        return first, {"properties": {second: False}}
    condition = rule.get("if")
    if set(rule) == {"if", "then"} and isinstance(condition, dict) and \
            set(condition) == {"required"} and len(condition["required"]) == 1:
        return condition["required"][0], rule["then"]
    return None


def fast_schema(name: str) -> dict[str, Any]:
    """What the fast path compiles for `name`: read as draft 7 (the shipped schemas use only
    keywords draft 7 shares with 2020-12), without annotations, and with no failing branch
    on a valid instance's path."""
    file, definition = FAST_SCHEMAS[name]
    schema = load_schema(file)
    if definition is not None:
        schema = schema["$defs"][definition]
    draft7 = {**without_failing_branches(validation_only(schema)),
              "$schema": "http://json-schema.org/draft-07/schema#"}
    return draft7


def schema_digest(schema: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()


def fast_module_source(name: str) -> str:
    """The generated module for `name` (see `write_fast_modules`). use_default=False: the
    `default`s in a schema document the editor and must never be written into a document."""
    import fastjsonschema

    schema = fast_schema(name)
    code = fastjsonschema.compile_to_code(schema, formats=FORMATS, use_default=False)
    code = code.replace("from fastjsonschema import JsonSchemaValueException, "
                        "JsonSchemaValuesException",
                        "from reconciler.fastschema.errors import JsonSchemaValueException, "
                        "JsonSchemaValuesException")
    return (f'"""Generated from {FAST_SCHEMAS[name][0]} by fastjsonschema; do not edit.\n\n'
            "Regenerate: python -c 'from reconciler.schema import write_fast_modules; "
            "write_fast_modules()'\n\"\"\"\n"
            f"SCHEMA_DIGEST = {schema_digest(schema)!r}\n" + code)


def write_fast_modules() -> None:
    """Regenerate `reconciler/fastschema/*.py` after a shipped schema changed."""
    folder = Path(__file__).parent / "fastschema"
    for name in FAST_SCHEMAS:
        (folder / f"{name}.py").write_text(fast_module_source(name), encoding="utf-8",
                                                  newline="\n")


@cache
def fast_check(name: str) -> FastCheck:
    """The compiled check for `name`: the generated module when it is current, else
    compiled now."""
    schema = fast_schema(name)
    try:
        module = importlib.import_module(f"{FAST_PACKAGE}.{name}")
    except ImportError:
        module = None
    if module is not None and getattr(module, "SCHEMA_DIGEST", None) == schema_digest(schema):
        return partial(module.validate, custom_formats=FORMATS)
    import fastjsonschema

    return fastjsonschema.compile(schema, formats=FORMATS, use_default=False)


def document_errors(name: str, instance: Any) -> list[str]:
    """`path: message` for each way `instance` breaks the shipped schema `name` (the
    compiled check answers for a valid document; jsonschema explains an invalid one)."""
    try:
        fast_check(_FAST_DOCUMENTS[name])(instance)
        return []
    except ValueError:  # fastjsonschema's errors, generated or compiled, are ValueErrors
        pass
    errors = sorted(validator_for(name).iter_errors(instance), key=lambda e: list(e.path))
    return [f"{field_path(list(e.absolute_path)) or '(top)'}: {e.message}" for e in errors]


def fast_is_valid(definition: str, instance: Any) -> bool:
    try:
        fast_check(definition)(instance)
    except ValueError:
        return False
    return True


def campaign_errors(instance: Any) -> list[LocatedError]:
    """Located schema errors of one campaign; the fast path answers for valid campaigns."""
    if fast_is_valid("campaign", instance):
        return []
    return located_errors(campaign_validator(), instance)


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

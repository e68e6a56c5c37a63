"""The JSON Schemas shipped with the package, and the checks against them: the compiled
fast path for a valid document, jsonschema's errors (worded by `schemaerrors`) for an
invalid one."""

from __future__ import annotations

import copy
import hashlib
import importlib
import json
from collections.abc import Hashable, Mapping
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rfc3339_validator import validate_rfc3339

from reconciler.schema.errors import LocatedError, field_path
from reconciler.schema.errors import located_errors as located_errors  # (also read from here)
from reconciler.schema.split import Split, layout, layout_over, split

if TYPE_CHECKING:  # jsonschema is imported when a document is invalid, not on every run
    from jsonschema import Draft202012Validator

CAMPAIGN_SCHEMA = "campaign.schema.json"


_PACKAGE = Path(__file__).parent.parent  # reconciler/


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in `reconciler/schemas/`, parsed once per process."""
    # Beside this folder, as a wheel installs it (importlib.resources costs 7 ms to import,
    # a tenth of the start-up of `campaigns validate`).
    text = (_PACKAGE / "schemas" / name).read_text("utf-8")
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
                "campaign_fields": (CAMPAIGN_SCHEMA, "campaign"),  # its fields' own rules
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
    if isinstance(out.get("allOf"), list):
        out["allOf"] = _rules_as_dependencies(out["allOf"])
    return out


def _rules_as_dependencies(rules: list[Any]) -> list[Any]:
    """An `allOf`'s rules, those that can be written as `dependencies` written so."""
    kept: list[Any] = []
    dependencies: dict[str, list[Any]] = {}
    for rule in rules:
        rewritten = _as_dependency(rule)
        if rewritten is None:
            kept.append(rule)
        else:
            dependencies.setdefault(rewritten[0], []).append(rewritten[1])
    if not dependencies:
        return rules
    kept.append({"dependencies": {key: schemas[0] if len(schemas) == 1 else {"allOf": schemas}
                                  for key, schemas in dependencies.items()}})
    return kept


def _as_dependency(rule: Any) -> tuple[str, Any] | None:
    """(key, schema) when `rule` is 'not both' or 'if this key then', else None."""
    if not isinstance(rule, dict):
        return None
    return _not_both(rule) or _if_key_then(rule)


def _required_only(schema: Any) -> list[Any] | None:
    """The `required` list of a schema that says nothing else."""
    if isinstance(schema, dict) and set(schema) == {"required"}:
        required = schema["required"]
        return required if isinstance(required, list) else None
    return None


def _not_both(rule: dict[str, Any]) -> tuple[str, Any] | None:
    required = _required_only(rule["not"]) if set(rule) == {"not"} else None
    if required is None or len(required) != 2:
        return None
    first, second = required
    return first, {"properties": {second: False}}


def _if_key_then(rule: dict[str, Any]) -> tuple[str, Any] | None:
    required = _required_only(rule["if"]) if set(rule) == {"if", "then"} else None
    if required is None or len(required) != 1:
        return None
    return required[0], rule["then"]


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
    if name == "campaign_fields":  # (an empty schema when the split does not apply)
        parts = split(draft7)
        return {**(parts.fields if parts else {}), "$schema": draft7["$schema"]}
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
    folder = _PACKAGE / "fastschema"
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
    if _campaign_is_valid(instance):
        return []
    return located_errors(campaign_validator(), instance)


# Layouts of campaigns that passed the whole check (see `schemasplit`), bounded: a large
# repository holds a handful; past this many, a new layout is checked whole each time.
_VALID_LAYOUTS: set[Hashable] = set()
MAX_VALID_LAYOUTS = 4096


@cache
def _campaign_split() -> Split | None:
    return split(fast_schema("campaign"))


def _campaign_is_valid(instance: Any) -> bool:
    """The fast path, checking the rules on the whole campaign once a layout: a campaign
    laid out as one that passed them is checked on its other fields' own rules."""
    parts = _campaign_split()
    key = layout(instance, parts.value_keys) if parts is not None else None
    if key is not None and key in _VALID_LAYOUTS:
        return fast_is_valid("campaign_fields", instance)
    if not fast_is_valid("campaign", instance):
        return False
    if key is not None and len(_VALID_LAYOUTS) < MAX_VALID_LAYOUTS:
        _VALID_LAYOUTS.add(key)
    return True


def known_valid_over(base: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    """Whether `entry` merged over `base` (a file's `defaults:`, whose fields the caller
    found to pass their own rules) is known to be a valid campaign without merging them:
    their layout passed the whole check before, and the entry's fields pass their own
    rules. False means not known: check the merged campaign (`campaign_errors`).

    The fields' own rules are `properties` and nothing else (see `split`), which check
    each field apart from the others: when the base's fields and the entry's pass them,
    so do the merged campaign's."""
    parts = _campaign_split()
    if parts is None:
        return False
    key = layout_over(base, entry, parts.value_keys)
    return key is not None and key in _VALID_LAYOUTS and fast_is_valid("campaign_fields", entry)

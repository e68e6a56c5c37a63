"""The fast path (fastjsonschema) must never accept a campaign that jsonschema rejects."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from functools import partial

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.schema import (
    FAST_SCHEMAS,
    campaign_validator,
    fast_check,
    fast_is_valid,
    fast_schema,
    schema_digest,
)

VALID = {
    "name": "A", "channel": "sms", "contact_list_id": "lst_a", "sender_id": "BRAND", "body": "x",
}
values = {
    "name": st.sampled_from(["A", " A", "", "A\nB", 5, None]),
    "channel": st.sampled_from(["sms", "whatsapp", "telegram", "email", "slack", "fax", 1]),
    "contact_list_id": st.sampled_from(["lst_a", "abc", "", None]),
    "sender_id": st.sampled_from(
        ["BRAND", "MY BRAND", "MYBRANDSTORE1", "+244912000000", "244912000000", "a@b.co", "", 7]
    ),
    "body": st.sampled_from(["hi", "", None, True]),
    "template": st.sampled_from(
        [
            {"name": "promo", "language": {"code": "pt_PT"}},
            {"name": "Promo", "language": {"code": "pt_PT"}},
            {"name": "promo"},
            {"name": "promo", "language": {"code": "PT"}, "components": []},
            "promo",
        ]
    ),
    "scheduled_at": st.sampled_from(
        [
            None, "2030-01-01T00:00:00Z", "2030-01-01T00:00:00", "2030-02-30T00:00:00Z",
            "2030-01-01T00:00:00+01:00", "2030-01-01 00:00:00Z", "tomorrow", 5,
        ]
    ),
    "previous_names": st.sampled_from([[], ["B"], ["B", "B"], [""], "B"]),
    "purpose": st.sampled_from(["marketing", "transactional", "promo"]),
    "contact_list": st.sampled_from(["customers", "my list", "", 3]),
    "sender": st.sampled_from(["brand", "b.r-a_nd", " brand", None]),
    "description": st.sampled_from(["x", 1]),
    "extra": st.just(1),
}


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {},
        optional={k: v for k, v in values.items()},
    )
)
def test_fast_path_agrees_with_jsonschema(instance: dict[str, object]) -> None:
    assert fast_is_valid("campaign", instance) == campaign_validator().is_valid(instance)


def test_fast_path_accepts_a_valid_campaign() -> None:
    assert fast_is_valid("campaign", VALID)
    assert campaign_validator().is_valid(VALID)


@pytest.mark.parametrize("name", sorted(FAST_SCHEMAS))
def test_the_generated_checks_are_current_and_used(name: str) -> None:
    module = importlib.import_module(f"reconciler.fastschema.{name}")
    assert schema_digest(fast_schema(name)) == module.SCHEMA_DIGEST, (
        f"reconciler/fastschema/{name}.py is stale: run python -c 'from reconciler.schema "
        "import write_fast_modules; write_fast_modules()'")
    check = fast_check(name)
    assert isinstance(check, partial) and check.func is module.validate


def test_a_stale_generated_check_is_not_used(monkeypatch) -> None:
    module = importlib.import_module("reconciler.fastschema.defaults")
    monkeypatch.setattr(module, "SCHEMA_DIGEST", "0" * 64)
    fast_check.cache_clear()
    try:
        check = fast_check("defaults")
        assert getattr(check, "func", None) is not module.validate  # compiled instead
        assert fast_is_valid("defaults", {"channel": "sms"})
        assert not fast_is_valid("defaults", {"colour": "red"})  # not a field
    finally:
        fast_check.cache_clear()


def test_annotations_are_left_out_of_the_fast_schema_but_not_names_of_fields() -> None:
    schema = fast_schema("campaign")
    assert "description" in schema["properties"]  # a field of a campaign
    assert "description" not in schema["properties"]["name"]  # an annotation
    assert "x-messages" not in json.dumps(schema)


def test_validating_valid_files_loads_no_schema_compiler() -> None:
    from conftest import EXAMPLES

    code = ("import sys; from reconciler.cli import main\n"
            "try:\n"
            f"    main(['validate', {str(EXAMPLES)!r}])\n"
            "except SystemExit as e:\n"
            "    assert e.code == 0, e.code\n"
            "print('loaded:', *(m for m in sys.modules if m.split('.')[0] in "
            "('fastjsonschema', 'jsonschema')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"GITHUB_ACTIONS": "", "PATH": ""},
                         encoding="utf-8").stdout
    assert out.splitlines()[-1] == "loaded:"


# -- every shipped schema: the keywords both drafts read alike, and the fast path's agreement


# Keywords that mean the same in draft 7 (what the fast path compiles) and in 2020-12 (what
# jsonschema, the authority, applies). Anything else (dependentRequired, prefixItems,
# unevaluatedProperties, $anchor, `$ref` with siblings, ...) would let the two disagree.
SHARED_KEYWORDS = frozenset({
    "type", "enum", "const", "properties", "required", "additionalProperties",
    "patternProperties", "propertyNames", "minProperties", "maxProperties", "items",
    "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "format",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "anyOf",
    "allOf", "oneOf", "not", "if", "then", "else", "$ref", "$defs", "$schema", "$id",
    "title", "description", "examples", "default", "$comment",
})
SCHEMA_NAMES = ["campaign.schema.json", "config.schema.json", "state.schema.json",
                "saved-plan.schema.json", "plan.schema.json", "validate.schema.json",
                "status.schema.json", "apply.schema.json"]


def keywords(node: object, path: str = "#") -> list[tuple[str, str]]:
    """(keyword, where) for every schema keyword in `node`, annotations `x-…` aside."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key.startswith("x-"):
                continue
            found.append((key, path))
            if key in ("properties", "patternProperties", "$defs"):
                for name, sub in value.items():
                    found += keywords(sub, f"{path}/{key}/{name}")
            elif key in ("items", "additionalProperties", "propertyNames", "not", "if", "then",
                         "else"):
                found += keywords(value, f"{path}/{key}")
            elif key in ("anyOf", "allOf", "oneOf"):
                for number, sub in enumerate(value):
                    found += keywords(sub, f"{path}/{key}/{number}")
    return found


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_shipped_schema_uses_only_keywords_both_drafts_read_alike(name: str) -> None:
    from reconciler.schema import load_schema

    schema = load_schema(name)
    found = keywords(schema)
    assert found, name
    assert sorted({(k, w) for k, w in found if k not in SHARED_KEYWORDS}) == []
    with_siblings = [w for k, w in found if k == "$ref"
                     and len([1 for k2, w2 in found if w2 == w and k2 not in
                              ("description", "title", "examples", "default")]) > 1]
    assert with_siblings == []  # draft 7 ignores the siblings of a `$ref`


def mutations(document: dict[str, object]) -> st.SearchStrategy[object]:
    """`document` with a field somewhere in it removed, replaced or added."""
    paths: list[tuple[object, ...]] = []

    def walk(node: object, path: tuple[object, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                paths.append((*path, key))
                walk(value, (*path, key))
        elif isinstance(node, list):
            for number, value in enumerate(node):
                paths.append((*path, number))
                walk(value, (*path, number))

    walk(document, ())
    replacements = st.sampled_from([None, 0, -1, 1.5, "", "x", "cmp_x", True, [], {},
                                    "2030-01-01T00:00:00Z", "sha256:" + "0" * 64])

    @st.composite
    def mutated(draw: st.DrawFn) -> object:
        doc = json.loads(json.dumps(document))
        path = draw(st.sampled_from(paths))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["remove", "replace", "add"]))
        if action == "remove" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent["unexpected"] = draw(replacements)
        else:
            parent[path[-1]] = draw(replacements)
        return doc

    return mutated()


def saved_plan_document() -> dict[str, object]:
    from builders import campaign, plan_of

    from reconciler.plan.planfile import plan_file_json

    return plan_file_json(plan_of([campaign("A"), campaign("B", body="b")]))


def state_document() -> dict[str, object]:
    from builders import entry, state

    doc = state({"A": entry("cmp_a"), "B": entry("cmp_b")}).to_json()
    return dict(doc)


@pytest.mark.parametrize(("name", "make"), [("state", state_document),
                                            ("saved_plan", saved_plan_document)])
def test_the_fast_path_of_every_whole_schema_agrees_with_jsonschema(name: str, make) -> None:
    from reconciler.schema import validator_for

    file = FAST_SCHEMAS[name][0]
    validator = validator_for(file)
    document = make()
    assert validator.is_valid(document) and fast_is_valid(name, document)

    @settings(max_examples=400, deadline=None)
    @given(mutations(document))
    def agrees(instance: object) -> None:
        assert fast_is_valid(name, instance) == validator.is_valid(instance), instance

    agrees()


@settings(max_examples=400, deadline=None)
@given(st.fixed_dictionaries({}, optional={k: v for k, v in values.items()
                                          if k not in ("name", "previous_names")}))
def test_the_fast_path_of_defaults_agrees_with_jsonschema(instance: dict[str, object]) -> None:
    from reconciler.schema import defaults_validator

    assert fast_is_valid("defaults", instance) == defaults_validator().is_valid(instance)


# -- the rules on the whole campaign, checked once a layout (schemasplit) -------------------


def test_the_shipped_campaign_schema_splits_into_layout_and_fields() -> None:
    """The split applies to the shipped schema (else every campaign is checked whole): the
    rules on the whole campaign read the channel, the sender ID and the aliases' and
    template's presence; the name and the send time are each field's own."""
    from reconciler.schema.split import split

    parts = split(fast_schema("campaign"))
    assert parts is not None
    assert {"channel", "sender_id"} <= set(parts.value_keys)
    assert {"name", "scheduled_at", "body"} <= set(parts.fields["properties"])
    assert not set(parts.value_keys) & set(parts.fields["properties"])


@pytest.mark.parametrize("schema", [
    {"type": "object", "additionalProperties": False, "properties": {}, "minProperties": 2},
    {"type": "object", "additionalProperties": False, "properties": {},
     "allOf": [{"type": "object"}]},
    {"type": "object", "additionalProperties": False, "properties": {},
     "allOf": [{"maxProperties": 3}]},
    {"type": "object", "properties": {}},  # other fields allowed
    {"type": "object", "additionalProperties": False,
     "properties": {"a": {"$ref": "#/$defs/a"}}},
])
def test_the_split_gives_up_on_what_it_does_not_follow(schema: dict[str, object]) -> None:
    from reconciler.schema.split import split

    assert split(schema) is None


@pytest.fixture
def no_layouts(monkeypatch):
    import reconciler.schema

    monkeypatch.setattr(reconciler.schema, "_VALID_LAYOUTS", set())


def test_a_campaign_laid_out_as_a_valid_one_is_still_checked_on_its_own_fields(
        no_layouts) -> None:
    from reconciler.schema import campaign_errors

    assert campaign_errors(VALID) == []
    for field, bad in (("name", " A"), ("scheduled_at", "tomorrow"), ("body", ""),
                       ("contact_list_id", "abc")):
        errors = campaign_errors({**VALID, field: bad})
        assert [e.field for e in errors] == [field], field


def test_a_campaign_of_another_layout_is_checked_whole(no_layouts) -> None:
    from reconciler.schema import campaign_errors

    assert campaign_errors(VALID) == []
    assert [e.field for e in campaign_errors({**VALID, "channel": "email"})] == ["sender_id"]
    assert campaign_errors({**VALID, "sender_id": True}) != []  # `true`, not a text
    both = {**VALID, "template": {"name": "promo", "language": {"code": "pt_PT"}}}
    assert campaign_errors(both) != []


def test_a_layout_tells_apart_values_of_other_types_and_skips_lists_and_mappings() -> None:
    from reconciler.schema.split import layout

    assert layout({"a": True, "b": "x"}, ["a"]) != layout({"a": 1, "b": "x"}, ["a"])
    assert layout({"a": "x", "b": "y"}, ["a"]) == layout({"a": "x", "b": "z"}, ["a"])
    assert layout({"a": "x"}, ["a"]) != layout({"a": "x", "b": "z"}, ["a"])
    assert layout({"a": {"k": 1}}, ["a"]) is None and layout({"a": [1]}, ["a"]) is None
    assert layout(["a"], ["a"]) is None


@settings(max_examples=600, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries({}, optional=dict(values)),
       st.fixed_dictionaries({}, optional={k: values[k] for k in VALID}))
def test_the_check_once_a_layout_agrees_with_jsonschema(no_layouts, drawn: dict[str, object],
                                                        changes: dict[str, object]) -> None:
    """A campaign checked after another with the same fields (its values changed by
    `changes`) gets jsonschema's verdict, whatever the first one's was."""
    from reconciler.schema import _VALID_LAYOUTS, campaign_errors

    _VALID_LAYOUTS.clear()
    validator = campaign_validator()
    first = {**VALID, **drawn}
    second = {**first, **changes}
    for instance in (first, second):
        assert (campaign_errors(instance) == []) == validator.is_valid(instance), instance

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
                         check=True, env={"GITHUB_ACTIONS": "", "PATH": ""}).stdout
    assert out.splitlines()[-1] == "loaded:"

"""Whatever bytes or YAML the loader is fed, it returns campaigns or located errors."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reconciler.definitions import Campaign, parse_document
from reconciler.diagnostics import Diagnostic

CHANNELS = {"sms", "whatsapp", "telegram", "email", "slack"}
FIELDS = [
    "name", "channel", "contact_list_id", "sender_id", "body", "template",
    "scheduled_at", "previous_names", "description", "purpose", "campaigns", "defaults",
]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
    st.sampled_from(["sms", "whatsapp", "email", "lst_a", "BRAND", "2030-01-01T00:00:00Z", "yes"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5), inner, max_size=5),
    ),
    max_leaves=20,
)


def check(result: tuple[list[Campaign], list[Diagnostic]]) -> None:
    campaigns, diagnostics = result
    for c in campaigns:  # what reaches the plan is whole, located, and sendable as is
        assert c.location.file == "f.yaml" and c.location.line >= 1
        assert c.name.strip() and c.channel in CHANNELS
        assert (c.body is None) != (c.template is None)
        assert c.digest().startswith("sha256:")
        payload = c.payload()
        assert payload["name"] == c.name and payload["channel"] == c.channel
        assert payload["contact_list_id"] == c.contact_list_id
    for d in diagnostics:
        assert d.location.file == "f.yaml"
        assert d.location.line >= 1 and d.location.column >= 1
        assert d.message


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_campaigns_or_located_errors(data: bytes) -> None:
    check(parse_document("f.yaml", data))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_gives_campaigns_or_located_errors(text: str) -> None:
    check(parse_document("f.yaml", text.encode("utf-8")))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_arbitrary_yaml_documents_give_campaigns_or_located_errors(value: object) -> None:
    check(parse_document("f.yaml", yaml.safe_dump(value).encode("utf-8")))


VALID = {"name": "Sale", "channel": "sms", "contact_list_id": "lst_a", "sender_id": "BRAND",
         "body": "Hello. Reply STOP to opt out.", "scheduled_at": "2030-01-01T00:00:00Z"}


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=8))
@example(VALID)  # at least one campaign goes through every assertion of `check`
def test_arbitrary_campaign_like_mappings_give_campaigns_or_located_errors(value: object) -> None:
    check(parse_document("f.yaml", yaml.safe_dump(value).encode("utf-8")))


def test_a_valid_campaign_passes_the_property_checks() -> None:
    campaigns, diagnostics = parse_document("f.yaml", yaml.safe_dump(VALID).encode("utf-8"))
    assert [c.name for c in campaigns] == ["Sale"] and not diagnostics
    check((campaigns, diagnostics))

"""Whatever bytes or YAML the loader is fed, it returns campaigns or located errors."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.definitions import Campaign, parse_document
from reconciler.diagnostics import Diagnostic

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
    assert all(isinstance(c, Campaign) for c in campaigns)
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


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=8))
def test_arbitrary_campaign_like_mappings_give_campaigns_or_located_errors(value: object) -> None:
    check(parse_document("f.yaml", yaml.safe_dump(value).encode("utf-8")))

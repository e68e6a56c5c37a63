"""The fast path (fastjsonschema) must never accept a campaign that jsonschema rejects."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.schema import campaign_validator, fast_is_valid

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

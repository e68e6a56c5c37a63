"""The campaigns of a `campaigns:` file with `defaults:` are checked and made without merging
each over the defaults once their layout is known valid (`loader._Shared`,
`schema.known_valid_over`). That must give exactly what merging each one gives: the same
campaigns, the same place for each field, the same problems."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reconciler.definitions.loader as loader
import reconciler.schema as schema
from reconciler.definitions import parse_document
from reconciler.schema.split import layout, layout_over

# For each field, values the schema accepts and values it (or the rules after it) refuses.
POOL: dict[str, list[Any]] = {
    "channel": ["sms", "email", "whatsapp", "slack", "fax"],
    "contact_list_id": ["lst_a", "lst_b", "not-a-list"],
    "contact_list": ["customers", "-bad"],
    "sender_id": ["ZEXA", "news@zexa.ao", "12345", ""],
    "sender": ["main", "other"],
    "body": ["Hi. Responda STOP para cancelar", "See https://zexa.ao", "", 7],
    "template": [{"name": "promo", "language": {"code": "pt_PT"}}, {"name": "promo"}],
    "scheduled_at": ["2099-01-01T09:00:00+01:00", "2099-01-02T09:00:00Z",
                     "1999-01-01T09:00:00Z", "tomorrow", None],
    "purpose": ["marketing", "transactional", "spam"],
    "description": ["about", 3],
    "environments": [["prod"], [], ["bad env"]],
    "skip_checks": [["opt-out"], ["no-such-check"]],
    "template_text": ["Hello {{1}}", ""],
}
ENTRY_ONLY: dict[str, list[Any]] = {
    "name": ["Spring", " Spring", "Spr\u200bing"],
    "previous_names": [["Old"], [""]],
    "colour": ["red"],
}


def fields(pool: dict[str, list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in pool.items()})


# Mostly a valid SMS campaign's fields, so that most files have layouts that pass.
VALID_SMS = {"channel": "sms", "contact_list_id": "lst_a", "sender_id": "ZEXA",
             "body": "Hi. Responda STOP para cancelar", "purpose": "marketing"}
defaults_st = st.one_of(
    fields(POOL),
    st.builds(lambda keep, extra: {**{k: v for k, v in VALID_SMS.items() if k in keep}, **extra},
              st.sets(st.sampled_from(sorted(VALID_SMS))), fields(POOL)),
    st.builds(lambda extra: {**VALID_SMS, **extra},
              fields({k: POOL[k] for k in ("scheduled_at", "environments", "skip_checks")})))
FEW = ("scheduled_at", "contact_list", "contact_list_id", "sender", "sender_id")
entry_st = st.one_of(fields({**POOL, **ENTRY_ONLY}),
                     fields({**{k: POOL[k] for k in FEW}, "name": ENTRY_ONLY["name"]}))


def document(defaults: dict[str, Any], entries: list[dict[str, Any]]) -> bytes:
    named = [{"name": f"C{i}", **e} if "name" not in e else {**e, "name": f"{e['name']} {i}"}
             for i, e in enumerate(entries)]
    return yaml.safe_dump({"defaults": defaults, "campaigns": named}, sort_keys=False,
                          allow_unicode=True).encode()


FIELD_NAMES = [*POOL, "name", "previous_names"]


def outcome(data: bytes) -> tuple[list[Any], list[Any]]:
    campaigns, diagnostics = parse_document("f.yaml", data)
    placed = [(c, {k: c.location_of(k) for k in FIELD_NAMES}, sorted(c.fields_placed()))
              for c in campaigns]
    return placed, sorted(diagnostics, key=lambda d: (d.location, d.message))


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(defaults_st, st.lists(entry_st, min_size=1, max_size=6))
def test_campaigns_over_defaults_are_made_as_if_each_were_merged(
        monkeypatch: pytest.MonkeyPatch, defaults: dict[str, Any],
        entries: list[dict[str, Any]]) -> None:
    data = document(defaults, entries * 2)  # each layout twice: the second is not merged
    schema._VALID_LAYOUTS.clear()
    shared = outcome(data)
    with monkeypatch.context() as m:
        m.setattr(loader, "known_valid_over", lambda base, entry: False)
        merged = outcome(data)
    assert shared == merged


def test_the_common_case_is_made_without_merging(monkeypatch: pytest.MonkeyPatch) -> None:
    """The property above compares two paths: the shared one must be the one taken."""
    merges = []
    real = loader._merge
    monkeypatch.setattr(loader, "_merge", lambda d, e: merges.append(e) or real(d, e))
    data = document({"channel": "sms", "contact_list_id": "lst_a", "sender_id": "ZEXA",
                     "body": "Hi. Responda STOP para cancelar", "purpose": "marketing"},
                    [{"scheduled_at": f"2099-01-0{i}T09:00:00Z"} for i in range(1, 6)])
    schema._VALID_LAYOUTS.clear()
    campaigns, diagnostics = parse_document("f.yaml", data)
    assert [c.name for c in campaigns] == ["C0", "C1", "C2", "C3", "C4"] and not diagnostics
    assert len(merges) == 1  # the first of the layout only
    assert campaigns[4].location_of("body").line == 5  # where `defaults:` set it
    assert campaigns[4].location_of("scheduled_at").line == campaigns[4].location.line + 1


@given(fields(POOL), fields(POOL))
def test_the_layout_over_defaults_is_the_merged_campaign_s(base: dict[str, Any],
                                                           entry: dict[str, Any]) -> None:
    keys = ("channel", "sender_id", "contact_list", "sender", "template")
    assert layout_over(base, entry, keys) == layout({**base, **entry}, keys)

"""A create's send time as the plan words it: the local time, written by one strftime,
reads as the same fields formatted one by one."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler import clock
from reconciler.render.plan_parts import short_when, when_of
from reconciler.render.schedule import local_time, relative, zone_of

ZONES = st.sampled_from(["UTC", "Africa/Luanda", "America/St_Johns", "Asia/Kathmandu",
                         "Pacific/Chatham", "Europe/Lisbon", "Not/AZone"])
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2200, 1, 1),
                       timezones=st.just(timezone.utc))


def item_and_plan(moment: datetime, zone: str) -> tuple[Any, Any]:
    written = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    campaign = SimpleNamespace(sends_at=moment, scheduled_at=written)
    plan = SimpleNamespace(zone=zone, generated_at="2001-01-01T00:00:00Z")
    return SimpleNamespace(campaign=campaign), plan


@settings(max_examples=300)
@given(MOMENTS, ZONES)
def test_a_send_time_reads_as_its_fields_formatted_one_by_one(moment: datetime,
                                                              zone: str) -> None:
    item, plan = item_and_plan(moment, zone)
    local = moment.astimezone(zone_of(zone))
    later = relative(moment - clock.parse(plan.generated_at))
    assert when_of(item, plan) == (
        f"{item.campaign.scheduled_at} ({local:%H:%M} {zone}, {local:%a} {local.day} "
        f"{local:%b %Y}), {later}")
    assert short_when(item, plan) == (
        f"{local:%a} {local.day} {local:%b %Y} {local:%H:%M}, {later}")


def test_a_send_time_names_the_day_and_the_zone() -> None:
    item, plan = item_and_plan(datetime(2030, 6, 1, 9, tzinfo=timezone.utc), "Africa/Luanda")
    assert when_of(item, plan).startswith("2030-06-01T09:00:00Z (10:00 Africa/Luanda, "
                                          "Sat 1 Jun 2030), in ")
    assert short_when(item, plan).startswith("Sat 1 Jun 2030 10:00, in ")


def test_a_moment_already_written_for_one_zone_is_written_anew_for_another() -> None:
    """Local times are kept per moment and zone: the same instant, given with another
    offset or asked for another zone right after, reads as its own fields."""
    moment = datetime(2030, 6, 1, 23, 30, tzinfo=timezone.utc)
    same_instant = moment.astimezone(timezone(timedelta(hours=-5)))
    for zone in ("Africa/Luanda", "UTC", "Pacific/Chatham", "America/St_Johns"):
        for given_as in (moment, same_instant):
            local = moment.astimezone(zone_of(zone))
            assert local_time(given_as, zone) == (
                local.date(), f"{local:%H:%M}", f"{local:%a} {local.day} {local:%b %Y}")
    assert local_time(moment, "Africa/Luanda").day == "Sun 2 Jun 2030"
    assert local_time(moment, "UTC").day == "Sat 1 Jun 2030"

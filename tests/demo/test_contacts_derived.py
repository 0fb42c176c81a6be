"""The demo's contacts are stored with their derived columns (``DERIVED``): the repeat flags
from the simulation's side (``with_repeats``), the local day and minute from the seconds, the
tier and the threshold from the customer and the queue. They must be exactly what
``contacts_derive`` sets for the same contacts stored without them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from yuqi.customers.models import Customer, Tier
from yuqi.demo.simulation import REPEAT_SECONDS, ContactDay, build_centre, with_repeats
from yuqi.demo.steps.accounts import create_demo_users
from yuqi.demo.steps.customers import load_demo_customers
from yuqi.demo.steps.interactions import load_demo_interactions, load_demo_topology
from yuqi.interactions.derived import contacts_derive, pending, seconds_local_parts
from yuqi.interactions.models import Interaction, Queue

END = date(2026, 11, 20)
COLUMNS = ("id", "local_day", "local_minute", "repeated", "tier_id", "sl_seconds")


def _row(t: int, customer: str | None, category: str, direction: str = "inbound") -> tuple:
    return (t, "acd", "phone", direction, "q", None, None, customer, None, None, t + 60,
            False, 0, 0, 0, False, None, category)  # fmt: skip


def _by_definition(rows: list[tuple]) -> list[int]:
    """A later (not at the same instant) inbound contact of the same customer and category
    within the window: the flag's definition, contact by contact."""
    return [
        int(
            bool(r[7])
            and any(
                o[7] == r[7] and o[17] == r[17] and o[3] == "inbound"
                and r[0] < o[0] <= r[0] + REPEAT_SECONDS
                for o in rows
            )
        )
        for r in rows
    ]  # fmt: skip


def test_the_simulations_repeat_flags_follow_the_definition():
    start = datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    w = REPEAT_SECONDS
    day_rows = [
        [
            _row(10, "c1", "bill"),
            _row(10, "c1", "bill"),  # the same instant: neither is later than the other
            _row(20, "c1", "bill", "outbound"),  # outbound: makes no repeat, can be one
            _row(30, "c2", "bill"),
            _row(40, None, "bill"),  # no customer: never a repeat
            _row(50, "c1", "fault"),
        ],
        [
            _row(86_400 + 5, "c1", "bill"),  # makes the three before it repeats
            _row(86_400 + 6, None, "bill"),
            _row(86_400 + 7, "c3", "bill"),
        ],
        [_row(30 + w, "c2", "bill"), _row(50 + w + 1, "c1", "fault")],  # the edge, and past it
        [_row(86_400 + 7 + w + 5, "c3", "bill")],
        [],
    ]
    days = [ContactDay(start, f"d{i}", rows) for i, rows in enumerate(day_rows)]
    flagged = list(with_repeats(iter(days)))
    assert [day.rows for day in flagged] == day_rows
    every = [row for rows in day_rows for row in rows]
    assert [f for day in flagged for f in day.repeats] == _by_definition(every)
    assert [list(day.repeats) for day in flagged[:3]] == [
        [1, 1, 1, 1, 0, 0],
        [0, 0, 0],
        [0, 0],
    ]


def test_the_repeat_flags_of_a_simulation_follow_the_definition():
    days = list(build_centre(seed=5, scale="small", end_date=END).interactions().days())
    every = [row for day in days for row in day.rows]
    flags = [f for day in days for f in day.repeats]
    assert sum(flags) > 100
    assert flags == _by_definition_fast(every)


def _by_definition_fast(rows: list[tuple]) -> list[int]:
    """:func:`_by_definition` for thousands of rows: each contact's later inbound contacts
    of the same key, looked up in the key's sorted arrivals."""
    from bisect import bisect_right

    inbound: dict[tuple, list[int]] = {}
    for r in rows:
        if r[7] and r[3] == "inbound":
            inbound.setdefault((r[7], r[17]), []).append(r[0])
    out = []
    for r in rows:
        times = inbound.get((r[7], r[17]), []) if r[7] else []
        i = bisect_right(times, r[0])
        out.append(int(i < len(times) and times[i] <= r[0] + REPEAT_SECONDS))
    return out


def test_rows_out_of_order_are_refused():
    start = datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    days = [
        ContactDay(start, "a", [_row(50, "c", "x")]),
        ContactDay(start, "b", [_row(40, "c", "x")]),
    ]
    with pytest.raises(RuntimeError, match="order of arrival"):
        list(with_repeats(iter(days)))


def _derived() -> dict:
    return {row[0]: row[1:] for row in Interaction.objects.values_list(*COLUMNS)}


@pytest.mark.django_db
def test_the_demo_contacts_are_stored_as_contacts_derive_derives_them():
    centre = build_centre(seed=3, scale="small", end_date=END)
    create_demo_users()
    load_demo_customers(centre.customers)
    load_demo_topology(centre)
    # a tier with its own threshold, a queue with a threshold of its own, a tier without one
    tier = Tier.objects.order_by("rank").first()
    Tier.objects.filter(pk=tier.pk).update(sl_seconds=9)
    Tier.objects.exclude(pk=tier.pk).update(sl_seconds=None)
    Queue.objects.filter(pk=Queue.objects.order_by("code").first().pk).update(sl_seconds=33)
    assert Customer.objects.filter(tier=tier).exists()
    count = load_demo_interactions(centre.interactions())
    assert count == Interaction.objects.count() > 1000
    assert not pending().exists()  # every contact stored derived
    assert contacts_derive() == 0
    stored = _derived()
    assert {v[2] for v in stored.values()} == {False, True}
    assert {v[4] for v in stored.values()} >= {9, 33}
    Interaction.objects.update(
        derived_at=None, local_day=None, local_minute=None, repeated=None, tier=None,
        sl_seconds=None,
    )  # fmt: skip
    assert contacts_derive() == count
    assert _derived() == stored


@pytest.mark.django_db
def test_contacts_in_a_zone_that_changes_offset_are_left_to_contacts_derive():
    # 16–22 October: the windows of the last days reach the end of summer time, 25 October
    centre = build_centre(seed=3, scale="small", end_date=date(2026, 10, 22))
    create_demo_users()
    load_demo_customers(centre.customers)
    load_demo_topology(centre)
    with override_settings(TIME_ZONE="Europe/Berlin"):
        count = load_demo_interactions(centre.interactions())
        left = pending().count()
        assert 0 < left < count  # the days whose window reaches the change
        assert contacts_derive() == left
        stored = _derived()
        Interaction.objects.update(derived_at=None)
        assert contacts_derive() == count
        assert _derived() == stored


def test_the_local_parts_of_seconds_are_the_zones():
    shanghai = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 3, 1, tzinfo=shanghai)
    for zone in ("Asia/Shanghai", "UTC", "America/New_York"):
        tz = ZoneInfo(zone)
        with override_settings(TIME_ZONE=zone):
            parts = seconds_local_parts(start, 0, 5 * 86_400)
            assert parts is not None
            for n in (0, 59, 60, 3_599, 86_399, 86_400, 4 * 86_400 + 12_345):
                local = (start + timedelta(seconds=n)).astimezone(tz)
                assert parts(n) == (local.date(), local.hour * 60 + local.minute)
    with override_settings(TIME_ZONE="America/New_York"):  # summer time from 8 March 2026
        assert seconds_local_parts(start, 0, 10 * 86_400) is None

"""The contacts' local day and minute: SQLite's own date arithmetic for a zone with one UTC
offset gives what Django's zone-aware functions give, and a zone that changes offset in the
range keeps Django's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings

from tests.interactions.factories import InteractionFactory
from yuqi.interactions import derived
from yuqi.interactions.derived import _fixed_offset, contacts_derive
from yuqi.interactions.models import Interaction, RollupDay

pytestmark = pytest.mark.django_db


def _derived() -> tuple[dict, set]:
    contacts_derive()
    values = {
        i: (d, m) for i, d, m in Interaction.objects.values_list("id", "local_day", "local_minute")
    }
    return values, set(RollupDay.objects.values_list("day", flat=True))


def _again_by_django() -> tuple[dict, set]:
    RollupDay.objects.all().delete()
    Interaction.objects.update(derived_at=None, local_day=None, local_minute=None)
    with mock.patch.object(derived, "_fixed_offset", return_value=None):
        return _derived()


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York"])
def test_the_fast_local_parts_equal_djangos(zone):
    # local midnight either side, a second before a minute edge, micro- and whole seconds
    base = datetime(2026, 3, 1, 15, 59, 59, 999_999, tzinfo=UTC)
    moments = [base + timedelta(seconds=s) for s in (0, 1, 61, 3_600 * 8, 86_399, 86_400 * 3 + 7)]
    with override_settings(TIME_ZONE=zone):
        for moment in moments:
            InteractionFactory(arrived_at=moment)
        fast = _derived()
        assert fast == _again_by_django()
        assert len(fast[0]) == len(moments)


def test_a_zone_that_changes_offset_in_the_range_has_no_fixed_offset():
    berlin = ZoneInfo("Europe/Berlin")
    winter = datetime(2026, 3, 20, tzinfo=UTC)
    assert _fixed_offset(berlin, winter, winter + timedelta(days=5)) == timedelta(hours=1)
    assert _fixed_offset(berlin, winter, winter + timedelta(days=10)) is None  # 29 March
    shanghai = ZoneInfo("Asia/Shanghai")
    assert _fixed_offset(shanghai, winter, winter + timedelta(days=3650)) == timedelta(hours=8)


def test_a_range_across_a_change_of_offset_derives_by_django():
    with override_settings(TIME_ZONE="Europe/Berlin"):
        for day in (27, 28, 29, 30):  # summer time from 29 March 2026, 02:00
            InteractionFactory(arrived_at=datetime(2026, 3, day, 22, 30, tzinfo=UTC))
        values, days = _derived()
        assert sorted(m for _d, m in values.values()) == [30, 30] + [23 * 60 + 30] * 2
        assert (values, days) == _again_by_django()


def test_the_repeat_window_end_equals_djangos_timedelta_addition():
    """SQLite's own ``datetime()`` with the stored fraction appended gives the text Django's
    ``django_format_dtdelta`` gives, with and without microseconds, across a month end."""
    from django.db.models import DateTimeField, F
    from django.db.models.expressions import RawSQL

    moments = [
        datetime(2026, 2, 25, 23, 59, 59, tzinfo=UTC),
        datetime(2026, 2, 25, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2026, 12, 28, 0, 0, 0, 1, tzinfo=UTC),
    ]
    for moment in moments:
        InteractionFactory(arrived_at=moment)
    column = f"{Interaction._meta.db_table}.arrived_at"
    rows = Interaction.objects.annotate(
        ours=RawSQL(derived._window_end_sql(column), [], output_field=DateTimeField()),
        django=F("arrived_at") + timedelta(days=7),
    ).values_list("ours", "django")
    assert [a for a, _ in rows] == [b for _, b in rows]
    assert len(rows) == len(moments)


def test_a_contact_repeats_within_seven_days_to_the_microsecond():
    from tests.customers.factories import CustomerFactory

    customer = CustomerFactory()
    base = datetime(2026, 3, 1, 10, tzinfo=UTC)
    for moment in (base, base + timedelta(days=7), base + timedelta(days=14, microseconds=1)):
        InteractionFactory(arrived_at=moment, customer=customer)
    contacts_derive()
    flags = dict(Interaction.objects.values_list("arrived_at", "repeated"))
    assert flags[base] is True  # the next one is exactly seven days later
    assert flags[base + timedelta(days=7)] is False  # the next: seven days and a microsecond


def _answered_around_quarters(agent, base=datetime(2026, 3, 1, 15, 59, 59, 999_999, tzinfo=UTC)):
    """Contacts answered by ``agent`` on both sides of quarter hours, midnight and days
    (derived in the current zone)."""
    for s in (0, 1, 61, 899, 900, 3_600 * 8, 86_399, 86_400 * 3 + 7):
        InteractionFactory(
            agent=agent,
            arrived_at=base + timedelta(seconds=s - 30),
            answered_at=base + timedelta(seconds=s),
            abandoned=False,
        )
    contacts_derive()


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York"])
def test_the_answering_agents_slots_by_sqlites_arithmetic_equal_djangos(zone):
    """The rollups' agents per local day and slot of the answer (``answered_agents``): on
    SQLite by its own date arithmetic where the zone keeps one offset, the same rows as by
    Django's zone-aware functions."""
    from tests.interactions.factories import AgentFactory
    from yuqi.interactions.rollups import answered_agents, offered_contacts

    with override_settings(TIME_ZONE=zone):
        _answered_around_quarters(AgentFactory())

        def rows() -> list:
            return sorted(answered_agents(offered_contacts()).values_list(
                "local_day", "answered_day", "answered_slot"
            ))  # fmt: skip

        fast = rows()
        sqlite = connection.vendor == "sqlite"  # PostgreSQL's own zone functions either way
        sql = str(answered_agents(offered_contacts()).query)
        assert not sqlite or "django_datetime" not in sql  # no Python function per row
        with mock.patch.object(derived, "_fixed_offset", return_value=None):
            assert not sqlite or "django_datetime" in str(answered_agents(offered_contacts()).query)
            assert rows() == fast
        assert len(fast) >= 5


@pytest.mark.parametrize(
    ("zone", "base"),
    [
        ("Asia/Shanghai", datetime(2026, 3, 1, 15, 59, 59, 999_999, tzinfo=UTC)),
        # the night New York's clocks go forward: 02:00–03:00 local does not exist
        ("America/New_York", datetime(2026, 3, 8, 6, 44, 59, 999_999, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 11, 1, 5, 29, 59, 999_999, tzinfo=UTC)),
    ],
)
def test_the_rollups_answering_agents_are_answered_agents(zone, base):
    """The rebuilt ``ContactAgentSlot`` rows (on PostgreSQL by each answer's local quarter
    hour, worked out once) are :func:`answered_agents`'s rows, across quarter hours, midnight
    and a change of the zone's offset."""
    from tests.interactions.factories import AgentFactory
    from yuqi.interactions.models import ContactAgentSlot
    from yuqi.interactions.rollups import answered_agents, offered_contacts, rollups_rebuild

    with override_settings(TIME_ZONE=zone):
        _answered_around_quarters(AgentFactory(), base)
        _answered_around_quarters(AgentFactory(), base + timedelta(minutes=7))
        rollups_rebuild()
        names = ("local_day", "queue_id", "agent_id", "answered_day", "answered_slot")
        expected = sorted(answered_agents(offered_contacts()).values_list(*names))
        stored = sorted(
            ContactAgentSlot.objects.values_list("day", "queue_id", "agent_id", *names[3:])
        )
    assert len(expected) >= 10
    assert stored == expected

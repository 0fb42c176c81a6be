"""The KPI rollups' day rows and handling agents, and the dashboard's merged rows, give the
figures counted afresh from the contacts.

``ContactDayRollup`` answers KPI tables not grouped by interval (the GROUPINGS of
``test_kpi_rollups`` compare those with the contacts too); ``ContactAgentDay`` answers which
agents handled the filtered contacts, whose agent time makes occupancy on a filtered table
(the KPI explorer always filters by its channel scope). Here: occupancy with agent states
and filters, rollup-read against fresh, before and after contacts are edited and the
refresh has run; the upgrade's fill of built rollups; ``kpi_rows_merged`` against the
tables it replaces on the dashboard. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import itertools
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from tests.operations.test_kpi_sql import DAY1, DAYS, build_world
from yuqi.domain.kpi import SL_ABANDONS_IN
from yuqi.interactions.models import (
    Agent,
    ContactAgentDay,
    ContactDayRollup,
    ContactRollup,
    Interaction,
    Queue,
)
from yuqi.interactions.rollups import rollups_refresh
from yuqi.operations.kpi.selectors import _handling_agents, kpi_rows_merged, kpi_table
from yuqi.workforce.importing import store_states

pytestmark = pytest.mark.django_db

FILTERS = (
    {},
    {"channels": {"phone", "webchat"}},
    {"channel": "email"},
    {"queue": "vip"},
    {"queues": {"general", "billing"}},
)
GROUPINGS = ([], ["day"], ["week"], ["interval"])
RANGES = ((DAY1, DAY1 + dt.timedelta(days=DAYS - 1)), (DAY1, DAY1))


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    tz = timezone.get_default_timezone()
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def _world(seed: int) -> None:
    """The KPI world, an agent who answers one e-mail of the VIP queue only (A009), an agent
    with states but no contact (A007), and states for them and for A000."""
    build_world(seed)
    vip = Queue.objects.get(code="vip")
    lone = Agent.objects.create(code="A009", name="座席9")
    Agent.objects.create(code="A007", name="座席7")
    arrived = _at(DAY1, 10, 5)
    Interaction.objects.create(
        source="test",
        external_id="lone",
        channel="email",
        direction="inbound",
        queue=vip,
        agent=lone,
        arrived_at=arrived,
        answered_at=arrived + dt.timedelta(seconds=40),
        wait_seconds=40,
        talk_seconds=300,
    )
    records = []
    for day in (DAY1, DAY1 + dt.timedelta(days=1)):
        for agent in ("A000", "A009", "A007"):
            for kind, start, end in (
                ("ready", _at(day, 8), _at(day, 9, 10)),
                ("on_contact", _at(day, 9, 10), _at(day, 11, 40)),
            ):
                records.append(
                    {"agent": agent, "state": kind, "reason": "", "start": start, "end": end}
                )
    store_states(records)


def _assert_agree() -> int:
    compared = 0
    for (first, last), by, extra in itertools.product(RANGES, GROUPINGS, FILTERS):
        asked = {"date_from": first, "date_to": last, "by": by, **extra}
        from_rollups = kpi_table(source="rollups", **asked)
        assert from_rollups == kpi_table(source="contacts", **asked), asked
        compared += sum(row.counts.staffed_seconds is not None for row in from_rollups)
        within = {"date_from": first, "date_to": last, "queue": None, "channel": None}
        within |= {"channels": None, "queues": None, **extra}
        contacts = Interaction.objects.filter(
            direction="inbound", queue__isnull=False, local_day__gte=first, local_day__lte=last
        )
        if extra.get("queue"):
            contacts = contacts.filter(queue__code=extra["queue"])
        if extra.get("channel"):
            contacts = contacts.filter(channel=extra["channel"])
        if extra.get("channels"):
            contacts = contacts.filter(channel__in=extra["channels"])
        if extra.get("queues"):
            contacts = contacts.filter(queue__code__in=extra["queues"])
        fresh = set(_handling_agents(contacts, **within))
        assert set(_handling_agents(None, **within)) == fresh, asked
    return compared


def test_occupancy_of_filtered_tables_reads_the_rollups_agents():
    _world(5)
    rollups_refresh()
    assert ContactDayRollup.objects.exists()
    assert ContactAgentDay.objects.exists()
    assert _assert_agree() > 20
    # The filter decides whose time counts: the e-mail agent only in an e-mail table.
    asked = {"date_from": DAY1, "date_to": DAY1, "by": []}
    [email] = kpi_table(channel="email", **asked)
    [phone] = kpi_table(channel="phone", **asked)
    [everyone] = kpi_table(**asked)
    assert email.counts.staffed_seconds != phone.counts.staffed_seconds
    assert everyone.counts.staffed_seconds > phone.counts.staffed_seconds


def test_edits_reach_the_day_rows_and_agents_after_a_refresh():
    _world(8)
    rollups_refresh()
    lone = Interaction.objects.get(external_id="lone")
    lone.channel = "phone"  # the e-mail agent now answers a call, a day later
    lone.arrived_at += dt.timedelta(days=1)
    lone.answered_at += dt.timedelta(days=1)
    lone.save()
    moved = Interaction.objects.filter(queue__code="general", agent__code="A000").first()
    moved.agent = Agent.objects.get(code="A009")
    moved.save()
    Interaction.objects.filter(queue__code="billing", channel="webchat").delete()
    rollups_refresh()
    assert _assert_agree() > 20


def test_the_upgrade_fills_built_rollups():
    _world(4)
    rollups_refresh()
    day_rows = sorted(ContactDayRollup.objects.values_list("day", "queue", "channel", "offered"))
    agent_rows = sorted(ContactAgentDay.objects.values_list("day", "queue", "channel", "agent"))
    ContactDayRollup.objects.all().delete()
    ContactAgentDay.objects.all().delete()
    migration = import_module("yuqi.interactions.migrations.0008_contact_day_rollups")
    migration.fill(apps, None)  # the data step alone (it uses no schema editor)
    assert sorted(ContactDayRollup.objects.values_list("day", "queue", "channel", "offered")) == (
        day_rows
    )
    assert sorted(ContactAgentDay.objects.values_list("day", "queue", "channel", "agent")) == (
        agent_rows
    )
    assert ContactRollup.objects.exists()
    assert _assert_agree() > 20


@pytest.mark.parametrize("source", ["rollups", "contacts"])
def test_merged_rows_equal_their_own_tables(source):
    build_world(6)
    Queue.objects.filter(code="vip").update(sl_convention=SL_ABANDONS_IN)
    rollups_refresh()
    for first, last in ((DAY1, DAY1), (DAY1 + dt.timedelta(days=1), DAY1 + dt.timedelta(1)),
                        (DAY1 - dt.timedelta(days=20), DAY1 - dt.timedelta(days=19))):  # fmt: skip
        for channel in ("phone", "email", None):
            asked = {"date_from": first, "date_to": last, "channel": channel, "source": source}
            fine = kpi_table(by=["queue", "interval"], interval_minutes=30, **asked)
            total = kpi_table(agent_time=False, **asked)
            assert kpi_rows_merged(fine) == total, asked
            assert kpi_rows_merged(fine, ["queue"]) == kpi_table(by=["queue"], **asked), asked

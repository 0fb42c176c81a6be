"""The KPI rollups give exactly the figures counted from the contacts.

``kpi_table(source="rollups")`` sums ``ContactRollup`` rows; ``source="contacts"`` counts the
contacts themselves. On seeded factory data (several queues with different thresholds and
service-level conventions, tiers, channels, days) every grouping, filter, interval and day
range the rollups answer must give equal rows, also after contacts are edited, moved to
another day, deleted or added since the last refresh and the refresh has run. Runs on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.operations.test_kpi_sql import DAY1, DAYS, build_world
from yuqi.customers.models import Customer, Tier
from yuqi.domain import kpi
from yuqi.interactions.models import (
    ContactAgentDay,
    ContactAgentSlot,
    ContactDayRollup,
    ContactRollup,
    Interaction,
    Queue,
    RollupDay,
)
from yuqi.interactions.rollups import rollup_as_of, rollups_rebuild, rollups_refresh
from yuqi.operations.kpi.selectors import kpi_table, kpi_table_as_of

pytestmark = pytest.mark.django_db

GROUPINGS = (
    [],
    ["queue"],
    ["channel"],
    ["tier"],
    ["day"],
    ["week"],
    ["month"],
    ["interval"],
    ["queue", "interval"],
    ["day", "queue", "channel", "tier"],
)
RANGES = (
    (DAY1, DAY1 + timedelta(days=DAYS - 1)),
    (DAY1 + timedelta(days=1), DAY1 + timedelta(days=1)),
    (DAY1 - timedelta(days=3), DAY1 + timedelta(days=DAYS + 3)),
)
FILTERS = (
    {},
    {"queue": "vip"},
    {"channel": "phone"},
    {"channels": {"phone", "webchat"}},
    {"queues": {"general", "billing"}},
    {"tier": "diamond"},
)


def _conventions() -> None:
    Queue.objects.filter(code="vip").update(sl_convention=kpi.SL_ABANDONS_IN)
    Queue.objects.filter(code="billing").update(sl_convention=kpi.SL_ANSWERED_ONLY)


def assert_paths_agree(*, intervals=(15, 30, 60), groupings=GROUPINGS, filters=FILTERS) -> int:
    """Every combination gives equal rows on both paths; returns how many were compared."""
    compared = 0
    for (date_from, date_to), by, extra in itertools.product(RANGES, groupings, filters):
        for interval in intervals if "interval" in by else (30,):
            asked = {
                "date_from": date_from,
                "date_to": date_to,
                "by": by,
                "interval_minutes": interval,
                **extra,
            }
            from_rollups = kpi_table(source="rollups", **asked)
            from_contacts = kpi_table(source="contacts", **asked)
            assert from_rollups == from_contacts, asked
            compared += 1
    return compared


@pytest.mark.parametrize("seed", [3, 11])
def test_rollups_equal_the_contacts_across_groupings_filters_and_ranges(seed):
    build_world(seed)
    _conventions()
    rollups_refresh()
    assert ContactRollup.objects.exists()
    [total] = kpi_table(date_from=DAY1, date_to=DAY1 + timedelta(days=DAYS - 1))
    assert total.counts.offered > 100
    assert total.counts.answered_within > 0
    assert total.counts.repeated > 0  # the derived-FCR flags are in the rollups
    assert assert_paths_agree() > 200


def test_edits_moves_deletes_and_new_contacts_after_a_refresh():
    world = build_world(5)
    _conventions()
    rollups_refresh()
    as_of = rollup_as_of()
    offered = [i for i in world.interactions if i.direction == "inbound" and i.queue_id]
    # Moved to another day (and queue and channel), answered later, edited in place.
    moved = Interaction.objects.get(pk=offered[0].pk)
    moved.arrived_at -= timedelta(days=1, hours=3)
    moved.queue = Queue.objects.get(code="billing")
    moved.channel = "webchat"
    moved.save()
    answered = Interaction.objects.get(pk=offered[1].pk)
    answered.wait_seconds, answered.abandoned = 12, False
    answered.answered_at = answered.arrived_at + timedelta(seconds=12)
    answered.save()
    # Deleted.
    Interaction.objects.filter(pk=offered[2].pk).delete()
    # New: a repeat of an earlier contact's customer and category, which flips its flag.
    earlier = next(
        i for i in offered[3:] if i.customer_id and i.category and not i.abandoned and i.answered_at
    )
    Interaction.objects.create(
        source="test",
        external_id="repeat-1",
        channel="phone",
        queue_id=earlier.queue_id,
        customer_id=earlier.customer_id,
        category=earlier.category,
        arrived_at=earlier.arrived_at + timedelta(hours=30),
        answered_at=earlier.arrived_at + timedelta(hours=30, seconds=4),
        wait_seconds=4,
        talk_seconds=60,
    )
    # Settings the stored threshold follows: a queue's and a tier's Y, a customer's tier.
    general = Queue.objects.get(code="general")
    general.sl_seconds = 5
    general.save()
    diamond = Tier.objects.get(code="diamond")
    diamond.sl_seconds = 40
    diamond.save()
    customer = Customer.objects.exclude(tier=diamond).first()
    customer.tier = diamond
    customer.save()

    asked = {"date_from": DAY1 - timedelta(days=3), "date_to": DAY1 + timedelta(days=DAYS + 3)}
    stale, stale_as_of = kpi_table_as_of(source="rollups", **asked)
    fresh = kpi_table(source="contacts", **asked)
    assert stale_as_of == as_of  # not refreshed yet: the old figures, and says so
    assert stale != fresh
    assert RollupDay.objects.exists()

    rollups_refresh()
    assert rollup_as_of() > as_of
    assert not RollupDay.objects.exists()
    assert assert_paths_agree(intervals=(15,)) > 100
    # A convention changed after the refresh needs none: the denominator follows the queue.
    Queue.objects.filter(code="general").update(sl_convention=kpi.SL_ABANDONS_EXCLUDED)
    assert assert_paths_agree(groupings=([], ["queue"]), filters=({},)) > 0


def test_rebuild_of_a_range_repairs_it_and_leaves_the_others():
    build_world(7)
    rollups_refresh()
    day = DAY1 + timedelta(days=1)
    # The day's rows in every rollup table (slots, day sums, handling agents)
    tables = (ContactRollup, ContactDayRollup, ContactAgentDay, ContactAgentSlot)
    before = [model.objects.exclude(day=day).count() for model in tables]
    for model in tables:
        model.objects.filter(day=day).delete()
    asked = {"date_from": day, "date_to": day, "by": ["queue"]}
    assert kpi_table(source="rollups", **asked) != kpi_table(source="contacts", **asked)
    result = rollups_rebuild(day, day)
    assert result.days == 1
    assert result.rows > 0
    assert [model.objects.exclude(day=day).count() for model in tables] == before
    assert all(model.objects.filter(day=day).exists() for model in tables)
    assert assert_paths_agree(intervals=(30,), filters=({},)) > 0


def test_auto_reads_rollups_only_when_they_answer():
    build_world(2)
    asked = {"date_from": DAY1, "date_to": DAY1 + timedelta(days=DAYS - 1)}
    assert kpi_table_as_of(**asked)[1] is None  # not built: counted from the contacts
    with pytest.raises(ValueError, match="rollups"):
        kpi_table(source="rollups", **asked)
    rollups_refresh()
    assert kpi_table_as_of(**asked)[1] == rollup_as_of()
    for other in (
        {"by": ["agent"]},
        {"by": ["team"]},
        {"agent": "A001"},
        {"repeat_days": 3},
        {"short_abandon_seconds": 10},
    ):
        assert kpi_table_as_of(**asked, **other)[1] is None, other


def test_pages_and_api_say_how_fresh_the_figures_are(as_user, manager, settings):
    from django.utils import translation

    build_world(4)
    rollups_refresh()
    client = as_user(manager)
    at = timezone.localtime(rollup_as_of())
    url = f"/operations/kpis/?date_from={DAY1}&date_to={DAY1 + timedelta(days=2)}&by=queue"
    page = client.get(url).content.decode()
    assert "Figures as of" in page
    assert at.strftime("%H:%M") in page
    body = client.get(
        f"/api/v1/kpis?date_from={DAY1}&date_to={DAY1 + timedelta(days=2)}&by=queue"
    ).json()
    assert body["as_of"] is not None
    assert len(body["items"]) == 3
    by_agent = client.get(f"/api/v1/kpis?date_from={DAY1}&date_to={DAY1}&by=agent").json()
    assert by_agent["as_of"] is None  # not in the rollups: counted from the contacts
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "数据截至" in page

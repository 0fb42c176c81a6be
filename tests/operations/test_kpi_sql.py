"""The SQL aggregation gives the same counts (hence KPIs) as the pure-Python reference.

Data come from a seeded generator (several seeds), so a failure is reproducible; this runs on
SQLite and on PostgreSQL in CI.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yuqi.customers.models import Customer, Tier
from yuqi.domain.kpi import (
    ContactRecord,
    counts_from_rows,
    interval_start,
    kpi_values,
    repeated_contacts,
    week_start,
)
from yuqi.interactions.facade import derive_contact_columns
from yuqi.interactions.models import Agent, Interaction, Queue, Team
from yuqi.operations.kpi.selectors import kpi_table

DAY1 = date(2025, 3, 3)  # a Monday
DAYS = 3
CATEGORIES = ("话费查询", "故障报修", "投诉")


@dataclass
class World:
    interactions: list[Interaction]
    records: list[ContactRecord]  # same order as interactions
    repeated: set[int]  # indexes of records with a repeat within the window

    def record_repeated(self) -> Callable[[ContactRecord], bool]:
        ids = {id(self.records[i]) for i in self.repeated}
        return lambda row: id(row) in ids


def build_world(seed: int, n: int = 240, *, repeat_days: int = 7) -> World:
    """Random contacts over three local days (plus a few just outside the range)."""
    rnd = random.Random(seed)
    queues = [
        Queue.objects.create(code="general", name="普通话务", sl_seconds=20),
        Queue.objects.create(code="vip", name="VIP 专线", sl_seconds=10),
        Queue.objects.create(code="billing", name="账务", sl_seconds=30),
    ]
    teams = [Team.objects.create(code=f"t{i}", name=f"{i} 班") for i in range(2)]
    agents = [
        Agent.objects.create(code=f"A{i:03d}", name=f"座席{i}", team=teams[i % 2]) for i in range(4)
    ]
    tiers = list(Tier.objects.all())
    customers = [
        Customer.objects.create(
            external_id=f"C{i:04d}", name=f"客户{i}", tier=rnd.choice([*tiers, None])
        )
        for i in range(10)
    ]
    tz = timezone.get_default_timezone()
    start = datetime(DAY1.year, DAY1.month, DAY1.day, tzinfo=tz)
    items: list[Interaction] = []
    for i in range(n):
        arrived = start + timedelta(seconds=rnd.randint(-1800, DAYS * 86400 + 1800))
        kind = rnd.random()
        direction, queue, channel = (
            "inbound",
            rnd.choice(queues),
            rnd.choice(["phone", "phone", "webchat", "email"]),
        )
        if kind < 0.08:
            direction, queue, channel = "outbound", None, "phone"
        elif kind < 0.13:
            queue, channel = None, "ivr"
        outcome = rnd.random()
        wait = rnd.choice([0, 1, 3, 4, 5, 6, 10, 15, 16, 20, 21, 30, 31, 45, 90])
        # Unanswered real-time contacts are abandoned (the import rule); e-mails may still wait.
        abandoned = queue is not None and (
            outcome < 0.25 or (outcome >= 0.9 and channel != "email")
        )
        answered = not abandoned and outcome < 0.9
        customer = rnd.choice([*customers, None])
        category = "" if abandoned else rnd.choice([*CATEGORIES, ""])
        items.append(
            Interaction(
                source="test",
                external_id=f"{seed}-{i}",
                channel=channel,
                direction=direction,
                queue=queue,
                agent=rnd.choice(agents) if answered else None,
                team=None,
                customer=customer,
                arrived_at=arrived,
                answered_at=arrived + timedelta(seconds=wait) if answered else None,
                abandoned=abandoned,
                wait_seconds=wait,
                talk_seconds=rnd.randint(20, 600) if answered else 0,
                wrap_seconds=rnd.randint(0, 60) if answered else 0,
                transferred=answered and rnd.random() < 0.1,
                first_contact_resolved=rnd.choice([True, False, None]) if answered else None,
                category=category,
            )
        )
    for item in items:
        item.team = item.agent.team if item.agent else None
    Interaction.objects.bulk_create(items)
    records = [to_record(item) for item in items]
    return World(items, records, repeated_contacts(records, repeat_days=repeat_days))


def to_record(item: Interaction) -> ContactRecord:
    tier_seconds = item.customer.tier.sl_seconds if item.customer and item.customer.tier else None
    queue_seconds = item.queue.sl_seconds if item.queue else None
    return ContactRecord(
        arrived_at=item.arrived_at,
        answered=item.answered_at is not None,
        abandoned=item.abandoned,
        wait_seconds=item.wait_seconds,
        talk_seconds=item.talk_seconds,
        wrap_seconds=item.wrap_seconds,
        transferred=item.transferred,
        first_contact_resolved=item.first_contact_resolved,
        sl_seconds=tier_seconds or queue_seconds or 20,
        customer=item.customer_id,
        category=item.category,
        inbound=item.direction == "inbound",
        queued=item.queue_id is not None,
    )


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


KEYS: dict[str, Callable[[Interaction, int], Any]] = {
    "interval": lambda i, m: interval_start(local(i.arrived_at), m),
    "day": lambda i, m: local(i.arrived_at).date(),
    "week": lambda i, m: week_start(local(i.arrived_at).date()),
    "month": lambda i, m: local(i.arrived_at).date().replace(day=1),
    "queue": lambda i, m: i.queue.code if i.queue else None,
    "team": lambda i, m: i.team.code if i.team else None,
    "agent": lambda i, m: i.agent.code if i.agent else None,
    "channel": lambda i, m: i.channel,
    "tier": lambda i, m: i.customer.tier.code if i.customer and i.customer.tier else None,
}


def expected(
    world: World,
    by: list[str],
    *,
    date_from: date,
    date_to: date,
    interval: int = 30,
    keep: Callable[[Interaction], bool] = lambda i: True,
    short: int = 5,
) -> dict[tuple, Any]:
    groups: dict[tuple, list[ContactRecord]] = defaultdict(list)
    for item, record in zip(world.interactions, world.records, strict=True):
        day = local(item.arrived_at).date()
        if not (date_from <= day <= date_to) or not record.offered or not keep(item):
            continue
        groups[tuple(KEYS[k](item, interval) for k in by)].append(record)
    flag = world.record_repeated()
    return {
        key: counts_from_rows(rows, short_abandon_seconds=short, repeated=flag)
        for key, rows in groups.items()
    }


def actual(rows) -> dict[tuple, Any]:
    return {tuple(row.keys.values()): row.counts for row in rows}


SEEDS = [1, 2, 3]


@pytest.mark.django_db
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    "by",
    [
        ["queue"],
        ["queue", "interval"],
        ["tier"],
        ["day", "channel"],
        ["agent", "team"],
        ["week"],
        ["month", "queue"],
    ],
)
def test_grouped_counts_equal_the_pure_reference(seed, by):
    world = build_world(seed)
    rows = kpi_table(date_from=DAY1, date_to=DAY1 + timedelta(DAYS - 1), by=by)
    want = expected(world, by, date_from=DAY1, date_to=DAY1 + timedelta(DAYS - 1))
    assert actual(rows) == want
    for row in rows:
        assert row.values == kpi_values(row.counts)


@pytest.mark.django_db
@pytest.mark.parametrize("interval", [15, 30, 60])
def test_interval_buckets_are_local_and_sized(interval):
    world = build_world(4)
    rows = kpi_table(date_from=DAY1, date_to=DAY1, by=["interval"], interval_minutes=interval)
    assert actual(rows) == expected(
        world, ["interval"], date_from=DAY1, date_to=DAY1, interval=interval
    )
    for row in rows:
        start = row.keys["interval"]
        assert start.utcoffset() == timedelta(hours=8)  # Asia/Shanghai
        assert start.minute % interval == 0
        assert row.labels["interval"] == start.strftime("%Y-%m-%d %H:%M")


@pytest.mark.django_db
def test_total_filters_and_parameters_match():
    world = build_world(5, repeat_days=1)
    last = DAY1 + timedelta(DAYS - 1)
    [total] = kpi_table(
        date_from=DAY1,
        date_to=last,
        queue="vip",
        channel="phone",
        short_abandon_seconds=10,
        repeat_days=1,
    )
    want = expected(
        world,
        [],
        date_from=DAY1,
        date_to=last,
        short=10,
        keep=lambda i: i.queue is not None and i.queue.code == "vip" and i.channel == "phone",
    )
    assert total.counts == want[()]
    assert total.keys == {}


@pytest.mark.django_db
def test_tier_threshold_overrides_the_queue():
    diamond = Tier.objects.get(code="diamond")  # 15 s, from the default VIP promise
    assert diamond.sl_seconds == 15
    queue = Queue.objects.create(code="general", name="普通", sl_seconds=20)
    vip = Customer.objects.create(external_id="V1", name="钱", tier=diamond)
    plain = Customer.objects.create(external_id="P1", name="孙", tier=None)
    when = timezone.make_aware(datetime(2025, 3, 3, 10, 0))
    for n, (customer, wait) in enumerate([(vip, 12), (vip, 18), (plain, 18), (plain, 25)]):
        Interaction.objects.create(
            source="t",
            external_id=str(n),
            channel="phone",
            queue=queue,
            customer=customer,
            arrived_at=when,
            answered_at=when + timedelta(seconds=wait),
            wait_seconds=wait,
        )
    rows = {
        row.keys["tier"]: row
        for row in kpi_table(date_from=date(2025, 3, 3), date_to=date(2025, 3, 3), by=["tier"])
    }
    assert rows["diamond"].counts.answered_within == 1  # 12 ≤ 15 < 18
    assert rows[None].counts.answered_within == 1  # 18 ≤ 20 < 25
    assert rows["diamond"].labels["tier"] == str(diamond)


@pytest.mark.django_db
def test_outbound_and_unqueued_contacts_are_not_offered():
    queue = Queue.objects.create(code="general", name="普通")
    when = timezone.make_aware(datetime(2025, 3, 3, 10, 0))
    common = {"source": "t", "channel": "phone", "arrived_at": when, "answered_at": when}
    Interaction.objects.create(external_id="in", queue=queue, **common)
    Interaction.objects.create(external_id="out", direction="outbound", queue=None, **common)
    Interaction.objects.create(external_id="ivr", queue=None, **{**common, "channel": "ivr"})
    [total] = kpi_table(date_from=date(2025, 3, 3), date_to=date(2025, 3, 3))
    assert total.counts.offered == 1
    assert total.values.answer_rate == 1.0


@pytest.mark.django_db
def test_no_data_gives_one_empty_total_and_no_groups():
    [total] = kpi_table(date_from=DAY1, date_to=DAY1)
    assert total.counts.offered == 0
    assert total.values.service_level is None
    assert total.values.longest_wait is None
    assert kpi_table(date_from=DAY1, date_to=DAY1, by=["queue"]) == []


@pytest.mark.django_db
def test_query_count_does_not_grow_with_groups():
    world = build_world(6, n=60)
    by = ["queue", "agent", "tier"]
    derive_contact_columns()  # as the import or the worker does after writing contacts
    with CaptureQueriesContext(connection) as few:
        kpi_table(date_from=DAY1, date_to=DAY1 + timedelta(2), by=by)
    template = world.interactions[0]
    for n in range(20):
        agent = Agent.objects.create(code=f"B{n:03d}", name=f"新座席{n}")
        Interaction.objects.create(
            source="more",
            external_id=str(n),
            channel="phone",
            queue=template.queue or Queue.objects.first(),
            agent=agent,
            arrived_at=timezone.make_aware(datetime(DAY1.year, DAY1.month, DAY1.day, 9)),
            answered_at=None,
        )
    derive_contact_columns()
    with CaptureQueriesContext(connection) as more:
        rows = kpi_table(date_from=DAY1, date_to=DAY1 + timedelta(2), by=by)
    assert len({row.keys["agent"] for row in rows}) >= 20
    # the pending-derivation check, the aggregate, one label query per dimension
    assert len(more) == len(few) <= 5


@pytest.mark.django_db
def test_contacts_written_since_the_last_derivation_are_derived_before_counting():
    build_world(7, n=40)
    first = kpi_table(date_from=DAY1, date_to=DAY1 + timedelta(2), by=["day"])
    Interaction.objects.filter(derived_at__isnull=False).update(derived_at=None)
    Interaction.objects.update(local_day=None, local_minute=None, repeated=None)
    assert kpi_table(date_from=DAY1, date_to=DAY1 + timedelta(2), by=["day"]) == first
    assert not Interaction.objects.filter(local_day__isnull=True).exists()


def test_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="cannot group by"):
        kpi_table(date_from=DAY1, date_to=DAY1, by=["colour"])
    with pytest.raises(ValueError, match="interval"):
        kpi_table(date_from=DAY1, date_to=DAY1, by=["interval"], interval_minutes=20)

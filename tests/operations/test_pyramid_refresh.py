"""segments_refresh and the pyramid selectors against the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.customers.factories import CustomerFactory, tier
from tests.interactions.factories import InteractionFactory
from yuqi.core.clock import day_start
from yuqi.core.errors import DomainError
from yuqi.customers.models import Customer
from yuqi.customers.services import customer_segments_set
from yuqi.demo.steps.operations import demo_refresh_dates, load_demo_segments
from yuqi.domain.pyramid import migration_matrix
from yuqi.operations.models import PyramidSettings, SegmentSnapshot
from yuqi.operations.pyramid.selectors import (
    pyramid_summary,
    segment_migration,
    service_by_segment,
    service_by_tier,
    snapshot_months,
)
from yuqi.operations.pyramid.services import customer_activity, segments_refresh

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 10, 31)


def at(day: date, hour: int = 10):
    return day_start(day) + timedelta(hours=hour)


def contacts(customer, days_ago: list[int], **fields) -> None:
    for n in days_ago:
        InteractionFactory(customer=customer, arrived_at=at(AS_OF - timedelta(days=n)), **fields)


@pytest.fixture
def centre():
    """Twenty engaged customers valued 10..200, plus one of each activity segment."""
    old = AS_OF - timedelta(days=800)
    people = {}
    for i in range(1, 21):
        people[f"v{i}"] = CustomerFactory(monthly_value=Decimal(10 * i), joined_on=old)
        contacts(people[f"v{i}"], [1, 5])
    people["new"] = CustomerFactory(monthly_value=Decimal(500), joined_on=AS_OF - timedelta(5))
    people["prospect"] = CustomerFactory(monthly_value=None, joined_on=old)
    people["quiet"] = CustomerFactory(monthly_value=Decimal(900), joined_on=old)
    contacts(people["quiet"], [120])
    people["once"] = CustomerFactory(monthly_value=Decimal(900), joined_on=old)
    contacts(people["once"], [3])
    people["closed"] = CustomerFactory(monthly_value=Decimal(900), joined_on=old, status="closed")
    contacts(people["closed"], [1, 2, 3])
    people["future"] = CustomerFactory(monthly_value=Decimal(50), joined_on=AS_OF + timedelta(3))
    return people


def segment_of(customer) -> str:
    return Customer.objects.get(pk=customer.pk).segment


def test_refresh_writes_every_segment(centre):
    result = segments_refresh(as_of=AS_OF)
    assert result.month == date(2026, 10, 1)
    assert result.customers == 25  # "future" had not joined yet
    assert segment_of(centre["v20"]) == "top"
    # 20 engaged: ⌈0.01·20⌉ = 1 top, ⌈0.05·20⌉ = 1 (no high), ⌈0.20·20⌉ = 4 (3 middle)
    assert [segment_of(centre[f"v{i}"]) for i in (19, 18, 17, 16)] == ["middle"] * 3 + ["low"]
    assert segment_of(centre["v1"]) == "low"
    assert segment_of(centre["new"]) == "potential"
    assert segment_of(centre["prospect"]) == "potential"
    assert segment_of(centre["quiet"]) == "inactive"
    assert segment_of(centre["once"]) == "wait_and_see"
    assert segment_of(centre["closed"]) == "inactive"
    assert segment_of(centre["future"]) == ""
    assert result.counts["top"] == 1
    assert result.counts["inactive"] == 2


def test_refresh_stores_the_months_snapshot_with_rfm_scores(centre):
    segments_refresh(as_of=AS_OF)
    rows = SegmentSnapshot.objects.filter(month=date(2026, 10, 1))
    assert rows.count() == 25
    best = rows.get(customer=centre["v20"])
    assert best.segment == "top"
    assert best.value == Decimal("200.00")
    assert best.monetary == 5
    assert 1 <= best.recency <= 5
    assert rows.get(customer=centre["prospect"]).recency == 0  # never contacted: not scored
    assert rows.get(customer=centre["prospect"]).monetary == 0


def test_refresh_is_idempotent_and_upserts_the_snapshot(centre):
    first = segments_refresh(as_of=AS_OF)
    assert first.changed == 25
    again = segments_refresh(as_of=AS_OF - timedelta(days=1))  # same month: same rows
    assert again.changed == 0
    assert SegmentSnapshot.objects.count() == 25
    Customer.objects.filter(pk=centre["v1"].pk).update(monthly_value=Decimal(5000))
    third = segments_refresh(as_of=AS_OF)
    assert third.changed == 3  # v1 becomes top, v20 drops to middle, v17 to low
    assert SegmentSnapshot.objects.count() == 25
    assert SegmentSnapshot.objects.get(customer=centre["v1"]).segment == "top"
    assert SegmentSnapshot.objects.get(customer=centre["v1"]).value == Decimal(5000)


def test_thresholds_come_from_the_settings_row(centre):
    PyramidSettings.objects.update(wait_and_see_contacts=2)
    segments_refresh(as_of=AS_OF)
    assert segment_of(centre["v20"]) == "wait_and_see"  # two contacts: now low engagement


def test_outbound_contacts_are_not_customer_activity(centre):
    contacts(centre["quiet"], [1, 2, 3], direction="outbound")
    segments_refresh(as_of=AS_OF)
    assert segment_of(centre["quiet"]) == "inactive"


def test_sql_activity_equals_a_python_count():
    rng = random.Random(20261031)
    people = CustomerFactory.create_batch(12, joined_on=AS_OF - timedelta(days=400))
    arrivals = []
    for _ in range(300):
        customer = rng.choice(people)
        moment = day_start(AS_OF) + timedelta(minutes=rng.randint(-200 * 1440, 3 * 1440))
        direction = rng.choice(["inbound", "inbound", "outbound"])
        InteractionFactory(customer=customer, arrived_at=moment, direction=direction)
        arrivals.append((customer.pk, moment, direction))
    window = 90
    found = customer_activity(as_of=AS_OF, window_days=window)
    end = day_start(AS_OF + timedelta(days=1))
    start = day_start(AS_OF - timedelta(days=window - 1))
    for person in people:
        mine = [m for pk, m, d in arrivals if pk == person.pk and d == "inbound" and m < end]
        if not mine:
            assert person.pk not in found
            continue
        assert found[person.pk].contacts == sum(1 for m in mine if m >= start)
        assert found[person.pk].last_contact_on == timezone.localdate(max(mine))


def test_the_window_is_counted_in_local_days():
    person = CustomerFactory(joined_on=AS_OF - timedelta(days=400))
    InteractionFactory(customer=person, arrived_at=day_start(AS_OF - timedelta(days=29)))
    InteractionFactory(
        customer=person, arrived_at=day_start(AS_OF - timedelta(days=29)) - timedelta(seconds=1)
    )
    InteractionFactory(customer=person, arrived_at=day_start(AS_OF + timedelta(days=1)))
    activity = customer_activity(as_of=AS_OF, window_days=30)[person.pk]
    assert activity.contacts == 1
    assert activity.last_contact_on == AS_OF - timedelta(days=29)


def test_customer_segments_set_refuses_unknown_codes_and_changes_only_what_differs():
    a, b = CustomerFactory(segment="low"), CustomerFactory(segment="top")
    with pytest.raises(DomainError):
        customer_segments_set(segments={a.pk: "gold"})
    assert customer_segments_set(segments={a.pk: "low", b.pk: "high"}) == 1
    assert segment_of(b) == "high"


def test_migration_matrix_from_sql_equals_the_domain_function(centre):
    segments_refresh(as_of=date(2026, 9, 30))
    segments_refresh(as_of=AS_OF)
    assert snapshot_months() == [date(2026, 10, 1), date(2026, 9, 1)]
    before = dict(
        SegmentSnapshot.objects.filter(month=date(2026, 9, 1)).values_list("customer", "segment")
    )
    after = dict(
        SegmentSnapshot.objects.filter(month=date(2026, 10, 1)).values_list("customer", "segment")
    )
    matrix = segment_migration(from_month=date(2026, 9, 1), to_month=date(2026, 10, 1))
    assert matrix == migration_matrix(before, after)
    assert matrix.entered[matrix.segments.index("potential")] == 1  # "new" joined in October


def test_pyramid_summary_counts_and_values(centre):
    segments_refresh(as_of=AS_OF)
    summary = pyramid_summary()
    rows = {row.segment: row for row in summary.rows}
    assert summary.customers == 25
    assert rows["top"].customers == 1
    assert rows["top"].value == Decimal("200.00")
    assert rows["inactive"].value == Decimal("1800.00")
    assert rows["potential"].value == Decimal("500.00")  # the prospect has no value
    assert sum(row.share for row in summary.rows) == pytest.approx(1.0)
    assert summary.value == sum(row.value for row in summary.rows)


def test_an_empty_pyramid():
    result = segments_refresh(as_of=AS_OF)
    assert result.customers == 0
    summary = pyramid_summary()
    assert summary.month is None
    assert summary.customers == 0


def test_service_level_and_abandon_rate_by_segment_and_tier():
    vip = CustomerFactory(segment="top", tier=tier("diamond"))
    ordinary = CustomerFactory(segment="low", tier=tier("ordinary"))
    day = AS_OF
    # VIP: threshold 15 s if the tier sets one, else the queue's 20 s.
    InteractionFactory(customer=vip, arrived_at=at(day), wait_seconds=10)
    InteractionFactory(customer=vip, arrived_at=at(day), wait_seconds=60)
    InteractionFactory(customer=ordinary, arrived_at=at(day), wait_seconds=5)
    InteractionFactory(
        customer=ordinary, arrived_at=at(day), wait_seconds=90, abandoned=True, answered_at=None
    )
    InteractionFactory(
        customer=None, arrived_at=at(day), wait_seconds=3, abandoned=True, answered_at=None
    )  # a short abandon: left out of SL and abandon rate
    by_segment = {row.key: row for row in service_by_segment(date_from=day, date_to=day)}
    assert by_segment["top"].offered == 2
    assert by_segment["top"].service_level == 0.5
    assert by_segment["low"].abandon_rate == 0.5
    assert by_segment["low"].service_level == 0.5
    assert by_segment[""].service_level is None
    assert list(by_segment)[-1] == ""  # unidentified callers last
    by_tier = {row.key: row for row in service_by_tier(date_from=day, date_to=day)}
    assert by_tier["diamond"].is_vip
    assert by_tier["diamond"].service_level == 0.5
    assert by_tier["ordinary"].offered == 2


def test_demo_step_back_fills_the_last_months(centre):
    assert demo_refresh_dates(date(2026, 11, 23), months=3) == [
        date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 23),
    ]  # fmt: skip
    results = load_demo_segments(months=2)
    assert [r.as_of for r in results] == [date(2026, 9, 30), date(2026, 10, 30)]  # last contact
    assert snapshot_months() == [date(2026, 10, 1), date(2026, 9, 1)]
    assert segment_of(centre["v20"]) == "top"


def test_the_periodic_task_runs_the_refresh(centre):
    from yuqi.operations.tasks import refresh_segments

    message = refresh_segments.call()
    assert "segmented" in message
    assert SegmentSnapshot.objects.exists()


def test_activities_of_several_days_in_one_pass_equal_one_read_per_day(centre):
    from yuqi.interactions.models import Interaction
    from yuqi.operations.pyramid.services import customer_activities

    # an outbound contact and one at the first instant of the day after: neither counts
    InteractionFactory(customer=centre["v3"], arrived_at=at(AS_OF, 0) + timedelta(days=1))
    InteractionFactory(customer=centre["v4"], arrived_at=at(AS_OF, 1), direction="outbound")
    assert Interaction.objects.exists()
    days = [AS_OF - timedelta(days=n) for n in (0, 2, 4, 30, 119, 121, 400)]
    for window in (1, 3, 90):
        many = customer_activities(as_of_days=days, window_days=window)
        assert many == {
            day: customer_activity(as_of=day, window_days=window) for day in sorted(days)
        }
    assert customer_activities(as_of_days=[], window_days=90) == {}


def test_the_demos_months_refreshed_together_equal_one_refresh_per_month(centre):
    from yuqi.operations.pyramid.services import segments_refresh_months

    fields = ("month", "customer_id", "segment", "value", "recency", "frequency", "monetary")
    days = [date(2026, 8, 31), date(2026, 9, 30), AS_OF]
    one_by_one = [segments_refresh(as_of=day) for day in days]
    snapshots = sorted(SegmentSnapshot.objects.values_list(*fields), key=repr)
    segments = sorted(Customer.objects.values_list("pk", "segment"))
    SegmentSnapshot.objects.all().delete()
    Customer.objects.update(segment="")
    together = segments_refresh_months(as_of_days=list(reversed(days)))
    assert [(r.as_of, r.month, r.customers, r.counts, r.cutoffs) for r in together] == [
        (r.as_of, r.month, r.customers, r.counts, r.cutoffs) for r in one_by_one
    ]
    assert len(snapshots) > 25
    assert sorted(SegmentSnapshot.objects.values_list(*fields), key=repr) == snapshots
    assert sorted(Customer.objects.values_list("pk", "segment")) == segments

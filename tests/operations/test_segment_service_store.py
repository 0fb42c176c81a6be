"""The pyramid's service by segment and tier is stored per period and refreshed by the worker
(``yuqi.operations.pyramid.service_store``): what the page reads is what a direct
computation gave at the stored time, the refresh brings it up to date after contacts and
customers are written, and the page says how fresh it is."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from tests.customers.factories import CustomerFactory, tier
from tests.interactions.factories import InteractionFactory
from yuqi.core.clock import day_start
from yuqi.core.schedule import PERIODIC_JOBS
from yuqi.customers.services import customer_segments_set
from yuqi.operations.models import SegmentServiceResult, SegmentSnapshot
from yuqi.operations.pyramid import service_store
from yuqi.operations.pyramid.selectors import (
    service_by_segment,
    service_by_segment_and_tier_as_of,
    service_by_tier,
)
from yuqi.operations.pyramid.service_store import (
    computed_service,
    page_period,
    service_refresh,
    stored_service,
)
from yuqi.operations.pyramid.services import segments_refresh

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)


def at(day: date, hour: int = 10):
    return day_start(day) + timedelta(hours=hour)


def stored() -> list:
    return sorted(stored_service(date_from=FIRST, date_to=LAST)[0], key=repr)


def direct() -> list:
    return sorted(computed_service(date_from=FIRST, date_to=LAST), key=repr)


@pytest.fixture
def october():
    """Customers of three segments and tiers with answered, late and abandoned contacts."""
    people = [
        CustomerFactory(segment="top", tier=tier("diamond")),
        CustomerFactory(segment="low", tier=tier("ordinary")),
        CustomerFactory(segment="inactive", tier=tier("gold")),
    ]
    for i, person in enumerate(people):
        InteractionFactory(customer=person, arrived_at=at(FIRST + timedelta(days=i)))
        InteractionFactory(customer=person, arrived_at=at(LAST), wait_seconds=70 + i)
        InteractionFactory(
            customer=person, arrived_at=at(LAST), wait_seconds=40, abandoned=True, answered_at=None
        )
    InteractionFactory(customer=None, arrived_at=at(FIRST), wait_seconds=3)
    InteractionFactory(customer=None, arrived_at=at(LAST + timedelta(days=1)))  # November
    return people


def test_a_period_never_stored_is_computed_and_stored(october):
    assert not SegmentServiceResult.objects.exists()
    before = timezone.now()
    found, as_of = stored_service(date_from=FIRST, date_to=LAST)
    assert sorted(found, key=repr) == direct()
    assert before <= as_of <= timezone.now()
    assert SegmentServiceResult.objects.get().computed_at == as_of
    assert sum(counts.offered for _s, _t, counts in found) == 10  # not November's


def test_the_stored_figures_stay_until_the_refresh_then_equal_a_direct_computation(october):
    first = stored()
    assert first == direct()
    _, first_at = stored_service(date_from=FIRST, date_to=LAST)
    # new contacts, a customer moved to another segment and tier, a new customer
    InteractionFactory(customer=october[0], arrived_at=at(LAST), wait_seconds=5)
    InteractionFactory(customer=CustomerFactory(segment="high"), arrived_at=at(FIRST))
    customer_segments_set(segments={october[1].pk: "middle"})
    october[2].tier = tier("silver")
    october[2].save()
    assert stored() == first  # the page keeps the stored figures and their time
    assert direct() != first
    assert service_refresh(today=date(2026, 11, 15)) == 1
    assert stored() == direct()
    assert stored_service(date_from=FIRST, date_to=LAST)[1] > first_at


def test_the_page_tables_come_from_the_stored_counts(october):
    by_segment, by_tier, _as_of = service_by_segment_and_tier_as_of(date_from=FIRST, date_to=LAST)
    assert by_segment == service_by_segment(date_from=FIRST, date_to=LAST)
    assert by_tier == service_by_tier(date_from=FIRST, date_to=LAST)
    rows = {row.key: row for row in by_segment}
    assert rows["top"].offered == 3
    assert rows["top"].abandoned == 1
    assert rows[""].offered == 1  # the caller without a customer
    assert [row.key for row in by_tier][:1] == ["diamond"]


def test_the_refresh_keeps_the_periods_a_page_can_ask_for_and_adds_the_latest_month():
    SegmentSnapshot.objects.create(
        month=date(2026, 11, 1), customer=CustomerFactory(), segment="low"
    )
    today = date(2026, 11, 15)
    for first, last in [
        (FIRST, LAST),  # a whole past month: kept
        (date(2026, 11, 1), date(2026, 11, 14)),  # yesterday's view of this month: dropped
        (date(2026, 9, 1), date(2026, 9, 20)),  # never a page's period: dropped
    ]:
        stored_service(date_from=first, date_to=last)
    assert service_refresh(today=today) == 2
    assert sorted(SegmentServiceResult.objects.values_list("date_from", "date_to")) == [
        (FIRST, LAST),
        (date(2026, 11, 1), today),  # the latest snapshot month, up to today
    ]


def test_page_period_is_the_month_up_to_today():
    assert page_period(date(2026, 10, 1), date(2026, 11, 15)) == (FIRST, LAST)
    assert page_period(date(2026, 11, 1), date(2026, 11, 15)) == (
        date(2026, 11, 1),
        date(2026, 11, 15),
    )


def test_sums_that_are_not_whole_are_refused():
    from decimal import Decimal

    assert service_store._whole(Decimal(12)) == 12
    assert isinstance(service_store._whole(Decimal(12)), int)
    with pytest.raises(ValueError, match="not a whole number"):
        service_store._whole(Decimal("1.5"))


def test_the_worker_refreshes_every_five_minutes_and_after_the_segments():
    from yuqi.operations.tasks import refresh_segment_service, refresh_segments

    jobs = {job.name: job for job in PERIODIC_JOBS}
    assert jobs["pyramid-service"].task == refresh_segment_service.module_path
    assert jobs["pyramid-service"].every == timedelta(minutes=5)
    InteractionFactory(customer=CustomerFactory())
    assert "segmented" in refresh_segments.call()
    assert SegmentServiceResult.objects.count() == 1  # this month, after its new segments
    assert "1 periods" in refresh_segment_service.call()


def test_the_page_says_how_fresh_the_service_figures_are(as_user, manager, settings):
    customer = CustomerFactory()
    InteractionFactory(customer=customer)
    segments_refresh()
    client = as_user(manager)
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        page = client.get("/operations/pyramid/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    as_of = SegmentServiceResult.objects.get().computed_at
    stamp = timezone.localtime(as_of).strftime("%H:%M")
    assert f"<span data-as-of>数据截至 {stamp}</span>" in page
    client.cookies["django_language"] = "en"
    page = client.get("/operations/pyramid/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"<span data-as-of>Figures as of {stamp}</span>" in page
    assert SegmentServiceResult.objects.get().computed_at == as_of  # read, not computed again

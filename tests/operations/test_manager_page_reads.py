"""The manager pages' cheaper reads give the figures of the reads they replaced.

The scorecard reads its KPI totals for a period and the month before in one query grouped by
month, and the customer and snapshot counts of both periods at once; the staffing plan's
forecast history sums the KPI rollups; the pyramid's migration matrix joins the two months'
snapshots; training hours counts the agents who handled contacts without grouping them.
Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory
from tests.operations.test_kpi_sql import DAY1, DAYS, build_world
from yuqi.core.clock import day_start
from yuqi.core.measures import reading_scope
from yuqi.domain.kpi import HEADLINE_SCOPE, scope_channels
from yuqi.domain.pyramid import migration_matrix
from yuqi.interactions.facade import agent_handling, agents_handling_count
from yuqi.interactions.models import Agent, Queue
from yuqi.interactions.rollups import rollups_rebuild
from yuqi.operations.kpi.selectors import kpi_table
from yuqi.operations.models import SegmentSnapshot
from yuqi.operations.pyramid.selectors import segment_migration
from yuqi.operations.scorecard.selectors import (
    EMPTY_PERIOD_KPIS,
    Period,
    customers,
    measure_value,
    new_customers,
    scorecard,
)
from yuqi.operations.staffing.services import rollup_agents, rollup_history, staffing_history

pytestmark = pytest.mark.django_db

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
SEPTEMBER = Period(date(2026, 9, 1), date(2026, 9, 30))
AUGUST = Period(date(2026, 8, 1), date(2026, 8, 31))
KPI_CODES = ("service_level", "answer_rate", "fcr")


def _kpis(period: Period, source: str):
    return kpi_table(
        date_from=period.start,
        date_to=period.end,
        channels=scope_channels(HEADLINE_SCOPE),
        agent_time=False,
        source=source,
    )[0].values


@pytest.mark.parametrize("built", [False, True])
def test_an_empty_period_reads_what_its_own_total_row_reads(built):
    InteractionFactory(arrived_at=day_start(OCTOBER.start) + timedelta(hours=9))
    if built:
        rollups_rebuild()
    for source in ("contacts", "rollups") if built else ("contacts",):
        assert _kpis(SEPTEMBER, source) == EMPTY_PERIOD_KPIS
    lines = {line.code: line for line in scorecard(period=OCTOBER).lines}
    for code in KPI_CODES:
        assert lines[code].previous is None  # nothing in September, as before


def _calls(day: date, n: int, **fields) -> None:
    for i in range(n):
        InteractionFactory(
            arrived_at=day_start(day) + timedelta(hours=9, minutes=7 * i),
            wait_seconds=5 + 13 * i,
            first_contact_resolved=i % 3 != 0,
            **fields,
        )


@pytest.mark.parametrize("built", [False, True])
def test_the_scorecard_kpis_of_both_periods_are_each_periods_own_total(built):
    _calls(date(2026, 8, 31), 4)  # the day before the earlier period: in neither
    _calls(SEPTEMBER.start, 5)
    _calls(SEPTEMBER.end, 3, abandoned=True, answered_at=None)
    _calls(OCTOBER.start, 6)
    _calls(OCTOBER.end, 2)
    if built:
        rollups_rebuild()
    lines = {line.code: line for line in scorecard(period=OCTOBER).lines}
    for code in KPI_CODES:
        assert lines[code].value == measure_value(code, OCTOBER).value
        assert lines[code].previous == measure_value(code, SEPTEMBER).value
        assert lines[code].value == float(getattr(_kpis(OCTOBER, "contacts"), code))


def test_customer_counts_of_both_periods_are_each_periods_own():
    CustomerFactory(joined_on=date(2026, 8, 20))
    CustomerFactory(joined_on=SEPTEMBER.end)
    CustomerFactory(joined_on=OCTOBER.start)
    CustomerFactory(joined_on=OCTOBER.start, status="closed")
    CustomerFactory(joined_on=None)
    alone = {p: (customers(p).value, new_customers(p).value) for p in (OCTOBER, SEPTEMBER, AUGUST)}
    with reading_scope():
        together = {p: (customers(p).value, new_customers(p).value) for p in (OCTOBER, SEPTEMBER)}
    assert together == {p: alone[p] for p in (OCTOBER, SEPTEMBER)}
    assert alone[OCTOBER] == (4.0, 2.0)
    assert alone[SEPTEMBER] == (3.0, 1.0)


@pytest.mark.parametrize("seed", [3, 11])
def test_the_forecast_history_from_the_rollups_equals_the_contacts(seed):
    build_world(seed)
    assert rollup_history(queue=Queue.objects.first(), start=DAY1, end=DAY1) is None  # unbuilt
    rollups_rebuild()
    start, end = DAY1 - timedelta(days=2), DAY1 + timedelta(days=DAYS)
    for queue in Queue.objects.all():
        for interval in (15, 30, 60):
            summed = rollup_history(queue=queue, start=start, end=end, interval_minutes=interval)
            counted = staffing_history(queue=queue, start=start, end=end, interval_minutes=interval)
            assert summed is not None
            offered = {k for k, row in counted.intervals.items() if row.offered}
            assert set(summed.intervals) == offered
            for key in offered:
                a, b = summed.intervals[key], counted.intervals[key]
                assert (a.offered, a.answered, a.abandoned, a.handle_seconds) == (
                    b.offered,
                    b.answered,
                    b.abandoned,
                    b.handle_seconds,
                )
            assert (summed.offered_matrix() == counted.offered_matrix()).all()


def _agents_of(history) -> dict:
    return {key: row.agents for key, row in history.intervals.items() if row.agents}


@pytest.mark.parametrize("seed", [3, 11])
def test_the_agents_who_worked_from_the_rollups_equal_the_contacts(seed):
    from yuqi.interactions.rollups import rollups_refresh

    build_world(seed)
    queue = Queue.objects.first()
    assert rollup_agents(queue=queue, start=DAY1, end=DAY1) is None  # unbuilt
    # answered after midnight: counted on the day and slot of the answer, not the arrival
    late = day_start(DAY1 + timedelta(days=1)) - timedelta(minutes=3)
    agent = Agent.objects.first()
    moved = InteractionFactory(
        queue=queue, agent=agent, arrived_at=late, answered_at=late + timedelta(minutes=8)
    )
    rollups_refresh()
    start, end = DAY1 - timedelta(days=2), DAY1 + timedelta(days=DAYS)

    def agree() -> int:
        compared = 0
        for each in Queue.objects.all():
            for interval in (15, 30, 60):
                counted = staffing_history(
                    queue=each, start=start, end=end, interval_minutes=interval
                )
                summed = rollup_agents(queue=each, start=start, end=end, interval_minutes=interval)
                assert summed == _agents_of(counted)
                compared += len(summed)
        return compared

    assert agree() > 20
    assert rollup_agents(queue=queue, start=DAY1 + timedelta(days=1), end=DAY1 + timedelta(1))
    # an answer moved to another day and agent, then the worker's refresh: still the same
    moved.answered_at = late + timedelta(days=1, hours=2)
    moved.agent = Agent.objects.exclude(pk=agent.pk).first() or agent
    moved.save()
    rollups_refresh()
    assert agree() > 20


@pytest.mark.parametrize("seed", [3, 11])
def test_the_plan_from_the_rollups_equals_the_plan_from_the_contacts(seed, monkeypatch):
    # the actual days' calls and handle time from the rollups (the training window's rows, or
    # their own read when the plan starts before the window) and the agents who worked
    from yuqi.operations.staffing import services

    build_world(seed)
    rollups_rebuild()
    today = DAY1 + timedelta(days=DAYS + 1)
    plans = [  # inside the 8 weeks of training, reaching back before it, into the forecast
        (DAY1 - timedelta(days=1), DAY1 + timedelta(days=DAYS + 3)),
        (DAY1 - timedelta(days=53), DAY1 + timedelta(days=DAYS)),  # 57 days
    ]

    def every_plan():
        return [
            services.staffing_plan(
                queue=queue, start=start, end=end, interval_minutes=interval, today=today
            ).rows
            for queue in Queue.objects.all()
            for interval in (15, 30, 60)
            for start, end in plans
        ]

    from_rollups = every_plan()
    assert any(row.actual_agents for rows in from_rollups for row in rows)
    assert any(row.source == "actual" and row.calls for rows in from_rollups for row in rows)
    monkeypatch.setattr(services, "rollup_history", lambda **kwargs: None)  # not built
    monkeypatch.setattr(services, "rollup_agents", lambda **kwargs: None)
    assert every_plan() == from_rollups


def test_one_scan_of_the_customers_answers_both_periods_and_the_tiers():
    from yuqi.customers.facade import customer_book_counts, customer_counts_by_tier

    CustomerFactory(joined_on=SEPTEMBER.end)
    CustomerFactory(joined_on=OCTOBER.start, status="closed")
    CustomerFactory(joined_on=None)
    by_tier = customer_counts_by_tier()
    with reading_scope():
        counts = customer_book_counts([(OCTOBER.start, OCTOBER.end), (AUGUST.start, AUGUST.end)])
        assert customer_counts_by_tier() == by_tier  # from the same scan: no query
    assert counts[(OCTOBER.start, OCTOBER.end)] == {"books": 2, "new": 1}
    assert counts[(AUGUST.start, AUGUST.end)] == {"books": 1, "new": 0}


def test_the_tiers_are_read_once_in_a_scope(django_assert_num_queries):
    from yuqi.customers.facade import customer_book_counts, customer_counts_by_tier

    CustomerFactory()
    with reading_scope(), django_assert_num_queries(1):
        customer_book_counts([(OCTOBER.start, OCTOBER.end)])
        customer_counts_by_tier()


def test_the_migration_matrix_counts_movers_entrants_and_leavers():
    people = [CustomerFactory() for _ in range(6)]
    before = {people[0].pk: "top", people[1].pk: "low", people[2].pk: "low", people[3].pk: "high"}
    after = {people[0].pk: "high", people[1].pk: "low", people[2].pk: "inactive"}
    after |= {people[4].pk: "potential", people[5].pk: "potential"}  # two entered, one left
    for month, segments in ((date(2026, 9, 1), before), (date(2026, 10, 1), after)):
        SegmentSnapshot.objects.bulk_create(
            SegmentSnapshot(month=month, customer_id=pk, segment=segment)
            for pk, segment in segments.items()
        )
    matrix = segment_migration(from_month=date(2026, 9, 1), to_month=date(2026, 10, 1))
    assert matrix == migration_matrix(before, after)
    assert sum(matrix.left) == 1
    assert sum(matrix.entered) == 2


def test_the_agents_who_handled_contacts_are_counted_as_they_are_listed():
    build_world(5)
    start = timezone.make_aware(datetime.combine(DAY1, time.min))
    for days in (1, 2, DAYS + 1):
        end = start + timedelta(days=days)
        assert agents_handling_count(start=start, end=end) == len(
            agent_handling(start=start, end=end)
        )
    assert agents_handling_count(start=start, end=start) == 0


def test_the_plan_from_the_rollups_is_cached_under_their_data_version(django_assert_num_queries):
    from yuqi.core.request_memo import request_memo
    from yuqi.interactions.rollups import rollups_rebuild, rollups_refresh
    from yuqi.operations.staffing import services

    build_world(5)
    queue = Queue.objects.first()
    today = DAY1 + timedelta(days=DAYS)
    asked = {"queue": queue, "start": DAY1, "end": today + timedelta(days=2), "today": today}
    rolled = services.rollup_plan(**asked)
    plan, as_of, key = rolled.plan, rolled.as_of, rolled.key
    assert (as_of, key) == (None, "")  # not built: from the contacts, not kept
    assert plan == services.staffing_plan(**asked)
    rollups_refresh()
    rolled = services.rollup_plan(**asked)
    plan, as_of, key = rolled.plan, rolled.as_of, rolled.key
    assert as_of is not None
    assert plan == services.staffing_plan(**asked)
    with request_memo(), django_assert_num_queries(1):  # the rollups' state alone
        again = services.rollup_plan(**asked)
    assert again.plan is plan  # kept in the process
    assert (again.as_of, again.key) == (as_of, key)
    services._PLANS.clear()
    with request_memo(), django_assert_num_queries(1):  # from Django's cache
        assert services.rollup_plan(**asked).plan == plan
    # one reader of the rollups' state per page: the KPI tables' (their cache key) serves it
    from yuqi.operations.kpi.selectors import rollup_read_state

    with request_memo():
        state = rollup_read_state()
        with django_assert_num_queries(0):
            again = services.rollup_plan(**asked)
    assert again.as_of == state[0]
    assert again.plan == plan
    # a contact answered on the first day, and a range rebuilt: a new version, a new plan
    InteractionFactory(
        queue=queue,
        agent=Agent.objects.last(),
        arrived_at=day_start(DAY1) + timedelta(hours=3),
        answered_at=day_start(DAY1) + timedelta(hours=3, minutes=1),
    )
    rollups_rebuild(DAY1, DAY1)
    again = services.rollup_plan(**asked).plan
    assert again == services.staffing_plan(**asked)
    assert again != plan
    # another shrinkage is another plan
    other = services.rollup_plan(**asked, shrinkage=0.2).plan
    assert other == services.staffing_plan(**asked, shrinkage=0.2)

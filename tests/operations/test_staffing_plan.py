"""Staffing history (SQL) equals a Python count; the plan flags under/over-staffed intervals;
what-if is monotone (property-tested)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.interactions.factories import AgentFactory, InteractionFactory, QueueFactory
from yuqi.domain import erlang
from yuqi.interactions.models import Interaction
from yuqi.operations.staffing import services as staffing
from yuqi.operations.staffing.services import Levers, WhatIfInterval, whatif_compare

MONDAY = date(2025, 3, 3)
TODAY = date(2025, 3, 10)  # the Monday after: the week of MONDAY is history


def local(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute, second))


def generate(rng: random.Random, queue, other_queue, agents, count: int) -> list[Interaction]:
    rows = []
    for _ in range(count):
        day = MONDAY + timedelta(days=rng.randrange(7))
        arrived = local(day, rng.randrange(24), rng.randrange(60), rng.randrange(60))
        wait = rng.randrange(0, 400)
        outcome = rng.random()
        common = {
            "arrived_at": arrived,
            "wait_seconds": wait,
            "queue": rng.choice([queue, queue, queue, other_queue]),
        }
        if outcome < 0.2:  # abandoned
            rows.append(
                InteractionFactory.build(
                    **common,
                    abandoned=True,
                    answered_at=None,
                    agent=None,
                    talk_seconds=0,
                    wrap_seconds=0,
                    ended_at=arrived + timedelta(seconds=wait),
                )
            )
        elif outcome < 0.25:  # an outbound callback: no queue, never counted
            rows.append(
                InteractionFactory.build(
                    arrived_at=arrived,
                    direction="outbound",
                    queue=None,
                    agent=rng.choice(agents),
                )
            )
        else:
            rows.append(
                InteractionFactory.build(
                    **common,
                    agent=rng.choice(agents),
                    answered_at=arrived + timedelta(seconds=wait),
                    talk_seconds=rng.randrange(30, 900),
                    wrap_seconds=rng.randrange(0, 120),
                )
            )
    for row in rows:
        row.team = None
    Interaction.objects.bulk_create(rows)
    return rows


def python_history(rows, queue, interval: int) -> dict:
    """The same history, counted row by row in Python."""
    tz = timezone.get_current_timezone()
    counts: dict = defaultdict(lambda: defaultdict(int))
    workers: dict = defaultdict(set)

    def key(moment: datetime) -> tuple[date, int]:
        local_time = moment.astimezone(tz)
        return local_time.date(), (local_time.hour * 60 + local_time.minute) // interval

    for row in rows:
        if row.queue_id != queue.pk or row.direction != "inbound":
            continue
        cell = counts[key(row.arrived_at)]
        cell["offered"] += 1
        cell["wait_seconds"] += row.wait_seconds
        if row.abandoned:
            cell["abandoned"] += 1
        elif row.answered_at is not None:
            cell["answered"] += 1
            cell["handle_seconds"] += row.talk_seconds + row.wrap_seconds
            if row.agent_id:
                workers[key(row.answered_at)].add(row.agent_id)
    for where, agents in workers.items():
        counts[where]["agents"] = len(agents)
    return {where: dict(cell) for where, cell in counts.items()}


@pytest.mark.django_db
@pytest.mark.parametrize(("seed", "interval"), [(1, 30), (2, 15), (3, 60)])
def test_sql_history_equals_python_count(seed, interval):
    rng = random.Random(seed)
    queue, other = QueueFactory(code="general"), QueueFactory(code="vip")
    agents = [AgentFactory(team=None) for _ in range(6)]
    rows = generate(rng, queue, other, agents, 400)
    history = staffing.staffing_history(
        queue=queue, start=MONDAY, end=MONDAY + timedelta(days=6), interval_minutes=interval
    )
    got = {
        where: {
            name: value
            for name in (
                "offered",
                "answered",
                "abandoned",
                "handle_seconds",
                "wait_seconds",
                "agents",
            )
            if (value := getattr(row, name))
        }
        for where, row in history.intervals.items()
    }
    want = {
        where: {name: value for name, value in cell.items() if value}
        for where, cell in python_history(rows, queue, interval).items()
        if MONDAY <= where[0] <= MONDAY + timedelta(days=6)
    }
    assert got == want
    assert history.offered_matrix().sum() == sum(c.get("offered", 0) for c in want.values())


@pytest.mark.django_db
def test_history_uses_local_days_and_intervals():
    queue = QueueFactory(code="general")
    # 23:50 local time is 15:50 UTC: it belongs to the local day and its last interval.
    InteractionFactory(queue=queue, arrived_at=local(MONDAY, 23, 50))
    InteractionFactory(queue=queue, arrived_at=local(MONDAY + timedelta(days=1), 0, 10))
    history = staffing.staffing_history(queue=queue, start=MONDAY, end=MONDAY)
    assert list(history.intervals) == [(MONDAY, 47)]


@pytest.mark.django_db
def test_patience_is_wait_over_abandons():
    queue = QueueFactory(code="general")
    for wait in (30, 50):
        InteractionFactory(
            queue=queue,
            arrived_at=local(MONDAY, 10),
            wait_seconds=wait,
            abandoned=True,
            answered_at=None,
            agent=None,
        )
    InteractionFactory(queue=queue, arrived_at=local(MONDAY, 10), wait_seconds=100)
    # Σ wait 180 s over 2 abandons: 90 s (the answered caller's 100 s count as waiting).
    assert staffing.queue_patience(queue=queue, start=MONDAY, end=MONDAY) == 90
    assert (
        staffing.queue_patience(queue=queue, start=MONDAY + timedelta(1), end=MONDAY + timedelta(2))
        == staffing.PATIENCE_CEILING
    )


@pytest.fixture
def monday_rush(db):
    """Monday 09:00-09:30: 100 calls of 180 s handled by 6 agents (14 needed for 80/20);
    09:30-10:00: 10 calls handled by 8 agents (too many); 10:00: 20 calls, 4 agents."""
    queue = QueueFactory(code="general", sl_target=0.8, sl_seconds=20)
    agents = [AgentFactory() for _ in range(8)]

    def calls(start: datetime, n: int, staff: list) -> None:
        for i in range(n):
            arrived = start + timedelta(seconds=i * 1800 // n)
            InteractionFactory(
                queue=queue,
                agent=staff[i % len(staff)],
                arrived_at=arrived,
                answered_at=arrived + timedelta(seconds=10),
                wait_seconds=10,
                talk_seconds=150,
                wrap_seconds=30,
            )

    calls(local(MONDAY, 9), 100, agents[:6])
    calls(local(MONDAY, 9, 30), 10, agents)
    calls(local(MONDAY, 10), 20, agents[:4])
    return queue


def test_plan_flags_under_and_over_staffed_intervals(monday_rush):
    plan = staffing.staffing_plan(
        queue=monday_rush,
        start=MONDAY,
        end=MONDAY,
        shrinkage=0.3,
        max_occupancy=0.85,
        today=TODAY,
    )
    rows = {row.time_label: row for row in plan.rows}
    assert list(rows) == ["09:00", "09:30", "10:00"]
    rush = rows["09:00"]
    assert (rush.source, rush.calls, rush.aht) == ("actual", 100, 180)
    assert rush.required == 14
    assert rush.actual_agents == 6
    assert rush.gap == -8
    assert rush.status == "under"
    assert (
        rush.positions
        == erlang.required_agents(
            calls=100,
            interval_minutes=30,
            aht_seconds=180,
            target_service_level=0.8,
            target_seconds=20,
            max_occupancy=0.85,
            shrinkage=0.3,
        ).positions
    )
    assert rows["09:30"].status == "over"  # 8 agents for 10 calls (2 needed)
    assert rows["10:00"].status == "ok"
    assert (plan.under_count, plan.over_count) == (1, 1)


def test_plan_forecasts_days_from_today(monday_rush):
    next_monday = TODAY
    plan = staffing.staffing_plan(
        queue=monday_rush, start=next_monday, end=next_monday, today=TODAY
    )
    assert plan.rows
    assert all(row.source == "forecast" for row in plan.rows)
    assert all(row.actual_agents is None and row.status == "" for row in plan.rows)
    # One week of history: the Monday is forecast as it was (level only, no trend).
    assert [round(row.calls) for row in plan.rows] == [100, 10, 20]
    assert plan.rows[0].required == 14
    assert plan.backtest is None  # a back-test needs two weeks


def test_plan_refuses_bad_ranges(monday_rush):
    with pytest.raises(ValueError, match="before the start"):
        staffing.staffing_plan(queue=monday_rush, start=MONDAY, end=MONDAY - timedelta(1))
    with pytest.raises(ValueError, match="interval"):
        staffing.staffing_plan(queue=monday_rush, start=MONDAY, end=MONDAY, interval_minutes=20)


def test_whatif_on_a_past_day(monday_rush):
    result = staffing.staffing_whatif(
        queue=monday_rush, day=MONDAY, today=TODAY, levers=Levers(agents_delta=8)
    )
    rush = result.rows[0]
    assert (rush.before.agents, rush.after.agents) == (6, 14)
    assert rush.after.service_level > rush.before.service_level
    assert rush.after.abandon_rate < rush.before.abandon_rate
    assert result.after.service_level > result.before.service_level
    assert result.patience_seconds == staffing.PATIENCE_CEILING  # nobody abandoned


def test_whatif_ivr_share_and_volume_change_the_calls(monday_rush):
    result = staffing.staffing_whatif(
        queue=monday_rush,
        day=MONDAY,
        today=TODAY,
        levers=Levers(ivr_share_pct=20, volume_change_pct=10, aht_change_pct=-10),
    )
    rush = result.rows[0]
    assert rush.after.calls == pytest.approx(100 * 1.1 * 0.8)
    assert rush.after.aht == pytest.approx(162)
    assert result.after.calls == pytest.approx(130 * 1.1 * 0.8)


def test_no_agent_answers_nothing():
    outcome = staffing.interval_outcome(
        calls=10, aht=180, agents=0, patience_seconds=60, interval_minutes=30, target_seconds=20
    )
    assert (outcome.service_level, outcome.asa, outcome.abandon_rate) == (0.0, None, 1.0)


# --------------------------------------------------------------------------- monotonicity

interval_strategy = st.builds(
    WhatIfInterval,
    starts_at=st.just(local(MONDAY, 9)),
    calls=st.floats(0, 400, allow_nan=False),
    aht=st.floats(20, 900, allow_nan=False),
    agents=st.integers(0, 80),
)
days = st.lists(interval_strategy, min_size=1, max_size=6)
patience = st.floats(5, 1800, allow_nan=False)
TOLERANCE = 1e-9


def compare(intervals, levers, patience_seconds):
    return whatif_compare(
        intervals, levers, patience_seconds=patience_seconds, interval_minutes=30, target_seconds=20
    )


@settings(max_examples=150, deadline=None)
@given(days, st.integers(0, 30), st.integers(1, 30), patience)
def test_more_agents_never_lower_service_level(intervals, base, more, patience_seconds):
    rows_a, _, day_a = compare(intervals, Levers(agents_delta=base), patience_seconds)
    rows_b, _, day_b = compare(intervals, Levers(agents_delta=base + more), patience_seconds)
    for a, b in zip(rows_a, rows_b, strict=True):
        if a.after.service_level is not None:
            assert b.after.service_level >= a.after.service_level - TOLERANCE
            assert b.after.abandon_rate <= a.after.abandon_rate + TOLERANCE
    if day_a.service_level is not None:
        assert day_b.service_level >= day_a.service_level - TOLERANCE


@settings(max_examples=150, deadline=None)
@given(days, st.integers(-50, 100), st.integers(1, 100), patience)
def test_more_volume_never_raises_service_level(intervals, base, more, patience_seconds):
    rows_a, _, day_a = compare(intervals, Levers(volume_change_pct=base), patience_seconds)
    rows_b, _, day_b = compare(intervals, Levers(volume_change_pct=base + more), patience_seconds)
    for a, b in zip(rows_a, rows_b, strict=True):
        if a.after.service_level is not None and b.after.service_level is not None:
            assert b.after.service_level <= a.after.service_level + TOLERANCE
    if day_a.service_level is not None and day_b.service_level is not None:
        assert day_b.service_level <= day_a.service_level + TOLERANCE


@settings(max_examples=100, deadline=None)
@given(days, st.integers(0, 80), patience)
def test_more_ivr_self_service_never_lowers_service_level(intervals, share, patience_seconds):
    _, _, plain = compare(intervals, Levers(), patience_seconds)
    _, _, relieved = compare(intervals, Levers(ivr_share_pct=share), patience_seconds)
    if plain.service_level is not None and relieved.service_level is not None:
        assert relieved.service_level >= plain.service_level - TOLERANCE

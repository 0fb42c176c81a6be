"""Intraday: the rest of today re-forecast from arrivals so far, against the rostered heads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.interactions.factories import InteractionFactory, QueueFactory
from yuqi.operations import facade
from yuqi.workforce import services
from yuqi.workforce.models import Roster, RosterAssignment, ShiftTemplate

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 10)  # a Monday; the two Mondays before are history


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def queue():
    queue = QueueFactory(code="general", name="普通话务", sl_target=0.8, sl_seconds=20)
    days = [TODAY - dt.timedelta(days=7 * w) for w in (1, 2)]
    for day in days:
        for hour in (9, 10, 11):
            for i in range(20):
                arrived = local(day, hour) + dt.timedelta(seconds=i * 90)
                InteractionFactory(
                    queue=queue,
                    arrived_at=arrived,
                    answered_at=arrived + dt.timedelta(seconds=5),
                    wait_seconds=5,
                    talk_seconds=200,
                    wrap_seconds=40,
                )
    for i in range(60):  # today 09:00–10:00: three times the usual
        arrived = local(TODAY, 9) + dt.timedelta(seconds=i * 60)
        InteractionFactory(queue=queue, arrived_at=arrived, talk_seconds=200, wrap_seconds=40)
    return queue


def test_the_rest_of_the_day_is_scaled_by_arrivals_so_far(queue):
    day = facade.intraday(queue_code="general", moment=local(TODAY, 10), interval_minutes=30)
    assert day.arrived_so_far == 60
    low, high = facade.REFORECAST_BOUNDS
    expected_ratio = min(high, max(low, 60 / day.forecast_so_far))
    assert day.ratio == pytest.approx(expected_ratio)
    assert day.ratio > 1
    later = [s for s in day.slots if not s.past and s.forecast_calls]
    assert later
    for item in later:
        assert item.expected_calls == pytest.approx(item.forecast_calls * day.ratio)
    past = {s.slot: s for s in day.slots if s.past}
    assert past[18].arrived == 30
    assert past[18].expected_calls == 30


def test_unknown_queue_is_a_lookup_error():
    with pytest.raises(LookupError):
        facade.intraday(queue_code="nope", moment=local(TODAY, 10))


def test_intervals_short_of_rostered_heads_are_shown(queue, manager, as_user, monkeypatch):
    shift = ShiftTemplate.objects.create(name="早班", start=dt.time(8), minutes=480)
    roster = Roster.objects.create(queue_code="general", start=TODAY, days=1, status="published")
    from tests.accounts.factories import UserFactory
    from yuqi.workforce.models import WorkforceAgent

    person = WorkforceAgent.objects.create(user=UserFactory(), acd_code="A1")
    RosterAssignment.objects.create(roster=roster, agent=person, day=TODAY, shift=shift)
    assert services.rostered_on("general", TODAY)[16:32] == [1] * 16
    _day, rows = services.intraday_rows("general", local(TODAY, 10))
    for row in rows:
        assert row.short == max(0, (row.required_positions or 0) - row.rostered)
    assert any(row.short > 0 for row in rows if not row.past)
    monkeypatch.setattr("yuqi.workforce.views.now", lambda: local(TODAY, 10))
    page = as_user(manager).get(
        "/workforce/intraday/?queue=general", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert page.status_code == 200
    assert 'data-testid="missing"' in page.content.decode()
    assert as_user(manager).get("/workforce/intraday/?queue=<script>").status_code == 200


def test_agents_may_not_open_intraday(agent, as_user):
    assert as_user(agent).get("/workforce/intraday/?queue=x").status_code == 403

"""The stored scorecard of the default month: the direct computation of the moment it was
made, read in one query until the worker's job (or, with no worker, the staleness limit, or a
measure enabled since) computes it again; other months are computed on the spot; the page says
how fresh its figures are, in both languages. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory
from tests.support.clock import freeze_now
from yuqi.core.clock import day_start
from yuqi.core.measures import MeasureReading
from yuqi.core.schedule import PERIODIC_JOBS
from yuqi.interactions.rollups import rollups_refresh
from yuqi.operations.models import ScorecardMeasure, ScorecardResult
from yuqi.operations.scorecard import store
from yuqi.operations.scorecard.selectors import month_period, scorecard

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
NOON = dt.datetime(2026, 11, 18, 12, 0, tzinfo=TZ)
PERIOD = month_period(NOON.date(), today=NOON.date())


@pytest.fixture
def clock(monkeypatch):
    return freeze_now(monkeypatch, NOON)


def _contacts(n: int, day: dt.date) -> None:
    for i in range(n):
        InteractionFactory(
            customer=CustomerFactory(),
            arrived_at=day_start(day) + dt.timedelta(hours=9, minutes=11 * i),
            wait_seconds=4 + 9 * i,
        )


def _lines(card) -> list:
    return list(card.lines)


def _cards_agree(a, b) -> None:
    assert (a.period, a.previous) == (b.period, b.previous)
    assert [(p.perspective, p.label) for p in a.perspectives] == [
        (p.perspective, p.label) for p in b.perspectives
    ]
    assert _lines(a) == _lines(b)


def test_the_stored_scorecard_is_the_direct_computation_of_its_moment(clock):
    _contacts(5, NOON.date() - dt.timedelta(days=2))
    _contacts(3, PERIOD.start - dt.timedelta(days=3))  # the month before
    rollups_refresh()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            card, at = store.stored_scorecard(PERIOD)
            assert at == NOON
            assert _lines(card) == _lines(scorecard(period=PERIOD))
    assert ScorecardResult.objects.count() == 2  # one per language
    with translation.override("en"):
        clock.advance(dt.timedelta(minutes=3))
        with CaptureQueriesContext(connection) as captured:
            again, at = store.stored_scorecard(PERIOD)
        assert at == NOON
        assert _lines(again) == _lines(card)
        assert len(captured) == 2  # the measures and the stored row


def test_a_reading_goes_through_json_field_for_field():
    reading = MeasureReading(
        0.8125, "", 16, 0.61, 0.93, "/x/?a=1", "12 open", "KPI", NOON.astimezone(dt.UTC)
    )
    empty = MeasureReading(None, "No data yet: 原因")
    current = {"a": reading, "b": empty, "c": MeasureReading(4.0, n=4)}
    back = store.decoded(store.encoded(current, {"a": empty}))
    assert back == (current, {"a": empty})
    assert isinstance(back[0]["c"].value, float)


def test_the_job_brings_the_stored_scorecard_up_to_date_after_a_write(clock):
    _contacts(4, NOON.date() - dt.timedelta(days=1))
    rollups_refresh()
    before, _ = store.stored_scorecard(PERIOD)
    _contacts(6, NOON.date() - dt.timedelta(days=1))
    clock.advance(dt.timedelta(minutes=5))
    rollups_refresh()
    assert store.stored_scorecard(PERIOD) == (before, NOON)  # as of noon, until the job
    assert store.scorecard_refresh() == 2
    after, at = store.stored_scorecard(PERIOD)
    assert at == NOON + dt.timedelta(minutes=5)
    assert _lines(after) == _lines(scorecard(period=PERIOD))
    assert _lines(after) != _lines(before)


def test_stale_or_incomplete_rows_are_computed_again_and_other_months_are_not_stored(clock):
    store.stored_scorecard(PERIOD)
    clock.advance(store.STALE_AFTER + dt.timedelta(minutes=1))
    assert store.stored_scorecard(PERIOD)[1] == clock.at  # no worker: computed again
    ScorecardMeasure.objects.filter(enabled=True).update(enabled=False)
    one = ScorecardMeasure.objects.order_by("code").first()
    ScorecardMeasure.objects.filter(pk=one.pk).update(enabled=True)
    ScorecardResult.objects.update(readings={"current": {}, "previous": {}})
    card, at = store.stored_scorecard(PERIOD)  # a measure missing from the row
    assert [line.code for line in card.lines] == [one.code]
    assert at == clock.at
    earlier = month_period(PERIOD.start - dt.timedelta(days=1), today=NOON.date())
    card, at = store.stored_scorecard(earlier)
    assert at is None
    assert ScorecardResult.objects.filter(start=earlier.start).count() == 0


def test_the_job_drops_other_periods_and_is_registered(clock):
    store.stored_scorecard(PERIOD)
    clock.advance(dt.timedelta(days=1))  # a new day: a new default period
    store.scorecard_refresh()
    today = NOON.date() + dt.timedelta(days=1)
    assert set(ScorecardResult.objects.values_list("start", "end")) == {(PERIOD.start, today)}
    from yuqi.operations.tasks import refresh_scorecard

    jobs = {job.name: job for job in PERIODIC_JOBS}
    assert jobs["operations-scorecard"].task == refresh_scorecard.module_path
    assert jobs["operations-scorecard"].every == dt.timedelta(minutes=5)
    assert "scorecard stored in 2 languages" in refresh_scorecard.call()


@pytest.mark.parametrize(
    ("language", "text"), [("en", "Figures as of 12:00"), ("zh-hans", "数据截至 12:00")]
)
def test_the_page_says_how_fresh_the_default_month_is(clock, as_user, manager, language, text):
    client = as_user(manager)
    page = client.get("/operations/scorecard/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert text in page.content.decode()
    other = client.get("/operations/scorecard/?month=2026-09", HTTP_ACCEPT_LANGUAGE=language)
    assert "data-as-of" not in other.content.decode()

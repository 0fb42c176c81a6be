"""The stored adherence of periods whose shifts may still be running: the direct computation
of the moment it was made, read in one query until the worker's job (or, with no worker, the
staleness limit) computes it again; the job computes the pages' default periods ahead and
drops the periods that are over; the pages say how fresh the figure is, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.support.clock import freeze_now
from yuqi.core.schedule import PERIODIC_JOBS
from yuqi.workforce import adherence_store, services
from yuqi.workforce.models import AdherenceResult, AgentStateRow

from .conftest import MONDAY
from .test_adherence_cache import SH, at, make_roster

pytestmark = pytest.mark.django_db
NOON = at(12)


@pytest.fixture
def clock(monkeypatch):
    return freeze_now(monkeypatch, NOON)


@pytest.fixture
def roster(templates, rostered):
    return make_roster(templates, rostered)


def test_a_running_period_is_stored_as_the_direct_computation_of_its_moment(clock, roster):
    report, as_of = services.adherence_reading(MONDAY, MONDAY)
    assert as_of == NOON
    assert report == services.fresh_adherence_report(MONDAY, MONDAY)
    assert report.total.scheduled_seconds == 2 * 4 * 3600  # what was due by noon
    stored = AdherenceResult.objects.get()
    assert (stored.start, stored.end, stored.computed_at) == (MONDAY, MONDAY, NOON)
    clock.at = at(12, 3)
    with CaptureQueriesContext(connection) as captured:
        again, as_of = services.adherence_reading(MONDAY, MONDAY)
    assert len(captured) == 1  # the stored row, whatever the minute
    assert (again, as_of) == (report, NOON)


def test_the_job_brings_the_stored_figure_up_to_date_after_a_write(clock, roster):
    week = (MONDAY - dt.timedelta(days=adherence_store.PAGE_DAYS), MONDAY)  # a default period
    before, _ = services.adherence_reading(*week)
    row = AgentStateRow.objects.get(state="ready")
    row.end = at(10)
    row.save()
    clock.at = at(12, 5)
    assert services.adherence_reading(*week) == (before, NOON)  # as of noon
    assert services.adherence_refresh() >= 1
    after, as_of = services.adherence_reading(*week)
    assert as_of == at(12, 5)
    assert after == services.fresh_adherence_report(*week)
    assert after != before
    assert after.total.scheduled_seconds == 2 * (4 * 3600 + 5 * 60)


def test_a_chosen_period_is_kept_minutes_not_refreshed_until_it_ends(clock, roster):
    """Any range of up to 63 days may be asked for, its end far ahead: the worker's work must
    not grow with the ranges people looked at."""
    far = (MONDAY, MONDAY + dt.timedelta(days=60))
    services.adherence_reading(*far)
    services.adherence_reading(MONDAY, MONDAY)
    clock.at = at(12, 4)
    services.adherence_refresh()  # younger than the job's interval: kept, not computed
    assert set(AdherenceResult.objects.values_list("computed_at", flat=True)) == {NOON, at(12, 4)}
    assert AdherenceResult.objects.filter(start=MONDAY, computed_at=NOON).count() == 2
    clock.at = NOON + adherence_store.REFRESH_EVERY
    computed = services.adherence_refresh()
    assert not AdherenceResult.objects.filter(start=MONDAY).exists()  # dropped, not refreshed
    assert computed == AdherenceResult.objects.count()  # only the default periods
    report, as_of = services.adherence_reading(*far)  # asked again: computed on the spot
    assert as_of == clock.at
    assert report == services.fresh_adherence_report(*far)


def test_without_a_worker_a_stale_figure_is_computed_again(clock, roster):
    services.adherence_reading(MONDAY, MONDAY)
    clock.at = NOON + adherence_store.STALE_AFTER + dt.timedelta(minutes=1)
    report, as_of = services.adherence_reading(MONDAY, MONDAY)
    assert as_of == clock.at
    assert report == services.fresh_adherence_report(MONDAY, MONDAY)


def test_a_finished_period_is_not_stored_and_its_row_is_dropped(clock, roster):
    services.adherence_reading(MONDAY, MONDAY)
    clock.at = dt.datetime(2026, 12, 10, 9, 0, tzinfo=SH)
    report, as_of = services.adherence_reading(MONDAY, MONDAY)
    assert as_of is None  # final: the version cache, as of now
    assert report == services.fresh_adherence_report(MONDAY, MONDAY)
    services.adherence_refresh()
    assert not AdherenceResult.objects.filter(end=MONDAY).exists()


def test_the_job_computes_the_pages_default_periods_ahead(clock, roster):
    from yuqi.operations.staffing.views import shrinkage_period

    today = MONDAY
    wanted = adherence_store.wanted_periods(today)
    assert (dt.date(2026, 11, 1), MONDAY) in wanted  # the scorecard's month to today
    assert (dt.date(2026, 10, 1), dt.date(2026, 10, 31)) in wanted  # and the month before
    assert shrinkage_period(today) in wanted  # the staffing plan's shrinkage default
    assert (MONDAY - dt.timedelta(days=7), MONDAY) in wanted  # the adherence page
    count = services.adherence_refresh(today=today)
    stored = set(AdherenceResult.objects.values_list("start", "end"))
    # October's shifts are over at noon of 30 November: its figure is final, not stored
    assert (dt.date(2026, 10, 1), dt.date(2026, 10, 31)) not in stored
    assert count == len(stored) == len(wanted) - 1
    for first, last in stored:
        with CaptureQueriesContext(connection) as captured:
            found, as_of = services.adherence_reading(first, last)
        assert len(captured) == 1
        assert as_of == NOON
        assert found == services.fresh_adherence_report(first, last)


def test_the_worker_runs_the_job_every_five_minutes(clock, roster):
    from yuqi.workforce.tasks import refresh_adherence

    jobs = {job.name: job for job in PERIODIC_JOBS}
    assert jobs["workforce-adherence"].task == refresh_adherence.module_path
    assert jobs["workforce-adherence"].every == dt.timedelta(minutes=5)
    assert "periods stored" in refresh_adherence.call()
    assert AdherenceResult.objects.exists()


@pytest.mark.parametrize(
    ("language", "line", "states"),
    [
        ("zh-hans", "数据截至 12:00", "坐席状态截至 12:00"),
        ("en", "Figures as of 12:00", "Agent states as of 12:00"),
    ],
)
def test_the_pages_say_how_fresh_the_adherence_is(
    clock, roster, as_user, manager, settings, language, line, states
):
    from tests.interactions.factories import QueueFactory
    from yuqi.operations.staffing.views import shrinkage_default

    settings.TIME_ZONE = "Asia/Shanghai"
    QueueFactory()
    with translation.override(language):
        _, text = shrinkage_default(MONDAY + dt.timedelta(days=1))  # four weeks to Monday
    # the staffing plan's own "as of" is the rollups': the shrinkage note names its source
    assert text.endswith(states)
    client = as_user(manager)
    client.cookies["django_language"] = language
    page = client.get(
        "/workforce/adherence/?start=2026-11-30&end=2026-11-30", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert f'<p class="hint" data-as-of>{line}</p>' in page
    card = client.get("/operations/scorecard/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert line in card  # the roster adherence's note

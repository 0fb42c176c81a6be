"""Calendars kept between requests: reused while the rows are unchanged, built again on the
very next request after any calendar row is saved or deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.calendars.factories import (
    CalendarFactory,
    DateFactory,
    EnteredYearFactory,
    PeriodFactory,
    standard,
)
from tests.interactions.factories import TeamFactory
from yuqi.calendars import facade, selectors
from yuqi.calendars.models import CalendarDate, CalendarsVersion, TeamCalendar
from yuqi.calendars.signals import bump_token

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 9)


def _in_request(read):
    with facade.calendars_cached():
        return read()


def test_an_unchanged_calendar_is_reused_with_one_query():
    first = _in_request(facade.calendar_for)
    with CaptureQueriesContext(connection) as captured:
        again = _in_request(facade.calendar_for)
    assert again is first
    assert len(captured) == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda: DateFactory(calendar=standard(), date=MONDAY, kind="closed"),
        lambda: PeriodFactory(calendar=standard(), weekday=MONDAY.weekday()).delete(),
        lambda: EnteredYearFactory(year=2031),
        lambda: standard().save(),
    ],
    ids=["date added", "period deleted", "entered year", "calendar saved"],
)
def test_any_calendar_write_is_seen_on_the_next_request(change):
    before = _in_request(facade.calendar_for)
    change()
    after = _in_request(facade.calendar_for)
    assert after is not before
    assert after == selectors.domain_calendar()


def test_a_closed_date_counts_at_once():
    assert _in_request(facade.calendar_for).day_info(MONDAY).is_working_day
    DateFactory(calendar=standard(), date=MONDAY, kind="closed")
    assert not _in_request(facade.calendar_for).day_info(MONDAY).is_working_day
    CalendarDate.objects.get(calendar=standard(), date=MONDAY).delete()
    assert _in_request(facade.calendar_for).day_info(MONDAY).is_working_day


def test_a_team_mapping_is_seen_on_the_next_request():
    team = TeamFactory()
    _in_request(lambda: facade.calendar_for(team_id=team.pk))
    own = CalendarFactory(name="team-own")
    PeriodFactory(calendar=own)
    TeamCalendar.objects.create(team=team, calendar=own)
    assert _in_request(lambda: facade.calendar_for(team_id=team.pk)).name == "team-own"
    assert _in_request(facade.teams_with_own_calendar) == [team.pk]


def test_a_token_is_never_drawn_twice():
    seen = {selectors.calendars_token()}
    for _ in range(5):
        bump_token()
        seen.add(selectors.calendars_token())
    assert len(seen) == 6


def test_rows_read_in_a_rolled_back_change_are_not_kept():
    class RolledBack(Exception):
        pass

    def change_then_fail() -> None:
        with transaction.atomic():
            DateFactory(calendar=standard(), date=MONDAY, kind="closed")
            assert not _in_request(facade.calendar_for).day_info(MONDAY).is_working_day
            raise RolledBack

    with pytest.raises(RolledBack):
        change_then_fail()
    assert _in_request(facade.calendar_for).day_info(MONDAY).is_working_day


def test_without_the_token_row_nothing_is_kept_between_requests():
    CalendarsVersion.objects.all().delete()
    _in_request(facade.calendar_for)
    with CaptureQueriesContext(connection) as captured:
        _in_request(facade.calendar_for)
    assert len(captured) > 1


def test_missing_holiday_years_are_kept_until_a_year_is_entered(today):
    today(2026, 11, 1)
    assert _in_request(facade.missing_holiday_years) == [2027]
    with CaptureQueriesContext(connection) as captured:
        assert _in_request(facade.missing_holiday_years) == [2027]
    assert len(captured) == 1
    EnteredYearFactory(year=2027)
    assert _in_request(facade.missing_holiday_years) == []


def test_missing_holiday_years_follow_the_day(today):
    def within_100_days() -> list[int]:
        return facade.missing_holiday_years(horizon_days=100)

    today(2026, 2, 10)
    assert _in_request(within_100_days) == []
    today(2026, 11, 1)
    assert _in_request(within_100_days) == [2027]

"""Stored calendars become domain calendars: shipped defaults, teams, dates, entered years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.calendars.factories import (
    ALWAYS,
    CALL_CENTRE,
    STANDARD,
    CalendarFactory,
    DateFactory,
    EnteredYearFactory,
    PeriodFactory,
    standard,
)
from tests.interactions.factories import TeamFactory
from yuqi.calendars import facade, services
from yuqi.calendars.models import BusinessCalendar, WorkingPeriod
from yuqi.calendars.signals import calendar_changed
from yuqi.calendars.validation import period_error
from yuqi.domain.calendar import DayKind, parse_periods

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


def sh(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def test_the_default_is_standard_office_hours_with_a_lunch_break():
    calendar = facade.calendar_for()
    assert calendar.name == STANDARD
    assert calendar.weekly[0] == parse_periods("08:30-12:00", "13:30-17:30")
    assert calendar.weekly[5] == calendar.weekly[6] == ()
    assert calendar.china_holidays


def test_exactly_one_calendar_is_shipped_as_default():
    assert list(
        BusinessCalendar.objects.filter(is_default=True).values_list("name", flat=True)
    ) == [STANDARD]


def test_the_24_7_calendar_is_open_around_the_clock_on_holidays():
    calendar = facade.calendar_for(name=ALWAYS)
    assert calendar.add_business_time(sh(2026, 2, 17, 23), dt.timedelta(hours=2)) == sh(
        2026, 2, 18, 1
    )


def test_the_call_centre_stays_open_on_statutory_holidays():
    calendar = facade.calendar_for(name=CALL_CENTRE)
    info = calendar.day_info(dt.date(2026, 2, 17))  # 春节
    assert info.periods == parse_periods("08:00-22:00")


def test_a_team_uses_its_own_calendar():
    team = TeamFactory()
    services.team_calendar_set(team_id=team.pk, calendar_name=CALL_CENTRE)
    assert facade.calendar_for(team_id=team.pk).name == CALL_CENTRE


def test_a_team_without_a_calendar_uses_the_default():
    team = TeamFactory()
    assert facade.calendar_for(team_id=team.pk).name == STANDARD


def test_an_unknown_name_is_refused():
    with pytest.raises(facade.UnknownCalendar):
        facade.calendar_for(name="no such calendar")


def test_a_closure_for_all_calendars_closes_the_day():
    DateFactory(date=dt.date(2026, 3, 9), kind="closed", note="台风停工")
    info = facade.calendar_for().day_info(dt.date(2026, 3, 9))
    assert info.kind is DayKind.CLOSED


def test_a_calendars_own_date_overrides_one_for_all():
    DateFactory(date=dt.date(2026, 3, 7), kind="closed")
    DateFactory(calendar=standard(), date=dt.date(2026, 3, 7), kind="open")
    assert facade.calendar_for().day_info(dt.date(2026, 3, 7)).kind is DayKind.OPEN


def test_a_year_outside_the_package_is_assumed_and_flagged():
    calendar = facade.calendar_for()
    due = calendar.add_business_days(sh(2027, 3, 1, 10), 1)  # no raise: WEEKDAYS policy
    assert calendar.years_without_holiday_data(sh(2027, 3, 1, 10), due) == {2027}


def test_an_entered_year_is_no_longer_assumed():
    EnteredYearFactory(year=2027)
    calendar = facade.calendar_for()
    assert calendar.years_without_holiday_data(sh(2027, 3, 1), sh(2027, 3, 2)) == frozenset()


def test_missing_years_names_the_next_year_late_in_the_year(today):
    today(2026, 11, 1)
    assert facade.missing_holiday_years() == [2027]


def test_missing_years_is_empty_once_the_year_is_entered_for_all(today):
    today(2026, 11, 1)
    EnteredYearFactory(year=2027)
    assert facade.missing_holiday_years() == []


def test_a_year_entered_for_one_calendar_is_still_missing_for_another(today):
    today(2026, 11, 1)
    EnteredYearFactory(year=2027, calendar=standard())
    CalendarFactory(name="后台", china_holidays=True)
    assert facade.missing_holiday_years() == [2027]


def test_calendars_without_china_holidays_need_no_year(today):
    today(2026, 11, 1)
    BusinessCalendar.objects.update(china_holidays=False)
    assert facade.missing_holiday_years() == []


def test_the_warning_names_the_year_and_where_to_enter_it(today):
    today(2026, 11, 1)
    with translation.override("en"):
        warning = facade.missing_years_warning()
    assert "2027" in warning
    assert "Entered years" in warning


def test_calendar_changed_is_sent_after_commit(django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, calendar_name, **kwargs):
        seen.append(calendar_name)

    calendar_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            PeriodFactory(calendar=standard(), weekday=5, start=dt.time(9), end=dt.time(12))
        assert seen == []  # not before the commit
        for callback in callbacks:
            callback()
        assert seen == [STANDARD]
    finally:
        calendar_changed.disconnect(receiver)


def test_calendar_changed_names_no_calendar_for_a_date_of_all(django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, calendar_name, **kwargs):
        seen.append(calendar_name)

    calendar_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            DateFactory()
        assert seen == [None]
    finally:
        calendar_changed.disconnect(receiver)


def test_making_a_calendar_default_takes_the_flag_from_the_old_one():
    other = CalendarFactory(name="夜班")
    other.is_default = True
    services.business_calendar_save(calendar=other)
    assert list(BusinessCalendar.objects.filter(is_default=True)) == [other]


def test_two_defaults_are_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarFactory(name="夜班", is_default=True)


def test_the_default_cannot_be_unticked_without_a_replacement():
    calendar = standard()
    calendar.is_default = False
    with pytest.raises(ValidationError):
        calendar.full_clean()


def test_a_period_must_end_after_it_starts():
    period = WorkingPeriod(calendar=standard(), weekday=0, start=dt.time(12), end=dt.time(8))
    with pytest.raises(ValidationError):
        period.full_clean()


def test_a_period_may_end_at_midnight():
    period = WorkingPeriod(calendar=standard(), weekday=5, start=dt.time(22), end=dt.time(0))
    period.full_clean()


def test_overlapping_periods_are_refused():
    assert period_error(dt.time(11), dt.time(14), [(dt.time(8, 30), dt.time(12))])
    assert period_error(dt.time(12), dt.time(13, 30), [(dt.time(8, 30), dt.time(12))]) is None


def test_calendars_are_read_once_inside_a_cached_block_and_afresh_after_it():
    """The one calendar cache: scoped to a request or job by a context variable."""
    with facade.calendars_cached():
        first = facade.calendar_for()
        with facade.calendars_cached():  # nested blocks share the outer cache
            assert facade.calendar_for() is first
    assert facade.calendar_for() is not first

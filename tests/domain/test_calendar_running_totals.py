"""``business_time_between`` answers whole dates from running totals an instance keeps; every
answer must equal the plain date-by-date sum, whatever order the spans are asked in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuqi.domain.calendar import BusinessCalendar, HolidayDataMissing, parse_periods, week

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")
BASE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def plain_sum(calendar: BusinessCalendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """The former implementation: every local date's intervals, clipped to ``[a, b)``."""
    if b < a:
        return -plain_sum(calendar, b, a)
    low, high = a.astimezone(dt.UTC), b.astimezone(dt.UTC)
    day, last = a.astimezone(calendar.tz).date(), b.astimezone(calendar.tz).date()
    total = dt.timedelta(0)
    while day <= last:
        for start, end in calendar.day_intervals(day):
            begin, finish = max(start, low), min(end, high)
            if finish > begin:
                total += finish - begin
        day += dt.timedelta(days=1)
    return total


def calendars() -> list[BusinessCalendar]:
    return [
        BusinessCalendar(weekly=week(parse_periods("09:00-12:00", "13:30-17:30"))),
        BusinessCalendar(
            weekly=week(parse_periods("00:00-06:00", "22:00-24:00")),
            tz=NY,
            china_holidays=False,
            closed_dates=frozenset({dt.date(2025, 3, 10), dt.date(2025, 11, 3)}),
        ),
        BusinessCalendar(
            weekly=week(parse_periods("08:00-20:00"), parse_periods("09:00-18:00")),
            open_dates=frozenset({dt.date(2025, 10, 2)}),
        ),
    ]


spans = st.lists(
    st.tuples(st.integers(0, 700 * 24 * 60), st.integers(0, 700 * 24 * 60)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(spans)
def test_every_answer_equals_the_date_by_date_sum(pairs: list[tuple[int, int]]) -> None:
    for calendar in calendars():  # fresh instances: the running totals start empty
        for a, b in pairs:
            start, end = BASE + dt.timedelta(minutes=a), BASE + dt.timedelta(minutes=b)
            assert calendar.business_time_between(start, end) == plain_sum(calendar, start, end)


def test_spans_grow_backward_forward_and_restart_when_apart() -> None:
    calendar = calendars()[0]
    now = dt.datetime(2026, 6, 30, 15, tzinfo=SH)
    for days in (10, 40, 3, 90, 400):  # one end, starts further and further back
        start = now - dt.timedelta(days=days, hours=5)
        assert calendar.business_time_between(start, now) == plain_sum(calendar, start, now)
    later = now + dt.timedelta(days=30)
    assert calendar.business_time_between(now, later) == plain_sum(calendar, now, later)
    apart = dt.datetime(2025, 1, 5, tzinfo=SH)
    assert calendar.business_time_between(apart - dt.timedelta(days=9), apart) == plain_sum(
        calendar, apart - dt.timedelta(days=9), apart
    )


def test_a_missing_holiday_year_is_raised_only_when_asked_for() -> None:
    calendar = BusinessCalendar()
    june = dt.datetime(2026, 6, 1, tzinfo=SH)
    assert calendar.business_time_between(june, june + dt.timedelta(days=20)) == plain_sum(
        calendar, june, june + dt.timedelta(days=20)
    )
    far = dt.datetime(2027, 3, 1, tzinfo=SH)
    with pytest.raises(HolidayDataMissing, match="2027"):
        calendar.business_time_between(far, far + dt.timedelta(days=5))
    # the failed span kept nothing: the earlier span still answers as before
    assert calendar.business_time_between(june, june + dt.timedelta(days=10)) == plain_sum(
        calendar, june, june + dt.timedelta(days=10)
    )

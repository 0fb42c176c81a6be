"""Business calendar arithmetic on real Chinese dates, lunch breaks, split shifts and DST.

Holiday sources (the expected dates below were checked against chinese_calendar 1.11's data):

* 2025: 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号, 2024-11-12
  (Xinhua; reprint https://m.gmw.cn/2024-11/12/content_1303894933.htm). 春节 1月28日–2月4日,
  1月26日（周日）、2月8日（周六）上班; 国庆节、中秋节 10月1日–8日,
  9月28日（周日）、10月11日（周六）上班.
* 2026: 国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04
  (Xinhua; reprint https://politics.gmw.cn/2025-11/04/content_38391083.htm). 春节 2月15日–23日,
  2月14日（周六）、2月28日（周六）上班; 国庆节 10月1日–7日, 9月20日（周日）、10月10日（周六）上班.
* Day counts: 民法典 art. 201 (starting day not counted) and art. 203 (a last day that is a
  holiday moves to the next day; with business hours the day ends when business stops).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuqi.domain.calendar import (
    CHINA_DATA_YEARS,
    BusinessCalendar,
    CalendarError,
    DayKind,
    HolidayDataMissing,
    MissingYearPolicy,
    TimeBasis,
    WorkPeriod,
    parse_periods,
    week,
)

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")
UTC = dt.UTC
H = dt.timedelta(hours=1)

# 09:00–12:00 and 13:30–17:30 (7 h a day): the shape of the brief's example
# "4 working hours from Friday 16:00 → Monday 11:30 with a 12:00–13:30 lunch".
LUNCH = BusinessCalendar(weekly=week(parse_periods("09:00-12:00", "13:30-17:30")), name="lunch")
DEFAULT = BusinessCalendar()


def sh(*args: int) -> dt.datetime:
    """A Shanghai wall-clock instant."""
    return dt.datetime(*args, tzinfo=SH)


# ------------------------------------------------------------ holiday data
@pytest.mark.parametrize(
    ("day", "kind"),
    [
        # 2025 Spring Festival: 1月28日–2月4日 off; 1月26日 (Sun) and 2月8日 (Sat) worked.
        (dt.date(2025, 1, 26), DayKind.MAKEUP_WORKDAY),
        (dt.date(2025, 1, 27), DayKind.WORKDAY),
        (dt.date(2025, 1, 28), DayKind.HOLIDAY),
        (dt.date(2025, 2, 4), DayKind.HOLIDAY),
        (dt.date(2025, 2, 5), DayKind.WORKDAY),
        (dt.date(2025, 2, 8), DayKind.MAKEUP_WORKDAY),
        # 2025 National Day + Mid-autumn: 10月1日–8日 off; 9月28日 (Sun), 10月11日 (Sat) worked.
        (dt.date(2025, 9, 28), DayKind.MAKEUP_WORKDAY),
        (dt.date(2025, 10, 1), DayKind.HOLIDAY),
        (dt.date(2025, 10, 8), DayKind.HOLIDAY),
        (dt.date(2025, 10, 9), DayKind.WORKDAY),
        (dt.date(2025, 10, 11), DayKind.MAKEUP_WORKDAY),
        # 2026 Spring Festival: 2月15日–23日 off; 2月14日 and 2月28日 (Saturdays) worked.
        (dt.date(2026, 2, 14), DayKind.MAKEUP_WORKDAY),
        (dt.date(2026, 2, 15), DayKind.HOLIDAY),
        (dt.date(2026, 2, 21), DayKind.HOLIDAY),
        (dt.date(2026, 2, 23), DayKind.HOLIDAY),
        (dt.date(2026, 2, 24), DayKind.WORKDAY),
        (dt.date(2026, 2, 28), DayKind.MAKEUP_WORKDAY),
        (dt.date(2026, 3, 7), DayKind.REST_DAY),
        # 2026 National Day: 10月1日–7日 off; 9月20日 (Sun) and 10月10日 (Sat) worked.
        (dt.date(2026, 9, 20), DayKind.MAKEUP_WORKDAY),
        (dt.date(2026, 10, 7), DayKind.HOLIDAY),
        (dt.date(2026, 10, 8), DayKind.WORKDAY),
        (dt.date(2026, 10, 10), DayKind.MAKEUP_WORKDAY),
    ],
)
def test_day_kinds_follow_state_council_notices(day: dt.date, kind: DayKind) -> None:
    assert DEFAULT.day_info(day).kind is kind


def test_holiday_names_are_available_in_chinese() -> None:
    info = DEFAULT.day_info(dt.date(2026, 2, 17))
    assert (info.name, info.chinese_name) == ("Spring Festival", "春节")


def test_package_covers_2025_and_2026() -> None:
    assert 2025 in CHINA_DATA_YEARS
    assert 2026 in CHINA_DATA_YEARS


# --------------------------------------------------------- business time
def test_friday_afternoon_plus_four_hours_is_monday_before_lunch_end() -> None:
    # Fri 16:00–17:30 = 1.5 h, Mon 09:00 + 2.5 h = 11:30 (2026-03-06 is an ordinary Friday).
    assert LUNCH.add_business_time(sh(2026, 3, 6, 16), 4 * H) == sh(2026, 3, 9, 11, 30)


def test_lunch_break_is_skipped() -> None:
    assert LUNCH.add_business_time(sh(2026, 3, 9, 11), 2 * H) == sh(2026, 3, 9, 14, 30)


def test_due_time_exactly_at_period_end_stays_at_that_end() -> None:
    assert LUNCH.add_business_time(sh(2026, 3, 9, 9), 3 * H) == sh(2026, 3, 9, 12)
    assert LUNCH.add_business_time(sh(2026, 3, 9, 13, 30), 4 * H) == sh(2026, 3, 9, 17, 30)


def test_zero_amount_gives_next_open_instant() -> None:
    assert LUNCH.add_business_time(sh(2026, 3, 9, 10), dt.timedelta(0)) == sh(2026, 3, 9, 10)
    assert LUNCH.add_business_time(sh(2026, 3, 9, 12), dt.timedelta(0)) == sh(2026, 3, 9, 13, 30)
    assert LUNCH.add_business_time(sh(2026, 3, 9, 20), dt.timedelta(0)) == sh(2026, 3, 10, 9)


def test_open_interval_includes_start_and_excludes_end() -> None:
    assert LUNCH.is_open(sh(2026, 3, 9, 9))
    assert LUNCH.is_open(sh(2026, 3, 9, 11, 59, 59, 999999))
    assert not LUNCH.is_open(sh(2026, 3, 9, 12))
    assert not LUNCH.is_open(sh(2026, 3, 7, 10))  # an ordinary Saturday


def test_next_open_returns_the_instant_itself_when_open() -> None:
    assert LUNCH.next_open(sh(2026, 3, 9, 10, 15)) == sh(2026, 3, 9, 10, 15)
    assert LUNCH.next_open(sh(2026, 3, 9, 12, 15)) == sh(2026, 3, 9, 13, 30)


def test_split_shift() -> None:
    split = BusinessCalendar(weekly=week(parse_periods("08:00-11:00", "17:00-21:00")))
    assert split.add_business_time(sh(2026, 3, 9, 10), 3 * H) == sh(2026, 3, 9, 19)
    assert split.business_time_between(sh(2026, 3, 9, 7), sh(2026, 3, 10, 7)) == 7 * H


def test_night_shift_split_at_midnight_runs_through() -> None:
    nights = parse_periods("00:00-06:00", "22:00-24:00")
    cal = BusinessCalendar(weekly=(nights,) * 7, china_holidays=False)
    assert cal.add_business_time(sh(2026, 3, 9, 23), 2 * H) == sh(2026, 3, 10, 1)
    assert cal.is_open(sh(2026, 3, 10, 0))


def test_spring_festival_2026_uses_makeup_saturday() -> None:
    # Fri 2月13日 16:00 → Sat 2月14日 (调休 workday, weekday periods) 11:30.
    assert LUNCH.add_business_time(sh(2026, 2, 13, 16), 4 * H) == sh(2026, 2, 14, 11, 30)
    # From the make-up Saturday the next working day is Tue 2月24日, after the 9-day holiday.
    assert LUNCH.add_business_time(sh(2026, 2, 14, 16), 4 * H) == sh(2026, 2, 24, 11, 30)


def test_spring_festival_2025_uses_makeup_sunday() -> None:
    # Fri 1月24日 16:00 → Sun 1月26日 (调休 workday) 11:30; Sat 1月25日 is a rest day.
    assert LUNCH.add_business_time(sh(2025, 1, 24, 16), 4 * H) == sh(2025, 1, 26, 11, 30)
    # From Mon 1月27日 the holiday runs to 2月4日; next working day Wed 2月5日.
    assert LUNCH.add_business_time(sh(2025, 1, 27, 16), 4 * H) == sh(2025, 2, 5, 11, 30)


def test_national_day_2025_spans_eight_days_then_makeup_saturday() -> None:
    assert LUNCH.add_business_time(sh(2025, 9, 30, 16), 4 * H) == sh(2025, 10, 9, 11, 30)
    assert LUNCH.add_business_time(sh(2025, 10, 10, 16), 4 * H) == sh(2025, 10, 11, 11, 30)


def test_national_day_2026() -> None:
    # Wed 9月30日 16:00 → Thu 10月8日; the holiday is 10月1日–7日.
    assert LUNCH.add_business_time(sh(2026, 9, 30, 16), 4 * H) == sh(2026, 10, 8, 11, 30)


def test_start_inside_a_holiday() -> None:
    assert LUNCH.next_open(sh(2026, 2, 17, 10)) == sh(2026, 2, 24, 9)
    assert LUNCH.add_business_time(sh(2026, 2, 17, 10), H) == sh(2026, 2, 24, 10)
    assert LUNCH.business_time_between(sh(2026, 2, 16), sh(2026, 2, 23, 23)) == dt.timedelta(0)


def test_business_time_across_spring_festival_counts_the_makeup_day() -> None:
    assert LUNCH.business_time_between(sh(2026, 2, 13, 9), sh(2026, 2, 24, 9)) == 14 * H


def test_business_time_between_is_negative_when_reversed() -> None:
    a, b = sh(2026, 3, 9, 9), sh(2026, 3, 9, 11)
    assert LUNCH.business_time_between(b, a) == -2 * H


def test_plain_weekday_rule_would_be_wrong_around_spring_festival() -> None:
    plain = BusinessCalendar(weekly=LUNCH.weekly, china_holidays=False)
    start = sh(2026, 2, 13, 16)
    assert plain.add_business_time(start, 4 * H) == sh(2026, 2, 16, 11, 30)
    assert LUNCH.add_business_time(start, 4 * H) != plain.add_business_time(start, 4 * H)


def test_utc_in_utc_out() -> None:
    start = dt.datetime(2026, 3, 6, 8, tzinfo=UTC)  # 16:00 in Shanghai
    due = LUNCH.add_business_time(start, 4 * H)
    assert due.tzinfo is UTC
    assert due == dt.datetime(2026, 3, 9, 3, 30, tzinfo=UTC)


# ------------------------------------------------------------- overrides
def test_makeup_day_uses_weekday_periods_not_saturday_shift() -> None:
    saturday_shift = parse_periods("09:00-12:00")
    cal = BusinessCalendar(weekly=week(LUNCH.weekly[0], saturday=saturday_shift))
    assert cal.day_info(dt.date(2026, 2, 14)).periods == LUNCH.weekly[0]
    assert cal.day_info(dt.date(2026, 3, 7)).periods == saturday_shift


def test_makeup_periods_can_be_configured() -> None:
    cal = BusinessCalendar(makeup_periods=parse_periods("10:00-15:00"))
    assert cal.close_of_business(dt.date(2026, 2, 14)) == sh(2026, 2, 14, 15)


def test_closed_date_beats_everything() -> None:
    typhoon = LUNCH.with_dates(closed=[dt.date(2026, 2, 14)])
    assert typhoon.day_info(dt.date(2026, 2, 14)).kind is DayKind.CLOSED
    assert typhoon.add_business_time(sh(2026, 2, 13, 16), 4 * H) == sh(2026, 2, 24, 11, 30)


def test_open_date_opens_a_holiday_with_weekday_periods() -> None:
    on_duty = LUNCH.with_dates(opened=[dt.date(2026, 2, 16)])
    assert on_duty.day_info(dt.date(2026, 2, 16)).kind is DayKind.OPEN
    assert on_duty.next_open(sh(2026, 2, 15, 12)) == sh(2026, 2, 16, 9)


def test_a_date_cannot_be_both_closed_and_open() -> None:
    day = dt.date(2026, 3, 9)
    with pytest.raises(CalendarError, match="both closed and open"):
        BusinessCalendar(closed_dates=frozenset({day}), open_dates=frozenset({day}))


# ------------------------------------------------------------ day counts
def test_five_working_days_across_spring_festival_2026() -> None:
    # The CLI example: from Fri 2月13日 10:00, day 1 is Sat 2月14日 (调休), then 24–27 Feb.
    assert DEFAULT.add_business_days(sh(2026, 2, 13, 10), 5) == sh(2026, 2, 27, 17, 30)


def test_five_working_days_across_national_day_2025() -> None:
    # From Fri 9月26日: 28 (Sun, 调休), 29, 30, then 10月9日, 10日.
    assert DEFAULT.add_business_days(sh(2025, 9, 26, 15), 5) == sh(2025, 10, 10, 17, 30)


def test_working_days_started_in_a_holiday_count_from_the_next_working_day() -> None:
    assert DEFAULT.add_business_days(sh(2026, 10, 3, 10), 1) == sh(2026, 10, 8, 17, 30)


def test_calendar_days_ending_in_a_holiday_move_to_the_next_working_day() -> None:
    # 15 days from 9月22日 is 10月7日 (holiday) → 10月8日 at close of business (art. 203).
    assert DEFAULT.add_calendar_days(sh(2026, 9, 22, 10), 15) == sh(2026, 10, 8, 17, 30)
    assert DEFAULT.add_calendar_days(sh(2026, 3, 2, 10), 15) == sh(2026, 3, 17, 17, 30)


def test_day_counts_need_at_least_one_day() -> None:
    with pytest.raises(CalendarError):
        DEFAULT.add_business_days(sh(2026, 3, 9, 10), 0)


# ------------------------------------------------------- calendar time
def test_calendar_time_variants_ignore_working_periods() -> None:
    start = sh(2026, 2, 13, 16)
    assert DEFAULT.add_time(start, 24 * H, TimeBasis.CALENDAR) == sh(2026, 2, 14, 16)
    assert DEFAULT.time_between(start, sh(2026, 2, 24, 16), TimeBasis.CALENDAR) == 11 * 24 * H
    assert DEFAULT.add_time(start, 4 * H, TimeBasis.BUSINESS) == sh(2026, 2, 14, 11)


# ----------------------------------------------------------- missing years
def test_year_without_data_raises_and_names_the_year() -> None:
    with pytest.raises(HolidayDataMissing, match="2027") as excinfo:
        DEFAULT.add_business_time(sh(2026, 12, 31, 16), 4 * H)
    assert excinfo.value.year == 2027


def test_year_before_the_package_data_raises_too() -> None:
    with pytest.raises(HolidayDataMissing):
        DEFAULT.is_open(sh(CHINA_DATA_YEARS.start - 1, 6, 2, 10))


def test_weekday_fallback_is_flagged() -> None:
    cal = BusinessCalendar(missing_year=MissingYearPolicy.WEEKDAYS)
    due = cal.add_business_time(sh(2026, 12, 31, 16), 4 * H)
    assert due == sh(2027, 1, 1, 11)  # 1 January assumed a workday: the flag says so
    assert cal.day_info(dt.date(2027, 1, 1)).assumed
    assert cal.years_without_holiday_data(sh(2026, 12, 31, 16), due) == frozenset({2027})


def test_entered_year_is_trusted() -> None:
    cal = BusinessCalendar(closed_dates=frozenset({dt.date(2027, 1, 1)}), entered_years={2027})
    assert cal.add_business_time(sh(2026, 12, 31, 16), 4 * H) == sh(2027, 1, 4, 11)
    assert cal.years_without_holiday_data(sh(2026, 12, 31), sh(2027, 1, 4)) == frozenset()


def test_without_china_holidays_no_year_is_missing() -> None:
    cal = BusinessCalendar(china_holidays=False)
    assert cal.is_open(sh(2030, 1, 1, 9))


# ------------------------------------------------------------------ DST
def _ny(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NY)


ROUND_THE_CLOCK_NY = BusinessCalendar(
    weekly=(parse_periods("00:00-24:00"),) * 7, tz=NY, china_holidays=False
)


def test_dst_spring_forward_day_has_23_business_hours() -> None:
    # America/New_York: 2026-03-08 02:00 → 03:00.
    day = ROUND_THE_CLOCK_NY.business_time_between(_ny(2026, 3, 8), _ny(2026, 3, 9))
    assert day == 23 * H


def test_dst_fall_back_day_has_25_business_hours() -> None:
    # America/New_York: 2026-11-01 02:00 → 01:00.
    day = ROUND_THE_CLOCK_NY.business_time_between(_ny(2026, 11, 1), _ny(2026, 11, 2))
    assert day == 25 * H


def test_office_hours_are_unaffected_by_a_night_dst_change() -> None:
    office = BusinessCalendar(
        weekly=week(parse_periods("09:00-17:00")), tz=NY, china_holidays=False
    )
    assert office.add_business_time(_ny(2026, 3, 6, 16), 2 * H) == _ny(2026, 3, 9, 10)


def test_period_spanning_the_dst_gap_is_an_hour_shorter() -> None:
    cal = BusinessCalendar(weekly=(parse_periods("01:00-03:30"),) * 7, tz=NY, china_holidays=False)
    assert cal.business_time_between(_ny(2026, 3, 8), _ny(2026, 3, 9)) == 1.5 * H


# ------------------------------------------------------------ validation
def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(CalendarError, match="naive"):
        DEFAULT.is_open(dt.datetime(2026, 3, 9, 10))


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(CalendarError):
        DEFAULT.add_business_time(sh(2026, 3, 9, 10), -H)


@pytest.mark.parametrize(
    "spans",
    [("08:00-12:00", "11:00-13:00"), ("22:00-06:00",), ("12:00-12:00",)],
)
def test_bad_periods_are_refused(spans: tuple[str, ...]) -> None:
    with pytest.raises(CalendarError):
        BusinessCalendar(weekly=week(parse_periods(*spans)))


def test_week_without_any_period_is_refused() -> None:
    with pytest.raises(CalendarError):
        BusinessCalendar(weekly=week(()))


def test_period_text_round_trips() -> None:
    assert str(WorkPeriod.parse("22:00–24:00")) == "22:00-24:00"


# --------------------------------------------------------------- properties
SPLIT_NY = BusinessCalendar(
    weekly=week(parse_periods("07:00-11:00", "16:30-20:00"), saturday=parse_periods("01:30-04:00")),
    tz=NY,
    china_holidays=False,
)
CALENDARS = st.sampled_from([LUNCH, DEFAULT, SPLIT_NY, ROUND_THE_CLOCK_NY])
STARTS = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 10, 31), timezones=st.just(UTC)
)
AMOUNTS = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(hours=150))


@settings(max_examples=150, deadline=None)
@given(cal=CALENDARS, start=STARTS, amount=AMOUNTS)
def test_add_then_between_round_trips(
    cal: BusinessCalendar, start: dt.datetime, amount: dt.timedelta
) -> None:
    assert cal.business_time_between(start, cal.add_business_time(start, amount)) == amount


def _walked_business_time(cal: BusinessCalendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """The open time in [a, b) walked interval by interval (the former algorithm)."""
    if b < a:
        return -_walked_business_time(cal, b, a)
    total = dt.timedelta(0)
    for begin, end in cal._intervals_from(a):
        if begin >= b:
            break
        total += min(end, b) - begin
    return total


@settings(max_examples=300, deadline=None)
@given(cal=CALENDARS, a=STARTS, b=STARTS)
def test_business_time_summed_by_day_equals_the_interval_walk(
    cal: BusinessCalendar, a: dt.datetime, b: dt.datetime
) -> None:
    """Across holidays, 调休 days, DST changes (New York) and round-the-clock days."""
    assert cal.business_time_between(a, b) == _walked_business_time(cal, a, b)


@settings(max_examples=100, deadline=None)
@given(cal=CALENDARS, start=STARTS, a=AMOUNTS, b=AMOUNTS)
def test_due_time_is_monotonic_in_the_amount(
    cal: BusinessCalendar, start: dt.datetime, a: dt.timedelta, b: dt.timedelta
) -> None:
    small, large = sorted((a, b))
    assert cal.add_business_time(start, small) <= cal.add_business_time(start, large)


@settings(max_examples=150, deadline=None)
@given(cal=CALENDARS, start=STARTS, amount=AMOUNTS)
def test_due_time_is_inside_an_open_period_or_at_its_end(
    cal: BusinessCalendar, start: dt.datetime, amount: dt.timedelta
) -> None:
    due = cal.add_business_time(start, amount)
    assert due >= start
    assert cal.is_open(due) or cal.is_open(due - dt.timedelta(microseconds=1))


@settings(max_examples=100, deadline=None)
@given(cal=CALENDARS, start=STARTS, n=st.integers(min_value=1, max_value=20))
def test_working_days_land_at_close_of_a_working_day(
    cal: BusinessCalendar, start: dt.datetime, n: int
) -> None:
    due = cal.add_business_days(start, n)
    assert cal.is_open(due - dt.timedelta(microseconds=1))
    assert not cal.is_open(due) or cal is ROUND_THE_CLOCK_NY
    assert due > start

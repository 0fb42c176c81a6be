"""Statutory limits of telecom appeals (电信用户申诉处理办法 art. 11 and 14).

Expected dates are worked out by hand from the rules and the State Council's published holiday
schedules (国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号: National Day
1–8 Oct 2025 with make-up working days Sun 28 Sep and Sat 11 Oct; Spring Festival 28 Jan–4 Feb
2025 with make-up working days Sun 26 Jan and Sat 8 Feb), and checked independently of the module
against ``chinese_calendar.is_workday`` where a test says so.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuqi.domain.calendar import CHINA_DATA_YEARS, BusinessCalendar
from yuqi.domain.regulator import (
    TimeBarStatus,
    add_months,
    appeal_deadlines,
    appeal_time_bar,
)

D = dt.date


# ----------------------------------------------------------------------------- time bar


def test_billing_dispute_is_in_time_on_the_corresponding_day_five_months_later() -> None:
    bar = appeal_time_bar("billing", D(2025, 3, 10), D(2025, 8, 10))
    assert bar.last_day == D(2025, 8, 10)
    assert bar.barred is False
    assert bar.status is TimeBarStatus.WITHIN
    assert bar.days_left == 0


def test_billing_dispute_is_barred_the_day_after() -> None:
    bar = appeal_time_bar("billing", D(2025, 3, 10), D(2025, 8, 11))
    assert bar.barred is True
    assert bar.status is TimeBarStatus.BARRED
    assert bar.days_left == -1


def test_other_dispute_has_two_years() -> None:
    assert appeal_time_bar("other", D(2024, 3, 10), D(2026, 3, 10)).barred is False
    assert appeal_time_bar("other", D(2024, 3, 10), D(2026, 3, 11)).barred is True
    # the same age is far too old for a billing dispute
    assert appeal_time_bar("billing", D(2024, 3, 10), D(2026, 3, 10)).barred is True


@pytest.mark.parametrize(
    ("event", "months", "last"),
    [
        (D(2025, 8, 31), 5, D(2026, 1, 31)),  # corresponding day exists
        (D(2025, 9, 30), 5, D(2026, 2, 28)),  # no 30 Feb: last day of February (art. 202)
        (D(2023, 9, 30), 5, D(2024, 2, 29)),  # leap year
        (D(2025, 10, 31), 5, D(2026, 3, 31)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2024, 2, 29), 24, D(2026, 2, 28)),  # 29 Feb + 2 years
        (D(2025, 12, 15), 5, D(2026, 5, 15)),  # across a year end
    ],
)
def test_month_arithmetic_at_month_ends_follows_civil_code_202(
    event: dt.date, months: int, last: dt.date
) -> None:
    assert add_months(event, months) == last


def test_time_bar_on_31_august_ends_31_january() -> None:
    assert appeal_time_bar("billing", D(2025, 8, 31), D(2026, 1, 31)).barred is False
    assert appeal_time_bar("billing", D(2025, 8, 31), D(2026, 2, 1)).barred is True


def test_missing_event_date_gives_unknown_not_an_error() -> None:
    bar = appeal_time_bar("billing", None, D(2025, 8, 11))
    assert bar.status is TimeBarStatus.UNKNOWN
    assert bar.barred is None
    assert bar.last_day is None
    assert not bar.known


def test_event_after_appeal_is_refused_in_both_languages() -> None:
    with pytest.raises(ValueError, match="晚于申诉日期") as info:
        appeal_time_bar("other", D(2025, 9, 2), D(2025, 9, 1))
    assert "after the appeal date" in str(info.value)


def test_unknown_dispute_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="billing"):
        appeal_time_bar("fraud", D(2025, 1, 1), D(2025, 2, 1))


def test_a_datetime_is_not_a_date() -> None:
    with pytest.raises(ValueError, match="appeal_date"):
        appeal_time_bar("other", D(2025, 1, 1), dt.datetime(2025, 2, 1, 9))  # type: ignore[arg-type]


@given(
    event=st.dates(D(2000, 1, 1), D(2040, 12, 31)),
    gap=st.integers(0, 900),
    dispute=st.sampled_from(["billing", "other"]),
)
def test_barred_exactly_after_the_last_day(event: dt.date, gap: int, dispute: str) -> None:
    appeal = event + dt.timedelta(days=gap)
    bar = appeal_time_bar(dispute, event, appeal)
    assert bar.last_day is not None
    assert bar.barred is (appeal > bar.last_day)
    # the last day is never more than the limit in 31-day months, never less than in 28-day ones
    months = 5 if dispute == "billing" else 24
    assert months * 28 <= (bar.last_day - event).days <= months * 31


# ------------------------------------------------------------------------------ deadlines


def test_acceptance_counts_working_days_from_the_day_after_receipt() -> None:
    # Mon 3 Mar 2025, an ordinary week: Tue 4 … Mon 10 are working days 1 … 5.
    assert appeal_deadlines(D(2025, 3, 3)).acceptance_due == D(2025, 3, 10)


def test_acceptance_over_national_day_uses_make_up_days() -> None:
    # Received Fri 26 Sep 2025: Sun 28 Sep (调休) 1, Mon 29 2, Tue 30 3, holidays 1–8 Oct,
    # Thu 9 Oct 4, Fri 10 Oct 5. A plain Monday–Friday count would say Fri 3 Oct (a holiday).
    deadlines = appeal_deadlines(D(2025, 9, 26))
    assert deadlines.acceptance_due == D(2025, 10, 10)
    assert not deadlines.provisional


def test_acceptance_over_spring_festival_2025() -> None:
    # Received Fri 24 Jan 2025: Sun 26 Jan (调休) 1, Mon 27 2, holidays 28 Jan–4 Feb,
    # Wed 5 Feb 3, Thu 6 4, Fri 7 5.
    assert appeal_deadlines(D(2025, 1, 24)).acceptance_due == D(2025, 2, 7)


def test_reply_is_30_calendar_days_after_complete_materials_moved_off_rest_days() -> None:
    deadlines = appeal_deadlines(D(2025, 9, 26))
    assert deadlines.materials_complete == D(2025, 9, 26)
    assert deadlines.reply_day_30 == D(2025, 10, 26)  # a Sunday
    assert deadlines.reply_due == D(2025, 10, 27)  # Civil Code art. 203


def test_reply_counts_from_complete_materials_when_they_came_later() -> None:
    deadlines = appeal_deadlines(D(2025, 3, 3), materials_complete=D(2025, 3, 12))
    assert deadlines.acceptance_due == D(2025, 3, 10)
    assert deadlines.reply_day_30 == D(2025, 4, 11)
    assert deadlines.reply_due == D(2025, 4, 11)  # a Friday


def test_materials_before_receipt_are_refused() -> None:
    with pytest.raises(ValueError, match="materials_complete"):
        appeal_deadlines(D(2025, 3, 3), materials_complete=D(2025, 3, 2))


def test_year_without_holiday_data_is_flagged_not_refused() -> None:
    beyond = CHINA_DATA_YEARS.stop  # first year the package does not know
    deadlines = appeal_deadlines(D(beyond, 3, 2))
    assert deadlines.provisional
    assert deadlines.years_without_holiday_data == frozenset({beyond})


def test_deadline_running_into_a_year_without_data_is_flagged() -> None:
    last_known = CHINA_DATA_YEARS.stop - 1
    deadlines = appeal_deadlines(D(last_known, 12, 30))
    assert deadlines.years_without_holiday_data == frozenset({last_known + 1})


def test_a_centre_calendar_with_a_closure_is_respected() -> None:
    closure = BusinessCalendar().with_dates(closed=[D(2025, 3, 5)])
    assert appeal_deadlines(D(2025, 3, 3), closure).acceptance_due == D(2025, 3, 11)


@given(st.dates(D(CHINA_DATA_YEARS.start, 1, 1), D(CHINA_DATA_YEARS.stop - 2, 12, 31)))
def test_acceptance_due_is_the_fifth_chinese_workday_after_receipt(received: dt.date) -> None:
    """Independent check: count ``chinese_calendar.is_workday`` days directly."""
    due = appeal_deadlines(received).acceptance_due
    counted = [
        received + dt.timedelta(days=k)
        for k in range(1, (due - received).days + 1)
        if chinese_calendar.is_workday(received + dt.timedelta(days=k))
    ]
    assert len(counted) == 5
    assert counted[-1] == due

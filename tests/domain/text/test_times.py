"""Time expressions: the conventions of ``yuqi.domain.text.times``.

Reference: Wednesday 25 November 2026, 10:30 in Beijing.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from yuqi.domain.text.times import add_working_days, find_times

BEIJING = timezone(timedelta(hours=8))
REFERENCE = datetime(2026, 11, 25, 10, 30, tzinfo=BEIJING)


def only(text: str):
    found = find_times(text, REFERENCE)
    assert len(found) == 1, found
    return found[0]


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("三点半前", at(25, 15, 30)),  # below 7 without a part of the day: afternoon
        ("八点前", at(25, 20)),  # 08:00 has passed at 10:30: this evening
        ("九点一刻前", at(25, 21, 15)),
        ("明天上午九点一刻前", at(26, 9, 15)),
        ("今天下午4点45前", at(25, 16, 45)),
        ("下午3:30之前", at(25, 15, 30)),
        ("今天上午9点到12点", at(25, 12)),  # a range: its end
        ("今晚十点前", at(25, 22)),
        ("中午12点之前", at(25, 12)),
    ],
)
def test_clock_times(text, deadline):
    assert only(text).deadline == deadline


def test_a_bare_clock_time_needs_a_marker():
    assert only("五点半").needs_marker
    assert only("五点半前").before


def test_a_start_is_not_a_deadline():
    assert only("下午三点半以后").after


@pytest.mark.parametrize("text", ["每天晚上8点", "现在都十点半了", "等了一下午", "到今天"])
def test_descriptions_are_marked(text):
    assert only(text).skip


def test_a_duration_with_half():
    found = only("两个半小时内")
    assert (found.within, found.within_unit, found.has_within) == (2.5, "hour", True)
    assert found.deadline == at(25, 13)


def test_half_a_month_is_fifteen_days():
    found = only("半个月内")
    assert (found.within, found.within_unit) == (15, "day")


def test_day_of_this_month_and_past_dates():
    assert only("本月28日前").deadline == datetime(2026, 11, 28, 23, 59, 59, tzinfo=BEIJING)
    assert only("11月3号").past
    assert only("5号前").deadline.month == 12  # asked for and passed: next month's


def test_this_weeks_monday_may_be_past_and_next_weeks_is_not():
    assert only("这周一").past
    assert only("下周一").deadline.day == 30


def test_working_days_skip_the_weekend():
    assert add_working_days(REFERENCE.date(), 3) == datetime(2026, 11, 30).date()


def test_a_little_is_not_one_oclock():
    assert find_times("快一点", REFERENCE)[0].kind == "asap"
    assert find_times("就超了一点点", REFERENCE) == []


def test_waiting_for_you_until_a_time_is_an_ultimatum_not_a_description():
    from tests.domain.text.extraction_cases import REFERENCE

    (expr,) = [t for t in find_times("我等你们到明天中午", REFERENCE) if t.kind != "asap"]
    assert not expr.skip
    assert expr.before
    assert expr.deadline.strftime("%m-%d %H:%M") == "11-26 12:00"
    (described,) = find_times("我一直等到五点", REFERENCE)
    assert described.skip


def test_tomorrow_in_a_promise_of_an_earlier_day_counts_from_that_day():
    from datetime import date

    from tests.domain.text.extraction_cases import REFERENCE

    (expr,) = find_times("明天上午", REFERENCE, base=date(2026, 11, 23))
    assert expr.deadline.strftime("%m-%d %H:%M") == "11-24 12:00"
    (today,) = find_times("今天下午", REFERENCE, base=date(2026, 11, 24))
    assert today.deadline.strftime("%m-%d %H:%M") == "11-25 18:00"

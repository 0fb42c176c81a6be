"""Quiet hours and retry back-off (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from yuqi.domain.sms_policy import QuietHours, QuietHoursError, quiet_until, retry_delay

SH = dt.timezone(dt.timedelta(hours=8))
NIGHT = QuietHours.parse("21:00-08:00", "09:30")


def weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SH)  # 2026-03-02 is a Monday


@pytest.mark.parametrize(
    ("moment", "until"),
    [
        (at(4, 10), None),  # Wednesday morning: send
        (at(4, 20, 59), None),
        (at(4, 21), at(5, 8)),  # Wednesday night → Thursday 08:00
        (at(5, 3), at(5, 8)),  # small hours of Thursday
        (at(5, 8), None),
        (at(6, 22), at(7, 9, 30)),  # Friday night → Saturday, a rest day: later
        (at(7, 8, 30), at(7, 9, 30)),  # Saturday 08:30 still quiet
        (at(7, 9, 30), None),
    ],
)
def test_quiet_until(moment, until):
    assert NIGHT is not None
    assert quiet_until(moment, NIGHT, weekend) == until


def test_quiet_hours_within_one_day():
    noon = QuietHours.parse("12:00-14:00")
    assert noon is not None
    assert quiet_until(at(4, 13), noon, weekend) == at(4, 14)
    assert quiet_until(at(4, 15), noon, weekend) is None


@pytest.mark.parametrize("text", ["21:00", "21-08", "25:00-08:00", "08:00-08:00", "a-b"])
def test_bad_quiet_hours_are_refused(text):
    with pytest.raises(QuietHoursError):
        QuietHours.parse(text)


def test_no_quiet_hours():
    assert QuietHours.parse("") is None


def test_retry_delay_doubles_and_is_capped():
    delays = [
        retry_delay(n, base_seconds=60, cap_seconds=600).total_seconds() for n in (1, 2, 3, 4, 5)
    ]
    assert delays == [60, 120, 240, 480, 600]
    with pytest.raises(ValueError, match="count from 1"):
        retry_delay(0, base_seconds=60)

"""When an SMS may go out: quiet hours and retry back-off (pure Python).

Quiet hours: texts to customers are not sent at night. ``21:00-08:00`` means from 21:00 to
08:00 the next morning; a text due then waits for the morning's end of quiet hours. On rest
days (weekends and public holidays by the business calendar, with 调休 working weekends
counted as working days) the morning ends later (``rest_day_end``), so nobody's holiday
starts with a status update at 8.

Back-off: attempt *n* (1-based) that failed for a transient reason (timeout, 5xx, throttling)
is tried again after ``base · 2^(n-1)``, capped: the usual exponential back-off (e.g. AWS
Architecture Blog, "Exponential Backoff And Jitter", 2015; without jitter here, as one
worker sends each message).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


class QuietHoursError(ValueError):
    """A quiet-hours setting that cannot be read."""


def _clock(text: str) -> dt.time:
    try:
        hours, minutes = text.strip().split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError as exc:
        raise QuietHoursError(f"{text!r}: expected HH:MM") from exc


@dataclass(frozen=True)
class QuietHours:
    start: dt.time
    end: dt.time
    rest_day_end: dt.time

    @classmethod
    def parse(cls, text: str, rest_day_end: str = "") -> QuietHours | None:
        """``"21:00-08:00"`` (and an optional later end on rest days); None for ``""``."""
        text = text.strip()
        if not text:
            return None
        if text.count("-") != 1:
            raise QuietHoursError(f"{text!r}: expected HH:MM-HH:MM")
        start, end = (_clock(part) for part in text.split("-"))
        if start == end:
            raise QuietHoursError(f"{text!r}: start and end are the same")
        rest = _clock(rest_day_end) if rest_day_end.strip() else end
        return cls(start, end, max(rest, end) if start > end else end)


def quiet_until(
    moment: dt.datetime, hours: QuietHours, is_rest_day: Callable[[dt.date], bool]
) -> dt.datetime | None:
    """None when a text may be sent at ``moment`` (aware, local time), else the local moment
    quiet hours end (the next morning's end, later on a rest day)."""
    day, clock = moment.date(), moment.time()

    def at(date: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(date, time, tzinfo=moment.tzinfo)

    if hours.start < hours.end:  # within one day, e.g. 12:00-14:00
        return at(day, hours.end) if hours.start <= clock < hours.end else None

    def morning_end(date: dt.date) -> dt.time:
        return hours.rest_day_end if is_rest_day(date) else hours.end

    if clock >= hours.start:
        tomorrow = day + dt.timedelta(days=1)
        return at(tomorrow, morning_end(tomorrow))
    if clock < morning_end(day):
        return at(day, morning_end(day))
    return None


def retry_delay(attempt: int, *, base_seconds: int, cap_seconds: int = 3600) -> dt.timedelta:
    """How long to wait after failed attempt ``attempt`` (1-based): base · 2^(attempt-1)."""
    if attempt < 1:
        raise ValueError("attempts count from 1")
    return dt.timedelta(seconds=min(cap_seconds, base_seconds * 2 ** (attempt - 1)))

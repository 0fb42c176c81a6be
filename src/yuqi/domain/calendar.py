"""Business calendars: working periods, China's statutory holidays and 调休, due-time arithmetic.

Why this module exists: help-desk users' most common complaint is SLA clocks that ignore lunch
breaks, split shifts and holidays ([anchor-systems-2026] §3.1 "SLA clock semantics": osTicket #1168,
frappe/helpdesk #2212, osTicket #6847, zammad #390). A call centre in China also works on some
weekends (调休 make-up working days) and rests on some weekdays, so a plain Monday–Friday rule
gives wrong deadlines around Spring Festival and National Day.

Model and assumptions
---------------------
* A calendar has a time zone (default Asia/Shanghai) and, for each weekday, zero or more working
  periods in local wall time (e.g. 08:30–12:00 and 13:30–17:30). A period ends at most at 24:00;
  a night shift that crosses midnight is written as two periods (22:00–24:00, 00:00–06:00).
* Open intervals are half-open, ``[start, end)``: at 12:00 a 08:30–12:00 period is closed.
* Business time is real elapsed time inside open intervals. Local period boundaries are turned
  into instants with :mod:`zoneinfo` and PEP 495 ``fold=0``: in a repeated hour (DST ends) the
  first occurrence is used, and a wall time that does not exist (DST starts) is read with the
  offset before the change, i.e. it lands just after the gap. On DST-free zones such as
  Asia/Shanghai every day is exactly 24 hours.
* The kind of each local date is decided in this order (first match wins):
  1. ``closed_dates`` — a local closure (typhoon day, company event): closed all day;
  2. ``open_dates`` — opened although it would be closed; uses
     :attr:`BusinessCalendar.workday_periods`;
  3. with ``china_holidays=True``, :func:`chinese_calendar.get_holiday_detail`: a statutory holiday
     or rest day (``(True, name)``) is closed; a 调休 make-up working day (``(False, name)``,
     always a Saturday or Sunday in the package's data) uses
     :attr:`BusinessCalendar.workday_periods`, i.e. ``makeup_periods`` if given, otherwise the
     periods of the first weekday, counted from Monday, that has any — a make-up Saturday is a
     normal working weekday, not the centre's (possibly shorter) Saturday shift;
  4. otherwise the weekly schedule.
* ``chinese_calendar`` only knows the years the State Council has published (2004–2026 in
  version 1.11; the next year's notice comes out in November or December). For any other year
  the calendar raises :class:`HolidayDataMissing` naming the year, unless that year is listed in
  ``entered_years`` (its holidays were entered by hand as ``closed_dates``/``open_dates``) or
  ``missing_year=MissingYearPolicy.WEEKDAYS`` asks for the weekly schedule as a stated
  assumption; :meth:`BusinessCalendar.years_without_holiday_data` then names the assumed years so
  the caller can flag the result.

Day counts follow the PRC Civil Code (民法典) art. 201 and 203: the starting day is not counted,
a last day that is a rest day moves to the next working day, and with business hours the period
ends when business stops that day.

All public operations take aware datetimes (any zone) and return aware datetimes in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import chinese_calendar

__all__ = [
    "CHINA_DATA_YEARS",
    "BusinessCalendar",
    "CalendarError",
    "DayInfo",
    "DayKind",
    "HolidayDataMissing",
    "MissingYearPolicy",
    "TimeBasis",
    "WorkPeriod",
    "parse_periods",
    "week",
]

UTC = dt.UTC
MIDNIGHT = dt.time(0)
SHANGHAI = ZoneInfo("Asia/Shanghai")

#: Years for which the installed ``chinese_calendar`` has the State Council's schedule. Read from
#: the package's public ``holidays`` table so upgrading the package widens it automatically.
CHINA_DATA_YEARS: range = range(
    min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1
)

#: How many consecutive closed days are scanned before giving up; a year is enough for any
#: real calendar, so hitting it means a configuration error rather than a long holiday.
MAX_CLOSED_DAYS = 400
_ONE_DAY = dt.timedelta(days=1)


class CalendarError(ValueError):
    """A calendar was configured or used in a way that has no meaningful answer."""


class HolidayDataMissing(CalendarError, LookupError):
    """No statutory holiday data for a year: the answer would silently assume plain weekdays.

    Raised so that managers are told which year's State Council schedule needs entering, instead
    of deadlines being computed as if every Monday–Friday were a workday.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"No statutory holiday data for {year}: chinese_calendar covers "
            f"{CHINA_DATA_YEARS.start}–{CHINA_DATA_YEARS.stop - 1}. Enter the State Council's "
            f"{year} schedule as closed/open dates and add {year} to entered_years."
        )


class MissingYearPolicy(StrEnum):
    """What to do for a date in a year without statutory holiday data."""

    RAISE = "raise"
    WEEKDAYS = "weekdays"


class TimeBasis(StrEnum):
    """Whether a target counts only open business time or all elapsed (calendar) time."""

    BUSINESS = "business"
    CALENDAR = "calendar"


class DayKind(StrEnum):
    """Why a local date has the working periods it has (for explanations and the admin CLI)."""

    WORKDAY = "workday"
    REST_DAY = "rest_day"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"
    CLOSED = "closed"
    OPEN = "open"


@dataclass(frozen=True, slots=True, order=True)
class WorkPeriod:
    """One working period in local wall time; ``end == 00:00`` means 24:00 (end of the day).

    Periods never cross midnight so that each belongs to exactly one local date, which is what
    holiday tables are keyed by.
    """

    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise CalendarError("working periods are local wall times; drop the tzinfo")
        if self.end != MIDNIGHT and self.end <= self.start:
            raise CalendarError(
                f"period {self} must end after it starts; split a night shift at 24:00"
            )

    @classmethod
    def parse(cls, text: str) -> WorkPeriod:
        """Read ``"08:30-12:00"`` (an en dash also works; ``24:00`` is allowed as the end)."""
        first, sep, second = text.replace("–", "-").partition("-")
        if not sep:
            raise CalendarError(f"expected 'HH:MM-HH:MM', got {text!r}")
        return cls(_parse_clock(first), _parse_clock(second))

    @property
    def end_minutes(self) -> float:
        """Minutes after midnight at the end, with 24:00 as 1440 (used to check overlaps)."""
        return 24 * 60 if self.end == MIDNIGHT else _minutes(self.end)

    @property
    def start_minutes(self) -> float:
        """Minutes after midnight at the start."""
        return _minutes(self.start)

    def __str__(self) -> str:
        end = "24:00" if self.end == MIDNIGHT else self.end.strftime("%H:%M")
        return f"{self.start.strftime('%H:%M')}-{end}"


def _parse_clock(text: str) -> dt.time:
    text = text.strip()
    if text == "24:00":
        return MIDNIGHT
    try:
        return dt.time.fromisoformat(text)
    except ValueError as exc:
        raise CalendarError(f"not a clock time: {text!r}") from exc


def _minutes(t: dt.time) -> float:
    return t.hour * 60 + t.minute + t.second / 60 + t.microsecond / 60e6


def parse_periods(*spans: str) -> tuple[WorkPeriod, ...]:
    """``parse_periods("08:30-12:00", "13:30-17:30")`` → a sorted tuple of periods."""
    return tuple(sorted(WorkPeriod.parse(span) for span in spans))


def week(
    weekdays: Sequence[WorkPeriod],
    saturday: Sequence[WorkPeriod] = (),
    sunday: Sequence[WorkPeriod] = (),
) -> tuple[tuple[WorkPeriod, ...], ...]:
    """A Monday..Sunday schedule with the same periods on Monday to Friday."""
    weekday = tuple(weekdays)
    return (weekday,) * 5 + (tuple(saturday), tuple(sunday))


DEFAULT_WEEK = week(parse_periods("08:30-12:00", "13:30-17:30"))


@dataclass(frozen=True, slots=True)
class DayInfo:
    """The working periods of one local date and the reason for them.

    ``assumed`` is True when the year has no statutory holiday data and the weekly schedule was
    used as an assumption (only with ``MissingYearPolicy.WEEKDAYS``).
    """

    day: dt.date
    kind: DayKind
    periods: tuple[WorkPeriod, ...]
    name: str | None = None
    assumed: bool = False

    @property
    def is_working_day(self) -> bool:
        """A working day is a date with at least one working period."""
        return bool(self.periods)

    @property
    def chinese_name(self) -> str | None:
        """The holiday's Chinese name (春节, 国庆节…) for Chinese pages; chinese_calendar
        reports English names such as ``"Spring Festival"``."""
        if self.name is None:
            return None
        try:
            return chinese_calendar.Holiday(self.name).chinese
        except ValueError:
            return self.name


Interval = tuple[dt.datetime, dt.datetime]

#: Dates a calendar instance remembers itself (beyond them the shared per-day cache answers).
_OWN_DAYS_MAX = 4096
#: The longest span of dates whose running open-time totals an instance keeps.
_SUM_DAYS_MAX = 1500


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """An immutable business calendar; see the module docstring for the rules and their order.

    Immutable so it can be cached, hashed and shared between threads, and so a change is a new
    calendar against which stored clock segments are simply recomputed.
    """

    weekly: tuple[tuple[WorkPeriod, ...], ...] = DEFAULT_WEEK
    tz: ZoneInfo = SHANGHAI
    china_holidays: bool = True
    makeup_periods: tuple[WorkPeriod, ...] | None = None
    closed_dates: frozenset[dt.date] = frozenset()
    open_dates: frozenset[dt.date] = frozenset()
    entered_years: frozenset[int] = frozenset()
    missing_year: MissingYearPolicy = MissingYearPolicy.RAISE
    name: str = field(default="default", compare=False)
    # Derived, not part of the value: the hash (hashing the weekly schedule's periods again on
    # every per-day cache look-up dominated pages that show many clocks) and this instance's
    # own per-day intervals (a hit needs no comparison of whole calendars).
    _hash: int = field(init=False, repr=False, compare=False)
    _days: dict[dt.date, tuple[Interval, ...]] = field(init=False, repr=False, compare=False)
    # Running totals of whole dates' open time (see _whole_days_open_time).
    _sums: tuple[dt.date, tuple[dt.timedelta, ...]] | None = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        weekly = tuple(tuple(sorted(day)) for day in self.weekly)
        makeup = None if self.makeup_periods is None else tuple(sorted(self.makeup_periods))
        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "makeup_periods", makeup)
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        object.__setattr__(self, "open_dates", frozenset(self.open_dates))
        object.__setattr__(self, "entered_years", frozenset(self.entered_years))
        object.__setattr__(self, "missing_year", MissingYearPolicy(self.missing_year))
        self._validate()
        object.__setattr__(
            self,
            "_hash",
            hash(
                (
                    self.weekly,
                    self.tz,
                    self.china_holidays,
                    self.makeup_periods,
                    self.closed_dates,
                    self.open_dates,
                    self.entered_years,
                    self.missing_year,
                )
            ),
        )
        object.__setattr__(self, "_days", {})
        object.__setattr__(self, "_sums", None)

    def __hash__(self) -> int:
        return self._hash

    def _validate(self) -> None:
        if len(self.weekly) != 7:
            raise CalendarError("weekly needs 7 entries, Monday to Sunday")
        if not any(self.weekly):
            raise CalendarError("a calendar needs at least one working period in its week")
        for periods in (*self.weekly, self.makeup_periods or ()):
            _check_no_overlap(periods)
        both = self.closed_dates & self.open_dates
        if both:
            raise CalendarError(f"dates both closed and open: {sorted(both)}")

    # ----------------------------------------------------------------- days
    @property
    def workday_periods(self) -> tuple[WorkPeriod, ...]:
        """Periods used on 调休 make-up days and ``open_dates``: ``makeup_periods``, else the
        first of Monday..Sunday that has any periods (normally Monday's)."""
        if self.makeup_periods is not None:
            return self.makeup_periods
        return next(periods for periods in self.weekly if periods)

    def day_info(self, day: dt.date) -> DayInfo:
        """Working periods of a local date and why; raises :class:`HolidayDataMissing`."""
        if day in self.closed_dates:
            return DayInfo(day, DayKind.CLOSED, ())
        if day in self.open_dates:
            return DayInfo(day, DayKind.OPEN, self.workday_periods)
        if self.china_holidays and day.year in CHINA_DATA_YEARS:
            return self._china_day(day)
        assumed = self._year_is_assumed(day.year)
        periods = self.weekly[day.weekday()]
        kind = DayKind.WORKDAY if periods else DayKind.REST_DAY
        return DayInfo(day, kind, periods, assumed=assumed)

    def _china_day(self, day: dt.date) -> DayInfo:
        is_rest, name = chinese_calendar.get_holiday_detail(day)
        if name is None:
            periods = self.weekly[day.weekday()]
            return DayInfo(day, DayKind.WORKDAY if periods else DayKind.REST_DAY, periods)
        if is_rest:
            return DayInfo(day, DayKind.HOLIDAY, (), name)
        return DayInfo(day, DayKind.MAKEUP_WORKDAY, self.workday_periods, name)

    def _year_is_assumed(self, year: int) -> bool:
        """True if ``year`` falls back to weekday rules; raises under the RAISE policy."""
        if not self.china_holidays or year in self.entered_years:
            return False
        if self.missing_year is MissingYearPolicy.RAISE:
            raise HolidayDataMissing(year)
        return True

    def years_without_holiday_data(self, start: dt.datetime, end: dt.datetime) -> frozenset[int]:
        """Years between two instants (local dates, inclusive) that this calendar would compute
        from weekday rules alone, so a result touching them must be flagged as provisional."""
        if not self.china_holidays:
            return frozenset()
        first, last = sorted((self._local_date(start), self._local_date(end)))
        return frozenset(
            year
            for year in range(first.year, last.year + 1)
            if year not in CHINA_DATA_YEARS and year not in self.entered_years
        )

    # ------------------------------------------------------------ intervals
    def _local_date(self, t: dt.datetime) -> dt.date:
        return _require_aware(t).astimezone(self.tz).date()

    def _instant(self, day: dt.date, clock: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, clock, tzinfo=self.tz).astimezone(UTC)

    def _period_interval(self, day: dt.date, period: WorkPeriod) -> Interval:
        end_day = day + dt.timedelta(days=1) if period.end == MIDNIGHT else day
        return self._instant(day, period.start), self._instant(end_day, period.end)

    def day_intervals(self, day: dt.date) -> tuple[Interval, ...]:
        """Open intervals of a local date as UTC instants, sorted and without overlaps.

        Cached per (calendar, date): the calendar is immutable and hashable, and the SLA job
        asks for the same few weeks of dates for every open ticket. This instance keeps its own
        answers too, so a repeated date costs one dict look-up.
        """
        found = self._days.get(day)
        if found is None:
            found = _day_intervals(self, day)
            if len(self._days) < _OWN_DAYS_MAX:
                self._days[day] = found
        return found

    def _compute_day_intervals(self, day: dt.date) -> tuple[Interval, ...]:
        """DST gaps can make two local periods overlap or invert once mapped to instants; they
        are merged or dropped here so every later computation sees clean intervals."""
        raw = sorted(self._period_interval(day, p) for p in self.day_info(day).periods)
        merged: list[Interval] = []
        for start, end in raw:
            if end <= start:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return tuple(merged)

    def _intervals_from(self, t: dt.datetime) -> Iterator[Interval]:
        """Open intervals that end after ``t``, clipped to start no earlier than ``t``."""
        cursor = _require_aware(t).astimezone(UTC)
        day = self._local_date(t)
        closed_days = 0
        while closed_days < MAX_CLOSED_DAYS:
            found = False
            for start, end in self.day_intervals(day):
                start = max(start, cursor)
                if end > start:
                    found = True
                    yield start, end
                    cursor = end
            closed_days = 0 if found else closed_days + 1
            day += dt.timedelta(days=1)
        raise CalendarError(f"no open period within {MAX_CLOSED_DAYS} days after {t}")

    # --------------------------------------------------------- business time
    def is_open(self, t: dt.datetime) -> bool:
        """True if ``t`` lies inside a working period (start included, end excluded)."""
        u = _require_aware(t).astimezone(UTC)
        return any(start <= u < end for start, end in self.day_intervals(self._local_date(t)))

    def next_open(self, t: dt.datetime) -> dt.datetime:
        """``t`` itself if open, otherwise the start of the next working period (UTC)."""
        start, _ = next(self._intervals_from(t))
        return start

    def add_business_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The instant at which ``amount`` of open time has passed since ``start`` (the due time).

        A due time that uses up a period exactly is that period's end (12:00, not 13:30 after
        lunch). A zero amount gives :meth:`next_open`, which keeps the result monotonic and
        continuous in ``amount``.
        """
        remaining = _require_non_negative(amount)
        for begin, end in self._intervals_from(start):
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
        raise AssertionError("unreachable: _intervals_from never ends normally")

    def business_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Open time in ``[a, b)``; negative if ``b`` is before ``a`` (like subtraction)."""
        if _require_aware(b) < _require_aware(a):
            return -self.business_time_between(b, a)
        # A local date's intervals lie within that date (a period ends at 24:00 at the latest),
        # so the dates between a's and b's count whole: their open time is summed from the
        # cached intervals without the clipping cursor and generator of _intervals_from.
        low, high = a.astimezone(UTC), b.astimezone(UTC)
        first, last = self._local_date(a), self._local_date(b)
        total = self._clipped_open_time(first, low, high)
        if last > first:
            if last - first > _ONE_DAY:
                total += self._whole_days_open_time(first + _ONE_DAY, last - _ONE_DAY)
            total += self._clipped_open_time(last, low, high)
        return total

    def _clipped_open_time(self, day: dt.date, low: dt.datetime, high: dt.datetime) -> dt.timedelta:
        total = dt.timedelta(0)
        for start, end in self.day_intervals(day):
            begin, finish = max(start, low), min(end, high)
            if finish > begin:
                total += finish - begin
        return total

    def _whole_days_open_time(self, first: dt.date, last: dt.date) -> dt.timedelta:
        """Open time of the whole local dates ``first``..``last`` (inclusive).

        A work queue recomputes dozens of clocks that all end now and started days or weeks
        ago: summing their dates one by one was a third of the page. This instance keeps
        running totals over one span of dates and answers from two look-ups. The span only
        grows to dates that were asked for or lie between asked dates, so no date is read
        (and no missing holiday year raised) that the date-by-date sum would not read.
        """
        kept = self._sums
        low, high = first, last
        if kept is not None:
            start, sums = kept
            lo, hi = (first - start).days, (last - start).days + 1
            if lo >= 0 and hi < len(sums):
                return sums[hi] - sums[lo]
            after = start + dt.timedelta(days=len(sums) - 1)  # the first date past the span
            if first <= after and last >= start - _ONE_DAY:  # touching: one span of asked dates
                low, high = min(first, start), max(last, after - _ONE_DAY)
        if (high - low).days >= _SUM_DAYS_MAX:
            return sum((self._day_open_time(d) for d in _dates(first, last)), dt.timedelta(0))
        running = [dt.timedelta(0)]
        for day in _dates(low, high):
            running.append(running[-1] + self._day_open_time(day))
        object.__setattr__(self, "_sums", (low, tuple(running)))
        return running[(last - low).days + 1] - running[(first - low).days]

    def _day_open_time(self, day: dt.date) -> dt.timedelta:
        return sum((end - start for start, end in self.day_intervals(day)), dt.timedelta(0))

    # --------------------------------------------------------- calendar time
    @staticmethod
    def add_calendar_time(start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """``start + amount`` of real elapsed time (24/7 targets), in UTC."""
        return _require_aware(start).astimezone(UTC) + _require_non_negative(amount)

    @staticmethod
    def calendar_time_between(a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Real elapsed time from ``a`` to ``b`` (negative if ``b`` is earlier)."""
        return _require_aware(b) - _require_aware(a)

    def add_time(self, start: dt.datetime, amount: dt.timedelta, basis: TimeBasis) -> dt.datetime:
        """:meth:`add_business_time` or :meth:`add_calendar_time`, chosen by a policy's basis."""
        if TimeBasis(basis) is TimeBasis.BUSINESS:
            return self.add_business_time(start, amount)
        return self.add_calendar_time(start, amount)

    def time_between(self, a: dt.datetime, b: dt.datetime, basis: TimeBasis) -> dt.timedelta:
        """:meth:`business_time_between` or :meth:`calendar_time_between` by basis."""
        if TimeBasis(basis) is TimeBasis.BUSINESS:
            return self.business_time_between(a, b)
        return self.calendar_time_between(a, b)

    # ------------------------------------------------------------ day counts
    def close_of_business(self, day: dt.date) -> dt.datetime:
        """End of the last working period of a local date; error if the date is closed."""
        intervals = self.day_intervals(day)
        if not intervals:
            raise CalendarError(f"{day} is not a working day")
        return intervals[-1][1]

    def add_business_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Close of business on the ``days``-th working day after the start's local date.

        For rules such as "decide within 5 working days": the starting day is not counted
        (Civil Code art. 201), so a start during a holiday or after hours counts from the next
        working day, and the deadline is when business stops that day (art. 203).
        """
        day = self._local_date(start)
        for _ in range(_require_positive_days(days)):
            day = self._next_working_day(day + dt.timedelta(days=1))
        return self.close_of_business(day)

    def add_calendar_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Close of business on the ``days``-th calendar day after the start's local date,
        moved to the next working day if that day is closed (Civil Code art. 201, 203).

        For rules such as "answer within 15 days"; with a 24-hour calendar the deadline is 24:00.
        """
        last = self._local_date(start) + dt.timedelta(days=_require_positive_days(days))
        return self.close_of_business(self._next_working_day(last))

    def _next_working_day(self, day: dt.date) -> dt.date:
        """``day`` or the first later local date with open time."""
        for offset in range(MAX_CLOSED_DAYS):
            candidate = day + dt.timedelta(days=offset)
            if self.day_intervals(candidate):
                return candidate
        raise CalendarError(f"no working day within {MAX_CLOSED_DAYS} days after {day}")

    def local(self, t: dt.datetime) -> dt.datetime:
        """``t`` in the calendar's time zone, for display."""
        return _require_aware(t).astimezone(self.tz)

    def with_dates(
        self,
        *,
        closed: Iterable[dt.date] = (),
        opened: Iterable[dt.date] = (),
    ) -> BusinessCalendar:
        """A copy with more closed/open dates: how a manager's edit becomes a new calendar."""
        return replace(
            self,
            closed_dates=self.closed_dates | frozenset(closed),
            open_dates=self.open_dates | frozenset(opened),
        )


def _dates(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every date from ``first`` to ``last``, both included."""
    day = first
    while day <= last:
        yield day
        day += _ONE_DAY


@lru_cache(maxsize=16_384)
def _day_intervals(calendar: BusinessCalendar, day: dt.date) -> tuple[Interval, ...]:
    return calendar._compute_day_intervals(day)


def _check_no_overlap(periods: Sequence[WorkPeriod]) -> None:
    for before, after in pairwise(periods):
        if after.start_minutes < before.end_minutes:
            raise CalendarError(f"working periods overlap: {before} and {after}")


def _require_aware(t: dt.datetime) -> dt.datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise CalendarError(f"naive datetime {t!r}: pass an aware datetime (UTC in the database)")
    return t


def _require_non_negative(amount: dt.timedelta) -> dt.timedelta:
    if amount < dt.timedelta(0):
        raise CalendarError(f"a duration to add must not be negative, got {amount}")
    return amount


def _require_positive_days(days: int) -> int:
    if days < 1:
        raise CalendarError(f"a period in days counts from the next day, so needs ≥ 1, got {days}")
    return days

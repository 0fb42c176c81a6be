"""Statutory limits of a telecom user's appeal (申诉) to the regulator.

Rules (电信用户申诉处理办法, MIIT; the text as published by the Hubei communications
administration, hubca.miit.gov.cn "电信用户申诉", and full-text reprints):

* art. 11 (1) — time bar: an appeal is not accepted (不予受理) if, for a charging/billing
  dispute (收费争议), more than **five months** have passed from the event to the appeal,
  and for any other dispute more than **two years**;
* art. 14 — the appeal body decides whether to accept **within 5 working days of receiving
  the appeal materials** (自收到申诉材料之日起5个工作日内), a refusal stating its reason;
* the appeal body answers the appellant **within 30 days of receiving the complete
  materials** (自收到全部申诉材料之日起30日内).

These are defaults for a centre's own tracking, not legal advice; rules change.

How periods are counted (PRC Civil Code 民法典, 2020):

* art. 201 — the day of the event (or of receipt) is not counted; the period starts the next
  day. "Within 5 working days of receiving" on a Monday that is a normal working day is
  therefore the following Monday (Tue, Wed, Thu, Fri, Mon are working days 1–5).
* art. 202 — a period in months or years ends on the corresponding day of the last month; if
  that month has no such day, on its last day. 31 Aug + 5 months → 31 Jan; 30 Sep + 5 months →
  28 Feb (29 Feb in a leap year); 29 Feb 2024 + 2 years → 28 Feb 2026.
* art. 203 — a last day that is a statutory rest day (法定休假日, which includes weekends)
  moves to the day after the rest ends. Applied to the 30-day reply (``reply_due``; the
  unmoved 30th day is ``reply_day_30``). **Not** applied to the time bar: an appeal can be
  lodged any day (12300 telephone line and website), and the bar is a limit on the event's
  age rather than a time to act within; ``TimeBar.last_day`` is the art. 202 day itself, so
  the check errs on the side of calling an appeal late a day or two early around holidays,
  never of promising the customer that a barred appeal is still open.

Working days: ``calendar=None`` means China's national working days — Monday to Friday, minus
the State Council's statutory holidays, plus its make-up working days (调休) — from the
``chinese_calendar`` package through :class:`yuqi.domain.calendar.BusinessCalendar`
(:data:`yuqi.domain.calendar.CHINA_DATA_YEARS`, 2004–2026 with chinese-calendar 1.11). For a
year without holiday data the plain Monday–Friday rule is used and the result names that year
in ``years_without_holiday_data`` (``provisional`` is then True), as the other clocks do.
"""

from __future__ import annotations

import calendar as _month_lengths
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from yuqi.domain.calendar import BusinessCalendar, MissingYearPolicy

__all__ = [
    "ACCEPTANCE_WORKING_DAYS",
    "LIMIT_MONTHS",
    "REPLY_DAYS",
    "AppealDeadlines",
    "Dispute",
    "TimeBar",
    "TimeBarStatus",
    "add_months",
    "appeal_deadlines",
    "appeal_time_bar",
]


class Dispute(StrEnum):
    """Kind of dispute for the time bar: charging/billing (收费争议) or any other."""

    BILLING = "billing"
    OTHER = "other"


class TimeBarStatus(StrEnum):
    WITHIN = "within"
    BARRED = "barred"
    UNKNOWN = "unknown"


#: Months after the event after which an appeal is no longer accepted (art. 11 (1)).
LIMIT_MONTHS: dict[Dispute, int] = {Dispute.BILLING: 5, Dispute.OTHER: 24}
#: Working days after receipt for the acceptance decision (art. 14).
ACCEPTANCE_WORKING_DAYS = 5
#: Calendar days after complete materials for the reply to the appellant.
REPLY_DAYS = 30


@dataclass(frozen=True, slots=True)
class TimeBar:
    """Whether an appeal is within its time bar.

    ``last_day`` is the last day on which the appeal is still in time (Civil Code art. 201–202
    applied to ``LIMIT_MONTHS`` from the event). With no event date the status is
    ``UNKNOWN`` and ``barred``, ``last_day`` and ``days_left`` are None: the page shows
    "unknown" rather than guessing. ``days_left`` is negative when barred (days late).
    """

    dispute: Dispute
    event_date: dt.date | None
    appeal_date: dt.date
    limit_months: int
    status: TimeBarStatus
    barred: bool | None
    last_day: dt.date | None
    days_left: int | None

    @property
    def known(self) -> bool:
        return self.status is not TimeBarStatus.UNKNOWN


@dataclass(frozen=True, slots=True)
class AppealDeadlines:
    """The appeal body's statutory deadlines for one appeal (dates, local to China).

    ``acceptance_due``: the 5th working day after ``received`` (receipt day not counted).
    ``reply_due``: the 30th calendar day after ``materials_complete``, moved to the next
    working day if it is a rest day (Civil Code art. 203); ``reply_day_30`` is that 30th day
    before the move. ``years_without_holiday_data`` lists years computed with Monday–Friday
    only (no statutory holiday data); ``provisional`` is True when it is not empty.
    Statutory clocks never pause: waiting for the customer does not move these dates.
    """

    received: dt.date
    materials_complete: dt.date
    acceptance_due: dt.date
    reply_day_30: dt.date
    reply_due: dt.date
    years_without_holiday_data: frozenset[int]

    @property
    def provisional(self) -> bool:
        return bool(self.years_without_holiday_data)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, on the corresponding day or the month's last
    (Civil Code art. 202): 31 Aug + 5 → 31 Jan; 30 Sep + 5 → 28/29 Feb; 31 Mar + 1 → 30 Apr."""
    if months < 0:
        raise ValueError(f"months must be ≥ 0, got {months}")
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = _month_lengths.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def appeal_time_bar(
    dispute: Dispute | str, event_date: dt.date | None, appeal_date: dt.date
) -> TimeBar:
    """Time bar of 电信用户申诉处理办法 art. 11 (1) for an appeal lodged on ``appeal_date``.

    ``dispute`` is ``"billing"`` (5 months) or ``"other"`` (2 years). The appeal is in time
    if ``appeal_date ≤ last_day`` with ``last_day = event_date + limit`` counted per Civil
    Code art. 201–202 (see the module docstring). ``event_date=None`` gives an ``UNKNOWN``
    time bar. Raises ``ValueError`` for an unknown dispute kind or an event after the appeal.
    """
    kind = _dispute(dispute)
    limit = LIMIT_MONTHS[kind]
    _require_date("appeal_date", appeal_date)
    if event_date is None:
        return TimeBar(kind, None, appeal_date, limit, TimeBarStatus.UNKNOWN, None, None, None)
    _require_date("event_date", event_date)
    if event_date > appeal_date:
        raise ValueError(
            f"事件日期 {event_date.isoformat()} 晚于申诉日期 {appeal_date.isoformat()} / "
            f"the event date {event_date.isoformat()} is after the appeal date "
            f"{appeal_date.isoformat()}"
        )
    last_day = add_months(event_date, limit)
    barred = appeal_date > last_day
    status = TimeBarStatus.BARRED if barred else TimeBarStatus.WITHIN
    days_left = (last_day - appeal_date).days
    return TimeBar(kind, event_date, appeal_date, limit, status, barred, last_day, days_left)


def appeal_deadlines(
    received: dt.date,
    calendar: BusinessCalendar | None = None,
    *,
    materials_complete: dt.date | None = None,
) -> AppealDeadlines:
    """Acceptance and reply deadlines of 电信用户申诉处理办法 art. 14 for an appeal.

    ``calendar=None`` uses China's national working days with 调休 (a default
    :class:`BusinessCalendar`); a centre's own calendar may be passed instead, whose
    ``closed_dates``/``open_dates`` then count too. Years without statutory holiday data are
    computed Monday–Friday and reported in ``years_without_holiday_data``, whatever the
    calendar's missing-year policy (the result is flagged instead of refused).
    ``materials_complete`` defaults to ``received``; it may not be earlier.
    """
    _require_date("received", received)
    complete = received if materials_complete is None else materials_complete
    _require_date("materials_complete", complete)
    if complete < received:
        raise ValueError(
            f"材料齐全日期 {complete.isoformat()} 早于收到日期 {received.isoformat()} / "
            f"materials_complete {complete.isoformat()} is before received "
            f"{received.isoformat()}"
        )
    base = calendar if calendar is not None else BusinessCalendar(name="china-national")
    working = replace(base, missing_year=MissingYearPolicy.WEEKDAYS)
    assumed: set[int] = set()

    def is_working(day: dt.date) -> bool:
        info = working.day_info(day)
        if info.assumed:
            assumed.add(day.year)
        return info.is_working_day

    day = received
    if _assumed(working, received):
        assumed.add(received.year)
    for _ in range(ACCEPTANCE_WORKING_DAYS):
        day = _next_working(day + dt.timedelta(days=1), is_working)
    reply_30 = complete + dt.timedelta(days=REPLY_DAYS)
    reply_due = _next_working(reply_30, is_working)
    return AppealDeadlines(received, complete, day, reply_30, reply_due, frozenset(assumed))


def _assumed(calendar: BusinessCalendar, day: dt.date) -> bool:
    return calendar.day_info(day).assumed


def _next_working(day: dt.date, is_working: Callable[[dt.date], bool]) -> dt.date:
    for offset in range(400):
        candidate = day + dt.timedelta(days=offset)
        if is_working(candidate):
            return candidate
    raise ValueError(f"no working day within 400 days after {day.isoformat()}")


def _dispute(value: Dispute | str) -> Dispute:
    try:
        return Dispute(value)
    except ValueError:
        raise ValueError(
            f"争议类型须为 billing 或 other，收到 {value!r} / dispute must be 'billing' or "
            f"'other', got {value!r}"
        ) from None


def _require_date(name: str, value: object) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"{name} must be a date (not a datetime), got {value!r}")

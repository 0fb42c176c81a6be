"""What other contexts may know of business calendars (ADR 0002).

* :func:`calendar_for` → an immutable :class:`yuqi.domain.calendar.BusinessCalendar` built with
  ``MissingYearPolicy.WEEKDAYS``: arithmetic never raises for a year without holiday data;
  callers flag such results with ``calendar.years_without_holiday_data(a, b)``.
* :func:`missing_holiday_years` → the years managers must enter.
* ``yuqi.calendars.signals.calendar_changed(sender, calendar_name)`` after any change.

Each call reads the database (a handful of queries); a job that computes many due times asks
once per team/calendar and reuses the object (it is immutable, and equal calendars share the
domain module's per-day cache).
"""

from __future__ import annotations

from yuqi.calendars import selectors
from yuqi.calendars.selectors import DueResult, UnknownCalendar, due_time
from yuqi.domain.calendar import BusinessCalendar

__all__ = [
    "DueResult",
    "UnknownCalendar",
    "calendar_for",
    "due_time",
    "missing_holiday_years",
    "missing_years_warning",
]


def calendar_for(*, team_id: int | None = None, name: str | None = None) -> BusinessCalendar:
    """The team's calendar, else the named one, else the default.

    A team without a mapping falls through to ``name``/the default; an unknown ``name``
    raises :class:`UnknownCalendar` (a ``DomainError``, code ``not_found``).
    """
    return selectors.domain_calendar(team_id=team_id, name=name)


def missing_holiday_years(*, horizon_days: int = 400) -> list[int]:
    """Years inside the horizon (from today, Asia/Shanghai) that neither ``chinese_calendar``
    nor the entered-years table covers for some calendar that follows China's holidays."""
    return selectors.missing_holiday_years(horizon_days=horizon_days)


def missing_years_warning(*, horizon_days: int = 400) -> str | None:
    """The warning shown to managers, or None when every year in the horizon is covered."""
    return selectors.missing_years_warning(missing_holiday_years(horizon_days=horizon_days))

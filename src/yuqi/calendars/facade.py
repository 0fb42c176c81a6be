"""What other contexts may know of business calendars (ADR 0002).

* :func:`calendar_for` → an immutable :class:`yuqi.domain.calendar.BusinessCalendar` built with
  ``MissingYearPolicy.WEEKDAYS``: arithmetic never raises for a year without holiday data;
  callers flag such results with ``calendar.years_without_holiday_data(a, b)``.
* :func:`missing_holiday_years` → the years managers must enter.
* ``yuqi.calendars.signals.calendar_changed(sender, calendar_name)`` after any change.

Each call reads the database (a handful of queries). A request or job that computes many due
times runs inside :func:`calendars_cached`: there each (team, name) calendar is read once and
reused (it is immutable, and equal calendars share the domain module's per-day cache). The
cache lives in a context variable, so it never outlives the block nor leaks between threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from yuqi.calendars import selectors
from yuqi.calendars.selectors import DueResult, UnknownCalendar, due_time
from yuqi.domain.calendar import BusinessCalendar

__all__ = [
    "DueResult",
    "UnknownCalendar",
    "calendar_for",
    "calendars_cached",
    "due_time",
    "missing_holiday_years",
    "missing_years_warning",
    "teams_with_own_calendar",
]


def calendar_for(*, team_id: int | None = None, name: str | None = None) -> BusinessCalendar:
    """The team's calendar, else the named one, else the default.

    A team without a mapping falls through to ``name``/the default; an unknown ``name``
    raises :class:`UnknownCalendar` (a ``DomainError``, code ``not_found``). Inside
    :func:`calendars_cached` the team mappings are read once (one query) and each distinct
    calendar is built once, however many teams or clocks share it.
    """
    cache = _cache.get()
    if cache is None:
        return selectors.domain_calendar(team_id=team_id, name=name)
    key = (team_id, name)
    if key in cache.calendars:
        return cache.calendars[key]
    found = None
    if team_id is not None:
        if cache.teams is None:
            cache.teams = selectors.team_calendar_ids()
        calendar_id = cache.teams.get(team_id)
        if calendar_id is not None:
            if calendar_id not in cache.by_id:
                cache.by_id[calendar_id] = selectors.domain_calendar_by_id(calendar_id)
            found = cache.by_id[calendar_id]
    if found is None:
        fallback = (None, name)
        if fallback not in cache.calendars:
            cache.calendars[fallback] = selectors.domain_calendar(team_id=None, name=name)
        found = cache.calendars[fallback]
    cache.calendars[key] = found
    return found


@dataclass
class _Cache:
    calendars: dict[tuple[int | None, str | None], BusinessCalendar] = field(default_factory=dict)
    teams: dict[int, int] | None = None
    by_id: dict[int, BusinessCalendar | None] = field(default_factory=dict)


_cache: ContextVar[_Cache | None] = ContextVar("yuqi_calendars_cache", default=None)


def teams_with_own_calendar() -> list[int]:
    """The teams mapped to a calendar of their own (every other team, and no team, works on
    the default calendar); read once inside :func:`calendars_cached`."""
    cache = _cache.get()
    if cache is None:
        return sorted(selectors.team_calendar_ids())
    if cache.teams is None:
        cache.teams = selectors.team_calendar_ids()
    return sorted(cache.teams)


@contextmanager
def calendars_cached() -> Iterator[None]:
    """Within the block (one request, one job), :func:`calendar_for` reads each (team, name)
    calendar once. Nested blocks share the outer cache."""
    if _cache.get() is not None:
        yield
        return
    token = _cache.set(_Cache())
    try:
        yield
    finally:
        _cache.reset(token)


def missing_holiday_years(*, horizon_days: int = 400) -> list[int]:
    """Years inside the horizon (from today, Asia/Shanghai) that neither ``chinese_calendar``
    nor the entered-years table covers for some calendar that follows China's holidays."""
    return selectors.missing_holiday_years(horizon_days=horizon_days)


def missing_years_warning(*, horizon_days: int = 400) -> str | None:
    """The warning shown to managers, or None when every year in the horizon is covered."""
    return selectors.missing_years_warning(missing_holiday_years(horizon_days=horizon_days))

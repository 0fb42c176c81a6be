"""What other contexts may know of business calendars (ADR 0002).

* :func:`calendar_for` → an immutable :class:`yuqi.domain.calendar.BusinessCalendar` built with
  ``MissingYearPolicy.WEEKDAYS``: arithmetic never raises for a year without holiday data;
  callers flag such results with ``calendar.years_without_holiday_data(a, b)``.
* :func:`missing_holiday_years` → the years managers must enter.
* ``yuqi.calendars.signals.calendar_changed(sender, calendar_name)`` after any change.

Each call reads the database (a handful of queries). A request or job that computes many due
times runs inside :func:`calendars_cached`: there each (team, name) calendar is read once and
reused (it is immutable, and equal calendars share the domain module's per-day cache).

The built calendars are also kept between blocks, in the process, keyed on the token of
:class:`yuqi.calendars.models.CalendarsVersion`, which every saved or deleted calendar row
changes in its own transaction (``yuqi.calendars.signals``). A block's first read asks for the
token (one query): the same token reuses what an earlier block built, another one starts
afresh. So a change is seen by every process on its next request, and a token never comes back
(a new random one per change), so rows read inside a transaction that was rolled back are never
taken for the committed ones. Outside a block every call reads the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

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
    cache = _current()
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
    """What was built from one state of the calendar rows (``token``; None: kept for one
    block only, when the token row is missing)."""

    token: str | None = None
    calendars: dict[tuple[int | None, str | None], BusinessCalendar] = field(default_factory=dict)
    teams: dict[int, int] | None = None
    by_id: dict[int, BusinessCalendar | None] = field(default_factory=dict)
    missing_years: dict[tuple[date, int], list[int]] = field(default_factory=dict)


@dataclass
class _Block:
    """One :func:`calendars_cached` block; its cache is found on the first read."""

    cache: _Cache | None = None


_block: ContextVar[_Block | None] = ContextVar("yuqi_calendars_block", default=None)

#: The cache of the latest token this process has seen (shared by its threads: the calendars
#: are immutable and entries are only ever added).
_kept: _Cache | None = None


def _current() -> _Cache | None:
    """The cache of the current block (None outside one), checked against the token once."""
    block = _block.get()
    if block is None:
        return None
    if block.cache is None:
        block.cache = _kept_for(selectors.calendars_token())
    return block.cache


def _kept_for(token: str | None) -> _Cache:
    global _kept
    if token is None:
        return _Cache()
    kept = _kept
    if kept is None or kept.token != token:
        kept = _Cache(token=token)
        _kept = kept
    return kept


def teams_with_own_calendar() -> list[int]:
    """The teams mapped to a calendar of their own (every other team, and no team, works on
    the default calendar); read once inside :func:`calendars_cached`."""
    cache = _current()
    if cache is None:
        return sorted(selectors.team_calendar_ids())
    if cache.teams is None:
        cache.teams = selectors.team_calendar_ids()
    return sorted(cache.teams)


@contextmanager
def calendars_cached() -> Iterator[None]:
    """Within the block (one request, one job), :func:`calendar_for` reads each (team, name)
    calendar once, or not at all when the calendar rows have not changed since an earlier
    block built it. Nested blocks share the outer cache."""
    if _block.get() is not None:
        yield
        return
    token = _block.set(_Block())
    try:
        yield
    finally:
        _block.reset(token)


def missing_holiday_years(*, horizon_days: int = 400) -> list[int]:
    """Years inside the horizon (from today, Asia/Shanghai) that neither ``chinese_calendar``
    nor the entered-years table covers for some calendar that follows China's holidays.
    Inside :func:`calendars_cached`, kept per day like the calendars."""
    cache = _current()
    if cache is None:
        return selectors.missing_holiday_years(horizon_days=horizon_days)
    key = (selectors.local_today(), horizon_days)
    if key not in cache.missing_years:
        cache.missing_years[key] = selectors.missing_holiday_years(
            horizon_days=horizon_days, today=key[0]
        )
    return list(cache.missing_years[key])


def missing_years_warning(*, horizon_days: int = 400) -> str | None:
    """The warning shown to managers, or None when every year in the horizon is covered."""
    return selectors.missing_years_warning(missing_holiday_years(horizon_days=horizon_days))

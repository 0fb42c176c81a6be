"""Measures that a context computes and a read model (the balanced scorecard, the consistency
check) shows: the owning context registers a source in its ``AppConfig.ready()``::

    register_measure_source("qa_score", qa_score_for_period)

so ``operations`` never imports ``quality``, ``knowledge`` or ``workforce``. A source takes the
first and last local day of the period (both included) and returns a :class:`MeasureReading`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class MeasureReading:
    """A measure's value for a period, or ``value=None`` and the ``reason`` there is none.

    ``n`` is the number of observations behind the value, ``low``/``high`` its 95 % interval
    when one exists, ``link`` the page the value comes from (shown as the cell's link),
    ``note`` a short figure shown beside it (e.g. "12 open and overdue"), ``source`` the
    name of the page or facade the value comes from (for the definitions and the closing
    notes). Fields after ``link`` are optional and may be added to, never reordered.
    """

    value: float | None
    reason: str = ""
    n: int | None = None
    low: float | None = None
    high: float | None = None
    link: str = ""
    note: str = ""
    source: str = ""
    #: When the value was computed, if it is a stored figure of some moment rather than a
    #: fresh count (the page then says "Figures as of …"); ``None``: as of now.
    as_of: datetime | None = None


MeasureSource = Callable[[date, date], MeasureReading]

_SOURCES: dict[str, MeasureSource] = {}


def register_measure_source(code: str, source: MeasureSource) -> None:
    """Register ``source`` for measure ``code`` (registering again replaces it)."""
    _SOURCES[code] = source


def measure_source(code: str) -> MeasureSource | None:
    return _SOURCES.get(code)


def registered_codes() -> tuple[str, ...]:
    return tuple(sorted(_SOURCES))


#: ``today`` → the periods (first day, last day) a page reads a measure for by default that
#: day, so the context owning a measure it stores ahead (the worker's jobs) can compute them
#: before the page asks.
DefaultPeriods = Callable[[date], Iterable[tuple[date, date]]]

_DEFAULT_PERIODS: dict[str, dict[str, DefaultPeriods]] = {}


def register_default_periods(code: str, name: str, periods: DefaultPeriods) -> None:
    """Register, under ``name`` (registering again replaces), the periods some page reads
    measure ``code`` for by default."""
    _DEFAULT_PERIODS.setdefault(code, {})[name] = periods


def default_periods(code: str, today: date) -> set[tuple[date, date]]:
    """Every period some page reads measure ``code`` for by default on ``today``."""
    return {
        period for periods in _DEFAULT_PERIODS.get(code, {}).values() for period in periods(today)
    }


# --- one scope of readings -------------------------------------------------------------------
# A read model that asks many measures at once (the scorecard: every measure, this period and
# the last) opens a scope; a source may keep work it shares between measures (one survey
# analysis serves CSAT, NPS, CES and the achievement rate) in the scope's memo. Outside a
# scope there is no memo, so nothing stale outlives one page.

_SCOPE: ContextVar[dict[Hashable, Any] | None] = ContextVar("measure_scope", default=None)


@contextmanager
def reading_scope() -> Iterator[None]:
    """Open a memo shared by the sources read inside the ``with`` block."""
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def scope_memo() -> dict[Hashable, Any] | None:
    """The open scope's memo, or ``None`` outside :func:`reading_scope`."""
    return _SCOPE.get()


# --- agent time for the KPI engine's occupancy -------------------------------------------------
# The context that holds the ACD's agent states (workforce) registers one source; the KPI
# engine asks it for the time each agent was available and busy, per local time bucket, so
# operations never imports workforce.


@dataclass(frozen=True)
class AgentTime:
    """Seconds of one agent in one bucket: ``available`` = ready + on contact + wrap (logged
    in, less break and not ready); ``busy`` = on contact + wrap."""

    available: int
    busy: int


#: ``(first day, last day, bucket minutes (15, 30, 60 or 1440 for a local day), agent codes or
#: None for all)`` → ``{(agent code, aware start of the local bucket): AgentTime}``; an empty
#: answer means no agent states in the period.
AgentTimeSource = Callable[
    [date, date, int, frozenset[str] | None], dict[tuple[str, Any], AgentTime]
]

_AGENT_TIME: list[AgentTimeSource] = []


def register_agent_time_source(source: AgentTimeSource) -> None:
    """Register the source of agents' available and busy time (registering again replaces)."""
    _AGENT_TIME[:] = [source]


def agent_time_source() -> AgentTimeSource | None:
    return _AGENT_TIME[0] if _AGENT_TIME else None

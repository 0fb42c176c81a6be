"""Measures that a context computes and a read model (the balanced scorecard, the consistency
check) shows: the owning context registers a source in its ``AppConfig.ready()``::

    register_measure_source("qa_score", qa_score_for_period)

so ``operations`` never imports ``quality``, ``knowledge`` or ``workforce``. A source takes the
first and last local day of the period (both included) and returns a :class:`MeasureReading`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
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


MeasureSource = Callable[[date, date], MeasureReading]

_SOURCES: dict[str, MeasureSource] = {}


def register_measure_source(code: str, source: MeasureSource) -> None:
    """Register ``source`` for measure ``code`` (registering again replaces it)."""
    _SOURCES[code] = source


def measure_source(code: str) -> MeasureSource | None:
    return _SOURCES.get(code)


def registered_codes() -> tuple[str, ...]:
    return tuple(sorted(_SOURCES))


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

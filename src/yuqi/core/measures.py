"""Measures that a context computes and a read model (the balanced scorecard, the consistency
check) shows: the owning context registers a source in its ``AppConfig.ready()``::

    register_measure_source("qa_score", qa_score_for_period)

so ``operations`` never imports ``quality``, ``knowledge`` or ``workforce``. A source takes the
first and last local day of the period (both included) and returns a :class:`MeasureReading`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class MeasureReading:
    """A measure's value for a period, or ``value=None`` and the ``reason`` there is none.

    ``n`` is the number of observations behind the value, ``low``/``high`` its 95 % interval
    when one exists, ``link`` the page the value comes from (shown as the cell's link).
    """

    value: float | None
    reason: str = ""
    n: int | None = None
    low: float | None = None
    high: float | None = None
    link: str = ""


MeasureSource = Callable[[date, date], MeasureReading]

_SOURCES: dict[str, MeasureSource] = {}


def register_measure_source(code: str, source: MeasureSource) -> None:
    """Register ``source`` for measure ``code`` (registering again replaces it)."""
    _SOURCES[code] = source


def measure_source(code: str) -> MeasureSource | None:
    return _SOURCES.get(code)


def registered_codes() -> tuple[str, ...]:
    return tuple(sorted(_SOURCES))

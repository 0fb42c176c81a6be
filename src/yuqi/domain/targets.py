"""A measure against its target: which way is better, and the status of a value.

One rule for the scorecard's colours and the dashboard's badges (they were two copies):

* higher is better: value ≥ target → met; else value ≥ warning → warning; else missed;
* lower is better: value ≤ target → met; else value ≤ warning → warning; else missed;
* no warning level: met or missed only; no target: ``NO_TARGET``; no value: ``NO_DATA``.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

__all__ = ["TargetDirection", "TargetStatus", "is_better", "target_status"]


class TargetDirection(StrEnum):
    """Which way a measure improves (the values of ``ScorecardMeasure.direction``)."""

    HIGHER = "higher"
    LOWER = "lower"


class TargetStatus(StrEnum):
    MET = "met"
    WARNING = "warning"
    MISSED = "missed"
    NO_TARGET = "none"
    NO_DATA = "nodata"


def target_status(
    value: float | None,
    *,
    target: float | Decimal | None,
    warning: float | Decimal | None,
    direction: str,
) -> TargetStatus:
    """The status of ``value`` (the rule in the module docstring)."""
    if value is None:
        return TargetStatus.NO_DATA
    if target is None:
        return TargetStatus.NO_TARGET
    sign = 1 if direction == TargetDirection.HIGHER else -1
    if sign * value >= sign * float(target):
        return TargetStatus.MET
    if warning is not None and sign * value >= sign * float(warning):
        return TargetStatus.WARNING
    return TargetStatus.MISSED


def is_better(delta: float, direction: str) -> bool:
    """Whether a change of ``delta`` (non-zero) is an improvement."""
    return (delta > 0) == (direction == TargetDirection.HIGHER)

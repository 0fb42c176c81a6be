"""Expectations that are too low, and service that exceeds expectation by a wide margin.

The founding document 000 says a lower expectation is not better: "如果客户期望一旦很低，那说明
客户对服务或产品无所求，也即可有可无，更谈不上满意及忠诚". Two flags follow from a SERVQUAL
item's (or dimension's) mean expectation E, mean perception P and paired gap P − E with its
95 % interval, all on the 1–7 SERVQUAL scale:

* **possibly over-served** — the lower end of the interval of P − E is above
  :data:`OVER_SERVED_MARGIN` (+0.5 points): we deliver clearly more than customers expect, so
  resources may be better spent elsewhere. An interval that reaches down to the margin is not
  enough: the point estimate alone never flags.
* **expectation unusually low** — with at least :data:`MIN_ANSWERS` answers, either E is in
  the bottom of the scale (E ≤ :data:`LOW_CEILING` = 3.0, below the neutral 4: customers on
  average do not expect an excellent centre to do this), or E is at least
  :data:`NORM_DROP` (1.5) points below the norm, the median E of all items of the same survey
  in the same period: customers expecting nothing may be leaving.

Both rules are deliberately conservative; the thresholds are module constants so that a
centre can read (and a test can pin) exactly what fires.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

__all__ = [
    "LOW_CEILING",
    "MIN_ANSWERS",
    "NORM_DROP",
    "OVER_SERVED_MARGIN",
    "LevelFlags",
    "level_flags",
    "norm",
]

OVER_SERVED_MARGIN = 0.5
"""P − E must be above this (points on the 1–7 scale) with its whole interval."""
LOW_CEILING = 3.0
"""E at or below this is in the bottom of the 1–7 scale."""
NORM_DROP = 1.5
"""E this many points or more below the survey's norm is unusually low."""
MIN_ANSWERS = 20
"""Fewer answers than this never flag an expectation as low."""


@dataclass(frozen=True, slots=True)
class LevelFlags:
    over_served: bool
    too_low: bool
    reasons: tuple[str, ...]

    @property
    def any(self) -> bool:
        return self.over_served or self.too_low


def _number(value: float | None) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def norm(expectations: Iterable[float | None]) -> float | None:
    """The norm E of a survey: the median of its items' mean expectations (None if none)."""
    values = [v for v in (_number(e) for e in expectations) if v is not None]
    return float(median(values)) if values else None


def level_flags(
    *,
    expectation: float | None,
    gap_low: float | None,
    n: int,
    survey_norm: float | None = None,
    margin: float = OVER_SERVED_MARGIN,
) -> LevelFlags:
    """The two flags of one item (see the module docstring); ``reasons`` are rule codes:
    ``over_served``, ``low_on_scale``, ``below_norm``. Missing numbers never flag."""
    reasons: list[str] = []
    low = _number(gap_low)
    if low is not None and low > margin:
        reasons.append("over_served")
    e = _number(expectation)
    m = _number(survey_norm)
    if e is not None and n >= MIN_ANSWERS:
        if e <= LOW_CEILING:
            reasons.append("low_on_scale")
        elif m is not None and e <= m - NORM_DROP:
            reasons.append("below_norm")
    return LevelFlags(
        over_served="over_served" in reasons,
        too_low=bool({"low_on_scale", "below_norm"} & set(reasons)),
        reasons=tuple(reasons),
    )

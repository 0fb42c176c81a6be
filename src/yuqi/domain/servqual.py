"""SERVQUAL: service quality as the gap between perception and expectation.

Each respondent answers every item twice on a 1–7 scale — what an excellent service centre
would do (expectation, E) and what this centre does (perception, P) — and may split 100
points across the five dimensions by importance. The gap ``P − E`` is negative when the
service falls short of what customers expect.

Scoring (Parasuraman, Zeithaml & Berry 1988; Zeithaml, Parasuraman & Berry 1990,
"Delivering Quality Service", appendix on computing SERVQUAL scores; Parasuraman, Berry &
Zeithaml 1991 for the point allocation)::

    item gap              g_ri  = P_ri − E_ri                    respondent r, item i
    dimension gap         G_rd  = mean of g_ri over r's answered items of dimension d
    unweighted SERVQUAL   U_r   = mean of G_rd over the dimensions
    weighted SERVQUAL     W_r   = Σ_d (points_rd / 100) · G_rd
    reported scores       mean over respondents, with a Student t interval

With complete answers the dimension gap equals the mean of the item gaps of that
dimension. Respondents who skipped a whole dimension are left out of ``U``; those who gave
no allocation, or gave points to a dimension they did not answer, are left out of ``W``.
``U`` averages over the dimensions the item map asks about (all five for the standard
instrument).
Each reported :class:`Score` states how many respondents it rests on.

Sources
-------
* Parasuraman, A., Zeithaml, V. A. & Berry, L. L. (1988). SERVQUAL: a multiple-item scale
  for measuring consumer perceptions of service quality. Journal of Retailing 64(1), 12–40.
* Parasuraman, A., Berry, L. L. & Zeithaml, V. A. (1991). Refinement and reassessment of the
  SERVQUAL scale. Journal of Retailing 67(4), 420–450.
* Zeithaml, V. A., Parasuraman, A. & Berry, L. L. (1990). Delivering Quality Service.
  Free Press.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from yuqi.domain.estimates import mean as t_mean

DIMENSIONS: tuple[str, ...] = (
    "tangibles",
    "reliability",
    "responsiveness",
    "assurance",
    "empathy",
)
"""The five SERVQUAL dimensions, in the order of the instrument."""

SCALE_MIN, SCALE_MAX = 1, 7
ALLOCATION_TOTAL = 100.0
_ALLOCATION_TOLERANCE = 1e-6

PZB_1988_ITEMS: dict[int, str] = {
    **dict.fromkeys(range(1, 5), "tangibles"),
    **dict.fromkeys(range(5, 10), "reliability"),
    **dict.fromkeys(range(10, 14), "responsiveness"),
    **dict.fromkeys(range(14, 18), "assurance"),
    **dict.fromkeys(range(18, 23), "empathy"),
}
"""The 22 items of the 1988 instrument numbered 1–22, mapped to their dimension."""

type ItemId = Hashable


@dataclass(frozen=True, slots=True)
class ServqualResponse:
    """One respondent: ``answers`` maps item → (expectation, perception), both 1–7;
    ``importance`` optionally maps dimension → points, adding up to 100."""

    answers: Mapping[ItemId, tuple[int, int]]
    importance: Mapping[str, float] | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """A mean over ``n`` respondents with its t interval (None when ``n < 2``)."""

    value: float
    ci_low: float | None
    ci_high: float | None
    n: int


@dataclass(frozen=True, slots=True)
class ItemScore:
    item: ItemId
    dimension: str
    expectation: float
    perception: float
    gap: Score


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """Dimension means over respondents; ``importance`` is the mean share of the 100 points
    (0–1) among respondents who allocated them, or None if nobody did."""

    dimension: str
    items: int
    expectation: float
    perception: float
    gap: Score
    importance: float | None


@dataclass(frozen=True, slots=True)
class ServqualResult:
    respondents: int
    items: tuple[ItemScore, ...]
    dimensions: tuple[DimensionScore, ...]
    unweighted: Score | None
    weighted: Score | None


# --------------------------------------------------------------------------- validation


def validate_allocation(allocation: Mapping[str, float]) -> dict[str, float]:
    """Check a 100-point importance allocation and return it as shares (points / 100).

    Keys must be SERVQUAL dimensions (a missing dimension counts as 0 points); points must
    be finite and non-negative and add up to 100 (within 1e-6).
    """
    unknown = sorted(str(key) for key in allocation if key not in DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown SERVQUAL dimension(s) {unknown}; expected {DIMENSIONS}")
    points = {dimension: float(allocation.get(dimension, 0.0)) for dimension in DIMENSIONS}
    bad = {d: p for d, p in points.items() if not (math.isfinite(p) and p >= 0.0)}
    if bad:
        raise ValueError(f"importance points must be non-negative numbers, got {bad}")
    total = sum(points.values())
    if abs(total - ALLOCATION_TOTAL) > _ALLOCATION_TOLERANCE:
        raise ValueError(f"importance points must add up to 100, got {total:g}")
    return {dimension: p / ALLOCATION_TOTAL for dimension, p in points.items()}


def _validate_items(items: Mapping[ItemId, str]) -> None:
    if not items:
        raise ValueError("the item map is empty")
    unknown = {item: d for item, d in items.items() if d not in DIMENSIONS}
    if unknown:
        raise ValueError(f"items tagged with unknown dimensions: {unknown}; use {DIMENSIONS}")


def _validate_answer(index: int, item: ItemId, answer: tuple[int, int]) -> tuple[int, int]:
    where = f"response {index}, item {item!r}"
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        raise ValueError(f"{where}: expected an (expectation, perception) pair, got {answer!r}")
    for label, value in zip(("expectation", "perception"), answer, strict=True):
        whole = isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
        if not whole or not SCALE_MIN <= value <= SCALE_MAX:
            raise ValueError(
                f"{where}: {label} must be a whole number from {SCALE_MIN} to {SCALE_MAX}, "
                f"got {value!r}"
            )
    return int(answer[0]), int(answer[1])


# --------------------------------------------------------------------------- scores


def unweighted_score(dimension_gaps: Mapping[str, float]) -> float:
    """Unweighted SERVQUAL score: the plain mean of the dimension gaps (ZPB 1990)."""
    _check_gaps(dimension_gaps)
    return float(sum(dimension_gaps.values()) / len(dimension_gaps))


def weighted_score(dimension_gaps: Mapping[str, float], allocation: Mapping[str, float]) -> float:
    """Importance-weighted SERVQUAL score ``Σ_d (points_d / 100) · gap_d`` (ZPB 1990).

    Every dimension that receives points must have a gap.
    """
    _check_gaps(dimension_gaps)
    shares = validate_allocation(allocation)
    missing = [d for d, share in shares.items() if share > 0.0 and d not in dimension_gaps]
    if missing:
        raise ValueError(f"points allocated to dimension(s) without a gap: {missing}")
    return _weighted(dimension_gaps, shares)


def _weighted(dimension_gaps: Mapping[str, float], shares: Mapping[str, float]) -> float:
    return float(sum(share * dimension_gaps[d] for d, share in shares.items() if share > 0.0))


def _check_gaps(dimension_gaps: Mapping[str, float]) -> None:
    if not dimension_gaps:
        raise ValueError("no dimension gaps given")
    unknown = sorted(str(d) for d in dimension_gaps if d not in DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown SERVQUAL dimension(s) {unknown}; expected {DIMENSIONS}")


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True, slots=True)
class _Respondent:
    items: dict[ItemId, tuple[int, int]]
    dimensions: dict[str, tuple[float, float]]  # dimension -> (mean E, mean P)
    shares: dict[str, float] | None


def analyse(
    responses: Iterable[ServqualResponse],
    items: Mapping[ItemId, str] = PZB_1988_ITEMS,
    *,
    confidence: float = 0.95,
) -> ServqualResult:
    """Item, dimension and overall SERVQUAL scores for a set of responses.

    ``items`` maps each item id to its dimension (default: the 22 items of PZB 1988).
    Items and dimensions nobody answered are omitted. Raises ValueError on answers outside
    1–7, unknown items or dimensions, and allocations that do not add up to 100.
    """
    _validate_items(items)
    respondents = [_respondent(i, r, items) for i, r in enumerate(responses)]
    asked = [d for d in DIMENSIONS if d in items.values()]
    answered = [d for d in asked if any(d in r.dimensions for r in respondents)]
    return ServqualResult(
        respondents=len(respondents),
        items=tuple(_item_scores(respondents, items, confidence)),
        dimensions=tuple(_dimension_score(respondents, d, items, confidence) for d in answered),
        unweighted=_overall(respondents, asked, weighted=False, confidence=confidence),
        weighted=_overall(respondents, asked, weighted=True, confidence=confidence),
    )


def _respondent(index: int, response: ServqualResponse, items: Mapping[ItemId, str]) -> _Respondent:
    answers: dict[ItemId, tuple[int, int]] = {}
    for item, answer in response.answers.items():
        if item not in items:
            raise ValueError(f"response {index}: unknown item {item!r}")
        answers[item] = _validate_answer(index, item, answer)
    by_dimension: dict[str, list[tuple[int, int]]] = {}
    for item, pair in answers.items():
        by_dimension.setdefault(items[item], []).append(pair)
    dimensions = {
        d: (float(np.mean([e for e, _ in pairs])), float(np.mean([p for _, p in pairs])))
        for d, pairs in by_dimension.items()
    }
    shares = None
    if response.importance is not None:
        try:
            shares = validate_allocation(response.importance)
        except ValueError as error:
            raise ValueError(f"response {index}: {error}") from error
    return _Respondent(answers, dimensions, shares)


def _score(values: list[float], confidence: float) -> Score:
    if len(values) < 2:
        return Score(float(values[0]), None, None, len(values))
    estimate = t_mean(values, confidence=confidence)
    return Score(estimate.value, estimate.ci_low, estimate.ci_high, estimate.n)


def _item_scores(
    respondents: list[_Respondent], items: Mapping[ItemId, str], confidence: float
) -> list[ItemScore]:
    scores = []
    for item, dimension in items.items():
        pairs = [r.items[item] for r in respondents if item in r.items]
        if not pairs:
            continue
        expectation = float(np.mean([e for e, _ in pairs]))
        perception = float(np.mean([p for _, p in pairs]))
        gap = _score([float(p - e) for e, p in pairs], confidence)
        scores.append(ItemScore(item, dimension, expectation, perception, gap))
    return scores


def _dimension_score(
    respondents: list[_Respondent],
    dimension: str,
    items: Mapping[ItemId, str],
    confidence: float,
) -> DimensionScore:
    pairs = [r.dimensions[dimension] for r in respondents if dimension in r.dimensions]
    shares = [r.shares[dimension] for r in respondents if r.shares is not None]
    return DimensionScore(
        dimension=dimension,
        items=sum(1 for d in items.values() if d == dimension),
        expectation=float(np.mean([e for e, _ in pairs])),
        perception=float(np.mean([p for _, p in pairs])),
        gap=_score([p - e for e, p in pairs], confidence),
        importance=float(np.mean(shares)) if shares else None,
    )


def _overall(
    respondents: list[_Respondent], asked: list[str], *, weighted: bool, confidence: float
) -> Score | None:
    values = []
    for r in respondents:
        gaps = {d: p - e for d, (e, p) in r.dimensions.items()}
        if weighted and r.shares is not None:
            if all(d in gaps for d, share in r.shares.items() if share > 0.0):
                values.append(_weighted(gaps, r.shares))
        elif not weighted and all(d in gaps for d in asked):
            values.append(unweighted_score({d: gaps[d] for d in asked}))
    return _score(values, confidence) if values else None

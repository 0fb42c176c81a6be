"""Agreement between QA evaluators: Krippendorff's alpha and Cohen's kappa, and how to read them.

Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability")
--------------------------------------------------------------------------------------
Reliability data: one row per evaluator, one column per contact (unit), ``None`` where an
evaluator did not score a contact. Only units with at least two values are *pairable*. In each
such unit with ``m_u`` values every ordered pair of values from different evaluators adds
``1/(m_u − 1)`` to the coincidence matrix ``o_ck``; ``n_c = Σ_k o_ck`` and ``n = Σ_c n_c`` (the
number of pairable values). Then

    α = 1 − D_o / D_e = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck

with the difference function of the level of measurement:

* nominal: δ² = 0 if c = k else 1;
* ordinal: δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)², over the values in rank order (so only
  the order of the values matters, and ranks are weighted by how often they were used);
* interval: δ² = (c − k)²;
* ratio: δ² = ((c − k)/(c + k))² (values must be ≥ 0).

α = 1 is perfect agreement, 0 is agreement at chance level, and it can be negative. It is
**not computable** — reported as None with a reason, never as 1.0 — with fewer than two
evaluators, fewer than two pairable values, or no variation at all among the pairable values
(D_e = 0: agreement cannot be told apart from chance).

Cohen's kappa (Cohen 1960; weighted: Cohen 1968)
------------------------------------------------
Two evaluators, the same contacts: ``κ = (p_o − p_e)/(1 − p_e)`` with ``p_o`` the observed and
``p_e`` the chance agreement from the two evaluators' own marginal shares. Weighted kappa uses
disagreement weights on the category positions i, j (0..K−1 in the sorted order of all
categories used, or of ``labels``): linear ``|i − j|``, quadratic ``(i − j)²``, and
``κ_w = 1 − Σ w·observed / Σ w·expected``. Contacts that either evaluator left unscored
(``None``) are dropped. Not computable (None) with no scored pairs or when chance agreement is
already total (both evaluators used one and the same category throughout).

Reading the coefficients
------------------------
* :func:`landis_koch` (Landis & Koch 1977, for kappa): < 0 poor, ≤ 0.20 slight, ≤ 0.40 fair,
  ≤ 0.60 moderate, ≤ 0.80 substantial, above almost perfect.
* :func:`krippendorff_reading` (Krippendorff 2004, *Content Analysis*, 2nd ed., §11.4.4, for
  alpha): α ≥ 0.800 reliable; 0.667 ≤ α < 0.800 only tentative conclusions; below, unreliable.

Sources
-------
* K. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", University of
  Pennsylvania, ScholarlyCommons, Departmental Papers (ASC) 43.
* K. Krippendorff (2004), *Content Analysis: An Introduction to Its Methodology*, 2nd ed., Sage.
* J. Cohen (1960), "A coefficient of agreement for nominal scales", Educational and
  Psychological Measurement 20(1):37–46; J. Cohen (1968), "Weighted kappa", Psychological
  Bulletin 70(4):213–220.
* J. R. Landis, G. G. Koch (1977), "The measurement of observer agreement for categorical
  data", Biometrics 33(1):159–174.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from numbers import Real

import numpy as np

__all__ = [
    "Alpha",
    "Kappa",
    "Level",
    "cohen_kappa",
    "krippendorff_alpha",
    "krippendorff_reading",
    "landis_koch",
]


class Level(StrEnum):
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


@dataclass(frozen=True, slots=True)
class Alpha:
    """Krippendorff's alpha; ``alpha`` is None when not computable (``reason`` says why).

    ``units`` is the number of pairable units, ``pairable_values`` is n, ``observed`` and
    ``expected`` are the disagreements D_o and D_e. ``reading`` is the
    :func:`krippendorff_reading` key.
    """

    alpha: float | None
    level: Level
    evaluators: int
    units: int
    pairable_values: int
    observed: float | None
    expected: float | None
    reason: str | None = None

    @property
    def reading(self) -> str | None:
        return krippendorff_reading(self.alpha)


@dataclass(frozen=True, slots=True)
class Kappa:
    """Cohen's (weighted) kappa over ``n`` contacts scored by both evaluators.

    ``observed`` and ``expected`` are p_o and p_e for unweighted kappa and the weighted
    disagreements for weighted kappa. ``kappa`` is None when not computable.
    """

    kappa: float | None
    weights: str | None
    n: int
    observed: float | None
    expected: float | None
    reason: str | None = None

    @property
    def reading(self) -> str | None:
        return landis_koch(self.kappa)


# ------------------------------------------------------------------------------- alpha


def krippendorff_alpha(data: Sequence[Sequence[object | None]], level: Level | str) -> Alpha:
    """Krippendorff's alpha of reliability data (one row per evaluator; see module docstring).

    Raises ``ValueError`` for an unknown level, rows of different lengths, or values the level
    cannot use (non-numbers for interval/ratio, negative numbers for ratio, values without an
    order for ordinal), naming the evaluator row and contact column.
    """
    kind = _level(level)
    rows = [list(row) for row in data]
    evaluators = len(rows)
    width = len(rows[0]) if rows else 0
    for index, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(
                f"evaluator row {index} has {len(row)} values, row 0 has {width}: one value "
                "per contact (None where not scored)"
            )
    _check_values(rows, kind)
    units = [
        [row[j] for row in rows if row[j] is not None] for j in range(width)
    ]  # values per contact
    pairable = [unit for unit in units if len(unit) >= 2]
    n = sum(len(unit) for unit in pairable)
    if evaluators < 2:
        return _no_alpha(kind, evaluators, pairable, n, "needs at least two evaluators")
    if n < 2:
        return _no_alpha(kind, evaluators, pairable, n, "no contact was scored by two evaluators")
    values = sorted({v for unit in pairable for v in unit}, key=_order_key)
    if len(values) < 2:
        return _no_alpha(
            kind, evaluators, pairable, n,
            "every pairable value is the same: agreement cannot be told from chance",
        )  # fmt: skip
    coincidence = _coincidences(pairable, values)
    totals = coincidence.sum(axis=1)
    delta = _delta(kind, values, totals)
    observed = float((coincidence * delta).sum()) / n
    expected = float((np.outer(totals, totals) * delta).sum()) / (n * (n - 1))
    if expected == 0:
        return _no_alpha(kind, evaluators, pairable, n, "no expected disagreement")
    return Alpha(1 - observed / expected, kind, evaluators, len(pairable), n, observed, expected)


def _coincidences(pairable: list[list[object]], values: list[object]) -> np.ndarray:
    index = {value: i for i, value in enumerate(values)}
    matrix = np.zeros((len(values), len(values)))
    for unit in pairable:
        counts = np.bincount([index[v] for v in unit], minlength=len(values)).astype(float)
        # ordered pairs of different evaluators: n_c n_k off the diagonal, n_c(n_c − 1) on it
        matrix += (np.outer(counts, counts) - np.diag(counts)) / (len(unit) - 1)
    return matrix


def _delta(kind: Level, values: list[object], totals: np.ndarray) -> np.ndarray:
    size = len(values)
    if kind is Level.NOMINAL:
        return 1.0 - np.eye(size)
    if kind is Level.ORDINAL:
        cumulative = np.concatenate(([0.0], np.cumsum(totals)))
        low, high = (
            np.minimum.outer(np.arange(size), np.arange(size)),
            np.maximum.outer(np.arange(size), np.arange(size)),
        )
        between = cumulative[high + 1] - cumulative[low]
        return (between - (totals[low] + totals[high]) / 2) ** 2
    numbers = np.array(values, dtype=float)
    difference = np.subtract.outer(numbers, numbers)
    if kind is Level.INTERVAL:
        return difference**2
    total = np.add.outer(numbers, numbers)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(total == 0, 0.0, difference / total)
    return ratio**2


def _no_alpha(
    kind: Level, evaluators: int, pairable: list[list[object]], n: int, reason: str
) -> Alpha:
    return Alpha(None, kind, evaluators, len(pairable), n, None, None, f"not computable: {reason}")


def _check_values(rows: list[list[object | None]], kind: Level) -> None:
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue
            where = f"evaluator row {i}, contact {j}"
            if isinstance(value, float) and math.isnan(value):
                raise ValueError(f"{where}: NaN is not a score; use None for not scored")
            if not isinstance(value, Hashable):
                raise ValueError(f"{where}: {value!r} cannot be a category")
            if kind in (Level.INTERVAL, Level.RATIO):
                if isinstance(value, bool) or not isinstance(value, Real):
                    raise ValueError(f"{where}: {kind} data needs numbers, got {value!r}")
                if not math.isfinite(float(value)):
                    raise ValueError(f"{where}: {value!r} is not finite")
                if kind is Level.RATIO and value < 0:
                    raise ValueError(f"{where}: ratio data cannot be negative, got {value!r}")
    if kind is Level.ORDINAL:
        present = {v for row in rows for v in row if v is not None}
        try:
            sorted(present, key=_order_key)
        except TypeError as error:
            raise ValueError(f"ordinal values must have an order: {error}") from None


def _order_key(value: object) -> tuple[int, object]:
    """Numbers sort by value, other values (e.g. strings) by themselves, numbers first."""
    if isinstance(value, Real) and not isinstance(value, bool):
        return (0, float(value))
    return (1, value)


def _level(level: Level | str) -> Level:
    try:
        return Level(level)
    except ValueError:
        raise ValueError(
            f"level must be one of {[lv.value for lv in Level]}, got {level!r}"
        ) from None


# ------------------------------------------------------------------------------- kappa


def cohen_kappa(
    a: Sequence[Hashable | None],
    b: Sequence[Hashable | None],
    weights: str | None = None,
    *,
    labels: Sequence[Hashable] | None = None,
) -> Kappa:
    """Cohen's kappa of two evaluators' scores of the same contacts (see module docstring).

    ``weights`` is None (unweighted), ``"linear"`` or ``"quadratic"``; ``labels`` fixes the
    categories and their order (default: all categories used, sorted). Raises ``ValueError``
    for lists of different lengths, an unknown weighting, or a score not among ``labels``.
    """
    if weights not in (None, "linear", "quadratic"):
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")
    if len(a) != len(b):
        raise ValueError(f"the two evaluators scored {len(a)} and {len(b)} contacts")
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not pairs:
        return Kappa(None, weights, 0, None, None, "not computable: no contact scored by both")
    categories = _categories(pairs, labels)
    index = {category: i for i, category in enumerate(categories)}
    size = len(categories)
    table = np.zeros((size, size))
    for x, y in pairs:
        table[index[x], index[y]] += 1
    table /= len(pairs)
    chance = np.outer(table.sum(axis=1), table.sum(axis=0))
    positions = np.arange(size)
    if weights is None:
        disagreement = 1.0 - np.eye(size)
    elif weights == "linear":
        disagreement = np.abs(np.subtract.outer(positions, positions)).astype(float)
    else:
        disagreement = np.subtract.outer(positions, positions).astype(float) ** 2
    observed = float((disagreement * table).sum())
    expected = float((disagreement * chance).sum())
    if expected == 0:
        return Kappa(
            None, weights, len(pairs), None, None,
            "not computable: both evaluators used one and the same category throughout",
        )  # fmt: skip
    kappa = 1 - observed / expected
    if weights is None:  # report p_o and p_e, the familiar unweighted quantities
        return Kappa(kappa, None, len(pairs), 1 - observed, 1 - expected)
    return Kappa(kappa, weights, len(pairs), observed, expected)


def _categories(
    pairs: list[tuple[Hashable, Hashable]], labels: Sequence[Hashable] | None
) -> list[Hashable]:
    if labels is not None:
        known = list(dict.fromkeys(labels))
        missing = {v for pair in pairs for v in pair} - set(known)
        if missing:
            raise ValueError(f"scores not among labels: {sorted(map(repr, missing))}")
        return known
    used = {v for pair in pairs for v in pair}
    try:
        return sorted(used, key=_order_key)
    except TypeError as error:
        raise ValueError(f"categories must have an order (or pass labels): {error}") from None


# ----------------------------------------------------------------------------- reading

#: Landis & Koch (1977) bands: (upper bound inclusive, key).
LANDIS_KOCH: tuple[tuple[float, str], ...] = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.00, "almost_perfect"),
)


def landis_koch(value: float | None) -> str | None:
    """Landis & Koch (1977) label key for a kappa: poor, slight, fair, moderate, substantial,
    almost_perfect (None for None)."""
    if value is None:
        return None
    if value < 0:
        return "poor"
    for upper, key in LANDIS_KOCH:
        if value <= upper:
            return key
    return "almost_perfect"


def krippendorff_reading(value: float | None) -> str | None:
    """Krippendorff (2004) reading key for an alpha: ``reliable`` (≥ 0.800), ``tentative``
    (≥ 0.667) or ``unreliable`` (None for None)."""
    if value is None:
        return None
    if value >= 0.800:
        return "reliable"
    if value >= 0.667:
        return "tentative"
    return "unreliable"

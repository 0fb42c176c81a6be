"""Point estimates with confidence intervals for survey answers.

Every function returns a frozen :class:`Estimate` (or a subclass) holding the value, the
interval, the number of answers it rests on, the method used and the standard error.

Conventions
-----------
* ``confidence`` is two-sided, e.g. ``0.95``; the normal quantile is
  ``z = Φ⁻¹(1/2 + confidence/2)`` (1.959964 for 95 %).
* Proportions (Wilson, CSAT top-2-box, stratified proportions) are reported on 0–1;
  the NPS is reported in points on −100…+100, as is customary.
* ``se`` is always the plain (Wald) standard error of the reported value, so it can be
  compared across groups; the interval follows the method named in ``method`` (for the
  Wilson and adjusted-Wald intervals it is *not* ``value ± z·se``).

Sources
-------
* Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
  JASA 22, 209–212. Newcombe, R. G. (1998). Two-sided confidence intervals for the single
  proportion: comparison of seven methods. Statistics in Medicine 17, 857–872 (method 3).
* Student (1908). The probable error of a mean. Biometrika 6, 1–25.
* Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review 81(12).
  Rocks, B. (2016). Interval estimation for the "Net Promoter Score". The American
  Statistician 70(4), 365–372. Lewis, J. R. & Sauro, J. (2020–2021), MeasuringU,
  "Confidence intervals for Net Promoter Scores" (adjusted-Wald recipe).
* Dixon, M., Freeman, K. & Toman, N. (2010). Stop trying to delight your customers.
  Harvard Business Review 88(7/8) — the Customer Effort Score.
* Cochran, W. G. (1977). Sampling Techniques, 3rd ed., Wiley: ch. 5 (stratified mean,
  stratified proportion and their variances; stratification after selection of the sample).
  Lohr, S. L. (2019). Sampling: Design and Analysis, 2nd ed., CRC: ch. 3 (stratified
  sampling) and ch. 4 (post-stratification).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from yuqi.domain import quantiles

NPSMethod = Literal["wald", "adjusted-wald"]


PROMOTER_MIN = 9
"""NPS answers 9–10 are promoters (Reichheld 2003)."""
DETRACTOR_MAX = 6
"""NPS answers 0–6 are detractors; 7–8 are passives (Reichheld 2003)."""


@dataclass(frozen=True, slots=True)
class Estimate:
    """A point estimate with a two-sided confidence interval.

    ``n`` is the number of answers used; ``se`` the plain standard error of ``value``.
    """

    value: float
    ci_low: float
    ci_high: float
    n: int
    method: str
    se: float
    confidence: float


@dataclass(frozen=True, slots=True)
class NPSEstimate(Estimate):
    """A Net Promoter Score (points, −100…+100) with the counts behind it."""

    promoters: int
    passives: int
    detractors: int


# --------------------------------------------------------------------------- helpers


def normal_quantile(confidence: float) -> float:
    """Two-sided standard-normal quantile ``z = Φ⁻¹(1/2 + confidence/2)``."""
    _check_confidence(confidence)
    return quantiles.normal_quantile(0.5 + confidence / 2.0)


def _check_confidence(confidence: float) -> None:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")


def _is_integral(value: object) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    return isinstance(value, int | np.integer)


def _as_float_array(values: Iterable[float], name: str) -> np.ndarray:
    array = np.asarray(list(values), dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a flat sequence of numbers")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains a missing or infinite value")
    return array


def _as_scale_array(values: Iterable[int], low: int, high: int, name: str) -> np.ndarray:
    """Validate integer answers on the closed scale ``low…high``."""
    items = list(values)
    for value in items:
        if not _is_integral(value) or not low <= int(value) <= high:
            raise ValueError(f"{name} must be whole numbers from {low} to {high}, got {value!r}")
    return np.asarray(items, dtype=int)


def _check_count(value: int, name: str) -> int:
    if not _is_integral(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative whole number, got {value!r}")
    return int(value)


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


# --------------------------------------------------------------------------- proportion


def proportion(successes: int, n: int, *, confidence: float = 0.95) -> Estimate:
    """Proportion ``p̂ = x/n`` with the Wilson score interval.

    Formula (Wilson 1927; Newcombe 1998, method 3, no continuity correction)::

        centre = (p̂ + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) · √( p̂(1 − p̂)/n + z²/4n² )
        CI     = centre ± half

    The interval always lies in [0, 1] and contains ``p̂``; at ``x = 0`` the lower limit is
    exactly 0 and at ``x = n`` the upper limit exactly 1. Assumes independent answers
    (a simple random sample, or a census of a much larger population).
    """
    successes = _check_count(successes, "successes")
    n = _check_count(n, "n")
    if n == 0:
        raise ValueError("n must be at least 1")
    if successes > n:
        raise ValueError(f"successes ({successes}) cannot exceed n ({n})")
    z = normal_quantile(confidence)
    p = successes / n
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1.0 - p) / n + z * z / (4 * n * n))
    low = 0.0 if successes == 0 else _clip(centre - half, 0.0, p)
    high = 1.0 if successes == n else _clip(centre + half, p, 1.0)
    se = math.sqrt(p * (1.0 - p) / n)
    return Estimate(p, low, high, n, "Wilson score", se, confidence)


# --------------------------------------------------------------------------- mean


def mean(values: Iterable[float], *, confidence: float = 0.95) -> Estimate:
    """Sample mean with the Student t interval.

    Formula (Student 1908)::

        ȳ ± t_{1−α/2, n−1} · s/√n,   s² = Σ(yᵢ − ȳ)²/(n − 1)

    Assumes independent answers and a roughly normal sampling distribution of ȳ (fine for
    rating scales once n is moderate). Needs at least two values.
    """
    _check_confidence(confidence)
    array = _as_float_array(values, "values")
    n = int(array.size)
    if n < 2:
        raise ValueError(f"a t interval needs at least 2 values, got {n}")
    centre = float(array.mean())
    se = float(array.std(ddof=1)) / math.sqrt(n)
    t = quantiles.t_quantile(0.5 + confidence / 2.0, n - 1)
    return Estimate(centre, centre - t * se, centre + t * se, n, "Student t", se, confidence)


# --------------------------------------------------------------------------- NPS


def nps(
    scores: Iterable[int], *, confidence: float = 0.95, method: NPSMethod = "adjusted-wald"
) -> NPSEstimate:
    """Net Promoter Score from answers on the 0–10 likelihood-to-recommend scale.

    Answers 9–10 are promoters, 7–8 passives and 0–6 detractors (Reichheld 2003).
    See :func:`nps_from_counts` for the formulas.
    """
    array = _as_scale_array(scores, 0, 10, "NPS scores")
    promoters = int(np.count_nonzero(array >= PROMOTER_MIN))
    detractors = int(np.count_nonzero(array <= DETRACTOR_MAX))
    passives = int(array.size) - promoters - detractors
    return nps_from_counts(promoters, passives, detractors, confidence=confidence, method=method)


def nps_from_counts(
    promoters: int,
    passives: int,
    detractors: int,
    *,
    confidence: float = 0.95,
    method: NPSMethod = "adjusted-wald",
) -> NPSEstimate:
    """Net Promoter Score from category counts, with its standard error and interval.

    With ``n`` answers and shares ``p`` (promoters) and ``d`` (detractors)::

        NPS     = 100 · (p − d)
        Var(p − d) = [p + d − (p − d)²] / n          (trinomial; Rocks 2016)
        se      = 100 · √( [p + d − (p − d)²] / n )

    This is the variance of the mean of answers coded +1 (promoter), 0 (passive),
    −1 (detractor), since Var(p̂) = p(1−p)/n and Cov(p̂, d̂) = −pd/n.

    Intervals (``method``):

    * ``"wald"``: ``NPS ± z·se`` clipped to [−100, 100]. Collapses to a single point when
      every answer falls in one category.
    * ``"adjusted-wald"`` (default): add ¾ of a promoter and ¾ of a detractor and 3 to
      ``n``, then apply the Wald formula to the adjusted shares (Lewis & Sauro,
      MeasuringU, following Rocks 2016, who found adjusted-Wald intervals to have the best
      coverage). The reported ``value`` and ``se`` stay the unadjusted ones.
    """
    promoters = _check_count(promoters, "promoters")
    passives = _check_count(passives, "passives")
    detractors = _check_count(detractors, "detractors")
    n = promoters + passives + detractors
    if n == 0:
        raise ValueError("an NPS needs at least one answer")
    z = normal_quantile(confidence)
    value, se = _net_score(promoters, detractors, n)
    if method == "wald":
        centre, width_se = value, se
    elif method == "adjusted-wald":
        centre, width_se = _net_score(promoters + 0.75, detractors + 0.75, n + 3.0)
    else:
        raise ValueError(f"unknown NPS interval method {method!r}; use 'wald' or 'adjusted-wald'")
    low = _clip(centre - z * width_se, -100.0, 100.0)
    high = _clip(centre + z * width_se, -100.0, 100.0)
    return NPSEstimate(
        value,
        min(low, value),
        max(high, value),
        n,
        f"NPS {method}",
        se,
        confidence,
        promoters,
        passives,
        detractors,
    )


def _net_score(promoters: float, detractors: float, n: float) -> tuple[float, float]:
    """Return (100·(p − d), 100·√([p + d − (p − d)²]/n))."""
    p, d = promoters / n, detractors / n
    variance = max(p + d - (p - d) ** 2, 0.0) / n
    return 100.0 * (p - d), 100.0 * math.sqrt(variance)


# --------------------------------------------------------------------------- CSAT, CES


def csat_top2(
    scores: Iterable[int], *, scale: tuple[int, int] = (1, 5), confidence: float = 0.95
) -> Estimate:
    """CSAT as the top-2-box share: answers in the two highest points of the scale.

    On the usual 1–5 scale the satisfied answers are 4 and 5; on 1–7, 6 and 7.
    ``CSAT = #(answer ≥ high − 1) / n`` on 0–1, with the Wilson interval of
    :func:`proportion`.
    """
    low, high = _check_scale_bounds(scale, minimum_points=3)
    array = _as_scale_array(scores, low, high, "CSAT scores")
    if array.size == 0:
        raise ValueError("CSAT needs at least one answer")
    satisfied = int(np.count_nonzero(array >= high - 1))
    result = proportion(satisfied, int(array.size), confidence=confidence)
    return _renamed(result, "CSAT top-2-box, Wilson score")


def ces_mean(
    scores: Iterable[int], *, scale: tuple[int, int] = (1, 7), confidence: float = 0.95
) -> Estimate:
    """Customer Effort Score: the mean answer with a Student t interval (:func:`mean`).

    CES 2.0 asks agreement with "The company made it easy for me to handle my issue" on a
    1–7 scale (Dixon, Freeman & Toman 2010); higher means less effort.
    """
    low, high = _check_scale_bounds(scale, minimum_points=2)
    array = _as_scale_array(scores, low, high, "CES scores")
    return _renamed(mean(array.astype(float), confidence=confidence), "CES mean, Student t")


def _check_scale_bounds(scale: tuple[int, int], *, minimum_points: int) -> tuple[int, int]:
    low, high = scale
    if not (_is_integral(low) and _is_integral(high)) or high - low + 1 < minimum_points:
        raise ValueError(
            f"scale must be (low, high) whole numbers with at least "
            f"{minimum_points} points, got {scale!r}"
        )
    return int(low), int(high)


def _renamed(estimate: Estimate, method: str) -> Estimate:
    return Estimate(
        estimate.value,
        estimate.ci_low,
        estimate.ci_high,
        estimate.n,
        method,
        estimate.se,
        estimate.confidence,
    )


# --------------------------------------------------------------------------- weighting


@dataclass(frozen=True, slots=True)
class _Stratum:
    population: int
    n: int
    mean: float
    variance: float


def stratified_mean[K: Hashable](
    samples: Mapping[K, Sequence[float]],
    population_sizes: Mapping[K, int],
    *,
    confidence: float = 0.95,
) -> Estimate:
    """Mean of a stratified simple random sample, weighted by stratum population shares.

    Formulas (Cochran 1977, ch. 5; Lohr 2019, ch. 3), with ``W_h = N_h/N``
    and ``f_h = n_h/N_h``::

        ȳ_st    = Σ W_h ȳ_h
        v(ȳ_st) = Σ W_h² (1 − f_h) s_h² / n_h

    ``v`` is unbiased for the variance of ``ȳ_st`` when each stratum is a simple random
    sample without replacement. The interval is the normal one, ``ȳ_st ± z·√v`` (Lohr 2019,
    ch. 3; adequate when stratum samples are not tiny). Each stratum with ``N_h > 0`` needs
    at least 2 answers, or must be a census (``n_h = N_h``); collapse sparse strata first.
    """
    strata = _strata_from_samples(samples, population_sizes, census_ok=True)
    return _stratified(strata, confidence, "stratified mean, normal")


def stratified_proportion[K: Hashable](
    successes: Mapping[K, int],
    sample_sizes: Mapping[K, int],
    population_sizes: Mapping[K, int],
    *,
    confidence: float = 0.95,
) -> Estimate:
    """Proportion from a stratified simple random sample (Cochran 1977, ch. 5; Lohr 2019, ch. 3).

    ::

        p_st    = Σ W_h p_h
        v(p_st) = Σ W_h² (1 − f_h) p_h (1 − p_h) / (n_h − 1)

    which is :func:`stratified_mean` applied to 0/1 answers. The normal interval is clipped
    to [0, 1].
    """
    strata = _strata_from_counts(successes, sample_sizes, population_sizes, census_ok=True)
    return _clipped(_stratified(strata, confidence, "stratified proportion, normal"), 0.0, 1.0)


def poststratified_mean[K: Hashable](
    samples: Mapping[K, Sequence[float]],
    population_sizes: Mapping[K, int],
    *,
    confidence: float = 0.95,
) -> Estimate:
    """Post-stratified mean of a simple random sample of ``n`` from ``N`` units.

    The answers are grouped after selection into post-strata of known population size
    ``N_h``; ``W_h = N_h/N`` and ``f = n/N``. Formulas (Cochran 1977, ch. 5, "stratification
    after selection of the sample")::

        ȳ_post    = Σ W_h ȳ_h
        v(ȳ_post) ≈ (1 − f)/n · Σ W_h s_h² + 1/n² · Σ (1 − W_h) s_h²

    The second term accounts for the random post-stratum sample sizes; the approximation is
    good when every post-stratum has a reasonable number of answers (Cochran suggests
    ``n_h`` of 20 or more). Every post-stratum with ``N_h > 0`` needs at least 2 answers.
    """
    strata = _strata_from_samples(samples, population_sizes, census_ok=False)
    return _poststratified(strata, confidence, "post-stratified mean, normal")


def poststratified_proportion[K: Hashable](
    successes: Mapping[K, int],
    sample_sizes: Mapping[K, int],
    population_sizes: Mapping[K, int],
    *,
    confidence: float = 0.95,
) -> Estimate:
    """Post-stratified proportion: :func:`poststratified_mean` of 0/1 answers.

    Uses ``s_h² = n_h p_h (1 − p_h) / (n_h − 1)``; the normal interval is clipped to [0, 1].
    """
    strata = _strata_from_counts(successes, sample_sizes, population_sizes, census_ok=False)
    estimate = _poststratified(strata, confidence, "post-stratified proportion, normal")
    return _clipped(estimate, 0.0, 1.0)


def weighted_nps[K: Hashable](
    scores: Mapping[K, Sequence[int]],
    population_sizes: Mapping[K, int],
    *,
    poststratified: bool = False,
    confidence: float = 0.95,
) -> Estimate:
    """NPS weighted by stratum: the (post-)stratified mean of answers coded +100/0/−100.

    Promoters (9–10) count +100, passives 0, detractors (0–6) −100, so the stratified mean
    of the codes is Σ W_h NPS_h, with the variance of :func:`stratified_mean` (or
    :func:`poststratified_mean` when ``poststratified``). The interval is clipped to
    [−100, 100].
    """
    coded = {key: _nps_codes(values) for key, values in scores.items()}
    if poststratified:
        estimate = poststratified_mean(coded, population_sizes, confidence=confidence)
        method = "post-stratified NPS, normal"
    else:
        estimate = stratified_mean(coded, population_sizes, confidence=confidence)
        method = "stratified NPS, normal"
    return _clipped(_renamed(estimate, method), -100.0, 100.0)


def _nps_codes(values: Sequence[int]) -> list[float]:
    array = _as_scale_array(values, 0, 10, "NPS scores")
    codes = np.where(array >= PROMOTER_MIN, 100.0, np.where(array <= DETRACTOR_MAX, -100.0, 0.0))
    return [float(code) for code in codes]


def _strata_from_samples[K: Hashable](
    samples: Mapping[K, Sequence[float]], population_sizes: Mapping[K, int], *, census_ok: bool
) -> list[_Stratum]:
    _check_same_strata(samples, population_sizes)
    strata = []
    for key, size in population_sizes.items():
        array = _as_float_array(samples.get(key, ()), f"answers of stratum {key!r}")
        variance = float(array.var(ddof=1)) if array.size >= 2 else 0.0
        mean_h = float(array.mean()) if array.size else 0.0
        strata.append(_checked_stratum(key, size, int(array.size), mean_h, variance, census_ok))
    return strata


def _strata_from_counts[K: Hashable](
    successes: Mapping[K, int],
    sample_sizes: Mapping[K, int],
    population_sizes: Mapping[K, int],
    *,
    census_ok: bool,
) -> list[_Stratum]:
    _check_same_strata(sample_sizes, population_sizes)
    unknown = [key for key in successes if key not in sample_sizes]
    if unknown:
        raise ValueError(f"successes given for strata without a sample size: {unknown!r}")
    strata = []
    for key, size in population_sizes.items():
        n = _check_count(sample_sizes.get(key, 0), f"sample size of stratum {key!r}")
        x = _check_count(successes.get(key, 0), f"successes of stratum {key!r}")
        if x > n:
            raise ValueError(f"stratum {key!r}: successes ({x}) exceed the sample size ({n})")
        p = x / n if n else 0.0
        variance = n * p * (1.0 - p) / (n - 1) if n >= 2 else 0.0
        strata.append(_checked_stratum(key, size, n, p, variance, census_ok))
    return strata


def _check_same_strata(sample_side: Mapping[Any, Any], population_sizes: Mapping[Any, Any]) -> None:
    if not population_sizes:
        raise ValueError("at least one stratum is needed")
    unknown = [key for key in sample_side if key not in population_sizes]
    if unknown:
        raise ValueError(f"answers given for strata with no population size: {unknown!r}")


def _checked_stratum(
    key: Hashable, size: int, n: int, mean_h: float, variance: float, census_ok: bool
) -> _Stratum:
    size = _check_count(size, f"population size of stratum {key!r}")
    if n > size:
        raise ValueError(f"stratum {key!r}: {n} answers but a population of only {size}")
    is_census = census_ok and n == size
    if size > 0 and n < 2 and not is_census:
        raise ValueError(
            f"stratum {key!r} has {n} answer(s); at least 2 are needed to estimate its "
            "variance — collapse it with a similar stratum"
        )
    return _Stratum(size, n, mean_h, variance)


def _stratified(strata: list[_Stratum], confidence: float, method: str) -> Estimate:
    total = sum(s.population for s in strata)
    if total == 0:
        raise ValueError("the population sizes add up to zero")
    value = variance = 0.0
    for s in strata:
        if s.population == 0:
            continue
        weight = s.population / total
        value += weight * s.mean
        variance += weight**2 * (1.0 - s.n / s.population) * s.variance / s.n
    return _normal_estimate(value, variance, sum(s.n for s in strata), confidence, method)


def _poststratified(strata: list[_Stratum], confidence: float, method: str) -> Estimate:
    total = sum(s.population for s in strata)
    n = sum(s.n for s in strata)
    if total == 0 or n == 0:
        raise ValueError("post-stratification needs a non-empty population and sample")
    if n > total:
        raise ValueError(f"the sample ({n}) is larger than the population ({total})")
    value = within = between = 0.0
    for s in strata:
        weight = s.population / total
        value += weight * s.mean
        within += weight * s.variance
        between += (1.0 - weight) * s.variance
    variance = (1.0 - n / total) / n * within + between / n**2
    return _normal_estimate(value, variance, n, confidence, method)


def _normal_estimate(
    value: float, variance: float, n: int, confidence: float, method: str
) -> Estimate:
    z = normal_quantile(confidence)
    se = math.sqrt(max(variance, 0.0))
    return Estimate(value, value - z * se, value + z * se, n, method, se, confidence)


def _clipped(estimate: Estimate, low: float, high: float) -> Estimate:
    return Estimate(
        estimate.value,
        _clip(estimate.ci_low, low, high),
        _clip(estimate.ci_high, low, high),
        estimate.n,
        estimate.method,
        estimate.se,
        estimate.confidence,
    )

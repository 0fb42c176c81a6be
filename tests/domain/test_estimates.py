"""Estimates with confidence intervals.

Golden values and where they come from:

* Wilson score intervals for 81/263, 15/148, 0/20 and 1/29: Newcombe, R. G. (1998),
  Statistics in Medicine 17, 857–872, Table II, method 3 (score, no continuity correction).
* Student t interval: the differences between the two soporifics in Student's (1908) sleep
  data (R ``datasets::sleep``); R's ``t.test(extra ~ group, data = sleep, paired = TRUE)``
  reports mean difference −1.58 and 95 % CI (−2.4598858, −0.7001142), so group 2 − group 1
  gives (0.7001142, 2.4598858).
* NPS standard error: 50 promoters, 30 passives, 20 detractors (n = 100) — computed by hand
  from the trinomial variance (Rocks 2016): NPS = 30, se = 100·√((0.5 + 0.2 − 0.3²)/100)
  = 7.8102; Wald CI 30 ± 1.959964·7.8102 = (14.692, 45.308). Adjusted-Wald (Lewis & Sauro):
  p' = 50.75/103, d' = 20.75/103 → 29.126 ± 1.959964·7.6915 = (14.051, 44.201).
* Stratified mean and variance: checked by enumerating every stratified sample of a tiny
  population (the estimator and its variance estimator are unbiased; Cochran 1977, ch. 5).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuqi.domain.estimates import (
    Estimate,
    ces_mean,
    csat_top2,
    mean,
    normal_quantile,
    nps,
    nps_from_counts,
    poststratified_mean,
    poststratified_proportion,
    proportion,
    stratified_mean,
    stratified_proportion,
    weighted_nps,
)

# --------------------------------------------------------------------------- Wilson


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe_1998(
    successes: int, n: int, low: float, high: float
) -> None:
    result = proportion(successes, n)
    assert result.value == pytest.approx(successes / n)
    assert result.ci_low == pytest.approx(low, abs=5e-5)
    assert result.ci_high == pytest.approx(high, abs=5e-5)
    assert result.n == n
    assert result.method == "Wilson score"


def test_wilson_interval_reaches_one_when_all_succeed() -> None:
    result = proportion(29, 29)
    assert result.ci_high == 1.0
    assert result.ci_low == pytest.approx(1 - 0.1170, abs=5e-4)  # mirror of 0/29


def test_normal_quantile_for_95_percent() -> None:
    assert normal_quantile(0.95) == pytest.approx(1.959964, abs=1e-6)


@pytest.mark.parametrize(("successes", "n"), [(3, 2), (-1, 5), (1, 0), (1.5, 3), (True, 3)])
def test_proportion_rejects_bad_counts(successes: int, n: int) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - messages vary per argument
        proportion(successes, n)


@given(st.integers(1, 100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.floats(0.5, 0.999))  # fmt: skip
def test_wilson_interval_contains_estimate_and_lies_in_unit_interval(
    case: tuple[int, int], confidence: float
) -> None:
    successes, n = case
    result = proportion(successes, n, confidence=confidence)
    assert 0.0 <= result.ci_low <= result.value <= result.ci_high <= 1.0


# --------------------------------------------------------------------------- t interval

SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_t_interval_matches_student_sleep_data() -> None:
    differences = [b - a for a, b in zip(SLEEP_GROUP_1, SLEEP_GROUP_2, strict=True)]
    result = mean(differences)
    assert result.value == pytest.approx(1.58)
    assert result.ci_low == pytest.approx(0.7001142, abs=1e-7)
    assert result.ci_high == pytest.approx(2.4598858, abs=1e-7)
    assert result.value / result.se == pytest.approx(4.0621, abs=1e-4)  # R: t = -4.0621


def test_mean_needs_two_values() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        mean([3.0])


def test_mean_rejects_missing_values() -> None:
    with pytest.raises(ValueError, match="missing or infinite"):
        mean([1.0, float("nan")])


# --------------------------------------------------------------------------- NPS


def test_nps_standard_error_and_wald_interval() -> None:
    result = nps_from_counts(50, 30, 20, method="wald")
    assert result.value == pytest.approx(30.0)
    assert result.se == pytest.approx(7.810250, abs=1e-6)
    assert result.ci_low == pytest.approx(14.692192, abs=1e-6)
    assert result.ci_high == pytest.approx(45.307808, abs=1e-6)


def test_nps_adjusted_wald_interval() -> None:
    result = nps_from_counts(50, 30, 20)
    assert result.method == "NPS adjusted-wald"
    assert result.value == pytest.approx(30.0)
    assert result.se == pytest.approx(7.810250, abs=1e-6)  # se stays the plain one
    assert result.ci_low == pytest.approx(14.0511, abs=1e-4)
    assert result.ci_high == pytest.approx(44.2013, abs=1e-4)


def test_nps_se_equals_se_of_coded_answers() -> None:
    scores = [10, 9, 9, 8, 7, 6, 3, 0, 10, 5, 9, 7]
    codes = np.array([1 if s >= 9 else -1 if s <= 6 else 0 for s in scores], dtype=float)
    result = nps(scores, method="wald")
    assert result.value == pytest.approx(100 * codes.mean())
    assert result.se == pytest.approx(100 * codes.std(ddof=0) / math.sqrt(len(codes)))


def test_nps_category_boundaries() -> None:
    result = nps([0, 6, 7, 8, 9, 10])
    assert (result.promoters, result.passives, result.detractors) == (2, 2, 2)
    assert result.value == 0.0


def test_adjusted_wald_gives_an_interval_when_everyone_promotes() -> None:
    wald = nps_from_counts(10, 0, 0, method="wald")
    adjusted = nps_from_counts(10, 0, 0)
    assert wald.ci_low == wald.ci_high == 100.0
    assert adjusted.ci_low < 100.0
    assert adjusted.ci_high == 100.0


@pytest.mark.parametrize("scores", [[11], [-1], [7.5], [True], []])
def test_nps_rejects_answers_off_the_scale(scores: list) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - messages vary per argument
        nps(scores)


def test_nps_rejects_unknown_method() -> None:
    with pytest.raises(ValueError, match="unknown NPS interval method"):
        nps_from_counts(1, 1, 1, method="bootstrap")  # type: ignore[arg-type]


@given(st.lists(st.integers(0, 10), min_size=1, max_size=400),
       st.sampled_from(["wald", "adjusted-wald"]))  # fmt: skip
def test_nps_lies_within_minus_100_and_100(scores: list[int], method: str) -> None:
    result = nps(scores, method=method)  # type: ignore[arg-type]
    assert -100.0 <= result.ci_low <= result.value <= result.ci_high <= 100.0
    assert result.promoters + result.passives + result.detractors == len(scores)


# --------------------------------------------------------------------------- CSAT, CES


def test_csat_top2_box_on_five_point_scale() -> None:
    result = csat_top2([5, 4, 3, 2, 1, 5])
    assert result.value == pytest.approx(0.5)
    expected = proportion(3, 6)
    assert (result.ci_low, result.ci_high) == (expected.ci_low, expected.ci_high)


def test_csat_top2_box_on_seven_point_scale_counts_six_and_seven() -> None:
    assert csat_top2([7, 6, 5, 1], scale=(1, 7)).value == pytest.approx(0.5)


def test_csat_rejects_answers_off_the_scale() -> None:
    with pytest.raises(ValueError, match="from 1 to 5"):
        csat_top2([6])


def test_ces_mean_uses_t_interval() -> None:
    result = ces_mean([5, 6, 7, 4, 6])
    expected = mean([5.0, 6.0, 7.0, 4.0, 6.0])
    assert result.value == pytest.approx(5.6)
    assert (result.ci_low, result.ci_high) == pytest.approx((expected.ci_low, expected.ci_high))
    assert result.method == "CES mean, Student t"


def test_ces_rejects_answers_off_the_scale() -> None:
    with pytest.raises(ValueError, match="from 1 to 7"):
        ces_mean([0, 3])


# --------------------------------------------------------------------------- stratified

TINY = {"a": [1.0, 4.0, 6.0, 9.0], "b": [2.0, 3.0, 3.0, 8.0, 10.0]}
TINY_N = {"a": 2, "b": 3}


def _all_stratified_samples() -> list[dict[str, list[float]]]:
    per_stratum = [
        [list(c) for c in itertools.combinations(TINY[key], TINY_N[key])] for key in TINY
    ]
    return [dict(zip(TINY, choice, strict=True)) for choice in itertools.product(*per_stratum)]


def test_stratified_mean_and_variance_estimator_are_unbiased_by_enumeration() -> None:
    sizes = {key: len(values) for key, values in TINY.items()}
    results = [stratified_mean(sample, sizes) for sample in _all_stratified_samples()]
    assert len(results) == 6 * 10
    values = np.array([r.value for r in results])
    true_mean = np.mean(TINY["a"] + TINY["b"])
    true_variance = sum(
        (sizes[k] / 9) ** 2 * (1 - TINY_N[k] / sizes[k]) * np.var(TINY[k], ddof=1) / TINY_N[k]
        for k in TINY
    )
    assert values.mean() == pytest.approx(true_mean)
    assert values.var() == pytest.approx(true_variance)
    assert np.mean([r.se**2 for r in results]) == pytest.approx(true_variance)


def test_stratified_mean_by_hand() -> None:
    result = stratified_mean({"a": [1, 2, 3], "b": [4, 5, 6, 7]}, {"a": 10, "b": 30})
    # W = 0.25, 0.75; v = 0.0625·0.7·1/3 + 0.5625·(26/30)·(5/3)/4
    assert result.value == pytest.approx(0.25 * 2 + 0.75 * 5.5)
    assert result.se == pytest.approx(math.sqrt(0.0625 * 0.7 / 3 + 0.5625 * 26 / 30 * 5 / 12))
    assert result.n == 7


def test_stratified_proportion_equals_stratified_mean_of_zero_one_answers() -> None:
    population = {"north": 400, "south": 600}
    as_counts = stratified_proportion({"north": 12, "south": 30}, {"north": 40, "south": 50},
                                      population)  # fmt: skip
    as_values = stratified_mean(
        {"north": [1] * 12 + [0] * 28, "south": [1] * 30 + [0] * 20}, population
    )
    assert as_counts.value == pytest.approx(as_values.value)
    assert as_counts.se == pytest.approx(as_values.se)
    assert 0.0 <= as_counts.ci_low <= as_counts.ci_high <= 1.0


def test_census_stratum_adds_no_variance() -> None:
    result = stratified_mean({"vip": [5.0], "rest": [1.0, 3.0]}, {"vip": 1, "rest": 100})
    rest_only = (100 / 101) ** 2 * (1 - 2 / 100) * 2.0 / 2
    assert result.se == pytest.approx(math.sqrt(rest_only))


def test_stratified_mean_needs_two_answers_per_sampled_stratum() -> None:
    with pytest.raises(ValueError, match="collapse it"):
        stratified_mean({"a": [1.0], "b": [1.0, 2.0]}, {"a": 10, "b": 10})


def test_stratified_mean_rejects_strata_without_population() -> None:
    with pytest.raises(ValueError, match="no population size"):
        stratified_mean({"a": [1.0, 2.0], "x": [1.0, 2.0]}, {"a": 10})


def test_stratified_mean_rejects_more_answers_than_population() -> None:
    with pytest.raises(ValueError, match="population of only 2"):
        stratified_mean({"a": [1.0, 2.0, 3.0]}, {"a": 2})


# --------------------------------------------------------------------------- post-stratified


def test_poststratified_mean_by_hand() -> None:
    result = poststratified_mean({"a": [1, 2, 3], "b": [4, 5, 6, 7]}, {"a": 10, "b": 30})
    within = 0.25 * 1.0 + 0.75 * (5 / 3)
    between = 0.75 * 1.0 + 0.25 * (5 / 3)
    assert result.value == pytest.approx(4.625)
    assert result.se == pytest.approx(math.sqrt((1 - 7 / 40) / 7 * within + between / 49))


def test_poststratified_variance_approximates_repeated_sampling() -> None:
    rng = np.random.default_rng(20240601)
    groups = np.repeat([0, 1, 2], [300, 200, 100])
    values = np.concatenate([rng.normal(3, 1, 300), rng.normal(5, 2, 200), rng.normal(8, 1, 100)])
    sizes = {0: 300, 1: 200, 2: 100}
    estimates, variances = [], []
    for _ in range(1500):
        chosen = rng.choice(600, size=90, replace=False)
        samples = {g: values[chosen][groups[chosen] == g].tolist() for g in sizes}
        result = poststratified_mean(samples, sizes)
        estimates.append(result.value)
        variances.append(result.se**2)
    assert np.mean(estimates) == pytest.approx(values.mean(), abs=0.02)
    assert np.mean(variances) == pytest.approx(np.var(estimates), rel=0.15)


def test_poststratified_proportion_matches_mean_of_zero_one_answers() -> None:
    population = {"web": 700, "phone": 300}
    counts = poststratified_proportion({"web": 20, "phone": 5}, {"web": 60, "phone": 20},
                                       population)  # fmt: skip
    values = poststratified_mean(
        {"web": [1] * 20 + [0] * 40, "phone": [1] * 5 + [0] * 15}, population
    )
    assert counts.value == pytest.approx(values.value)
    assert counts.se == pytest.approx(values.se)


def test_poststratified_mean_needs_answers_in_every_poststratum() -> None:
    with pytest.raises(ValueError, match="0 answer"):
        poststratified_mean({"a": [1.0, 2.0]}, {"a": 10, "b": 10})


# --------------------------------------------------------------------------- weighted NPS


def test_weighted_nps_is_population_weighted_stratum_nps() -> None:
    scores = {"gold": [10, 9, 0, 7], "basic": [0, 3, 9, 10, 8, 6]}
    population = {"gold": 100, "basic": 900}
    result = weighted_nps(scores, population)
    gold, basic = nps(scores["gold"]).value, nps(scores["basic"]).value
    assert result.value == pytest.approx(0.1 * gold + 0.9 * basic)
    assert result.method == "stratified NPS, normal"
    assert -100.0 <= result.ci_low <= result.ci_high <= 100.0


def test_weighted_nps_post_stratified() -> None:
    scores = {"gold": [10, 9, 0, 7], "basic": [0, 3, 9, 10, 8, 6]}
    result = weighted_nps(scores, {"gold": 100, "basic": 900}, poststratified=True)
    assert result.method == "post-stratified NPS, normal"
    assert isinstance(result, Estimate)

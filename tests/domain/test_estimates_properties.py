"""Property tests (hypothesis) of the weighted estimators and the NPS standard error.

Each property is a textbook identity: a stratified mean with one stratum is the sample mean
with the finite-population-corrected variance (Cochran 1977, 5.3 with H = 1); a weighted mean
lies between the smallest and largest stratum mean; the NPS standard error is the standard
error of the mean of answers coded +100/0/−100 (Rocks 2016).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuqi.domain.estimates import nps, stratified_mean, weighted_nps

answers = st.lists(st.integers(1, 7), min_size=2, max_size=50)


@given(answers, st.integers(0, 10_000))
def test_one_stratum_is_the_sample_mean_with_fpc(values: list[int], extra: int) -> None:
    population = len(values) + extra
    result = stratified_mean({"all": values}, {"all": population})
    n = len(values)
    expected_se = math.sqrt((1 - n / population) * np.var(values, ddof=1) / n)
    assert result.value == pytest.approx(np.mean(values))
    assert result.se == pytest.approx(expected_se, abs=1e-12)
    assert result.ci_low <= result.value <= result.ci_high


@given(st.dictionaries(st.sampled_from("abcd"), answers, min_size=1), st.integers(60, 5_000))
def test_stratified_mean_lies_between_the_stratum_means(samples: dict, base: int) -> None:
    sizes = {key: base * (i + 1) for i, key in enumerate(samples)}
    result = stratified_mean(samples, sizes)
    means = [np.mean(v) for v in samples.values()]
    assert min(means) - 1e-9 <= result.value <= max(means) + 1e-9


@given(st.lists(st.integers(0, 10), min_size=1, max_size=300))
def test_nps_se_is_the_se_of_coded_answers(scores: list[int]) -> None:
    codes = np.array([100 if s >= 9 else -100 if s <= 6 else 0 for s in scores], dtype=float)
    result = nps(scores, method="wald")
    assert result.value == pytest.approx(codes.mean())
    assert result.se == pytest.approx(codes.std(ddof=0) / math.sqrt(len(codes)), abs=1e-9)


@given(st.lists(st.integers(0, 10), min_size=2, max_size=300))
def test_weighted_nps_of_one_stratum_is_the_nps(scores: list[int]) -> None:
    result = weighted_nps({"all": scores}, {"all": 10**9})
    assert result.value == pytest.approx(nps(scores).value)
    assert -100.0 <= result.ci_low <= result.ci_high <= 100.0

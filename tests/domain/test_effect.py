"""Before/after comparisons: golden values from published examples, checked against SciPy.

Proportions: Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10 (hybrid
score interval without continuity correction), its eight examples (a)–(h). Newcombe states each
as p1 − p2 with p1 the first proportion; ``compare_proportions`` returns after − before, so the
first proportion is passed as "after". Note: example (a) is 56/70 − 48/80 = 0.2000 with the
method-10 interval 0.0524 to 0.3339.

Means: the sleep data of "Student" (1908), "The probable error of a mean", Biometrika 6:1–25
(R's ``datasets::sleep``), whose Welch test is the example of R's ``?t.test``:
``t.test(extra ~ group, data = sleep)`` → t = −1.8608, df = 17.776, p-value = 0.07939, 95 % CI
−3.3654832 to 0.2054832 for group 1 − group 2 (here after − before, so the signs flip).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize, stats

from yuqi.domain.effect import (
    Change,
    compare_means,
    compare_proportions,
    wilson_interval,
)

NEWCOMBE_METHOD_10 = [
    # (x1, n1, x2, n2) as printed (p1 = x1/n1 first), low, high
    ((56, 70, 48, 80), 0.0524, 0.3339),
    ((9, 10, 3, 10), 0.1705, 0.8090),
    ((6, 7, 2, 7), 0.0582, 0.8062),
    ((5, 56, 0, 29), -0.0381, 0.1926),
    ((0, 10, 0, 20), -0.1611, 0.2775),
    ((0, 10, 0, 10), -0.2775, 0.2775),
    ((10, 10, 0, 20), 0.6791, 1.0000),
    ((10, 10, 0, 10), 0.6075, 1.0000),
]


@pytest.mark.parametrize(("counts", "low", "high"), NEWCOMBE_METHOD_10)
def test_newcombe_1998_table_ii_method_10(
    counts: tuple[int, int, int, int], low: float, high: float
) -> None:
    first_x, first_n, second_x, second_n = counts
    result = compare_proportions(second_x, second_n, first_x, first_n)
    assert result.difference == pytest.approx(first_x / first_n - second_x / second_n)
    assert round(result.low, 4) == low
    assert round(result.high, 4) == high


def test_newcombe_example_a_in_full() -> None:
    result = compare_proportions(48, 80, 56, 70)
    assert result.difference == pytest.approx(0.2)
    assert result.change is Change.INCREASE
    assert result.significant is True


def test_pooled_z_test_equals_chi_square_without_correction() -> None:
    """Independent check: Pearson's chi-square on the 2×2 table (scipy) is z² of the pooled
    z-test, so the p-values are the same."""
    result = compare_proportions(48, 80, 56, 70)
    table = np.array([[48, 32], [56, 14]])
    chi2 = stats.chi2_contingency(table, correction=False)
    assert result.p_value == pytest.approx(chi2.pvalue, rel=1e-12)


def _wilson_by_root_finding(x: int, n: int, confidence: float) -> tuple[float, float]:
    """Wilson's limits as the roots of |x/n − p| = z·sqrt(p(1 − p)/n) (the score test)."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    p_hat = x / n

    def score(p: float) -> float:
        return (p_hat - p) ** 2 - z * z * p * (1 - p) / n

    inside = min(max(p_hat, 1e-12), 1 - 1e-12)  # strictly between the two roots
    low = 0.0 if x == 0 else optimize.brentq(score, 0.0, inside, xtol=1e-14)
    high = 1.0 if x == n else optimize.brentq(score, inside, 1.0, xtol=1e-14)
    return low, high


@given(
    n=st.integers(1, 500),
    share=st.floats(0, 1),
    confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_wilson_interval_matches_the_score_test_inversion(
    n: int, share: float, confidence: float
) -> None:
    x = round(share * n)
    low, high = wilson_interval(x, n, confidence)
    expected_low, expected_high = _wilson_by_root_finding(x, n, confidence)
    assert low == pytest.approx(expected_low, abs=1e-9)
    assert high == pytest.approx(expected_high, abs=1e-9)


@given(
    n1=st.integers(1, 300),
    n2=st.integers(1, 300),
    s1=st.floats(0, 1),
    s2=st.floats(0, 1),
)
def test_newcombe_interval_contains_the_difference_and_stays_in_range(
    n1: int, n2: int, s1: float, s2: float
) -> None:
    x1, x2 = round(s1 * n1), round(s2 * n2)
    result = compare_proportions(x1, n1, x2, n2)
    assert result.low is not None
    assert result.high is not None
    assert -1 - 1e-12 <= result.low <= result.difference <= result.high <= 1 + 1e-12
    assert 0 <= result.p_value <= 1


@pytest.mark.parametrize(("n1", "n2"), [(0, 10), (10, 0), (0, 0)])
def test_empty_window_gives_no_interval_never_a_division_error(n1: int, n2: int) -> None:
    result = compare_proportions(0, n1, 0, n2)
    assert result.difference is None
    assert result.low is None
    assert result.high is None
    assert result.p_value is None
    assert result.change is Change.NOT_COMPUTABLE
    assert result.significant is None
    assert "n = 0" in (result.reason or "")


def test_all_successes_in_both_windows_has_p_value_one() -> None:
    result = compare_proportions(20, 20, 30, 30)
    assert result.difference == 0
    assert result.p_value == 1.0
    assert result.change is Change.NO_EVIDENCE


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((5, 4, 1, 2), "before"),
        ((1, 2, -1, 2), "after"),
        ((1.5, 2, 1, 2), "whole number"),
        ((True, 2, 1, 2), "whole number"),
    ],
)
def test_bad_counts_are_refused_naming_the_window(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compare_proportions(*args)


def test_bad_confidence_is_refused() -> None:
    with pytest.raises(ValueError, match="confidence"):
        compare_proportions(1, 2, 1, 2, confidence=95)


# ------------------------------------------------------------------------------- Welch

SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_welch_on_students_sleep_data_matches_r_t_test() -> None:
    result = compare_means(SLEEP_GROUP_1, SLEEP_GROUP_2)
    assert result.mean1 == pytest.approx(0.75)
    assert result.mean2 == pytest.approx(2.33)
    assert result.difference == pytest.approx(1.58)
    assert result.t == pytest.approx(1.8608, abs=5e-5)
    assert result.df == pytest.approx(17.776, abs=5e-4)
    assert result.p_value == pytest.approx(0.07939, abs=5e-6)
    assert result.low == pytest.approx(-0.2054832, abs=5e-8)
    assert result.high == pytest.approx(3.3654832, abs=5e-8)
    assert result.change is Change.NO_EVIDENCE


@given(
    before=st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=40),
    after=st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=40),
    confidence=st.sampled_from([0.9, 0.95, 0.99]),
)
def test_welch_agrees_with_scipy(
    before: list[float], after: list[float], confidence: float
) -> None:
    if min(np.ptp(before), np.ptp(after)) < 1e-3:
        return  # (near-)constant windows: scipy warns of cancellation; see the no-variance test
    result = compare_means(before, after, confidence)
    expected = stats.ttest_ind(after, before, equal_var=False)
    interval = expected.confidence_interval(confidence)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-7, abs=1e-12)
    assert result.df == pytest.approx(expected.df, rel=1e-9)
    assert result.low == pytest.approx(interval.low, rel=1e-7, abs=1e-9)
    assert result.high == pytest.approx(interval.high, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize(("before", "after"), [([], [1.0, 2.0]), ([1.0], [1.0, 2.0]), ([], [])])
def test_too_few_values_give_no_interval(before: list[float], after: list[float]) -> None:
    result = compare_means(before, after)
    assert result.low is None
    assert result.p_value is None
    assert result.df is None
    assert result.change is Change.NOT_COMPUTABLE
    assert result.reason


def test_no_variance_gives_no_interval_but_keeps_the_difference() -> None:
    result = compare_means([3.0, 3.0, 3.0], [4.0, 4.0])
    assert result.difference == 1.0
    assert result.low is None
    assert "variance" in (result.reason or "")


def test_non_finite_value_is_refused_naming_its_position() -> None:
    with pytest.raises(ValueError, match=r"after\[1\]"):
        compare_means([1.0, 2.0], [1.0, math.nan])

"""Agreement statistics: golden values from the published examples, independent checks.

Krippendorff's alpha: the reliability data of Krippendorff (2011), "Computing Krippendorff's
Alpha-Reliability", section C (4 observers × 12 units, values 1–5, missing values), for which the
paper gives n = 40 pairable values and α = 0.743 (nominal), 0.815 (ordinal), 0.849 (interval)
and 0.797 (ratio). Independently, α is recomputed in the tests from its pairwise definition
(average disagreement over all pairs of values within units vs over all pairs of pairable
values), without the coincidence matrix.

Cohen's kappa: the 2×2 examples of Wikipedia's "Cohen's kappa" article (50 applications: 20
both yes, 5 A yes/B no, 10 A no/B yes, 15 both no → p_o = 0.70, p_e = 0.50, κ = 0.40; and the
two tables with the same 60 % agreement, κ = 0.1304 and 0.2593), cross-checked with
``sklearn.metrics.cohen_kappa_score``, which also checks the weighted variants.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from yuqi.domain.quality import (
    cohen_kappa,
    krippendorff_alpha,
    krippendorff_reading,
    landis_koch,
)

N = None
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


@pytest.mark.parametrize(
    ("level", "expected"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_example(level: str, expected: float) -> None:
    result = krippendorff_alpha(KRIPPENDORFF_2011, level)
    assert result.alpha is not None
    assert round(result.alpha, 3) == expected
    assert result.pairable_values == 40
    assert result.units == 11  # unit 12 has a single value


def _pairwise_alpha(data: list[list[int | None]], level: str) -> float | None:
    """α = 1 − D_o/D_e from pairs: D_o averages δ² over ordered pairs of values within a
    unit (each unit weighted 1/(m_u − 1)), D_e over all ordered pairs of pairable values."""
    units = [[row[j] for row in data if row[j] is not None] for j in range(len(data[0]))]
    units = [u for u in units if len(u) >= 2]
    pooled = [v for u in units for v in u]
    n = len(pooled)

    def delta(c: float, k: float) -> float:
        if level == "nominal":
            return float(c != k)
        return float((c - k) ** 2)

    observed = sum(
        delta(c, k) / (len(u) - 1) for u in units for c, k in itertools.permutations(u, 2)
    )
    expected = sum(delta(c, k) for c, k in itertools.permutations(pooled, 2))
    if n < 2 or expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


reliability_data = st.integers(2, 5).flatmap(
    lambda raters: st.integers(1, 12).flatmap(
        lambda units: st.lists(
            st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=units, max_size=units),
            min_size=raters,
            max_size=raters,
        )
    )
)


@given(data=reliability_data, level=st.sampled_from(["nominal", "interval"]))
def test_alpha_matches_its_pairwise_definition(data: list[list[int | None]], level: str) -> None:
    expected = _pairwise_alpha(data, level)
    result = krippendorff_alpha(data, level)
    if expected is None:
        assert result.alpha is None
    else:
        assert result.alpha == pytest.approx(expected, abs=1e-9)


def test_perfect_agreement_is_one() -> None:
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 3]], "interval").alpha == pytest.approx(1.0)


def test_one_evaluator_is_not_computable_never_one() -> None:
    result = krippendorff_alpha([[1, 2, 3, 4]], "interval")
    assert result.alpha is None
    assert "two evaluators" in (result.reason or "")
    assert result.reading is None


def test_no_contact_scored_twice_is_not_computable() -> None:
    result = krippendorff_alpha([[1, N, 3], [N, 2, N]], "nominal")
    assert result.alpha is None
    assert result.pairable_values == 0


def test_identical_values_everywhere_are_not_computable() -> None:
    result = krippendorff_alpha([[2, 2, 2], [2, 2, 2]], "nominal")
    assert result.alpha is None
    assert "same" in (result.reason or "")


def test_nominal_alpha_takes_labels() -> None:
    result = krippendorff_alpha([["pass", "fail", "pass"], ["pass", "fail", "fail"]], "nominal")
    assert result.alpha is not None


@pytest.mark.parametrize(
    ("data", "level", "message"),
    [
        ([[1, 2], [1]], "nominal", "row 1"),
        ([[1, "a"], [1, 2]], "interval", "row 0, contact 1"),
        ([[1, -2], [1, 2]], "ratio", "negative"),
        ([[1, float("nan")], [1, 2]], "interval", "NaN"),
        ([[1, 2], [1, 2]], "cardinal", "level"),
    ],
)
def test_bad_reliability_data_is_refused(data: list, level: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        krippendorff_alpha(data, level)


# ------------------------------------------------------------------------------- kappa


def _table(yy: int, yn: int, ny: int, nn: int) -> tuple[list[str], list[str]]:
    a = ["yes"] * (yy + yn) + ["no"] * (ny + nn)
    b = ["yes"] * yy + ["no"] * yn + ["yes"] * ny + ["no"] * nn
    return a, b


@pytest.mark.parametrize(
    ("cells", "expected"),
    [((20, 5, 10, 15), 0.4), ((45, 15, 25, 15), 0.1304), ((25, 35, 5, 35), 0.2593)],
)
def test_cohen_kappa_published_2x2_examples(
    cells: tuple[int, int, int, int], expected: float
) -> None:
    a, b = _table(*cells)
    result = cohen_kappa(a, b)
    assert round(result.kappa, 4) == expected
    assert result.kappa == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


def test_cohen_kappa_reports_observed_and_chance_agreement() -> None:
    result = cohen_kappa(*_table(20, 5, 10, 15))
    assert result.observed == pytest.approx(0.70)
    assert result.expected == pytest.approx(0.50)
    assert result.n == 50
    assert result.reading == "fair"


scores = st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=60)


@given(pairs=scores, weights=st.sampled_from([None, "linear", "quadratic"]))
def test_kappa_agrees_with_sklearn(pairs: list[tuple[int, int]], weights: str | None) -> None:
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    result = cohen_kappa(a, b, weights)
    if result.kappa is None:
        assert len(set(a) | set(b)) == 1
        return
    assert result.kappa == pytest.approx(cohen_kappa_score(a, b, weights=weights), abs=1e-9)


def test_unscored_contacts_are_dropped() -> None:
    result = cohen_kappa([1, 2, None, 3], [1, 2, 3, None])
    assert result.n == 2
    assert result.kappa == pytest.approx(1.0)


def test_kappa_with_no_scored_pair_is_not_computable() -> None:
    result = cohen_kappa([None, 1], [2, None])
    assert result.kappa is None
    assert result.n == 0


def test_kappa_with_a_single_shared_category_is_not_computable() -> None:
    assert cohen_kappa(["pass"] * 5, ["pass"] * 5).kappa is None


def test_kappa_refuses_lists_of_different_length_and_unknown_weights() -> None:
    with pytest.raises(ValueError, match="contacts"):
        cohen_kappa([1, 2], [1])
    with pytest.raises(ValueError, match="weights"):
        cohen_kappa([1, 2], [1, 2], "cubic")


def test_labels_fix_the_order_for_weighted_kappa() -> None:
    a, b = ["low", "mid", "high", "mid"], ["mid", "mid", "high", "low"]
    order = ["low", "mid", "high"]
    result = cohen_kappa(a, b, "linear", labels=order)
    assert result.kappa == pytest.approx(cohen_kappa_score(a, b, labels=order, weights="linear"))


# ----------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (-0.1, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.21, "fair"),
        (0.4, "fair"),
        (0.6, "moderate"),
        (0.61, "substantial"),
        (0.81, "almost_perfect"),
        (1.0, "almost_perfect"),
    ],
)
def test_landis_koch_bands(value: float, key: str) -> None:
    assert landis_koch(value) == key


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (0.9, "reliable"),
        (0.8, "reliable"),
        (0.743, "tentative"),
        (0.667, "tentative"),
        (0.6, "unreliable"),
    ],
)
def test_krippendorff_reading(value: float, key: str) -> None:
    assert krippendorff_reading(value) == key


def test_reading_of_not_computable_is_none() -> None:
    assert landis_koch(None) is None
    assert krippendorff_reading(None) is None

"""SERVQUAL gap scores.

The item–dimension split of the 22-item instrument is from Parasuraman, Zeithaml & Berry
(1988): tangibles 1–4, reliability 5–9, responsiveness 10–13, assurance 14–17,
empathy 18–22. The worked case below is computed by hand following the scoring steps of
Zeithaml, Parasuraman & Berry (1990, appendix): item gaps P − E, dimension gap as the mean
of the respondent's item gaps, unweighted score as the mean of the five dimension gaps,
weighted score as Σ (points/100) · dimension gap, then averaged over respondents.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuqi.domain.servqual import (
    DIMENSIONS,
    PZB_1988_ITEMS,
    ServqualResponse,
    analyse,
    unweighted_score,
    validate_allocation,
    weighted_score,
)

ITEMS = {
    "t1": "tangibles",
    "r1": "reliability",
    "r2": "reliability",
    "s1": "responsiveness",
    "a1": "assurance",
    "e1": "empathy",
}

# Respondent 1 gaps: t −1, r (−2, −1) → −1.5, s 0, a +1, e −2.
# Unweighted (−1 − 1.5 + 0 + 1 − 2)/5 = −0.70; weighted with 10/30/20/20/20 points:
# −0.1 − 0.45 + 0 + 0.2 − 0.4 = −0.75.
ZHAO_MIN = ServqualResponse(
    answers={"t1": (6, 5), "r1": (7, 5), "r2": (7, 6), "s1": (6, 6), "a1": (5, 6), "e1": (6, 4)},
    importance={"tangibles": 10, "reliability": 30, "responsiveness": 20, "assurance": 20,
                "empathy": 20},
)  # fmt: skip
# Respondent 2 gaps: t 0, r (−3, −1) → −2, s −2, a 0, e 0.
# Unweighted −4/5 = −0.80; weighted with 20/40/20/10/10 points: −0.8 − 0.4 = −1.20.
QIAN_LEI = ServqualResponse(
    answers={"t1": (5, 5), "r1": (7, 4), "r2": (6, 5), "s1": (7, 5), "a1": (6, 6), "e1": (5, 5)},
    importance={"tangibles": 20, "reliability": 40, "responsiveness": 20, "assurance": 10,
                "empathy": 10},
)  # fmt: skip


def test_pzb_1988_item_map_has_22_items_in_five_dimensions() -> None:
    assert len(PZB_1988_ITEMS) == 22
    counts = {d: list(PZB_1988_ITEMS.values()).count(d) for d in DIMENSIONS}
    assert counts == {"tangibles": 4, "reliability": 5, "responsiveness": 4, "assurance": 4,
                      "empathy": 5}  # fmt: skip
    assert PZB_1988_ITEMS[5] == "reliability"
    assert PZB_1988_ITEMS[22] == "empathy"


def test_weighted_score_small_worked_case() -> None:
    gaps = {"tangibles": -1, "reliability": -1.5, "responsiveness": 0, "assurance": 1,
            "empathy": -2}  # fmt: skip
    assert unweighted_score(gaps) == pytest.approx(-0.70)
    assert weighted_score(gaps, ZHAO_MIN.importance) == pytest.approx(-0.75)


def test_analysis_of_worked_case() -> None:
    result = analyse([ZHAO_MIN, QIAN_LEI], ITEMS)
    assert result.respondents == 2
    assert result.unweighted.value == pytest.approx(-0.75)
    assert result.weighted.value == pytest.approx(-0.975)
    # t interval with 1 df: −0.75 ± 12.7062·0.05
    assert result.unweighted.ci_low == pytest.approx(-1.385310, abs=1e-6)
    assert result.unweighted.ci_high == pytest.approx(-0.114690, abs=1e-6)
    assert result.unweighted.n == result.weighted.n == 2


def test_dimension_scores_of_worked_case() -> None:
    result = analyse([ZHAO_MIN, QIAN_LEI], ITEMS)
    reliability = next(d for d in result.dimensions if d.dimension == "reliability")
    assert reliability.items == 2
    assert reliability.expectation == pytest.approx(6.75)
    assert reliability.perception == pytest.approx(5.0)
    assert reliability.gap.value == pytest.approx(-1.75)
    assert reliability.importance == pytest.approx(0.35)
    assert [d.dimension for d in result.dimensions] == list(DIMENSIONS)


def test_item_scores_of_worked_case() -> None:
    result = analyse([ZHAO_MIN, QIAN_LEI], ITEMS)
    r1 = next(i for i in result.items if i.item == "r1")
    assert (r1.expectation, r1.perception) == (7.0, 4.5)
    assert r1.gap.value == pytest.approx(-2.5)
    assert r1.gap.n == 2
    assert [i.item for i in result.items] == list(ITEMS)


def test_single_answer_has_no_interval() -> None:
    result = analyse([ServqualResponse(answers={"t1": (6, 4)})], ITEMS)
    assert result.items[0].gap.value == -2.0
    assert result.items[0].gap.ci_low is None
    assert result.unweighted is None  # four dimensions unanswered
    assert result.weighted is None


def test_respondent_missing_a_dimension_is_left_out_of_overall_scores() -> None:
    partial = ServqualResponse(answers={"t1": (7, 1)}, importance={"tangibles": 100})
    result = analyse([ZHAO_MIN, QIAN_LEI, partial], ITEMS)
    assert result.unweighted.n == 2
    assert result.weighted.n == 3  # all its points go to the one dimension it answered
    tangibles = next(d for d in result.dimensions if d.dimension == "tangibles")
    assert tangibles.gap.n == 3


def test_respondent_without_allocation_counts_only_unweighted() -> None:
    plain = ServqualResponse(answers=dict(ZHAO_MIN.answers))
    result = analyse([plain, QIAN_LEI], ITEMS)
    assert result.unweighted.n == 2
    assert result.weighted.n == 1
    assert result.weighted.ci_low is None


def test_analysis_uses_pzb_items_by_default() -> None:
    answers = dict.fromkeys(PZB_1988_ITEMS, (6, 5))
    result = analyse([ServqualResponse(answers=answers)] * 3)
    assert len(result.items) == 22
    assert result.unweighted.value == pytest.approx(-1.0)


@pytest.mark.parametrize(
    ("answer", "message"),
    [((0, 5), "expectation must be a whole number from 1 to 7"),
     ((5, 8), "perception must be a whole number from 1 to 7"),
     ((5.5, 5), "expectation"),
     ((5,), "pair")],
)  # fmt: skip
def test_answers_must_be_on_the_seven_point_scale(answer: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        analyse([ServqualResponse(answers={"t1": answer})], ITEMS)


def test_unknown_item_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown item 'x9'"):
        analyse([ServqualResponse(answers={"x9": (5, 5)})], ITEMS)


def test_item_map_with_unknown_dimension_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown dimensions"):
        analyse([], {"q1": "friendliness"})


@pytest.mark.parametrize(
    ("allocation", "message"),
    [({"tangibles": 50, "reliability": 40}, "add up to 100, got 90"),
     ({"tangibles": 120, "reliability": -20}, "non-negative"),
     ({"tangibles": 50, "speed": 50}, "unknown SERVQUAL dimension")],
)  # fmt: skip
def test_allocation_must_be_100_points_over_known_dimensions(
    allocation: dict, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        validate_allocation(allocation)


def test_invalid_allocation_in_a_response_names_the_response() -> None:
    bad = ServqualResponse(answers={"t1": (5, 5)}, importance={"tangibles": 99})
    with pytest.raises(ValueError, match="response 1: importance points must add up to 100"):
        analyse([ZHAO_MIN, bad], ITEMS)


def test_weighted_score_needs_gaps_for_weighted_dimensions() -> None:
    with pytest.raises(ValueError, match="without a gap"):
        weighted_score({"tangibles": -1.0}, {"tangibles": 50, "empathy": 50})


scale = st.integers(1, 7)
full_response = st.fixed_dictionaries({item: st.tuples(scale, scale) for item in ITEMS})


@given(st.lists(full_response, min_size=1, max_size=20))
def test_equal_allocation_weighted_score_equals_unweighted(answers: list[dict]) -> None:
    equal = dict.fromkeys(DIMENSIONS, 20)
    result = analyse([ServqualResponse(a, equal) for a in answers], ITEMS)
    assert result.weighted.value == pytest.approx(result.unweighted.value)
    for item in result.items:
        assert item.gap.value == pytest.approx(item.perception - item.expectation)
        assert -6.0 <= item.gap.value <= 6.0

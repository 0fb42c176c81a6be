"""Kano evaluation table, Better/Worse coefficients and feature summaries.

The expected table is the standard Kano evaluation table as printed in Berger et al. (1993,
Center for Quality Management Journal 2(4)) and Matzler & Hinterhuber (1998, Technovation
18(1), table 1), written out here cell by cell, independently of the module. Coefficients
follow Berger et al.: better = (A+O)/(A+O+M+I), worse = −(O+M)/(A+O+M+I).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuqi.domain.kano import (
    ANSWERS,
    CATEGORIES,
    classify,
    coefficients,
    fong_margin,
    summarize,
    summary_from_counts,
)

# (functional, dysfunctional) -> category: all 25 cells.
EVALUATION_TABLE = {
    ("like", "like"): "Q",
    ("like", "must-be"): "A",
    ("like", "neutral"): "A",
    ("like", "live-with"): "A",
    ("like", "dislike"): "O",
    ("must-be", "like"): "R",
    ("must-be", "must-be"): "I",
    ("must-be", "neutral"): "I",
    ("must-be", "live-with"): "I",
    ("must-be", "dislike"): "M",
    ("neutral", "like"): "R",
    ("neutral", "must-be"): "I",
    ("neutral", "neutral"): "I",
    ("neutral", "live-with"): "I",
    ("neutral", "dislike"): "M",
    ("live-with", "like"): "R",
    ("live-with", "must-be"): "I",
    ("live-with", "neutral"): "I",
    ("live-with", "live-with"): "I",
    ("live-with", "dislike"): "M",
    ("dislike", "like"): "R",
    ("dislike", "must-be"): "R",
    ("dislike", "neutral"): "R",
    ("dislike", "live-with"): "R",
    ("dislike", "dislike"): "Q",
}


@pytest.mark.parametrize(("pair", "category"), sorted(EVALUATION_TABLE.items()))
def test_every_cell_of_the_evaluation_table(pair: tuple[str, str], category: str) -> None:
    assert classify(*pair) == category


@pytest.mark.parametrize(("pair", "category"), sorted(EVALUATION_TABLE.items()))
def test_numeric_answers_follow_the_same_table(pair: tuple[str, str], category: str) -> None:
    functional, dysfunctional = (ANSWERS.index(answer) + 1 for answer in pair)
    assert classify(functional, dysfunctional) == category


def test_table_covers_all_answer_pairs() -> None:
    assert len(EVALUATION_TABLE) == 25
    assert set(EVALUATION_TABLE) == {(f, d) for f in ANSWERS for d in ANSWERS}


@pytest.mark.parametrize(
    ("functional", "dysfunctional"),
    [("Like", "DISLIKE"), (" like ", "dislike"), ("like", "Dislike")],
)
def test_text_answers_ignore_case_and_spaces(functional: str, dysfunctional: str) -> None:
    assert classify(functional, dysfunctional) == "O"


def test_answer_spelling_variants_of_must_be_and_live_with() -> None:
    assert classify("Must be", "dislike") == "M"
    assert classify("live_with", "dislike") == "M"


@pytest.mark.parametrize("answer", ["love", "", 0, 6, True, 1.0, None])
def test_unknown_answers_raise_a_clear_error(answer: object) -> None:
    with pytest.raises(ValueError, match="Kano answer"):
        classify(answer, "like")  # type: ignore[arg-type]


def test_coefficients_worked_example() -> None:
    result = coefficients({"A": 10, "O": 20, "M": 30, "I": 40, "R": 5, "Q": 5})
    assert result.better == pytest.approx(0.30)  # (10 + 20) / 100
    assert result.worse == pytest.approx(-0.50)  # −(20 + 30) / 100
    assert result.n == 100  # R and Q are left out


def test_coefficients_zero_denominator_are_none() -> None:
    assert coefficients({"R": 3, "Q": 1}).better is None
    assert coefficients({}).worse is None
    assert coefficients({}).n == 0


def test_worse_is_never_negative_zero() -> None:
    worse = coefficients({"A": 5, "I": 5}).worse
    assert worse == 0.0
    assert math.copysign(1.0, worse) == 1.0


@pytest.mark.parametrize(
    ("counts", "message"),
    [({"X": 1}, "unknown Kano categories"), ({"A": -1}, "non-negative"), ({"A": 1.5}, "whole")],
)
def test_coefficients_reject_bad_counts(counts: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        coefficients(counts)


def test_summary_picks_most_frequent_category() -> None:
    pairs = [("neutral", "dislike")] * 5 + [("like", "dislike")] * 3 + [("like", "neutral")]
    summary = summarize(pairs)
    assert summary.category == "M"
    assert summary.ties == ()
    assert summary.counts == {"A": 1, "O": 3, "M": 5, "I": 0, "R": 0, "Q": 0}
    assert summary.n == 9
    assert summary.coefficients.better == pytest.approx(4 / 9)
    assert summary.coefficients.worse == pytest.approx(-8 / 9)


def test_summary_reports_ties_instead_of_hiding_them() -> None:
    pairs = [("like", "neutral")] * 4 + [("like", "dislike")] * 4 + [(3, 3)]
    summary = summarize(pairs)
    assert summary.ties == ("O", "A")  # M > O > A > I priority order
    assert summary.category == "O"


def test_summary_of_no_answers() -> None:
    summary = summarize([])
    assert summary.category is None
    assert summary.ties == ()
    assert summary.coefficients.better is None


def test_summary_names_the_bad_pair() -> None:
    with pytest.raises(ValueError, match="pair 1: unknown Kano answer 'meh'"):
        summarize([("like", "dislike"), ("meh", "dislike")])


answer = st.one_of(st.sampled_from(ANSWERS), st.integers(1, 5))


@given(st.lists(st.tuples(answer, answer), max_size=60))
def test_summary_counts_and_coefficient_ranges(pairs: list[tuple]) -> None:
    summary = summarize(pairs)
    assert sum(summary.counts.values()) == summary.n == len(pairs)
    assert set(summary.counts) == set(CATEGORIES)
    if pairs:
        top = max(summary.counts.values())
        assert summary.counts[summary.category] == top
        tied = {c for c, n in summary.counts.items() if n == top}
        assert set(summary.ties) == (tied if len(tied) > 1 else set())
    coefficients_ = summary.coefficients
    if coefficients_.n:
        assert 0.0 <= coefficients_.better <= 1.0
        assert -1.0 <= coefficients_.worse <= 0.0


# ---------------------------------------------------------------- strength and Fong's test
#
# Fong's (1996) test as published: the two most frequent categories with counts a and b out of
# n answers differ significantly when |a − b| ≥ 1.65 · sqrt((a + b)(2n − a − b) / (2n)).
# Expected values below are that arithmetic worked by hand, written out in each test.


def test_fong_margin_by_hand() -> None:
    # a = 10, b = 9, n = 25: 1.65 · sqrt(19 · 31 / 50) = 1.65 · sqrt(11.78) = 5.6631…
    assert fong_margin(10, 9, 25) == pytest.approx(1.65 * math.sqrt(11.78))
    assert fong_margin(10, 9, 25) == pytest.approx(5.66313, abs=1e-5)


def test_a_close_lead_is_mixed_and_berger_rule_decides() -> None:
    # A 10, O 9, I 4, M 2 (n = 25): A − O = 1 < 5.663 → not significant. Candidates within
    # Fong's margin of A: O (gap 1); I (gap 6 ≥ 1.65·sqrt(14·36/50) = 5.238) and M (gap 8 ≥
    # 1.65·sqrt(12·38/50) = 4.983) are not. M > O > A > I picks O over A.
    summary = summary_from_counts({"A": 10, "O": 9, "M": 2, "I": 4})
    assert summary.category == "A"  # the most frequent, as before
    assert summary.significant is False
    assert summary.mixed is True
    assert summary.candidates == ("O", "A")
    assert summary.decision == "O"
    assert summary.total_strength == pytest.approx(21 / 25)  # (A + O + M) / n = 0.84
    assert summary.category_strength == pytest.approx(1 / 25)  # 0.40 − 0.36


def test_a_clear_lead_is_significant() -> None:
    # A 30, O 10 (n = 50): margin 1.65 · sqrt(40 · 60 / 100) = 1.65 · sqrt(24) = 8.083 < 20.
    summary = summary_from_counts({"A": 30, "O": 10, "M": 5, "I": 5})
    assert summary.fong_margin == pytest.approx(1.65 * math.sqrt(24))
    assert summary.significant is True
    assert summary.mixed is False
    assert summary.candidates == ("A",)
    assert summary.decision == "A"
    assert summary.total_strength == pytest.approx(0.9)
    assert summary.category_strength == pytest.approx(0.4)


def test_reverse_and_questionable_answers_count_in_n_but_not_in_total_strength() -> None:
    summary = summary_from_counts({"M": 6, "I": 2, "R": 1, "Q": 1})
    assert summary.n == 10
    assert summary.total_strength == pytest.approx(0.6)


def test_no_answers_have_no_strength_and_no_decision() -> None:
    summary = summary_from_counts({})
    assert summary.significant is None
    assert summary.total_strength is None
    assert summary.candidates == ()
    assert summary.decision is None
    assert summary.mixed is False


def test_single_answer_is_never_significant() -> None:
    # a = 1, b = 0, n = 1: margin 1.65 · sqrt(1 · 1 / 2) = 1.167 > 1
    summary = summary_from_counts({"A": 1})
    assert summary.significant is False
    assert summary.decision == "A"


@given(
    st.dictionaries(st.sampled_from(CATEGORIES), st.integers(0, 200), min_size=1).filter(
        lambda counts: sum(counts.values()) > 0
    )
)
def test_decision_properties(counts: dict[str, int]) -> None:
    summary = summary_from_counts(counts)
    assert summary.decision in summary.candidates
    assert summary.category in summary.candidates
    assert set(summary.ties) <= set(summary.candidates)
    first, second = sorted(summary.counts.values(), reverse=True)[:2]
    assert summary.significant is (first - second >= fong_margin(first, second, summary.n))
    if summary.significant:
        assert summary.candidates == (summary.category,)
    assert 0 <= summary.category_strength <= 1
    assert 0 <= summary.total_strength <= 1


# ---------------------------------------------------------------- published tally, worked by hand
#
# The tally below is the worked example of the classic (majority) Kano analysis in "The complete
# guide to the Kano model" (kano-model.proofofthepudding.be, "Classic Kano survey analysis"):
# 25 respondents, feature 1 M 9 O 10 A 1 I 2 R 3 Q 0 ("One-Dimensional" by majority), feature 2
# M 9 O 5 A 4 I 2 R 4 Q 1 ("Must-Be" by majority). Strengths follow Lee & Newcomb (1997), the
# test Fong (1996), the tie-break Berger et al. (1993); every expected number is that published
# arithmetic done by hand in the comments (the papers' own tables were not at hand).
GUIDE_FEATURE_1 = {"M": 9, "O": 10, "A": 1, "I": 2, "R": 3, "Q": 0}
GUIDE_FEATURE_2 = {"M": 9, "O": 5, "A": 4, "I": 2, "R": 4, "Q": 1}


def test_guide_feature_1_majority_one_dimensional_is_not_significant() -> None:
    summary = summary_from_counts(GUIDE_FEATURE_1)
    assert summary.category == "O"  # the guide's majority answer
    # total strength (9 + 10 + 1) / 25 = 0.80; category strength (10 − 9) / 25 = 0.04
    assert summary.total_strength == pytest.approx(0.80)
    assert summary.category_strength == pytest.approx(0.04)
    # Fong: 1.65 · sqrt((10 + 9)(50 − 19) / 50) = 1.65 · sqrt(11.78) = 5.663 > lead 1
    assert summary.fong_margin == pytest.approx(5.6631, abs=1e-4)
    assert summary.significant is False
    assert summary.mixed is True
    # close to O: M (gap 1). Not I (gap 8 ≥ 1.65·sqrt(12·38/50) = 4.983), not R (gap 7 ≥
    # 1.65·sqrt(13·37/50) = 5.118), not A (gap 9). Berger: M before O.
    assert summary.candidates == ("M", "O")
    assert summary.decision == "M"


def test_guide_feature_2_majority_must_be_is_not_significant_either() -> None:
    summary = summary_from_counts(GUIDE_FEATURE_2)
    assert summary.category == "M"
    assert summary.total_strength == pytest.approx(18 / 25)  # 0.72
    assert summary.category_strength == pytest.approx(4 / 25)  # 0.36 − 0.20
    # 1.65 · sqrt(14 · 36 / 50) = 1.65 · sqrt(10.08) = 5.2386 > lead 4
    assert summary.fong_margin == pytest.approx(5.2386, abs=1e-4)
    assert summary.significant is False
    # O gap 4 < 5.239; A and R gap 5 < 1.65·sqrt(13·37/50) = 5.118; I gap 7 ≥ 4.833; Q gap 8
    # ≥ 1.65·sqrt(10·40/50) = 4.667.
    assert summary.candidates == ("M", "O", "A", "R")
    assert summary.decision == "M"


def test_the_same_shares_with_four_times_the_answers_become_significant() -> None:
    # feature 2 × 4 (n = 100): 1.65 · sqrt(56 · 144 / 200) = 1.65 · sqrt(40.32) = 10.4772 ≤ 16
    summary = summary_from_counts({k: 4 * v for k, v in GUIDE_FEATURE_2.items()})
    assert summary.fong_margin == pytest.approx(10.4772, abs=1e-4)
    assert summary.significant is True
    assert summary.candidates == ("M",)
    assert summary.decision == "M"
    # feature 1 × 4: 1.65 · sqrt(76 · 124 / 200) = 11.326 > lead 4: still mixed
    assert summary_from_counts({k: 4 * v for k, v in GUIDE_FEATURE_1.items()}).mixed is True


@pytest.mark.parametrize(
    ("counts", "decision"),
    [
        ({"A": 6, "O": 6, "M": 6, "I": 6}, "M"),  # all tied: M > O > A > I
        ({"A": 6, "O": 6, "I": 6}, "O"),
        ({"A": 6, "I": 6}, "A"),
        ({"I": 7, "A": 6}, "A"),  # I leads by 1, not significantly: A before I
    ],
)
def test_berger_rule_when_in_doubt(counts: dict[str, int], decision: str) -> None:
    summary = summary_from_counts(counts)
    assert summary.mixed is True
    assert summary.decision == decision

"""A/B/C grading rules each way, and the score formula on the documented worked example."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuqi.domain.grading import (
    DEFAULT_RULES,
    GradingInput,
    Resource,
    RuleSet,
    ScoreMethod,
    ScoreScales,
    ScoreWeights,
    score,
    suggest_grade,
)


def codes(item: GradingInput) -> tuple[str, ...]:
    return tuple(f.code for f in suggest_grade(item).fired)


def test_infeasible_is_c_even_if_cheap_and_quick() -> None:
    s = suggest_grade(GradingInput(feasible=False, resource=Resource.LOW, months=1))
    assert s.grade == "C"
    assert codes(GradingInput(feasible=False)) == ("infeasible",)


def test_low_resource_within_three_months_is_a() -> None:
    s = suggest_grade(GradingInput(feasible=True, resource=Resource.LOW, months=3))
    assert s.grade == "A"
    assert s.fired[0].code == "quick_win"


def test_low_resource_beyond_three_months_is_not_a() -> None:
    s = suggest_grade(GradingInput(feasible=True, resource=Resource.LOW, months=4))
    assert s.grade == "B"
    assert s.fired[0].code == "medium_term"


def test_medium_resource_quickly_is_not_a() -> None:
    s = suggest_grade(GradingInput(feasible=True, resource=Resource.MEDIUM, months=2))
    assert s.grade == "B"


def test_within_eighteen_months_is_b() -> None:
    assert suggest_grade(GradingInput(feasible=True, months=18)).grade == "B"


def test_beyond_eighteen_months_with_low_resource_is_c() -> None:
    s = suggest_grade(GradingInput(feasible=True, resource=Resource.LOW, months=24))
    assert s.grade == "C"
    assert s.fired[0].code == "otherwise"


def test_high_resource_without_time_is_b() -> None:
    s = suggest_grade(GradingInput(feasible=True, resource=Resource.HIGH))
    assert s.grade == "B"
    assert s.fired[0].code == "needs_resources"


def test_nothing_known_is_c() -> None:
    assert suggest_grade(GradingInput(feasible=True)).grade == "C"


def test_cost_amount_becomes_a_resource_level() -> None:
    assert DEFAULT_RULES.resource_of(GradingInput(feasible=True, cost=50_000)) is Resource.LOW
    assert DEFAULT_RULES.resource_of(GradingInput(feasible=True, cost=50_001)) is Resource.MEDIUM
    assert DEFAULT_RULES.resource_of(GradingInput(feasible=True, cost=600_000)) is Resource.HIGH
    assert suggest_grade(GradingInput(feasible=True, cost=10_000, months=2)).grade == "A"


@pytest.mark.parametrize("kano", ["R", "I"])
def test_kano_reverse_or_indifferent_lowers_one_grade(kano: str) -> None:
    s = suggest_grade(GradingInput(feasible=True, resource=Resource.LOW, months=2, kano=kano))
    assert (s.base_grade, s.grade) == ("A", "B")
    assert [f.code for f in s.fired] == ["quick_win", "kano_low_priority"]


@pytest.mark.parametrize("kano", ["M", "O", "A", "Q", None])
def test_other_kano_classes_keep_the_grade(kano: str | None) -> None:
    s = suggest_grade(GradingInput(feasible=True, resource=Resource.LOW, months=2, kano=kano))
    assert s.grade == "A"
    assert len(s.fired) == 1


def test_kano_adjustment_stops_at_c() -> None:
    assert suggest_grade(GradingInput(feasible=False, kano="I")).grade == "C"


def test_unknown_kano_class_is_rejected() -> None:
    with pytest.raises(ValueError, match="Kano"):
        GradingInput(feasible=True, kano="X")


def test_rules_round_trip_through_plain_data_and_can_be_edited() -> None:
    data = DEFAULT_RULES.to_dict()
    assert RuleSet.from_dict(data) == DEFAULT_RULES
    data["rules"][1]["when"]["max_months"] = 6  # the centre allows quick wins up to 6 months
    edited = RuleSet.from_dict(data)
    item = GradingInput(feasible=True, resource=Resource.LOW, months=5)
    assert suggest_grade(item).grade == "B"
    assert suggest_grade(item, edited).grade == "A"


def test_score_worked_example_additive() -> None:
    # The module docstring's example: 100 × (0.5·0.75 + 0.3·0.5 + 0.2·0.2) = 56.5
    s = score(
        importance=4,
        gap=1.5,
        affected=2_000,
        population=10_000,
        weights=ScoreWeights(0.5, 0.3, 0.2),
        scales=ScoreScales(importance_min=1, importance_max=5, gap_cap=3),
    )
    assert (s.importance_norm, s.gap_norm, s.reach_norm) == pytest.approx((0.75, 0.5, 0.2))
    assert s.value == pytest.approx(56.5)


def test_score_worked_example_multiplicative() -> None:
    s = score(
        importance=4,
        gap=1.5,
        affected=2_000,
        population=10_000,
        scales=ScoreScales(gap_cap=3),
        method=ScoreMethod.MULTIPLICATIVE,
    )
    assert s.value == pytest.approx(7.5)


def test_score_weights_are_divided_by_their_sum() -> None:
    a = score(importance=4, gap=1, affected=1, population=2, weights=ScoreWeights(5, 3, 2))
    b = score(importance=4, gap=1, affected=1, population=2, weights=ScoreWeights(0.5, 0.3, 0.2))
    assert a.value == pytest.approx(b.value)


def test_exceeding_the_expectation_scores_no_gap() -> None:
    assert score(importance=5, gap=-2, affected=1, population=1).gap_norm == 0.0


@given(
    importance=st.floats(-10, 10),
    gap=st.floats(-10, 10),
    affected=st.floats(0, 1e6),
    method=st.sampled_from(ScoreMethod),
)
def test_score_stays_within_0_and_100(
    importance: float, gap: float, affected: float, method: ScoreMethod
) -> None:
    assert (
        0.0
        <= score(
            importance=importance, gap=gap, affected=affected, population=1e5, method=method
        ).value
        <= 100.0 + 1e-9
    )


def test_a_centre_rule_on_the_gap_applies_only_from_its_threshold() -> None:
    data = DEFAULT_RULES.to_dict()
    data["rules"].insert(
        1, {"code": "urgent", "grade": "B", "description": "Large gap.", "when": {"min_gap": 1.0}}
    )
    rules = RuleSet.from_dict(data)
    assert RuleSet.from_dict(rules.to_dict()) == rules
    assert suggest_grade(GradingInput(feasible=True, gap=1.2), rules).fired[0].code == "urgent"
    assert suggest_grade(GradingInput(feasible=True, gap=0.5), rules).grade == "C"
    assert suggest_grade(GradingInput(feasible=True), rules).grade == "C"

"""A/B/C grading as the founding document states it ([seed-000]: A reachable without much
resource, B reachable in the medium or long term, C cannot be met and needs guidance), needs
assessment when inputs are missing, and the score by grade on the documented worked example."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuqi.domain.grading import (
    DEFAULT_RULES,
    GradePoints,
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


# --- grading ---------------------------------------------------------------------------------


def test_cannot_be_met_is_c_even_if_cheap_and_quick() -> None:
    s = suggest_grade(GradingInput(feasible=False, resource=Resource.LOW, months=1))
    assert s.grade == "C"
    assert codes(GradingInput(feasible=False)) == ("infeasible",)


@pytest.mark.parametrize("months", [None, 0.5, 3, 6])
def test_low_resource_is_a_when_not_known_to_take_long(months: float | None) -> None:
    s = suggest_grade(GradingInput(feasible=True, resource=Resource.LOW, months=months))
    assert s.grade == "A"
    assert s.fired[0].code == "low_resource"


def test_low_resource_beyond_six_months_is_b_medium_or_long_term() -> None:
    s = suggest_grade(GradingInput(feasible=True, resource=Resource.LOW, months=7))
    assert s.grade == "B"
    assert s.fired[0].code == "low_resource_long_term"


@pytest.mark.parametrize("months", [None, 2, 18, 24, 60, 240])
@pytest.mark.parametrize("resource", [Resource.MEDIUM, Resource.HIGH])
def test_feasible_with_resources_is_b_however_long(months: float | None, resource) -> None:
    s = suggest_grade(GradingInput(feasible=True, resource=resource, months=months))
    assert s.grade == "B"
    assert s.fired[0].code == "needs_resources"


@given(
    resource=st.sampled_from(Resource),
    months=st.one_of(st.none(), st.floats(0, 1000)),
    kano=st.sampled_from(["M", "O", "A", "I", "R", "Q", None]),
    gap=st.one_of(st.none(), st.floats(-5, 5)),
)
def test_time_alone_never_makes_a_feasible_expectation_c(resource, months, kano, gap) -> None:
    item = GradingInput(feasible=True, resource=resource, months=months, kano=kano, gap=gap)
    assert suggest_grade(item).grade in ("A", "B")


def test_nothing_known_needs_assessment_not_c() -> None:
    s = suggest_grade(GradingInput())
    assert s.grade is None
    assert s.needs_assessment
    assert s.missing == ("feasible", "resource")
    assert [f.code for f in s.fired] == ["needs_assessment"]


def test_feasible_without_resource_or_cost_needs_assessment() -> None:
    s = suggest_grade(GradingInput(feasible=True, months=30))
    assert s.grade is None
    assert s.missing == ("resource",)


def test_feasibility_not_assessed_needs_assessment_even_if_cheap() -> None:
    s = suggest_grade(GradingInput(resource=Resource.LOW, months=1))
    assert s.grade is None
    assert s.missing == ("feasible",)


def test_cost_amount_becomes_a_resource_level() -> None:
    assert DEFAULT_RULES.resource_of(GradingInput(feasible=True, cost=50_000)) is Resource.LOW
    assert DEFAULT_RULES.resource_of(GradingInput(feasible=True, cost=50_001)) is Resource.MEDIUM
    assert DEFAULT_RULES.resource_of(GradingInput(feasible=True, cost=600_000)) is Resource.HIGH
    assert suggest_grade(GradingInput(feasible=True, cost=10_000, months=2)).grade == "A"
    assert suggest_grade(GradingInput(feasible=True, cost=900_000, months=36)).grade == "B"


@pytest.mark.parametrize("kano", ["M", "O", "A", "I", "R", "Q", None])
def test_kano_class_does_not_change_whether_it_can_be_met(kano: str | None) -> None:
    s = suggest_grade(GradingInput(feasible=True, resource=Resource.LOW, months=2, kano=kano))
    assert s.grade == "A"
    assert len(s.fired) == 1


def test_a_centre_adjustment_never_moves_a_feasible_expectation_to_c() -> None:
    data = DEFAULT_RULES.to_dict()
    data["adjustments"] = [
        {"code": "indifferent", "steps": 2, "description": "Kano I.", "when": {"kano_in": ["I"]}}
    ]
    rules = RuleSet.from_dict(data)
    item = GradingInput(feasible=True, resource=Resource.LOW, kano="I")
    assert suggest_grade(item, rules).grade == "B"
    assert suggest_grade(GradingInput(kano="I"), rules).grade is None  # still needs assessment


def test_unknown_kano_class_is_rejected() -> None:
    with pytest.raises(ValueError, match="Kano"):
        GradingInput(feasible=True, kano="X")


def test_rules_round_trip_through_plain_data_and_can_be_edited() -> None:
    data = DEFAULT_RULES.to_dict()
    assert RuleSet.from_dict(data) == DEFAULT_RULES
    data["rules"][1]["when"]["over_months"] = 12  # the centre's long term starts at a year
    edited = RuleSet.from_dict(data)
    item = GradingInput(feasible=True, resource=Resource.LOW, months=9)
    assert suggest_grade(item).grade == "B"
    assert suggest_grade(item, edited).grade == "A"


def test_a_centre_rule_on_the_gap_applies_only_from_its_threshold() -> None:
    data = DEFAULT_RULES.to_dict()
    data["rules"].insert(
        1,
        {
            "code": "urgent",
            "grade": "B",
            "description": "Large gap.",
            "when": {"feasible": True, "min_gap": 1.0},
        },
    )
    rules = RuleSet.from_dict(data)
    assert RuleSet.from_dict(rules.to_dict()) == rules
    assert suggest_grade(GradingInput(feasible=True, gap=1.2), rules).fired[0].code == "urgent"
    assert suggest_grade(GradingInput(feasible=True, gap=0.5), rules).grade is None


# --- score -----------------------------------------------------------------------------------

EXAMPLE = {
    "importance": 4,
    "gap": 1.5,
    "affected": 2_000,
    "population": 10_000,
    "weights": ScoreWeights(0.5, 0.3, 0.2),
    "scales": ScoreScales(importance_min=1, importance_max=5, gap_cap=3),
}


@pytest.mark.parametrize(("grade", "value"), [("A", 56.5), ("B", 33.9), ("C", 16.95)])
def test_score_worked_example_additive_by_grade(grade: str, value: float) -> None:
    # The module docstring's example: priority (0.5·0.75 + 0.3·0.5 + 0.2·0.2) = 0.565, times
    # the grade's points 100 / 60 / 30.
    s = score(grade=grade, **EXAMPLE)
    assert (s.importance_norm, s.gap_norm, s.reach_norm) == pytest.approx((0.75, 0.5, 0.2))
    assert s.priority == pytest.approx(0.565)
    assert s.value == pytest.approx(value)


def test_score_worked_example_multiplicative() -> None:
    s = score(grade="A", **EXAMPLE, method=ScoreMethod.MULTIPLICATIVE)
    assert s.value == pytest.approx(7.5)  # 100 × 0.75 × 0.5 × 0.2
    assert score(grade="B", **EXAMPLE, method="multiplicative").value == pytest.approx(4.5)


def test_the_same_expectation_scores_differently_by_grade() -> None:
    values = [score(grade=g, **EXAMPLE).value for g in ("A", "B", "C")]
    assert values[0] > values[1] > values[2]


def test_an_ungraded_expectation_has_no_score() -> None:
    s = score(grade=None, **EXAMPLE)
    assert s.value is None
    assert s.points is None
    assert s.priority == pytest.approx(0.565)


def test_points_are_the_centres_choice_but_differ_per_grade() -> None:
    s = score(grade="B", **EXAMPLE, points=GradePoints(a=10, b=7, c=2))
    assert s.value == pytest.approx(7 * 0.565)
    with pytest.raises(ValueError, match="own number"):
        GradePoints(a=50, b=50, c=10)
    with pytest.raises(ValueError, match="negative"):
        GradePoints(a=1, b=0, c=-1)


def test_score_weights_are_divided_by_their_sum() -> None:
    a = score(
        grade="A", importance=4, gap=1, affected=1, population=2, weights=ScoreWeights(5, 3, 2)
    )
    b = score(grade="A", importance=4, gap=1, affected=1, population=2)
    assert a.value == pytest.approx(b.value)


def test_exceeding_the_expectation_scores_no_gap() -> None:
    assert score(grade="A", importance=5, gap=-2, affected=1, population=1).gap_norm == 0.0


@pytest.mark.parametrize("bad", [{"weights": (-1, 1, 1)}, {"weights": (0, 0, 0)}])
def test_bad_weights_are_refused(bad) -> None:
    with pytest.raises(ValueError, match="weights"):
        ScoreWeights(*bad["weights"])


def test_population_must_be_positive() -> None:
    with pytest.raises(ValueError, match="population"):
        score(grade="A", importance=1, gap=1, affected=1, population=0)


@given(
    importance=st.floats(-10, 10),
    gap=st.floats(-10, 10),
    affected=st.floats(0, 1e6),
    method=st.sampled_from(ScoreMethod),
    grade=st.sampled_from(["A", "B", "C"]),
)
def test_score_stays_within_0_and_the_grades_points(
    importance: float, gap: float, affected: float, method: ScoreMethod, grade: str
) -> None:
    s = score(
        grade=grade,
        importance=importance,
        gap=gap,
        affected=affected,
        population=1e5,
        method=method,
    )
    assert 0.0 <= s.value <= GradePoints().of(grade) + 1e-9

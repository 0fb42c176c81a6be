"""QA form structure and scoring (yuqi.domain.qa_forms): N/A, auto-fail, refusals."""

from __future__ import annotations

import pytest

from yuqi.domain.qa_forms import parse_form, score_answers
from yuqi.quality.defaults import BUILTIN_FORMS

FORM = {
    "sections": [
        {
            "key": "s",
            "title": "处理",
            "items": [
                {"key": "greet", "text": "问候", "points": 10},
                {"key": "verify", "text": "核实", "points": 10, "auto_fail": True},
                {
                    "key": "promise",
                    "text": "承诺",
                    "points": 20,
                    "na_allowed": True,
                    "tag": "promise",
                },
            ],
        }
    ]
}


def test_builtin_forms_are_valid_and_carry_the_seed_items() -> None:
    specs = {code: parse_form(structure) for code, *_rest, structure in BUILTIN_FORMS}
    complaint = {item.tag for item in specs["complaint-handling"].items}
    assert {"matter", "person", "answered_asked", "promise"} <= complaint
    assert {f"step{i}" for i in range(1, 7)} <= complaint  # 003's six steps
    assert specs["call-handling"].max_points == 100
    assert "answered_asked" in {item.tag for item in specs["call-handling"].items}


def test_score_is_earned_over_possible() -> None:
    score = score_answers(parse_form(FORM), {"greet": 5, "verify": 10, "promise": 20})
    assert (score.earned, score.possible) == (35, 40)
    assert score.percent == pytest.approx(87.5)
    assert not score.auto_failed


def test_not_applicable_leaves_earned_and_possible() -> None:
    score = score_answers(parse_form(FORM), {"greet": 10, "verify": 10, "promise": None})
    assert (score.earned, score.possible, score.percent) == (20, 20, 100.0)
    assert score.not_applicable == ("promise",)


def test_auto_fail_item_below_full_points_zeroes_the_evaluation() -> None:
    score = score_answers(parse_form(FORM), {"greet": 10, "verify": 9, "promise": 20})
    assert score.auto_failed
    assert score.percent == 0.0
    assert score.raw_percent == pytest.approx(97.5)
    assert score.failed_items == ("verify",)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"greet": 10, "verify": 10}, "not answered"),
        ({"greet": 11, "verify": 10, "promise": 1}, "0 to 10"),
        ({"greet": None, "verify": 10, "promise": 1}, "cannot be N/A"),
        ({"greet": 1, "verify": 1, "promise": 1, "extra": 1}, "unknown"),
        ({"greet": True, "verify": 1, "promise": 1}, "0 to 10"),
    ],
)
def test_bad_answers_are_refused(answers: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score_answers(parse_form(FORM), answers)


@pytest.mark.parametrize(
    ("structure", "message"),
    [
        ({}, "list of sections"),
        ({"sections": []}, "1 to"),
        ({"sections": [{"key": "s", "title": "t", "items": []}]}, "no item"),
        (
            {
                "sections": [
                    {"key": "s", "title": "t", "items": [{"key": "a", "text": "x", "points": 0}]}
                ]
            },
            "1 to 100",
        ),
        (
            {
                "sections": [
                    {"key": "s", "title": "t", "items": [{"key": "A-1", "text": "x", "points": 1}]}
                ]
            },
            "key",
        ),
        (
            {
                "sections": [
                    {
                        "key": "s",
                        "title": "t",
                        "items": [
                            {"key": "a", "text": "x", "points": 1},
                            {"key": "a", "text": "y", "points": 1},
                        ],
                    }
                ]
            },
            "twice",
        ),
        (
            {
                "sections": [
                    {
                        "key": "s",
                        "title": "t",
                        "items": [{"key": "a", "text": "x" * 301, "points": 1}],
                    }
                ]
            },
            "300",
        ),
        (
            {
                "sections": [
                    {
                        "key": "s",
                        "title": "t",
                        "items": [{"key": "a", "text": "x", "points": 1, "tag": "evil"}],
                    }
                ]
            },
            "tag",
        ),
    ],
)
def test_bad_forms_are_refused(structure: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_form(structure)

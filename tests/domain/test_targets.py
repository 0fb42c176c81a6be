"""A value against its target: the rule the scorecard and the dashboard share."""

from __future__ import annotations

import pytest

from yuqi.domain.targets import TargetDirection, TargetStatus, is_better, target_status

HIGHER, LOWER = TargetDirection.HIGHER, TargetDirection.LOWER


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        (0.85, HIGHER, TargetStatus.MET), (0.80, HIGHER, TargetStatus.MET),
        (0.75, HIGHER, TargetStatus.WARNING), (0.70, HIGHER, TargetStatus.WARNING),
        (0.65, HIGHER, TargetStatus.MISSED),
        (0.75, LOWER, TargetStatus.MET), (0.80, LOWER, TargetStatus.MET),
        (0.85, LOWER, TargetStatus.WARNING), (0.95, LOWER, TargetStatus.MISSED),
    ],
)  # fmt: skip
def test_status_follows_target_warning_and_direction(value, direction, expected):
    warning = 0.70 if direction == HIGHER else 0.90
    assert target_status(value, target=0.80, warning=warning, direction=direction) == expected


def test_lower_is_better_uses_the_warning_above_the_target():
    assert target_status(25, target=20, warning=30, direction=LOWER) == TargetStatus.WARNING
    assert target_status(31, target=20, warning=30, direction=LOWER) == TargetStatus.MISSED


def test_without_warning_target_or_value():
    assert target_status(0.75, target=0.8, warning=None, direction=HIGHER) == TargetStatus.MISSED
    assert target_status(0.75, target=None, warning=0.7, direction=HIGHER) == TargetStatus.NO_TARGET
    assert target_status(None, target=0.8, warning=0.7, direction=HIGHER) == TargetStatus.NO_DATA


def test_a_change_is_better_in_the_measures_direction():
    assert is_better(0.1, HIGHER)
    assert not is_better(-0.1, HIGHER)
    assert is_better(-3, LOWER)
    assert not is_better(3, LOWER)


def test_the_scorecard_models_choices_are_these_values():
    from yuqi.operations.models import TargetDirection as ModelDirection

    assert set(ModelDirection.values) == {d.value for d in TargetDirection}

"""Over-served and too-low expectations (yuqi.domain.expectation_levels): the stated rules."""

from __future__ import annotations

import pytest

from yuqi.domain.expectation_levels import (
    LOW_CEILING,
    MIN_ANSWERS,
    NORM_DROP,
    OVER_SERVED_MARGIN,
    level_flags,
    norm,
)


def test_documented_thresholds() -> None:
    assert (OVER_SERVED_MARGIN, LOW_CEILING, NORM_DROP, MIN_ANSWERS) == (0.5, 3.0, 1.5, 20)


@pytest.mark.parametrize(
    ("gap_low", "flagged"),
    [(0.51, True), (0.5, False), (0.3, False), (-1.0, False), (None, False)],
)
def test_over_served_needs_the_whole_interval_above_the_margin(gap_low, flagged) -> None:
    flags = level_flags(expectation=6.0, gap_low=gap_low, n=100)
    assert flags.over_served is flagged


def test_demo_tangibles_gap_of_068_with_interval_from_040_is_not_flagged() -> None:
    # a point estimate above the margin is not enough: the interval must exclude it
    assert not level_flags(expectation=5.5, gap_low=0.40, n=118).over_served


@pytest.mark.parametrize(
    ("expectation", "survey_norm", "n", "reasons"),
    [
        (3.0, 6.0, 30, ("low_on_scale",)),
        (2.1, None, 30, ("low_on_scale",)),
        (4.5, 6.0, 30, ("below_norm",)),
        (4.6, 6.0, 30, ()),
        (3.0, 6.0, 19, ()),  # too few answers
        (6.2, 6.0, 300, ()),
        (None, 6.0, 30, ()),
    ],
)
def test_too_low_on_the_scale_or_below_the_norm(expectation, survey_norm, n, reasons) -> None:
    flags = level_flags(expectation=expectation, gap_low=None, n=n, survey_norm=survey_norm)
    assert flags.reasons == reasons
    assert flags.too_low is bool(reasons)


def test_norm_is_the_median_and_ignores_missing_values() -> None:
    assert norm([6.0, 5.0, float("nan"), None, 7.0, 4.0]) == 5.5
    assert norm([]) is None

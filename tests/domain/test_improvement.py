"""The PDCA rules, the comparable windows and the verdict of an improvement action."""

from __future__ import annotations

from datetime import date

import pytest

from yuqi.domain import effect
from yuqi.domain.improvement import (
    ActionStatus,
    Verdict,
    Window,
    WindowError,
    after_window,
    allowed_transitions,
    may_close_effective,
    same_length,
    verdict_for,
    window_warnings,
)


def test_pdca_moves_one_step_and_back_to_try_again():
    assert allowed_transitions("plan") == (ActionStatus.DO,)
    assert ActionStatus.CHECK in allowed_transitions("do")
    assert ActionStatus.DO in allowed_transitions("check")
    assert allowed_transitions("closed") == ()
    with pytest.raises(ValueError, match="done"):
        allowed_transitions("done")


def test_the_after_window_is_as_long_as_the_baseline_from_the_day_after_the_change():
    baseline = Window(date(2026, 9, 1), date(2026, 9, 30))
    found = after_window(baseline, changed_on=date(2026, 10, 10), today=date(2026, 11, 20))
    assert found.window == Window(date(2026, 10, 11), date(2026, 11, 9))
    assert found.window.days == baseline.days == 30
    assert found.ready is True


def test_no_after_data_yet_says_on_which_day_a_check_is_possible():
    baseline = Window(date(2026, 9, 1), date(2026, 9, 30))
    found = after_window(baseline, changed_on=date(2026, 11, 1), today=date(2026, 11, 15))
    assert found.ready is False
    assert found.possible_on == date(2026, 12, 2)  # the window ends on 1 December


def test_windows_of_different_length_are_refused_with_both_lengths():
    with pytest.raises(WindowError, match="baseline 30 days, after 20 days"):
        same_length(
            Window(date(2026, 9, 1), date(2026, 9, 30)),
            Window(date(2026, 10, 1), date(2026, 10, 20)),
        )


def test_an_after_window_overlapping_the_baseline_is_refused():
    baseline = Window(date(2026, 9, 1), date(2026, 9, 30))
    with pytest.raises(WindowError):
        after_window(baseline, changed_on=date(2026, 9, 20), today=date(2026, 12, 1))


def test_a_reversed_or_overlong_window_is_refused():
    with pytest.raises(WindowError):
        Window(date(2026, 9, 30), date(2026, 9, 1))
    with pytest.raises(WindowError):
        Window(date(2024, 1, 1), date(2026, 1, 1))


def test_warnings_for_season_spring_festival_volume_and_small_samples():
    winter = Window(date(2026, 1, 15), date(2026, 2, 13))
    spring = Window(date(2026, 4, 1), date(2026, 4, 30))
    found = window_warnings(winter, spring, 1000, 2000)
    assert {"season", "spring_festival", "volume"} <= set(found)
    calm = window_warnings(
        Window(date(2026, 4, 1), date(2026, 4, 30)),
        Window(date(2026, 5, 1), date(2026, 5, 30)),
        1000,
        1100,
    )
    assert calm == []
    assert "small_sample" in window_warnings(spring, spring, 10, 12)
    assert "volume" in window_warnings(spring, spring, 0, 12)


def test_the_verdict_follows_the_interval_and_the_direction():
    # Fewer complaints (lower is better): a decrease whose interval excludes zero is real.
    fewer = effect.compare_proportions(120, 10_000, 60, 10_000)
    assert fewer.change is effect.Change.DECREASE
    assert verdict_for(fewer.change, higher_is_better=False) is Verdict.IMPROVED
    assert verdict_for(fewer.change, higher_is_better=True) is Verdict.WORSENED
    same = effect.compare_proportions(50, 1000, 52, 1000)
    assert verdict_for(same.change, higher_is_better=False) is Verdict.NO_EVIDENCE
    assert may_close_effective("improved")
    assert not may_close_effective("no_evidence")


def test_n_zero_gives_no_interval_and_no_division_error():
    result = effect.compare_proportions(0, 0, 3, 100)
    assert result.difference is None
    assert result.low is None
    assert verdict_for(result.change, higher_is_better=True) is Verdict.NOT_COMPUTABLE
    means = effect.compare_means([], [1.0, 2.0])
    assert verdict_for(means.change, higher_is_better=True) is Verdict.NOT_COMPUTABLE

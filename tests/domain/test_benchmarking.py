"""Peer benchmarking: positions, trend and 他有我无, with hand-computed expectations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuqi.domain.benchmarking import (
    Direction,
    GapTrend,
    PeriodValues,
    compare_offerings,
    least_squares_slope,
    percentile_position,
    position,
    trend,
)

PEERS = [0.80, 0.85, 0.90, 0.95]


def test_percentile_counts_peers_beaten_with_ties_half() -> None:
    # 0.90 beats 0.80 and 0.85, ties 0.90: (2 + 0.5) / 4
    assert percentile_position(0.90, PEERS, Direction.HIGHER) == pytest.approx(0.625)


def test_percentile_lower_is_better_flips_the_comparison() -> None:
    # ASA 25 s against 20, 30, 40, 60: beats 30, 40, 60 → 3/4
    assert percentile_position(25, [20, 30, 40, 60], Direction.LOWER) == pytest.approx(0.75)


def test_position_rank_and_gaps_higher_is_better() -> None:
    pos = position(0.86, PEERS, Direction.HIGHER, target=0.90)
    assert pos.rank == 3  # 0.90 and 0.95 are better
    assert pos.best == 0.95
    assert pos.median == pytest.approx(0.875)
    assert pos.gap_to_best == pytest.approx(0.09)
    assert pos.gap_to_median == pytest.approx(0.015)
    assert pos.gap_to_target == pytest.approx(0.04)


def test_position_gaps_lower_is_better_are_shortfalls() -> None:
    pos = position(35.0, [20.0, 30.0, 40.0], Direction.LOWER, target=40.0)
    assert pos.best == 20.0
    assert pos.gap_to_best == pytest.approx(15.0)  # we wait 15 s longer than the best
    assert pos.gap_to_target == pytest.approx(-5.0)  # 5 s better than target
    assert pos.rank == 3


def test_position_without_our_value_still_describes_peers() -> None:
    pos = position(None, PEERS, Direction.HIGHER)
    assert pos.percentile is None
    assert pos.rank is None
    assert pos.gap_to_best is None
    assert pos.best == 0.95
    assert pos.n_peers == 4


def test_position_without_peers_has_no_percentile() -> None:
    pos = position(0.9, [], Direction.HIGHER, target=0.95)
    assert pos.percentile is None
    assert pos.best is None
    assert pos.gap_to_target == pytest.approx(0.05)


def test_least_squares_slope_of_a_line_is_exact() -> None:
    assert least_squares_slope([(0, 1.0), (1, 3.0), (2, 5.0)]) == pytest.approx(2.0)
    assert least_squares_slope([(0, 1.0)]) is None


def test_trend_gap_closing_when_we_catch_up() -> None:
    periods = [
        PeriodValues("2026-01", 0.80, (0.90, 0.95)),  # gap 0.15
        PeriodValues("2026-02", 0.84, (0.90, 0.95)),  # gap 0.11
        PeriodValues("2026-03", 0.88, (0.90, 0.95)),  # gap 0.07
    ]
    t = trend(periods, Direction.HIGHER)
    assert t.ours_slope == pytest.approx(0.04)
    assert t.gap_slope == pytest.approx(-0.04)
    assert t.status is GapTrend.CLOSING


def test_trend_widening_for_lower_is_better() -> None:
    periods = [
        PeriodValues("m1", 20.0, (15.0, 30.0)),  # gap 5
        PeriodValues("m2", 25.0, (15.0, 30.0)),  # gap 10
    ]
    t = trend(periods, Direction.LOWER)
    assert t.gap_slope == pytest.approx(5.0)
    assert t.status is GapTrend.WIDENING


def test_trend_skips_missing_periods_but_keeps_their_position() -> None:
    periods = [
        PeriodValues("m1", 1.0, (5.0,)),
        PeriodValues("m2", None, (5.0,)),
        PeriodValues("m3", 3.0, (5.0,)),
    ]
    t = trend(periods, Direction.HIGHER)
    assert t.ours_slope == pytest.approx(1.0)  # (3 − 1) / 2 periods
    assert t.gaps == (4.0, None, 2.0)


def test_trend_leading_when_at_or_ahead_of_best() -> None:
    t = trend([PeriodValues("m1", 0.9, (0.8,)), PeriodValues("m2", 0.95, (0.9,))], "higher")
    assert t.status is GapTrend.LEADING


def test_trend_unknown_with_one_period() -> None:
    assert trend([PeriodValues("m1", 0.5, (0.8,))], Direction.HIGHER).status is GapTrend.UNKNOWN


def test_they_have_we_dont_counts_and_names_peers() -> None:
    comparison = compare_offerings(
        {"甲": {"callback", "video"}, "乙": {"callback", "wechat"}, "丙": {"callback"}},
        {"wechat", "sms_survey"},
    )
    they = {g.code: g for g in comparison.they_have}
    assert list(they) == ["callback", "video"]  # most peers first
    assert they["callback"].peer_count == 3
    assert they["callback"].share == pytest.approx(1.0)
    assert they["video"].peers == ("甲",)
    we = {g.code: g.peers for g in comparison.we_have}
    assert we == {"sms_survey": ("丙", "乙", "甲"), "wechat": ("丙", "甲")}


def test_offerings_everyone_has_are_no_gap() -> None:
    comparison = compare_offerings({"甲": {"x"}, "乙": {"x"}}, {"x"})
    assert comparison.they_have == ()
    assert comparison.we_have == ()


values = st.floats(min_value=0, max_value=1000, allow_nan=False)


@given(ours=values, peers=st.lists(values, min_size=1, max_size=20), d=st.sampled_from(Direction))
def test_percentile_is_within_unit_interval(ours: float, peers: list[float], d: Direction) -> None:
    assert 0.0 <= percentile_position(ours, peers, d) <= 1.0


@given(a=values, b=values, peers=st.lists(values, min_size=1, max_size=20))
def test_percentile_is_monotone_in_our_value(a: float, b: float, peers: list[float]) -> None:
    low, high = sorted((a, b))
    assert percentile_position(low, peers, Direction.HIGHER) <= percentile_position(
        high, peers, Direction.HIGHER
    )
    assert percentile_position(low, peers, Direction.LOWER) >= percentile_position(
        high, peers, Direction.LOWER
    )


@given(ours=values, peers=st.lists(values, min_size=1, max_size=20), d=st.sampled_from(Direction))
def test_gap_to_best_is_non_negative_unless_we_lead(
    ours: float, peers: list[float], d: Direction
) -> None:
    pos = position(ours, peers, d)
    assert (pos.gap_to_best <= 0) == (pos.rank == 1)

"""yuqi.domain.pyramid: value cut-offs, ties, precedence, RFM quintiles, migration matrix.

Expected numbers are worked by hand from the rules in the module docstring.
"""

from __future__ import annotations

import numpy as np
import pytest

from yuqi.domain.pyramid import (
    HIGH,
    INACTIVE,
    LOW,
    MIDDLE,
    POTENTIAL,
    SEGMENTS,
    TOP,
    WAIT_AND_SEE,
    PyramidThresholds,
    migration_from_counts,
    migration_matrix,
    quintile_scores,
    rfm_scores,
    segment_customers,
)


def engaged(values, **overrides):
    """Customers who all count for the value ranking (old, active, frequent contacts)."""
    n = len(values)
    arguments = {
        "value": values,
        "days_since_contact": [1] * n,
        "contacts": [5] * n,
        "days_since_joined": [1000] * n,
        "lapsed": [False] * n,
    }
    arguments.update(overrides)
    return segment_customers(**arguments)


def test_a_hundred_distinct_values_split_1_4_15_80():
    result = engaged(list(range(1, 101)))
    assert result.counts() == {
        TOP: 1, HIGH: 4, MIDDLE: 15, LOW: 80, WAIT_AND_SEE: 0, POTENTIAL: 0, INACTIVE: 0,
    }  # fmt: skip
    assert result.segments[99] == TOP
    assert result.segments[95:99] == (HIGH,) * 4
    assert result.cutoffs.top == 100
    assert result.cutoffs.high == 96
    assert result.cutoffs.middle == 81
    assert result.cutoffs.engaged == 100


def test_cumulative_shares_are_not_spoiled_by_float_rounding():
    # 0.01 + 0.04 + 0.15 is 0.20000000000000004 in floating point: still 20 of 100.
    counts = engaged(list(range(1, 101))).counts()
    assert counts[TOP] + counts[HIGH] + counts[MIDDLE] == 20


def test_counts_are_ceilings_so_a_small_base_still_has_a_top_customer():
    result = engaged([5.0, 9.0, 7.0])
    assert result.segments == (LOW, TOP, LOW)  # ⌈0.03⌉ = 1 top; ⌈0.15⌉ = ⌈0.6⌉ = 1: no room


def test_a_tie_across_a_cut_off_falls_wholly_into_the_lower_segment():
    values = [1000.0, 1000.0, *range(1, 99)]  # two best customers tied, k_top = 1
    result = engaged(values)
    assert result.segments[:2] == (HIGH, HIGH)
    assert result.counts()[TOP] == 0
    assert result.cutoffs.top is None


def test_equal_values_always_share_a_segment():
    result = engaged([50.0] * 40)
    assert set(result.segments) == {LOW}


def test_precedence_lapsed_before_new_before_inactive_before_wait_and_see():
    result = segment_customers(
        value=[900.0, 900.0, None, 900.0, 900.0, 900.0, 10.0],
        days_since_contact=[1, None, 1, None, 5, 5, 5],
        contacts=[9, 0, 9, 0, 1, 2, 2],
        days_since_joined=[10, 10, 800, 800, 800, 800, 800],
        lapsed=[True, False, False, False, False, False, False],
    )
    assert result.segments == (
        INACTIVE,  # lapsed beats new
        POTENTIAL,  # new beats "no contact yet"
        POTENTIAL,  # prospect: no value yet
        INACTIVE,  # never contacted
        WAIT_AND_SEE,  # one contact in the window
        TOP,  # engaged: ranked by value
        LOW,
    )


def test_value_ranks_only_the_engaged_customers():
    # The richest customer is inactive, so the top slot goes to the best engaged one.
    result = segment_customers(
        value=[10_000.0, 300.0, 200.0],
        days_since_contact=[400, 3, 3],
        contacts=[0, 4, 4],
        days_since_joined=[900, 900, 900],
        lapsed=[False, False, False],
    )
    assert result.segments == (INACTIVE, TOP, LOW)
    assert result.cutoffs.engaged == 2


def test_inactivity_starts_exactly_at_the_threshold():
    thresholds = PyramidThresholds(inactive_days=30, wait_and_see_contacts=0)
    result = engaged(
        [100.0, 100.0], days_since_contact=[29, 30], contacts=[1, 1], thresholds=thresholds
    )
    assert result.segments[1] == INACTIVE
    assert result.segments[0] != INACTIVE


def test_new_means_joined_fewer_than_potential_days_ago():
    thresholds = PyramidThresholds(potential_days=90)
    result = engaged([100.0, 100.0], days_since_joined=[89, 90], thresholds=thresholds)
    assert result.segments[0] == POTENTIAL
    assert result.segments[1] != POTENTIAL


def test_an_unknown_joining_date_is_not_new():
    result = engaged([100.0], days_since_joined=[None])
    assert result.segments == (TOP,)


@pytest.mark.parametrize(
    "arguments",
    [
        {"top_share": 1.5},
        {"top_share": 0.5, "high_share": 0.4, "middle_share": 0.2},
        {"inactive_days": 0},
        {"wait_and_see_contacts": -1},
    ],
)
def test_impossible_thresholds_are_refused(arguments):
    with pytest.raises(ValueError, match=r"share|days|negative"):
        PyramidThresholds(**arguments)


def test_inputs_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="one item per customer"):
        engaged([1.0, 2.0], contacts=[1])


def test_no_customers_no_segments():
    result = engaged([])
    assert result.segments == ()
    assert result.cutoffs.engaged == 0


def test_quintile_scores_fill_the_five_bands_evenly():
    assert quintile_scores(range(1, 11)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert quintile_scores(range(1, 6)).tolist() == [1, 2, 3, 4, 5]


def test_tied_values_share_the_score_of_their_mid_rank():
    # Values 1..10 with 2 and 3 replaced by 2.5: mid-rank 2 of 10 → ⌈5·0.2⌉ = 1.
    scores = quintile_scores([1, 2.5, 2.5, 4, 5, 6, 7, 8, 9, 10]).tolist()
    assert scores[1] == scores[2] == 1
    assert quintile_scores([7, 7, 7, 7]).tolist() == [3, 3, 3, 3]


def test_missing_values_score_zero_and_do_not_move_the_others():
    assert quintile_scores([None, 1, 2, 3, 4, 5]).tolist() == [0, 1, 2, 3, 4, 5]
    assert quintile_scores(np.array([np.nan])).tolist() == [0]


def test_rfm_recency_rewards_recent_contact():
    scores = rfm_scores(
        days_since_contact=[1, 10, 20, 40, 80, None],
        contacts=[9, 7, 5, 3, 1, 0],
        value=[10.0, 20.0, 30.0, 40.0, 50.0, None],
    )
    assert scores.recency == (5, 4, 3, 2, 1, 0)
    assert scores.frequency[0] == 5
    assert scores.frequency[-1] == 1
    assert scores.monetary == (1, 2, 3, 4, 5, 0)


def test_migration_matrix_counts_and_row_shares():
    before = {1: TOP, 2: TOP, 3: LOW, 4: LOW, 5: LOW, 6: LOW, 7: INACTIVE}
    after = {1: TOP, 2: HIGH, 3: LOW, 4: LOW, 5: LOW, 6: INACTIVE, 8: POTENTIAL}
    matrix = migration_matrix(before, after)
    assert matrix.segments == SEGMENTS
    assert matrix.count(TOP, TOP) == 1
    assert matrix.count(TOP, HIGH) == 1
    assert matrix.count(LOW, LOW) == 3
    assert matrix.count(LOW, INACTIVE) == 1
    assert matrix.share(TOP, HIGH) == 0.5
    assert matrix.share(LOW, LOW) == 0.75
    assert matrix.share(HIGH, HIGH) is None  # nobody was high before
    assert matrix.total == 6
    assert matrix.stayed == 4
    assert matrix.entered[SEGMENTS.index(POTENTIAL)] == 1
    assert matrix.left[SEGMENTS.index(INACTIVE)] == 1
    for row in matrix.row_shares:
        if row[0] is not None:
            assert sum(row) == pytest.approx(1.0)


def test_migration_from_counts_agrees_with_the_snapshot_version():
    before = {1: TOP, 2: MIDDLE, 3: MIDDLE}
    after = {1: HIGH, 2: MIDDLE, 3: LOW}
    counted = migration_from_counts({(TOP, HIGH): 1, (MIDDLE, MIDDLE): 1, (MIDDLE, LOW): 1})
    assert counted == migration_matrix(before, after)


def test_an_unknown_segment_is_refused():
    with pytest.raises(ValueError, match="unknown segment"):
        migration_from_counts({("gold", TOP): 1})

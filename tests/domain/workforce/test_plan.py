"""The shift plan: least shortfall first, then least excess; midnight, breaks and limits."""

from __future__ import annotations

import pytest

from yuqi.domain.workforce.errors import WorkforceError
from yuqi.domain.workforce.plan import PlanLimits, evaluate_plan, plan_shifts
from yuqi.domain.workforce.shifts import (
    BreakRule,
    Requirement,
    ShiftTemplate,
    duty_fractions,
    requirement_from_rows,
)

SLOTS = 48


def grid(days: int, spans: list[tuple[int, int, int, float]]) -> Requirement:
    """Requirement with ``value`` on slots ``first..last`` (inclusive) of ``day``."""
    values = [[0.0] * SLOTS for _ in range(days)]
    for day, first, last, value in spans:
        for slot in range(first, last + 1):
            values[day - 1][slot] = value
    return Requirement(30, tuple(tuple(day) for day in values))


def shift(name: str, start: str, hours: float, **extra) -> ShiftTemplate:
    h, m = map(int, start.split(":"))
    return ShiftTemplate(name=name, start=h * 60 + m, minutes=int(hours * 60), **extra)


def test_an_exact_cover_has_no_shortfall_and_no_excess():
    requirement = grid(1, [(1, 16, 31, 2.0)])  # 08:00–16:00, two heads
    plan = plan_shifts(requirement, [shift("day", "08:00", 8), shift("late", "12:00", 8)])
    assert plan.heads == {"day": (2,), "late": (0,)}
    assert (plan.shortfall, plan.excess, plan.status) == (0.0, 0.0, "optimal")


def test_shortfall_is_minimised_before_excess():
    # 3 heads 08:00-09:00 only: any shift is 8 h, so covering costs 7 h of excess per head.
    requirement = grid(1, [(1, 16, 17, 3.0)])
    plan = plan_shifts(requirement, [shift("day", "08:00", 8)])
    assert plan.shortfall == 0.0
    assert plan.excess == pytest.approx(3 * 14)


def test_a_shift_over_midnight_covers_the_next_day():
    requirement = grid(2, [(1, 44, 47, 1.0), (2, 0, 11, 1.0)])  # 22:00–06:00
    plan = plan_shifts(requirement, [shift("night", "22:00", 8)])
    assert plan.heads["night"] == (1, 0)
    assert plan.coverage[1][:12] == (1.0,) * 12
    assert plan.shortfall == 0.0


def test_hours_past_the_horizon_are_not_counted():
    requirement = grid(1, [(1, 44, 47, 1.0)])
    plan = plan_shifts(requirement, [shift("night", "22:00", 8)])
    assert (plan.heads["night"], plan.shortfall, plan.excess) == ((1,), 0.0, 0.0)


def test_a_fixed_break_leaves_the_floor():
    lunch = BreakRule(minutes=60, earliest=240, latest=240, paid=False)
    requirement = grid(1, [(1, 16, 33, 1.0)])  # 08:00–17:00
    plan = plan_shifts(requirement, [shift("day", "08:00", 9, breaks=(lunch,))])
    assert plan.coverage[0][24:26] == (0.0, 0.0)  # 12:00–13:00 at lunch
    assert plan.shortfall == pytest.approx(2.0)


def test_breaks_in_a_window_are_staggered():
    # Two heads needed all day; with a fixed lunch three heads still leave a hole, with a
    # window the lunches are spread so three heads keep two on the floor.
    window = BreakRule(minutes=60, earliest=180, latest=300, paid=False)
    requirement = grid(1, [(1, 16, 33, 2.0)])
    plan = plan_shifts(requirement, [shift("day", "08:00", 9, breaks=(window,))])
    assert plan.shortfall == 0.0
    assert plan.heads["day"] == (3,)
    offsets = sorted(offset for *_, offset, heads in plan.breaks for _ in range(heads))
    assert len(set(offsets)) == 3


def test_a_fifteen_minute_break_covers_half_a_slot():
    assert duty_fractions(0, 60, 30, breaks=[(30, 45)]) == {0: 1.0, 1: 0.5}


def test_days_allowed_are_respected():
    requirement = grid(2, [(1, 16, 31, 1.0), (2, 16, 31, 1.0)])
    plan = plan_shifts(requirement, [shift("weekday", "08:00", 8, days=frozenset({1}))])
    assert plan.heads["weekday"] == (1, 0)
    assert plan.shortfall == pytest.approx(16.0)


def test_max_heads_per_shift_caps_the_plan():
    requirement = grid(1, [(1, 16, 31, 5.0)])
    plan = plan_shifts(requirement, [shift("day", "08:00", 8, max_heads=3)])
    assert plan.heads["day"] == (3,)
    assert plan.shortfall == pytest.approx(2 * 16)


def test_max_concurrent_and_heads_per_day_cap_the_plan():
    requirement = grid(1, [(1, 16, 31, 5.0)])
    seats = plan_shifts(requirement, [shift("day", "08:00", 8)], limits=PlanLimits(4, None))
    heads = plan_shifts(requirement, [shift("day", "08:00", 8)], limits=PlanLimits(None, 2))
    assert seats.heads["day"] == (4,)
    assert heads.heads["day"] == (2,)


def test_fractional_requirements_are_covered_by_whole_heads():
    requirement = grid(1, [(1, 16, 31, 1.4)])
    plan = plan_shifts(requirement, [shift("day", "08:00", 8)])
    assert plan.heads["day"] == (2,)
    assert plan.excess == pytest.approx(16 * 0.6)


def test_evaluate_plan_agrees_with_the_planner():
    requirement = grid(2, [(1, 44, 47, 1.0), (2, 0, 11, 1.0), (2, 16, 31, 2.0)])
    templates = [shift("night", "22:00", 8), shift("day", "08:00", 8)]
    plan = plan_shifts(requirement, templates)
    coverage, shortfall, excess = evaluate_plan(requirement, templates, plan.heads)
    assert (coverage, shortfall, excess) == (plan.coverage, plan.shortfall, plan.excess)


def test_a_shift_longer_than_a_day_is_refused():
    with pytest.raises(WorkforceError, match="longer than a day") as caught:
        shift("marathon", "08:00", 25)
    assert "超过一天" in caught.value.zh


def test_a_whole_day_shift_is_allowed():
    assert shift("24h", "08:00", 24).crosses_midnight


def test_overlapping_break_windows_are_refused():
    first = BreakRule(minutes=60, earliest=180, latest=240, paid=False)
    second = BreakRule(minutes=15, earliest=270, latest=270, paid=True)
    with pytest.raises(WorkforceError, match="overlap"):
        shift("day", "08:00", 9, breaks=(first, second))


def test_a_break_past_the_shift_end_is_refused():
    late = BreakRule(minutes=60, earliest=450, latest=480, paid=False)
    with pytest.raises(WorkforceError, match="after the shift ends"):
        shift("day", "08:00", 8, breaks=(late,))


def test_night_shifts_are_recognised():
    assert shift("night", "22:00", 8).is_night
    assert shift("early", "05:00", 8).is_night
    assert not shift("day", "08:00", 8).is_night


def test_negative_requirement_is_refused_naming_the_row():
    rows = [(2, 1, 0, "1"), (3, 1, 1, "-2")]
    with pytest.raises(WorkforceError, match="row 3") as caught:
        requirement_from_rows(rows, slot_minutes=720)
    assert "第 3 行" in caught.value.zh


def test_gaps_are_refused_unless_counted_as_zero():
    rows = [(2, 1, 0, "1"), (3, 2, 1, "1")]  # 12-hour slots: day 1 slot 1, day 2 slot 0 missing
    with pytest.raises(WorkforceError, match="2 missing"):
        requirement_from_rows(rows, slot_minutes=720)
    filled = requirement_from_rows(rows, slot_minutes=720, missing_as_zero=True)
    assert filled.values == ((1.0, 0.0), (0.0, 1.0))
    assert filled.notes


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ((2, 0, 0, "1"), "day"),
        ((2, 1, 2, "1"), "outside the day"),
        ((2, 1, "x", "1"), "slot"),
        ((2, 1, 0, "nan"), "not a number"),
        ((2, 1, 0, "many"), "not a number"),
    ],
)
def test_bad_rows_are_refused(row, fragment):
    with pytest.raises(WorkforceError, match=fragment):
        requirement_from_rows([row], slot_minutes=720)


def test_a_repeated_slot_is_refused():
    with pytest.raises(WorkforceError, match="already given in row 2"):
        requirement_from_rows([(2, 1, 0, "1"), (3, 1, 0, "2")], slot_minutes=720)


def test_a_shortfall_weight_trades_a_little_shortfall_for_much_less_excess():
    # One head needed 08:00-09:00 and 16:00-17:00 (8-hour shifts only).
    requirement = grid(1, [(1, 16, 17, 1.0), (1, 32, 33, 1.0)])
    templates = [shift("day", "08:00", 8), shift("late", "09:00", 8)]
    first = plan_shifts(requirement, templates)
    balanced = plan_shifts(requirement, templates, shortfall_weight=1.0)
    assert (first.shortfall, first.excess) == (0.0, 28.0)
    assert balanced.shortfall + balanced.excess < first.shortfall + first.excess


def test_a_bad_shortfall_weight_is_refused():
    with pytest.raises(WorkforceError, match="weight"):
        plan_shifts(grid(1, []), [shift("day", "08:00", 8)], shortfall_weight=0.0)

"""Rosters of named agents: rules kept, unfilled heads explained, conflicts named."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from yuqi.domain.calendar import DayKind
from yuqi.domain.workforce.roster import (
    Agent,
    Assignment,
    Demand,
    RuleConflict,
    build_roster,
    check_roster,
    demands_from_plan,
)
from yuqi.domain.workforce.rules import WorkingTimeRules
from yuqi.domain.workforce.shifts import ShiftTemplate

MONDAY = dt.date(2026, 3, 2)
EARLY = ShiftTemplate("早班", 8 * 60, 8 * 60)
LATE = ShiftTemplate("晚班", 14 * 60, 8 * 60)
NIGHT = ShiftTemplate("夜班", 22 * 60, 8 * 60)
SHIFTS = [EARLY, LATE, NIGHT]


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n - 1)


def every_day(shift: str, heads: int, days: int) -> list[Demand]:
    return [Demand(day(n), shift, heads) for n in range(1, days + 1)]


def roster(agents, demands, days, shifts=SHIFTS, **extra):
    result = build_roster(
        agents=agents,
        shifts=shifts,
        demands=demands,
        start=MONDAY,
        days=days,
        time_limit=20,
        **extra,
    )
    rules = extra.get("rules", WorkingTimeRules())
    kinds = extra.get("day_kinds")
    violations = check_roster(
        result.assignments,
        agents=agents,
        shifts=shifts,
        rules=rules,
        start=MONDAY,
        days=days,
        day_kinds=kinds,
        demands=demands,
    )
    assert violations == []
    return result


def test_planned_heads_are_filled_within_the_rules():
    agents = [Agent(f"a{k}") for k in range(4)]
    result = roster(agents, every_day("早班", 2, 7), 7)
    assert len(result.assignments) == 14
    assert result.unfilled == ()


def test_demands_from_plan_follow_the_days():
    demands = demands_from_plan({"早班": (1, 0, 2)}, MONDAY)
    assert demands == [Demand(day(1), "早班", 1), Demand(day(3), "早班", 2)]


def test_a_shift_needing_a_skill_goes_to_the_skilled_agent():
    vip = ShiftTemplate("VIP", 9 * 60, 8 * 60, skill="vip")
    agents = [Agent("李娜", skills=frozenset({"vip"})), Agent("赵敏")]
    result = roster(agents, [Demand(day(1), "VIP", 2)], 1, shifts=[vip])
    assert result.assignments == (Assignment("李娜", day(1), "VIP"),)
    (unfilled,) = result.unfilled
    assert unfilled.heads == 1
    assert unfilled.reasons == {"one_shift_a_day": 1, "skill": 1}


def test_time_off_is_respected_and_explained():
    agents = [Agent("李娜", time_off=frozenset({day(2)}))]
    result = roster(agents, every_day("早班", 1, 2), 2)
    assert [a.day for a in result.assignments] == [day(1)]
    assert result.unfilled[0].reasons == {"time_off": 1}
    assert "approved time off" in result.unfilled[0].explain("en")
    assert "已批准的休假" in result.unfilled[0].explain("zh-hans")


def test_a_night_shift_touching_a_day_off_is_not_given():
    agents = [Agent("李娜", time_off=frozenset({day(2)}))]
    result = roster(agents, [Demand(day(1), "夜班", 1)], 2)
    assert result.assignments == ()
    assert result.unfilled[0].reasons == {"time_off": 1}


def test_too_little_rest_after_a_night_shift_is_refused():
    agents = [Agent("李娜")]
    demands = [Demand(day(1), "夜班", 1), Demand(day(2), "晚班", 1)]  # 06:00 → 14:00 is 8 h
    result = roster(agents, demands, 2)
    assert len(result.assignments) == 1
    assert result.unfilled[0].reasons == {"min_rest": 1}


def test_a_rest_day_each_week():
    agents = [Agent("李娜")]
    result = roster(agents, every_day("早班", 1, 7), 7)
    assert len(result.assignments) == 6
    assert set(result.unfilled[0].reasons) <= {"rest_days", "consecutive_days"}


def test_consecutive_days_are_capped_across_weeks():
    rules = WorkingTimeRules(max_consecutive_days=3)
    result = roster([Agent("李娜")], every_day("早班", 1, 8), 8, rules=rules)
    worked = sorted((a.day - MONDAY).days for a in result.assignments)
    assert all(b - a < 4 for a, b in itertools.pairwise(worked))
    assert len(worked) == 6


def test_a_shift_over_daily_hours_plus_overtime_is_not_given():
    long = ShiftTemplate("长班", 7 * 60, 12 * 60)
    result = roster([Agent("李娜")], [Demand(day(1), "长班", 1)], 1, shifts=[long])
    assert result.assignments == ()
    assert result.unfilled[0].reasons == {"daily_hours": 1}


def test_monthly_overtime_is_kept_under_36_hours():
    eleven = ShiftTemplate("十一小时", 7 * 60, 11 * 60)  # 3 h overtime every time
    result = roster([Agent("李娜")], every_day("十一小时", 1, 28), 28, shifts=[eleven])
    assert len(result.assignments) == 12  # 12 × 3 h = 36 h; a 13th would be 39 h
    assert {r for u in result.unfilled for r in u.reasons} <= {
        "monthly_overtime",
        "rest_days",
        "consecutive_days",
    }


def test_checker_counts_holiday_hours_as_overtime():
    holiday = {day(n): DayKind.HOLIDAY for n in range(1, 8)}
    agents = [Agent("李娜")]
    assignments = [Assignment("李娜", day(n), "早班") for n in range(1, 7)] + [
        Assignment("李娜", day(n), "早班") for n in range(8, 14)
    ]
    rules = WorkingTimeRules(max_consecutive_days=None)
    common = {"agents": agents, "shifts": SHIFTS, "start": MONDAY, "days": 14}
    found = check_roster(assignments, rules=rules, day_kinds=holiday, **common)
    assert [v.rule for v in found] == ["monthly_overtime"]  # 48 h of holiday work
    assert check_roster(assignments, rules=rules, **common) == []
    relaxed = WorkingTimeRules(max_consecutive_days=None, holiday_hours_are_overtime=False)
    assert check_roster(assignments, rules=relaxed, day_kinds=holiday, **common) == []


def test_checker_finds_overlap_rest_and_skill_problems():
    vip = ShiftTemplate("VIP", 9 * 60, 8 * 60, skill="vip")
    agents = [Agent("赵敏")]
    assignments = [
        Assignment("赵敏", day(1), "夜班"),
        Assignment("赵敏", day(2), "早班"),  # 2 h after the night shift
        Assignment("赵敏", day(3), "早班"),
        Assignment("赵敏", day(3), "晚班"),  # overlaps the early shift
        Assignment("赵敏", day(4), "VIP"),
        Assignment("无名", day(4), "早班"),
    ]
    found = check_roster(assignments, agents=agents, shifts=[*SHIFTS, vip], start=MONDAY, days=7)
    assert {v.rule for v in found} == {"min_rest", "one_shift_a_day", "skill", "unknown"}


def test_checker_finds_more_heads_than_planned():
    agents = [Agent("a"), Agent("b")]
    assignments = [Assignment("a", day(1), "早班"), Assignment("b", day(1), "早班")]
    found = check_roster(
        assignments,
        agents=agents,
        shifts=SHIFTS,
        start=MONDAY,
        days=1,
        demands=[Demand(day(1), "早班", 1)],
    )
    assert [v.rule for v in found] == ["planned_heads"]


def test_nights_and_weekends_are_spread_evenly():
    agents = [Agent(f"a{k}") for k in range(4)]
    demands = every_day("夜班", 1, 14) + every_day("早班", 1, 14)
    result = roster(agents, demands, 14)
    low, high = result.fairness["night"]
    assert high - low <= 1
    low, high = result.fairness["weekend"]
    assert high - low <= 1


def test_a_makeup_workday_is_not_a_weekend():
    kinds = {day(6): DayKind.MAKEUP_WORKDAY}  # Saturday worked as a 调休 day
    result = roster([Agent("a")], [Demand(day(6), "早班", 1)], 7, day_kinds=kinds)
    assert result.fairness["weekend"] == (0, 0)


def test_avoided_shifts_are_avoided_when_possible():
    agents = [Agent("a", avoid_shifts=frozenset({"夜班"})), Agent("b")]
    result = roster(agents, [Demand(day(1), "夜班", 1), Demand(day(1), "早班", 1)], 1)
    assert Assignment("b", day(1), "夜班") in result.assignments


def test_a_fixed_assignment_on_a_day_off_is_a_named_conflict():
    agent = Agent("李娜", time_off=frozenset({day(1)}), fixed=frozenset({(day(1), "早班")}))
    result = build_roster(
        agents=[agent],
        shifts=SHIFTS,
        demands=[Demand(day(1), "早班", 1)],
        start=MONDAY,
        days=1,
    )
    assert result.status == "infeasible"
    assert result.assignments == ()
    assert set(result.conflicts) == {
        RuleConflict("fixed", "李娜"),
        RuleConflict("time_off", "李娜"),
    }
    assert "已批准的休假" in result.conflicts[-1].label("zh") or "已批准的休假" in (
        result.conflicts[0].label("zh")
    )


def test_minimum_hours_against_time_off_is_a_named_conflict():
    agent = Agent("李娜", min_hours=40, time_off=frozenset({day(1), day(2), day(3)}))
    result = build_roster(
        agents=[agent],
        shifts=SHIFTS,
        demands=every_day("早班", 1, 7),
        start=MONDAY,
        days=7,
    )
    assert result.status == "infeasible"
    rules = {c.rule for c in result.conflicts}
    assert {"min_hours", "time_off"} <= rules


def test_feasible_minimum_hours_are_given():
    agents = [Agent("李娜", min_hours=40), Agent("赵敏")]
    result = roster(agents, every_day("早班", 1, 7), 7)
    assert sum(a.agent == "李娜" for a in result.assignments) == 5


def test_fixed_assignment_is_kept():
    agents = [Agent("a"), Agent("b", fixed=frozenset({(day(1), "早班")}))]
    result = roster(agents, [Demand(day(1), "早班", 1)], 1)
    assert result.assignments == (Assignment("b", day(1), "早班"),)


@pytest.mark.parametrize("days", [0, 63])
def test_roster_length_is_bounded(days):
    from yuqi.domain.workforce.errors import WorkforceError

    with pytest.raises(WorkforceError):
        build_roster(agents=[], shifts=SHIFTS, demands=[], start=MONDAY, days=days)


def test_when_the_solver_has_nothing_in_time_the_greedy_roster_is_returned(monkeypatch):
    from ortools.sat.python import cp_model

    monkeypatch.setattr(cp_model.CpSolver, "solve", lambda self, model: cp_model.UNKNOWN)
    agents = [Agent(f"a{k}") for k in range(3)]
    demands = every_day("早班", 1, 7) + every_day("夜班", 1, 7)
    result = roster(agents, demands, 7)  # roster() asserts check_roster finds nothing
    assert len(result.assignments) + sum(u.heads for u in result.unfilled) == 14
    assert len(result.assignments) >= 12
    assert all(u.reasons for u in result.unfilled)
    assert "greedy" in result.notes[0]

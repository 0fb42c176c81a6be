"""Working-time rules for rosters, with defaults from China's statutes.

Defaults and their sources (the centre may change any of them):

* ``standard_daily_hours = 8``: 劳动法 (Labour Law, 1994) art. 36 — no more than 8 hours a day.
* ``standard_weekly_hours = 40``: 国务院关于职工工作时间的规定 (State Council Regulations on
  Working Hours, 1995 revision) art. 3 — 8 hours a day, 40 a week; the Labour Law's art. 36
  still says 44, the 1995 rule is the one in force.
* ``max_daily_overtime_hours = 3`` and ``max_monthly_overtime_hours = 36``: Labour Law art. 41
  — overtime generally at most 1 hour a day, up to 3 hours for special reasons, and at most
  36 hours a month. The roster allows the special-reasons ceiling, and minimises overtime.
* ``min_rest_days_per_week = 1``: Labour Law art. 38 — at least one day off a week.
* ``holiday_hours_are_overtime = True``: Labour Law art. 44(3) — work on a statutory holiday
  is overtime (paid at 300 %), so it counts towards the 36-hour month.
* ``min_rest_hours_between_shifts = 11`` and ``max_consecutive_days = 6``: not statutory in
  China; common practice in Chinese contact centres (and the EU's daily rest of 11 hours).
  ``None`` switches either off.

How the roster counts (the checker ``roster.check_roster`` uses the same definitions):

* Hours of a shift are its working time (the shift less unpaid breaks), all counted on the
  day the shift starts.
* Weeks are blocks of 7 days from the roster's first day. Overtime of a week is
  ``max(Σ_day max(h − daily standard, 0), Σ h − weekly cap) + holiday hours``, where the
  weekly cap is the smaller of the weekly standard and the agent's contract hours (hours
  beyond the contract are treated as overtime).
* Monthly overtime: for each calendar month, the overtime of every week that has a day in
  the month counts in full (a week across two months counts in both). This over-counts,
  never under-counts, whichever way a centre splits such a week.
* A rest day is a calendar day without any working time (a night shift that ends at 06:00
  uses the morning of the next day). Only complete 7-day weeks are checked.
* Overtime already worked before the roster starts is not known here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RULE_LABELS", "WorkingTimeRules"]


@dataclass(frozen=True, slots=True)
class WorkingTimeRules:
    """The rules a roster must keep (see the module docstring for sources)."""

    standard_daily_hours: float = 8.0
    standard_weekly_hours: float = 40.0
    max_daily_overtime_hours: float = 3.0
    max_monthly_overtime_hours: float = 36.0
    min_rest_days_per_week: int = 1
    min_rest_hours_between_shifts: float | None = 11.0
    max_consecutive_days: int | None = 6
    holiday_hours_are_overtime: bool = True

    @property
    def max_daily_minutes(self) -> int:
        return round((self.standard_daily_hours + self.max_daily_overtime_hours) * 60)


#: Every rule a roster can break or that can block a shift, with its English and Chinese name.
RULE_LABELS: dict[str, tuple[str, str]] = {
    "skill": ("agent lacks the shift's skill", "坐席不具备班次所需技能"),
    "time_off": ("approved time off", "已批准的休假"),
    "one_shift_a_day": ("already working that day", "当天已有班次"),
    "daily_hours": ("daily hours above standard + 3 h overtime", "每日工时超过标准加 3 小时加班"),
    "min_rest": ("too little rest between shifts", "两班之间休息不足"),
    "rest_days": ("no rest day left in the week", "本周休息日不足"),
    "consecutive_days": ("too many consecutive working days", "连续工作天数过多"),
    "monthly_overtime": ("monthly overtime above the limit", "月加班时数超过上限"),
    "min_hours": ("agent's minimum weekly hours not reached", "未达到坐席每周最少工时"),
    "fixed": ("assignment fixed by the planner", "排班员固定的安排"),
    "planned_heads": ("more heads than planned on the shift", "超过计划人数"),
    "unknown": ("unknown agent or shift", "未知的坐席或班次"),
    "solver_time": ("solver stopped at its time limit", "求解器达到时间上限"),
    "no_agents": ("no agents at all", "没有坐席"),
}

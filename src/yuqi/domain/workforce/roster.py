"""The roster: named agents on the planned shifts, under working-time rules.

``build_roster`` fills the planned heads (``Demand``: date, shift, heads) with agents, as a
CP-SAT model (OR-Tools) over booleans ``x[agent, day, shift]``:

* hard: the rules of ``WorkingTimeRules`` (one shift a day, no overlap, daily hours, rest
  between shifts, rest days per week, consecutive days, monthly overtime), skills, approved
  time off, each agent's minimum weekly hours, assignments fixed by the planner, and no more
  heads than planned on a shift;
* objective, in this order of weight: fill the planned hours; keep overtime low; spread
  night, weekend and holiday shifts evenly (max − min per agent); honour preferences
  (avoided shifts, preferred shifts, preferred days off); give each agent hours up to the
  contract.

A planned head left unfilled is explained: for that date and shift, each agent is tried
against the rules (with the rest of the roster as it is) and the reasons counted — lack of the
skill, time off, already working, rest, overtime — so the planner sees what blocked it.

When the hard rules cannot all hold (only possible with minimum hours or fixed assignments,
since an empty roster keeps every other rule) the answer names the conflicting rules: each
rule family of each agent is switched by an assumption literal, CP-SAT returns a sufficient
set of assumptions for infeasibility, and that set is shrunk by deletion to a minimal one.

``check_roster`` checks a roster against the rules without the solver (its own code, the
definitions of ``rules``): the benchmark and the tests run it on every roster built here.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from yuqi.domain.calendar import DayKind
from yuqi.domain.workforce.errors import WorkforceError
from yuqi.domain.workforce.rules import RULE_LABELS, WorkingTimeRules
from yuqi.domain.workforce.shifts import DAY_MINUTES, ShiftTemplate

if TYPE_CHECKING:
    # OR-Tools' CP-SAT (it imports pandas: about 0.7 s) is imported where a roster is solved,
    # not by every process that starts Django; ``yuqi.config.wsgi`` loads it in a server
    from ortools.sat.python import cp_model

__all__ = [
    "Agent",
    "Assignment",
    "Demand",
    "Roster",
    "RuleConflict",
    "Unfilled",
    "Violation",
    "build_roster",
    "check_roster",
    "demands_from_plan",
]

_FILL = 1000  # per 15 minutes of planned work filled
_OVERTIME = 2  # per minute of overtime
_FAIR = 300  # per night / weekend / holiday shift an agent is away from an even share
_AVOID, _OFF_DAY, _NOT_PREFERRED = 200, 100, 50
_UNDER_CONTRACT = 1  # per minute below contract hours in a week
DEFAULT_RULES = WorkingTimeRules()


@dataclass(frozen=True, slots=True)
class Agent:
    """An agent to roster. ``contract_hours`` a week (hours beyond count as overtime);
    ``min_hours`` a week the roster must give (hard); ``time_off`` approved dates;
    ``preferred_days_off`` ISO weekdays (1 = Monday); ``fixed`` (date, shift) pins."""

    id: str
    skills: frozenset[str] = frozenset()
    contract_hours: float = 40.0
    min_hours: float = 0.0
    time_off: frozenset[dt.date] = frozenset()
    preferred_shifts: frozenset[str] = frozenset()
    avoid_shifts: frozenset[str] = frozenset()
    preferred_days_off: frozenset[int] = frozenset()
    fixed: frozenset[tuple[dt.date, str]] = frozenset()


@dataclass(frozen=True, slots=True)
class Demand:
    """Heads planned on ``shift`` starting on ``day``."""

    day: dt.date
    shift: str
    heads: int


@dataclass(frozen=True, slots=True, order=True)
class Assignment:
    agent: str
    day: dt.date
    shift: str


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken rule: its id (see ``rules.RULE_LABELS``), the agent, the day it concerns."""

    rule: str
    agent: str
    day: dt.date | None
    detail: str


@dataclass(frozen=True, slots=True)
class Unfilled:
    """Planned heads left open on a shift, and why: per reason, how many agents it blocked
    (each agent counted once, under the first rule that blocks them)."""

    day: dt.date
    shift: str
    heads: int
    reasons: dict[str, int]

    def explain(self, language: str = "en") -> str:
        zh = language.lower().startswith("zh")
        parts = [
            f"{RULE_LABELS[rule][1 if zh else 0]}: {count}"
            for rule, count in sorted(self.reasons.items(), key=lambda kv: -kv[1])
        ]
        head = (
            f"{self.day} {self.shift} 缺 {self.heads} 人"
            if zh
            else f"{self.day} {self.shift}: {self.heads} head(s) unfilled"
        )
        return head + (" — " + "; ".join(parts) if parts else "")


@dataclass(frozen=True, slots=True)
class RuleConflict:
    """One rule (of one agent, or of the plan) among a set that cannot hold together."""

    rule: str
    agent: str | None

    def label(self, language: str = "en") -> str:
        name = RULE_LABELS[self.rule][1 if language.lower().startswith("zh") else 0]
        return f"{name} ({self.agent})" if self.agent else name


@dataclass(frozen=True, slots=True)
class Roster:
    """The answer: ``status`` is ``optimal``, ``feasible`` (time limit; best found) or
    ``infeasible`` (then ``assignments`` is empty and ``conflicts`` names the rules)."""

    status: str
    assignments: tuple[Assignment, ...]
    unfilled: tuple[Unfilled, ...]
    conflicts: tuple[RuleConflict, ...]
    fairness: dict[str, tuple[int, int]]
    seconds: float
    notes: tuple[str, ...] = field(default=())


def demands_from_plan(heads: Mapping[str, Sequence[int]], start: dt.date) -> list[Demand]:
    """A plan's heads (template → heads per day 1..D) as demands from ``start``."""
    return [
        Demand(day=start + dt.timedelta(days=i), shift=name, heads=count)
        for name, days in heads.items()
        for i, count in enumerate(days)
        if count > 0
    ]


# --------------------------------------------------------------------------------------------
# The calendar of a roster and the rule arithmetic shared by the model and the checker.


@dataclass(frozen=True, slots=True)
class _Horizon:
    start: dt.date
    days: int
    kinds: Mapping[dt.date, DayKind]
    rules: WorkingTimeRules

    def index(self, day: dt.date) -> int:
        return (day - self.start).days

    def date(self, i: int) -> dt.date:
        return self.start + dt.timedelta(days=i)

    def kind(self, i: int) -> DayKind:
        day = self.date(i)
        if day in self.kinds:
            return DayKind(self.kinds[day])
        return DayKind.REST_DAY if day.weekday() >= 5 else DayKind.WORKDAY

    def weeks(self) -> list[range]:
        return [range(b, min(b + 7, self.days)) for b in range(0, self.days, 7)]

    def months(self) -> dict[tuple[int, int], list[int]]:
        """Calendar month → the weeks (by number) with a day in it."""
        found: dict[tuple[int, int], list[int]] = defaultdict(list)
        for number, week in enumerate(self.weeks()):
            for month in sorted({(self.date(i).year, self.date(i).month) for i in week}):
                found[month].append(number)
        return dict(found)

    def touched(self, i: int, template: ShiftTemplate) -> range:
        """Day indexes with working time of ``template`` started on day ``i``."""
        return range(i, i + (template.end - 1) // DAY_MINUTES + 1)

    def is_holiday(self, i: int) -> bool:
        return self.kind(i) is DayKind.HOLIDAY

    def counts_as_holiday_overtime(self, i: int) -> bool:
        return self.rules.holiday_hours_are_overtime and self.is_holiday(i)


def _gap(first: ShiftTemplate, second: ShiftTemplate, days_apart: int) -> int:
    """Minutes from the end of ``first`` to the start of ``second`` started later."""
    return days_apart * DAY_MINUTES + second.start - first.end


def _week_overtime(
    items: Iterable[tuple[int, ShiftTemplate]], horizon: _Horizon, agent: Agent
) -> int:
    """Overtime minutes of one week's shifts (``rules`` module docstring)."""
    rules = horizon.rules
    daily = round(rules.standard_daily_hours * 60)
    cap = round(min(rules.standard_weekly_hours, agent.contract_hours) * 60)
    excess = regular = holiday = 0
    for i, template in items:
        if horizon.counts_as_holiday_overtime(i):
            holiday += template.work_minutes
        else:
            regular += template.work_minutes
            excess += max(template.work_minutes - daily, 0)
    return max(excess, regular - cap, 0) + holiday


# --------------------------------------------------------------------------------------------
# The independent checker.


def check_roster(
    assignments: Iterable[Assignment],
    *,
    agents: Sequence[Agent],
    shifts: Sequence[ShiftTemplate],
    rules: WorkingTimeRules = DEFAULT_RULES,
    start: dt.date,
    days: int,
    day_kinds: Mapping[dt.date, DayKind | str] | None = None,
    demands: Iterable[Demand] | None = None,
) -> list[Violation]:
    """Every rule the roster breaks (empty when it keeps them all); solver-independent."""
    horizon = _Horizon(start, days, dict(day_kinds or {}), rules)
    by_name = {t.name: t for t in shifts}
    by_id = {a.id: a for a in agents}
    violations: list[Violation] = []
    per_agent: dict[str, list[tuple[int, ShiftTemplate]]] = defaultdict(list)
    heads: Counter[tuple[dt.date, str]] = Counter()
    for item in assignments:
        template = by_name.get(item.shift)
        i = horizon.index(item.day)
        if item.agent not in by_id or template is None or not 0 <= i < days:
            violations.append(
                Violation("unknown", item.agent, item.day, f"{item.shift} outside the roster")
            )
            continue
        per_agent[item.agent].append((i, template))
        heads[item.day, item.shift] += 1
    for agent in agents:
        violations += _agent_violations(agent, per_agent.get(agent.id, []), horizon)
    if demands is not None:
        planned = {(d.day, d.shift): d.heads for d in demands}
        for (day, name), count in sorted(heads.items()):
            if count > planned.get((day, name), 0):
                violations.append(
                    Violation(
                        "planned_heads",
                        "",
                        day,
                        f"{count} on {name}, {planned.get((day, name), 0)} planned",
                    )
                )
    return violations


def _agent_violations(
    agent: Agent, items: list[tuple[int, ShiftTemplate]], horizon: _Horizon
) -> list[Violation]:
    rules = horizon.rules
    found: list[Violation] = []
    items = sorted(items, key=lambda item: (item[0], item[1].start))

    def add(rule: str, i: int | None, detail: str) -> None:
        found.append(Violation(rule, agent.id, None if i is None else horizon.date(i), detail))

    worked: set[int] = set()
    for i, template in items:
        if template.skill is not None and template.skill not in agent.skills:
            add("skill", i, f"{template.name} needs {template.skill}")
        touched = set(horizon.touched(i, template))
        if {horizon.date(j) for j in touched} & agent.time_off:
            add("time_off", i, template.name)
        if template.work_minutes > rules.max_daily_minutes:
            add("daily_hours", i, f"{template.name}: {template.work_minutes / 60:g} h")
        worked |= {j for j in touched if j < horizon.days}
    for (i, first), (k, second) in pairwise(items):
        gap = _gap(first, second, k - i)
        if k == i or gap < 0:
            add("one_shift_a_day", k, f"{first.name} and {second.name}")
        elif rules.min_rest_hours_between_shifts is not None and gap < round(
            rules.min_rest_hours_between_shifts * 60
        ):
            add("min_rest", k, f"{gap / 60:g} h after {first.name}")
    for i, name in sorted(agent.fixed):
        held = any(horizon.date(j) == i and t.name == name for j, t in items)
        if not held and 0 <= horizon.index(i) < horizon.days:
            add("fixed", horizon.index(i), f"{name} not assigned")
    overtime = []
    for week in horizon.weeks():
        inside = [(i, t) for i, t in items if i in week]
        overtime.append(_week_overtime(inside, horizon, agent))
        if len(week) == 7:
            rest = sum(1 for j in week if j not in worked)
            if rest < rules.min_rest_days_per_week:
                add("rest_days", week.start, f"{rest} rest day(s) in the week")
            hours = sum(t.work_minutes for _, t in inside)
            if hours < round(agent.min_hours * 60):
                add("min_hours", week.start, f"{hours / 60:g} h in the week")
    for (year, month), weeks in horizon.months().items():
        total = sum(overtime[w] for w in weeks)
        if total > round(rules.max_monthly_overtime_hours * 60):
            add("monthly_overtime", None, f"{year}-{month:02d}: {total / 60:g} h")
    if rules.max_consecutive_days is not None:
        run = 0
        for j in range(horizon.days):
            run = run + 1 if j in worked else 0
            if run == rules.max_consecutive_days + 1:
                add("consecutive_days", j, f"{run} days in a row")
    return found


# --------------------------------------------------------------------------------------------
# The model.


class _Model:
    """The CP-SAT model of one roster problem (see the module docstring)."""

    def __init__(
        self,
        agents: Sequence[Agent],
        templates: Sequence[ShiftTemplate],
        demand: dict[tuple[int, int], int],
        horizon: _Horizon,
        *,
        with_assumptions: bool,
    ) -> None:
        self.agents = agents
        self.templates = templates
        self.demand = demand
        self.horizon = horizon
        from ortools.sat.python import cp_model

        self.model = cp_model.CpModel()
        self.assumptions: dict[tuple[str, str | None], cp_model.IntVar] = {}
        self.with_assumptions = with_assumptions
        self.x: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self._current = -1
        self.by_agent: dict[int, dict[tuple[int, int], cp_model.IntVar]] = defaultdict(dict)
        self.objective: list = []
        self.worked: dict[tuple[int, int], cp_model.IntVar] = {}
        self.weekly: list[tuple[int, int, cp_model.IntVar, cp_model.IntVar | None]] = []
        self.spread: list[tuple[cp_model.IntVar, cp_model.IntVar, list, int, int]] = []
        self._columns()
        self._rules()

    def lit(self, rule: str, agent: str | None) -> list:
        """The assumption switching ``rule`` of ``agent`` on (none when not tracking)."""
        if not self.with_assumptions:
            return []
        key = (rule, agent)
        if key not in self.assumptions:
            self.assumptions[key] = self.model.new_bool_var(f"{rule}:{agent}")
        return [self.assumptions[key]]

    def _enforce(self, constraint, rule: str, agent: str | None) -> None:
        literals = self.lit(rule, agent)
        if literals:
            constraint.only_enforce_if(literals)

    def _blocker(self, agent: Agent, i: int, template: ShiftTemplate) -> str | None:
        if template.skill is not None and template.skill not in agent.skills:
            return "skill"
        touched = {self.horizon.date(j) for j in self.horizon.touched(i, template)}
        if touched & agent.time_off:
            return "time_off"
        if template.work_minutes > self.horizon.rules.max_daily_minutes:
            return "daily_hours"
        return None

    def _columns(self) -> None:
        names = {t.name: s for s, t in enumerate(self.templates)}
        for a, agent in enumerate(self.agents):
            pins = {(self.horizon.index(day), names.get(name, -1)) for day, name in agent.fixed}
            for (i, s), heads in self.demand.items():
                template = self.templates[s]
                blocker = self._blocker(agent, i, template)
                pinned = (i, s) in pins
                # With assumptions, an agent owed minimum hours keeps blocked columns so that
                # the blocking rule (time off, skill…) shows in a conflict, not min_hours alone.
                named = self.with_assumptions and agent.min_hours > 0 and heads > 0
                if (blocker or heads <= 0) and not pinned and not named:
                    continue
                var = self.model.new_bool_var(f"x{a}_{i}_{s}")
                self.x[a, i, s] = var
                self.by_agent[a][i, s] = var
                if blocker:
                    self._enforce(self.model.add(var == 0), blocker, agent.id)
            for i, s in pins:
                if s < 0 or not 0 <= i < self.horizon.days:
                    raise WorkforceError(
                        f"agent {agent.id}: a fixed assignment names an unknown shift or day",
                        f"坐席 {agent.id}：固定安排中的班次或日期不存在",
                        field="fixed",
                    )
                if (a, i, s) not in self.x:
                    var = self.model.new_bool_var(f"x{a}_{i}_{s}")
                    self.x[a, i, s] = var
                    self.by_agent[a][i, s] = var
                    self._enforce(self.model.add(var == 0), "planned_heads", None)
                self._enforce(self.model.add(self.x[a, i, s] == 1), "fixed", agent.id)

    def _rules(self) -> None:
        per_shift: dict[tuple[int, int], list] = defaultdict(list)
        for (_a, i, s), var in self.x.items():
            per_shift[i, s].append(var)
        for key, variables in per_shift.items():
            self._enforce(
                self.model.add(sum(variables) <= self.demand.get(key, 0)), "planned_heads", None
            )
        for a, agent in enumerate(self.agents):
            columns = self.by_agent.get(a, {})
            if columns:
                self._current = a
                self._agent_rules(agent, columns)

    def _agent_rules(self, agent: Agent, columns: dict[tuple[int, int], cp_model.IntVar]) -> None:
        model, horizon, rules = self.model, self.horizon, self.horizon.rules
        by_day: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for (i, s), var in columns.items():
            by_day[i].append((s, var))
        for entries in by_day.values():
            if len(entries) > 1:
                self._enforce(
                    model.add_at_most_one(v for _, v in entries), "one_shift_a_day", agent.id
                )
        rest = rules.min_rest_hours_between_shifts
        rest_minutes = round(rest * 60) if rest is not None else 0
        for (i, s), var in columns.items():
            first = self.templates[s]
            for k in (1, 2):
                overlap, short = [], []
                for s2, var2 in by_day.get(i + k, []):
                    gap = _gap(first, self.templates[s2], k)
                    if gap < 0:
                        overlap.append(var2)
                    elif gap < rest_minutes:
                        short.append(var2)
                if overlap:
                    self._enforce(model.add(var + sum(overlap) <= 1), "one_shift_a_day", agent.id)
                if short:
                    self._enforce(model.add(var + sum(short) <= 1), "min_rest", agent.id)
        worked = self._worked(agent, columns)
        self.worked.update({(self._current, j): v for j, v in worked.items()})
        self._weeks(agent, columns, worked)
        if rules.max_consecutive_days is not None:
            span = rules.max_consecutive_days + 1
            for j in range(horizon.days - span + 1):
                window = [worked[d] for d in range(j, j + span) if d in worked]
                if len(window) == span:
                    self._enforce(
                        model.add(sum(window) <= rules.max_consecutive_days),
                        "consecutive_days",
                        agent.id,
                    )
        self._preferences(agent, columns)

    def _worked(self, agent: Agent, columns: dict) -> dict[int, cp_model.IntVar]:
        """Per day, a boolean that is 1 when the agent has working time that day."""
        touching: dict[int, list] = defaultdict(list)
        for (i, s), var in columns.items():
            for j in self.horizon.touched(i, self.templates[s]):
                if j < self.horizon.days:
                    touching[j].append(var)
        worked = {}
        for j, variables in touching.items():
            flag = self.model.new_bool_var("")
            for var in variables:
                self.model.add_implication(var, flag)
            worked[j] = flag
        return worked

    def _weeks(self, agent: Agent, columns: dict, worked: dict[int, cp_model.IntVar]) -> None:
        model, horizon, rules = self.model, self.horizon, self.horizon.rules
        daily = round(rules.standard_daily_hours * 60)
        cap = round(min(rules.standard_weekly_hours, agent.contract_hours) * 60)
        overtime_of_week = []
        for week in horizon.weeks():
            regular, excess, holiday, total = [], [], [], []
            for (i, s), var in columns.items():
                if i not in week:
                    continue
                minutes = self.templates[s].work_minutes
                total.append(minutes * var)
                if horizon.counts_as_holiday_overtime(i):
                    holiday.append(minutes * var)
                else:
                    regular.append(minutes * var)
                    if minutes > daily:
                        excess.append((minutes - daily) * var)
            overtime = model.new_int_var(0, 7 * DAY_MINUTES, "")
            model.add(overtime >= sum(excess) + sum(holiday))
            model.add(overtime >= sum(regular) - cap + sum(holiday))
            overtime_of_week.append(overtime)
            self.objective.append(_OVERTIME * overtime)
            under = None
            if total:
                under = model.new_int_var(0, cap, "")
                model.add(under >= cap - sum(total))
                self.objective.append(_UNDER_CONTRACT * under)
            self.weekly.append((self._current, len(overtime_of_week) - 1, overtime, under))
            if len(week) == 7:
                days_worked = [worked[j] for j in week if j in worked]
                if len(days_worked) > 7 - rules.min_rest_days_per_week:
                    self._enforce(
                        model.add(sum(days_worked) <= 7 - rules.min_rest_days_per_week),
                        "rest_days",
                        agent.id,
                    )
                if agent.min_hours > 0:
                    self._enforce(
                        model.add(sum(total) >= round(agent.min_hours * 60)), "min_hours", agent.id
                    )
        limit = round(rules.max_monthly_overtime_hours * 60)
        for weeks in horizon.months().values():
            self._enforce(
                model.add(sum(overtime_of_week[w] for w in weeks) <= limit),
                "monthly_overtime",
                agent.id,
            )

    def _preferences(self, agent: Agent, columns: dict) -> None:
        for (i, s), var in columns.items():
            penalty = _dislike(agent, self.templates[s].name, self.horizon.date(i))
            if penalty:
                self.objective.append(penalty * var)

    def categories(self) -> dict[str, list[tuple[int, int, int]]]:
        found: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        for a, i, s in self.x:
            if self.templates[s].is_night:
                found["night"].append((a, i, s))
            kind = self.horizon.kind(i)
            if kind is DayKind.REST_DAY:
                found["weekend"].append((a, i, s))
            if kind is DayKind.HOLIDAY:
                found["holiday"].append((a, i, s))
        return found

    def add_objective(self) -> None:
        filled = [
            -(_FILL * -(-self.templates[s].work_minutes // 15)) * var
            for (_a, _i, s), var in self.x.items()
        ]
        for members in self.categories().values():
            counts: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
            for key in members:
                counts[key[0]].append(key)
            slots = {(i, s) for _a, i, s in members}
            share = sum(self.demand.get(k, 0) for k in slots) / len(counts)
            high, low = math.ceil(share), math.floor(share)
            for keys in counts.values():
                # Distance from an even share, per agent: each move towards it pays, which
                # large-neighbourhood search finds far more easily than a max − min spread.
                above = self.model.new_int_var(0, self.horizon.days, "")
                below = self.model.new_int_var(0, self.horizon.days, "")
                total = sum(self.x[k] for k in keys)
                self.model.add(above >= total - high)
                self.model.add(below >= low - total)
                self.objective.append(_FAIR * (above + below))
                self.spread.append((above, below, keys, high, low))
        self.model.minimize(sum(filled) + sum(self.objective))


def _dislike(agent: Agent, shift: str, day: dt.date) -> int:
    """The preference penalty of giving ``agent`` this shift on this day (as the model's)."""
    penalty = _AVOID if shift in agent.avoid_shifts else 0
    if agent.preferred_shifts and shift not in agent.preferred_shifts:
        penalty += _NOT_PREFERRED
    if day.isoweekday() in agent.preferred_days_off:
        penalty += _OFF_DAY
    return penalty


class _Greedy:
    """A first roster, head by head in time order (time order fills best: placing nights or
    weekends first left weekday heads open): each head goes to the agent with the fewest
    night (weekend) shifts so far if it is one, then the fewest hours for their contract,
    that keeps every rule — first without adding overtime,
    then within the overtime limits. Quick tests on the neighbouring days reject most
    candidates; the checker's own rule code (``_agent_violations``) confirms each choice.
    CP-SAT starts from this roster (a complete hint) and can only improve on it."""

    def __init__(self, built: _Model) -> None:
        self.built = built
        rules = built.horizon.rules
        self.rest = round((rules.min_rest_hours_between_shifts or 0) * 60)
        self.items: dict[int, list[tuple[int, ShiftTemplate]]] = defaultdict(list)
        self.at: dict[int, dict[int, ShiftTemplate]] = defaultdict(dict)
        self.worked: dict[int, set[int]] = defaultdict(set)
        self.week_minutes: Counter[tuple[int, int]] = Counter()
        self.minutes: Counter[int] = Counter()
        self.nights: Counter[int] = Counter()
        self.weekends: Counter[int] = Counter()
        self.chosen: set[tuple[int, int, int]] = set()

    def _quick(self, a: int, i: int, template: ShiftTemplate, *, overtime: bool) -> bool:
        """Necessary conditions, checked in O(1) from the agent's neighbouring days."""
        horizon, rules = self.built.horizon, self.built.horizon.rules
        new = {j for j in horizon.touched(i, template) if j < horizon.days}
        worked = self.worked[a]
        if i in self.at[a]:
            return False
        for k in (-2, -1, 1, 2):
            other = self.at[a].get(i + k)
            if other is not None:
                gap = _gap(other, template, -k) if k < 0 else _gap(template, other, k)
                if gap < max(self.rest, 0):
                    return False
        for j in new:
            week = horizon.weeks()[j // 7]
            if len(week) == 7:
                busy = sum(1 for d in week if d in worked or d in new)
                if busy > 7 - rules.min_rest_days_per_week:
                    return False
        if rules.max_consecutive_days is not None:
            low, high = min(new), max(new)
            while low - 1 in worked:
                low -= 1
            while high + 1 in worked:
                high += 1
            if high - low + 1 > rules.max_consecutive_days:
                return False
        if not overtime:
            agent = self.built.agents[a]
            cap = round(min(rules.standard_weekly_hours, agent.contract_hours) * 60)
            minutes = self.week_minutes[a, i // 7] + template.work_minutes
            if (
                minutes > cap
                or template.work_minutes > round(rules.standard_daily_hours * 60)
                or horizon.counts_as_holiday_overtime(i)
            ):
                return False
        return True

    def _fits(self, a: int, i: int, template: ShiftTemplate, *, overtime: bool) -> bool:
        if not self._quick(a, i, template, overtime=overtime):
            return False
        agent, horizon = self.built.agents[a], self.built.horizon
        after = _agent_violations(agent, [*self.items[a], (i, template)], horizon)
        return all(v.rule in ("min_hours", "fixed") for v in after)

    def run(self) -> set[tuple[int, int, int]]:
        built = self.built
        candidates: dict[tuple[int, int], list[int]] = defaultdict(list)
        for a, i, s in built.x:
            candidates[i, s].append(a)
        names = {t.name: s for s, t in enumerate(built.templates)}
        for a, agent in enumerate(built.agents):
            for day, name in sorted(agent.fixed):
                i, s = built.horizon.index(day), names[name]
                if (a, i, s) in built.x and self._fits(a, i, built.templates[s], overtime=True):
                    self._take(a, i, s)

        order = sorted(built.demand, key=lambda k: (k[0], built.templates[k[1]].start))
        for overtime in (False, True):
            for i, s in order:
                self._fill(i, s, candidates[i, s], overtime=overtime)
        return self.chosen

    def _weekend(self, i: int) -> bool:
        return self.built.horizon.kind(i) in (DayKind.REST_DAY, DayKind.HOLIDAY)

    def _fill(self, i: int, s: int, candidates: list[int], *, overtime: bool) -> None:
        built = self.built
        template = built.templates[s]
        weekend, night = self._weekend(i), template.is_night
        open_heads = built.demand[i, s] - sum(1 for a in candidates if (a, i, s) in self.chosen)
        for _ in range(open_heads):
            ranked = sorted(
                (a for a in candidates if (a, i, s) not in self.chosen),
                key=lambda a: (
                    self.nights[a] if night else 0,
                    self.weekends[a] if weekend else 0,
                    _dislike(built.agents[a], template.name, built.horizon.date(i)),
                    self.minutes[a] / max(1.0, built.agents[a].contract_hours),
                ),
            )
            chosen = next(
                (a for a in ranked if self._fits(a, i, template, overtime=overtime)), None
            )
            if chosen is None:
                return
            self._take(chosen, i, s)

    def _take(self, a: int, i: int, s: int) -> None:
        template = self.built.templates[s]
        horizon = self.built.horizon
        self.items[a].append((i, template))
        self.at[a][i] = template
        self.worked[a] |= {j for j in horizon.touched(i, template) if j < horizon.days}
        self.week_minutes[a, i // 7] += template.work_minutes
        self.minutes[a] += template.work_minutes
        self.nights[a] += template.is_night
        self.weekends[a] += self._weekend(i)
        self.chosen.add((a, i, s))


def _balance(built: _Model, chosen: set[tuple[int, int, int]], deadline: float) -> None:
    """Even out night and weekend shifts by swaps that keep every rule (in place).

    A swap gives one of the most-loaded agent's night (weekend) shifts to the least-loaded
    agent and one of the latter's other shifts of the same length back, so both keep their
    hours, and both shifts alike in the other category, so its counts stay; each candidate
    pair is checked with the checker's rule code. Every swap narrows the gap between two
    agents, so this ends; it also stops when ``deadline`` (``time.monotonic()``) passes.
    """
    horizon, templates = built.horizon, built.templates
    agents = built.agents
    starts: dict[int, dict[int, int]] = defaultdict(dict)
    for a, i, s in chosen:
        starts[a][i] = s
    tests = {
        "night": lambda i, s: templates[s].is_night,
        "weekend": lambda i, s: horizon.kind(i) in (DayKind.REST_DAY, DayKind.HOLIDAY),
    }

    rest = round((horizon.rules.min_rest_hours_between_shifts or 0) * 60)

    def near_ok(plan: dict[int, int], day: int, s: int) -> bool:
        """Rest to the shifts two days either side (the cheap test before the full one)."""
        for k in (-2, -1, 1, 2):
            other = plan.get(day + k)
            if other is not None:
                first, second = (other, s) if k < 0 else (s, other)
                if _gap(templates[first], templates[second], abs(k)) < rest:
                    return False
        return True

    def keeps(a: int, plan: dict[int, int]) -> bool:
        items = [(i, templates[s]) for i, s in plan.items()]
        return all(v.rule == "min_hours" for v in _agent_violations(agents[a], items, horizon))

    def swap(rich: int, poor: int, test, other) -> bool:
        for i, s in sorted(starts[rich].items()):
            if not test(i, s) or (poor, i, s) not in built.x:
                continue
            for j, s2 in sorted(starts[poor].items()):
                if j == i or test(j, s2) or (rich, j, s2) not in built.x:
                    continue
                if other(i, s) != other(j, s2):  # leave the other category's counts alone
                    continue
                given, taken = templates[s].name, templates[s2].name
                if _dislike(agents[poor], given, horizon.date(i)) > _dislike(
                    agents[poor], taken, horizon.date(j)
                ) or _dislike(agents[rich], taken, horizon.date(j)) > _dislike(
                    agents[rich], given, horizon.date(i)
                ):
                    continue  # fairness does not override a stated preference
                if templates[s2].work_minutes != templates[s].work_minutes:
                    continue
                if i in starts[poor] or j in starts[rich]:
                    continue
                new_rich = {**starts[rich], j: s2}
                del new_rich[i]
                new_poor = {**starts[poor], i: s}
                del new_poor[j]
                if not (near_ok(new_rich, j, s2) and near_ok(new_poor, i, s)):
                    continue
                if keeps(rich, new_rich) and keeps(poor, new_poor):
                    starts[rich], starts[poor] = new_rich, new_poor
                    chosen.difference_update({(rich, i, s), (poor, j, s2)})
                    chosen.update({(rich, j, s2), (poor, i, s)})
                    return True
        return False

    version: Counter[int] = Counter()
    failed: set[tuple[str, int, int, int, int]] = set()  # pairs tried since they last changed
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for name, test in tests.items():
            counts = {a: sum(1 for i, s in starts[a].items() if test(i, s)) for a in starts}
            ranked = sorted(counts, key=counts.get)
            for rich in reversed(ranked):
                for poor in ranked:
                    if counts[rich] - counts[poor] < 2 or time.monotonic() >= deadline:
                        break
                    key = (name, rich, poor, version[rich], version[poor])
                    if key in failed:
                        continue
                    other = tests["weekend" if name == "night" else "night"]
                    if swap(rich, poor, test, other):
                        version[rich] += 1
                        version[poor] += 1
                        improved = True
                        break
                    failed.add(key)
                if improved or time.monotonic() >= deadline:
                    break


def _keeps_rules(built: _Model, chosen: set[tuple[int, int, int]]) -> bool:
    items: dict[int, list[tuple[int, ShiftTemplate]]] = defaultdict(list)
    for a, i, s in chosen:
        items[a].append((i, built.templates[s]))
    return not any(
        _agent_violations(agent, items[a], built.horizon) for a, agent in enumerate(built.agents)
    )


def _hint(built: _Model, chosen: set[tuple[int, int, int]]) -> None:
    """Hint every variable of the model from a roster, so CP-SAT starts from it."""
    items: dict[int, list[tuple[int, ShiftTemplate]]] = defaultdict(list)
    for key, var in built.x.items():
        built.model.add_hint(var, key in chosen)
        if key in chosen:
            items[key[0]].append((key[1], built.templates[key[2]]))
    touched = {
        (a, j)
        for a, entries in items.items()
        for i, t in entries
        for j in built.horizon.touched(i, t)
    }
    for key, var in built.worked.items():
        built.model.add_hint(var, key in touched)
    weeks = built.horizon.weeks()
    rules = built.horizon.rules
    for a, w, overtime, under in built.weekly:
        inside = [(i, t) for i, t in items[a] if i in weeks[w]]
        built.model.add_hint(overtime, _week_overtime(inside, built.horizon, built.agents[a]))
        if under is not None:
            cap = round(min(rules.standard_weekly_hours, built.agents[a].contract_hours) * 60)
            built.model.add_hint(under, max(0, cap - sum(t.work_minutes for _, t in inside)))
    for above, below, keys, high, low in built.spread:
        count = sum(1 for k in keys if k in chosen)
        built.model.add_hint(above, max(0, count - high))
        built.model.add_hint(below, max(0, low - count))


def build_roster(
    *,
    agents: Sequence[Agent],
    shifts: Sequence[ShiftTemplate],
    demands: Iterable[Demand],
    start: dt.date,
    days: int,
    rules: WorkingTimeRules = DEFAULT_RULES,
    day_kinds: Mapping[dt.date, DayKind | str] | None = None,
    time_limit: float = 60.0,
    workers: int = 2,
) -> Roster:
    """Agents on the planned shifts under ``rules`` (module docstring); never an empty roster
    without a reason: infeasible rules come back as ``conflicts``."""
    from ortools.sat.python import cp_model

    began = time.monotonic()
    if not 1 <= days <= 62:
        raise WorkforceError(
            "a roster covers 1 to 62 days", "排班周期须为 1 至 62 天", field="days"
        )
    horizon = _Horizon(start, days, {d: DayKind(k) for d, k in (day_kinds or {}).items()}, rules)
    index = {t.name: s for s, t in enumerate(shifts)}
    demand: dict[tuple[int, int], int] = {}
    for item in demands:
        if item.shift not in index:
            raise WorkforceError(
                f"demand for unknown shift {item.shift!r}",
                f"需求中的班次 {item.shift!r} 不存在",
                field="shift",
            )
        i = horizon.index(item.day)
        if 0 <= i < days and item.heads > 0:
            demand[i, index[item.shift]] = demand.get((i, index[item.shift]), 0) + item.heads
    ids = [a.id for a in agents]
    if len(set(ids)) != len(ids):
        raise WorkforceError("two agents share an id", "有两个坐席编号相同", field="agents")
    hard_lower = any(a.min_hours > 0 or a.fixed for a in agents)
    if hard_lower:
        conflicts = _conflicts(agents, shifts, demand, horizon, began + time_limit / 2)
        if conflicts:
            return Roster(
                status="infeasible",
                assignments=(),
                unfilled=(),
                conflicts=conflicts,
                fairness={},
                seconds=time.monotonic() - began,
            )
    built = _Model(agents, shifts, demand, horizon, with_assumptions=False)
    built.add_objective()
    first = _Greedy(built).run()
    _balance(built, first, began + time_limit * 0.45)
    _hint(built, first)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(1.0, time_limit - (time.monotonic() - began))
    solver.parameters.num_workers = workers
    status = solver.solve(built.model)
    notes: tuple[str, ...] = ()
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = {key for key, var in built.x.items() if solver.boolean_value(var)}
    elif _keeps_rules(built, first):  # time ran out before CP-SAT had a solution
        chosen = first
        notes = (f"solver: {solver.status_name(status)} in time; the first (greedy) roster",)
    elif status == cp_model.INFEASIBLE:  # only when the first check ran out of time
        return Roster(
            status="infeasible",
            assignments=(),
            unfilled=(),
            conflicts=_conflicts(agents, shifts, demand, horizon, time.monotonic() + 30),
            fairness={},
            seconds=time.monotonic() - began,
        )
    else:
        return Roster(
            status="unknown",
            assignments=(),
            unfilled=(),
            conflicts=(),
            fairness={},
            seconds=time.monotonic() - began,
            notes=(f"solver: {solver.status_name(status)} within {time_limit:g} s; allow more",),
        )
    assignments = tuple(
        sorted(Assignment(agents[a].id, horizon.date(i), shifts[s].name) for a, i, s in chosen)
    )
    unfilled = _explain(assignments, agents, shifts, demand, horizon)
    return Roster(
        status="optimal" if status == cp_model.OPTIMAL else "feasible",
        assignments=assignments,
        unfilled=unfilled,
        conflicts=(),
        fairness=_fairness(assignments, agents, shifts, horizon),
        seconds=time.monotonic() - began,
        notes=notes,
    )


def _conflicts(
    agents: Sequence[Agent],
    shifts: Sequence[ShiftTemplate],
    demand: dict[tuple[int, int], int],
    horizon: _Horizon,
    deadline: float,
) -> tuple[RuleConflict, ...]:
    """A minimal set of rules that cannot hold together, or () when the rules are feasible
    (or when feasibility is not settled by ``deadline``; the optimisation then decides).
    Shrinking stops at the deadline too: the set is then sufficient, not minimal."""
    from ortools.sat.python import cp_model

    built = _Model(agents, shifts, demand, horizon, with_assumptions=True)
    keys = list(built.assumptions)

    def infeasible(active: list[tuple[str, str | None]]) -> list[tuple[str, str | None]] | None:
        built.model.clear_assumptions()
        built.model.add_assumptions([built.assumptions[k] for k in active])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.5, deadline - time.monotonic())
        status = solver.solve(built.model)
        if status != cp_model.INFEASIBLE:
            return None
        core = set(solver.sufficient_assumptions_for_infeasibility())
        return [k for k in active if built.assumptions[k].index in core] or active

    core = infeasible(keys)
    if core is None:
        return ()
    for key in list(core):
        if time.monotonic() >= deadline:
            break
        trial = [k for k in core if k != key]
        smaller = infeasible(trial) if trial else None
        if smaller is not None:
            core = smaller
    return tuple(RuleConflict(rule, agent) for rule, agent in sorted(core, key=str))


def _explain(
    assignments: Sequence[Assignment],
    agents: Sequence[Agent],
    shifts: Sequence[ShiftTemplate],
    demand: dict[tuple[int, int], int],
    horizon: _Horizon,
) -> tuple[Unfilled, ...]:
    """Why each planned head left open could not be given to any agent."""
    filled: Counter[tuple[int, int]] = Counter()
    per_agent: dict[str, list[tuple[int, ShiftTemplate]]] = defaultdict(list)
    index = {t.name: s for s, t in enumerate(shifts)}
    for item in assignments:
        i = horizon.index(item.day)
        filled[i, index[item.shift]] += 1
        per_agent[item.agent].append((i, shifts[index[item.shift]]))
    baseline = {
        a.id: {(v.rule, v.day) for v in _agent_violations(a, per_agent[a.id], horizon)}
        for a in agents
    }
    order = list(RULE_LABELS)
    found = []
    for (i, s), heads in sorted(demand.items()):
        missing = heads - filled[i, s]
        if missing <= 0:
            continue
        template = shifts[s]
        reasons: Counter[str] = Counter()
        for agent in agents:
            items = [*per_agent[agent.id], (i, template)]
            new = [
                v.rule
                for v in _agent_violations(agent, items, horizon)
                if (v.rule, v.day) not in baseline[agent.id]
            ]
            reasons[min(new, key=order.index) if new else "solver_time"] += 1
        if not agents:
            reasons["no_agents"] += 1
        found.append(Unfilled(horizon.date(i), template.name, missing, dict(reasons)))
    return tuple(found)


def _fairness(
    assignments: Sequence[Assignment],
    agents: Sequence[Agent],
    shifts: Sequence[ShiftTemplate],
    horizon: _Horizon,
) -> dict[str, tuple[int, int]]:
    """Per category, the fewest and most such shifts any agent works."""
    by_name = {t.name: t for t in shifts}
    counts: dict[str, Counter[str]] = {c: Counter() for c in ("night", "weekend", "holiday")}
    for item in assignments:
        i = horizon.index(item.day)
        if by_name[item.shift].is_night:
            counts["night"][item.agent] += 1
        if horizon.kind(i) is DayKind.REST_DAY:
            counts["weekend"][item.agent] += 1
        if horizon.kind(i) is DayKind.HOLIDAY:
            counts["holiday"][item.agent] += 1
    return {
        category: (min(c[a.id] for a in agents), max(c[a.id] for a in agents))
        for category, c in counts.items()
        if agents
    }

"""The shift plan: how many heads to put on each shift template each day.

Problem
-------
Given the heads required on duty per slot ``r[t]`` (days 1..D, fractional allowed, e.g. the
Erlang positions of several queues summed *before* rounding — the pyworkforce #41 lesson) and
shift templates, choose integers ``x[d, s]`` (heads on template ``s`` starting day ``d``) and,
for breaks with a window, how many of them start their break at each allowed offset
``y[d, s, b, p]`` (``Σ_p y[d, s, b, p] = x[d, s]``), so that the coverage

    c[t] = Σ x[d, s]·duty[t | d, s] − Σ y[d, s, b, p]·away[t | d, s, b, p]

meets the requirement with, lexicographically,

1. the least total shortfall ``Σ_t max(r[t] − c[t], 0)``, then
2. the least total excess ``Σ_t max(c[t] − r[t], 0)``,

subject to ``x[d, s] ≤ max_heads(s)``, heads present in any slot ≤ ``max_concurrent`` (heads
on a break still hold their seat) and heads starting per day ≤ ``max_heads_per_day``.
Shortfall and excess are the positive and negative parts of ``r − c``, as slack variables
``u, o ≥ 0`` with ``c + u − o = r``.

Solver
------
A mixed-integer programme solved by HiGHS through ``scipy.optimize.milp`` (see
``docs/adr/0004-workforce-solvers.md``): the lexicographic objective is two solves, the second
bounding the shortfall at the first's optimum. Without breaks the coverage matrix has
consecutive ones per column (an interval matrix, totally unimodular), so the LP relaxation is
already integral and HiGHS proves optimality at the root; staggered breaks keep it close.
Real coefficients (fractional requirements, partial slots) need no scaling, unlike CP-SAT.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from yuqi.domain.workforce.errors import WorkforceError
from yuqi.domain.workforce.shifts import (
    DAY_MINUTES,
    Requirement,
    ShiftTemplate,
    duty_fractions,
)

if TYPE_CHECKING:
    from scipy.optimize import LinearConstraint

__all__ = ["PlanLimits", "ShiftPlan", "evaluate_plan", "plan_shifts"]

#: Tolerance on the shortfall bound of the second solve (coverage shares are multiples of
#: 1/slot_minutes, so real ties are exact up to rounding noise).
_TIE = 1e-6


@dataclass(frozen=True, slots=True)
class PlanLimits:
    """Limits on the plan: heads present at once (seats) and heads starting per day."""

    max_concurrent: int | None = None
    max_heads_per_day: int | None = None


@dataclass(frozen=True, slots=True)
class ShiftPlan:
    """The chosen plan and how it covers the requirement.

    ``heads[name][d − 1]`` heads start template ``name`` on day ``d``; ``breaks`` lists the
    staggering as ``(name, day, break number, offset minutes, heads)``; ``coverage[d − 1][j]``
    is the heads on duty in slot ``j`` of day ``d``; ``status`` is ``optimal`` (both solves
    proved optimal), ``feasible`` (a time limit stopped a solve; the plan is the best found)
    or ``infeasible``.
    """

    heads: dict[str, tuple[int, ...]]
    breaks: tuple[tuple[str, int, int, int, int], ...]
    coverage: tuple[tuple[float, ...], ...]
    shortfall: float
    excess: float
    status: str
    seconds: float
    notes: tuple[str, ...] = ()

    @property
    def total_heads(self) -> int:
        return sum(sum(days) for days in self.heads.values())


@dataclass(slots=True)
class _Column:
    kind: str  # "x" heads on a shift, "y" heads taking a break at an offset
    template: int
    day: int
    break_number: int = 0
    offset: int = 0


def _break_spans(template: ShiftTemplate, start: int, offsets: Sequence[int]) -> list[Any]:
    return [
        (start + offset, start + offset + rule.minutes)
        for rule, offset in zip(template.breaks, offsets, strict=True)
    ]


def _build(
    requirement: Requirement, templates: Sequence[ShiftTemplate]
) -> tuple[list[_Column], dict[int, dict[int, float]], dict[int, dict[int, float]]]:
    """Columns and, per column, its share of duty (coverage) and of presence (seats)."""
    slot = requirement.slot_minutes
    horizon = requirement.days * requirement.slots_per_day
    columns: list[_Column] = []
    duty: dict[int, dict[int, float]] = {}
    presence: dict[int, dict[int, float]] = {}
    for s, template in enumerate(templates):
        fixed = [rule for rule in template.breaks if rule.earliest == rule.latest]
        for day in range(1, requirement.days + 1):
            if not template.runs_on(day):
                continue
            start = (day - 1) * DAY_MINUTES + template.start
            end = start + template.minutes
            fixed_spans = [(start + r.earliest, start + r.earliest + r.minutes) for r in fixed]
            index = len(columns)
            columns.append(_Column("x", s, day))
            duty[index] = _clip(duty_fractions(start, end, slot, breaks=fixed_spans), horizon)
            presence[index] = _clip(duty_fractions(start, end, slot), horizon)
            for number, rule in enumerate(template.breaks):
                if rule.earliest == rule.latest:
                    continue
                for offset in rule.offsets(slot):
                    away = duty_fractions(start + offset, start + offset + rule.minutes, slot)
                    columns.append(_Column("y", s, day, number, offset))
                    duty[len(columns) - 1] = {t: -v for t, v in _clip(away, horizon).items()}
    return columns, duty, presence


def _clip(shares: dict[int, float], horizon: int) -> dict[int, float]:
    return {t: v for t, v in shares.items() if 0 <= t < horizon}


def plan_shifts(
    requirement: Requirement,
    templates: Sequence[ShiftTemplate],
    *,
    limits: PlanLimits = PlanLimits(),
    time_limit: float = 60.0,
    shortfall_weight: float | None = None,
) -> ShiftPlan:
    """The plan with the least total shortfall, then the least total excess (module doc).

    With ``shortfall_weight`` w the objective is instead one weighted sum, ``w·shortfall +
    excess`` (one solve): w = 1 is pyworkforce's MinAbsDifference (least |required −
    covered|), a larger w leans towards covering. Lexicographic covers every slot that can
    be covered, whatever the excess; weighted trades a little shortfall for much less excess.
    """
    # SciPy's optimiser and sparse arrays are imported when a plan is made, not by every
    # process that starts Django (``yuqi.config.wsgi`` loads them in a preloaded server)
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array, csr_array

    began = time.monotonic()
    if shortfall_weight is not None and not (
        math.isfinite(shortfall_weight) and shortfall_weight > 0
    ):
        raise WorkforceError(
            "the shortfall weight must be a number > 0",
            "缺口权重须为大于 0 的数",
            field="shortfall_weight",
        )
    if not templates:
        raise WorkforceError("no shift templates given", "没有给出班次模板", field="shifts")
    names = [t.name for t in templates]
    if len(set(names)) != len(names):
        raise WorkforceError("two shift templates share a name", "有两个班次模板同名")
    columns, duty, presence = _build(requirement, templates)
    horizon = requirement.days * requirement.slots_per_day
    n_cols = len(columns)
    required = np.asarray(requirement.flat(), dtype=float)
    # Variables: columns, then u[t] (shortfall), then o[t] (excess).
    n_vars = n_cols + 2 * horizon
    rows, cols, vals = [], [], []
    for j, shares in duty.items():
        for t, v in shares.items():
            rows.append(t)
            cols.append(j)
            vals.append(v)
    slack = np.arange(horizon)
    rows += [*slack, *slack]
    cols += [*(n_cols + slack), *(n_cols + horizon + slack)]
    vals += [1.0] * horizon + [-1.0] * horizon
    cover = csr_array(coo_array((vals, (rows, cols)), shape=(horizon, n_vars)))
    constraints = [LinearConstraint(cover, required, required)]
    constraints += _link_breaks(columns, n_vars)
    constraints += _limits(columns, presence, limits, requirement, n_vars)
    upper = np.full(n_vars, np.inf)
    for j, column in enumerate(columns):
        cap = templates[column.template].max_heads
        if cap is not None:
            upper[j] = cap
    integrality = np.zeros(n_vars)
    integrality[:n_cols] = 1
    bounds = Bounds(np.zeros(n_vars), upper)
    shortfall_cost = np.zeros(n_vars)
    shortfall_cost[n_cols : n_cols + horizon] = 1.0
    if shortfall_weight is not None:
        weighted = shortfall_cost * shortfall_weight
        weighted[n_cols + horizon :] = 1.0
        only = milp(
            weighted,
            constraints=constraints,
            integrality=integrality,
            bounds=bounds,
            options={"time_limit": max(1.0, time_limit), "mip_rel_gap": 1e-4},
        )
        if only.x is None:
            return _empty(templates, requirement, began, only.message)
        counts = np.rint(only.x[:n_cols]).astype(int)
        status = "optimal" if only.status == 0 else "feasible"
        return _result(requirement, templates, columns, counts, status, began)
    first = milp(
        shortfall_cost,
        constraints=constraints,
        integrality=integrality,
        bounds=bounds,
        options={"time_limit": max(1.0, time_limit * 0.6), "mip_rel_gap": 1e-4},
    )
    if first.x is None:
        return _empty(templates, requirement, began, first.message)
    best_shortfall = float(first.fun)
    excess_cost = np.zeros(n_vars)
    excess_cost[n_cols + horizon :] = 1.0
    bound = LinearConstraint(shortfall_cost, -np.inf, best_shortfall * (1 + _TIE) + _TIE)
    remaining = max(1.0, time_limit - (time.monotonic() - began))
    second = milp(
        excess_cost,
        constraints=[*constraints, bound],
        integrality=integrality,
        bounds=bounds,
        options={"time_limit": remaining, "mip_rel_gap": 1e-4},
    )
    chosen = second if second.x is not None else first
    optimal = first.status == 0 and second.status == 0
    counts = np.rint(chosen.x[:n_cols]).astype(int)
    return _result(
        requirement, templates, columns, counts, "optimal" if optimal else "feasible", began
    )


def _link_breaks(columns: list[_Column], n_vars: int) -> list[LinearConstraint]:
    """Each windowed break of a shift-day is taken by exactly the heads on it."""
    from scipy.optimize import LinearConstraint
    from scipy.sparse import coo_array, csr_array

    rows, cols, vals = [], [], []
    owner: dict[tuple[int, int], int] = {}
    groups: dict[tuple[int, int, int], int] = {}
    for j, column in enumerate(columns):
        if column.kind == "x":
            owner[column.template, column.day] = j
            continue
        key = (column.template, column.day, column.break_number)
        if key not in groups:
            groups[key] = len(groups)
            rows.append(groups[key])
            cols.append(owner[column.template, column.day])
            vals.append(-1.0)
        rows.append(groups[key])
        cols.append(j)
        vals.append(1.0)
    if not groups:
        return []
    matrix = csr_array(coo_array((vals, (rows, cols)), shape=(len(groups), n_vars)))
    return [LinearConstraint(matrix, 0.0, 0.0)]


def _limits(
    columns: list[_Column],
    presence: dict[int, dict[int, float]],
    limits: PlanLimits,
    requirement: Requirement,
    n_vars: int,
) -> list[LinearConstraint]:
    from scipy.optimize import LinearConstraint
    from scipy.sparse import coo_array, csr_array

    found: list[LinearConstraint] = []
    if limits.max_concurrent is not None:
        rows, cols, vals = [], [], []
        for j, shares in presence.items():
            for t, v in shares.items():
                rows.append(t)
                cols.append(j)
                vals.append(v)
        horizon = requirement.days * requirement.slots_per_day
        matrix = csr_array(coo_array((vals, (rows, cols)), shape=(horizon, n_vars)))
        found.append(LinearConstraint(matrix, -np.inf, float(limits.max_concurrent)))
    if limits.max_heads_per_day is not None:
        rows = [c.day - 1 for c in columns if c.kind == "x"]
        cols = [j for j, c in enumerate(columns) if c.kind == "x"]
        matrix = csr_array(
            coo_array(([1.0] * len(rows), (rows, cols)), shape=(requirement.days, n_vars))
        )
        found.append(LinearConstraint(matrix, -np.inf, float(limits.max_heads_per_day)))
    return found


def _result(
    requirement: Requirement,
    templates: Sequence[ShiftTemplate],
    columns: list[_Column],
    counts: np.ndarray,
    status: str,
    began: float,
) -> ShiftPlan:
    heads = {t.name: [0] * requirement.days for t in templates}
    placements: dict[tuple[int, int], list[list[tuple[int, int]]]] = {}
    breaks: list[tuple[str, int, int, int, int]] = []
    for column, count in zip(columns, counts, strict=True):
        template = templates[column.template]
        if column.kind == "x":
            heads[template.name][column.day - 1] = int(count)
        elif count > 0:
            breaks.append(
                (template.name, column.day, column.break_number + 1, column.offset, int(count))
            )
            spots = placements.setdefault((column.template, column.day), [])
            while len(spots) <= column.break_number:
                spots.append([])
            spots[column.break_number].append((column.offset, int(count)))
    coverage = _coverage(requirement, templates, heads, placements)
    shortfall, excess = _gaps(requirement, coverage)
    return ShiftPlan(
        heads={name: tuple(days) for name, days in heads.items()},
        breaks=tuple(breaks),
        coverage=coverage,
        shortfall=shortfall,
        excess=excess,
        status=status,
        seconds=time.monotonic() - began,
        notes=requirement.notes,
    )


def _coverage(
    requirement: Requirement,
    templates: Sequence[ShiftTemplate],
    heads: Mapping[str, Sequence[int]],
    placements: Mapping[tuple[int, int], list[list[tuple[int, int]]]],
) -> tuple[tuple[float, ...], ...]:
    """Coverage from the heads and, for windowed breaks, the heads per break offset
    (a break without placements is taken at its earliest offset)."""
    slot = requirement.slot_minutes
    horizon = requirement.days * requirement.slots_per_day
    flat = np.zeros(horizon)
    for s, template in enumerate(templates):
        for day, count in enumerate(heads.get(template.name, ()), start=1):
            if not count:
                continue
            start = (day - 1) * DAY_MINUTES + template.start
            spread = placements.get((s, day), [])
            for t, v in duty_fractions(start, start + template.minutes, slot).items():
                if t < horizon:
                    flat[t] += count * v
            for number, rule in enumerate(template.breaks):
                taken = spread[number] if number < len(spread) and spread[number] else []
                for offset, people in taken or [(rule.earliest, count)]:
                    span = (start + offset, start + offset + rule.minutes)
                    for t, v in duty_fractions(*span, slot).items():
                        if t < horizon:
                            flat[t] -= people * v
    per_day = requirement.slots_per_day
    return tuple(
        tuple(round(float(v), 6) for v in flat[d * per_day : (d + 1) * per_day])
        for d in range(requirement.days)
    )


def _gaps(requirement: Requirement, coverage: tuple[tuple[float, ...], ...]) -> tuple[float, float]:
    gap = np.asarray(requirement.flat()) - np.asarray([v for day in coverage for v in day])
    shortfall = float(np.clip(gap, 0, None).sum())
    excess = float(np.clip(-gap, 0, None).sum())
    return round(shortfall, 6), round(excess, 6)


def evaluate_plan(
    requirement: Requirement,
    templates: Sequence[ShiftTemplate],
    heads: Mapping[str, Sequence[int]],
) -> tuple[tuple[tuple[float, ...], ...], float, float]:
    """Coverage, shortfall and excess of a given plan (every break at its earliest offset):
    the yardstick for plans made elsewhere, e.g. the benchmark's pyworkforce baseline."""
    coverage = _coverage(requirement, templates, heads, {})
    return (coverage, *_gaps(requirement, coverage))


def _empty(
    templates: Sequence[ShiftTemplate], requirement: Requirement, began: float, message: str
) -> ShiftPlan:
    heads = {t.name: (0,) * requirement.days for t in templates}
    coverage = _coverage(requirement, templates, heads, {})
    shortfall, excess = _gaps(requirement, coverage)
    return ShiftPlan(
        heads=heads,
        breaks=(),
        coverage=coverage,
        shortfall=shortfall,
        excess=excess,
        status="infeasible",
        seconds=time.monotonic() - began,
        notes=(*requirement.notes, f"solver: {message}"),
    )

"""Grading expectations A/B/C as the founding document states it, and scoring them by grade.

[seed-000]: evaluate the collected expectations periodically and sort them into those that
(A) can be met without investing much resource (不需要投入大量资源就可以达成), (B) can be met in
the medium or long term (中长期是可以达成的), and (C) cannot be met and call for guiding the
customer (无法实现而需要正确引导); "set different points for the different levels"
(根据客户期望的不同级别，设定不同的分值); publish the 客户期望评测结果表.

Grading
-------
The criteria are **data** (:class:`RuleSet`), so a centre can edit them and the evaluation
table can show which rule fired. An expectation is described by :class:`GradingInput`:
feasibility under policy and regulation (``None`` = not assessed yet), resource/cost needed (a
level, or an amount turned into a level by the rule set's cost thresholds), months to deliver,
Kano class and the current gap. Rules are tried in order; the first whose conditions all hold
gives the grade. A condition on an unknown input (``None``) does not hold. Conditions available
to a rule: ``feasible``, ``resource_in``, ``max_months``, ``over_months`` (more than this many
months), ``kano_in`` and ``min_gap``.

The default rule set (:data:`DEFAULT_RULES`) reads the document literally:

1. ``infeasible`` — cannot be met under policy or regulation → **C** (guide the customer);
2. ``low_resource_long_term`` — feasible, low resource, but more than 6 months → **B**
   (reachable in the medium or long term);
3. ``low_resource`` — feasible with low resource → **A** (reachable without much resource;
   the document sets no time limit on A, so an unknown time does not stop it);
4. ``needs_resources`` — feasible with medium or high resource → **B**, however long it takes.

Nothing else gives a grade: **time alone never makes a feasible expectation C**, and when the
inputs the rules need are missing (feasibility not assessed, or feasible with neither a
resource level nor a cost) the suggestion is *needs assessment* (``grade`` None, ``missing``
names the inputs), never C. :class:`Adjustment` s (none by default) move a grade by steps;
they never grade an unassessed expectation and never move a feasible one to C, which is for
what cannot be met. The Kano class does not change whether an expectation can be met, so the
default rules do not use it (it informs importance).

The result is a *suggestion* (:class:`GradeSuggestion`, with the rules that fired); a grade
changes only by a recorded decision, which is the Django side's business.

Scoring
-------
Three inputs, each normalised to [0, 1] (values outside the scale are clipped):

* ``importance_norm = (importance − scale_min) / (scale_max − scale_min)`` (default scale
  1–5, e.g. a survey importance rating);
* ``gap_norm = max(gap, 0) / gap_cap`` — the current shortfall (expectation − perception, or
  the gap to the best peer) over the largest gap worth distinguishing, in the same unit
  (default 4: the full width of a 1–5 scale); exceeding the expectation scores 0;
* ``reach_norm = affected / population`` — the share of customers the expectation concerns.

They make a priority in [0, 1]: **additive** (default) ``(w_i·importance_norm + w_g·gap_norm
+ w_r·reach_norm) / (w_i + w_g + w_r)`` (dividing by the weight sum keeps it in [0, 1] whatever
weights a centre enters), or **multiplicative** ``importance_norm × gap_norm × reach_norm``
(weights unused: it counts only if important, unmet *and* widespread). The score is the
grade's points times that priority::

    score = points[grade] × priority          (default points A 100, B 60, C 30)

so each grade has its own points, as the document asks, and an ungraded expectation (needs
assessment) has no score.

Worked example (also in ``tests/domain/test_grading.py``): importance 4 on 1–5, gap 1.5
with cap 3, 2,000 of 10,000 customers affected, weights 0.5 / 0.3 / 0.2::

    importance_norm = (4 − 1) / (5 − 1) = 0.75
    gap_norm        = 1.5 / 3           = 0.5
    reach_norm      = 2000 / 10000      = 0.2
    additive        = (0.5·0.75 + 0.3·0.5 + 0.2·0.2) / 1.0 = 0.565
    multiplicative  = 0.75 × 0.5 × 0.2                     = 0.075
    score           = A: 100 × 0.565 = 56.5;  B: 60 × 0.565 = 33.9;  C: 30 × 0.565 = 16.95
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

GRADES: tuple[str, ...] = ("A", "B", "C")
KANO_CLASSES: tuple[str, ...] = ("M", "O", "A", "I", "R", "Q")


class Resource(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class GradingInput:
    """What is known about delivering one expectation; ``None`` = not known."""

    feasible: bool | None = None
    resource: Resource | None = None
    cost: float | None = None
    months: float | None = None
    kano: str | None = None
    gap: float | None = None

    def __post_init__(self) -> None:
        if self.resource is not None:
            object.__setattr__(self, "resource", Resource(self.resource))
        if self.kano is not None and self.kano not in KANO_CLASSES:
            raise ValueError(f"unknown Kano class {self.kano!r}")


@dataclass(frozen=True, slots=True)
class Conditions:
    """All given conditions must hold; ``None`` = no condition on that input."""

    feasible: bool | None = None
    resource_in: tuple[Resource, ...] | None = None
    max_months: float | None = None
    kano_in: tuple[str, ...] | None = None
    min_gap: float | None = None
    over_months: float | None = None

    def holds(self, item: GradingInput, resource: Resource | None) -> bool:
        if self.feasible is not None and item.feasible is not self.feasible:
            return False
        if self.resource_in is not None and resource not in self.resource_in:
            return False
        if self.max_months is not None and (item.months is None or item.months > self.max_months):
            return False
        if self.over_months is not None and (
            item.months is None or item.months <= self.over_months
        ):
            return False
        if self.min_gap is not None and (item.gap is None or item.gap < self.min_gap):
            return False
        return self.kano_in is None or item.kano in self.kano_in


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    grade: str
    description: str
    when: Conditions = field(default_factory=Conditions)

    def __post_init__(self) -> None:
        if self.grade not in GRADES:
            raise ValueError(f"grade must be one of {GRADES}, not {self.grade!r}")


@dataclass(frozen=True, slots=True)
class Adjustment:
    """Move the grade by ``steps`` (positive = lower priority, towards C) when ``when`` holds."""

    code: str
    steps: int
    description: str
    when: Conditions = field(default_factory=Conditions)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Ordered rules (first match wins), then adjustments; ``cost_low_max`` and
    ``cost_medium_max`` turn a cost amount into a resource level when no level is given."""

    rules: tuple[Rule, ...]
    adjustments: tuple[Adjustment, ...] = ()
    cost_low_max: float = 50_000.0
    cost_medium_max: float = 500_000.0
    fallback: str | None = None

    def resource_of(self, item: GradingInput) -> Resource | None:
        if item.resource is not None:
            return item.resource
        if item.cost is None:
            return None
        if item.cost <= self.cost_low_max:
            return Resource.LOW
        return Resource.MEDIUM if item.cost <= self.cost_medium_max else Resource.HIGH

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form, to store the centre's edited criteria."""

        def cond(c: Conditions) -> dict[str, Any]:
            out: dict[str, Any] = {}
            if c.feasible is not None:
                out["feasible"] = c.feasible
            if c.resource_in is not None:
                out["resource_in"] = [str(r) for r in c.resource_in]
            if c.max_months is not None:
                out["max_months"] = c.max_months
            if c.kano_in is not None:
                out["kano_in"] = list(c.kano_in)
            if c.min_gap is not None:
                out["min_gap"] = c.min_gap
            if c.over_months is not None:
                out["over_months"] = c.over_months
            return out

        return {
            "rules": [
                {
                    "code": r.code,
                    "grade": r.grade,
                    "description": r.description,
                    "when": cond(r.when),
                }
                for r in self.rules
            ],
            "adjustments": [
                {
                    "code": a.code,
                    "steps": a.steps,
                    "description": a.description,
                    "when": cond(a.when),
                }
                for a in self.adjustments
            ],
            "cost_low_max": self.cost_low_max,
            "cost_medium_max": self.cost_medium_max,
            "fallback": self.fallback,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        def cond(d: Mapping[str, Any]) -> Conditions:
            return Conditions(
                feasible=d.get("feasible"),
                resource_in=(
                    tuple(Resource(r) for r in d["resource_in"]) if "resource_in" in d else None
                ),
                max_months=d.get("max_months"),
                kano_in=tuple(d["kano_in"]) if "kano_in" in d else None,
                min_gap=d.get("min_gap"),
                over_months=d.get("over_months"),
            )

        return cls(
            rules=tuple(
                Rule(r["code"], r["grade"], r.get("description", ""), cond(r.get("when", {})))
                for r in data["rules"]
            ),
            adjustments=tuple(
                Adjustment(
                    a["code"], int(a["steps"]), a.get("description", ""), cond(a.get("when", {}))
                )
                for a in data.get("adjustments", ())
            ),
            cost_low_max=float(data.get("cost_low_max", 50_000.0)),
            cost_medium_max=float(data.get("cost_medium_max", 500_000.0)),
            fallback=data.get("fallback"),
        )


LONG_TERM_MONTHS = 6.0
"""Beyond this many months a low-resource expectation is reachable only in the medium or long
term (B); within it, or when the time is not known, it is A."""

DEFAULT_RULES = RuleSet(
    rules=(
        Rule(
            "infeasible",
            "C",
            "Cannot be met under policy or regulation: guide the customer.",
            Conditions(feasible=False),
        ),
        Rule(
            "low_resource_long_term",
            "B",
            "Low resource, but only in the medium or long term (more than 6 months).",
            Conditions(feasible=True, resource_in=(Resource.LOW,), over_months=LONG_TERM_MONTHS),
        ),
        Rule(
            "low_resource",
            "A",
            "Reachable without much resource.",
            Conditions(feasible=True, resource_in=(Resource.LOW,)),
        ),
        Rule(
            "needs_resources",
            "B",
            "Reachable with medium or high resource, in the medium or long term.",
            Conditions(feasible=True, resource_in=(Resource.MEDIUM, Resource.HIGH)),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Firing:
    code: str
    description: str


NEEDS_ASSESSMENT = Firing(
    "needs_assessment",
    "Needs assessment: the inputs the grade depends on are missing.",
)


@dataclass(frozen=True, slots=True)
class GradeSuggestion:
    """The suggested grade (None = needs assessment), the grade before adjustments, every
    rule that fired in order, and the inputs that are missing when no rule could grade."""

    grade: str | None
    base_grade: str | None
    resource: Resource | None
    fired: tuple[Firing, ...]
    missing: tuple[str, ...] = ()

    @property
    def needs_assessment(self) -> bool:
        return self.grade is None

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(f.description for f in self.fired)


def missing_inputs(item: GradingInput, rules: RuleSet = DEFAULT_RULES) -> tuple[str, ...]:
    """What must be assessed before the default criteria can grade: feasibility, then (for a
    feasible expectation) the resource needed, as a level or a cost."""
    if item.feasible is None:
        return ("feasible", "resource") if rules.resource_of(item) is None else ("feasible",)
    if item.feasible and rules.resource_of(item) is None:
        return ("resource",)
    return ()


def suggest_grade(item: GradingInput, rules: RuleSet = DEFAULT_RULES) -> GradeSuggestion:
    """Apply ``rules`` to ``item``; see the module docstring."""
    resource = rules.resource_of(item)
    base, fired = rules.fallback, []
    for rule in rules.rules:
        if rule.when.holds(item, resource):
            base = rule.grade
            fired.append(Firing(rule.code, rule.description))
            break
    if base is None:
        return GradeSuggestion(
            grade=None,
            base_grade=None,
            resource=resource,
            fired=(NEEDS_ASSESSMENT,),
            missing=missing_inputs(item, rules),
        )
    index = GRADES.index(base)
    floor = GRADES.index("B") if item.feasible else len(GRADES) - 1
    for adj in rules.adjustments:
        if adj.when.holds(item, resource):
            index = min(max(index + adj.steps, 0), max(floor, index))
            fired.append(Firing(adj.code, adj.description))
    return GradeSuggestion(
        grade=GRADES[index], base_grade=base, resource=resource, fired=tuple(fired)
    )


# --- score ---------------------------------------------------------------------------------


class ScoreMethod(StrEnum):
    ADDITIVE = "additive"
    MULTIPLICATIVE = "multiplicative"


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    importance: float = 0.5
    gap: float = 0.3
    reach: float = 0.2

    def __post_init__(self) -> None:
        parts = (self.importance, self.gap, self.reach)
        if min(parts) < 0 or sum(parts) <= 0:
            raise ValueError("weights must be non-negative with a positive sum")


@dataclass(frozen=True, slots=True)
class ScoreScales:
    importance_min: float = 1.0
    importance_max: float = 5.0
    gap_cap: float = 4.0

    def __post_init__(self) -> None:
        if self.importance_max <= self.importance_min or self.gap_cap <= 0:
            raise ValueError("importance_max must exceed importance_min; gap_cap must be > 0")


@dataclass(frozen=True, slots=True)
class GradePoints:
    """Points per grade ([seed-000]: 根据客户期望的不同级别，设定不同的分值): each grade its own
    number of points, none negative."""

    a: float = 100.0
    b: float = 60.0
    c: float = 30.0

    def __post_init__(self) -> None:
        values = (self.a, self.b, self.c)
        if min(values) < 0 or len(set(values)) < len(values):
            raise ValueError("each grade needs its own number of points, none negative")

    def of(self, grade: str) -> float:
        if grade not in GRADES:
            raise ValueError(f"grade must be one of {GRADES}, not {grade!r}")
        return {"A": self.a, "B": self.b, "C": self.c}[grade]


@dataclass(frozen=True, slots=True)
class Score:
    """``value`` = ``points`` × ``priority``; both None when the expectation has no grade."""

    value: float | None
    method: ScoreMethod
    importance_norm: float
    gap_norm: float
    reach_norm: float
    priority: float
    points: float | None
    grade: str | None


def _clip(x: float) -> float:
    return min(max(x, 0.0), 1.0)


def score(
    *,
    grade: str | None,
    importance: float,
    gap: float,
    affected: float,
    population: float,
    weights: ScoreWeights = ScoreWeights(),
    scales: ScoreScales = ScoreScales(),
    method: ScoreMethod = ScoreMethod.ADDITIVE,
    points: GradePoints = GradePoints(),
) -> Score:
    """The expectation's score: its grade's points × a priority in [0, 1]; formula and worked
    example in the module docstring. ``grade`` None (needs assessment) gives no value."""
    method = ScoreMethod(method)
    if population <= 0:
        raise ValueError("population must be positive")
    i = _clip(
        (importance - scales.importance_min) / (scales.importance_max - scales.importance_min)
    )
    g = _clip(gap / scales.gap_cap)
    r = _clip(affected / population)
    if method is ScoreMethod.MULTIPLICATIVE:
        priority = i * g * r
    else:
        total = weights.importance + weights.gap + weights.reach
        priority = (weights.importance * i + weights.gap * g + weights.reach * r) / total
    grade_points = points.of(grade) if grade else None
    return Score(
        value=None if grade_points is None else grade_points * priority,
        method=method,
        importance_norm=i,
        gap_norm=g,
        reach_norm=r,
        priority=priority,
        points=grade_points,
        grade=grade or None,
    )

"""Grading expectations A/B/C from explicit, editable criteria, and scoring them.

[seed-000]: evaluate the collected expectations periodically and sort them into those that
(A) can be met without much resource, (B) can be met in the medium or long term, and (C)
cannot be met and call for guiding the customer (正确引导); give each a score by its grade
and importance; publish the 客户期望评测结果表.

Grading
-------
The criteria are **data** (:class:`RuleSet`), so a centre can edit them and the evaluation
table can show which rule fired. An expectation is described by :class:`GradingInput`:
resource/cost needed (a level, or an amount turned into a level by the rule set's cost
thresholds), months to deliver, feasibility under policy and regulation, Kano class and the
current gap. Rules are tried in order; the first whose conditions all hold gives the grade.
Then every matching :class:`Adjustment` moves the grade down (or up) by its steps, capped at
A and C. A condition on an unknown input (``None``) does not hold. Conditions available to a
rule: ``feasible``, ``resource_in``, ``max_months``, ``kano_in`` and ``min_gap`` (the current
gap at least this large; the default rules do not use it, a centre may).

The default rule set (:data:`DEFAULT_RULES`):

1. ``infeasible`` — not feasible under policy/regulation → **C**;
2. ``quick_win`` — resource low and delivered within 3 months → **A**;
3. ``medium_term`` — feasible and delivered within 18 months → **B**;
4. ``needs_resources`` — feasible and needs medium or high resource → **B**;
5. ``otherwise`` — → **C**;

and one adjustment: ``kano_low_priority`` — Kano class R (reverse) or I (indifferent) → one
grade lower (customers do not miss it, or dislike it).

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

**Additive** (default): ``score = 100 × (w_i·importance_norm + w_g·gap_norm + w_r·reach_norm)
/ (w_i + w_g + w_r)``; dividing by the weight sum keeps the score in [0, 100] whatever
weights a centre enters. **Multiplicative**: ``score = 100 × importance_norm × gap_norm ×
reach_norm`` (weights unused): an expectation scores only if it is important, unmet *and*
widespread.

Worked example (also in ``tests/domain/test_grading.py``): importance 4 on 1–5, gap 1.5
with cap 3, 2,000 of 10,000 customers affected, weights 0.5 / 0.3 / 0.2::

    importance_norm = (4 − 1) / (5 − 1) = 0.75
    gap_norm        = 1.5 / 3           = 0.5
    reach_norm      = 2000 / 10000      = 0.2
    additive        = 100 × (0.5·0.75 + 0.3·0.5 + 0.2·0.2) / 1.0 = 100 × 0.565 = 56.5
    multiplicative  = 100 × 0.75 × 0.5 × 0.2                       = 7.5
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

    feasible: bool
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

    def holds(self, item: GradingInput, resource: Resource | None) -> bool:
        if self.feasible is not None and item.feasible is not self.feasible:
            return False
        if self.resource_in is not None and resource not in self.resource_in:
            return False
        if self.max_months is not None and (item.months is None or item.months > self.max_months):
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
    fallback: str = "C"

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
            fallback=data.get("fallback", "C"),
        )


DEFAULT_RULES = RuleSet(
    rules=(
        Rule(
            "infeasible",
            "C",
            "Not feasible under policy or regulation: guide the customer.",
            Conditions(feasible=False),
        ),
        Rule(
            "quick_win",
            "A",
            "Low resource and delivered within 3 months.",
            Conditions(resource_in=(Resource.LOW,), max_months=3),
        ),
        Rule(
            "medium_term",
            "B",
            "Feasible and delivered within 18 months.",
            Conditions(feasible=True, max_months=18),
        ),
        Rule(
            "needs_resources",
            "B",
            "Feasible with medium or high resource.",
            Conditions(feasible=True, resource_in=(Resource.MEDIUM, Resource.HIGH)),
        ),
        Rule("otherwise", "C", "No rule above applies: not reachable, guide the customer."),
    ),
    adjustments=(
        Adjustment(
            "kano_low_priority",
            1,
            "Kano reverse or indifferent: one grade lower.",
            Conditions(kano_in=("R", "I")),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Firing:
    code: str
    description: str


@dataclass(frozen=True, slots=True)
class GradeSuggestion:
    """The suggested grade, the grade before adjustments, and every rule that fired, in order."""

    grade: str
    base_grade: str
    resource: Resource | None
    fired: tuple[Firing, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(f.description for f in self.fired)


def suggest_grade(item: GradingInput, rules: RuleSet = DEFAULT_RULES) -> GradeSuggestion:
    """Apply ``rules`` to ``item``; see the module docstring."""
    resource = rules.resource_of(item)
    base, fired = rules.fallback, []
    for rule in rules.rules:
        if rule.when.holds(item, resource):
            base = rule.grade
            fired.append(Firing(rule.code, rule.description))
            break
    index = GRADES.index(base)
    for adj in rules.adjustments:
        if adj.when.holds(item, resource):
            index = min(max(index + adj.steps, 0), len(GRADES) - 1)
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
class Score:
    value: float
    method: ScoreMethod
    importance_norm: float
    gap_norm: float
    reach_norm: float


def _clip(x: float) -> float:
    return min(max(x, 0.0), 1.0)


def score(
    *,
    importance: float,
    gap: float,
    affected: float,
    population: float,
    weights: ScoreWeights = ScoreWeights(),
    scales: ScoreScales = ScoreScales(),
    method: ScoreMethod = ScoreMethod.ADDITIVE,
) -> Score:
    """The expectation's score in [0, 100]; formula and worked example in the module docstring."""
    method = ScoreMethod(method)
    if population <= 0:
        raise ValueError("population must be positive")
    i = _clip(
        (importance - scales.importance_min) / (scales.importance_max - scales.importance_min)
    )
    g = _clip(gap / scales.gap_cap)
    r = _clip(affected / population)
    if method is ScoreMethod.MULTIPLICATIVE:
        value = 100.0 * i * g * r
    else:
        total = weights.importance + weights.gap + weights.reach
        value = 100.0 * (weights.importance * i + weights.gap * g + weights.reach * r) / total
    return Score(value=value, method=method, importance_norm=i, gap_norm=g, reach_norm=r)

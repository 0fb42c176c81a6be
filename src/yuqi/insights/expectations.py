"""Every write of the expectation register: evidence, confirm/merge/split/update, grade
decisions and guidance ([seed-000]: 客户期望基础信息 → 分级分类 → 评测结果表).

A grade changes only through :func:`grade_decide`, which writes an append-only
:class:`GradeDecision` with the rule-based suggestion of :mod:`yuqi.domain.grading` beside
the human decision; :func:`expectation_update` refuses to touch the grade.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain.grading import GradeSuggestion, GradingInput, suggest_grade
from yuqi.insights.models import (
    LIVE_STATUSES,
    Evidence,
    Expectation,
    ExpectationHistory,
    ExpectationStatus,
    Grade,
    GradeDecision,
    GuidancePlan,
    ResourceLevel,
)

#: fields ``expectation_update`` may change (never ``grade``, ``score`` or ``status``)
EDITABLE = (
    "statement",
    "statement_en",
    "category",
    "servqual_dimension",
    "servqual_item",
    "indicator",
    "kano_feature",
    "kano",
    "tiers",
    "affected_customers",
    "importance",
    "current_value",
    "current_unit",
    "current_source",
    "target",
    "lower_is_better",
    "gap",
    "owner",
    "resource",
    "cost",
    "months",
    "feasible",
    "grading_notes",
    "action",
    "due_date",
)
EXAMPLES = 5
BENCHMARK_SOURCE = "operations KPI (benchmarks)"
PROMISE_SOURCE = "promises kept on time"
PROMISE_CATEGORIES = ("callback", "promise")


def _log(expectation: Expectation, event: str, by: Any = None, **detail: Any) -> None:
    ExpectationHistory.objects.create(
        expectation=expectation, event=event, detail=detail, by=by, at=now()
    )


def _locked(expectation: Expectation | int) -> Expectation:
    pk = expectation if isinstance(expectation, int) else expectation.pk
    return Expectation.objects.select_for_update().get(pk=pk)


# --- create / update ------------------------------------------------------------------------


@transaction.atomic
def expectation_create(*, code: str, statement: str, by: Any = None, **fields: Any) -> Expectation:
    if Expectation.objects.filter(code=code).exists():
        raise DomainError(_("An expectation with this code exists."), field="code")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    if fields.get("gap") is None:
        fields["gap"] = shortfall(
            fields.get("current_value"),
            fields.get("target"),
            lower_is_better=fields.get("lower_is_better", False),
        )
    moment = now()
    row = Expectation.objects.create(
        code=code, statement=statement, created_at=moment, updated_at=moment, **fields
    )
    _log(row, "created", by, statement=statement)
    return row


@transaction.atomic
def expectation_update(*, expectation: Expectation, by: Any = None, **fields: Any) -> Expectation:
    """Change register fields; the gap is recomputed from current and target when both are
    known and no gap is given. The grade is not a field here: see :func:`grade_decide`."""
    if "grade" in fields or "score" in fields:
        raise DomainError(_("A grade changes only by a recorded decision."), field="grade")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    if "resource" in fields and fields["resource"] not in ("", *ResourceLevel.values):
        raise DomainError(_("Choose low, medium or high."), field="resource")
    row = _locked(expectation)
    changed = {}
    for name, value in fields.items():
        if getattr(row, name) != value:
            changed[name] = str(value)
            setattr(row, name, value)
    if "gap" not in fields and {"current_value", "target"} & set(fields):
        row.gap = shortfall(row.current_value, row.target, lower_is_better=row.lower_is_better)
    if changed:
        row.updated_at = now()
        row.save()
        _log(row, "updated", by, fields=changed)
    return row


def shortfall(
    current: float | None, target: float | None, *, lower_is_better: bool = False
) -> float | None:
    """Relative shortfall of ``current`` against ``target``: 0 when met, 0.5 = half the
    target short (or over, for a ceiling such as seconds of wait or hours to repair)."""
    if current is None or target is None or target == 0:
        return None
    behind = current - target if lower_is_better else target - current
    return round(max(behind, 0.0) / abs(target), 4)


@transaction.atomic
def expectation_confirm(*, expectation: Expectation, by: Any) -> Expectation:
    row = _locked(expectation)
    if row.status != ExpectationStatus.NEW:
        raise DomainError(_("Only a new expectation can be confirmed."), field="status")
    return _set_status(row, ExpectationStatus.CONFIRMED, by)


def _set_status(row: Expectation, status: str, by: Any, **detail: Any) -> Expectation:
    previous = row.status
    row.status = status
    row.updated_at = now()
    row.save(update_fields=["status", "updated_at"])
    _log(row, "status", by, previous=previous, status=status, **detail)
    return row


@transaction.atomic
def expectation_status_set(*, expectation: Expectation, status: str, by: Any) -> Expectation:
    """Move along the delivery path (planned, in progress, achieved, guided, retired)."""
    allowed = {"confirmed", "planned", "in_progress", "achieved", "guided", "retired"}
    if status not in allowed:
        raise DomainError(_("This status is set by merge or split."), field="status")
    row = _locked(expectation)
    if row.status in ("merged", "split", "retired"):
        raise DomainError(_("This expectation is closed."), field="status")
    return _set_status(row, status, by)


@transaction.atomic
def expectation_merge(*, into: Expectation, others: Sequence[Expectation], by: Any) -> Expectation:
    """Fold ``others`` into ``into``: their evidence moves over, they become ``merged``."""
    target = _locked(into)
    if target.status not in LIVE_STATUSES:
        raise DomainError(_("Merge into a live expectation."), field="into")
    codes = []
    for other in others:
        row = _locked(other)
        if row.pk == target.pk or row.status not in LIVE_STATUSES:
            raise DomainError(_("%(code)s cannot be merged.") % {"code": row.code})
        for evidence in row.evidence.all():
            clash = Evidence.objects.filter(
                expectation=target,
                source=evidence.source,
                key=evidence.key,
                period_start=evidence.period_start,
                period_end=evidence.period_end,
            ).exists()
            if clash:
                evidence.delete()
            else:
                evidence.expectation = target
                evidence.save(update_fields=["expectation"])
        target.affected_customers = max(target.affected_customers, row.affected_customers)
        row.merged_into = target
        row.save(update_fields=["merged_into"])
        _set_status(row, ExpectationStatus.MERGED, by, into=target.code)
        codes.append(row.code)
    target.updated_at = now()
    target.save()
    _log(target, "merged", by, merged=codes)
    return target


@transaction.atomic
def expectation_split(
    *, source: Expectation, statements: Sequence[str], by: Any
) -> list[Expectation]:
    """Replace ``source`` by one new expectation per statement (same category, inputs and
    a copy of its evidence); the source becomes ``split``."""
    row = _locked(source)
    if row.status not in LIVE_STATUSES:
        raise DomainError(_("Only a live expectation can be split."), field="source")
    statements = [s.strip() for s in statements if s.strip()]
    if len(statements) < 2:
        raise DomainError(_("Give at least two statements."), field="statements")
    moment = now()
    parts = []
    for index, statement in enumerate(statements, start=1):
        part = Expectation.objects.create(
            **{name: getattr(row, name) for name in EDITABLE if not name.startswith("statem")},
            code=_free_code(f"{row.code}-{index}"),
            statement=statement,
            split_from=row,
            status=ExpectationStatus.NEW,
            created_at=moment,
            updated_at=moment,
        )
        for evidence in row.evidence.all():
            evidence.pk = None
            evidence.expectation = part
            evidence.save()
        _log(part, "created", by, split_from=row.code, statement=statement)
        parts.append(part)
    _set_status(row, ExpectationStatus.SPLIT, by, into=[p.code for p in parts])
    return parts


def _free_code(base: str) -> str:
    code, n = base[:60], 1
    while Expectation.objects.filter(code=code).exists():
        n += 1
        code = f"{base[:55]}-{n}"
    return code


# --- grading ---------------------------------------------------------------------------------


def grading_input(row: Expectation) -> GradingInput:
    return GradingInput(
        feasible=row.feasible,
        resource=row.resource or None,
        cost=float(row.cost) if row.cost is not None else None,
        months=row.months,
        kano=row.kano or None,
        gap=row.gap,
    )


def suggestion(row: Expectation) -> GradeSuggestion:
    return suggest_grade(grading_input(row))


@transaction.atomic
def grade_decide(*, expectation: Expectation, grade: str, reason: str, by: Any) -> GradeDecision:
    """Record a grade decision (with the current rule suggestion) and set the grade."""
    if grade not in Grade.values:
        raise DomainError(_("The grade must be A, B or C."), field="grade")
    if not reason.strip():
        raise DomainError(_("Give the reason for the decision."), field="reason")
    row = _locked(expectation)
    if row.status not in LIVE_STATUSES:
        raise DomainError(_("This expectation is closed."), field="grade")
    suggested = suggestion(row)
    decision = GradeDecision.objects.create(
        expectation=row,
        grade=grade,
        previous_grade=row.grade,
        suggested_grade=suggested.grade or "",
        suggestion_reasons=[{"code": f.code, "text": f.description} for f in suggested.fired],
        reason=reason.strip(),
        by=by,
        at=now(),
    )
    Expectation.objects.filter(pk=row.pk).update(grade=grade, updated_at=now())
    _log(row, "graded", by, previous=row.grade, grade=grade, suggested=suggested.grade or "")
    return decision


@transaction.atomic
def guidance_set(
    *,
    expectation: Expectation,
    script: str,
    script_en: str = "",
    channel_notes: str = "",
    by: Any,
) -> GuidancePlan:
    """The expectation-setting script agents use for a C-grade expectation."""
    if not script.strip():
        raise DomainError(_("Write the script."), field="script")
    row = _locked(expectation)
    plan, created = GuidancePlan.objects.update_or_create(
        expectation=row,
        defaults={
            "script": script.strip(),
            "script_en": script_en.strip(),
            "channel_notes": channel_notes.strip(),
            "updated_by": by,
            "updated_at": now(),
        },
    )
    _log(row, "guidance", by, created=created)
    return plan


# --- evidence --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CollectResult:
    attached: int
    created: tuple[str, ...]
    sources: dict[str, int]


def _text_evidence(date_from: date, date_to: date) -> list[Any]:
    try:
        from yuqi.textmining import facade as text
    except ImportError:  # the text-mining context is optional
        return []
    return list(text.expectation_evidence(date_from=date_from, date_to=date_to))


def taxonomy_labels() -> dict[str, str]:
    try:
        from yuqi.textmining import facade as text
    except ImportError:
        return {}
    return dict(text.taxonomy_labels())


def _matches(category: str, code: str) -> bool:
    """Evidence of ``code`` attaches to an expectation of that category, of a parent or of a
    child (evidence on 资费/账单 concerns 多扣/乱收费 too)."""
    if not category:
        return False
    return code == category or code.startswith(category + ".") or category.startswith(code + ".")


def _attach(
    row: Expectation,
    source: str,
    key: str,
    summary: dict[str, Any],
    date_from: date,
    date_to: date,
) -> None:
    Evidence.objects.update_or_create(
        expectation=row,
        source=source,
        key=key,
        period_start=date_from,
        period_end=date_to,
        defaults={"summary": summary, "collected_at": now()},
    )
    _log(row, "evidence", None, source=source, key=key)


@transaction.atomic
def evidence_collect(*, date_from: date, date_to: date) -> CollectResult:
    """Attach the period's evidence of the three sources ([seed-000]) to the live register:
    complaints by taxonomy code (a category with evidence and no entry gets a new one),
    survey gaps by SERVQUAL item or dimension, Kano classes by feature, peer gaps by
    indicator, 他有我无 by offering."""
    live = list(Expectation.objects.select_for_update().filter(status__in=LIVE_STATUSES))
    counts = {"complaints": 0, "survey": 0, "benchmark": 0}
    created: list[str] = []
    labels = taxonomy_labels()
    for fact in _text_evidence(date_from, date_to):
        summary = _complaint_summary(fact)
        targets = [row for row in live if _matches(row.category, fact.code)]
        if not targets:
            row = expectation_create(
                code=_free_code("new-" + slugify(fact.code.replace(".", "-"))),
                statement=labels.get(fact.code, fact.label or fact.code),
                category=fact.code,
                affected_customers=fact.customers,
                tiers=dict(fact.tiers),
            )
            live.append(row)
            created.append(row.code)
            targets = [row]
        for row in targets:
            _attach(row, "complaints", fact.code, summary, date_from, date_to)
            if fact.customers > row.affected_customers:
                row.affected_customers = fact.customers
                row.tiers = dict(fact.tiers)
                row.save(update_fields=["affected_customers", "tiers"])
            counts["complaints"] += 1
    counts["survey"] += _collect_surveys(live, date_from, date_to)
    counts["benchmark"] += _collect_benchmarks(live, date_from, date_to)
    _collect_promises(live, date_from, date_to)
    counts["feedback"] = _collect_feedback(live, date_from, date_to)
    counts["perk_leakage"] = _collect_perk_leakage(live, date_from, date_to)
    return CollectResult(sum(counts.values()), tuple(created), counts)


def _collect_feedback(live: list[Expectation], date_from: date, date_to: date) -> int:
    """Suggestions and praise by topic (complaints' facade) on the expectations of
    that category; a topic without an expectation creates none."""
    from yuqi.complaints.facade import feedback_evidence

    attached = 0
    for fact in feedback_evidence(date_from=date_from, date_to=date_to):
        summary = {
            "suggestions": fact.suggestions,
            "praise": fact.praise,
            "customers": fact.customers,
            "examples": list(fact.examples),
        }
        for row in live:
            if _matches(row.category, fact.topic):
                _attach(row, "feedback", fact.topic, summary, date_from, date_to)
                attached += 1
    return attached


def _collect_perk_leakage(live: list[Expectation], date_from: date, date_to: date) -> int:
    """Complaints from lower tiers that ask for a higher tier's perk (text mining's facade),
    as complaints evidence keyed ``perk-leakage:<perk>`` on the expectation ``perk-<perk>``
    ("customers below the tier expect <perk>"), made when missing ([seed-000])."""
    try:
        from yuqi.textmining.facade import perk_leakage_evidence
    except ImportError:  # the text-mining context is optional
        return 0
    attached = 0
    by_code = {row.code: row for row in live}
    for fact in perk_leakage_evidence(date_from=date_from, date_to=date_to):
        code = f"perk-{slugify(fact.perk.replace('_', '-'))}"[:40]
        row = by_code.get(code)
        if row is None and not Expectation.objects.filter(code=code).exists():
            row = expectation_create(
                code=code,
                statement=_("Customers below the tier expect: %(perk)s") % {"perk": fact.name},
                affected_customers=fact.customers,
                tiers=dict(fact.tiers),
            )
            live.append(row)
            by_code[code] = row
        if row is None:
            continue  # the expectation was retired or merged away: no new evidence
        summary = _complaint_summary(fact) | {"perk_leakage": fact.perk, "wanted_outcomes": {}}
        _attach(row, "complaints", f"perk-leakage:{fact.perk}", summary, date_from, date_to)
        attached += 1
    return attached


def _complaint_summary(fact: Any) -> dict[str, Any]:
    return {
        "complaints": fact.complaints,
        "customers": fact.customers,
        "tiers": dict(fact.tiers),
        "examples": [
            {"id": e.complaint_id, "number": e.number, "text": e.text}
            for e in list(fact.examples)[:EXAMPLES]
        ],
        "wanted_outcomes": dict(getattr(fact, "wanted_outcomes", {})),
        "median_wanted_hours": getattr(fact, "median_wanted_hours", None),
    }


def _collect_surveys(
    live: Iterable[Expectation], date_from: date, date_to: date, facts: list[Any] | None = None
) -> int:
    """Survey gaps of the period (or the given ``facts``, e.g. one wave's) and Kano classes."""
    from yuqi.surveys import facade as surveys

    if facts is None:
        facts = surveys.servqual_gaps(date_from=date_from, date_to=date_to)
    items = {f.item_code: f for f in facts if f.item_code}
    dims = {f.dimension: f for f in facts if not f.item_code}
    norms = _survey_norms(facts)
    kano = surveys.kano_classes()
    attached = 0
    for row in live:
        if row.kano_feature and row.kano_feature in kano:
            category = kano[row.kano_feature][0] or ""
            if category and row.kano != category:
                row.kano = category
                row.save(update_fields=["kano"])
        fact = items.get(row.servqual_item) if row.servqual_item else None
        if fact is None and row.servqual_dimension:
            fact = dims.get(row.servqual_dimension)
        if fact is None:
            continue
        summary = {
            "survey": fact.survey,
            "dimension": fact.dimension,
            "item": fact.item_code,
            "item_text": fact.item_text,
            "expectation": round(fact.expectation, 3),
            "perception": round(fact.perception, 3),
            "gap": round(fact.gap, 3),
            "ci_low": None if fact.ci_low is None else round(fact.ci_low, 3),
            "ci_high": None if fact.ci_high is None else round(fact.ci_high, 3),
            "n": fact.n,
            "norm": norms.get(fact.survey),
        }
        _attach(row, "survey", fact.item_code or fact.dimension, summary, date_from, date_to)
        attached += 1
    return attached


def _survey_norms(facts: Iterable[Any]) -> dict[str, float | None]:
    """Each survey's norm expectation: the median E of its items (``expectation_levels``)."""
    from yuqi.domain.expectation_levels import norm

    by_survey: dict[str, list[float]] = {}
    for fact in facts:
        if fact.item_code:
            by_survey.setdefault(fact.survey, []).append(fact.expectation)
    return {survey: norm(values) for survey, values in by_survey.items()}


def _collect_benchmarks(live: Iterable[Expectation], date_from: date, date_to: date) -> int:
    from yuqi.insights import facade

    # peer values are per calendar month: take every month the range touches
    month_end = (date_to.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    facts = facade.benchmark_gaps(period_from=date_from.replace(day=1), period_to=month_end)
    gaps = {g.indicator: g for g in facts}
    offerings = {o.code: o for o in facade.offering_gaps() if o.side == "they_have"}
    attached = 0
    for row in live:
        gap = gaps.get(row.indicator) if row.indicator else None
        if gap is not None and gap.n_peers:
            summary = {
                "indicator": gap.indicator,
                "label": str(gap.label),
                "ours": gap.ours,
                "best": gap.best,
                "median": gap.median,
                "n_peers": gap.n_peers,
                "percentile": gap.percentile,
                "gap_to_best": gap.gap_to_best,
                "gap_to_median": gap.gap_to_median,
                "target": gap.target,
            }
            _attach(row, "benchmark", gap.indicator, summary, date_from, date_to)
            _take_current(row, gap.ours)
            attached += 1
        offering = offerings.get(row.offering.code) if row.offering_id else None
        if offering is not None:
            summary = {
                "offering": offering.code,
                "name": offering.name,
                "peer_count": offering.peer_count,
                "n_peers": offering.n_peers,
                "peers": list(offering.peers),
            }
            _attach(row, "benchmark", "offering:" + offering.code, summary, date_from, date_to)
            attached += 1
    return attached


def _take_current(row: Expectation, ours: float | None) -> None:
    """Our own value of the indicator is the current performance unless someone entered
    another source."""
    if ours is None or row.current_source not in ("", BENCHMARK_SOURCE):
        return
    row.current_value = round(ours, 4)
    row.current_source = BENCHMARK_SOURCE
    gap = shortfall(row.current_value, row.target, lower_is_better=row.lower_is_better)
    row.gap = row.gap if gap is None else gap
    row.save(update_fields=["current_value", "current_source", "gap"])


def _collect_promises(live: Iterable[Expectation], date_from: date, date_to: date) -> None:
    """Callback and promise expectations: the current performance is the share of promises
    due in the period that were kept on time (commitments context)."""
    rows = [
        r
        for r in live
        if r.category.split(".")[0] in PROMISE_CATEGORIES
        and r.current_source in ("", PROMISE_SOURCE)
    ]
    if not rows:
        return
    from yuqi.commitments.facade import commitment_measures

    measures = commitment_measures(date_from=date_from, date_to=date_to)
    rate = measures[0].kept_on_time_rate if measures else None
    if rate is None:
        return
    for row in rows:
        row.current_value = round(rate, 4)
        row.current_source = PROMISE_SOURCE
        gap = shortfall(row.current_value, row.target, lower_is_better=row.lower_is_better)
        row.gap = row.gap if gap is None else gap
        row.save(update_fields=["current_value", "current_source", "gap"])

"""The evaluation run: collect evidence, score the register and snapshot it as the
客户期望评测结果表 ([seed-000]). A run's rows are stored values, so the table and its exports
read the same later, whatever happened to the register since.

Score (``yuqi.domain.grading.score``, weights and grade points in :class:`ScoringSettings`):
importance on the settings' scale (default 0–100), gap = the expectation's relative shortfall
(0 = met; capped at ``gap_cap``, default 1 = a whole target short), reach = affected customers
over the customer population. Additive by default: points[grade] × (0.5·importance + 0.3·gap
+ 0.2·reach), points A 100 / B 60 / C 30; an ungraded expectation (needs assessment) has none.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import translation

from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain.grading import GradePoints, ScoreScales, ScoreWeights, score
from yuqi.insights.expectations import evidence_collect, taxonomy_labels
from yuqi.insights.models import (
    LIVE_STATUSES,
    EvaluationRow,
    EvaluationRun,
    Expectation,
    RunStatus,
    ScoringSettings,
)

log = logging.getLogger(__name__)
GRADE_ORDER = {"A": 0, "B": 1, "C": 2, "": 3}
SCORE_MOVE = 0.5  # a score change smaller than this is not reported


def scoring_settings() -> ScoringSettings:
    row, _created = ScoringSettings.objects.get_or_create(pk=1)
    return row


@transaction.atomic
def scoring_settings_update(**fields: Any) -> ScoringSettings:
    row = ScoringSettings.objects.select_for_update().get(pk=scoring_settings().pk)
    for name, value in fields.items():
        setattr(row, name, value)
    try:
        _weights(row), _scales(row), _points(row)
    except ValueError as exc:
        raise DomainError(str(exc)) from exc
    row.save()
    return row


def _weights(s: ScoringSettings) -> ScoreWeights:
    return ScoreWeights(s.weight_importance, s.weight_gap, s.weight_reach)


def _scales(s: ScoringSettings) -> ScoreScales:
    return ScoreScales(s.importance_min, s.importance_max, s.gap_cap)


def _points(s: ScoringSettings) -> GradePoints:
    return GradePoints(s.points_a, s.points_b, s.points_c)


def _population(s: ScoringSettings, rows: list[Expectation]) -> int:
    if s.population:
        return s.population
    from yuqi.customers.facade import customer_counts_by_tier

    counted = sum(customer_counts_by_tier().values())
    return max(counted, max((r.affected_customers for r in rows), default=0), 1)


def expectation_score(row: Expectation, s: ScoringSettings, population: int) -> float | None:
    """The grade's points × the priority; None while the expectation has no grade."""
    result = score(
        grade=row.grade or None,
        importance=row.importance,
        gap=row.gap or 0.0,
        affected=row.affected_customers,
        population=population,
        weights=_weights(s),
        scales=_scales(s),
        method=s.method,
        points=_points(s),
    )
    return None if result.value is None else round(result.value, 1)


# The evidence is counted over local days: dates near year 1 or 9999 overflow once the
# period is turned into aware datetimes (a run that fails in the background).
EARLIEST_PERIOD = date(2000, 1, 1)
LATEST_PERIOD = date(2099, 12, 31)
MAX_PERIOD_DAYS = 3 * 366


@transaction.atomic
def evaluation_start(*, period_start: date, period_end: date, by: Any) -> EvaluationRun:
    """A run in ``running`` state, computed by a worker once the transaction commits."""
    if period_end < period_start:
        raise DomainError(_t("The period ends before it starts."), field="period_end")
    for name, day in (("period_start", period_start), ("period_end", period_end)):
        if not EARLIEST_PERIOD <= day <= LATEST_PERIOD:
            raise DomainError(
                _t("Choose a date from %(first)s to %(last)s.")
                % {"first": EARLIEST_PERIOD.isoformat(), "last": LATEST_PERIOD.isoformat()},
                field=name,
            )
    if (period_end - period_start).days > MAX_PERIOD_DAYS:
        raise DomainError(
            _t("A period is at most %(days)s days long.") % {"days": MAX_PERIOD_DAYS},
            field="period_end",
        )
    run = EvaluationRun.objects.create(
        period_start=period_start, period_end=period_end, started_at=now(), by=by
    )
    transaction.on_commit(lambda: run_evaluation.enqueue(run.pk))
    return run


def _t(text: str) -> str:
    from django.utils.translation import gettext

    return gettext(text)


def evaluation_run(
    *,
    period_start: date,
    period_end: date,
    by: Any = None,
    collect: bool = True,
    run: EvaluationRun | None = None,
) -> EvaluationRun:
    """Collect the period's evidence (unless ``collect`` is false), score every live
    expectation, snapshot the table and the changes since the previous finished run."""
    if run is None:
        run = EvaluationRun.objects.create(
            period_start=period_start, period_end=period_end, started_at=now(), by=by
        )
    try:
        with transaction.atomic():
            if collect:
                evidence_collect(date_from=period_start, date_to=period_end)
            _progress(run, 0.4)
            _snapshot(run)
    except Exception as exc:  # recorded on the run; the page shows it
        log.exception("evaluation run %s failed", run.pk)
        EvaluationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=now(), notes=str(exc)[:2000]
        )
        raise
    run.refresh_from_db()
    return run


def _progress(run: EvaluationRun, fraction: float) -> None:
    EvaluationRun.objects.filter(pk=run.pk).update(progress=fraction)


def _snapshot(run: EvaluationRun) -> None:
    s = scoring_settings()
    rows = list(
        Expectation.objects.filter(status__in=LIVE_STATUSES)
        .select_related("owner")
        .prefetch_related("evidence")
    )
    population = _population(s, rows)
    for row in rows:
        row.score = expectation_score(row, s, population)
        Expectation.objects.filter(pk=row.pk).update(score=row.score)
    rows.sort(key=lambda r: (GRADE_ORDER.get(r.grade, 3), -(r.score or 0), r.code))
    with translation.override("zh-hans"):
        labels = taxonomy_labels()
    with translation.override("en"):
        labels_en = taxonomy_labels()
    EvaluationRow.objects.bulk_create(
        EvaluationRow(
            run=run,
            position=i,
            expectation_id_at_run=row.pk,
            code=row.code,
            statement=row.statement,
            statement_en=row.statement_en,
            category=row.category,
            category_label=labels.get(row.category, row.category),
            category_label_en=labels_en.get(row.category, row.category),
            sources=_sources(row, run),
            importance=row.importance,
            current=_value(row.current_value, row.current_unit),
            target=_value(row.target, row.current_unit),
            gap=row.gap,
            grade=row.grade,
            score=row.score,
            owner=str(row.owner) if row.owner else "",
            action=row.action,
            due_date=row.due_date,
            status=row.status,
        )
        for i, row in enumerate(rows, start=1)
    )
    totals = dict.fromkeys(("A", "B", "C", ""), 0)
    for row in rows:
        totals[row.grade] += 1
    totals["all"] = len(rows)
    run.totals = {("none" if k == "" else k): v for k, v in totals.items()}
    run.settings_used = {
        "method": s.method,
        "weights": [s.weight_importance, s.weight_gap, s.weight_reach],
        "importance_scale": [s.importance_min, s.importance_max],
        "gap_cap": s.gap_cap,
        "population": population,
        "points": {"A": s.points_a, "B": s.points_b, "C": s.points_c},
    }
    run.changes = _changes(run)
    run.status = RunStatus.FINISHED
    run.progress = 1.0
    run.finished_at = now()
    run.save()


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value:g} {unit}".strip()


def _sources(row: Expectation, run: EvaluationRun) -> list[dict[str, Any]]:
    """The latest evidence per (source, key) up to the run's period end."""
    latest: dict[tuple[str, str], Any] = {}
    for ev in sorted(row.evidence.all(), key=lambda e: (e.period_end, e.collected_at)):
        if ev.period_end <= run.period_end:
            latest[(ev.source, ev.key)] = ev
    return [
        {
            "evidence_id": ev.pk,
            "source": ev.source,
            "key": ev.key,
            "period": [ev.period_start.isoformat(), ev.period_end.isoformat()],
            "summary": ev.summary,
        }
        for (_s, _k), ev in sorted(latest.items())
    ]


def previous_run(run: EvaluationRun) -> EvaluationRun | None:
    return (
        EvaluationRun.objects.filter(status=RunStatus.FINISHED, started_at__lt=run.started_at)
        .exclude(pk=run.pk)
        .order_by("-started_at", "-id")
        .first()
    )


def _changes(run: EvaluationRun) -> dict[str, Any]:
    before = previous_run(run)
    if before is None:
        return {}
    old = {r.code: r for r in before.rows.all()}
    new = {r.code: r for r in run.rows.all()}
    grade_moved, score_moved = [], []
    for code, row in new.items():
        was = old.get(code)
        if was is None:
            continue
        if was.grade != row.grade:
            grade_moved.append({"code": code, "from": was.grade, "to": row.grade})
        if was.score is not None and row.score is not None:
            delta = round(row.score - was.score, 1)
            if abs(delta) >= SCORE_MOVE:
                score_moved.append(
                    {"code": code, "from": was.score, "to": row.score, "delta": delta}
                )
    return {
        "previous_run": before.pk,
        "grade_moved": grade_moved,
        "score_moved": score_moved,
        "new": sorted(set(new) - set(old)),
        "retired": sorted(set(old) - set(new)),
    }


@task
def run_evaluation(run_id: int) -> str:
    """Compute a run started from the page (``evaluation_start``)."""
    run = EvaluationRun.objects.get(pk=run_id)
    if run.status != RunStatus.RUNNING:
        return f"run {run_id} is {run.status}"
    try:
        evaluation_run(period_start=run.period_start, period_end=run.period_end, run=run)
    except Exception as exc:  # already recorded on the run
        return f"run {run_id} failed: {exc}"
    return f"run {run_id} finished"


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


@task
def monthly_evaluation() -> str:
    """The periodic run: last calendar month, once (checked daily by the scheduler)."""
    start, end = last_month(now().date())
    if EvaluationRun.objects.filter(
        period_start=start, period_end=end, status=RunStatus.FINISHED
    ).exists():
        return f"{start:%Y-%m} already evaluated"
    run = evaluation_run(period_start=start, period_end=end)
    return f"run {run.pk} for {start:%Y-%m}"

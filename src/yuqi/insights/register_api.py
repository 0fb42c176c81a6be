"""REST endpoints of the expectation register and the evaluation runs (added to the insights
router: /api/v1/expectations, /api/v1/evaluations)."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from yuqi.core.api_access import api_requires, caller
from yuqi.core.api_types import Id, IsoDate, NoteText
from yuqi.core.downloads import XLSX_TYPE
from yuqi.insights import evaluation, exports
from yuqi.insights import expectations as svc
from yuqi.insights.models import EvaluationRun, Expectation, RunStatus

VIEW = "insights.view_insights"


class EvidenceOut(Schema):
    source: str
    key: str
    period_start: date
    period_end: date
    summary: dict[str, Any]


class DecisionOut(Schema):
    grade: str
    previous_grade: str
    suggested_grade: str
    suggestion_reasons: list[dict[str, Any]]
    reason: str
    by: str
    at: datetime


class ExpectationOut(Schema):
    """``gap`` is the relative shortfall against the target (0 = met); ``score`` from the last
    evaluation run: the grade's points × a 0–1 priority (none while ungraded); ``grade``
    A/B/C or empty (not decided yet)."""

    id: int
    code: str
    statement: str
    statement_en: str
    category: str
    servqual_dimension: str
    kano: str
    importance: int
    affected_customers: int
    current_value: float | None
    current_unit: str
    target: float | None
    gap: float | None
    grade: str
    score: float | None
    status: str
    owner: str
    action: str
    due_date: date | None


class ExpectationDetailOut(ExpectationOut):
    """``suggested_grade`` is empty when the rules need assessment first: ``missing_inputs``
    then names what to assess (``feasible``, ``resource``)."""

    suggested_grade: str
    needs_assessment: bool
    missing_inputs: list[str]
    suggestion_reasons: list[str]
    guidance: str
    evidence: list[EvidenceOut]
    decisions: list[DecisionOut]


class GradeIn(Schema):
    grade: Literal["A", "B", "C"]
    reason: NoteText


CENTURY = r"^20\d{2}-\d{2}-\d{2}$"  # 2000-01-01 … 2099-12-31


class RunIn(Schema):
    period_start: IsoDate = Field(
        ...,
        ge=date(2000, 1, 1),
        le=date(2099, 12, 31),
        json_schema_extra={"pattern": CENTURY},  # JSON Schema has no date minimum
    )
    period_end: IsoDate = Field(
        ...,
        ge=date(2000, 1, 1),
        le=date(2099, 12, 31),
        json_schema_extra={"pattern": CENTURY},  # JSON Schema has no date minimum
    )


class RunOut(Schema):
    id: int
    period_start: date
    period_end: date
    status: str
    progress: float
    started_at: datetime
    finished_at: datetime | None
    totals: dict[str, int]
    changes: dict[str, Any]


class RowOut(Schema):
    position: int
    code: str
    statement: str
    category: str
    category_label: str
    sources: list[dict[str, Any]]
    importance: int
    current: str
    target: str
    gap: float | None
    grade: str
    score: float | None
    owner: str
    action: str
    due_date: date | None


class RunDetailOut(RunOut):
    rows: list[RowOut]


def _out(e: Expectation) -> dict[str, Any]:
    return {
        **{f: getattr(e, f) for f in ExpectationOut.model_fields if f != "owner"},
        "owner": str(e.owner) if e.owner else "",
    }


def _detail(e: Expectation) -> dict[str, Any]:
    suggestion = svc.suggestion(e)
    guidance = getattr(e, "guidance", None)
    return {
        **_out(e),
        "suggested_grade": suggestion.grade or "",
        "needs_assessment": suggestion.needs_assessment,
        "missing_inputs": list(suggestion.missing),
        "suggestion_reasons": list(suggestion.reasons),
        "guidance": guidance.script if guidance else "",
        "evidence": list(e.evidence.all()),
        "decisions": [
            {**{f: getattr(d, f) for f in DecisionOut.model_fields if f != "by"}, "by": str(d.by)}
            for d in e.decisions.select_related("by")
        ],
    }


def register(router: Router) -> None:
    @router.get("/expectations", response=list[ExpectationOut])
    @api_requires(VIEW)
    def expectation_list(
        request: HttpRequest, status: str = "", grade: str = "", category: str = ""
    ) -> list[dict[str, Any]]:
        rows = Expectation.objects.select_related("owner").order_by("code")
        if status:
            rows = rows.filter(status=status)
        if grade:
            rows = rows.filter(grade=grade)
        if category:
            rows = rows.filter(category__startswith=category)
        return [_out(e) for e in rows]

    @router.get("/expectations/{pk}", response=ExpectationDetailOut)
    @api_requires(VIEW)
    def expectation_detail(request: HttpRequest, pk: Id) -> dict[str, Any]:
        return _detail(get_object_or_404(Expectation.objects.select_related("owner"), pk=pk))

    @router.post("/expectations/{pk}/grade", response={201: DecisionOut})
    @api_requires("insights.decide_grade")
    def expectation_grade(request: HttpRequest, pk: Id, payload: GradeIn) -> Status:
        row = get_object_or_404(Expectation, pk=pk)
        d = svc.grade_decide(
            expectation=row, grade=payload.grade, reason=payload.reason, by=caller(request)
        )
        body = {f: getattr(d, f) for f in DecisionOut.model_fields if f != "by"}
        return Status(201, {**body, "by": str(d.by)})

    @router.get("/evaluations", response=list[RunOut])
    @api_requires(VIEW)
    def evaluation_list(request: HttpRequest) -> list[EvaluationRun]:
        return list(EvaluationRun.objects.order_by("-started_at", "-id")[:100])

    @router.post("/evaluations", response={202: RunOut})
    @api_requires("insights.add_evaluationrun")
    def evaluation_create(request: HttpRequest, payload: RunIn) -> Status:
        run = evaluation.evaluation_start(
            period_start=payload.period_start, period_end=payload.period_end, by=caller(request)
        )
        return Status(202, run)

    @router.get("/evaluations/{pk}", response=RunDetailOut)
    @api_requires(VIEW)
    def evaluation_detail(request: HttpRequest, pk: Id) -> dict[str, Any]:
        run = get_object_or_404(EvaluationRun, pk=pk)
        rows = list(run.rows.order_by("position"))
        return {**{f: getattr(run, f) for f in RunOut.model_fields}, "rows": rows}

    @router.get("/evaluations/{pk}/export.{fmt}")
    @api_requires(VIEW)
    def evaluation_export(request: HttpRequest, pk: Id, fmt: str, lang: str = "zh"):
        run = get_object_or_404(EvaluationRun, pk=pk, status=RunStatus.FINISHED)
        if fmt == "xlsx":
            body, kind = exports.evaluation_xlsx(run, lang), XLSX_TYPE
        elif fmt == "pdf":
            body, kind = exports.evaluation_pdf(run, lang), "application/pdf"
        else:
            raise HttpError(404, "xlsx or pdf")
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="evaluation-{run.pk}.{fmt}"'
        return response

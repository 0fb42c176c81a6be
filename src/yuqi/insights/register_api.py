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
from yuqi.insights import evaluation, exports, levels
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
    origins: list[str] = []
    over_served: bool = False
    too_low: bool = False


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


OriginName = Literal[
    "past_experience", "word_of_mouth", "other_providers", "advertising", "promise", "personal_need"
]


class OriginsIn(Schema):
    """The expectation's origins (replacing the recorded ones; an empty list clears them)."""

    origins: list[OriginName] = Field(..., max_length=6)
    note: str = Field("", max_length=300)


class OriginCountOut(Schema):
    origin: str
    expectations: int


class SelfMadeOut(Schema):
    """Live expectations whose recorded origin is our own advertising, a promise we made or
    our own past service."""

    live: int
    with_origin: int
    self_made: int
    share: float | None
    by_origin: list[OriginCountOut]
    codes: list[str]


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


_EXTRA = ("owner", "origins", "over_served", "too_low")


def _out(
    e: Expectation,
    level_map: dict[int, levels.ExpectationLevel] | None = None,
    origin_map: dict[int, list[Any]] | None = None,
) -> dict[str, Any]:
    if level_map is None:
        level_map = levels.levels([e.pk])
    if origin_map is None:
        origin_map = levels.origins([e.pk])
    level = level_map.get(e.pk)
    return {
        **{f: getattr(e, f) for f in ExpectationOut.model_fields if f not in _EXTRA},
        "owner": str(e.owner) if e.owner else "",
        "origins": [o.origin for o in origin_map.get(e.pk, [])],
        "over_served": bool(level and level.over_served),
        "too_low": bool(level and level.too_low),
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
        level_map, origin_map = levels.levels(), levels.origins()
        return [_out(e, level_map, origin_map) for e in rows]

    @router.get("/expectation-origins/summary", response=SelfMadeOut)
    @api_requires(VIEW)
    def expectation_self_made(request: HttpRequest) -> dict[str, Any]:
        summary = levels.self_made_summary()
        return {
            "live": summary.live,
            "with_origin": summary.with_origin,
            "self_made": summary.self_made,
            "share": summary.share,
            "by_origin": [
                {"origin": code, "expectations": n} for code, n in summary.by_origin.items()
            ],
            "codes": [e.code for e in summary.expectations],
        }

    @router.put("/expectations/{pk}/origins", response=ExpectationOut)
    @api_requires("insights.change_expectation")
    def expectation_origins(request: HttpRequest, pk: Id, payload: OriginsIn) -> dict[str, Any]:
        row = get_object_or_404(Expectation.objects.select_related("owner"), pk=pk)
        levels.origins_set(
            expectation=row, origins=list(payload.origins), note=payload.note, by=caller(request)
        )
        return _out(row)

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

"""REST endpoints of the text-mining context (mounted under /api/v1/ in yuqi.config.api).

No ``from __future__ import annotations``: django-ninja reads the annotations at import.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from yuqi.core.api_access import api_requires, caller
from yuqi.core.api_types import Id
from yuqi.textmining import selectors, services
from yuqi.textmining.models import ComplaintAnalysis, ComplaintLabel, TextModel

router = Router(tags=["textmining"])
VIEW = "textmining.view_complaintanalysis"
TRAIN = "textmining.add_textmodel"
LABEL = "textmining.add_complaintlabel"


class TextModelOut(Schema):
    version: int
    status: str
    created_at: datetime
    finished_at: datetime | None
    n_train: int
    label_counts: dict[str, int]
    metrics: dict[str, Any]
    error: str


class AnalysisQueryIn(Schema):
    complaint: Id | None = None
    limit: int = Field(100, ge=1, le=500)


class ComplaintAnalysisOut(Schema):
    complaint_id: int
    masked_text: str
    category: str
    confidence: float
    top3: list[Any]
    source: str
    model_version: int | None
    wanted_outcomes: list[dict[str, Any]]
    wanted_by: datetime | None
    wanted_by_confidence: float | None
    wanted_by_span: str
    amount: Decimal | None
    amount_confidence: float | None
    target: str
    target_confidence: float | None
    quoted_promise: dict[str, Any]
    signals: dict[str, Any]
    reasonable: dict[str, Any]
    label: str | None
    analysed_at: datetime


class LabelIn(Schema):
    complaint_id: Id
    action: Literal["confirm", "correct"]
    code: str = ""


class LabelOut(Schema):
    complaint_id: int
    code: str
    corrected: bool
    at: datetime


def _model_out(row: TextModel) -> dict[str, Any]:
    return {
        "version": row.version,
        "status": row.status,
        "created_at": row.created_at,
        "finished_at": row.finished_at,
        "n_train": row.n_train,
        "label_counts": row.label_counts or {},
        "metrics": row.metrics or {},
        "error": row.error,
    }


def _analysis_out(row: ComplaintAnalysis) -> dict[str, Any]:
    label = getattr(row.complaint, "text_label", None)
    return {
        "complaint_id": row.complaint_id,
        "masked_text": row.masked_text,
        "category": row.category,
        "confidence": row.confidence,
        "top3": row.top3,
        "source": row.source,
        "model_version": row.model.version if row.model else None,
        "wanted_outcomes": row.wanted_outcomes,
        "wanted_by": row.wanted_by,
        "wanted_by_confidence": row.wanted_by_confidence,
        "wanted_by_span": row.wanted_by_span,
        "amount": row.amount,
        "amount_confidence": row.amount_confidence,
        "target": row.target,
        "target_confidence": row.target_confidence,
        "quoted_promise": row.quoted_promise or {},
        "signals": row.signals,
        "reasonable": row.reasonable,
        "label": label.code if label else None,
        "analysed_at": row.analysed_at,
    }


def _label_out(row: ComplaintLabel) -> dict[str, Any]:
    return {
        "complaint_id": row.complaint_id,
        "code": row.code,
        "corrected": row.corrected,
        "at": row.at,
    }


@router.get("/textmining/models", response=list[TextModelOut])
@api_requires(VIEW)
def list_models(request: HttpRequest) -> list[dict[str, Any]]:
    """Classifier versions, newest first, with cross-validated per-label metrics."""
    return [_model_out(row) for row in selectors.text_models()]


@router.post("/textmining/models", response={202: TextModelOut})
@api_requires(TRAIN)
def retrain(request: HttpRequest) -> Status:
    """Queue the training of a new version on all labels (422 when there are too few)."""
    row = services.model_train(by=caller(request))
    return Status(202, _model_out(row))


@router.get("/textmining/analyses", response=list[ComplaintAnalysisOut])
@api_requires(VIEW)
def list_analyses(request: HttpRequest, query: Query[AnalysisQueryIn]) -> list[dict[str, Any]]:
    """Stored analyses (masked text and derived fields), newest first; ``complaint`` filters."""
    limit = max(1, min(query.limit, 500))
    rows = selectors.analyses(complaint_id=query.complaint, limit=limit)
    return [_analysis_out(row) for row in rows]


@router.post("/textmining/labels", response=LabelOut)
@api_requires(LABEL)
def post_label(request: HttpRequest, payload: LabelIn) -> dict[str, Any]:
    """Confirm the predicted category of a complaint, or correct it to another code."""
    user = caller(request)
    if payload.action == "confirm":
        row = services.label_confirm(complaint_id=payload.complaint_id, by=user)
    else:
        row = services.label_correct(complaint_id=payload.complaint_id, code=payload.code, by=user)
    return _label_out(row)

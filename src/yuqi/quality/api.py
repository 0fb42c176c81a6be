"""REST endpoints of the quality context (mounted under /api/v1/).

An agent reads and answers only their own evaluations (``view_own_evaluations``); evaluators
(``evaluate``) score contacts; the calibration agreement needs ``view_quality``. Access is
checked before the body is parsed (``core.api_access``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from yuqi.core.api_access import api_requires, caller
from yuqi.core.api_types import Id
from yuqi.core.errors import DomainError
from yuqi.quality import selectors, services
from yuqi.quality.models import CalibrationSession, Evaluation, QaForm
from yuqi.quality.schemas import AgreementOut, DisputeIn, EvaluationIn, EvaluationOut

router = Router(tags=["quality"])

VIEW = "quality.view_quality"
EVALUATE = "quality.evaluate"
OWN = "quality.view_own_evaluations"


def _out(row: Evaluation) -> dict[str, Any]:
    return {
        "id": row.pk,
        "subject_kind": row.subject_kind,
        "subject_id": row.subject_id,
        "agent_code": row.agent_code,
        "form_code": row.form_version.form.code,
        "form_version": row.form_version.number,
        "score": None if row.score is None else float(row.score),
        "earned": row.earned,
        "possible": row.possible,
        "auto_failed": row.auto_failed,
        "status": row.status,
        "submitted_at": row.submitted_at,
        "dispute_until": row.dispute_until,
        "answers": row.answers,
        "comment": row.comment,
    }


def _own(request: HttpRequest, pk: int) -> Evaluation:
    row = selectors.own_evaluations(caller(request)).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@router.get("/quality/evaluations/mine", response=list[EvaluationOut])
@api_requires(OWN)
def my_evaluations(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's own evaluations (as the evaluated agent), newest first (at most 200)."""
    return [_out(row) for row in selectors.own_evaluations(caller(request))[:200]]


@router.get("/quality/evaluations/{pk}", response=EvaluationOut)
@api_requires()
def evaluation(request: HttpRequest, pk: Id) -> dict[str, Any]:
    """One evaluation: evaluators see any; an agent only their own."""
    user = caller(request)
    if user.has_perm(VIEW):
        return _out(
            get_object_or_404(selectors.graded().select_related("form_version__form"), pk=pk)
        )
    if not user.has_perm(OWN):
        raise Http404
    return _out(_own(request, pk))


@router.post("/quality/evaluations", response={201: EvaluationOut})
@api_requires(EVALUATE)
def evaluation_create(request: HttpRequest, payload: EvaluationIn) -> Status:
    """Score a contact or ticket on the latest version of a form."""
    form = QaForm.objects.filter(code=payload.form_code, active=True).first()
    if form is None:
        raise DomainError(_("No such form."), field="form_code")
    row = services.evaluation_submit(
        form_version=services.latest_version(form),
        subject_kind=payload.subject_kind,
        subject_id=payload.subject_id,
        evaluator=caller(request),
        answers={k: ("na" if v is None else v) for k, v in payload.answers.items()},
        comment=payload.comment,
    )
    return Status(201, _out(row))


@router.post("/quality/evaluations/{pk}/acknowledge", response=EvaluationOut)
@api_requires(OWN)
def evaluation_acknowledge(request: HttpRequest, pk: Id) -> dict[str, Any]:
    row = services.evaluation_acknowledge(evaluation=_own(request, pk), by=caller(request))
    return _out(row)


@router.post("/quality/evaluations/{pk}/dispute", response=EvaluationOut)
@api_requires(OWN)
def evaluation_dispute(request: HttpRequest, pk: Id, payload: DisputeIn) -> dict[str, Any]:
    """Dispute within the window (refused afterwards, with the date it closed)."""
    row = services.evaluation_dispute(
        evaluation=_own(request, pk), by=caller(request), reason=payload.reason
    )
    return _out(row)


def _coef(result: Any) -> dict[str, Any] | None:
    if result is None:
        return None
    value = result.alpha if hasattr(result, "alpha") else result.kappa
    return {"value": value, "reading": result.reading, "reason": result.reason}


@router.get("/quality/calibration/{pk}/agreement", response=AgreementOut)
@api_requires(VIEW)
def calibration_agreement(request: HttpRequest, pk: Id) -> dict[str, Any]:
    """Krippendorff's alpha (interval on scores, nominal on pass/fail) and Cohen's kappa
    (two evaluators); ``value`` null with a ``reason`` when not computable."""
    session = get_object_or_404(CalibrationSession, pk=pk)
    stats = selectors.calibration_stats(session)
    return {
        "session": session.pk,
        "evaluators": len(stats.evaluators),
        "contacts": len(stats.subjects),
        "score_alpha": _coef(stats.score_alpha),
        "pass_alpha": _coef(stats.pass_alpha),
        "kappa": _coef(stats.kappa),
    }

"""REST endpoints of the improvement context (mounted under /api/v1/ in yuqi.config.api):
list, read, create, move through PDCA, check and close improvement actions.

Every operation checks its permission before ninja parses the query or body
(``api_requires``), so a caller without it learns nothing of the fields from a 422.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.errors import HttpError

from yuqi.core.api_access import api_requires, caller
from yuqi.core.api_types import Id, IsoDate, NoteText, ShortText
from yuqi.core.clock import now
from yuqi.improvement import selectors, services
from yuqi.improvement.models import EffectCheck, ImprovementAction, LinkKind, MeasureKind, Status

router = Router(tags=["improvement"])

VIEW = "improvement.view_improvementaction"
ADD = "improvement.add_improvementaction"
CHANGE = "improvement.change_improvementaction"
VERIFY = "improvement.verify_action"
MAX_LIST = 500


class ImprovementLinkIn(Schema):
    kind: LinkKind
    ref: str = Field(min_length=1, max_length=80)


class ImprovementLinkOut(Schema):
    kind: str
    ref: str
    label: str
    gone: bool


class ImprovementCheckOut(Schema):
    checked_at: datetime
    verdict: str
    before: list[date]
    after: list[date]
    n_before: int | None
    n_after: int | None
    value_before: float | None
    value_after: float | None
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    possible_on: date | None
    warnings: list[str]
    sentence_zh: str
    sentence_en: str


class ImprovementActionOut(Schema):
    id: int
    number: str
    title: str
    plan: str
    owner: str
    department: str
    grade: str
    due_date: date
    status: str
    outcome: str
    measure_kind: str
    measure_ref: str
    higher_is_better: bool
    baseline_start: date | None
    baseline_end: date | None
    overdue: bool
    links: list[ImprovementLinkOut] = []
    latest_check: ImprovementCheckOut | None = None


class ImprovementActionIn(Schema):
    title: ShortText = Field(min_length=1)
    plan: NoteText = ""
    owner_id: Id | None = Field(None, description="defaults to the caller")
    department: str = Field("", max_length=100)
    due_date: IsoDate
    grade: str = Field("", pattern=r"^[ABC]?$")
    measure_kind: MeasureKind | None = None
    measure_ref: str = Field("", max_length=80)
    baseline_start: IsoDate | None = None
    baseline_end: IsoDate | None = None
    links: list[ImprovementLinkIn] = Field(default_factory=list, max_length=30)


class ImprovementTransitionIn(Schema):
    to: Status
    note: NoteText = ""


class ImprovementCheckIn(Schema):
    after_start: IsoDate | None = None
    after_end: IsoDate | None = None


class ImprovementCloseIn(Schema):
    outcome: str = Field(pattern=r"^(effective|no_effect)$")
    note: NoteText = ""


class ImprovementListQuery(Schema):
    owner: Id | None = None
    grade: str = Field("", pattern=r"^[ABC]?$")
    status: str = Field("open", pattern=r"^(open|plan|do|check|act|closed|)$")
    overdue: bool = False


def _check(c: EffectCheck | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "checked_at": c.checked_at,
        "verdict": c.verdict,
        "before": [c.before_start, c.before_end],
        "after": [c.after_start, c.after_end],
        "n_before": c.n_before,
        "n_after": c.n_after,
        "value_before": c.value_before,
        "value_after": c.value_after,
        "difference": c.difference,
        "low": c.low,
        "high": c.high,
        "p_value": c.p_value,
        "possible_on": c.possible_on,
        "warnings": list(c.warnings or []),
        "sentence_zh": c.sentence_zh,
        "sentence_en": c.sentence_en,
    }


def _out(a: ImprovementAction, *, full: bool = False) -> dict[str, Any]:
    today = timezone.localdate(now())
    out: dict[str, Any] = {
        "id": a.pk,
        "number": a.number,
        "title": a.title,
        "plan": a.plan,
        "owner": str(a.owner),
        "department": a.department,
        "grade": a.grade,
        "due_date": a.due_date,
        "status": a.status,
        "outcome": a.outcome,
        "measure_kind": a.measure_kind,
        "measure_ref": a.measure_ref,
        "higher_is_better": a.higher_is_better,
        "baseline_start": a.baseline_start,
        "baseline_end": a.baseline_end,
        "overdue": a.status != Status.CLOSED and a.due_date < today,
    }
    if full:
        out["links"] = [
            {"kind": link.kind, "ref": link.ref, "label": link.label, "gone": link.gone}
            for link in selectors.action_links(a)
        ]
        out["latest_check"] = _check(a.checks.order_by("-checked_at", "-pk").first())
    return out


@router.get("/improvement/actions", response=list[ImprovementActionOut])
@api_requires(VIEW)
def improvement_list(request: HttpRequest, params: Query[ImprovementListQuery]) -> list[dict]:
    """Improvement actions by owner, grade and status (``open`` by default), at most 500."""
    filters = selectors.BoardFilter(
        owner=params.owner, grade=params.grade, status=params.status, overdue=params.overdue
    )
    rows = selectors.board(filters, timezone.localdate(now()))[:MAX_LIST]
    return [_out(a) for a in rows]


@router.get("/improvement/actions/{action_id}", response=ImprovementActionOut)
@api_requires(VIEW)
def improvement_read(request: HttpRequest, action_id: Id) -> dict:
    """One action with its links (gone ones marked) and its latest check."""
    return _out(get_object_or_404(ImprovementAction, pk=action_id), full=True)


@router.post("/improvement/actions", response={201: ImprovementActionOut})
@api_requires(ADD)
def improvement_create(request: HttpRequest, payload: ImprovementActionIn) -> HttpStatus:
    """A new action in *plan*."""
    user = caller(request)
    owner = user
    if payload.owner_id is not None:
        owner = get_user_model().objects.filter(pk=payload.owner_id, is_active=True).first()
        if owner is None:
            raise HttpError(422, "unknown owner")
    action = services.action_create(
        title=payload.title,
        plan=payload.plan,
        owner=owner,
        department=payload.department,
        due_date=payload.due_date,
        grade=payload.grade,
        measure_kind=payload.measure_kind.value if payload.measure_kind else "",
        measure_ref=payload.measure_ref,
        baseline_start=payload.baseline_start,
        baseline_end=payload.baseline_end,
        links=[(link.kind.value, link.ref) for link in payload.links],
        by=user,
    )
    return HttpStatus(201, _out(action, full=True))


@router.post("/improvement/actions/{action_id}/transition", response=ImprovementActionOut)
@api_requires(CHANGE)
def improvement_transition(
    request: HttpRequest, action_id: Id, payload: ImprovementTransitionIn
) -> dict:
    """Move the action one PDCA step (plan → do → check → act; back a step to try again)."""
    action = get_object_or_404(ImprovementAction, pk=action_id)
    action = services.action_transition(
        action, to=payload.to.value, by=caller(request), note=payload.note
    )
    return _out(action, full=True)


@router.post("/improvement/actions/{action_id}/check", response=ImprovementCheckOut)
@api_requires(VERIFY)
def improvement_check(request: HttpRequest, action_id: Id, payload: ImprovementCheckIn) -> dict:
    """Run the before/after check: the after value over a window as long as the baseline, the
    difference with its 95 % interval and p-value, and the verdict in words."""
    action = get_object_or_404(ImprovementAction, pk=action_id)
    check = services.action_check(
        action, by=caller(request), after_start=payload.after_start, after_end=payload.after_end
    )
    result = _check(check)
    assert result is not None
    return result


@router.post("/improvement/actions/{action_id}/close", response=ImprovementActionOut)
@api_requires(VERIFY)
def improvement_close(request: HttpRequest, action_id: Id, payload: ImprovementCloseIn) -> dict:
    """Close from *act*: ``effective`` only on a check showing a real improvement."""
    action = get_object_or_404(ImprovementAction, pk=action_id)
    action = services.action_close(
        action, outcome=payload.outcome, note=payload.note, by=caller(request)
    )
    return _out(action, full=True)

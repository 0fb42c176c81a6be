"""REST endpoints of the commitments context (mounted under /api/v1/ in yuqi.config.api).

Same rules as the pages: reading needs ``view_commitment``; recording ``add_commitment``;
fulfil / renegotiate / cancel ``change_commitment`` on one's own promise (or any promise with
``approve_commitment``); approve / reject ``approve_commitment``, never on one's own promise.
"""

from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from yuqi.commitments import policies, ports, selectors, services
from yuqi.commitments.facade import MEASURE_DIMENSIONS, commitment_measures
from yuqi.commitments.models import Commitment
from yuqi.commitments.schemas import (
    ApproveIn,
    CommitmentDetailOut,
    CommitmentFilterIn,
    CommitmentIn,
    CommitmentOut,
    FulfilIn,
    MeasureOut,
    MeasuresIn,
    ReasonIn,
    RenegotiateIn,
)
from yuqi.core import clock
from yuqi.core.api_access import api_requires, caller
from yuqi.core.api_types import Id
from yuqi.core.errors import DomainError

router = Router(tags=["commitments"])

VIEW = "commitments.view_commitment"
ADD = "commitments.add_commitment"
CHANGE = "commitments.change_commitment"
APPROVE = "commitments.approve_commitment"
MEASURES = "complaints.view_complaint_measures"


def _get(pk: int) -> Commitment:
    rows = Commitment.objects.select_related("customer", "promised_by")
    return get_object_or_404(rows, pk=pk)


def _changeable(request: HttpRequest, pk: Id) -> Commitment:
    row = _get(pk)
    if not policies.can_change(caller(request), row.promised_by_id):
        raise PermissionDenied
    return row


@router.get("/commitments", response=list[CommitmentOut])
@paginate
@api_requires(VIEW)
def commitments(request: HttpRequest, filters: Query[CommitmentFilterIn]) -> QuerySet:
    """Promises, soonest due first; filter by status, kind, promiser, customer, due time."""
    customer_id = None
    if filters.customer:
        customer_id = ports.customer_id_for(filters.customer) or -1
    rows = selectors.commitment_list(
        selectors.CommitmentFilter(
            status=filters.status,
            kind=filters.kind,
            agent_id=filters.agent,
            customer_id=customer_id,
            due_before=filters.due_before,
            overdue_at=clock.now() if filters.overdue else None,
        )
    )
    return rows


@router.post("/commitments", response={201: CommitmentOut})
@api_requires(VIEW, ADD)
def commitment_create(request: HttpRequest, payload: CommitmentIn) -> Status:
    """Record a promise. The guard's flags come back; a flagged promise is ``pending``."""
    customer_id = ports.customer_id_for(payload.customer)
    if customer_id is None:
        raise DomainError(_("No such customer."), field="customer")
    row = services.commitment_record(
        customer_id=customer_id,
        kind=payload.kind,
        text=payload.text,
        promised_by_id=caller(request).pk,
        due_at=payload.due_at,
        complaint_id=payload.complaint_id,
        interaction_id=payload.interaction_id,
        department=payload.department,
        amount=payload.amount,
        perk=payload.perk,
    )
    return Status(201, _get(row.pk))


@router.get("/commitments/measures", response=list[MeasureOut])
@api_requires(MEASURES)
def measures(request: HttpRequest, params: Query[MeasuresIn]) -> list[dict[str, Any]]:
    """Kept-on-time rate and broken promises among promises due in the period, grouped."""
    if params.by not in MEASURE_DIMENSIONS:
        raise DomainError(_("Group by agent, kind, tier, team or nothing."), field="by")
    rows = commitment_measures(date_from=params.date_from, date_to=params.date_to, by=params.by)
    return [{**asdict(row), "kept_on_time_rate": row.kept_on_time_rate} for row in rows]


@router.get("/commitments/{pk}", response=CommitmentDetailOut)
@api_requires(VIEW)
def commitment(request: HttpRequest, pk: Id) -> Commitment:
    """One promise with its ledger."""
    return _get(pk)


@router.post("/commitments/{pk}/fulfil", response=CommitmentOut)
@api_requires(VIEW, CHANGE)
def commitment_fulfil(request: HttpRequest, pk: Id, payload: FulfilIn) -> Commitment:
    _changeable(request, pk)
    services.commitment_fulfil(
        commitment_id=pk,
        by_id=caller(request).pk,
        evidence=payload.evidence,
        evidence_file=payload.evidence_file,
    )
    return _get(pk)


@router.post("/commitments/{pk}/renegotiate", response=CommitmentOut)
@api_requires(VIEW, CHANGE)
def commitment_renegotiate(request: HttpRequest, pk: Id, payload: RenegotiateIn) -> Commitment:
    _changeable(request, pk)
    services.commitment_renegotiate(
        commitment_id=pk, by_id=caller(request).pk, due_at=payload.due_at, reason=payload.reason
    )
    return _get(pk)


@router.post("/commitments/{pk}/cancel", response=CommitmentOut)
@api_requires(VIEW, CHANGE)
def commitment_cancel(request: HttpRequest, pk: Id, payload: ReasonIn) -> Commitment:
    _changeable(request, pk)
    services.commitment_cancel(commitment_id=pk, by_id=caller(request).pk, reason=payload.reason)
    return _get(pk)


@router.post("/commitments/{pk}/approve", response=CommitmentOut)
@api_requires(VIEW, APPROVE)
def commitment_approve(request: HttpRequest, pk: Id, payload: ApproveIn) -> Commitment:
    _get(pk)
    services.commitment_approve(commitment_id=pk, by_id=caller(request).pk, note=payload.note)
    return _get(pk)


@router.post("/commitments/{pk}/reject", response=CommitmentOut)
@api_requires(VIEW, APPROVE)
def commitment_reject(request: HttpRequest, pk: Id, payload: ReasonIn) -> Commitment:
    _get(pk)
    services.commitment_reject(commitment_id=pk, by_id=caller(request).pk, reason=payload.reason)
    return _get(pk)

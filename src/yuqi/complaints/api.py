"""REST endpoints of the complaints context under /api/v1/complaints (mounted in
yuqi.config.api). Same permissions as the pages; edits carry ``version`` and answer 409 when
someone else saved first (optimistic locking, see ``services``)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from yuqi.complaints import selectors, services
from yuqi.complaints.choices import ChecklistItem
from yuqi.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintLevel,
    RecoveryAction,
    RootCause,
    SlaClock,
)
from yuqi.complaints.schemas import (
    AgreementIn,
    ApprovalIn,
    CallbackIn,
    ComplaintDetailOut,
    ComplaintEventOut,
    ComplaintFilterIn,
    ComplaintIn,
    ComplaintOut,
    ComplaintPatch,
    EscalationIn,
    NoteIn,
    RecoveryIn,
    RecoveryOut,
    TransitionIn,
)
from yuqi.core import clock
from yuqi.core.api_access import api_requires, caller
from yuqi.core.api_types import Id
from yuqi.core.errors import DomainError
from yuqi.domain.complaint_workflow import allowed_targets

router = Router(tags=["complaints"])

SEE = "complaints.view_complaint"
LOG = "complaints.add_complaint"
WORK = "complaints.change_complaint"
APPROVE = "complaints.approve_compensation"


# ------------------------------------------------------------------- presenters
def _row(c: Complaint) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "customer": c.customer.external_id,
        "customer_name": c.customer.name,
        "channel": c.channel,
        "level": c.level.code,
        "category": c.category.code if c.category else None,
        "state": c.state,
        "owner": c.owner_id,
        "team": c.team_id,
        "sla_state": c.sla_state,
        "next_due_at": c.next_due_at,
        "risk_score": c.risk_score,
        "complainer_type": c.complainer_type,
        "complainer_type_suggested": c.complainer_type_suggested,
        "opened_at": c.opened_at,
        "closed_at": c.closed_at,
        "version": c.version,
    }


def _clock(k: SlaClock) -> dict[str, Any]:
    return {
        "kind": k.kind,
        "level": k.level_code,
        "phase": k.phase,
        "state": k.state,
        "target_amount": k.target_amount,
        "target_unit": k.target_unit,
        "target_seconds": k.target_seconds,
        "basis": k.basis,
        "started_at": k.started_at,
        "stopped_at": k.stopped_at,
        "due_at": k.due_at,
        "warn_at": k.warn_at,
        "elapsed_seconds": k.elapsed_seconds,
        "paused_seconds": k.paused_seconds,
        "provisional": k.provisional,
        "years_without_holiday_data": list(k.assumed_years),
        "segments": list(k.segments),
    }


def _recovery(a: RecoveryAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "amount": a.amount,
        "cost": a.cost,
        "note": a.note,
        "status": a.status,
        "proposed_by": a.created_by_id,
        "approver": a.approver_id,
        "created_at": a.created_at,
        "decided_at": a.decided_at,
    }


def _detail(pk: int) -> dict[str, Any]:
    c = get_object_or_404(selectors.complaint_detail_queryset(), pk=pk)
    return {
        **_row(c),
        "account": c.account,
        "demand": c.demand,
        "complainer_reasons": c.complainer_reasons,
        "risk_reasons": c.risk_reasons,
        "root_cause": c.root_cause.code if c.root_cause else None,
        "root_cause_note": c.root_cause_note,
        "checklist": {item.value: getattr(c, f"chk_{item.value}") for item in ChecklistItem},
        "agreement": {
            "solution": c.agreement_solution,
            "accepted": c.agreement_accepted,
            "shelved_need": c.shelved_need,
            "forwarded_department": c.forwarded_department,
            "promised_answer_at": c.promised_answer_at,
            "commitment_id": c.agreement_commitment_id,
        },
        "callback": {
            "solved": c.callback_solved,
            "expectation_met": c.callback_expectation_met,
            "attitude_ok": c.callback_attitude_ok,
            "satisfied": c.callback_satisfied,
            "note": c.callback_note,
            "at": c.callback_at,
        },
        "reopen_count": c.reopen_count,
        "acknowledged_at": c.acknowledged_at,
        "resolved_at": c.resolved_at,
        "allowed_targets": list(allowed_targets(c.state)),
        "clocks": [_clock(k) for k in c.clocks.all()],
        "recovery_actions": [_recovery(a) for a in c.recovery_actions.all()],
    }


def _by_code(model: type, code: str | None, field: str) -> Any:
    if not code:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise DomainError(_("Unknown code %(code)s.") % {"code": code}, field=field)
    return found


def _user(user_id: int | None, field: str) -> Any:
    if user_id is None:
        return None
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if found is None:
        raise DomainError(_("Unknown user."), field=field)
    return found


def _customer_pk(external_id: str, field: str = "customer") -> int:
    from yuqi.customers.facade import customer_ids_by_external_id

    pk = customer_ids_by_external_id([external_id]).get(external_id)
    if pk is None:
        raise DomainError(_("Unknown customer."), field=field)
    return pk


def _ticket(complaint_id: Id) -> Complaint:
    return get_object_or_404(Complaint, pk=complaint_id)


def _queue_filter(filters: ComplaintFilterIn, customer_id: int | None) -> selectors.QueueFilter:
    """The queue page's filter (one dataclass for both front doors)."""
    return selectors.QueueFilter(
        state=filters.state,
        level=filters.level,
        owner_id=filters.owner,
        team_id=filters.team,
        customer_id=customer_id,
        category=filters.category,
        sla=filters.sla_state,
        q=filters.q,
        risk_min=filters.risk_min,
        complainer_type=filters.complainer_type,
    )


# ------------------------------------------------------------------- endpoints
@router.get("/complaints", response=list[ComplaintOut])
@paginate
@api_requires(SEE)
def complaint_list(request: HttpRequest, filters: Query[ComplaintFilterIn]) -> QuerySet[Complaint]:
    """The work queue, most urgent first, as on the queue page (breached or overdue, at risk,
    the rest, closed; higher level first; earliest due), or sorted by ``sort``. Filters:
    state (or 'open'), level, owner, sla_state, customer, team, category, q, risk_min,
    complainer_type — the queue page's."""
    customer_pk = None
    if filters.customer:
        from yuqi.customers.facade import customer_ids_by_external_id

        customer_pk = customer_ids_by_external_id([filters.customer]).get(filters.customer, -1)
    rows = selectors.complaint_queue(filters=_queue_filter(filters, customer_pk), now=clock.now())
    return selectors.sorted_queue(rows, filters.sort)


@router.post("/complaints", response={201: ComplaintDetailOut})
@api_requires(LOG)
def complaint_create(request: HttpRequest, payload: ComplaintIn) -> Status:
    """Log a complaint; clocks start and the customer is told it was received."""
    created = services.complaint_open(
        customer_id=_customer_pk(payload.customer),
        account=payload.account,
        demand=payload.demand,
        level=_by_code(ComplaintLevel, payload.level, "level"),
        category=_by_code(ComplaintCategory, payload.category, "category"),
        channel=payload.channel,
        owner=_user(payload.owner, "owner"),
        team_id=payload.team,
        by=caller(request),
    )
    return Status(201, _detail(created.pk))


@router.get("/complaints/{complaint_id}", response=ComplaintDetailOut)
@api_requires(SEE)
def complaint_get(request: HttpRequest, complaint_id: Id) -> dict:
    """One ticket with its clocks, recovery actions, agreement, callback and ``version``."""
    return _detail(complaint_id)


@router.patch("/complaints/{complaint_id}", response=ComplaintDetailOut)
@api_requires(WORK)
def complaint_patch(request: HttpRequest, complaint_id: Id, payload: ComplaintPatch) -> dict:
    """Change details, owner/team, checklist or the confirmed complainer type; ``version`` is
    required and a stale one answers 409."""
    ticket = _ticket(complaint_id)
    by = caller(request)
    sent = payload.dict(exclude_unset=True)
    version = sent.pop("version")
    changes: dict[str, Any] = {}
    for name in ("account", "demand", "channel", "root_cause_note"):
        if name in sent:
            changes[name] = sent[name] or ""
    if "category" in sent:
        changes["category"] = _by_code(ComplaintCategory, sent["category"], "category")
    if "root_cause" in sent:
        changes["root_cause"] = _by_code(RootCause, sent["root_cause"], "root_cause")
    assign = None
    if "owner" in sent or "team" in sent:
        owner = _user(sent["owner"], "owner") if "owner" in sent else ticket.owner
        assign = (owner, sent.get("team", ticket.team_id))
    services.complaint_edit(
        complaint=ticket,
        by=by,
        expected_version=version,
        changes=changes,
        assign=assign,
        checklist=sent.get("checklist"),
        complainer_type=sent.get("complainer_type") or "",
    )
    return _detail(complaint_id)


@router.post("/complaints/{complaint_id}/transitions", response=ComplaintDetailOut)
@api_requires(WORK)
def complaint_transition(request: HttpRequest, complaint_id: Id, payload: TransitionIn) -> dict:
    """Move along the workflow (closing and reopening included); 422 names both states and
    what is missing, 409 on a stale version."""
    services.complaint_move(
        complaint=_ticket(complaint_id),
        target=payload.target,
        by=caller(request),
        expected_version=payload.version,
        note=payload.note,
    )
    return _detail(complaint_id)


@router.post("/complaints/{complaint_id}/escalations", response=ComplaintDetailOut)
@api_requires(WORK)
def complaint_escalate(request: HttpRequest, complaint_id: Id, payload: EscalationIn) -> dict:
    """Raise the level; open clocks restart under the new level's policy."""
    services.complaint_escalate(
        complaint=_ticket(complaint_id),
        level=_by_code(ComplaintLevel, payload.level, "level"),
        by=caller(request),
        expected_version=payload.version,
        reason=payload.reason,
    )
    return _detail(complaint_id)


@router.post("/complaints/{complaint_id}/recovery-actions", response={201: RecoveryOut})
@api_requires(WORK)
def complaint_recovery_add(request: HttpRequest, complaint_id: Id, payload: RecoveryIn) -> Status:
    """Add a recovery action; compensation beyond the handler's authority awaits approval."""
    action = services.complaint_add_recovery(
        complaint=_ticket(complaint_id),
        kind=payload.kind,
        by=caller(request),
        expected_version=payload.version,
        amount=payload.amount,
        cost=payload.cost,
        note=payload.note,
    )
    return Status(201, _recovery(action))


@router.post(
    "/complaints/{complaint_id}/recovery-actions/{action_id}/approval", response=RecoveryOut
)
@api_requires(APPROVE)
def complaint_recovery_approve(
    request: HttpRequest, complaint_id: Id, action_id: Id, payload: ApprovalIn
) -> dict:
    """Approve or reject compensation awaiting approval (not by its proposer)."""
    action = get_object_or_404(RecoveryAction, pk=action_id, complaint_id=complaint_id)
    decided = services.complaint_approve_recovery(
        action=action, by=caller(request), approve=payload.approve, note=payload.note
    )
    return _recovery(decided)


@router.post("/complaints/{complaint_id}/agreement", response=ComplaintDetailOut)
@api_requires(WORK)
def complaint_agreement(request: HttpRequest, complaint_id: Id, payload: AgreementIn) -> dict:
    """Record the solution and whether it was accepted, or the shelved need, the department
    and the promised answer date (which becomes a commitment)."""
    services.complaint_record_agreement(
        complaint=_ticket(complaint_id),
        by=caller(request),
        expected_version=payload.version,
        solution=payload.solution,
        accepted=payload.accepted,
        shelved_need=payload.shelved_need,
        forwarded_department=payload.forwarded_department,
        promised_answer_at=payload.promised_answer_at,
    )
    return _detail(complaint_id)


@router.post("/complaints/{complaint_id}/callback", response=ComplaintDetailOut)
@api_requires(WORK)
def complaint_callback(request: HttpRequest, complaint_id: Id, payload: CallbackIn) -> dict:
    """Record the 对事/对人 callback; unsatisfied sends the ticket into service recovery."""
    services.complaint_record_callback(
        complaint=_ticket(complaint_id),
        by=caller(request),
        expected_version=payload.version,
        solved=payload.solved,
        expectation_met=payload.expectation_met,
        attitude_ok=payload.attitude_ok,
        note=payload.note,
    )
    return _detail(complaint_id)


@router.get("/complaints/{complaint_id}/events", response=list[ComplaintEventOut])
@api_requires(SEE)
def complaint_events(request: HttpRequest, complaint_id: Id) -> list[dict]:
    """The ticket's timeline, oldest first."""
    rows: QuerySet[ComplaintEvent] = selectors.complaint_events(_ticket(complaint_id))
    return [
        {"id": e.pk, "kind": e.kind, "parameters": e.parameters, "by": e.by_id, "at": e.at}
        for e in rows
    ]


@router.post("/complaints/{complaint_id}/events", response={201: ComplaintEventOut})
@api_requires(WORK)
def complaint_note(request: HttpRequest, complaint_id: Id, payload: NoteIn) -> Status:
    """Add a note to the timeline."""
    event = services.complaint_add_note(
        complaint=_ticket(complaint_id), by=caller(request), text=payload.text
    )
    return Status(
        201,
        {
            "id": event.pk,
            "kind": event.kind,
            "parameters": event.parameters,
            "by": event.by_id,
            "at": event.at,
        },
    )

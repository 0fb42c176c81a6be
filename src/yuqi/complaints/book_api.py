"""REST endpoints of the complaint book under /api/v1: contact attempts, playbook
steps, regulator appeals, suggestions and praise. Permission is checked before the body is
read (``api_requires``); the rules live in :mod:`yuqi.complaints.book`."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from yuqi.complaints import book
from yuqi.complaints.models import Complaint, ContactAttempt, RegulatorAppeal, TicketBook
from yuqi.core.api_access import api_requires, caller
from yuqi.core.api_types import Flag, Id, IsoDate, NoteText

router = Router(tags=["complaints"])

SEE = "complaints.view_complaint"
LOG = "complaints.add_complaint"
WORK = "complaints.change_complaint"


class ContactAttemptIn(Schema):
    channel: Literal["phone", "sms", "visit"]
    reached: Flag
    note: str = Field("", max_length=book.MAX_NOTE)


class ContactAttemptOut(Schema):
    id: int
    channel: str
    reached: bool
    note: str
    at: str
    contact_due_at: str | None


class StepOut(Schema):
    playbook: str
    step: str
    id: int
    done: bool
    created: bool


class PlaybookStepOut(Schema):
    playbook: str
    id: int
    code: str
    text: str
    done: bool


class AppealIn(Schema):
    number: str = Field(..., min_length=1, max_length=40)
    body: Literal["miit", "ca", "12315", "other"]
    received_on: IsoDate
    dispute: Literal["billing", "other"]
    event_date: IsoDate | None = None
    materials_complete_on: IsoDate | None = None


class AppealOut(Schema):
    id: int
    number: str
    body: str
    received_on: str
    event_date: str | None
    dispute: str
    time_bar: str
    time_bar_last_day: str | None
    acceptance_due: str
    reply_due: str
    years_without_holiday_data: list[int]


class FeedbackIn(Schema):
    customer: str = Field(..., min_length=1, max_length=64)
    kind: Literal["suggestion", "praise"]
    text: NoteText = Field(..., min_length=1)
    topic: str = Field("", max_length=80)


class FeedbackOut(Schema):
    id: int
    kind: str
    owner: int | None
    thanked: bool


def _ticket(complaint_id: int) -> Complaint:
    return get_object_or_404(Complaint.objects.select_related("level"), pk=complaint_id)


def _appeal(a: RegulatorAppeal) -> dict:
    return {
        "id": a.pk,
        "number": a.number,
        "body": a.body,
        "received_on": a.received_on.isoformat(),
        "event_date": a.event_date.isoformat() if a.event_date else None,
        "dispute": a.dispute,
        "time_bar": a.time_bar_status,
        "time_bar_last_day": a.time_bar_last_day.isoformat() if a.time_bar_last_day else None,
        "acceptance_due": a.acceptance_due.isoformat(),
        "reply_due": a.reply_due.isoformat(),
        "years_without_holiday_data": list(a.assumed_years),
    }


@router.post("/complaints/{complaint_id}/contact-attempts", response={201: ContactAttemptOut})
@api_requires(WORK)
def contact_attempt_add(
    request: HttpRequest, complaint_id: Id, payload: ContactAttemptIn
) -> Status:
    """Log a contact attempt (phone, SMS, visit; reached or not): restarts the contact clock."""
    ticket = _ticket(complaint_id)
    attempt: ContactAttempt = book.complaint_log_contact(
        complaint=ticket,
        channel=payload.channel,
        reached=payload.reached,
        note=payload.note,
        by=caller(request),
    )
    row = TicketBook.objects.filter(complaint=ticket).first()
    due = row.contact_due_at if row else None
    return Status(
        201,
        {
            "id": attempt.pk,
            "channel": attempt.channel,
            "reached": attempt.reached,
            "note": attempt.note,
            "at": attempt.at.isoformat(),
            "contact_due_at": due.isoformat() if due else None,
        },
    )


@router.get("/complaints/{complaint_id}/playbook-steps", response=list[PlaybookStepOut])
@api_requires(SEE)
def playbook_steps(request: HttpRequest, complaint_id: Id) -> list[dict]:
    """The steps of the playbooks that apply to the ticket, with what is done."""
    ticket = _ticket(complaint_id)
    done = set(ticket.step_ticks.values_list("step_id", flat=True))
    return [
        {"playbook": p.code, "id": s.pk, "code": s.code, "text": s.label, "done": s.pk in done}
        for p in book.playbooks_for(ticket)
        for s in p.steps.all()
    ]


@router.post("/complaints/{complaint_id}/playbook-steps/{step_id}", response=StepOut)
@api_requires(WORK)
def playbook_step_tick(request: HttpRequest, complaint_id: Id, step_id: Id) -> dict:
    """Mark a step done; a second call changes nothing (``created`` is false)."""
    tick, created = book.complaint_tick_step(
        complaint=_ticket(complaint_id), step_id=step_id, by=caller(request)
    )
    return {
        "playbook": tick.step.playbook.code,
        "step": tick.step.code,
        "id": tick.step_id,
        "done": True,
        "created": created,
    }


@router.get("/complaints/{complaint_id}/appeals", response=list[AppealOut])
@api_requires(SEE)
def appeal_list(request: HttpRequest, complaint_id: Id) -> list[dict]:
    return [_appeal(a) for a in _ticket(complaint_id).appeals.all()]


@router.post("/complaints/{complaint_id}/appeals", response={201: AppealOut})
@api_requires(WORK)
def appeal_add(request: HttpRequest, complaint_id: Id, payload: AppealIn) -> Status:
    """Record a regulator appeal: time bar (unknown without an event date; an event after the
    appeal is refused), acceptance due in 5 working days, reply due 30 days after complete
    materials."""
    appeal = book.complaint_record_appeal(
        complaint=_ticket(complaint_id),
        data=book.AppealInput(
            number=payload.number,
            body=payload.body,
            received_on=payload.received_on,
            dispute=payload.dispute,
            event_date=payload.event_date,
            materials_complete_on=payload.materials_complete_on,
        ),
        by=caller(request),
    )
    return Status(201, _appeal(appeal))


@router.post("/feedback", response={201: FeedbackOut})
@api_requires(LOG)
def feedback_add(request: HttpRequest, payload: FeedbackIn) -> Status:
    """Record a suggestion or praise: routed to an owner, the customer thanked."""
    from yuqi.customers.facade import customer_ids_by_external_id

    customer_id = customer_ids_by_external_id([payload.customer]).get(payload.customer)
    row = book.feedback_record(
        customer_id=customer_id or 0,
        kind=payload.kind,
        text=payload.text,
        topic=payload.topic,
        source="api",
        by=caller(request),
    )
    return Status(
        201,
        {"id": row.pk, "kind": row.kind, "owner": row.owner_id, "thanked": bool(row.thanked_at)},
    )

"""The ticket page's own reads, each compiled once per process (:class:`CompiledRead`).

Building these querysets and compiling them to SQL cost more Python than running them: the
ticket page reads its row, events, clocks, recovery actions, step ticks, appeals and contact
attempts on every request. Each read here is the queryset it replaces, written from the
model's manager (not the ticket's related manager, whose known objects belong to one request)
and run with the ticket's number or id in the kept statement.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from yuqi.complaints.models import (
    Complaint,
    ComplaintEvent,
    RecoveryAction,
    SlaClock,
)
from yuqi.complaints.models_book import ContactAttempt, RegulatorAppeal, StepTick
from yuqi.core.compiled_reads import CompiledRead

#: The ticket page joins its customer and tier, owner, team, senior owner and retention
#: callback rather than read them on their own.
JOINED = (
    "customer__tier",
    "owner",
    "team",
    "book__senior_owner",
    "retention_callback",
)

_ID = Complaint._meta.get_field("id")

_TICKET = CompiledRead(
    lambda *, number: Complaint.objects.select_related(*JOINED).filter(number=number),
    model=Complaint,
    number=Complaint._meta.get_field("number"),
)
_EVENTS = CompiledRead(
    lambda *, pk: (
        ComplaintEvent.objects.filter(complaint_id=pk).select_related("by").order_by("at", "id")
    ),
    model=ComplaintEvent,
    pk=_ID,
)
_CLOCKS = CompiledRead(
    lambda *, pk: SlaClock.objects.filter(complaint_id=pk).order_by("-started_at", "-id"),
    model=SlaClock,
    pk=_ID,
)
_RECOVERY = CompiledRead(
    lambda *, pk: RecoveryAction.objects.filter(complaint_id=pk).select_related(
        "created_by", "approver"
    ),
    model=RecoveryAction,
    pk=_ID,
)
_TICKS = CompiledRead(
    lambda *, pk: StepTick.objects.filter(complaint_id=pk).values_list("step_id", "at"),
    model=StepTick,
    pk=_ID,
)
_APPEALS = CompiledRead(
    lambda *, pk: RegulatorAppeal.objects.filter(complaint_id=pk),
    model=RegulatorAppeal,
    pk=_ID,
)
#: The book shows the last 20 attempts (the model's order: newest first).
_ATTEMPTS = CompiledRead(
    lambda *, pk: ContactAttempt.objects.filter(complaint_id=pk).select_related("by")[:20],
    model=ContactAttempt,
    pk=_ID,
)


def shown_ticket(number: str) -> Complaint | None:
    """The ticket numbered ``number`` with its :data:`JOINED` rows, or None."""
    found = _TICKET.objects(number=number)
    return found[0] if found else None


def _known(rows: list[Any], ticket: Complaint) -> list[Any]:
    """The ticket set on its rows, as its related manager's read would (no read again)."""
    for row in rows:
        row.complaint = ticket
    return rows


def events_of(ticket: Complaint) -> list[ComplaintEvent]:
    return _known(_EVENTS.objects(pk=ticket.pk), ticket)


def clocks_of(ticket: Complaint) -> list[SlaClock]:
    return _known(_CLOCKS.objects(pk=ticket.pk), ticket)


def recovery_of(ticket: Complaint) -> list[RecoveryAction]:
    return _known(_RECOVERY.objects(pk=ticket.pk), ticket)


def ticks_of(ticket: Complaint) -> dict[int, dt.datetime]:
    """Step id → when it was done on this ticket."""
    return dict(_TICKS.rows(pk=ticket.pk))


def appeals_of(ticket: Complaint) -> list[RegulatorAppeal]:
    return _known(_APPEALS.objects(pk=ticket.pk), ticket)


def attempts_of(ticket: Complaint) -> list[ContactAttempt]:
    return _known(_ATTEMPTS.objects(pk=ticket.pk), ticket)

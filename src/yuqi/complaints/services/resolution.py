"""Resolving a ticket: the agreement, recovery actions and their approval, the callback,
the confirmed complainer type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from yuqi.complaints import book, events, outbound
from yuqi.complaints.choices import (
    ComplainerType,
    ComplaintState,
    RecoveryKind,
    RecoveryStatus,
)
from yuqi.complaints.models import (
    Complaint,
    RecoveryAction,
)
from yuqi.complaints.services._common import _require_open, _save, _tier_and_vip, state_label
from yuqi.complaints.services._locking import ConflictError, _claim, _current, _user_id
from yuqi.complaints.services.lifecycle import _move
from yuqi.core.clock import now
from yuqi.core.errors import DomainError

#: Compensation up to this amount (yuan) needs no approval; above it a second person holding
#: ``complaints.approve_compensation`` approves (four eyes). Override with the Django setting
#: ``YUQI_COMPENSATION_LIMIT``.
DEFAULT_COMPENSATION_LIMIT = Decimal("200")


def compensation_limit() -> Decimal:
    """The amount a handler may grant without a second person's approval."""
    return Decimal(str(getattr(settings, "YUQI_COMPENSATION_LIMIT", DEFAULT_COMPENSATION_LIMIT)))


@transaction.atomic
def complaint_record_agreement(
    *,
    complaint: Complaint,
    by: Any,
    expected_version: int,
    solution: str = "",
    accepted: bool | None = None,
    shelved_need: str = "",
    forwarded_department: str = "",
    promised_answer_at: dt.datetime | None = None,
    above_standard: bool = False,
) -> Complaint:
    """Record the agreement ([seed-003]): a solution and whether the customer accepted it, or a
    need shelved and forwarded to a department with a promised answer date. The promise goes
    into the ledger as a ``department_reply`` commitment (the commitments guard runs there).

    ``above_standard``: the handler says the solution goes beyond the service standard. On a
    by-the-book ticket (越级投诉, 监管申诉: "不额外提高服务标准") it then waits for approval as a
    recovery action flagged ``above_standard`` (the ticket cannot be resolved meanwhile)."""
    locked = _claim(complaint, expected_version)
    _require_open(locked)
    shelved = bool(shelved_need.strip())
    if not solution.strip() and not shelved:
        raise DomainError(_("Record the solution or the shelved need."), field="solution")
    if shelved and not forwarded_department.strip():
        raise DomainError(
            _("Name the department the need is forwarded to."), field="forwarded_department"
        )
    if shelved and promised_answer_at is None:
        raise DomainError(_("Give the promised answer date."), field="promised_answer_at")
    if promised_answer_at is not None and promised_answer_at <= now():
        raise DomainError(
            _("The promised answer date must be in the future."), field="promised_answer_at"
        )
    locked.agreement_solution = solution
    locked.agreement_accepted = accepted
    locked.shelved_need = shelved_need
    locked.forwarded_department = forwarded_department
    locked.promised_answer_at = promised_answer_at
    fields = [
        "agreement_solution",
        "agreement_accepted",
        "shelved_need",
        "forwarded_department",
        "promised_answer_at",
    ]
    if accepted or shelved:
        locked.chk_solution_agreed = True
        fields.append("chk_solution_agreed")
    if shelved:
        line = outbound.commitment_record(
            customer_id=locked.customer_id,
            kind="department_reply",
            text=shelved_need,
            promised_by_id=_user_id(by),
            due_at=promised_answer_at,
            complaint_id=locked.pk,
            department=forwarded_department,
        )
        locked.agreement_commitment_id = getattr(line, "id", None)
        fields.append("agreement_commitment_id")
    if above_standard and book.by_the_book(locked):
        flagged = RecoveryAction.objects.create(
            complaint=locked,
            kind=RecoveryKind.OTHER,
            note=solution or shelved_need,
            status=RecoveryStatus.PENDING,
            flags=["above_standard"],
            created_by=by,
            created_at=now(),
        )
        events.recovery_added_event(
            complaint=locked,
            action_id=flagged.pk,
            kind=flagged.kind,
            amount=None,
            status=flagged.status,
            by=by,
        )
    _save(locked, fields)
    events.agreement_recorded_event(
        complaint=locked,
        accepted=accepted,
        shelved=shelved,
        department=forwarded_department,
        promised_answer_at=promised_answer_at,
        commitment_id=locked.agreement_commitment_id if shelved else None,
        by=by,
    )
    return locked


@transaction.atomic
def complaint_add_recovery(
    *,
    complaint: Complaint,
    kind: str,
    by: Any,
    expected_version: int,
    amount: Decimal | None = None,
    cost: Decimal | None = None,
    note: str = "",
) -> RecoveryAction:
    """Add a service recovery action. Compensation or a fee waiver above the handler's
    authority (:func:`compensation_limit`) waits for a second person's approval
    (:func:`complaint_approve_recovery`); the ticket cannot be resolved meanwhile."""
    if kind not in RecoveryKind.values:
        raise DomainError(_("Unknown recovery kind."), field="kind")
    for name, value in (("amount", amount), ("cost", cost)):
        if value is not None and value < 0:
            raise DomainError(_("Amounts cannot be negative."), field=name)
    if kind == RecoveryKind.COMPENSATION and amount is None:
        raise DomainError(_("Give the compensation amount."), field="amount")
    locked = _claim(complaint, expected_version)
    _require_open(locked)
    over_authority = (
        kind in (RecoveryKind.COMPENSATION, RecoveryKind.FEE_WAIVER)
        and amount is not None
        and amount > compensation_limit()
    )
    tier_code, _vip = _tier_and_vip(locked.customer_id)
    flags = ["over_authority"] if over_authority else []
    flags += book.recovery_flags(complaint=locked, kind=kind, amount=amount, tier_code=tier_code)
    needs_approval = bool(flags)
    action = RecoveryAction.objects.create(
        flags=flags,
        complaint=locked,
        kind=kind,
        amount=amount,
        cost=cost if cost is not None else amount,
        note=note,
        status=RecoveryStatus.PENDING if needs_approval else RecoveryStatus.APPROVED,
        created_by=by,
        created_at=now(),
    )
    _save(locked, [])
    events.recovery_added_event(
        complaint=locked,
        action_id=action.pk,
        kind=kind,
        amount=None if amount is None else str(amount),
        status=action.status,
        by=by,
    )
    return action


@transaction.atomic
def complaint_approve_recovery(
    *, action: RecoveryAction, by: Any, approve: bool = True, note: str = ""
) -> RecoveryAction:
    """Approve (or reject) compensation awaiting approval. Four eyes: the approver holds
    ``complaints.approve_compensation`` and is not the person who proposed it. Bumps the
    ticket's version (its facts changed) without requiring the caller's version."""
    if by is None or not by.has_perm("complaints.approve_compensation"):
        raise DomainError(_("You may not approve compensation."), code="forbidden")
    if action.created_by_id == by.pk:
        raise DomainError(_("Someone other than the proposer must approve it."), field="approver")
    status = RecoveryStatus.APPROVED if approve else RecoveryStatus.REJECTED
    decided = RecoveryAction.objects.filter(pk=action.pk, status=RecoveryStatus.PENDING).update(
        status=status, approver=by, decided_at=now()
    )
    if decided != 1:
        raise ConflictError(_("This recovery action was already decided."))
    locked = _current(action.complaint_id)
    _save(locked, [])
    events.recovery_decided_event(
        complaint=locked, action_id=action.pk, status=status, note=note, by=by
    )
    action.refresh_from_db()
    return action


@transaction.atomic
def complaint_record_callback(
    *,
    complaint: Complaint,
    by: Any,
    expected_version: int,
    solved: bool,
    expectation_met: bool,
    attitude_ok: bool,
    note: str = "",
    at: dt.datetime | None = None,
) -> Complaint:
    """Record the callback after resolution ([seed-001]): 对事 — solved? expectation met? — and
    对人 — did the attitude feel good? All yes: the ticket moves to *callback done*; any no:
    back into *service recovery* (explore → propose → execute → confirm)."""
    locked = _claim(complaint, expected_version)
    if locked.state != ComplaintState.RESOLVED:
        raise DomainError(
            _("A callback is recorded on a resolved complaint (this one is %(state)s).")
            % {"state": state_label(locked.state)},
            field="state",
        )
    moment = at or now()
    locked.callback_solved = solved
    locked.callback_expectation_met = expectation_met
    locked.callback_attitude_ok = attitude_ok
    locked.callback_note = note
    locked.callback_at = moment
    locked.save(
        update_fields=[
            "callback_solved",
            "callback_expectation_met",
            "callback_attitude_ok",
            "callback_note",
            "callback_at",
        ]
    )
    events.callback_recorded_event(
        complaint=locked,
        solved=solved,
        expectation_met=expectation_met,
        attitude_ok=attitude_ok,
        by=by,
    )
    satisfied = solved and expectation_met and attitude_ok
    target = ComplaintState.CALLBACK_DONE if satisfied else ComplaintState.RECOVERY
    return _move(locked, target, by=by, note=note, at=moment)


@transaction.atomic
def complaint_confirm_type(
    *, complaint: Complaint, complainer_type: str, by: Any, expected_version: int
) -> Complaint:
    """The handler confirms (or corrects) the suggested complainer type."""
    if complainer_type not in ComplainerType.values:
        raise DomainError(_("Unknown complainer type."), field="complainer_type")
    locked = _claim(complaint, expected_version)
    _require_open(locked)  # a closed ticket's type is history
    locked.complainer_type = complainer_type
    _save(locked, ["complainer_type"])
    events.type_confirmed_event(
        complaint=locked,
        complainer_type=complainer_type,
        suggested=locked.complainer_type_suggested,
        by=by,
    )
    book.book_apply(complaint=locked, by=by, cause="type_confirmed")
    return locked

"""Every write to the promise ledger goes through here.

Rules kept here (not in views, forms or the API):

* :func:`commitment_record` runs the guard (:mod:`yuqi.domain.promise_guard`). A flagged promise
  is recorded with approval *pending*, so nothing said to the customer is lost, but the customer
  is told (notification ``commitment_made``) only once a supervisor approves it.
* An approver may not approve their own promise, and the amount must be within the approver's
  own authority.
* Fulfilling needs evidence. A broken promise can still be fulfilled late (it stays counted as
  not kept on time). Renegotiating needs a reason and a later due time; the customer is told.
  Neither is possible while the promise awaits approval, nor after it was rejected or lapsed
  (its due time passed unapproved: it is broken, and its approval closed as ``lapsed``).
* Each step of a promise made on a complaint sends ``commitment_changed`` and a broken promise
  sends ``commitment_broken`` (:mod:`yuqi.commitments.signals`); complaints listens, writing its
  timeline and rescoring the customer's escalation risk. The ledger never imports complaints.
* Notifications and other contexts are called after the ledger row is saved; the sweeps claim
  each row with a conditional ``UPDATE`` so a second run (or a second worker) sends nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext as _

from yuqi.commitments import events, links, ports, selectors, signals
from yuqi.commitments.choices import (
    LIVE_STATUSES,
    TOLD_STATES,
    ApprovalState,
    CommitmentKind,
    CommitmentStatus,
)
from yuqi.commitments.models import Commitment
from yuqi.core import clock
from yuqi.core.errors import DomainError
from yuqi.domain.calendar import BusinessCalendar
from yuqi.domain.promise_guard import GuardResult, Proposal, check_promise, reminder_time

log = logging.getLogger(__name__)

MAX_TEXT = 2000


@dataclass(frozen=True)
class GuardCheck:
    """The guard's answer for a proposed promise, with what the form needs to show it."""

    result: GuardResult
    calendar: BusinessCalendar
    assumed_years: tuple[int, ...]
    tier_code: str | None

    @property
    def calendar_name(self) -> str:
        return self.calendar.name

    @property
    def due(self) -> datetime | None:
        return self.result.due

    @property
    def flags(self) -> list[dict]:
        return [{"code": f.code, "params": dict(f.params)} for f in self.result.flags]


# --------------------------------------------------------------------- guard
def commitment_check(
    *,
    customer_id: int,
    kind: str,
    promised_by_id: int,
    promised_at: datetime,
    due_at: datetime | None = None,
    amount: Decimal | None = None,
    perk: str = "",
    calendar_name: str = "",
) -> GuardCheck:
    """Run the guard without saving (the form's live preview, and the first step of record)."""
    if kind not in CommitmentKind.values:
        raise DomainError(_("Unknown kind of promise %(kind)s.") % {"kind": kind}, field="kind")
    customer = ports.customer_ref(customer_id)
    if customer is None:
        raise DomainError(_("No such customer."), field="customer")
    perks = selectors.perk_rules()
    if perk and perk not in perks:
        raise DomainError(_("Unknown perk %(perk)s.") % {"perk": perk}, field="perk")
    if amount is not None and amount < 0:
        raise DomainError(_("An amount cannot be negative."), field="amount")
    calendar = ports.calendar(calendar_name, team_id=selectors.team_of(promised_by_id))
    result = check_promise(
        Proposal(kind=kind, start=promised_at, due=due_at, amount=amount, perk=perk),
        standard=selectors.standard_for(kind, customer.tier_code),
        authority=selectors.authority_for(promised_by_id),
        tier_rank=customer.tier_rank,
        perks=perks,
        calendar=calendar,
    )
    assumed = ()
    if result.due is not None:
        assumed = tuple(sorted(calendar.years_without_holiday_data(promised_at, result.due)))
    return GuardCheck(result, calendar, assumed, customer.tier_code)


def _remind_at(calendar: BusinessCalendar, start: datetime, due: datetime) -> datetime:
    """``min(lead, fraction × window)`` of business time before due; the lead and fraction
    are settings (``COMMITMENT_REMINDER_LEAD``, a timedelta, default 2 business hours;
    ``COMMITMENT_REMINDER_FRACTION``, default 0.25)."""
    lead = getattr(settings, "COMMITMENT_REMINDER_LEAD", timedelta(hours=2))
    fraction = getattr(settings, "COMMITMENT_REMINDER_FRACTION", 0.25)
    return reminder_time(calendar, start=start, due=due, lead=lead, fraction=fraction)


# -------------------------------------------------------------------- record
def commitment_record(
    *,
    customer_id: int,
    kind: str,
    text: str,
    promised_by_id: int,
    due_at: datetime | None = None,
    complaint_id: int | None = None,
    interaction_id: int | None = None,
    department: str = "",
    amount: Decimal | None = None,
    perk: str = "",
    calendar_name: str = "",
    promised_at: datetime | None = None,
    notify: bool = True,
) -> Commitment:
    """Record a promise; ``due_at`` None takes the suggested due (standard + buffer).

    ``promised_at`` defaults to now (the demo passes past times); ``notify=False`` records
    without telling anyone (demo data).
    """
    at = promised_at or clock.now()
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Say what was promised."), field="text")
    if len(text) > MAX_TEXT:
        raise DomainError(_("The promise text is too long."), field="text")
    check = commitment_check(
        customer_id=customer_id,
        kind=kind,
        promised_by_id=promised_by_id,
        promised_at=at,
        due_at=due_at,
        amount=amount,
        perk=perk,
        calendar_name=calendar_name,
    )
    due = check.due
    if due is None:
        message = _("There is no service standard for this kind: give a due time.")
        raise DomainError(message, field="due_at")
    if due <= at:
        raise DomainError(_("The due time must be after the promise is made."), field="due_at")
    _check_links(customer_id, complaint_id, interaction_id)
    flagged = check.result.needs_approval
    with transaction.atomic():
        commitment = Commitment.objects.create(
            customer_id=customer_id,
            kind=kind,
            text=text,
            amount=amount,
            department=department.strip(),
            perk=perk,
            promised_by_id=promised_by_id,
            promised_at=at,
            due_at=due,
            calendar_name=check.calendar_name,
            assumed_years=list(check.assumed_years),
            complaint_id=complaint_id,
            interaction_id=interaction_id,
            flags=check.flags,
            approval_state=ApprovalState.PENDING if flagged else ApprovalState.NOT_NEEDED,
            remind_at=_remind_at(check.calendar, at, due),
        )
        events.made_event(commitment=commitment, at=at, by_id=promised_by_id)
        _tell_complaint(commitment, "made", by_id=promised_by_id)
    if notify and not flagged:
        _tell_customer(commitment, "commitment_made")
    return commitment


def _check_links(customer_id: int, complaint_id: int | None, interaction_id: int | None) -> None:
    """A promise may point only at the same customer's complaint and contact."""
    if complaint_id is not None:
        ticket = links.complaint_refs([complaint_id]).get(complaint_id)
        if ticket is None or ticket.customer_id != customer_id:
            raise DomainError(_("No such complaint for this customer."), field="complaint_id")
    if interaction_id is not None and not selectors.interaction_of_customer(
        interaction_id, customer_id
    ):
        raise DomainError(_("No such contact for this customer."), field="interaction_id")


# ------------------------------------------------------------------ approval
def _locked(commitment_id: int) -> Commitment:
    try:
        return Commitment.objects.select_for_update().get(pk=commitment_id)
    except Commitment.DoesNotExist:
        raise DomainError(_("No such promise."), code="not_found") from None


def _require_pending(commitment: Commitment) -> None:
    if commitment.approval_state != ApprovalState.PENDING or not commitment.is_live:
        raise DomainError(_("This promise is not awaiting approval."), code="conflict")


def _require_approved(commitment: Commitment) -> None:
    """Keeping or changing a promise needs it approved (or never flagged): a promise above the
    promiser's authority must not be marked kept, or moved, behind the approver's back, and
    then could no longer be approved (security review F-6)."""
    if commitment.approval_state == ApprovalState.PENDING:
        raise DomainError(
            _(
                "This promise awaits a supervisor's approval; "
                "it can be kept or changed once approved."
            ),
            code="conflict",
        )
    if commitment.approval_state not in TOLD_STATES:
        raise DomainError(
            _("This promise was not approved (%(state)s); record a new one instead.")
            % {"state": commitment.get_approval_state_display()},
            code="conflict",
        )


def commitment_approve(
    *,
    commitment_id: int,
    by_id: int,
    note: str = "",
    at: datetime | None = None,
    notify: bool = True,
) -> Commitment:
    """A supervisor accepts a flagged promise; now the customer is told."""
    at = at or clock.now()
    with transaction.atomic():
        commitment = _locked(commitment_id)
        _require_pending(commitment)
        if commitment.promised_by_id == by_id:
            raise DomainError(_("A promise cannot be approved by the person who made it."))
        if not selectors.authority_covers(by_id, commitment.amount):
            raise DomainError(
                _("The amount is beyond your own authority; ask someone with a higher limit."),
                field="amount",
            )
        commitment.approval_state = ApprovalState.APPROVED
        commitment.approved_by_id = by_id
        commitment.approved_at = at
        commitment.save(
            update_fields=["approval_state", "approved_by", "approved_at", "updated_at"]
        )
        events.approved_event(commitment=commitment, at=at, by_id=by_id, note=note.strip())
        _tell_complaint(commitment, "approved", by_id=by_id)
    if notify:
        _tell_customer(commitment, "commitment_made")
    return commitment


def commitment_reject(
    *,
    commitment_id: int,
    by_id: int,
    reason: str,
    at: datetime | None = None,
    notify: bool = True,
) -> Commitment:
    """A supervisor refuses a flagged promise: it is cancelled; the promiser must agree a
    compliant one with the customer (the customer was never told of this one)."""
    at = at or clock.now()
    reason = _required_reason(reason)
    with transaction.atomic():
        commitment = _locked(commitment_id)
        _require_pending(commitment)
        commitment.approval_state = ApprovalState.REJECTED
        commitment.approved_by_id = by_id
        commitment.approved_at = at
        commitment.status = CommitmentStatus.CANCELLED
        commitment.save(
            update_fields=["approval_state", "approved_by", "approved_at", "status", "updated_at"]
        )
        events.rejected_event(commitment=commitment, at=at, by_id=by_id, reason=reason)
        _tell_complaint(commitment, "rejected", by_id=by_id, reason=reason)
    if not notify:
        return commitment
    ports.notify_users(
        user_ids=[commitment.promised_by_id],
        template="commitment_rejected",
        context=_notice_context(commitment, reason=reason),
        subject=_subject(commitment),
    )
    return commitment


# -------------------------------------------------------------- status moves
def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), field="reason")
    return reason


def commitment_fulfil(
    *,
    commitment_id: int,
    by_id: int | None,
    evidence: str,
    evidence_file: str = "",
    at: datetime | None = None,
) -> Commitment:
    """Mark a promise kept, with evidence. ``at`` may be in the past (demo data, late entry)."""
    at = at or clock.now()
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError(_("Describe the evidence that the promise was kept."), field="evidence")
    with transaction.atomic():
        commitment = _locked(commitment_id)
        if not (commitment.is_live or commitment.status == CommitmentStatus.BROKEN):
            raise DomainError(
                _("A %(status)s promise cannot be fulfilled.")
                % {"status": commitment.get_status_display()},
                code="conflict",
            )
        _require_approved(commitment)
        if at < commitment.promised_at:
            raise DomainError(_("A promise cannot be kept before it was made."), field="at")
        commitment.status = CommitmentStatus.FULFILLED
        commitment.fulfilled_at = at
        commitment.evidence = evidence
        commitment.evidence_file = evidence_file.strip()[:255]
        commitment.save(
            update_fields=["status", "fulfilled_at", "evidence", "evidence_file", "updated_at"]
        )
        events.fulfilled_event(
            commitment=commitment,
            at=at,
            by_id=by_id,
            evidence=evidence,
            evidence_file=commitment.evidence_file,
        )
        _tell_complaint(commitment, "fulfilled", by_id=by_id, on_time=at <= commitment.due_at)
    return commitment


def commitment_renegotiate(
    *,
    commitment_id: int,
    by_id: int,
    due_at: datetime,
    reason: str,
    at: datetime | None = None,
    notify: bool = True,
) -> Commitment:
    """Agree a new due time with the customer; the old one stays in the ledger."""
    at = at or clock.now()
    reason = _required_reason(reason)
    if due_at <= at:
        raise DomainError(_("The new due time must be in the future."), field="due_at")
    with transaction.atomic():
        commitment = _locked(commitment_id)
        if not commitment.is_live:
            raise DomainError(
                _("Only an open promise can be renegotiated; record a new one instead."),
                code="conflict",
            )
        _require_approved(commitment)
        old_due = commitment.due_at
        calendar = ports.calendar(commitment.calendar_name)
        commitment.due_at = due_at
        commitment.status = CommitmentStatus.RENEGOTIATED
        commitment.remind_at = _remind_at(calendar, at, due_at)
        commitment.reminder_sent_at = None
        commitment.assumed_years = sorted(calendar.years_without_holiday_data(at, due_at))
        commitment.save(
            update_fields=[
                "due_at",
                "status",
                "remind_at",
                "reminder_sent_at",
                "assumed_years",
                "updated_at",
            ]
        )
        events.renegotiated_event(
            commitment=commitment,
            at=at,
            by_id=by_id,
            old_due=old_due,
            new_due=due_at,
            reason=reason,
        )
        _tell_complaint(
            commitment, "renegotiated", by_id=by_id, old_due=old_due.astimezone(UTC).isoformat()
        )
    if notify and commitment.approval_state in TOLD_STATES:
        _tell_customer(commitment, "commitment_changed", old_due=old_due, reason=reason)
    return commitment


def commitment_cancel(
    *, commitment_id: int, by_id: int, reason: str, at: datetime | None = None
) -> Commitment:
    """Withdraw a promise (e.g. the customer no longer wants it); not counted as broken."""
    at = at or clock.now()
    reason = _required_reason(reason)
    with transaction.atomic():
        commitment = _locked(commitment_id)
        if not commitment.is_live:
            raise DomainError(_("Only an open promise can be cancelled."), code="conflict")
        commitment.status = CommitmentStatus.CANCELLED
        if commitment.approval_state == ApprovalState.PENDING:  # nothing left to approve
            commitment.approval_state = ApprovalState.LAPSED
        commitment.save(update_fields=["status", "approval_state", "updated_at"])
        events.cancelled_event(commitment=commitment, at=at, by_id=by_id, reason=reason)
        _tell_complaint(commitment, "cancelled", by_id=by_id, reason=reason)
    return commitment


def commitment_mark_broken(
    *,
    commitment_id: int,
    by_id: int | None = None,
    reason: str = "",
    at: datetime | None = None,
    notify: bool = True,
) -> Commitment | None:
    """Record that a live promise was broken; None if someone else already moved it.

    Claimed with a conditional ``UPDATE`` (status still live), so the sweep and a person
    doing it at the same moment produce one ``broken`` event, one alert, one risk refresh.

    A promise still awaiting approval when it is broken (its due time passed first) counts as
    broken like any other: the promiser made it to the customer, and letting it lapse must not
    hide it from the broken-promise figures. Its approval is closed as ``lapsed``: nobody can
    approve it any more, nor mark it kept; the promiser records a new, compliant promise.
    """
    at = at or clock.now()
    with transaction.atomic():
        claimed = Commitment.objects.filter(pk=commitment_id, status__in=LIVE_STATUSES).update(
            status=CommitmentStatus.BROKEN,
            broken_at=at,
            updated_at=clock.now(),
            approval_state=Case(
                When(approval_state=ApprovalState.PENDING, then=Value(ApprovalState.LAPSED)),
                default=F("approval_state"),
            ),
        )
        if claimed != 1:
            return None
        commitment = Commitment.objects.get(pk=commitment_id)
        if commitment.approval_state == ApprovalState.LAPSED:
            lapsed = _("It was still awaiting approval.")
            reason = f"{reason} {lapsed}" if reason else lapsed
        events.broken_event(commitment=commitment, at=at, by_id=by_id, reason=reason)
        _tell_complaint(commitment, "broken", by_id=by_id)
    signals.commitment_broken.send(
        sender=Commitment, commitment_id=commitment.pk, customer_id=commitment.customer_id
    )
    if notify:
        ports.notify_users(
            user_ids=[commitment.promised_by_id, *selectors.supervisor_ids()],
            template="commitment_broken",
            context=_notice_context(commitment, reason=reason),
            subject=_subject(commitment),
        )
    return commitment


# -------------------------------------------------------------------- sweeps
SWEEP_BATCH = 500


def commitments_remind_due(*, at: datetime | None = None) -> int:
    """Remind promisers of live promises whose reminder time has come; return how many.

    Each row is claimed by setting ``reminder_sent_at`` only where it is still empty, so a
    second run, a restart or a second worker sends nothing twice (at most once: a crash
    between the claim and the send loses that one reminder rather than repeating it).
    """
    at = at or clock.now()
    due = Commitment.objects.filter(
        status__in=LIVE_STATUSES,
        remind_at__lte=at,
        due_at__gt=at,
        reminder_sent_at__isnull=True,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due[:SWEEP_BATCH]):
        if commitment_remind(commitment_id=pk, at=at):
            sent += 1
    return sent


def commitment_remind(*, commitment_id: int, at: datetime | None = None) -> bool:
    """Send the reminder for one promise if nobody has; True if this call sent it."""
    at = at or clock.now()
    with transaction.atomic():
        claimed = Commitment.objects.filter(
            pk=commitment_id, status__in=LIVE_STATUSES, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=at)
        if claimed != 1:
            return False
        commitment = Commitment.objects.get(pk=commitment_id)
        events.reminded_event(
            commitment=commitment, at=at, recipient_ids=[commitment.promised_by_id]
        )
    ports.notify_users(
        user_ids=[commitment.promised_by_id],
        template="commitment_reminder",
        context=_notice_context(commitment),
        subject=_subject(commitment),
    )
    return True


def commitments_break_overdue(*, at: datetime | None = None) -> int:
    """Mark every live promise past its due time broken (alert, risk refresh); return how many."""
    at = at or clock.now()
    overdue = Commitment.objects.filter(status__in=LIVE_STATUSES, due_at__lt=at).values_list(
        "pk", flat=True
    )
    broken = 0
    for pk in list(overdue[:SWEEP_BATCH]):
        reason = _("Not kept by its due time.")
        if commitment_mark_broken(commitment_id=pk, reason=reason, at=at) is not None:
            broken += 1
    return broken


def commitments_recheck_assumed_years() -> int:
    """After a calendar change: refresh the "provisional" flag of live promises whose due time
    was computed without holiday data (the due time itself stays: it was promised)."""
    changed = 0
    rows = Commitment.objects.filter(status__in=LIVE_STATUSES).exclude(assumed_years=[])
    for row in rows.only("pk", "calendar_name", "promised_at", "due_at", "assumed_years"):
        years = sorted(
            ports.calendar(row.calendar_name).years_without_holiday_data(
                row.promised_at, row.due_at
            )
        )
        if years != list(row.assumed_years):
            Commitment.objects.filter(pk=row.pk).update(assumed_years=years)
            changed += 1
    return changed


# ------------------------------------------------------------------- helpers
def _subject(commitment: Commitment) -> str:
    return f"commitment:{commitment.pk}"


def _notice_context(commitment: Commitment, **extra: object) -> dict:
    """What the notification templates use (``templates/notifications/commitment_*.txt``):
    plain values and aware datetimes, rendered in the reader's language and time zone by the
    notifications context."""
    customer = ports.customer_ref(commitment.customer_id)
    return {
        "commitment_id": commitment.pk,
        "kind": commitment.kind,
        "kind_label": str(commitment.get_kind_display()),
        "text": commitment.text,
        "amount": None if commitment.amount is None else str(commitment.amount),
        "department": commitment.department,
        "due": commitment.due_at,
        "new_due": commitment.due_at,
        "customer_id": commitment.customer_id,
        "customer_name": customer.name if customer else "",
        "complaint_id": commitment.complaint_id,
        **extra,
    }


def _tell_customer(commitment: Commitment, template: str, **extra: object) -> None:
    ports.notify_customer(
        customer_id=commitment.customer_id,
        template=template,
        context=_notice_context(commitment, **extra),
        subject=_subject(commitment),
    )


def _tell_complaint(
    commitment: Commitment, action: str, *, by_id: int | None, **extra: object
) -> None:
    if commitment.complaint_id is None:
        return
    parameters = {
        "action": action,
        "commitment_id": commitment.pk,
        "kind": commitment.kind,
        "due": commitment.due_at.astimezone(UTC).isoformat(),
        "status": commitment.status,
        **extra,
    }
    signals.commitment_changed.send(
        sender=Commitment,
        complaint_id=commitment.complaint_id,
        parameters=parameters,
        by_id=by_id,
    )

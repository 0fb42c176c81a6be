"""Complaints handled by the book: every write of the playbooks, contact clock,
high-risk handling, regulator appeals, retention callbacks and suggestions/praise.

* **Playbooks** apply by the ticket's level and complainer type (the confirmed one, else the
  suggestion). :func:`book_apply` runs when a ticket opens, its level rises, its type is
  confirmed or it reopens; a change of playbooks is written on the timeline with what changed.
* **Contact clock**: the strictest ``contact_every_hours`` of the applied playbooks, counted in
  business hours on the team's calendar; every logged attempt (reached or not) restarts it. Its
  due and warn times are indexed columns swept by :func:`book_alerts_sweep` (the owner is
  warned before it lapses, the supervisors when it has). A year without holiday data is
  flagged (``contact_assumed_years``) as the SLA clocks flag it.
* **High risk**: ``risk_score ≥`` :func:`high_risk_threshold` alerts the supervisors once per
  ticket (claimed with a conditional UPDATE). An activist ticket (``pr_legal_notice``)
  records a PR/legal notice and cannot be resolved before a senior owner is named.
* **By the book**: on a ticket whose playbook says ``by_the_book`` (越级投诉, 监管申诉), a
  compensation or fee waiver above the service standard's money limit, or an agreement the
  handler marks as above the standard, waits for approval as a recovery action does (the same
  four-eyes approval, the same inbox).
* **Regulator appeals**: statutory dates from :mod:`yuqi.domain.regulator`; they never pause.
* **Retention callback**: a passive complainer's ticket gets one after closing.
* **Suggestions and praise**: recorded, routed to an owner, the customer thanked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from yuqi.complaints import config_kept, events, outbound, ticket_reads
from yuqi.complaints.choices import ComplaintState, RecoveryKind
from yuqi.complaints.choices_book import (
    AppealBody,
    ContactChannel,
    DisputeKind,
    FeedbackKind,
    FeedbackSource,
    RetentionOutcome,
)
from yuqi.complaints.models import (
    Complaint,
    ContactAttempt,
    Feedback,
    Playbook,
    PlaybookStep,
    RegulatorAppeal,
    RetentionCallback,
    StepTick,
    TicketBook,
)
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain import regulator

#: Default risk score from which a ticket is "high risk" (setting ``YUQI_HIGH_RISK_THRESHOLD``).
DEFAULT_HIGH_RISK_THRESHOLD = 60
#: Share of the contact cadence after which the owner is warned.
CONTACT_WARN_FRACTION = 0.75
MAX_NOTE = 2000
MAX_FEEDBACK = 4000
SENIOR_ROLES = ("supervisor", "manager")
SUPERVISOR_ROLE = "supervisor"


def high_risk_threshold() -> int:
    """Risk score from which a ticket counts as high risk (the queue filter reads it too)."""
    return int(getattr(settings, "YUQI_HIGH_RISK_THRESHOLD", DEFAULT_HIGH_RISK_THRESHOLD))


# ------------------------------------------------------------------ playbooks
def effective_type(complaint: Complaint) -> str:
    return complaint.complainer_type or complaint.complainer_type_suggested or ""


def playbooks_for(complaint: Complaint) -> list[Playbook]:
    """The active playbooks of the ticket's level and complainer type (level first)."""
    kind = effective_type(complaint)
    rows = Playbook.objects.filter(active=True).filter(
        Q(level_id=complaint.level_id) | (Q(complainer_type=kind) if kind else Q(pk__in=[]))
    )
    return sorted(rows.prefetch_related("steps"), key=lambda p: (p.scope != "level", p.code))


def playbooks_with_ticks(
    complaint: Complaint,
) -> tuple[list[config_kept.Playbook], dict[int, dt.datetime]]:
    """:func:`playbooks_for` for the ticket page, as kept under the configuration's version
    (:mod:`yuqi.complaints.config_kept`), and when each of their steps was done on this
    ticket (step id → time; one read of two columns, none when the playbooks have no step)."""
    found = config_kept.playbooks_of(
        level_id=complaint.level_id, complainer_type=effective_type(complaint)
    )
    if not any(p.steps for p in found):
        return found, {}
    return found, ticket_reads.ticks_of(complaint)


def _book(complaint: Complaint) -> TicketBook:
    book, _created = TicketBook.objects.get_or_create(complaint=complaint)
    return book


def _cadence(playbooks: list[Playbook]) -> int | None:
    hours = [p.contact_every_hours for p in playbooks if p.contact_every_hours]
    return min(hours) if hours else None


def book_apply(*, complaint: Complaint, by: Any, at: dt.datetime | None = None, cause: str) -> bool:
    """Apply the playbooks of the ticket's current level and type; returns True if they
    changed (an event says which were added and removed and how the cadence changed)."""
    moment = at or now()
    book = _book(complaint)
    playbooks = playbooks_for(complaint)
    codes = [p.code for p in playbooks]
    before = list(book.playbooks or [])
    cadence = _cadence(playbooks) if complaint.is_open else None
    changed = codes != before
    if changed and cause != "opened":  # at opening nothing "changed"
        events.external_event(
            complaint_id=complaint.pk,
            kind="playbook_switched",
            parameters={
                "added": [c for c in codes if c not in before],
                "removed": [c for c in before if c not in codes],
                "cause": cause,
                "contact_before": book.contact_every_hours,
                "contact_after": cadence,
            },
            by_id=_uid(by),
        )
    book.playbooks = codes
    if cadence != book.contact_every_hours or (cadence and book.contact_due_at is None):
        book.contact_every_hours = cadence
        _restart_contact(book, complaint, moment)
    if any(p.pr_legal_notice for p in playbooks) and book.pr_notice_at is None:
        book.pr_notice_at = moment
        recipients = outbound_supervisors(complaint)
        events.external_event(
            complaint_id=complaint.pk,
            kind="pr_legal_notice",
            parameters={"recipients": recipients, "type": effective_type(complaint)},
            by_id=_uid(by),
        )
        _tell_staff(complaint, recipients, "pr_legal_notice")
    book.save()
    return changed


def _uid(user: Any) -> int | None:
    return None if user is None else getattr(user, "pk", None)


def _restart_contact(book: TicketBook, complaint: Complaint, at: dt.datetime) -> None:
    """Start the contact clock again at ``at`` (or clear it when no playbook asks)."""
    book.contact_warned_at = book.contact_lapse_alerted_at = None
    if not book.contact_every_hours or not complaint.is_open:
        book.contact_restarted_at = book.contact_due_at = book.contact_warn_at = None
        book.contact_assumed_years = []
        return
    calendar = outbound.calendar_for(team_id=complaint.team_id)
    span = dt.timedelta(hours=book.contact_every_hours)
    book.contact_restarted_at = at
    book.contact_due_at = calendar.add_business_time(at, span)
    book.contact_warn_at = calendar.add_business_time(at, span * CONTACT_WARN_FRACTION)
    book.contact_assumed_years = sorted(
        calendar.years_without_holiday_data(at, book.contact_due_at)
    )


def book_on_closed(*, complaint: Complaint, by: Any, at: dt.datetime) -> None:
    """A ticket closed: stop the contact clock; a passive complainer's ticket gets its
    retention callback, due on the business calendar."""
    book = _book(complaint)
    book.contact_every_hours = None
    _restart_contact(book, complaint, at)
    book.save()
    days = [
        p.retention_callback_days for p in playbooks_for(complaint) if p.retention_callback_days
    ]
    if not days or RetentionCallback.objects.filter(complaint=complaint).exists():
        return
    calendar = outbound.calendar_for(team_id=complaint.team_id)
    due = calendar.add_business_days(at, min(days))
    RetentionCallback.objects.create(
        complaint=complaint,
        due_at=due,
        assumed_years=sorted(calendar.years_without_holiday_data(at, due)),
        created_at=at,
    )
    events.external_event(
        complaint_id=complaint.pk,
        kind="retention_due",
        parameters={"due": due.isoformat()},
        by_id=_uid(by),
    )


def book_check_move(complaint: Complaint, target: str) -> None:
    """Refuse to resolve an activist's ticket without a named senior owner."""
    if target != ComplaintState.RESOLVED:
        return
    needs = any(p.requires_senior_owner for p in playbooks_for(complaint))
    book = TicketBook.objects.filter(complaint=complaint).first()
    if needs and (book is None or book.senior_owner_id is None):
        raise DomainError(
            _("This ticket's playbook needs a named senior owner before it can be resolved."),
            field="senior_owner",
            code="senior_owner_required",
        )


@transaction.atomic
def complaint_tick_step(*, complaint: Complaint, step_id: int, by: Any) -> tuple[StepTick, bool]:
    """Mark a playbook step done; ticking it again changes nothing (returns created=False).
    The step must belong to a playbook that applies to the ticket."""
    if not complaint.is_open:
        raise DomainError(_("This complaint is closed; reopen it first."), field="state")
    codes = [p.code for p in playbooks_for(complaint)]
    step = (
        PlaybookStep.objects.select_related("playbook")
        .filter(pk=step_id, playbook__code__in=codes)
        .first()
    )
    if step is None:
        raise DomainError(_("This step is not in the ticket's playbook."), field="step")
    tick, created = StepTick.objects.get_or_create(
        complaint=complaint, step=step, defaults={"by": by, "at": now()}
    )
    if created:
        events.external_event(
            complaint_id=complaint.pk,
            kind="step_ticked",
            parameters={"playbook": step.playbook.code, "step": step.code, "text": step.label},
            by_id=_uid(by),
        )
    return tick, created


@transaction.atomic
def complaint_log_contact(
    *,
    complaint: Complaint,
    channel: str,
    reached: bool,
    by: Any,
    note: str = "",
    at: dt.datetime | None = None,
) -> ContactAttempt:
    """Log an attempt to speak to the customer (phone, SMS, visit; reached or not): it
    restarts the contact clock."""
    if channel not in ContactChannel.values:
        raise DomainError(_("Unknown contact channel."), field="channel")
    if len(note) > MAX_NOTE:
        raise DomainError(_("The note is too long."), field="note")
    moment = at or now()
    if moment > now() + dt.timedelta(minutes=5):
        raise DomainError(_("A contact attempt cannot be in the future."), field="at")
    attempt = ContactAttempt.objects.create(
        complaint=complaint, channel=channel, reached=bool(reached), note=note, by=by, at=moment
    )
    book = _book(complaint)
    if book.contact_every_hours and complaint.is_open:
        _restart_contact(book, complaint, moment)
        book.save()
    events.external_event(
        complaint_id=complaint.pk,
        kind="contact_attempt",
        parameters={"channel": channel, "reached": bool(reached), "note": note},
        by_id=_uid(by),
    )
    return attempt


@transaction.atomic
def complaint_name_senior_owner(*, complaint: Complaint, senior: Any, by: Any) -> TicketBook:
    """Name the senior owner an activist's ticket requires (a supervisor or manager)."""
    if senior is None or not senior.is_active:
        raise DomainError(_("Choose the senior owner."), field="senior_owner")
    if not senior.groups.filter(name__in=SENIOR_ROLES).exists():
        raise DomainError(
            _("The senior owner must be a supervisor or a manager."), field="senior_owner"
        )
    book = _book(complaint)
    book.senior_owner = senior
    book.save(update_fields=["senior_owner"])
    events.external_event(
        complaint_id=complaint.pk,
        kind="senior_owner",
        parameters={"user_id": senior.pk, "name": str(senior)},
        by_id=_uid(by),
    )
    return book


# ------------------------------------------------------------------ by the book
def by_the_book(complaint: Complaint) -> bool:
    """True if a playbook of the ticket holds settlements to the service standard."""
    return any(p.by_the_book for p in playbooks_for(complaint))


def recovery_flags(
    *, complaint: Complaint, kind: str, amount: Decimal | None, tier_code: str | None
) -> list[str]:
    """``["above_standard"]`` for a compensation or fee waiver above the service standard's
    money limit on a by-the-book ticket (不额外提高服务标准, [seed-003])."""
    if amount is None or kind not in (RecoveryKind.COMPENSATION, RecoveryKind.FEE_WAIVER):
        return []
    if not by_the_book(complaint):
        return []
    limit = outbound.standard_amount_limit(kind="compensation", tier_code=tier_code)
    return ["above_standard"] if limit is not None and amount > limit else []


# ------------------------------------------------------------------ appeals
@dataclass(frozen=True)
class AppealInput:
    number: str
    body: str
    received_on: dt.date
    dispute: str
    event_date: dt.date | None = None
    materials_complete_on: dt.date | None = None


@transaction.atomic
def complaint_record_appeal(*, complaint: Complaint, data: AppealInput, by: Any) -> RegulatorAppeal:
    """Record a regulator appeal with its time bar and statutory deadlines
    (:mod:`yuqi.domain.regulator`). Refuses an event date after the appeal date; no event date
    gives a time bar of "unknown" (shown, not guessed)."""
    number = data.number.strip()
    if not number or len(number) > 40 or any(ch in number for ch in "\r\n\t"):
        raise DomainError(_("Give the appeal number (at most 40 characters)."), field="number")
    if data.body not in AppealBody.values:
        raise DomainError(_("Unknown appeal body."), field="body")
    if data.dispute not in DisputeKind.values:
        raise DomainError(_("Unknown dispute kind."), field="dispute")
    today = outbound.calendar_for(team_id=complaint.team_id).local(now()).date()
    if data.received_on > today:
        raise DomainError(_("The appeal cannot be received in the future."), field="received_on")
    if data.event_date is not None and data.event_date > data.received_on:
        raise DomainError(
            _("The event date is after the appeal date."), field="event_date", code="invalid"
        )
    if RegulatorAppeal.objects.filter(number=number).exists():
        raise DomainError(_("This appeal number is already recorded."), field="number")
    try:
        bar = regulator.appeal_time_bar(data.dispute, data.event_date, data.received_on)
        deadlines = regulator.appeal_deadlines(
            data.received_on, materials_complete=data.materials_complete_on
        )
    except ValueError as exc:
        raise DomainError(str(exc), field="materials_complete_on") from exc
    appeal = RegulatorAppeal.objects.create(
        complaint=complaint,
        number=number,
        body=data.body,
        received_on=data.received_on,
        materials_complete_on=data.materials_complete_on,
        event_date=data.event_date,
        dispute=data.dispute,
        time_bar_status=bar.status.value,
        time_bar_last_day=bar.last_day,
        acceptance_due=deadlines.acceptance_due,
        reply_due=deadlines.reply_due,
        assumed_years=sorted(deadlines.years_without_holiday_data),
        created_by=by,
        created_at=now(),
    )
    events.external_event(
        complaint_id=complaint.pk,
        kind="appeal_recorded",
        parameters={
            "number": number,
            "body": data.body,
            "time_bar": bar.status.value,
            "acceptance_due": deadlines.acceptance_due.isoformat(),
            "reply_due": deadlines.reply_due.isoformat(),
        },
        by_id=_uid(by),
    )
    return appeal


# ------------------------------------------------------------------ retention
@transaction.atomic
def retention_record(
    *, callback: RetentionCallback, outcome: str, by: Any, note: str = ""
) -> RetentionCallback:
    """Record the retention call's outcome (once)."""
    if outcome not in RetentionOutcome.values:
        raise DomainError(_("Unknown outcome."), field="outcome")
    if len(note) > MAX_NOTE:
        raise DomainError(_("The note is too long."), field="note")
    done = RetentionCallback.objects.filter(pk=callback.pk, done_at__isnull=True).update(
        outcome=outcome, note=note, done_at=now(), done_by=by
    )
    if done != 1:
        raise DomainError(_("This retention callback was already recorded."), code="conflict")
    events.external_event(
        complaint_id=callback.complaint_id,
        kind="retention_done",
        parameters={"outcome": outcome, "note": note},
        by_id=_uid(by),
    )
    callback.refresh_from_db()
    return callback


# ------------------------------------------------------------------ suggestions and praise
def _route_owner() -> Any:
    """The analyst with the fewest suggestions in hand, else a supervisor (else nobody)."""
    users = get_user_model().objects.filter(is_active=True)
    for role in ("analyst", SUPERVISOR_ROLE):
        rows = list(users.filter(groups__name=role).order_by("pk"))
        if rows:
            loads = dict(
                Feedback.objects.filter(owner__in=rows)
                .values("owner")
                .annotate(n=Count("pk"))
                .values_list("owner", "n")
            )
            return min(rows, key=lambda u: (loads.get(u.pk, 0), u.pk))
    return None


@transaction.atomic
def feedback_record(
    *,
    customer_id: int,
    kind: str,
    text: str,
    source: str,
    by: Any,
    topic: str = "",
    interaction_id: int | None = None,
    owner: Any = None,
    thank: bool = True,
) -> Feedback:
    """Record a suggestion or praise, route it to an owner and thank the customer
    ([seed-002]: thank every customer for their opinion)."""
    if kind not in FeedbackKind.values:
        raise DomainError(_("Unknown kind."), field="kind")
    if source not in FeedbackSource.values:
        raise DomainError(_("Unknown source."), field="source")
    if not text.strip():
        raise DomainError(_("Write what the customer said."), field="text")
    if len(text) > MAX_FEEDBACK:
        raise DomainError(_("The text is too long."), field="text")
    if len(topic) > 80 or any(not (ch.isalnum() or ch in "._-") for ch in topic):
        raise DomainError(
            _("The topic is a taxonomy code such as network.coverage."), field="topic"
        )
    from yuqi.customers.facade import customer_refs

    if customer_id not in customer_refs([customer_id]):
        raise DomainError(_("Unknown customer."), field="customer")
    row = Feedback.objects.create(
        kind=kind,
        customer_id=customer_id,
        text=text.strip(),
        topic=topic,
        source=source,
        interaction_id=interaction_id,
        owner=owner or _route_owner(),
        created_by=by,
        created_at=now(),
    )
    if thank:
        outbound.notify_customer(
            customer_id=customer_id,
            template="feedback_thanks",
            context={"praise": kind == FeedbackKind.PRAISE},
            subject=f"feedback:{row.pk}",
        )
        row.thanked_at = now()
        row.save(update_fields=["thanked_at"])
    return row


# ------------------------------------------------------------------ staff messages
def outbound_supervisors(complaint: Complaint) -> list[int]:
    from yuqi.complaints.alerts import supervisors_for

    return supervisors_for(complaint.team_id)


def _tell_staff(complaint: Complaint, user_ids: list[int], what: str, **extra: Any) -> None:
    if not user_ids:
        return
    outbound.notify_users(
        user_ids=user_ids,
        template="book_alert",
        context={
            "number": complaint.number,
            "what": what,
            "url": f"/complaints/{complaint.number}/",
            **extra,
        },
        subject=f"complaint:{complaint.pk}",
    )

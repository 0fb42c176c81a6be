"""The complaint book's alert sweep, the SLA sweep's pattern: candidates from indexed
columns, each alert claimed by a conditional UPDATE so it is sent once even with two workers.

* contact clock: the owner is warned when ``contact_warn_at`` passed; the owner and the
  supervisors when ``contact_due_at`` passed (the clock lapsed);
* high risk: an open ticket whose ``risk_score`` reached :func:`book.high_risk_threshold`
  alerts the supervisors once (``risk_alerted_at``);
* regulator appeals: the acceptance decision and the reply, alerted to the owner and the
  supervisors on the day before they are due (statutory dates: no working-hours deferral);
* retention callbacks of passive complainers: the owner (else the supervisors) when due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from yuqi.complaints import book, events, outbound
from yuqi.complaints.choices import OPEN_STATES
from yuqi.complaints.models import Complaint, RegulatorAppeal, RetentionCallback, TicketBook
from yuqi.core.clock import now


@dataclass(frozen=True)
class BookSweepResult:
    contact_warnings: int
    contact_lapses: int
    risk_alerts: int
    appeal_alerts: int
    retention_alerts: int = 0


def _recipients(complaint: Complaint, *, supervisors: bool) -> list[int]:
    ids = [complaint.owner_id] if complaint.owner_id else []
    if supervisors or not ids:
        ids += [pk for pk in book.outbound_supervisors(complaint) if pk not in ids]
    return ids


@transaction.atomic
def _contact_alert(row_id: int, lapse: bool, moment: dt.datetime) -> bool:
    rows = TicketBook.objects.filter(pk=row_id)
    if lapse:
        claimed = rows.filter(contact_lapse_alerted_at__isnull=True, contact_due_at__lte=moment)
        won = claimed.update(contact_lapse_alerted_at=moment, contact_warned_at=moment) == 1
    else:
        claimed = rows.filter(contact_warned_at__isnull=True, contact_warn_at__lte=moment)
        won = claimed.update(contact_warned_at=moment) == 1
    if not won:
        return False
    row = TicketBook.objects.select_related("complaint").get(pk=row_id)
    complaint = row.complaint
    recipients = _recipients(complaint, supervisors=lapse)
    what = "contact_lapsed" if lapse else "contact_due_soon"
    book._tell_staff(complaint, recipients, what, due=row.contact_due_at)
    events.external_event(
        complaint_id=complaint.pk,
        kind="contact_alert",
        parameters={"threshold": "lapsed" if lapse else "due_soon", "recipients": recipients},
        by_id=None,
    )
    return True


@transaction.atomic
def _risk_alert(complaint_id: int, moment: dt.datetime) -> bool:
    row, _created = TicketBook.objects.get_or_create(complaint_id=complaint_id)
    if (
        TicketBook.objects.filter(pk=row.pk, risk_alerted_at__isnull=True).update(
            risk_alerted_at=moment
        )
        != 1
    ):
        return False
    complaint = Complaint.objects.get(pk=complaint_id)
    recipients = book.outbound_supervisors(complaint)
    book._tell_staff(complaint, recipients, "high_risk", risk=complaint.risk_score)
    events.external_event(
        complaint_id=complaint_id,
        kind="risk_alert",
        parameters={
            "risk_score": complaint.risk_score,
            "threshold": book.high_risk_threshold(),
            "recipients": recipients,
        },
        by_id=None,
    )
    return True


@transaction.atomic
def _appeal_alert(appeal_id: int, which: str, moment: dt.datetime) -> bool:
    field = f"{which}_alerted_at"
    if (
        RegulatorAppeal.objects.filter(pk=appeal_id, **{f"{field}__isnull": True}).update(
            **{field: moment}
        )
        != 1
    ):
        return False
    appeal = RegulatorAppeal.objects.select_related("complaint").get(pk=appeal_id)
    due = appeal.acceptance_due if which == "acceptance" else appeal.reply_due
    recipients = _recipients(appeal.complaint, supervisors=True)
    book._tell_staff(appeal.complaint, recipients, f"appeal_{which}", due=due)
    events.external_event(
        complaint_id=appeal.complaint_id,
        kind="appeal_alert",
        parameters={"number": appeal.number, "deadline": which, "due": due.isoformat()},
        by_id=None,
    )
    return True


@transaction.atomic
def _retention_alert(callback_id: int, moment: dt.datetime) -> bool:
    rows = RetentionCallback.objects.filter(pk=callback_id, alerted_at__isnull=True)
    if rows.update(alerted_at=moment) != 1:
        return False
    callback = RetentionCallback.objects.select_related("complaint").get(pk=callback_id)
    recipients = _recipients(callback.complaint, supervisors=False)
    book._tell_staff(callback.complaint, recipients, "retention_due", due=callback.due_at)
    return True


def book_alerts_sweep(*, at: dt.datetime | None = None) -> BookSweepResult:
    """Send every due contact, high-risk and appeal alert once; idempotent."""
    moment = at or now()
    open_books = TicketBook.objects.filter(complaint__state__in=OPEN_STATES)
    lapsed = list(
        open_books.filter(
            contact_lapse_alerted_at__isnull=True, contact_due_at__lte=moment
        ).values_list("pk", flat=True)
    )
    warn = list(
        open_books.filter(contact_warned_at__isnull=True, contact_warn_at__lte=moment)
        .exclude(pk__in=lapsed)
        .values_list("pk", flat=True)
    )
    with outbound.cached_calendars():
        lapses = sum(_contact_alert(pk, True, moment) for pk in lapsed)
        warnings = sum(_contact_alert(pk, False, moment) for pk in warn)
    risky = (
        Complaint.objects.filter(state__in=OPEN_STATES, risk_score__gte=book.high_risk_threshold())
        .exclude(book__risk_alerted_at__isnull=False)
        .values_list("pk", flat=True)
    )
    risks = sum(_risk_alert(pk, moment) for pk in list(risky))
    today = moment.astimezone(outbound.calendar_for().tz).date()
    soon = today + dt.timedelta(days=1)
    live = RegulatorAppeal.objects.filter(complaint__state__in=OPEN_STATES)
    appeals = sum(
        _appeal_alert(pk, "acceptance", moment)
        for pk in live.filter(
            acceptance_alerted_at__isnull=True, accepted_on__isnull=True, acceptance_due__lte=soon
        ).values_list("pk", flat=True)
    )
    appeals += sum(
        _appeal_alert(pk, "reply", moment)
        for pk in live.filter(
            reply_alerted_at__isnull=True, replied_on__isnull=True, reply_due__lte=soon
        ).values_list("pk", flat=True)
    )
    due_calls = RetentionCallback.objects.filter(
        alerted_at__isnull=True, done_at__isnull=True, due_at__lte=moment
    ).values_list("pk", flat=True)
    retention = sum(_retention_alert(pk, moment) for pk in list(due_calls))
    return BookSweepResult(warnings, lapses, risks, appeals, retention)

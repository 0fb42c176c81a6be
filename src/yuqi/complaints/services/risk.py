"""The complainer type and escalation risk of a ticket, rescored from the customer's history."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.db import transaction

from yuqi.complaints import events, outbound
from yuqi.complaints.choices import (
    ComplaintState,
    EventKind,
)
from yuqi.complaints.models import (
    Complaint,
    ComplaintEvent,
)
from yuqi.complaints.services._common import _tier_and_vip
from yuqi.core.clock import now
from yuqi.domain.complainer import ComplainerSignals, assess

#: How far back earlier complaints count as "repeat complaints" for the risk score.
REPEAT_WINDOW_DAYS = 30


#: How far back broken promises and escalations count.
HISTORY_DAYS = 365


def _signals(complaint: Complaint, *, vip: bool, at: dt.datetime) -> ComplainerSignals:
    others = Complaint.objects.filter(customer_id=complaint.customer_id).exclude(pk=complaint.pk)
    repeats = others.filter(opened_at__gte=at - timedelta(days=REPEAT_WINDOW_DAYS)).count()
    escalations = ComplaintEvent.objects.filter(
        complaint__customer_id=complaint.customer_id,
        kind=EventKind.ESCALATED,
        at__gte=at - timedelta(days=HISTORY_DAYS),
    )
    if complaint.pk:
        escalations = escalations.exclude(complaint_id=complaint.pk)
    broken = outbound.broken_commitment_count(
        customer_id=complaint.customer_id, since=at - timedelta(days=HISTORY_DAYS)
    )
    return ComplainerSignals(
        text=f"{complaint.account}\n{complaint.demand}",
        repeat_complaints=repeats,
        window_days=REPEAT_WINDOW_DAYS,
        broken_promises=broken,
        vip=vip,
        previous_escalations=escalations.count(),
    )


def _score(complaint: Complaint, *, vip: bool, at: dt.datetime) -> None:
    suggestion, risk = assess(_signals(complaint, vip=vip, at=at))
    complaint.complainer_type_suggested = suggestion.type.value
    complaint.complainer_reasons = [[r.code, r.points, r.detail] for r in suggestion.reasons]
    complaint.risk_score = risk.score
    complaint.risk_reasons = [[r.code, r.points, r.detail] for r in risk.reasons]


@transaction.atomic
def complaint_refresh_risk(*, customer_id: int, cause: str = "promise_broken") -> int:
    """Rescore the escalation risk of the customer's open tickets (a promise broke, another
    complaint came in); returns how many tickets changed score. The score is derived data, so
    the version is not bumped: a handler's open page does not turn stale because of it."""
    _tier, vip = _tier_and_vip(customer_id)
    changed = 0
    moment = now()
    ids = (
        Complaint.objects.filter(customer_id=customer_id)
        .exclude(state=ComplaintState.CLOSED)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        locked = Complaint.objects.select_for_update().get(pk=pk)
        before = locked.risk_score
        _score(locked, vip=vip, at=moment)
        locked.save(
            update_fields=[
                "complainer_type_suggested",
                "complainer_reasons",
                "risk_score",
                "risk_reasons",
            ]
        )
        if locked.risk_score != before:
            changed += 1
            events.risk_refreshed_event(
                complaint=locked, before=before, after=locked.risk_score, cause=cause
            )
    return changed

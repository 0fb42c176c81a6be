"""Compensation above the handler's limit in the approvals inbox (``yuqi.core.approvals``).

Deciding calls :func:`yuqi.complaints.services.complaint_approve_recovery`, which keeps the
four-eyes rule (not the proposer, and only holders of ``complaints.approve_compensation``);
a rejection's reason goes on the ticket's timeline."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.complaints import services
from yuqi.complaints.choices import RecoveryStatus
from yuqi.complaints.models import RecoveryAction
from yuqi.core.approvals import ApprovalItem, ApprovalSource

APPROVE = "complaints.approve_compensation"
LIMIT = 200


def pending(user: Any) -> list[ApprovalItem]:
    """Recovery actions awaiting approval, oldest first (one query)."""
    rows = (
        RecoveryAction.objects.filter(status=RecoveryStatus.PENDING)
        .select_related("complaint__customer", "created_by")
        .order_by("created_at", "id")[:LIMIT]
    )
    limit = services.compensation_limit()
    return [
        ApprovalItem(
            id=a.pk,
            title=f"{a.complaint.number} · {a.get_kind_display()}",
            url=reverse("complaints:detail", args=[a.complaint.number]),
            requested_by=str(a.created_by) if a.created_by else "—",
            requested_by_id=a.created_by_id,
            requested_at=a.created_at,
            customer=a.complaint.customer.name,
            amount=a.amount,
            reasons=(
                _("Above the limit of %(limit)s yuan a handler may grant alone.")
                % {"limit": limit},
            ),
            detail=a.note,
        )
        for a in rows
    ]


def decide(user: Any, item_id: int, approve: bool, reason: str) -> str:
    action = get_object_or_404(RecoveryAction, pk=item_id)
    services.complaint_approve_recovery(action=action, by=user, approve=approve, note=reason)
    if approve:
        return _("Compensation approved.")
    return _("Compensation rejected.")


SOURCE = ApprovalSource(
    name="compensation",
    label=gettext_lazy("Compensation above the limit"),
    permission=APPROVE,
    pending=pending,
    decide=decide,
    order=20,
)

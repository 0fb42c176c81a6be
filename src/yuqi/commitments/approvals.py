"""Flagged promises in the approvals inbox (``yuqi.core.approvals``): a promise the guard
flagged (beyond the service standard, the tier's perks or the promiser's authority) waits for
a supervisor. Deciding calls :func:`services.commitment_approve` / :func:`commitment_reject`,
which keep the four-eyes rule and the approver's own authority limit."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.commitments import presenters, services
from yuqi.commitments.choices import LIVE_STATUSES, ApprovalState
from yuqi.commitments.models import Commitment
from yuqi.core.approvals import ApprovalItem, ApprovalSource

APPROVE = "commitments.approve_commitment"
#: the inbox shows at most this many per source (oldest first); the promise list has the rest
LIMIT = 200


def pending(user: Any) -> list[ApprovalItem]:
    """Live promises awaiting approval, oldest first (one query)."""
    rows = (
        Commitment.objects.filter(approval_state=ApprovalState.PENDING, status__in=LIVE_STATUSES)
        .select_related("customer", "promised_by")
        .order_by("promised_at", "id")[:LIMIT]
    )
    return [
        ApprovalItem(
            id=c.pk,
            title=f"{c.get_kind_display()} · {c.text}",
            url=reverse("commitments:detail", args=[c.pk]),
            requested_by=str(c.promised_by),
            requested_by_id=c.promised_by_id,
            requested_at=c.promised_at,
            customer=c.customer.name,
            amount=c.amount,
            reasons=tuple(presenters.flag_messages(c.flags)),
        )
        for c in rows
    ]


def decide(user: Any, item_id: int, approve: bool, reason: str) -> str:
    if approve:
        services.commitment_approve(commitment_id=item_id, by_id=user.pk, note=reason)
        return _("Promise approved; the customer is told now.")
    services.commitment_reject(commitment_id=item_id, by_id=user.pk, reason=reason)
    return _("Promise rejected; the promiser is told why.")


SOURCE = ApprovalSource(
    name="promises",
    label=gettext_lazy("Flagged promises"),
    permission=APPROVE,
    pending=pending,
    decide=decide,
    order=10,
)

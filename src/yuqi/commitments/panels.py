"""The customer 360's "open promises" panel (registered in ``CommitmentsConfig.ready``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from yuqi.core import clock
from yuqi.core.panels import Panel

BROKEN_LOOKBACK_DAYS = 90


def customer_promises_panel(customer_id: int, user: Any) -> Panel | None:
    """The customer's live promises with due time and status; None for users who may not
    read promises."""
    if not user.has_perm("commitments.view_commitment"):
        return None
    from yuqi.commitments.facade import customer_promises

    at = clock.now()
    lines, broken = customer_promises(
        customer_id=customer_id, since=at - timedelta(days=BROKEN_LOOKBACK_DAYS)
    )
    context = {
        "lines": lines,
        "broken": broken,
        "can_add": user.has_perm("commitments.add_commitment"),
        "now": at,
    }
    return Panel("commitments/partials/customer_panel.html", context, order=30)

"""The agent's "my work" on the home page (``core.panels``, page ``home``): my promises due
today or already overdue, and my promises the guard flagged that await a supervisor's
approval. Registered from ``apps.py`` ``ready()``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from yuqi.commitments import links, selectors
from yuqi.commitments.choices import LIVE_STATUSES, ApprovalState
from yuqi.commitments.models import Commitment
from yuqi.commitments.presenters import flag_messages
from yuqi.core import clock
from yuqi.core.compiled_reads import CompiledFirstAndTotal
from yuqi.core.panels import Panel

LIMIT = 15


def _rows(user_id: int):
    return selectors.commitment_list(selectors.CommitmentFilter(agent_id=user_id)).filter(
        status__in=LIVE_STATUSES
    )


_AGENT = Commitment._meta.get_field("promised_by")
#: Both panels are read on every home page of those who promise: compiled once.
_DUE_BY = CompiledFirstAndTotal(
    lambda *, agent_id, end: _rows(agent_id).filter(due_at__lt=end),
    LIMIT,
    model=Commitment,
    agent_id=_AGENT,
    end=Commitment._meta.get_field("due_at"),
)
_AWAITING = CompiledFirstAndTotal(
    lambda *, agent_id: _rows(agent_id).filter(approval_state=ApprovalState.PENDING),
    LIMIT,
    model=Commitment,
    agent_id=_AGENT,
)


def _lines(rows: list[Commitment], at: Any) -> list[dict[str, Any]]:
    tickets = links.complaint_refs(row.complaint_id for row in rows)
    lines = []
    for row in rows:
        ticket = tickets.get(row.complaint_id) if row.complaint_id else None
        lines.append(
            {
                "promise": row,
                "url": reverse("commitments:detail", args=[row.pk]),
                "overdue": row.due_at < at,
                "ticket": ticket.number if ticket else "",
                "flags": flag_messages(row.flags or []),
            }
        )
    return lines


def _may_promise(user: Any) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.has_perm("commitments.view_commitment")
        and user.has_perm("commitments.add_commitment")
    )


def home_my_promises(user_id: int, user: Any) -> Panel | None:
    """Provider for ``home``: my live promises due before the end of today, earliest first."""
    if not _may_promise(user):
        return None
    at = clock.now()
    _start, end = selectors.today_bounds(at)
    shown, total = _DUE_BY.read(agent_id=user_id, end=end)
    context = {
        "lines": _lines(shown, at),
        "total": total,
        "list_url": reverse("commitments:list") + "?tab=overdue&mine=on",
    }
    return Panel("commitments/panels/home_my_promises.html", context, order=12)


def home_awaiting_approval(user_id: int, user: Any) -> Panel | None:
    """Provider for ``home``: my live promises flagged by the guard, still awaiting approval."""
    if not _may_promise(user):
        return None
    shown, total = _AWAITING.read(agent_id=user_id)
    context = {
        "lines": _lines(shown, clock.now()),
        "total": total,
        "list_url": reverse("commitments:list") + "?tab=approval&mine=on",
    }
    return Panel("commitments/panels/home_awaiting_approval.html", context, order=14)


def complaint_record_promise(complaint_id: int, user: Any) -> Panel | None:
    """Provider for ``complaint``: record a promise on this ticket (the form runs the guard as
    it is typed); for those who may record promises."""
    if not _may_promise(user):
        return None
    from urllib.parse import urlencode

    from yuqi.commitments import ports

    ticket = links.complaint_refs([complaint_id]).get(complaint_id)
    customer = ports.customer_ref(ticket.customer_id) if ticket else None
    if customer is None:
        return None
    query = urlencode({"customer": customer.external_id, "complaint": complaint_id})
    context = {"url": f"{reverse('commitments:new')}?{query}", "number": ticket.number}
    return Panel("commitments/panels/complaint_record_promise.html", context, order=3)

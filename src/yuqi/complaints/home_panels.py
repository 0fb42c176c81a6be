"""The agent's "my work" on the home page (``core.panels``, page ``home``): my open tickets by
due time, each with its SLA state and live clocks. Registered from ``apps.py`` ``ready()``."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet, Subquery
from django.urls import reverse

from yuqi.complaints.choices import OPEN_STATES
from yuqi.complaints.models import Complaint, ComplaintLevel
from yuqi.complaints.queries import QUEUE_ROW_VALUES, queue_rows, ticket_url
from yuqi.complaints.selectors import urgency
from yuqi.core import clock
from yuqi.core.compiled_reads import CompiledRead, counted
from yuqi.core.join_order import written_join_order
from yuqi.core.panels import Panel

LIMIT = 15


def _open_of(owner_id: int) -> QuerySet[Complaint]:
    return Complaint.objects.filter(owner_id=owner_id, state__in=OPEN_STATES)


def _first_open(*, owner_id: int, moment: Any) -> QuerySet[Complaint]:
    top = ComplaintLevel.objects.order_by("-rank").values("rank")[:1]
    return (
        _open_of(owner_id)
        .annotate(urgency=urgency(moment), top_rank=Subquery(top))
        .order_by(F("next_due_at").asc(nulls_last=True), "urgency", "opened_at", "id")
        .values(*QUEUE_ROW_VALUES, "top_rank")[:LIMIT]
    )


_OWNER = Complaint._meta.get_field("owner")
#: Read on every home page of those who work complaints: compiled once (building and
#: compiling the seven-table read cost more Python than running it).
_FIRST_OPEN_READ = CompiledRead(
    _first_open, model=Complaint, owner_id=_OWNER, moment=Complaint._meta.get_field("next_due_at")
)
#: How many there are, asked when the first read is full.
_OPEN_COUNT_READ = CompiledRead(
    lambda *, owner_id: counted(_open_of(owner_id)), model=Complaint, owner_id=_OWNER
)


def my_open_tickets(user_id: int, *, now: Any) -> tuple[list[dict[str, Any]], int]:
    """The user's open tickets, the next due first (none last), and how many there are: dicts
    of the fields a queue row shows (as the work queue), each with ``top_rank``, the highest
    complaint level's rank (read with the rows)."""
    with written_join_order():  # six one-row joins per ticket (yuqi.core.join_order)
        shown = _FIRST_OPEN_READ.rows(owner_id=user_id, moment=now)
    if len(shown) < LIMIT:  # a short first read is every row
        return shown, len(shown)
    return shown, _OPEN_COUNT_READ.rows(owner_id=user_id)[0]["n"]


def home_my_tickets(user_id: int, user: Any) -> Panel | None:
    """Provider for ``home``: for those who log or work complaints."""
    if not (user and user.is_authenticated and user.has_perm("complaints.view_complaint")):
        return None
    if not (
        user.has_perm("complaints.add_complaint") or user.has_perm("complaints.change_complaint")
    ):
        return None
    moment = clock.now()
    tickets, total = my_open_tickets(user_id, now=moment)
    rows = queue_rows(
        tickets,
        now=moment,
        url=ticket_url(),
        top_rank=tickets[0]["top_rank"] if tickets else None,
    )
    context = {
        "rows": rows,
        "total": total,
        "queue_url": reverse("complaints:queue") + "?owner=mine",
        "as_of": moment,
    }
    return Panel("complaints/panels/home_my_tickets.html", context, order=10)

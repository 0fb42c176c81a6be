"""The complaints panel on the customer 360: the customer's open tickets with live clocks.

Registered on import (``apps.py`` ``ready()`` imports this module); the provider answers None
for a user who may not see complaints, so the slot stays empty for them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Subquery
from django.urls import reverse

from yuqi.complaints.models import Complaint, ComplaintLevel
from yuqi.complaints.queries import QUEUE_ROW_VALUES, queue_rows, ticket_url
from yuqi.complaints.selectors import QueueFilter, complaint_queue
from yuqi.core import clock
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.panels import Panel, register_panel

PERMISSION = "complaints.view_complaint"
LIMIT = 20


def customer_open_complaints(customer_id: int, user: Any) -> Panel | None:
    """Provider for ``customer_360``: open complaints, most urgent first."""
    if not (user and user.is_authenticated and user.has_perm(PERMISSION)):
        return None
    moment = clock.now()
    tickets = open_tickets(customer_id, moment)
    top_rank = tickets[0]["top_rank"] if tickets else None  # read with the rows
    rows = queue_rows(tickets, now=moment, url=ticket_url(), top_rank=top_rank)
    new_url = ""
    if user.has_perm("complaints.add_complaint") and tickets:
        new_url = reverse("complaints:new") + f"?customer={tickets[0]['customer__external_id']}"
    elif user.has_perm("complaints.add_complaint"):
        from yuqi.customers.facade import customer_refs

        ref = customer_refs([customer_id]).get(customer_id)
        if ref is not None:
            new_url = reverse("complaints:new") + f"?customer={ref.external_id}"
    return Panel(
        template="complaints/panels/customer_open.html",
        context={"rows": rows, "new_url": new_url},
        order=10,
    )


def _queryset(customer_id: int, moment: dt.datetime) -> Any:
    """The customer's open tickets as the work queue orders them (``complaint_queue``), as
    queue-row values with the top level's rank read with them."""
    filters = QueueFilter(state="open", customer_id=customer_id)
    top = ComplaintLevel.objects.order_by("-rank").values("rank")[:1]
    return (
        complaint_queue(filters=filters, now=moment)
        .annotate(top_rank=Subquery(top))
        .values(*QUEUE_ROW_VALUES, "top_rank")[:LIMIT]
    )


#: The panel's seven-table read, compiled once per database (building and compiling it was
#: about a third of the panel's CPU on every 360).
OPEN_TICKETS_READ = CompiledRead(
    lambda *, customer_id, moment: _queryset(customer_id, moment),
    model=Complaint,
    customer_id=Complaint._meta.get_field("customer"),
    moment=Complaint._meta.get_field("next_due_at"),
)


def open_tickets(customer_id: int, moment: dt.datetime) -> list[dict[str, Any]]:
    """What ``list(_queryset(customer_id, moment))`` answers."""
    return OPEN_TICKETS_READ.rows(customer_id=customer_id, moment=moment)


register_panel("customer_360", "complaints", customer_open_complaints)

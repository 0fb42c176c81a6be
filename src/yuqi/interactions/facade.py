"""What other contexts may know of interactions: summaries per customer, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q

from yuqi.core.clock import now
from yuqi.interactions.models import Interaction


@dataclass(frozen=True)
class ContactSummary:
    total: int
    last_90_days: int
    abandoned_90_days: int
    last_contact_at: datetime | None
    by_channel: dict[str, int]


@dataclass(frozen=True)
class ContactLine:
    id: int
    arrived_at: datetime
    channel: str
    channel_label: str
    direction: str
    queue: str
    agent: str
    category: str
    abandoned: bool
    wait_seconds: int
    handle_seconds: int
    transferred: bool
    first_contact_resolved: bool | None


def contact_summary(customer_id: int) -> ContactSummary:
    since = now() - timedelta(days=90)
    contacts = Interaction.objects.filter(customer_id=customer_id)
    totals = contacts.aggregate(
        total=Count("id"),
        recent=Count("id", filter=Q(arrived_at__gte=since)),
        recent_abandoned=Count("id", filter=Q(arrived_at__gte=since, abandoned=True)),
        last=Max("arrived_at"),
    )
    by_channel = dict(
        contacts.order_by()
        .values_list("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    return ContactSummary(
        totals["total"], totals["recent"], totals["recent_abandoned"], totals["last"], by_channel
    )


def recent_contacts(customer_id: int, *, limit: int = 30) -> list[ContactLine]:
    rows = (
        Interaction.objects.filter(customer_id=customer_id)
        .select_related("queue", "agent")
        .order_by("-arrived_at")[:limit]
    )
    return [
        ContactLine(
            row.pk,
            row.arrived_at,
            row.channel,
            row.get_channel_display(),
            row.direction,
            str(row.queue) if row.queue else "",
            str(row.agent) if row.agent else "",
            row.category,
            row.abandoned,
            row.wait_seconds,
            row.handle_seconds,
            row.transferred,
            row.first_contact_resolved,
        )
        for row in rows
    ]

"""What other contexts may know of interactions: summaries per customer, as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q

from yuqi.core.clock import now
from yuqi.interactions.models import Interaction, Queue


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


@dataclass(frozen=True)
class HandledContact:
    """A contact handled by an agent, as the post-contact survey needs it (surveys context)."""

    id: int
    customer_id: int
    queue_code: str
    agent_user_id: int | None
    ended_at: datetime | None


def customers_contacted_since(since: datetime) -> set[int]:
    """Ids of identified customers with a contact that arrived at or after ``since``."""
    return set(
        Interaction.objects.filter(arrived_at__gte=since, customer__isnull=False)
        .order_by()
        .values_list("customer_id", flat=True)
        .distinct()
    )


def handled_contacts_between(start: datetime, end: datetime) -> list[HandledContact]:
    """Answered (not abandoned) contacts of identified customers that ended in [start, end)."""
    rows = (
        Interaction.objects.filter(
            ended_at__gte=start, ended_at__lt=end, abandoned=False, customer__isnull=False
        )
        .exclude(answered_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "customer_id", "queue__code", "agent__user_id", "ended_at")
    )
    return [HandledContact(pk, c, q or "", u, e) for pk, c, q, u, e in rows]


def handled_contact(interaction_id: int) -> HandledContact | None:
    row = (
        Interaction.objects.filter(pk=interaction_id)
        .values_list("pk", "customer_id", "queue__code", "agent__user_id", "ended_at")
        .first()
    )
    if row is None:
        return None
    pk, customer_id, queue_code, user_id, ended_at = row
    return HandledContact(pk, customer_id or 0, queue_code or "", user_id, ended_at)


@dataclass(frozen=True)
class ContactFacts:
    """What survey analysis and the survey demo need of a contact (surveys context)."""

    id: int
    customer_id: int | None
    channel: str
    channel_label: str
    queue_code: str
    wait_seconds: int
    abandoned: bool
    first_contact_resolved: bool | None
    ended_at: datetime | None


_FACTS_CHUNK = 5_000
"""Ids per query of :func:`contact_facts` (stays under SQLite's bound-parameter limit)."""


def contact_facts(ids: Iterable[int]) -> dict[int, ContactFacts]:
    """Channel, queue, wait and resolution of the given contacts, by id (one query per
    5,000 ids)."""
    from yuqi.interactions.choices import Channel

    wanted = sorted({int(i) for i in ids if i})
    fields = ("pk", "customer_id", "channel", "queue__code", "wait_seconds", "abandoned")
    rows = [
        row
        for start in range(0, len(wanted), _FACTS_CHUNK)
        for row in Interaction.objects.filter(
            pk__in=wanted[start : start + _FACTS_CHUNK]
        ).values_list(*fields, "first_contact_resolved", "ended_at")
    ]
    labels = dict(Channel.choices)
    return {
        pk: ContactFacts(
            pk,
            customer,
            channel,
            str(labels.get(channel, channel)),
            queue or "",
            wait,
            abandoned,
            fcr,
            ended,
        )
        for pk, customer, channel, queue, wait, abandoned, fcr, ended in rows
    }


def mean_wait_by_customer(customer_ids: Iterable[int] | None = None) -> dict[int, float]:
    """Each identified customer's mean queue wait in seconds over their inbound contacts
    that reached a queue (answered or abandoned). One grouped query."""
    from django.db.models import Avg

    rows = Interaction.objects.filter(customer__isnull=False, queue__isnull=False)
    if customer_ids is not None:
        rows = rows.filter(customer_id__in=set(customer_ids))
    grouped = rows.order_by().values_list("customer_id").annotate(wait=Avg("wait_seconds"))
    return {customer: float(wait) for customer, wait in grouped.values_list("customer_id", "wait")}


def queue_names() -> dict[str, str]:
    """Queue code → its name (the code when it has none), for pages that hold codes."""
    return {code: name or code for code, name in Queue.objects.values_list("code", "name")}

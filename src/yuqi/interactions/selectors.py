from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from yuqi.core.clock import day_start
from yuqi.interactions.models import Agent, Interaction, Queue


@dataclass(frozen=True)
class InteractionFilter:
    date_from: date | None = None
    date_to: date | None = None
    channel: str = ""
    queue: str = ""  # queue code
    agent: str = ""  # agent work number
    abandoned: bool | None = None
    customer_id: int | None = None


def interaction_list(filters: InteractionFilter = InteractionFilter()) -> QuerySet[Interaction]:
    rows = Interaction.objects.select_related("queue", "team", "agent", "customer").order_by(
        "-arrived_at", "-id"
    )
    if filters.date_from:
        rows = rows.filter(arrived_at__gte=day_start(filters.date_from))
    if filters.date_to:
        rows = rows.filter(arrived_at__lt=day_start(filters.date_to + timedelta(days=1)))
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.queue:
        rows = rows.filter(queue__code=filters.queue)
    if filters.agent:
        rows = rows.filter(agent__code=filters.agent)
    if filters.abandoned is not None:
        rows = rows.filter(abandoned=filters.abandoned)
    if filters.customer_id:
        rows = rows.filter(customer_id=filters.customer_id)
    return rows


def queue_list() -> QuerySet[Queue]:
    return Queue.objects.order_by("code")


def agent_list() -> QuerySet[Agent]:
    return Agent.objects.select_related("team").order_by("code")


CATEGORY_SUGGESTIONS = 30


def contact_categories() -> list[str]:
    """The categories most used on contacts of the last 30 days (the log form's suggestions),
    cached for ten minutes."""
    from datetime import timedelta

    from django.core.cache import cache
    from django.db.models import Count

    from yuqi.core.clock import now

    key = "yuqi:interactions:contact-categories"
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows = (
        Interaction.objects.filter(arrived_at__gte=now() - timedelta(days=30))
        .exclude(category="")
        .order_by()
        .values_list("category")
        .annotate(n=Count("id"))
        .order_by("-n", "category")
        .values_list("category", flat=True)[:CATEGORY_SUGGESTIONS]
    )
    found = list(rows)
    cache.set(key, found, 600)
    return found

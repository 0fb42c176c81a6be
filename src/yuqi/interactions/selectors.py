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

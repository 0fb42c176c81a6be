from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from yuqi.interactions.models import Agent, Interaction, Queue, Team


class QueueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Queue
        django_get_or_create = ("code",)

    code = "general"
    name = "普通话务"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("code",)

    code = "team-a"
    name = "一班"


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"A{n:04d}")
    name = factory.Faker("name", locale="zh_CN")
    team = factory.SubFactory(TeamFactory)


class InteractionFactory(factory.django.DjangoModelFactory):
    """An answered inbound call: waited 12 s, talked 3 min, wrapped 30 s."""

    class Meta:
        model = Interaction

    source = "acd"
    external_id = factory.Sequence(lambda n: f"CALL{n:08d}")
    channel = "phone"
    queue = factory.SubFactory(QueueFactory)
    team = factory.SubFactory(TeamFactory)
    agent = factory.SubFactory(AgentFactory)
    arrived_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    answered_at = factory.LazyAttribute(lambda i: i.arrived_at + timedelta(seconds=12))
    ended_at = factory.LazyAttribute(
        lambda i: (i.answered_at or i.arrived_at) + timedelta(seconds=180)
    )
    wait_seconds = 12
    talk_seconds = 180
    wrap_seconds = 30
    category = "话费查询"

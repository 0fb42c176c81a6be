from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "yuqi.interactions"
    label = "interactions"
    verbose_name = _("Interactions")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yuqi.interactions.models import Agent, Interaction, Queue, Team

        for model in (Queue, Team, Agent, Interaction):
            auditlog.register(model)

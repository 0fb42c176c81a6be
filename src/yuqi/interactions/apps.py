from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "yuqi.interactions"
    label = "interactions"
    verbose_name = _("Interactions")

    def ready(self) -> None:
        from yuqi.interactions import personal_data

        personal_data.register()  # personal-information requests (privacy)
        from yuqi.interactions import signals

        signals.connect()  # stored thresholds follow their settings; rollups see deletes
        from auditlog.registry import auditlog

        from yuqi.interactions.models import Agent, Interaction, Queue, Team

        for model in (Queue, Team, Agent, Interaction):
            auditlog.register(model)

        from yuqi.core.panels import register_panel
        from yuqi.imports.importers import register_importer
        from yuqi.interactions.importing import InteractionImporter
        from yuqi.interactions.panels import (
            complaint_source_contacts,
            customer_contact_summary,
            customer_contact_timeline,
            customer_log_contact,
        )

        register_importer("interactions", InteractionImporter, label=_("Interactions"))
        register_panel("customer_360_side", "contacts", customer_contact_summary)
        register_panel("customer_360", "contacts", customer_contact_timeline)
        register_panel("customer_360", "log-contact", customer_log_contact)
        register_panel("complaint", "source-contact", complaint_source_contacts)

        from datetime import timedelta

        from yuqi.core.schedule import register_job
        from yuqi.interactions.tasks import derive_contact_columns, refresh_kpi_rollups

        register_job("interactions-derive", derive_contact_columns, timedelta(minutes=1))
        register_job("interactions-rollups", refresh_kpi_rollups, timedelta(minutes=1))

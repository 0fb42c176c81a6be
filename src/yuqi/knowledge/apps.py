from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "yuqi.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge and scripts")

    def ready(self) -> None:
        from yuqi.knowledge import personal_data

        personal_data.register()  # personal-information requests (privacy)
        from auditlog.registry import auditlog

        from yuqi.core.measures import register_measure_source
        from yuqi.core.navigation import NavItem, register_nav_item
        from yuqi.core.panels import register_panel
        from yuqi.core.schedule import register_job
        from yuqi.knowledge import models
        from yuqi.knowledge.measures import knowledge_use_reading
        from yuqi.knowledge.panels import complaint_articles, customer_articles
        from yuqi.knowledge.tasks import sync_generated_articles

        for model in (
            models.Category,
            models.Article,
            models.ArticleVersion,
            models.SynonymGroup,
        ):
            auditlog.register(model)
        register_panel("complaint", "knowledge", complaint_articles)
        register_panel("customer_360_side", "knowledge", customer_articles)
        register_measure_source("knowledge_use", knowledge_use_reading)
        register_nav_item(NavItem("knowledge:list", _("Knowledge"), "workbench", 30))
        register_nav_item(NavItem("knowledge:health", _("Knowledge health"), "insights", 45))
        register_job("knowledge-sync-generated", sync_generated_articles, timedelta(minutes=10))
        from yuqi.imports.importers import register_importer
        from yuqi.knowledge.importing import ArticleImporter

        register_importer("knowledge", ArticleImporter, label=_("Knowledge articles"))

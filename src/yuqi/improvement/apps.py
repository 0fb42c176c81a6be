from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "yuqi.improvement"
    label = "improvement"
    verbose_name = _("Improvement actions")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yuqi.core.navigation import NavItem, register_nav_item
        from yuqi.core.schedule import register_job
        from yuqi.improvement import models
        from yuqi.improvement.tasks import alert_overdue_actions

        # The checks are append-only records with their own author and time: not audited.
        # The measure's detail is a code (answer_rate@hotline): its change shows in the
        # action's page, not in the audit log that people read in Chinese.
        auditlog.register(models.ImprovementAction, exclude_fields=["measure_ref"])
        auditlog.register(models.ActionLink)
        auditlog.register(models.ActionTask)
        register_nav_item(NavItem("improvement:board", _("Improvement actions"), "insights", 25))
        register_nav_item(NavItem("improvement:pareto", _("Root causes"), "insights", 26))
        register_job("improvement-overdue-alerts", alert_overdue_actions, timedelta(hours=6))
        from yuqi.improvement.measure_sources import register_measure_sources

        register_measure_sources()

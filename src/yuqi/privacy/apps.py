from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "yuqi.privacy"
    label = "privacy"
    verbose_name = _("Personal information")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yuqi.privacy import models, own_sources

        for model in (
            models.PrivacyRequest,
            models.Erasure,
            models.ConsentEntry,
            models.RetentionRule,
        ):
            auditlog.register(model)
        own_sources.register()
        post_migrate.connect(_defaults, sender=self)

        from yuqi.core.schedule import register_job
        from yuqi.privacy.tasks import purge_past_retention

        register_job("privacy-retention-purge", purge_past_retention, timedelta(hours=24))

        from yuqi.core.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("privacy:requests", _("Personal information"), "settings", 55))


def _defaults(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """Refill the retention schedule's rows after a flush (tests); never overwrites edits."""
    from yuqi.privacy.services import retention_rules_ensure

    retention_rules_ensure()

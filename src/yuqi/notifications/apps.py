from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "yuqi.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yuqi.notifications.models import OutboundMessage

        auditlog.register(OutboundMessage, mask_fields=["address"])

        from yuqi.core.schedule import register_job
        from yuqi.notifications.tasks import deliver_queued_messages

        register_job("deliver-queued-messages", deliver_queued_messages, timedelta(minutes=5))

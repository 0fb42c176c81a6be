from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "yuqi.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from yuqi.notifications import personal_data

        personal_data.register()  # personal-information requests (privacy)
        from auditlog.registry import auditlog

        from yuqi.notifications.models import OutboundMessage, SmsTemplate

        auditlog.register(OutboundMessage, mask_fields=["address"])
        auditlog.register(SmsTemplate)

        from yuqi.core.schedule import register_job
        from yuqi.notifications.tasks import deliver_queued_messages

        # every minute: SMS retries back off from YUQI_SMS_RETRY_BASE_SECONDS (a minute)
        register_job("deliver-queued-messages", deliver_queued_messages, timedelta(minutes=1))

        from yuqi.core.panels import register_panel
        from yuqi.notifications.home_panels import home_my_alerts

        register_panel("home", "my-alerts", home_my_alerts)

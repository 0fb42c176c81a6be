from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "yuqi.channels"
    label = "channels"
    verbose_name = _("Customer channels")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yuqi.channels import models, personal_data
        from yuqi.channels.attachments import MAX_FILES, max_bytes
        from yuqi.core.body_limit import register_upload_limit
        from yuqi.core.navigation import NavItem, register_nav_item

        for model in (models.Notice, models.NoticeOptOut, models.IntakeSubmission):
            auditlog.register(model)
        personal_data.register()  # personal-information requests (privacy)
        register_nav_item(NavItem("channels:notices", _("Customer notices"), "complaints", 50))
        register_nav_item(NavItem("channels:intake", _("Customer submissions"), "complaints", 45))
        # The public form takes 3 files of 5 MB: refuse bigger bodies before they are read.
        from yuqi.channels.panels import complaint_customer_files
        from yuqi.core.panels import register_panel

        register_panel("complaint", "customer-files", complaint_customer_files)
        register_upload_limit("/c/", MAX_FILES * max_bytes() + 256 * 1024)
        from yuqi.channels.services import register_sender
        from yuqi.channels.tasks import send_notice

        register_sender(send_notice.enqueue)

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailboxConfig(AppConfig):
    name = "yuqi.mailbox"
    label = "mailbox"
    verbose_name = _("E-mail intake")

    def ready(self) -> None:
        from django.conf import settings

        from yuqi.core.navigation import NavItem, register_nav_item
        from yuqi.core.schedule import register_job
        from yuqi.mailbox import personal_data
        from yuqi.mailbox.tasks import read_mailbox

        register_job("read-mailbox", read_mailbox, timedelta(minutes=settings.IMAP_EVERY_MINUTES))
        register_nav_item(NavItem("mailbox:runs", _("E-mail intake"), "settings", 35))
        personal_data.register()  # personal-information requests (privacy)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "yuqi.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from yuqi.audit import personal_data

        personal_data.register()  # personal-information requests (privacy)

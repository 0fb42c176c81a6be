from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "yuqi.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from yuqi.customers import personal_data

        personal_data.register()  # personal-information requests (privacy)
        from auditlog.registry import auditlog

        from yuqi.customers.models import Customer, Tier

        auditlog.register(Tier)
        auditlog.register(Customer, mask_fields=["phone", "email", "id_number"])
        post_migrate.connect(_default_tiers, sender=self)

        from yuqi.customers.importing import CustomerImporter
        from yuqi.imports.importers import register_importer

        register_importer("customers", CustomerImporter, label=_("Customers"))

        from yuqi.core.panels import register_panel
        from yuqi.customers.panels import home_screen_pop

        register_panel("home", "screen-pop", home_screen_pop)


def _default_tiers(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    from yuqi.customers.defaults import ensure_default_tiers
    from yuqi.customers.models import Tier

    ensure_default_tiers(Tier)

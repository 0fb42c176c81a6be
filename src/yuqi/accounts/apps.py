from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yuqi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth.models import Group

        from yuqi.accounts.models import ApiKey, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Group, m2m_fields={"permissions"})
        auditlog.register(ApiKey, exclude_fields=["key_hash", "last_used_at"])
        post_migrate.connect(_sync_roles_after_migrate, sender=self)

        from yuqi.accounts import access_kept

        access_kept.connect()

        from yuqi.accounts.panels import home_roles
        from yuqi.accounts.tasks import prune_login_attempts
        from yuqi.core.panels import register_panel
        from yuqi.core.schedule import register_job

        register_job("prune-login-attempts", prune_login_attempts, timedelta(hours=24))
        register_panel("home", "roles", home_roles)


def _sync_roles_after_migrate(sender: AccountsConfig, using: str = "default", **kwargs: object):
    # Groups and permissions follow yuqi.accounts.roles after every migrate.
    from yuqi.accounts.services import sync_roles

    sync_roles(using=using)

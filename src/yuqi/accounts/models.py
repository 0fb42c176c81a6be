from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Roles are groups (see ``yuqi.accounts.roles``)."""

    display_name = models.CharField(_("display name"), max_length=80, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def role_names(self) -> list[str]:
        return sorted(group.name for group in self.groups.all())


class ApiKey(models.Model):
    """A bearer key for the REST API. Only a SHA-256 hash of the secret is stored.

    Keys are 256-bit random secrets, so a fast hash is enough: there is nothing to brute-force
    that a slow password hash would protect (unlike user-chosen passwords).
    """

    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("acts as user"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class AccessVersion(models.Model):
    """One row whose token is drawn anew whenever what decides a user's access changes: a
    user's groups or own permissions, a group's permissions or name, a permission or content
    type saved or deleted, a user deleted, and after every ``migrate``
    (:mod:`yuqi.accounts.access_kept`), in the same transaction as the change.

    Server processes keep each user's permission set and group names between requests keyed
    on this token, which the user's own load reads in the same query: a revocation is seen by
    every process on its next request. Not a business record (nothing to audit).
    """

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("access version")

    def __str__(self) -> str:
        return str(self.token)

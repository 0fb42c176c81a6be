from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yuqi.customers.choices import CustomerStatus, Segment


class Tier(models.Model):
    """A service tier (VIP level), configurable; ``rank`` 1 is the highest."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=40)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    is_vip = models.BooleanField(_("VIP"), default=False)
    # A tier's own service-level promise (e.g. VIP 90% within 15 s) overrides the queue's.
    sl_target = models.DecimalField(
        _("service level target"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Share answered within the threshold, e.g. 0.90; blank: the queue's"),
    )
    sl_seconds = models.PositiveIntegerField(
        _("service level threshold (s)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name


class Customer(models.Model):
    external_id = models.CharField(_("customer id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The last four digits, kept apart so agents can search by them without seeing the number.
    phone_tail = models.CharField(max_length=4, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    id_number = models.CharField(_("ID card number"), max_length=18, blank=True)
    region = models.CharField(_("region"), max_length=60, blank=True, db_index=True)
    tier = models.ForeignKey(
        Tier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customers",
        verbose_name=_("tier"),
    )
    segment = models.CharField(
        _("pyramid segment"), max_length=20, choices=Segment.choices, blank=True, db_index=True
    )
    monthly_value = models.DecimalField(
        _("monthly value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["external_id"]
        permissions = [("view_personal_data", _("Can see customers' personal data unmasked"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"

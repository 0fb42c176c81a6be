"""The promise ledger: service standards, authority limits, perks, commitments and their events."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yuqi.commitments.choices import (
    ApprovalState,
    CommitmentKind,
    CommitmentStatus,
    DurationUnit,
    EventKind,
)


class ServiceStandard(models.Model):
    """What the centre can achieve for a kind of promise (and tier), with the margin to keep.

    A row with a tier overrides the all-tiers row (tier blank) of the same kind.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=CommitmentKind.choices)
    tier = models.ForeignKey(
        "customers.Tier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tier"),
        help_text=_("Blank: every tier without a row of its own."),
    )
    achievable_amount = models.DecimalField(_("achievable time"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=DurationUnit.choices)
    buffer_amount = models.DecimalField(
        _("buffer"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("Margin added to the achievable time for the suggested due (same unit)."),
    )
    amount_limit = models.DecimalField(
        _("amount limit (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["kind", "tier__rank"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "tier"], name="commitments_standard_kind_tier"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(tier__isnull=True), name="commitments_standard_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.tier or _('all tiers')}"


class Perk(models.Model):
    """A tier perk (VIP 专属服务) and the lowest tier entitled to it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    min_tier = models.ForeignKey(
        "customers.Tier",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lowest tier entitled"),
    )

    class Meta:
        verbose_name = _("perk")
        verbose_name_plural = _("perks")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name


class PromiseAuthority(models.Model):
    """How much money (compensation, refunds) a role or a person may promise without approval.

    A row for a user overrides the rows of their roles; with several roles the highest counts.
    """

    role = models.CharField(_("role"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    max_amount = models.DecimalField(_("maximum amount (yuan)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("promise authority")
        verbose_name_plural = _("promise authorities")
        ordering = ["max_amount"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="") & Q(user__isnull=False))
                | (~Q(role="") & Q(user__isnull=True)),
                name="commitments_authority_role_xor_user",
            ),
            models.UniqueConstraint(
                fields=["role"], condition=~Q(role=""), name="commitments_authority_role"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(user__isnull=False), name="commitments_authority_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role or self.user}: {self.max_amount}"


class Commitment(models.Model):
    """One promise to a customer. Every change is a :class:`CommitmentEvent` as well."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CommitmentKind.choices)
    text = models.TextField(_("what was promised"))
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    department = models.CharField(_("department"), max_length=80, blank=True)
    perk = models.CharField(_("perk"), max_length=40, blank=True)
    promised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("promised by"),
    )
    promised_at = models.DateTimeField(_("promised at"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    calendar_name = models.CharField(_("calendar"), max_length=60, blank=True)
    # Years the due time was computed for without statutory holiday data (provisional).
    assumed_years = models.JSONField(_("years assumed without holiday data"), default=list)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complaint"),
    )
    interaction = models.ForeignKey(
        "interactions.Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interaction"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.OPEN,
        db_index=True,
    )
    # [{"code": "too_fast", "params": {...}}] from yuqi.domain.promise_guard at entry.
    flags = models.JSONField(_("guard flags"), default=list, blank=True)
    approval_state = models.CharField(
        _("approval"),
        max_length=20,
        choices=ApprovalState.choices,
        default=ApprovalState.NOT_NEEDED,
        db_index=True,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    approved_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    evidence = models.TextField(_("evidence of fulfilment"), blank=True)
    evidence_file = models.CharField(_("evidence attachment"), max_length=255, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True, db_index=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    broken_at = models.DateTimeField(_("broken at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_at", "id"]
        permissions = [("approve_commitment", _("Can approve or reject flagged promises"))]
        indexes = [models.Index(fields=["status", "due_at"], name="commitments_status_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} → {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.status in (CommitmentStatus.OPEN, CommitmentStatus.RENEGOTIATED)


class CommitmentEvent(models.Model):
    """Append-only ledger of a promise: made, approved, reminded, renegotiated, kept, broken."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="events", verbose_name=_("commitment")
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("commitment event")
        verbose_name_plural = _("commitment events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.at:%Y-%m-%d %H:%M}"

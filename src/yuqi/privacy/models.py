"""Personal-information requests, the consent ledger and the retention schedule."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access / copy")
    CORRECTION = "correction", _("Correction")
    DELETION = "deletion", _("Deletion")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("privacy request", "Received")
    VERIFIED = "verified", _("Identity checked")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class IdentityMethod(models.TextChoices):
    ID_CARD = "id_card", _("ID card shown in person")
    ID_COPY = "id_copy", _("Copy of ID card with signed request")
    CALLBACK = "callback", _("Call back to the phone number on file")
    SMS_CODE = "sms_code", _("One-time code to the phone number on file")
    OPERATOR = "operator", _("Operator's own procedure (command line)")


class PrivacyRequest(models.Model):
    """One request under PIPL arts. 44–47 about one customer. Holds the customer's key and
    external id only, never their name or numbers, so it survives their erasure."""

    kind = models.CharField(_("kind"), max_length=12, choices=RequestKind.choices)
    customer_id = models.BigIntegerField(_("customer"), db_index=True)
    customer_ref = models.CharField(_("customer id"), max_length=64, db_index=True)
    channel = models.CharField(_("received through"), max_length=40, blank=True)
    details = models.TextField(_("what is asked"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    identity_method = models.CharField(
        _("identity check"), max_length=12, choices=IdentityMethod.choices, blank=True
    )
    identity_note = models.CharField(_("identity check note"), max_length=200, blank=True)
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identity checked by"),
    )
    identity_checked_at = models.DateTimeField(_("identity checked at"), null=True, blank=True)
    export_sha256 = models.CharField(_("export checksum"), max_length=64, blank=True)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    export_count = models.PositiveIntegerField(_("exports produced"), default=0)
    reason = models.TextField(_("reason"), blank=True)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal-information request")
        verbose_name_plural = _("personal-information requests")
        ordering = ["-received_at", "-id"]
        permissions = [("erase_personal_data", _("Can erase a customer's personal data"))]

    def __str__(self) -> str:
        return f"PI-{self.pk} {self.kind} {self.customer_ref}"

    @property
    def number(self) -> str:
        return f"PI-{self.pk:05d}"


class Erasure(models.Model):
    """The one erasure of a customer (a second is refused)."""

    customer_id = models.BigIntegerField(_("customer"), unique=True)
    customer_ref = models.CharField(_("customer id"), max_length=64)
    request = models.ForeignKey(PrivacyRequest, on_delete=models.PROTECT, related_name="+")
    erased_at = models.DateTimeField(_("erased at"))

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"{self.customer_ref} {self.erased_at:%Y-%m-%d}"


class Purpose(models.TextChoices):
    SURVEY = "survey", _("Survey contact")
    MARKETING = "marketing", _("Marketing")
    RECORDING = "recording", _("Call recording")


class ConsentSource(models.TextChoices):
    PHONE = "phone", _("Phone call")
    WEB = "web", _("Web page")
    SMS = "sms", _("SMS reply")
    PAPER = "paper", _("Signed form")
    SURVEY_LINK = "survey_link", _("Survey opt-out link")
    ERASURE = "erasure", _("Erasure")


class ConsentEntry(models.Model):
    """Append-only: consent given or withdrawn, when and through what; the latest entry per
    (customer, purpose) is in force."""

    customer_id = models.BigIntegerField(_("customer"), db_index=True)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    given = models.BooleanField(_("given"))
    source = models.CharField(_("source"), max_length=12, choices=ConsentSource.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("consent entry")
        verbose_name_plural = _("consent ledger")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["customer_id", "purpose", "at"], name="consent_latest")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.purpose} {'+' if self.given else '-'}"


class RetentionRule(models.Model):
    """How long one data class is kept; 0 days keeps it for ever."""

    data_class = models.CharField(_("data class"), max_length=30, unique=True)
    days = models.PositiveIntegerField(_("kept for (days)"))
    basis = models.CharField(_("why this long"), max_length=200, blank=True)
    last_run_at = models.DateTimeField(_("last purge"), null=True, blank=True)
    last_count = models.PositiveIntegerField(_("records purged last time"), default=0)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention schedule")
        ordering = ["data_class"]

    def __str__(self) -> str:
        return f"{self.data_class}: {self.days}"

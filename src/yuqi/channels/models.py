"""The customer's own channels: one-time codes, what customers filed through the public form
(with their attachments), proactive notices and the customers who asked not to get them.

Phone numbers are never stored here in clear: a code row keeps a keyed hash of the number
(:func:`yuqi.channels.codes.phone_key`), and intake rows point at the customer record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuqi.channels.choices import (
    CodePurpose,
    IntakeKind,
    NoticeKind,
    NoticeState,
    RecipientOutcome,
)


class VerificationCode(models.Model):
    """A one-time SMS code: only its keyed hash is stored; it expires, counts wrong tries and
    is locked after the fifth."""

    purpose = models.CharField(_("purpose"), max_length=10, choices=CodePurpose.choices)
    phone_key = models.CharField(_("phone (keyed hash)"), max_length=64, db_index=True)
    ticket_number = models.CharField(_("ticket"), max_length=40, blank=True)
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        ordering = ["-created_at", "-id"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class IntakeSubmission(models.Model):
    """One complaint, suggestion or praise a customer filed on the public form; the ticket or
    the suggestion/praise record itself lives in the complaints context."""

    kind = models.CharField(_("kind"), max_length=12, choices=IntakeKind.choices)
    customer_id = models.BigIntegerField(_("customer"), db_index=True)
    complaint_id = models.BigIntegerField(_("complaint"), null=True, blank=True)
    complaint_number = models.CharField(_("ticket"), max_length=40, blank=True, db_index=True)
    feedback_id = models.BigIntegerField(_("suggestion or praise"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10)
    new_customer = models.BooleanField(_("new customer"), default=False)
    created_at = models.DateTimeField(_("filed at"), db_index=True)

    class Meta:
        verbose_name = _("customer submission")
        verbose_name_plural = _("customer submissions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.complaint_number or self.feedback_id}"


class Attachment(models.Model):
    """A file a customer attached: an image or a PDF, checked by its content, stored under
    the private data folder with a random name."""

    submission = models.ForeignKey(
        IntakeSubmission, on_delete=models.CASCADE, related_name="attachments"
    )
    stored_name = models.CharField(_("stored as"), max_length=80, unique=True)
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["submission", "id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return self.original_name


class Notice(models.Model):
    """A proactive message to a segment of customers (outage, maintenance, policy change, care).

    The audience is stored as filters (tiers, regions, pyramid segments, a queue, a product);
    it is resolved when previewed and again when sent. A text that names a perk some of the audience
    is not entitled to is held by the tier guard unless someone overrides it with a reason
    (kept on the row, and so in the audit log)."""

    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("text"), max_length=500)
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    segments = models.JSONField(_("pyramid segments"), default=list, blank=True)
    queue = models.CharField(_("affected queue"), max_length=40, blank=True)
    # A product or service line: a code of the complaint category tree (broadband, device…).
    product = models.CharField(_("product"), max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=NoticeState.choices, default=NoticeState.DRAFT
    )
    audience_size = models.PositiveIntegerField(_("audience"), default=0)
    sent_count = models.PositiveIntegerField(_("sent"), default=0)
    opted_out_count = models.PositiveIntegerField(_("left out (opted out)"), default=0)
    guard_findings = models.JSONField(_("tier guard findings"), default=list, blank=True)
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Sending runs as a background job (tasks.send_notice): when it was asked for, and how
    # many of the recipients frozen then it has dealt with so far.
    send_requested_at = models.DateTimeField(_("sending asked at"), null=True, blank=True)
    done_count = models.PositiveIntegerField(_("recipients done"), default=0)

    class Meta:
        verbose_name = _("customer notice")
        verbose_name_plural = _("customer notices")
        ordering = ["-created_at", "-id"]
        permissions = [("send_notice", _("Can send notices to customers"))]

    def __str__(self) -> str:
        return self.title


class NoticeOptOut(models.Model):
    """A customer who asked not to receive proactive notices."""

    customer_id = models.BigIntegerField(_("customer"), unique=True)
    source = models.CharField(_("source"), max_length=20)
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("notice opt-out")
        verbose_name_plural = _("notice opt-outs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.customer_id)


class NoticeRecipient(models.Model):
    """One customer a notice goes to, frozen when sending is asked for; ``done_at`` is set in
    the same transaction that logs the message, so a job run again never sends twice."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    customer_id = models.BigIntegerField(_("customer"))
    message_id = models.BigIntegerField(_("message"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=RecipientOutcome.choices, blank=True
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice recipient")
        verbose_name_plural = _("notice recipients")
        ordering = ["notice", "id"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "customer_id"], name="channels_one_row_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["notice", "done_at"], name="channels_recipient_pending")]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.customer_id}"

"""The e-mail intake's own records: each run of the mailbox job, each message it read (so no
message is processed twice) and each attachment it kept or refused."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yuqi.mailbox.choices import AttachmentStatus, Outcome, RunStatus


class MailboxRun(models.Model):
    """One pass of the job over the mailbox."""

    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    folder = models.CharField(_("folder"), max_length=200)
    seen = models.PositiveIntegerField(_("new messages"), default=0)
    created = models.PositiveIntegerField(_("new tickets"), default=0)
    threaded = models.PositiveIntegerField(_("added to tickets"), default=0)
    skipped = models.PositiveIntegerField(_("left or duplicate"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("mailbox run")
        verbose_name_plural = _("mailbox runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class InboundMail(models.Model):
    """One message read from the mailbox, keyed by folder + UIDVALIDITY + UID (unique: the
    same message is never processed twice, whatever crashes or runs at the same time)."""

    run = models.ForeignKey(
        MailboxRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="mails"
    )
    folder = models.CharField(_("folder"), max_length=200)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"))
    uid = models.BigIntegerField(_("UID"))
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    sender_name = models.CharField(_("sender name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    received_at = models.DateTimeField(_("read at"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    complaint_id = models.BigIntegerField(_("ticket"), null=True, blank=True, db_index=True)
    complaint_number = models.CharField(_("ticket number"), max_length=30, blank=True)
    customer_id = models.BigIntegerField(_("customer"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["folder", "uidvalidity", "uid"], name="mailbox_one_row_per_uid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.folder}/{self.uidvalidity}/{self.uid}"


class InboundAttachment(models.Model):
    """An attachment: kept in the private data folder under a random name (never its own
    name, never served inline), or refused with the reason."""

    mail = models.ForeignKey(InboundMail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    declared_type = models.CharField(_("declared type"), max_length=100, blank=True)
    detected_type = models.CharField(_("type by content"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    stored_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AttachmentStatus.choices)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("inbound attachment")
        verbose_name_plural = _("inbound attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename

"""The message log: every message Yuqi sends to a customer or a user, sent or not."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yuqi.notifications.choices import ChannelName, MessageStatus


class OutboundMessage(models.Model):
    """One message on one channel. ``recipient`` is the masked address for display;
    ``address`` is what the channel needs to deliver it (kept out of pages and the audit log).
    """

    subject_ref = models.CharField(
        _("about"), max_length=80, db_index=True, help_text=_('e.g. "complaint:42"')
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ChannelName.choices)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=254, blank=True)
    customer_id = models.BigIntegerField(_("customer"), null=True, blank=True, db_index=True)
    user_id = models.BigIntegerField(_("user"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10)
    template = models.CharField(_("template"), max_length=60)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # A message to a user is also an in-app alert (the bell): read when they open the list.
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="notif_status_created"),
            models.Index(fields=["user_id", "read_at"], name="notif_user_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_ref} {self.channel} {self.recipient}"

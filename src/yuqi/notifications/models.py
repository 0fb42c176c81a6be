"""The message log: every message Yuqi sends to a customer or a user, sent or not."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yuqi.notifications.choices import ChannelName, MessageStatus, SmsProvider


class OutboundMessage(models.Model):
    """One message on one channel. ``recipient`` is the masked address for display;
    ``address`` is what the channel needs to deliver it (kept out of pages and the audit log).
    """

    subject_ref = models.CharField(_("about"), max_length=80, help_text=_('e.g. "complaint:42"'))
    channel = models.CharField(_("channel"), max_length=10, choices=ChannelName.choices)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=254, blank=True)
    customer_id = models.BigIntegerField(_("customer"), null=True, blank=True)
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
    # SMS through a template gateway: the values the template's variables are filled from
    # (strings, from the message's context), the gateway's id for the receipt, the attempts.
    params = models.JSONField(_("template parameters"), default=dict, blank=True)
    provider = models.CharField(_("gateway"), max_length=10, blank=True)
    provider_id = models.CharField(_("gateway's id"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["created_at", "id"]
        # Every message is written once and marked once more when it is sent (a new row
        # version in every index), thousands at a time by the SLA sweep: one index per look-up.
        indexes = [
            models.Index(fields=["status", "created_at"], name="notif_status_created"),
            models.Index(fields=["user_id", "read_at"], name="notif_user_unread"),
            # a reference (messages_about) and a reference prefix (the log's filter) in one
            # index: the pattern operator class answers both (PostgreSQL; plain elsewhere)
            models.Index(
                fields=["subject_ref"], name="notif_subject_ref", opclasses=["varchar_pattern_ops"]
            ),
            # a customer's messages (their personal data's export and erasure); messages to
            # users (the SLA sweep's thousands) have no customer, so no entry here
            models.Index(
                fields=["customer_id"],
                name="notif_customer",
                condition=models.Q(customer_id__isnull=False),
            ),
            # receipts look a gateway's id up; e-mails (most messages) have none
            models.Index(
                fields=["provider_id"],
                name="notif_provider_id",
                condition=~models.Q(provider_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_ref} {self.channel} {self.recipient}"


class SmsTemplate(models.Model):
    """A Yuqi message (its template name, e.g. ``complaint_received``) → the template code the
    provider approved, and which of the message's values fill the template's variables.

    Chinese gateways send only approved templates with a registered signature, never free
    text: the rendered body stays in the message log for people; the gateway gets the code
    and the parameters."""

    kind = models.CharField(_("message kind"), max_length=60)
    provider = models.CharField(_("gateway"), max_length=10, choices=SmsProvider.choices)
    template_code = models.CharField(_("template code"), max_length=60)
    params = models.CharField(
        _("parameters"),
        max_length=300,
        blank=True,
        help_text=_(
            "Names of the message's values, comma-separated, in the order of the template's "
            "variables (e.g. number,first_response_due)."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SMS template")
        verbose_name_plural = _("SMS templates")
        ordering = ["provider", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "provider"], name="notif_one_template_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.kind} → {self.template_code}"

    def param_names(self) -> list[str]:
        return [name.strip() for name in self.params.split(",") if name.strip()][:20]

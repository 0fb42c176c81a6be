"""Choice sets of the customer channels context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IntakeKind(models.TextChoices):
    COMPLAINT = "complaint", pgettext_lazy("intake kind", "Complaint")
    SUGGESTION = "suggestion", pgettext_lazy("intake kind", "Suggestion")
    PRAISE = "praise", pgettext_lazy("intake kind", "Praise")


class CodePurpose(models.TextChoices):
    INTAKE = "intake", _("Filing a complaint or suggestion")
    STATUS = "status", _("Looking up a ticket")
    OPT_OUT = "optout", _("Stopping notices")


class NoticeKind(models.TextChoices):
    OUTAGE = "outage", _("Outage")
    MAINTENANCE = "maintenance", _("Planned maintenance")
    POLICY = "policy", _("Policy change")
    CARE = "care", _("Care message")


class NoticeState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("notice state", "Draft")
    SENDING = "sending", pgettext_lazy("notice state", "Sending")
    SENT = "sent", pgettext_lazy("notice state", "Sent")


class RecipientOutcome(models.TextChoices):
    SENT = "sent", pgettext_lazy("notice recipient", "Message logged")
    OPTED_OUT = "optout", pgettext_lazy("notice recipient", "Opted out meanwhile")

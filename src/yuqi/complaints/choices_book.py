"""Value sets of the complaint book: playbook scope, contact channels, appeal bodies,
dispute kinds, retention outcomes, suggestion/praise."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaybookScope(models.TextChoices):
    LEVEL = "level", _("Complaint level")
    TYPE = "type", _("Complainer type")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    VISIT = "visit", _("Visit")


class AppealBody(models.TextChoices):
    MIIT = "miit", _("MIIT (工信部)")
    CA = "ca", _("Communications administration (通管局)")
    C12315 = "12315", _("12315 consumer hotline")
    OTHER = "other", _("Other")


class DisputeKind(models.TextChoices):
    """The time bar's two kinds (电信用户申诉处理办法 art. 11)."""

    BILLING = "billing", _("Billing or charges (5 months)")
    OTHER = "other", _("Other dispute (2 years)")


class RetentionOutcome(models.TextChoices):
    RETAINED = "retained", _("Customer stays")
    AT_RISK = "at_risk", _("Still at risk")
    LOST = "lost", _("Customer leaving")
    UNREACHABLE = "unreachable", _("Not reached")


class FeedbackKind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class FeedbackSource(models.TextChoices):
    CONTACT = "contact", _("A contact")
    API = "api", _("API")
    FORM = "form", _("Public form")


#: Book event kinds, with their timeline labels (the ``ComplaintEvent.kind`` values).
BOOK_EVENT_LABELS = {
    "playbook_switched": _("Playbook changed"),
    "step_ticked": _("Playbook step done"),
    "contact_attempt": _("Contact attempt"),
    "contact_alert": _("Contact clock alert"),
    "risk_alert": _("High-risk alert"),
    "pr_legal_notice": _("PR and legal notified"),
    "senior_owner": _("Senior owner named"),
    "appeal_recorded": _("Regulator appeal recorded"),
    "appeal_alert": _("Appeal deadline alert"),
    "retention_due": _("Retention callback scheduled"),
    "retention_done": _("Retention callback done"),
    "above_standard": _("Above the service standard: approval needed"),
}

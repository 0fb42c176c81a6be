from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """The contact vocabulary's codes (``yuqi.domain.contacts.CHANNELS``, kept equal by a test)."""

    PHONE = "phone", _("Phone")
    IVR = "ivr", _("IVR")
    EMAIL = "email", _("E-mail")
    WEB_CHAT = "webchat", _("Web chat")
    APP = "app", _("App")
    SOCIAL = "social", _("WeChat / social")
    SMS = "sms", _("SMS")
    VISIT = "visit", _("Store visit")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")


class ContactOutcome(models.TextChoices):
    """How a contact ended, as the agent records it (the disposition)."""

    RESOLVED = "resolved", _("Issue resolved")
    ANSWERED = "answered", _("Question answered")
    FOLLOW_UP = "follow_up", _("Needs follow-up")
    CALLBACK = "callback", _("Call back promised")
    COMPLAINT = "complaint", _("Complaint to open")
    OTHER = "other", _("Other")


#: The service-level conventions of ``yuqi.domain.kpi.SL_CONVENTIONS``, for a queue to choose.
SL_CONVENTION_CHOICES = [
    (
        "short_abandons_excluded",
        _("Short abandons excluded: answered within Y ÷ (offered − short abandons)"),
    ),
    ("abandons_in_denominator", _("Abandons in the denominator: answered within Y ÷ offered")),
    ("abandons_excluded", _("Abandons excluded: answered within Y ÷ (offered − abandoned)")),
    ("answered_only", _("Answered only: answered within Y ÷ answered")),
]

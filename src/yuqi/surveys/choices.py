"""Choice sets of the surveys context (one source for forms, badges, API and analysis)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    SERVQUAL = "servqual", _("SERVQUAL")
    KANO = "kano", _("Kano")
    POST_CONTACT = "post_contact", _("Post-contact")
    NPS = "nps", _("Relationship NPS")
    CSAT = "csat", _("Satisfaction")
    CUSTOM = "custom", _("Custom")


class QuestionType(models.TextChoices):
    RATING = "rating", _("Rating scale")
    NPS = "nps", _("NPS (0–10)")
    CSAT = "csat", _("CSAT (1–5)")
    CES = "ces", _("Customer effort (1–7)")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    TEXT = "text", _("Open text")
    SERVQUAL_ITEM = "servqual_item", _("SERVQUAL item")
    KANO_PAIR = "kano_pair", _("Kano pair")
    IMPORTANCE_ALLOCATION = "importance_allocation", _("Importance allocation (100 points)")


#: fixed scales of the standard question types (min, max)
FIXED_SCALES: dict[str, tuple[int, int]] = {
    QuestionType.NPS: (0, 10),
    QuestionType.CSAT: (1, 5),
    QuestionType.CES: (1, 7),
    QuestionType.SERVQUAL_ITEM: (1, 7),
}
#: the scales a rating question may use
RATING_SCALES: tuple[tuple[int, int], ...] = ((1, 5), (1, 7), (0, 10))


class ServqualDimension(models.TextChoices):
    """The five SERVQUAL dimensions (same codes as ``yuqi.domain.servqual.DIMENSIONS``)."""

    TANGIBLES = "tangibles", _("Tangibles")
    RELIABILITY = "reliability", _("Reliability")
    RESPONSIVENESS = "responsiveness", _("Responsiveness")
    ASSURANCE = "assurance", _("Assurance")
    EMPATHY = "empathy", _("Empathy")


class KanoAnswer(models.TextChoices):
    """The five standard Kano answers (same codes as ``yuqi.domain.kano.ANSWERS``).

    Stored in ``Answer.value`` as 1–5 in this order and in ``Answer.choices`` as the code.
    """

    LIKE = "like", _("I like it")
    MUST_BE = "must-be", _("I expect it")
    NEUTRAL = "neutral", _("I am neutral")
    LIVE_WITH = "live-with", _("I can live with it")
    DISLIKE = "dislike", _("I dislike it")


class AnswerPart:
    """The ``Answer.part`` values: one answer row per question part."""

    WHOLE = ""
    EXPECTATION = "expectation"
    PERCEPTION = "perception"
    FUNCTIONAL = "functional"
    DYSFUNCTIONAL = "dysfunctional"
    IMPORTANCE_PREFIX = "importance:"

    @classmethod
    def importance(cls, dimension: str) -> str:
        return f"{cls.IMPORTANCE_PREFIX}{dimension}"


class SampleSizeMode(models.TextChoices):
    CALCULATOR = "calculator", _("Calculator (margin of error)")
    FIXED = "fixed", _("Fixed size")


class AllocationMethod(models.TextChoices):
    PROPORTIONAL = "proportional", _("Proportional")
    NEYMAN = "neyman", _("Neyman (optimum)")
    EQUAL = "equal", _("Equal")


class StrataField(models.TextChoices):
    TIER = "tier", _("Tier")
    REGION = "region", _("Region")
    SEGMENT = "segment", _("Pyramid segment")


class InvitationChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    CALL_LIST = "call_list", _("Outbound call list")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SAMPLED = "sampled", _("Sampled")
    SENT = "sent", _("Sent")
    CLOSED = "closed", _("Closed")


class ResponseChannel(models.TextChoices):
    WEB = "web", _("Web link")
    CALL = "call", _("Entered by an agent")
    API = "api", _("API")


class FollowUpReason(models.TextChoices):
    NOT_RESOLVED = "not_resolved", _("Issue not resolved (对事)")
    UNHAPPY_WITH_SERVICE = "unhappy_with_service", _("Unhappy with the service (对人)")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class InvitationSource(models.TextChoices):
    CAMPAIGN = "campaign", _("Campaign")
    COMPLAINT = "complaint", _("Closed complaint")
    INTERACTION = "interaction", _("Sampled contact")


class Recurrence(models.TextChoices):
    """How often a campaign is measured again as a new wave drawn the same way."""

    ONCE = "", _("Once (no waves)")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")

"""Value sets of the complaints context: one source for forms, badges, the API and charts.

The workflow states mirror :mod:`yuqi.domain.complaint_workflow` (the transition table lives
there); the values here only add translated labels and a badge colour
(:class:`yuqi.core.choices.ChoiceSet`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuqi.core.choices import ChoiceSet, Colour


class ComplaintState(ChoiceSet):
    """Workflow states; labels carry a context so "Closed"/"New" are not confused with
    other contexts' words of the same spelling (a customer's closed account)."""

    NEW = "new", pgettext_lazy("complaint state", "New"), Colour.RED
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("complaint state", "Acknowledged"), Colour.AMBER
    INVESTIGATING = "investigating", pgettext_lazy("complaint state", "Investigating"), Colour.BLUE
    WAITING_CUSTOMER = (
        "waiting_customer",
        pgettext_lazy("complaint state", "Waiting for customer"),
        Colour.GREY,
    )
    WAITING_DEPARTMENT = (
        "waiting_department",
        pgettext_lazy("complaint state", "Waiting for department"),
        Colour.GREY,
    )
    SOLUTION_PROPOSED = (
        "solution_proposed",
        pgettext_lazy("complaint state", "Solution proposed"),
        Colour.BLUE,
    )
    AGREED = "agreed", pgettext_lazy("complaint state", "Agreed"), Colour.TEAL
    SHELVED_FORWARDED = (
        "shelved_forwarded",
        pgettext_lazy("complaint state", "Shelved and forwarded"),
        Colour.PURPLE,
    )
    RECOVERY = "recovery", pgettext_lazy("complaint state", "Service recovery"), Colour.AMBER
    RESOLVED = "resolved", pgettext_lazy("complaint state", "Resolved"), Colour.GREEN
    CALLBACK_DONE = "callback_done", pgettext_lazy("complaint state", "Callback done"), Colour.GREEN
    CLOSED = "closed", pgettext_lazy("complaint state", "Closed"), Colour.SILVER


#: States in which a ticket is still open (shown in the work queue, counted as "open").
OPEN_STATES: frozenset[str] = frozenset(
    value for value in ComplaintState.values if value != ComplaintState.CLOSED
)


class SourceChannel(models.TextChoices):
    """How the complaint reached us; ``regulator`` is an appeal forwarded by 工信部/通管局/12315."""

    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web form")
    APP = "app", _("App")
    SOCIAL = "social", _("WeChat / social media")
    SMS = "sms", _("SMS")
    VISIT = "visit", _("Store visit")
    LETTER = "letter", _("Letter")
    REGULATOR = "regulator", _("Forwarded by a regulator")
    MEDIA = "media", _("Media")


class ComplainerType(models.TextChoices):
    """The four complainers of [seed-001] (关键时刻如何确认客户满意)."""

    PASSIVE = "passive", _("Passive (消极者)")
    VOICER = "voicer", _("Voicer (积极者)")
    IRATE = "irate", _("Irate (发怒者)")
    ACTIVIST = "activist", _("Activist (发飙者)")


class ClockKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")
    CALLBACK = "callback", _("Callback after resolution")


class TargetUnit(models.TextChoices):
    """How a policy's target is counted. Day units follow the Civil Code (start day not
    counted, a deadline on a rest day moves to the next working day, ends at close of business)."""

    WORKING_DAYS = "working_days", _("Working days")
    BUSINESS_HOURS = "business_hours", _("Business hours")
    CALENDAR_DAYS = "calendar_days", _("Calendar days")
    CALENDAR_HOURS = "calendar_hours", _("Calendar hours")


class ClockPhase(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")


class ClockState(ChoiceSet):
    """Live states while a clock runs; ``met``/``missed`` once it stopped. At risk is amber
    (the queue's traffic light and ``.status-amber``), not the orange of an old unused map."""

    ON_TRACK = "on_track", _("On track"), Colour.GREEN
    AT_RISK = "at_risk", _("At risk"), Colour.AMBER
    BREACHED = "breached", _("Breached"), Colour.RED
    MET = "met", _("Met"), Colour.GREEN
    MISSED = "missed", _("Missed"), Colour.RED


#: Order of urgency for the work queue (lower first).
CLOCK_STATE_URGENCY: dict[str, int] = {
    "breached": 0,
    "at_risk": 1,
    "on_track": 2,
    "missed": 3,
    "met": 4,
    "": 5,
}


class RecoveryKind(models.TextChoices):
    APOLOGY = "apology", _("Apology")
    COMPENSATION = "compensation", _("Compensation")
    REPAIR = "repair", _("Repair")
    FEE_WAIVER = "fee_waiver", _("Fee waiver")
    OTHER = "other", _("Other")


class RecoveryStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PENDING = "pending", _("Awaiting approval")
    REJECTED = "rejected", _("Rejected")


class ChecklistItem(models.TextChoices):
    """The handler's expectation-setting steps from [seed-003] (如何降低客户的期望值)."""

    EXPECTATIONS_RANKED = "expectations_ranked", _("Learned and ranked the customer's expectations")
    POSSIBLE_EXPLAINED = "possible_explained", _("Said what is and is not possible")
    REASON_GIVEN = "reason_given", _("Gave the reason")
    UNDERSTANDING_SHOWN = "understanding_shown", _("Showed understanding")
    ATTENTION_SHOWN = "attention_shown", _("Showed the company's attention")
    SOLUTION_AGREED = "solution_agreed", _("Agreed a solution")


class EventKind(models.TextChoices):
    """Kinds of timeline events; each has one constructor in :mod:`yuqi.complaints.events`."""

    OPENED = "opened", _("Opened")
    TRANSITIONED = "transitioned", _("State changed")
    ESCALATED = "escalated", _("Level raised")
    UPDATED = "updated", _("Details changed")
    ASSIGNED = "assigned", _("Assigned")
    CHECKLIST_UPDATED = "checklist_updated", _("Checklist updated")
    AGREEMENT_RECORDED = "agreement_recorded", _("Agreement recorded")
    RECOVERY_ADDED = "recovery_added", _("Recovery action added")
    RECOVERY_DECIDED = "recovery_decided", _("Recovery approval decided")
    CALLBACK_RECORDED = "callback_recorded", _("Callback recorded")
    TYPE_CONFIRMED = "type_confirmed", _("Complainer type confirmed")
    RISK_REFRESHED = "risk_refreshed", _("Escalation risk rescored")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", pgettext_lazy("timeline event", "Closed")
    NOTE = "note", _("Note")
    CUSTOMER_NOTIFIED = "customer_notified", _("Customer notified")
    SLA_ALERT = "sla_alert", _("SLA alert sent")
    SLA_ALERT_DEFERRED = "sla_alert_deferred", _("SLA alert deferred")
    CLOCKS_RECOMPUTED = "clocks_recomputed", _("Clocks recomputed")
    PROMISE = "promise", _("Promise")
    EMAIL_RECEIVED = "email_received", _("E-mail received")
    EXTERNAL = "external", _("Recorded by another context")


class RiskReason(models.TextChoices):
    """Why a ticket's escalation risk scored what it did: the codes of
    ``yuqi.domain.complainer`` (and ``yuqi.domain.text.signals``) in people's words."""

    REPEAT_COMPLAINTS = "repeat_complaints", _("Complained before")
    MENTIONS_REGULATOR = "mentions_regulator", _("Mentions a regulator")
    MENTIONS_MEDIA = "mentions_media", _("Mentions the media")
    MENTIONS_LAWYER = "mentions_lawyer", _("Mentions a lawyer")
    BROKEN_PROMISES = "broken_promises", _("Broken promises")
    VIP_TIER = "vip_tier", _("VIP tier")
    ANGER_INTENSITY = "anger_intensity", _("Angry tone")
    REPEAT_MENTION = "repeat_mention", _("Says it happened before")
    PREVIOUS_ESCALATIONS = "previous_escalations", _("Escalated before")
    GIVES_UP = "gives_up", _("Giving up")
    COMPLAINS_TO_US = "complains_to_us", _("Complains to us")


#: Reasons whose detail is machine text (English counts, scores): shown without it.
RISK_DETAIL_HIDDEN = ("repeat_complaints", "anger_intensity")

from django.db import models
from django.utils.translation import gettext_lazy as _

from yuqi.core.choices import ChoiceSet, Colour
from yuqi.domain.promise_guard import DurationUnit as _Unit
from yuqi.domain.promise_guard import FlagCode as _Flag


class CommitmentKind(ChoiceSet):
    """A ChoiceSet (registered as ``commitments.CommitmentKind``) so other contexts' pages can
    name a kind they only know by its code (a complaint's timeline)."""

    CALLBACK = "callback", _("Callback"), Colour.BLUE
    REPAIR = "repair", _("Repair"), Colour.TEAL
    REFUND = "refund", _("Refund"), Colour.AMBER
    COMPENSATION = "compensation", _("Compensation"), Colour.AMBER
    DEPARTMENT_REPLY = "department_reply", _("Department reply"), Colour.PURPLE
    FEE_CHANGE = "fee_change", _("Fee change"), Colour.BROWN
    OTHER = "other", _("Other"), Colour.GREY


class CommitmentStatus(ChoiceSet):
    OPEN = "open", _("Open"), Colour.TEAL
    FULFILLED = "fulfilled", _("Fulfilled"), Colour.GREEN
    BROKEN = "broken", _("Broken"), Colour.RED
    RENEGOTIATED = "renegotiated", _("Renegotiated"), Colour.BLUE
    CANCELLED = "cancelled", _("Cancelled"), Colour.GREY


#: Statuses of a promise still to be kept (a renegotiated promise is live with its new due).
LIVE_STATUSES = (CommitmentStatus.OPEN, CommitmentStatus.RENEGOTIATED)


class ApprovalState(ChoiceSet):
    NOT_NEEDED = "not_needed", _("Not needed"), Colour.GREY
    PENDING = "pending", _("Awaiting approval"), Colour.AMBER
    APPROVED = "approved", _("Approved"), Colour.GREEN
    REJECTED = "rejected", _("Rejected"), Colour.RED
    # The promise was closed (broken when its due time passed, or cancelled) while it still
    # awaited approval: nobody decided, and nobody can any more. Only live promises are pending.
    LAPSED = "lapsed", _("Lapsed unapproved"), Colour.RED


#: Approval states in which the customer has been told of the promise. Only a promise in one
#: of them may be fulfilled or renegotiated: one awaiting approval is approved or rejected
#: first, and one rejected or lapsed is replaced by a new, compliant promise.
TOLD_STATES = (ApprovalState.NOT_NEEDED, ApprovalState.APPROVED)


class EventKind(models.TextChoices):
    MADE = "made", _("Promise made")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REMINDED = "reminded", _("Reminder sent")
    RENEGOTIATED = "renegotiated", _("Renegotiated")
    FULFILLED = "fulfilled", _("Fulfilled")
    BROKEN = "broken", _("Broken")
    CANCELLED = "cancelled", _("Cancelled")


class DurationUnit(models.TextChoices):
    WORKING_DAYS = _Unit.WORKING_DAYS.value, _("working days")
    BUSINESS_HOURS = _Unit.BUSINESS_HOURS.value, _("business hours")
    CALENDAR_HOURS = _Unit.CALENDAR_HOURS.value, _("calendar hours")
    BILLING_CYCLES = _Unit.BILLING_CYCLES.value, _("billing cycles")


class GuardFlagCode(models.TextChoices):
    """Labels of the guard's flags (the codes come from ``yuqi.domain.promise_guard``)."""

    TOO_FAST = _Flag.TOO_FAST.value, _("Faster than the service standard")
    OVER_AUTHORITY = _Flag.OVER_AUTHORITY.value, _("Amount beyond the promiser's authority")
    OVER_STANDARD_AMOUNT = _Flag.OVER_STANDARD_AMOUNT.value, _("Amount beyond the standard")
    PERK_ABOVE_TIER = _Flag.PERK_ABOVE_TIER.value, _("Perk reserved for a higher tier")

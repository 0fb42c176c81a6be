"""Value sets of the quality context (value, label, colour)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yuqi.core.choices import ChoiceSet, Colour


class FormKind(ChoiceSet):
    CALL = "call", _("Call handling"), Colour.BLUE
    COMPLAINT = "complaint", _("Complaint handling"), Colour.PURPLE
    MYSTERY = "mystery", _("Mystery shopping"), Colour.TEAL


class SubjectKind(ChoiceSet):
    INTERACTION = "interaction", _("Contact"), Colour.BLUE
    COMPLAINT = "complaint", _("Complaint"), Colour.PURPLE
    MYSTERY = "mystery", _("Mystery-shopping task"), Colour.TEAL


class EvaluationStatus(ChoiceSet):
    SUBMITTED = "submitted", _("Awaiting the agent"), Colour.AMBER
    ACKNOWLEDGED = "acknowledged", _("Acknowledged"), Colour.GREEN
    DISPUTED = "disputed", _("Disputed, with a second evaluator"), Colour.RED
    REVIEWED = "reviewed", _("Dispute reviewed"), Colour.BLUE
    CALIBRATION = "calibration", _("Calibration score"), Colour.GREY


class ReviewOutcome(ChoiceSet):
    UPHELD = "upheld", _("Score upheld"), Colour.GREY
    CHANGED = "changed", _("Score changed"), Colour.GREEN


class SampleMethod(ChoiceSet):
    RANDOM = "random", _("Random"), Colour.GREY
    STRATIFIED = "stratified", _("Stratified by agent and queue"), Colour.BLUE
    COMPLAINTS = "complaints", _("Targeted: complaints"), Colour.PURPLE
    LOW_SURVEY = "low_survey", _("Targeted: low survey answers"), Colour.RED
    LONG_HANDLE = "long_handle", _("Targeted: long handle times"), Colour.AMBER
    BROKEN_PROMISE = "broken_promise", _("Targeted: broken promises"), Colour.BROWN


class FlagRule(ChoiceSet):
    PHRASE = "phrase", _("Forbidden or discouraged phrase"), Colour.RED
    UNRECORDED_PROMISE = "unrecorded_promise", _("Promise in the text, none recorded"), Colour.AMBER
    REPEAT_CONTACT = "repeat_contact", _("Repeated contact on the same category"), Colour.PURPLE


class FlagStatus(ChoiceSet):
    OPEN = "open", _("To review"), Colour.AMBER
    CONFIRMED = "confirmed", _("Confirmed"), Colour.RED
    DISMISSED = "dismissed", _("Dismissed"), Colour.GREY


class PhraseSeverity(ChoiceSet):
    FORBIDDEN = "forbidden", _("Forbidden"), Colour.RED
    DISCOURAGED = "discouraged", _("Discouraged"), Colour.AMBER


class TaskStatus(ChoiceSet):
    PLANNED = "planned", _("Planned"), Colour.GREY
    DONE = "done", _("Done and scored"), Colour.GREEN


class TrainingSource(ChoiceSet):
    ENTERED = "entered", _("Entered"), Colour.GREY
    IMPORTED = "imported", _("Imported"), Colour.BLUE

"""Complaints handled by the book: playbooks per level and complainer type, the
per-ticket book state (contact clock, senior owner, high-risk alert), ticked steps, logged
contact attempts, regulator appeals, retention callbacks of passive complainers, and
suggestion/praise records.

Imported by :mod:`yuqi.complaints.models`, so Django sees these models in the complaints app.
Every write goes through :mod:`yuqi.complaints.book`; nothing here holds business rules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yuqi.complaints.choices_book import (
    AppealBody,
    ContactChannel,
    DisputeKind,
    FeedbackKind,
    FeedbackSource,
    PlaybookScope,
    RetentionOutcome,
)
from yuqi.complaints.models_config import ConfigManager


def _english() -> bool:
    return (get_language() or "").startswith("en")


class Playbook(models.Model):
    """The way of handling one complaint level ([seed-003]) or one complainer type
    ([seed-001]): steps, who must be told, the keep-in-contact cadence, whether a senior owner
    is required, whether settlements are held to the service standard ("规范处理"). Editable in
    the admin; the shipped defaults name their source."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    scope = models.CharField(_("applies to"), max_length=10, choices=PlaybookScope.choices)
    level = models.OneToOneField(
        "complaints.ComplaintLevel",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="playbook",
        verbose_name=_("level"),
    )
    complainer_type = models.CharField(
        _("complainer type"), max_length=10, blank=True, unique=True, null=True
    )
    name = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    principle = models.CharField(_("principle (Chinese)"), max_length=200, blank=True)
    principle_en = models.CharField(_("principle (English)"), max_length=200, blank=True)
    tell = models.CharField(
        _("who must be told (Chinese)"), max_length=200, blank=True, help_text=_("e.g. 班长、公关")
    )
    tell_en = models.CharField(_("who must be told (English)"), max_length=200, blank=True)
    contact_every_hours = models.PositiveSmallIntegerField(
        _("keep contact every (business hours)"),
        null=True,
        blank=True,
        help_text=_("Blank: no contact clock from this playbook"),
    )
    requires_senior_owner = models.BooleanField(_("requires a named senior owner"), default=False)
    pr_legal_notice = models.BooleanField(_("notify PR and legal"), default=False)
    by_the_book = models.BooleanField(
        _("settle by the book"),
        default=False,
        help_text=_("A settlement above the service standard needs approval (不额外提高服务标准)"),
    )
    retention_callback_days = models.PositiveSmallIntegerField(
        _("retention callback after closing (working days)"), null=True, blank=True
    )
    source = models.TextField(_("source"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = ConfigManager()  # bulk writes move the configuration's version on

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        ordering = ["scope", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope="level", level__isnull=False, complainer_type__isnull=True)
                    | models.Q(scope="type", level__isnull=True, complainer_type__isnull=False)
                ),
                name="complaints_playbook_scope",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return (self.name_en if _english() else self.name) or self.name or self.code

    @property
    def principle_label(self) -> str:
        return (self.principle_en if _english() else self.principle) or self.principle

    @property
    def tell_label(self) -> str:
        return (self.tell_en if _english() else self.tell) or self.tell


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(
        Playbook, on_delete=models.CASCADE, related_name="steps", verbose_name=_("playbook")
    )
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("step (Chinese)"), max_length=200)
    text_en = models.CharField(_("step (English)"), max_length=200)

    objects = ConfigManager()  # bulk writes move the configuration's version on

    class Meta:
        verbose_name = _("playbook step")
        verbose_name_plural = _("playbook steps")
        ordering = ["playbook", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["playbook", "code"], name="complaints_step_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return (self.text_en if _english() else self.text) or self.text


class TicketBook(models.Model):
    """The book state of one ticket: which playbooks apply, the keep-in-contact clock (due and
    warn times are indexed columns swept by the alert sweep), the named senior owner and the
    once-only high-risk alert."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="book"
    )
    playbooks = models.JSONField(_("playbooks applied"), default=list, blank=True)
    contact_every_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    contact_restarted_at = models.DateTimeField(null=True, blank=True)
    contact_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    contact_warn_at = models.DateTimeField(null=True, blank=True, db_index=True)
    contact_assumed_years = models.JSONField(default=list, blank=True)
    contact_warned_at = models.DateTimeField(null=True, blank=True)
    contact_lapse_alerted_at = models.DateTimeField(null=True, blank=True)
    senior_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("senior owner"),
    )
    risk_alerted_at = models.DateTimeField(null=True, blank=True)
    pr_notice_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ticket book")
        verbose_name_plural = _("ticket books")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.complaint_id}"


class StepTick(models.Model):
    """A playbook step done on a ticket; one row per (ticket, step), so ticking twice is a
    no-op."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="step_ticks"
    )
    step = models.ForeignKey(PlaybookStep, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["complaint", "step"], name="complaints_tick_once")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.step_id}"


class ContactAttempt(models.Model):
    """A logged attempt to speak to the customer (phone, SMS, visit), reached or not."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="contact_attempts"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    reached = models.BooleanField(_("reached the customer"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.channel} {self.at:%Y-%m-%d %H:%M}"


class RegulatorAppeal(models.Model):
    """A regulator appeal (监管申诉) on a ticket, with its statutory dates computed by
    :mod:`yuqi.domain.regulator` and stored (indexed) for the alert sweep. Statutory dates never
    pause."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="appeals"
    )
    number = models.CharField(_("appeal number"), max_length=40, unique=True)
    body = models.CharField(_("appeal body"), max_length=10, choices=AppealBody.choices)
    received_on = models.DateField(_("received"))
    materials_complete_on = models.DateField(_("materials complete"), null=True, blank=True)
    event_date = models.DateField(_("event date"), null=True, blank=True)
    dispute = models.CharField(_("dispute"), max_length=10, choices=DisputeKind.choices)
    time_bar_status = models.CharField(_("time bar"), max_length=10)
    time_bar_last_day = models.DateField(_("last day to appeal"), null=True, blank=True)
    acceptance_due = models.DateField(_("acceptance decision due"), db_index=True)
    reply_due = models.DateField(_("reply due"), db_index=True)
    assumed_years = models.JSONField(_("years without holiday data"), default=list, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    acceptance_alerted_at = models.DateTimeField(null=True, blank=True)
    reply_alerted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("regulator appeal")
        verbose_name_plural = _("regulator appeals")
        ordering = ["-received_on", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return self.number


class RetentionCallback(models.Model):
    """The retention call owed to a passive complainer (消极者, [seed-001]: never comes back and
    warns friends) after the ticket closed, due on the business calendar; its outcome."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="retention_callback"
    )
    due_at = models.DateTimeField(_("due"), db_index=True)
    assumed_years = models.JSONField(default=list, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=RetentionOutcome.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("retention callback")
        verbose_name_plural = _("retention callbacks")
        ordering = ["due_at", "id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.due_at:%Y-%m-%d}"


class Feedback(models.Model):
    """A suggestion or praise: not every contact is a complaint. The customer is thanked
    ([seed-002]: thank every customer for opinions), an owner follows it up, and it counts as
    evidence on the expectation register (through ``complaints.facade.feedback_evidence``)."""

    kind = models.CharField(_("kind"), max_length=12, choices=FeedbackKind.choices)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    text = models.TextField(_("what the customer said"))
    topic = models.CharField(
        _("topic (expectation category)"),
        max_length=80,
        blank=True,
        help_text=_("A taxonomy code such as network.coverage; links it to the register"),
    )
    source = models.CharField(_("source"), max_length=10, choices=FeedbackSource.choices)
    interaction_id = models.PositiveIntegerField(_("contact"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    thanked_at = models.DateTimeField(_("thanked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), db_index=True)

    class Meta:
        verbose_name = _("suggestion or praise")
        verbose_name_plural = _("suggestions and praise")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


#: Every model of the book (registered with the audit log).
BOOK_MODELS = (
    Playbook,
    PlaybookStep,
    TicketBook,
    StepTick,
    ContactAttempt,
    RegulatorAppeal,
    RetentionCallback,
    Feedback,
)

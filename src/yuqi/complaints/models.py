"""Complaint tickets, their configuration (levels, categories, root causes, SLA policies),
timeline, recovery actions and SLA clocks.

Every write goes through :mod:`yuqi.complaints.services`; nothing here holds business rules.
Other contexts' rows are referenced by foreign key only (customer, tier, team, user) and read
through their facades.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yuqi.complaints.choices import (
    RISK_DETAIL_HIDDEN,
    ClockKind,
    ClockPhase,
    ClockState,
    ComplainerType,
    ComplaintState,
    RecoveryKind,
    RecoveryStatus,
    RiskReason,
    SourceChannel,
    TargetUnit,
)
from yuqi.complaints.models_config import (  # noqa: F401  (the configuration's version)
    ComplaintConfigVersion,
    ConfigManager,
)
from yuqi.domain.calendar import BusinessCalendar, TimeBasis
from yuqi.domain.sla import ClockSegment, ClockStatus, SegmentState, SlaTarget, clock_status


class _Bilingual(models.Model):
    """A configurable row with a Chinese and an English name; shown in the user's language."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    active = models.BooleanField(_("active"), default=True)

    objects = ConfigManager()  # bulk writes move the configuration's version on

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        english = (get_language() or "").startswith("en")
        return (self.name_en if english else self.name) or self.name or self.code


class ComplaintLevel(_Bilingual):
    """本地抱怨 local / 越级投诉 over-level / 监管申诉 regulator appeal ([seed-003]); configurable.

    ``rank`` orders the levels: escalating means moving to a higher rank. A regulator level's
    alerts ignore working hours (the appeal's time limits run regardless).
    """

    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    is_regulator = models.BooleanField(_("regulator appeal"), default=False)
    handling = models.CharField(
        _("handling principle"),
        max_length=200,
        blank=True,
        help_text=_("e.g. respond fast, keep contact, avoid further escalation"),
    )

    class Meta:
        verbose_name = _("complaint level")
        verbose_name_plural = _("complaint levels")
        ordering = ["rank"]


class ComplaintCategory(_Bilingual):
    """A node of the configurable category tree (网络质量 › 信号覆盖 …)."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["position", "code"]


class RootCause(_Bilingual):
    """Why the complaint happened; a ticket cannot close without one."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")
        ordering = ["position", "code"]


class SlaPolicy(models.Model):
    """A target for one clock of one level (optionally one tier): e.g. regulator appeals are
    answered within 15 calendar days (电信用户申诉处理办法). ``source`` records where a default
    came from; every row is editable."""

    level = models.ForeignKey(
        ComplaintLevel, on_delete=models.CASCADE, related_name="policies", verbose_name=_("level")
    )
    tier = models.ForeignKey(
        "customers.Tier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tier"),
        help_text=_("Blank: every tier without a policy of its own"),
    )
    clock_kind = models.CharField(_("clock"), max_length=20, choices=ClockKind.choices)
    target_amount = models.PositiveIntegerField(_("target"), validators=[MinValueValidator(1)])
    target_unit = models.CharField(_("unit"), max_length=20, choices=TargetUnit.choices)
    warn_fraction = models.DecimalField(
        _("warn at share used"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.75"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1"))],
    )
    calendar_name = models.CharField(
        _("calendar"),
        max_length=60,
        blank=True,
        help_text=_("Blank: the team's business calendar"),
    )
    source = models.TextField(_("source"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = ConfigManager()  # bulk writes move the configuration's version on

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["level__rank", "clock_kind", "tier__rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "tier", "clock_kind"], name="complaints_policy_unique"
            ),
            models.UniqueConstraint(
                fields=["level", "clock_kind"],
                condition=models.Q(tier__isnull=True),
                name="complaints_policy_unique_default",
            ),
        ]

    def __str__(self) -> str:
        unit = self.get_target_unit_display()
        return f"{self.level} · {self.get_clock_kind_display()} · {self.target_amount} {unit}"


class ComplaintDaySequence(models.Model):
    """The last ticket number used on a local date: numbers are claimed with an UPDATE on this
    row inside the opening transaction, so two handlers never get the same number."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class Complaint(models.Model):
    """A complaint ticket. ``version`` increases on every change (optimistic locking)."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("customer"),
    )
    channel = models.CharField(
        _("source channel"), max_length=12, choices=SourceChannel.choices, default="phone"
    )
    level = models.ForeignKey(
        ComplaintLevel, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("level")
    )
    category = models.ForeignKey(
        ComplaintCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("category"),
    )
    account = models.TextField(_("the customer's account"))
    demand = models.TextField(_("demand (诉求)"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_complaints",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        "interactions.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ComplaintState.choices,
        default=ComplaintState.NEW,
        db_index=True,
    )
    # Complainer type ([seed-001]) and escalation risk: suggested by rules, confirmed by people.
    complainer_type_suggested = models.CharField(
        _("suggested complainer type"), max_length=10, choices=ComplainerType.choices, blank=True
    )
    complainer_type = models.CharField(
        _("complainer type"), max_length=10, choices=ComplainerType.choices, blank=True
    )
    complainer_reasons = models.JSONField(_("why this type"), default=list, blank=True)
    risk_score = models.PositiveSmallIntegerField(_("escalation risk"), default=0, db_index=True)
    risk_reasons = models.JSONField(_("risk reasons"), default=list, blank=True)
    root_cause = models.ForeignKey(
        RootCause,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("root cause"),
    )
    root_cause_note = models.TextField(_("root cause note"), blank=True)
    # The handler's expectation-setting checklist ([seed-003]), one flag per step.
    chk_expectations_ranked = models.BooleanField(
        _("learned and ranked expectations"), default=False
    )
    chk_possible_explained = models.BooleanField(_("said what is possible"), default=False)
    chk_reason_given = models.BooleanField(_("gave the reason"), default=False)
    chk_understanding_shown = models.BooleanField(_("showed understanding"), default=False)
    chk_attention_shown = models.BooleanField(_("showed the company's attention"), default=False)
    chk_solution_agreed = models.BooleanField(_("agreed a solution"), default=False)
    # Agreement: a solution accepted, or a need shelved and forwarded with a promised answer.
    agreement_solution = models.TextField(_("solution"), blank=True)
    agreement_accepted = models.BooleanField(_("solution accepted"), null=True, blank=True)
    shelved_need = models.TextField(_("shelved need"), blank=True)
    forwarded_department = models.CharField(
        _("forwarded to department"), max_length=100, blank=True
    )
    promised_answer_at = models.DateTimeField(_("promised answer by"), null=True, blank=True)
    agreement_commitment_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Callback: 对事 (solved, expectation met) and 对人 (attitude felt good), [seed-001].
    callback_solved = models.BooleanField(_("solved (对事)"), null=True, blank=True)
    callback_expectation_met = models.BooleanField(_("expectation met"), null=True, blank=True)
    callback_attitude_ok = models.BooleanField(
        _("attitude felt good (对人)"), null=True, blank=True
    )
    callback_note = models.TextField(_("callback note"), blank=True)
    callback_at = models.DateTimeField(_("callback at"), null=True, blank=True)
    # Denormalised from the clocks for the work queue (recomputed with them).
    sla_state = models.CharField(
        _("SLA state"), max_length=10, choices=ClockState.choices, blank=True, db_index=True
    )
    next_due_at = models.DateTimeField(_("next due"), null=True, blank=True, db_index=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-opened_at"]
        permissions = [
            ("approve_compensation", _("Can approve compensation beyond a handler's authority")),
            ("view_complaint_measures", _("Can view complaint and promise measures")),
        ]
        indexes = [models.Index(fields=["customer", "opened_at"], name="complaints_cust_opened")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state != ComplaintState.CLOSED

    @property
    def risk_reason_lines(self) -> list[tuple[str, int, str]]:
        """``risk_reasons`` for people: ``(label, points, detail)``, the code named in words
        and machine-written details left out."""
        labels = dict(RiskReason.choices)
        lines = []
        for reason in self.risk_reasons or []:
            code, points, detail = [*reason, 0, ""][:3]
            label = str(labels.get(code, _("Other signal")))
            lines.append((label, points, "" if code in RISK_DETAIL_HIDDEN else str(detail or "")))
        return lines

    @property
    def callback_satisfied(self) -> bool | None:
        """True if 对事 and 对人 were all confirmed; None before the callback."""
        answers = (self.callback_solved, self.callback_expectation_met, self.callback_attitude_ok)
        if any(answer is None for answer in answers):
            return None
        return all(answers)


class RecoveryAction(models.Model):
    """A service recovery step (apology, compensation, repair, fee waiver…) with its cost.

    Compensation beyond the handler's authority waits for another person's approval.
    """

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="recovery_actions"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=RecoveryKind.choices)
    amount = models.DecimalField(
        _("amount to the customer"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    cost = models.DecimalField(
        _("cost to us"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecoveryStatus.choices, default=RecoveryStatus.APPROVED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created at"))
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approver"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Why it awaits approval: "over_authority", "above_standard" (by-the-book tickets).
    flags = models.JSONField(_("approval reasons"), default=list, blank=True)

    class Meta:
        verbose_name = _("recovery action")
        verbose_name_plural = _("recovery actions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} · {self.get_kind_display()}"


class ComplaintEvent(models.Model):
    """One entry of a ticket's timeline, append-only (saleor's OrderEvent): created only by the
    constructors in :mod:`yuqi.complaints.events`, never edited."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} @ {self.at:%Y-%m-%d %H:%M}"


def segments_of(rows: list[dict[str, Any]]) -> tuple[ClockSegment, ...]:
    """A clock's stored JSON ``segments`` as domain objects."""
    return tuple(
        ClockSegment(
            dt.datetime.fromisoformat(row["start"]),
            dt.datetime.fromisoformat(row["end"]) if row.get("end") else None,
            SegmentState(row["state"]),
            row.get("reason", ""),
        )
        for row in rows
    )


def target_of(target_seconds: int, basis: str, warn_fraction: Decimal | float) -> SlaTarget:
    """A clock's stored policy snapshot as its target."""
    return SlaTarget(dt.timedelta(seconds=target_seconds), TimeBasis(basis), float(warn_fraction))


class SlaClock(models.Model):
    """One SLA clock of a ticket, stored as running/paused segments plus a policy snapshot.

    ``due_at``/``warn_at``/``state`` are derived by :func:`yuqi.domain.sla.clock_status` and
    stored (indexed) so the alert sweep selects due rows without computing every clock. A
    restart (level raised, ticket reopened) stops this row and starts a new one.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(_("clock"), max_length=20, choices=ClockKind.choices)
    policy = models.ForeignKey(
        SlaPolicy, on_delete=models.SET_NULL, null=True, blank=True, related_name="clocks"
    )
    level_code = models.CharField(_("level"), max_length=40)
    target_amount = models.PositiveIntegerField(_("target"))
    target_unit = models.CharField(_("unit"), max_length=20, choices=TargetUnit.choices)
    target_seconds = models.PositiveBigIntegerField(_("target (s)"))
    basis = models.CharField(_("basis"), max_length=10)  # yuqi.domain.calendar.TimeBasis
    warn_fraction = models.DecimalField(
        _("warn at share used"), max_digits=3, decimal_places=2, default=Decimal("0.75")
    )
    calendar_name = models.CharField(_("calendar"), max_length=60, blank=True)
    segments = models.JSONField(_("segments"), default=list)
    started_at = models.DateTimeField(_("started at"))
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    phase = models.CharField(
        _("phase"), max_length=10, choices=ClockPhase.choices, default=ClockPhase.RUNNING
    )
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    warn_at = models.DateTimeField(_("at risk from"), null=True, blank=True, db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ClockState.choices, default=ClockState.ON_TRACK
    )
    elapsed_seconds = models.PositiveBigIntegerField(_("time used (s)"), default=0)
    paused_seconds = models.PositiveBigIntegerField(_("time paused (s)"), default=0)
    assumed_years = models.JSONField(_("years without holiday data"), default=list, blank=True)
    alerted_at_risk_at = models.DateTimeField(null=True, blank=True)
    alerted_breach_at = models.DateTimeField(null=True, blank=True)
    next_alert_at = models.DateTimeField(null=True, blank=True, db_index=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    #: A met clock's target as it stood when it stopped: the time it had left, added on its
    #: calendar from the stop (``clocks.met_target``), kept so that SLA compliance counts the
    #: clocks due in a period in SQL. Blank on every other clock (and on a met clock written
    #: before the column, which the measures then compute as before).
    met_target_at = models.DateTimeField(_("target (met clock)"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["started_at", "id"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["phase", "kind"], name="complaints_clock_phase"),
            models.Index(fields=["met_target_at"], name="complaints_clock_met_target"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} ({self.phase})"

    def clock_segments(self) -> tuple[ClockSegment, ...]:
        """The stored JSON ``segments`` as domain objects."""
        return segments_of(self.segments)

    def target(self) -> SlaTarget:
        """The policy target snapshotted when the clock started (re-derived on calendar change)."""
        return target_of(self.target_seconds, self.basis, self.warn_fraction)

    def status(self, *, at: dt.datetime, calendar: BusinessCalendar) -> ClockStatus:
        """The clock at ``at`` on ``calendar``: phase, due and warn times, state, time used."""
        return clock_status(self.clock_segments(), target=self.target(), calendar=calendar, now=at)

    @property
    def provisional(self) -> bool:
        """True if some year in the clock was computed without statutory holiday data."""
        return bool(self.assumed_years)


class SavedQueueView(models.Model):
    """A user's saved work-queue filter and sort, e.g. "regulator appeals at risk"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=600, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("saved queue view")
        verbose_name_plural = _("saved queue views")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="complaints_view_user_name")
        ]

    def __str__(self) -> str:
        return self.name


from yuqi.complaints.models_book import (  # noqa: E402, F401  (the complaint book)
    ContactAttempt,
    Feedback,
    Playbook,
    PlaybookStep,
    RegulatorAppeal,
    RetentionCallback,
    StepTick,
    TicketBook,
)

#: The configuration kept per process under ``ComplaintConfigVersion``
#: (:mod:`yuqi.complaints.config_kept`): every write of these moves the version on.
CONFIG_MODELS = (ComplaintLevel, ComplaintCategory, RootCause, SlaPolicy, Playbook, PlaybookStep)

"""Improvement actions (PDCA): the action, its links, tasks, transitions and effect checks.

Other contexts are referred to by code (an expectation, a root cause, a QA item…), never by a
foreign key, so a link survives when the thing it names is deleted and is shown as gone.
Every write goes through :mod:`yuqi.improvement.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Status(models.TextChoices):
    PLAN = "plan", pgettext_lazy("PDCA", "Plan")
    DO = "do", pgettext_lazy("PDCA", "Do")
    CHECK = "check", pgettext_lazy("PDCA", "Check")
    ACT = "act", pgettext_lazy("PDCA", "Act")
    CLOSED = "closed", pgettext_lazy("PDCA", "Closed")


OPEN = ("plan", "do", "check", "act")


class Outcome(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    NO_EFFECT = "no_effect", _("No effect")


class MeasureKind(models.TextChoices):
    KPI = "contact_kpi", _("Contact KPI")
    CSAT = "csat", _("CSAT (satisfied share)")
    NPS = "nps", _("NPS")
    CES = "ces", _("Customer effort (CES)")
    SERVQUAL = "servqual", _("SERVQUAL gap (item or dimension)")
    COMPLAINT_RATE = "complaint_rate", _("Complaints per 10,000 customers")
    QA_ITEM = "qa_item", _("QA item failure rate")
    PEER_GAP = "peer_gap", _("Gap to the best peer")
    REGISTERED = "registered", _("Scorecard measure (a share)")


class LinkKind(models.TextChoices):
    EXPECTATION = "expectation", _("Expectation")
    ROOT_CAUSE = "root_cause", _("Root cause")
    CATEGORY = "category", _("Complaint category")
    INDICATOR = "indicator", _("Peer indicator")
    OFFERING = "offering", _("Offering")
    QA_ITEM = "qa_item", _("QA item")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered")
    PARETO = "pareto", _("From the root-cause Pareto")
    QA_PARETO = "qa_pareto", _("From the QA auto-fail Pareto")
    REGISTER = "register", _("From the expectation register")


class Verdict(models.TextChoices):
    IMPROVED = "improved", _("Improved: the change is real")
    WORSENED = "worsened", _("Worsened: the change is real")
    NO_EVIDENCE = "no_evidence", _("No change shown")
    NOT_COMPUTABLE = "not_computable", _("Not computable")
    NOT_YET = "not_yet", _("Not possible yet")


class ImprovementAction(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    plan = models.TextField(_("plan"), blank=True)
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="improvement_actions", verbose_name=_("owner")
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PLAN, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    measure_kind = models.CharField(
        _("measure"), max_length=16, choices=MeasureKind.choices, blank=True
    )
    measure_ref = models.CharField(_("measure detail"), max_length=80, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    baseline_start = models.DateField(_("baseline from"), null=True, blank=True)
    baseline_end = models.DateField(_("baseline to"), null=True, blank=True)
    changed_on = models.DateField(_("change in place on"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    overdue_alerted_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["due_date", "number"]
        permissions = [
            ("verify_action", _("Can check an improvement action's effect and close it")),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="improvement_status_due")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ActionLink(models.Model):
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=12, choices=LinkKind.choices)
    ref = models.CharField(_("reference"), max_length=80)
    label = models.CharField(_("label when linked"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("action link")
        verbose_name_plural = _("action links")
        ordering = ["action", "kind", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["action", "kind", "ref"], name="improvement_link_once")
        ]
        indexes = [models.Index(fields=["kind", "ref"], name="improvement_link_ref")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


class ActionTask(models.Model):
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("action task")
        verbose_name_plural = _("action tasks")
        ordering = ["action", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionEvent(models.Model):
    """One step of the action's history (a transition, a check, a closing)."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_status = models.CharField(max_length=8, blank=True)
    to_status = models.CharField(max_length=8, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["action", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.from_status}→{self.to_status}"

    @property
    def from_label(self) -> str:
        return str(Status(self.from_status).label) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return str(Status(self.to_status).label) if self.to_status else ""


class EffectCheck(models.Model):
    """One before/after check, as computed (kept: a later check does not overwrite it)."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(_("checked at"))
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    measure_kind = models.CharField(max_length=16)
    measure_ref = models.CharField(max_length=80, blank=True)
    method = models.CharField(_("method"), max_length=20, blank=True)
    before_start = models.DateField()
    before_end = models.DateField()
    after_start = models.DateField()
    after_end = models.DateField()
    n_before = models.PositiveIntegerField(null=True, blank=True)
    n_after = models.PositiveIntegerField(null=True, blank=True)
    value_before = models.FloatField(null=True, blank=True)
    value_after = models.FloatField(null=True, blank=True)
    difference = models.FloatField(null=True, blank=True)
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    p_value = models.FloatField(null=True, blank=True)
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    possible_on = models.DateField(null=True, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    sentence_zh = models.TextField(blank=True)
    sentence_en = models.TextField(blank=True)

    class Meta:
        verbose_name = _("effect check")
        verbose_name_plural = _("effect checks")
        ordering = ["action", "-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.get_verdict_display()}"

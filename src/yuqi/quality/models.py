"""Quality monitoring (质检): QA forms and their versions, evaluations (with disputes), sample
lists, calibration sessions, automatic checks, mystery shopping, coaching and training.

Other contexts are referred to by id or code only (contacts, tickets, agents' work numbers);
users by foreign key, as every context does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuqi.quality.choices import (
    EvaluationStatus,
    FlagRule,
    FlagStatus,
    FormKind,
    PhraseSeverity,
    ReviewOutcome,
    SampleMethod,
    SubjectKind,
    TaskStatus,
    TrainingSource,
)

USER = settings.AUTH_USER_MODEL


class QualitySettings(models.Model):
    """One row: the dispute window and the repeat-contact window of the automatic check."""

    dispute_days = models.PositiveSmallIntegerField(_("days to dispute an evaluation"), default=7)
    repeat_contact_days = models.PositiveSmallIntegerField(
        _("repeat contact window (days)"), default=7
    )

    class Meta:
        verbose_name = _("quality settings")
        verbose_name_plural = _("quality settings")
        permissions = [
            ("view_quality", _("Can view quality monitoring")),
            ("evaluate", _("Can evaluate contacts and review disputes")),
            ("configure_quality", _("Can edit QA forms, phrases and settings")),
            ("view_own_evaluations", _("Can see and answer one's own evaluations")),
        ]

    def __str__(self) -> str:
        return str(_("quality settings"))


class QaForm(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=FormKind.choices)
    builtin = models.BooleanField(_("built in"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("QA form")
        verbose_name_plural = _("QA forms")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class QaFormVersion(models.Model):
    """A form as it was published; never edited (an edit publishes a new version), so an
    evaluation keeps the version it was scored on."""

    form = models.ForeignKey(QaForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    structure = models.JSONField(_("sections and items"))
    max_points = models.PositiveIntegerField(_("maximum points"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("QA form version")
        verbose_name_plural = _("QA form versions")
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="qa_form_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"


class SampleList(models.Model):
    name = models.CharField(_("name"), max_length=120)
    method = models.CharField(_("method"), max_length=16, choices=SampleMethod.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    per_agent = models.PositiveSmallIntegerField(_("contacts per agent"), default=2)
    seed = models.PositiveIntegerField(_("seed"))
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("sample list")
        verbose_name_plural = _("sample lists")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class SampleItem(models.Model):
    sample = models.ForeignKey(SampleList, on_delete=models.CASCADE, related_name="items")
    subject_kind = models.CharField(max_length=12, choices=SubjectKind.choices)
    subject_id = models.PositiveIntegerField()
    agent_code = models.CharField(max_length=40, blank=True)
    queue_code = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["sample", "agent_code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "subject_kind", "subject_id"], name="qa_sample_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sample} · {self.subject_kind} {self.subject_id}"


class CalibrationSession(models.Model):
    name = models.CharField(_("name"), max_length=120)
    form_version = models.ForeignKey(QaFormVersion, on_delete=models.PROTECT)
    subjects = models.JSONField(_("contacts"), default=list)  # [[kind, id], …]
    evaluators = models.ManyToManyField(USER, related_name="calibration_sessions")
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    """One evaluator's scoring of one contact, ticket or mystery-shopping task."""

    form_version = models.ForeignKey(
        QaFormVersion, on_delete=models.PROTECT, related_name="evaluations"
    )
    subject_kind = models.CharField(_("subject"), max_length=12, choices=SubjectKind.choices)
    subject_id = models.PositiveIntegerField(_("subject id"))
    agent_code = models.CharField(_("agent"), max_length=40, blank=True, db_index=True)
    agent_user = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="qa_received"
    )
    team_code = models.CharField(_("team"), max_length=40, blank=True)
    queue_code = models.CharField(_("queue"), max_length=40, blank=True)
    contact_at = models.DateTimeField(_("contact time"), null=True, blank=True)
    evaluator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="qa_given")
    answers = models.JSONField(_("answers"), default=dict)  # item key → points or None (N/A)
    item_notes = models.JSONField(_("item notes"), default=dict)
    earned = models.PositiveIntegerField(_("points earned"))
    possible = models.PositiveIntegerField(_("points possible"))
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    auto_failed = models.BooleanField(_("auto-failed"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.JSONField(_("evidence"), default=dict)
    status = models.CharField(_("status"), max_length=14, choices=EvaluationStatus.choices)
    sample_item = models.ForeignKey(
        SampleItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="evaluations"
    )
    calibration = models.ForeignKey(
        CalibrationSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    dispute_until = models.DateTimeField(_("dispute until"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    disputed_at = models.DateTimeField(_("disputed at"), null=True, blank=True)
    dispute_reason = models.TextField(_("dispute reason"), blank=True)
    reviewer = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="qa_reviewed"
    )
    review_outcome = models.CharField(
        _("review outcome"), max_length=10, choices=ReviewOutcome.choices, blank=True
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    original_score = models.DecimalField(
        _("score before review (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["subject_kind", "subject_id"], name="qa_eval_subject"),
            models.Index(fields=["agent_code", "submitted_at"], name="qa_eval_agent_time"),
            models.Index(fields=["status", "submitted_at"], name="qa_eval_status_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["calibration", "evaluator", "subject_kind", "subject_id"],
                name="qa_calibration_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_kind_display()} {self.subject_id} · {self.score}"


class PhraseRule(models.Model):
    phrase = models.CharField(_("phrase"), max_length=60, unique=True)
    severity = models.CharField(_("severity"), max_length=12, choices=PhraseSeverity.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("phrase rule")
        verbose_name_plural = _("phrase rules")
        ordering = ["severity", "phrase"]

    def __str__(self) -> str:
        return self.phrase


class AutoFlag(models.Model):
    """A contact or ticket an automatic check flagged for review; confirmed or dismissed."""

    rule = models.CharField(_("rule"), max_length=20, choices=FlagRule.choices)
    subject_kind = models.CharField(_("subject"), max_length=12, choices=SubjectKind.choices)
    subject_id = models.PositiveIntegerField(_("subject id"))
    key = models.CharField(max_length=80, blank=True)  # what matched (phrase, category…)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    agent_code = models.CharField(_("agent"), max_length=40, blank=True)
    found_at = models.DateTimeField(_("found at"))
    status = models.CharField(
        _("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("automatic flag")
        verbose_name_plural = _("automatic flags")
        ordering = ["-found_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_kind", "subject_id", "key"], name="qa_flag_unique"
            )
        ]
        indexes = [models.Index(fields=["status", "rule"], name="qa_flag_status_rule")]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject_kind} {self.subject_id}"


class MysteryTask(models.Model):
    """Our own mystery shopping: a scenario and script done by a named shopper, then scored."""

    title = models.CharField(_("title"), max_length=120)
    scenario = models.TextField(_("scenario"))
    script = models.TextField(_("script"), blank=True)
    shopper = models.CharField(_("shopper"), max_length=80)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    planned_on = models.DateField(_("planned on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    agent_code = models.CharField(_("agent reached"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.PLANNED
    )
    form = models.ForeignKey(QaForm, on_delete=models.PROTECT)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True)

    class Meta:
        verbose_name = _("mystery-shopping task")
        verbose_name_plural = _("mystery-shopping tasks")
        ordering = ["-planned_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class PeerTestCall(models.Model):
    """One test call to a peer centre (参与具体的体验, [seed-000])."""

    peer = models.CharField(_("peer centre"), max_length=120, db_index=True)
    called_at = models.DateTimeField(_("called at"))
    number_called = models.CharField(_("number called"), max_length=30)
    answered = models.BooleanField(_("answered by a person"))
    wait_seconds = models.PositiveIntegerField(_("wait to answer (s)"), null=True, blank=True)
    ivr_steps = models.PositiveSmallIntegerField(_("IVR steps"), default=0)
    question_answered = models.BooleanField(_("question answered"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    caller = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True)

    class Meta:
        verbose_name = _("peer test call")
        verbose_name_plural = _("peer test calls")
        ordering = ["-called_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.peer} {self.called_at:%Y-%m-%d %H:%M}"


class CoachingNote(models.Model):
    agent_code = models.CharField(_("agent"), max_length=40, db_index=True)
    coach = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=120)
    note = models.TextField(_("note"))
    evaluation = models.ForeignKey(Evaluation, on_delete=models.SET_NULL, null=True, blank=True)
    coached_on = models.DateField(_("coached on"))
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("coaching note")
        verbose_name_plural = _("coaching notes")
        ordering = ["-coached_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agent_code}: {self.topic}"


class TrainingRecord(models.Model):
    agent_code = models.CharField(_("agent"), max_length=40, db_index=True)
    course = models.CharField(_("course"), max_length=120)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    taken_on = models.DateField(_("date"))
    result = models.CharField(_("result"), max_length=60, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=TrainingSource.choices, default=TrainingSource.ENTERED
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-taken_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent_code", "course", "taken_on"], name="qa_training_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=200),
                name="qa_training_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent_code}: {self.course}"

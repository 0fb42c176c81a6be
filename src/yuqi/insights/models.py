"""Peer benchmarking: peer centres, their indicator values and offerings, ours, and targets.

The third source of expectation information ([seed-000]): what other call centres achieve
(接通率, 等待时长, ease of use) and what they offer that we do not (他有我无).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Indicator(models.TextChoices):
    """The benchmarked indicators; the direction of each lives in ``INDICATOR_DIRECTIONS``."""

    ANSWER_RATE = "answer_rate", _("Answer rate")
    ASA_SECONDS = "asa_seconds", _("Average speed of answer (s)")
    ABANDON_RATE = "abandon_rate", _("Abandon rate")
    SERVICE_LEVEL = "service_level", _("Service level")
    FCR = "fcr", _("First-contact resolution")
    EASE_OF_USE = "ease_of_use", _("Ease-of-use score")
    SATISFACTION = "satisfaction", _("Satisfaction")
    NPS = "nps", _("Net promoter score")


class Scope(models.TextChoices):
    """Which contacts a peer's figure covers; our value is computed on the same scope
    (``yuqi.domain.kpi.SCOPE_CHANNELS``): a hotline's ASA is compared with our voice ASA."""

    VOICE = "voice", _("Voice hotline")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    ALL = "all", _("All channels")


#: Indicators that are not per channel (survey figures): their scope defaults to all.
SURVEY_INDICATORS = frozenset({"ease_of_use", "satisfaction", "nps"})


#: True when a higher value is better. Rates are fractions in [0, 1]; ASA in seconds;
#: ease of use and satisfaction on the peer's own scale (usually 0–100 or 1–5); NPS −100..100.
INDICATOR_HIGHER_IS_BETTER: dict[str, bool] = {
    Indicator.ANSWER_RATE: True,
    Indicator.ASA_SECONDS: False,
    Indicator.ABANDON_RATE: False,
    Indicator.SERVICE_LEVEL: True,
    Indicator.FCR: True,
    Indicator.EASE_OF_USE: True,
    Indicator.SATISFACTION: True,
    Indicator.NPS: True,
}


class PeerCentre(models.Model):
    """Another service centre we watch (same or other industry)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    industry = models.CharField(_("industry"), max_length=60, blank=True)
    region = models.CharField(_("region"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("peer centre")
        verbose_name_plural = _("peer centres")
        ordering = ["name"]
        permissions = [("view_insights", _("Can view benchmarks and expectation insights"))]

    def __str__(self) -> str:
        return self.name


class PeerIndicatorValue(models.Model):
    """One peer's value of one indicator over one period, with where it came from."""

    peer = models.ForeignKey(
        PeerCentre, on_delete=models.CASCADE, related_name="values", verbose_name=_("peer")
    )
    indicator = models.CharField(_("indicator"), max_length=20, choices=Indicator.choices)
    scope = models.CharField(
        _("scope"),
        max_length=10,
        choices=Scope.choices,
        default=Scope.VOICE,
        help_text=_("The contacts the figure covers; ours is computed on the same scope."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("peer indicator value")
        verbose_name_plural = _("peer indicator values")
        ordering = ["indicator", "period_start", "peer"]
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "indicator", "scope", "period_start", "period_end"],
                name="peer_value_unique_scope_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="peer_value_period_order",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period_start"], name="peer_value_ind_start")]

    def __str__(self) -> str:
        return f"{self.peer} {self.indicator} {self.period_start}: {self.value}"


class Offering(models.Model):
    """A feature or service a centre may offer (回拨, 视频客服, 7×24 人工 …)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PeerOffering(models.Model):
    """A peer centre offers this."""

    peer = models.ForeignKey(
        PeerCentre, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("peer")
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="peers", verbose_name=_("offering")
    )
    since = models.DateField(_("since"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("peer offering")
        verbose_name_plural = _("peer offerings")
        constraints = [
            models.UniqueConstraint(fields=["peer", "offering"], name="peer_offering_unique")
        ]

    def __str__(self) -> str:
        return f"{self.peer}: {self.offering}"


class OurOffering(models.Model):
    """We offer this."""

    offering = models.OneToOneField(
        Offering, on_delete=models.CASCADE, related_name="ours", verbose_name=_("offering")
    )
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("our offering")
        verbose_name_plural = _("our offerings")

    def __str__(self) -> str:
        return str(self.offering)


class IndicatorTarget(models.Model):
    """Our target for an indicator (same unit as the values)."""

    indicator = models.CharField(
        _("indicator"), max_length=20, choices=Indicator.choices, unique=True
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=4)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target}"


# --- the expectation register ([seed-000]: 客户期望评测结果表) --------------------------------


class ExpectationStatus(models.TextChoices):
    NEW = "new", _("New")
    CONFIRMED = "confirmed", _("Confirmed")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    GUIDED = "guided", _("Guided")
    MERGED = "merged", _("Merged")
    SPLIT = "split", _("Split")
    RETIRED = "retired", _("Retired")


#: statuses that take part in an evaluation run (the others are history)
LIVE_STATUSES = ("new", "confirmed", "planned", "in_progress", "achieved", "guided")


class Grade(models.TextChoices):
    A = "A", _("A: reachable without much resource")
    B = "B", _("B: reachable in the medium or long term")
    C = "C", _("C: not reachable, guide the customer")


class ResourceLevel(models.TextChoices):
    LOW = "low", pgettext_lazy("resource needed", "Low")
    MEDIUM = "medium", pgettext_lazy("resource needed", "Medium")
    HIGH = "high", pgettext_lazy("resource needed", "High")


class Expectation(models.Model):
    """One customer expectation in the register. ``grade`` is written only by
    ``services.grade_decide`` (a :class:`GradeDecision` row each time)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    statement = models.CharField(_("statement (Chinese)"), max_length=300)
    statement_en = models.CharField(_("statement (English)"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=60, blank=True, db_index=True)
    servqual_dimension = models.CharField(_("SERVQUAL dimension"), max_length=30, blank=True)
    servqual_item = models.CharField(_("SERVQUAL item"), max_length=60, blank=True)
    indicator = models.CharField(
        _("indicator"), max_length=20, choices=Indicator.choices, blank=True
    )
    offering = models.ForeignKey(
        Offering,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expectations",
        verbose_name=_("offering"),
    )
    kano_feature = models.CharField(_("Kano feature"), max_length=60, blank=True)
    kano = models.CharField(_("Kano class"), max_length=1, blank=True)
    tiers = models.JSONField(_("affected tiers"), default=dict, blank=True)
    affected_customers = models.PositiveIntegerField(_("affected customers"), default=0)
    importance = models.PositiveSmallIntegerField(_("importance (0–100)"), default=50)
    current_value = models.FloatField(_("current performance"), null=True, blank=True)
    current_unit = models.CharField(_("unit"), max_length=20, blank=True)
    current_source = models.CharField(_("performance source"), max_length=120, blank=True)
    target = models.FloatField(_("target"), null=True, blank=True)
    lower_is_better = models.BooleanField(_("lower is better"), default=False)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ExpectationStatus.choices, default="new"
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    split_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="split_into",
        verbose_name=_("split from"),
    )
    resource = models.CharField(
        _("resource needed"), max_length=6, choices=ResourceLevel.choices, blank=True
    )
    cost = models.DecimalField(
        _("cost (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    months = models.FloatField(_("months to deliver"), null=True, blank=True)
    feasible = models.BooleanField(
        _("feasible under policy and regulation"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Empty until assessed: the grade then needs assessment."),
    )
    grading_notes = models.TextField(_("grading notes"), blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    action = models.TextField(_("action"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")
        ordering = ["code"]
        permissions = [
            ("view_expectations", _("Can see known customer expectations and guidance")),
            ("decide_grade", _("Can decide an expectation's grade")),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.statement}"


class EvidenceSource(models.TextChoices):
    COMPLAINTS = "complaints", _("Complaints")
    SURVEY = "survey", _("Survey")
    BENCHMARK = "benchmark", _("Benchmark")
    FEEDBACK = "feedback", _("Suggestions and praise")


class Evidence(models.Model):
    """What one source said about one expectation over one period (numbers in ``summary``)."""

    expectation = models.ForeignKey(
        Expectation,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("expectation"),
    )
    source = models.CharField(_("source"), max_length=12, choices=EvidenceSource.choices)
    key = models.CharField(_("key"), max_length=80, blank=True)
    summary = models.JSONField(_("summary"), default=dict)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    collected_at = models.DateTimeField(_("collected at"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["expectation", "source", "-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["expectation", "source", "key", "period_start", "period_end"],
                name="evidence_unique_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expectation.code} {self.source} {self.period_end}"


class GradeDecision(models.Model):
    """Append-only: the only way a grade changes."""

    expectation = models.ForeignKey(
        Expectation,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("expectation"),
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    previous_grade = models.CharField(_("previous grade"), max_length=1, blank=True)
    suggested_grade = models.CharField(_("suggested grade"), max_length=1, blank=True)
    suggestion_reasons = models.JSONField(_("suggestion reasons"), default=list)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("grade decision")
        verbose_name_plural = _("grade decisions")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.expectation.code}: {self.previous_grade or '–'} → {self.grade}"


class GuidancePlan(models.Model):
    """For a C-grade expectation: what agents tell customers (the expectation-setting script)."""

    expectation = models.OneToOneField(
        Expectation,
        on_delete=models.CASCADE,
        related_name="guidance",
        verbose_name=_("expectation"),
    )
    script = models.TextField(_("script (Chinese)"))
    script_en = models.TextField(_("script (English)"), blank=True)
    channel_notes = models.TextField(_("channel notes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("guidance plan")
        verbose_name_plural = _("guidance plans")

    def __str__(self) -> str:
        return f"{self.expectation.code}: guidance"


class ExpectationHistory(models.Model):
    """Append-only event log of an expectation."""

    expectation = models.ForeignKey(
        Expectation, on_delete=models.CASCADE, related_name="history", verbose_name=_("expectation")
    )
    event = models.CharField(_("event"), max_length=30)
    detail = models.JSONField(_("detail"), default=dict)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("expectation history")
        verbose_name_plural = _("expectation history")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.expectation.code}: {self.event}"


class ScoringSettings(models.Model):
    """Singleton (pk 1): the centre's score weights and scales (domain.grading.score)."""

    method = models.CharField(
        _("method"),
        max_length=16,
        choices=[("additive", _("Additive")), ("multiplicative", _("Multiplicative"))],
        default="additive",
    )
    weight_importance = models.FloatField(_("weight: importance"), default=0.5)
    weight_gap = models.FloatField(_("weight: gap"), default=0.3)
    weight_reach = models.FloatField(_("weight: reach"), default=0.2)
    importance_min = models.FloatField(_("importance scale minimum"), default=0.0)
    importance_max = models.FloatField(_("importance scale maximum"), default=100.0)
    gap_cap = models.FloatField(_("gap cap (in gap share of target)"), default=1.0)
    population = models.PositiveIntegerField(
        _("customer population (0 = count customers)"), default=0
    )
    points_a = models.FloatField(_("points for grade A"), default=100.0)
    points_b = models.FloatField(_("points for grade B"), default=60.0)
    points_c = models.FloatField(_("points for grade C"), default=30.0)

    class Meta:
        verbose_name = _("scoring settings")
        verbose_name_plural = _("scoring settings")

    def __str__(self) -> str:
        return f"{self.method} {self.weight_importance}/{self.weight_gap}/{self.weight_reach}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class EvaluationRun(models.Model):
    """One evaluation of the register; its rows are a snapshot (reproducible later)."""

    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default="running"
    )
    progress = models.FloatField(_("progress"), default=0.0)
    totals = models.JSONField(_("totals per grade"), default=dict)
    settings_used = models.JSONField(_("scoring settings used"), default=dict)
    changes = models.JSONField(_("changes since the last run"), default=dict)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end} ({self.status})"


class EvaluationRow(models.Model):
    """One expectation's line of the 客户期望评测结果表, as stored values."""

    run = models.ForeignKey(
        EvaluationRun, on_delete=models.CASCADE, related_name="rows", verbose_name=_("run")
    )
    position = models.PositiveIntegerField(_("position"))
    expectation_id_at_run = models.PositiveIntegerField(_("expectation id"))
    code = models.CharField(_("code"), max_length=60)
    statement = models.CharField(_("statement"), max_length=300)
    statement_en = models.CharField(_("statement (English)"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    category_label = models.CharField(_("category label"), max_length=120, blank=True)
    category_label_en = models.CharField(_("category label (English)"), max_length=120, blank=True)
    sources = models.JSONField(_("sources and evidence"), default=list)
    importance = models.PositiveSmallIntegerField(_("importance"))
    current = models.CharField(_("current performance"), max_length=80, blank=True)
    target = models.CharField(_("target"), max_length=80, blank=True)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    action = models.TextField(_("action"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12)

    class Meta:
        verbose_name = _("evaluation row")
        verbose_name_plural = _("evaluation rows")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "code"], name="evaluation_row_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.code}"


# --- where an expectation comes from ([seed-000], [seed-003]) -------------------------------


class ExpectationOriginKind(models.TextChoices):
    """The sources of an expectation named by the founding documents: 000 "受其参与其他类似服务
    的体验影响", 003 "过去的经历…口碑的宣传…个人的需求", and what we ourselves said (our
    advertising and publicity, a promise we made)."""

    PAST_EXPERIENCE = "past_experience", _("Past experience of our service")
    WORD_OF_MOUTH = "word_of_mouth", _("Word of mouth")
    OTHER_PROVIDERS = "other_providers", _("Other providers' service")
    ADVERTISING = "advertising", _("Our advertising and publicity")
    PROMISE = "promise", _("A promise we made")
    PERSONAL_NEED = "personal_need", _("The customer's own need")


#: Origins the centre itself created: what we advertised, what we promised, and what our own
#: past service taught customers to expect.
SELF_MADE_ORIGINS = ("advertising", "promise", "past_experience")


class ExpectationOrigin(models.Model):
    """One origin of one expectation (an expectation may have several)."""

    expectation = models.ForeignKey(
        Expectation,
        on_delete=models.CASCADE,
        related_name="origins",
        verbose_name=_("expectation"),
    )
    origin = models.CharField(_("origin"), max_length=20, choices=ExpectationOriginKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("expectation origin")
        verbose_name_plural = _("expectation origins")
        ordering = ["expectation", "origin"]
        constraints = [
            models.UniqueConstraint(
                fields=["expectation", "origin"], name="expectation_origin_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expectation_id}: {self.origin}"

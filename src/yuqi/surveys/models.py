"""Surveys, their versions and questions, campaigns and samples, invitations, answers.

Answers are stored long and narrow so analysis can aggregate them in SQL or load them into
NumPy in one query: one :class:`Response` per submission and one :class:`Answer` per question
*part* with a numeric ``value`` (null for text), the ``text`` and the choice ``choices``.
Other contexts (customers, complaints, interactions) are referred to by id only; customers by
a foreign key, as the interactions context does.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yuqi.core.data_version import DataVersion
from yuqi.surveys.choices import (
    AllocationMethod,
    CampaignState,
    FollowUpReason,
    FollowUpStatus,
    InvitationChannel,
    InvitationSource,
    QuestionType,
    Recurrence,
    ResponseChannel,
    SampleSizeMode,
    ServqualDimension,
    SurveyKind,
)


def _english() -> bool:
    return (get_language() or "").startswith("en")


class SurveyDataVersion(DataVersion):
    """Derived: the data version of the surveys, their versions and questions, the
    responses and answers, so the survey headlines the scorecard and the benchmarks read are
    cached under the data they were computed from (``yuqi.surveys.versions``)."""


class VersionedQuerySet[M: models.Model](models.QuerySet[M]):
    """The bulk writes that send no model signals move the surveys' data version on too
    (``yuqi.surveys.versions``); deletes go through the collector, which sends
    ``post_delete`` because a receiver is connected."""

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[M]:
        made = super().bulk_create(*args, **kwargs)
        SurveyDataVersion.bump()
        return made

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        changed = super().bulk_update(*args, **kwargs)
        SurveyDataVersion.bump()
        return changed

    def update(self, **kwargs: Any) -> int:
        changed = super().update(**kwargs)
        SurveyDataVersion.bump()
        return changed


VersionedManager = models.Manager.from_queryset(VersionedQuerySet)


class Survey(models.Model):
    """A questionnaire, identified by a stable ``code``; its questions live in versions.

    ``current_version`` is the version new invitations use. Once a version has answers it is
    frozen, and editing the survey creates a new version (``services.survey_edit_question``).
    ``template_key`` marks a survey installed from the built-in templates.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro = models.TextField(_("introduction (Chinese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=SurveyKind.choices, default=SurveyKind.CUSTOM
    )
    current_version = models.ForeignKey(
        "SurveyVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    template_key = models.CharField(_("built-in template"), max_length=40, blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["code"]
        permissions = [
            ("view_results", _("Can see survey results and analysis")),
            ("export_answers", _("Can export survey answers")),
            ("enter_answers", _("Can enter survey answers from an outbound call")),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return (self.title_en or self.title) if _english() else self.title


class SurveyVersion(models.Model):
    """One frozen-once-answered set of questions of a survey (``number`` 1, 2, ...).

    ``frozen_at`` is set when the first answer or invitation uses the version; from then
    its questions never change, so every answer keeps the exact wording it answered.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="versions", verbose_name=_("survey")
    )
    number = models.PositiveIntegerField(_("version"))
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.survey.code} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Question(models.Model):
    """A question of a version. ``code`` is stable across versions (``q1``, ``sq07``...), so
    analysis can follow a question from one version to the next.

    Type-specific fields: ``scale_min``/``scale_max`` and the end labels (rating; NPS, CSAT,
    CES and SERVQUAL items have fixed scales), ``dimension`` (SERVQUAL item), ``feature``
    (Kano pair: the feature code), ``options`` (choices: ``[{"code", "label", "label_en"}]``).
    """

    version = models.ForeignKey(
        SurveyVersion,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("version"),
    )
    order = models.PositiveIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=40)
    type = models.CharField(_("type"), max_length=24, choices=QuestionType.choices)
    text = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    help = models.TextField(_("help (Chinese)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    scale_min = models.SmallIntegerField(_("scale from"), null=True, blank=True)
    scale_max = models.SmallIntegerField(_("scale to"), null=True, blank=True)
    label_low = models.CharField(_("low end label (Chinese)"), max_length=60, blank=True)
    label_low_en = models.CharField(_("low end label (English)"), max_length=60, blank=True)
    label_high = models.CharField(_("high end label (Chinese)"), max_length=60, blank=True)
    label_high_en = models.CharField(_("high end label (English)"), max_length=60, blank=True)
    dimension = models.CharField(
        _("SERVQUAL dimension"), max_length=20, choices=ServqualDimension.choices, blank=True
    )
    feature = models.SlugField(_("Kano feature"), max_length=40, blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="question_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.display_text[:40]}"

    @property
    def display_text(self) -> str:
        return (self.text_en or self.text) if _english() else self.text

    @property
    def display_help(self) -> str:
        return (self.help_en or self.help) if _english() else self.help


class SurveySettings(models.Model):
    """The singleton with the post-contact rules (``SurveySettings.load()``).

    ``interaction_sample_rate``: share of yesterday's resolved contacts that get the
    post-contact survey (deterministic hash sampling); ``frequency_days``: no customer gets
    a second invitation within this many days (contact-frequency rule).
    """

    post_contact_survey = models.ForeignKey(
        Survey,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post-contact survey"),
    )
    interaction_sample_rate = models.FloatField(_("share of contacts surveyed"), default=0.05)
    frequency_days = models.PositiveIntegerField(_("days between two surveys"), default=30)
    post_contact_expires_days = models.PositiveIntegerField(
        _("post-contact link valid (days)"), default=7
    )
    post_contact_channel = models.CharField(
        _("post-contact channel"),
        max_length=10,
        choices=InvitationChannel.choices,
        default=InvitationChannel.SMS,
    )
    unhappy_rating_max = models.PositiveSmallIntegerField(
        _("unhappy when 对人 rating at most"), default=2
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return str(_("Survey settings"))

    @classmethod
    def load(cls) -> SurveySettings:
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row


class SurveyOptOut(models.Model):
    """A customer who asked not to be surveyed (kept here, not on the customer record)."""

    customer = models.OneToOneField(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="survey_opt_out",
        verbose_name=_("customer"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("opted out at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey opt-out")
        verbose_name_plural = _("survey opt-outs")

    def __str__(self) -> str:
        return str(self.customer_id)


class Campaign(models.Model):
    """An outbound survey of a sample of customers drawn from a saved population filter.

    ``population_filter`` keys: ``tiers``, ``regions``, ``segments`` (lists of codes),
    ``contacted_within_days`` (int), ``complaints`` (``"any"`` / ``"none"``; applied only
    when the complaints facade answers). ``strata_fields`` is a subset of
    ``["tier", "region", "segment"]``; ``prior_sds`` maps stratum key → prior standard
    deviation (Neyman). The sample size comes from the calculator (``margin``,
    ``confidence``, ``expected_response_rate``) or is ``fixed_size`` invitations.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    survey_version = models.ForeignKey(
        SurveyVersion,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("survey version"),
    )
    population_filter = models.JSONField(_("population filter"), default=dict, blank=True)
    strata_fields = models.JSONField(_("strata"), default=list, blank=True)
    sample_size_mode = models.CharField(
        _("sample size"),
        max_length=12,
        choices=SampleSizeMode.choices,
        default=SampleSizeMode.CALCULATOR,
    )
    fixed_size = models.PositiveIntegerField(_("fixed sample size"), null=True, blank=True)
    margin = models.FloatField(_("margin of error"), default=0.05)
    confidence = models.FloatField(_("confidence"), default=0.95)
    expected_response_rate = models.FloatField(_("expected response rate"), default=0.3)
    allocation = models.CharField(
        _("allocation"),
        max_length=12,
        choices=AllocationMethod.choices,
        default=AllocationMethod.PROPORTIONAL,
    )
    min_per_stratum = models.PositiveIntegerField(_("minimum per stratum"), default=0)
    prior_sds = models.JSONField(_("prior standard deviations"), default=dict, blank=True)
    seed = models.BigIntegerField(_("random seed"), default=20261129)
    exclude_opted_out = models.BooleanField(_("exclude opted-out customers"), default=True)
    exclude_surveyed_days = models.PositiveIntegerField(
        _("exclude customers surveyed in the last N days"), default=90
    )
    reserve_share = models.FloatField(_("reserve share for non-response"), default=0.0)
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=InvitationChannel.choices,
        default=InvitationChannel.SMS,
    )
    expires_days = models.PositiveIntegerField(_("link valid (days)"), default=14)
    state = models.CharField(
        _("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    target_completes = models.PositiveIntegerField(_("completed answers needed"), default=0)
    target_invitations = models.PositiveIntegerField(_("invitations"), default=0)
    population_size = models.PositiveIntegerField(_("population"), default=0)
    excluded_count = models.PositiveIntegerField(_("excluded"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sampled_at = models.DateTimeField(_("sampled at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Recurring measurement: the first wave holds the recurrence and when the next wave is
    # due; every later wave points at it (``series``) and has its number (``wave``).
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default="", blank=True
    )
    next_wave_at = models.DateTimeField(_("next wave due"), null=True, blank=True)
    series = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_waves",
        verbose_name=_("first wave"),
    )
    wave = models.PositiveIntegerField(_("wave"), default=1)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class CampaignStratum(models.Model):
    """A stratum of a campaign: target population ``population`` (N_h, before exclusions),
    ``eligible`` (left after opt-outs and the contact-frequency rule: the sampling frame),
    sample ``sample`` (n_h) and ``reserve`` backups. ``key`` is e.g.
    ``"tier=gold|region=北京"`` (``"all"`` unstratified), ``values`` the same as a dict."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="strata", verbose_name=_("campaign")
    )
    key = models.CharField(_("stratum"), max_length=200)
    values = models.JSONField(_("values"), default=dict, blank=True)
    population = models.PositiveIntegerField(_("population"))
    eligible = models.PositiveIntegerField(_("eligible"), default=0)
    sample = models.PositiveIntegerField(_("sample"))
    reserve = models.PositiveIntegerField(_("reserve"), default=0)

    class Meta:
        verbose_name = _("campaign stratum")
        verbose_name_plural = _("campaign strata")
        ordering = ["campaign", "key"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="campaign_stratum_unique"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def weight(self) -> float:
        """Design weight N_h / n_h of a sampled unit."""
        return self.population / self.sample if self.sample else 0.0


class Invitation(models.Model):
    """One customer asked to answer one survey version, by link or by an agent's call.

    The link token is derived from a random ``token_salt`` with the site's secret key and
    only its SHA-256 is stored in ``token_hash`` (see ``yuqi.surveys.tokens``).
    ``campaign`` is null for post-contact invitations, which carry ``complaint_id`` or
    ``interaction_id``. Reserve units (``is_reserve``) are only sent once ``released``.
    """

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("campaign"),
    )
    survey_version = models.ForeignKey(
        SurveyVersion,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("survey version"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="survey_invitations",
        verbose_name=_("customer"),
    )
    source = models.CharField(
        _("source"),
        max_length=12,
        choices=InvitationSource.choices,
        default=InvitationSource.CAMPAIGN,
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=InvitationChannel.choices, default="sms"
    )
    stratum_key = models.CharField(_("stratum"), max_length=200, blank=True)
    is_reserve = models.BooleanField(_("reserve"), default=False)
    released = models.BooleanField(_("released"), default=False)
    greeting_name = models.CharField(_("greeting name"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    token_salt = models.CharField(max_length=32, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    complaint_id = models.PositiveIntegerField(_("complaint"), null=True, blank=True)
    interaction_id = models.PositiveIntegerField(_("interaction"), null=True, blank=True)
    follow_up_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up owner"),
        help_text=_("Who follows up an unhappy answer"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["customer", "created_at"], name="invitation_customer_created"),
            models.Index(fields=["campaign", "stratum_key"], name="invitation_campaign_stratum"),
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk}"


class Response(models.Model):
    """One submitted questionnaire. ``invitation`` is unique: one response per invitation,
    enforced by the database as well as by the claim in ``services.response_submit``.

    Snapshots for analysis: ``stratum_key`` and design ``weight`` (N_h / n_h; 1.0 outside a
    stratified campaign), ``tier_code``, ``region``, ``segment``, ``queue_code`` at
    submission, and the ``complaint_id`` / ``interaction_id`` a post-contact survey is about.
    """

    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("invitation"),
    )
    survey_version = models.ForeignKey(
        SurveyVersion,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("survey version"),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("campaign"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("customer"),
    )
    stratum_key = models.CharField(_("stratum"), max_length=200, blank=True)
    weight = models.FloatField(_("weight"), default=1.0)
    tier_code = models.CharField(_("tier"), max_length=30, blank=True)
    region = models.CharField(_("region"), max_length=60, blank=True)
    segment = models.CharField(_("segment"), max_length=20, blank=True)
    queue_code = models.CharField(_("queue"), max_length=40, blank=True)
    complaint_id = models.PositiveIntegerField(_("complaint"), null=True, blank=True)
    interaction_id = models.PositiveIntegerField(_("interaction"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=ResponseChannel.choices, default=ResponseChannel.WEB
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["survey_version", "submitted_at"], name="response_version_time"),
            models.Index(fields=["campaign", "stratum_key"], name="response_campaign_stratum"),
        ]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Answer(models.Model):
    """One answer to one question part (``choices.AnswerPart``).

    ``part`` is ``""`` for single-part questions, ``expectation``/``perception`` (SERVQUAL),
    ``functional``/``dysfunctional`` (Kano; ``value`` 1–5 in ``KanoAnswer`` order and the
    code in ``choices``), ``importance:<dimension>`` (points). ``value`` is the number
    (rating, points, yes=1/no=0 for a yes/no single choice with numeric option codes) or null
    for text; ``choices`` lists the chosen option codes.
    """

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    part = models.CharField(_("part"), max_length=40, blank=True, default="")
    value = models.FloatField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "part"], name="answer_unique_part"
            ),
        ]
        indexes = [models.Index(fields=["question", "part"], name="answer_question_part")]

    def __str__(self) -> str:
        return f"{self.question_id}{':' + self.part if self.part else ''}"


class FollowUp(models.Model):
    """A recovery task opened by an unhappy answer (closed loop), for ``owner`` to work."""

    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("invitation"),
    )
    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("response"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="survey_follow_ups",
        verbose_name=_("customer"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_follow_ups",
        verbose_name=_("owner"),
    )
    reason = models.CharField(_("reason"), max_length=24, choices=FollowUpReason.choices)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
        db_index=True,
    )
    note = models.TextField(_("note"), blank=True)
    complaint_id = models.PositiveIntegerField(_("complaint"), null=True, blank=True)
    interaction_id = models.PositiveIntegerField(_("interaction"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return f"follow-up {self.pk}"

"""Text mining of complaints: classifier versions, one analysis per complaint, the handlers'
labels (the training data) and theme runs.

Complaints are referenced by foreign key only and read through ``yuqi.complaints.facade``.
Stored text is always the *masked* text (phones, ID and card numbers hidden).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelStatus(models.TextChoices):
    TRAINING = "training", _("training")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")
    ACTIVE = "active", _("active")


class AnalysisSource(models.TextChoices):
    RULES = "rules", _("keyword rules")
    MODEL = "model", _("classifier")


class TextModel(models.Model):
    """One trained version of the expectation classifier; at most one is ``active``."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    n_train = models.PositiveIntegerField(_("trained on texts"), default=0)
    label_counts = models.JSONField(_("label counts"), default=dict, blank=True)
    metrics = models.JSONField(_("cross-validated metrics"), default=dict, blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ModelStatus.choices, default=ModelStatus.TRAINING
    )
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("text model")
        verbose_name_plural = _("text models")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="active"),
                name="textmining_one_active_model",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.status})"


class ComplaintAnalysis(models.Model):
    """What the text pipeline derived from one complaint (its masked text and fields)."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        related_name="text_analysis",
        verbose_name=_("complaint"),
    )
    masked_text = models.TextField(_("masked text"))
    category = models.CharField(_("category"), max_length=60, db_index=True)
    confidence = models.FloatField(_("confidence"), default=0.0)
    top3 = models.JSONField(_("top three"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=AnalysisSource.choices)
    model = models.ForeignKey(
        TextModel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="analyses",
        verbose_name=_("model version"),
    )
    wanted_outcomes = models.JSONField(_("wanted outcomes"), default=list, blank=True)
    wanted_by = models.DateTimeField(_("wanted by"), null=True, blank=True)
    wanted_by_confidence = models.FloatField(_("wanted-by confidence"), null=True, blank=True)
    wanted_by_span = models.CharField(_("wanted-by phrase"), max_length=100, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_confidence = models.FloatField(_("amount confidence"), null=True, blank=True)
    target = models.CharField(_("target"), max_length=20, blank=True)
    target_confidence = models.FloatField(_("target confidence"), null=True, blank=True)
    # A promise of the centre the customer quotes back ("你们说好三天内修好的"): kind,
    # matched words, time phrase, deadline (ISO, may be past) or within + unit. Evidence
    # for the promise ledger; {} when there is none.
    quoted_promise = models.JSONField(_("quoted promise"), default=dict, blank=True)
    signals = models.JSONField(_("signals"), default=dict, blank=True)
    reasonable = models.JSONField(_("reasonable flags"), default=dict, blank=True)
    analysed_at = models.DateTimeField(_("analysed at"))

    class Meta:
        verbose_name = _("complaint analysis")
        verbose_name_plural = _("complaint analyses")
        ordering = ["-analysed_at"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.category}"

    @property
    def excluded(self) -> bool:
        """Spam, a duplicate, or judged unreasonable by a handler: not evidence."""
        flags = self.reasonable or {}
        return bool(flags.get("spam") or flags.get("duplicate_of") or flags.get("unreasonable"))


class ComplaintLabel(models.Model):
    """The handler-confirmed (or corrected) category of a complaint: the training data.
    One per complaint; a correction replaces the previous label."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        related_name="text_label",
        verbose_name=_("complaint"),
    )
    code = models.CharField(_("category"), max_length=60, db_index=True)
    corrected = models.BooleanField(_("corrected"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("complaint label")
        verbose_name_plural = _("complaint labels")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.code}"


class ThemeRun(models.Model):
    """Emerging themes of a period's complaints (NMF), with the ones the taxonomy misses."""

    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    k = models.PositiveSmallIntegerField(_("themes"))
    n_texts = models.PositiveIntegerField(_("texts"), default=0)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("theme run")
        verbose_name_plural = _("theme runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.date_from}–{self.date_to} (k={self.k})"

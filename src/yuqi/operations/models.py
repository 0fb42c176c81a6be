from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from yuqi.core.data_version import DataVersion
from yuqi.domain import targets


class Perspective(models.TextChoices):
    """The four perspectives of the service balanced scorecard ([seed-001])."""

    FINANCIAL = "financial", _("Financial")
    CUSTOMER = "customer", _("Customer")
    OPERATIONS = "operations", _("Operations")
    LEARNING = "learning", _("Learning and growth")


class TargetDirection(models.TextChoices):
    """Which way a measure improves (``yuqi.domain.targets.TargetDirection``'s values)."""

    HIGHER = targets.TargetDirection.HIGHER.value, _("Higher is better")
    LOWER = targets.TargetDirection.LOWER.value, _("Lower is better")


class ScorecardMeasure(models.Model):
    """One measure on the balanced scorecard, with its target and warning threshold.

    ``code`` names how the value is computed (``yuqi.operations.scorecard.selectors``); a
    measure whose data does not exist yet says so on the page instead of showing zero.
    """

    code = models.SlugField(_("measure"), max_length=60, unique=True)
    perspective = models.CharField(_("perspective"), max_length=12, choices=Perspective.choices)
    name = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    unit = models.CharField(_("unit"), max_length=12, blank=True)
    direction = models.CharField(
        _("direction"),
        max_length=6,
        choices=TargetDirection.choices,
        default=TargetDirection.HIGHER,
    )
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    warning = models.DecimalField(
        _("warning threshold"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Between target and warning the status is amber; beyond it, red."),
    )
    enabled = models.BooleanField(_("shown"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scorecard measure")
        verbose_name_plural = _("scorecard measures")
        ordering = ["perspective", "order", "code"]
        permissions = [
            ("view_operations", _("Can view KPIs, dashboards and the scorecard")),
            ("view_staffing", _("Can view staffing plans and run what-if")),
            ("refresh_segments", _("Can recompute the customer pyramid")),
        ]

    def __str__(self) -> str:
        return self.name


class PyramidSettings(models.Model):
    """Thresholds of the customer pyramid ([seed-002]); one row, edited in the admin."""

    top_share = models.DecimalField(
        _("top share"), max_digits=5, decimal_places=4, default=Decimal("0.01")
    )
    high_share = models.DecimalField(
        _("high share"), max_digits=5, decimal_places=4, default=Decimal("0.04")
    )
    middle_share = models.DecimalField(
        _("middle share"), max_digits=5, decimal_places=4, default=Decimal("0.15")
    )
    inactive_days = models.PositiveIntegerField(
        _("inactive after (days without contact)"), default=90
    )
    potential_days = models.PositiveIntegerField(
        _("potential while joined within (days)"), default=90
    )
    wait_and_see_contacts = models.PositiveIntegerField(
        _("wait-and-see at or below (contacts in the window)"), default=1
    )

    class Meta:
        verbose_name = _("pyramid settings")
        verbose_name_plural = _("pyramid settings")

    def __str__(self) -> str:
        return str(_("Pyramid settings"))


class SnapshotQuerySet(models.QuerySet):
    """The bulk writes that send no model signals move the snapshots' data version on too
    (``yuqi.operations.pyramid.versions``); deletes go through the collector, which sends
    ``post_delete`` because a receiver is connected."""

    def bulk_create(self, *args: Any, **kwargs: Any) -> list:
        made = super().bulk_create(*args, **kwargs)
        SnapshotVersion.bump()
        return made

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        changed = super().bulk_update(*args, **kwargs)
        SnapshotVersion.bump()
        return changed

    def update(self, **kwargs: Any) -> int:
        changed = super().update(**kwargs)
        SnapshotVersion.bump()
        return changed


class SegmentSnapshot(models.Model):
    """A customer's pyramid segment and RFM score at the end of a month (for migrations)."""

    month = models.DateField(_("month"))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="+", verbose_name=_("customer")
    )
    segment = models.CharField(_("segment"), max_length=20)
    value = models.DecimalField(_("monthly value"), max_digits=12, decimal_places=2, null=True)
    recency = models.PositiveSmallIntegerField(_("recency score"), default=0)
    frequency = models.PositiveSmallIntegerField(_("frequency score"), default=0)
    monetary = models.PositiveSmallIntegerField(_("monetary score"), default=0)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("segment snapshot")
        verbose_name_plural = _("segment snapshots")
        constraints = [
            models.UniqueConstraint(fields=["month", "customer"], name="segment_month_customer")
        ]
        indexes = [models.Index(fields=["month", "segment"], name="segment_month_segment")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.customer_id}: {self.segment}"


class SnapshotVersion(DataVersion):
    """Derived: the data version of the segment snapshots, so the pyramid's and the
    scorecard's figures read from the snapshots are cached under the data they were computed
    from (``yuqi.operations.pyramid.versions``)."""


class SegmentServiceResult(models.Model):
    """Derived: the pyramid's service by segment and tier of one period, as computed at
    ``computed_at`` (``yuqi.operations.pyramid.service_store``): the offered contacts' KPI
    counts per customer segment and tier, refreshed by the worker, so the page reads one row
    instead of grouping the period's contacts by their customers' current segment and tier."""

    date_from = models.DateField()
    date_to = models.DateField()
    computed_at = models.DateTimeField()
    #: ``[[segment, tier id, {KpiCounts field: value}], …]`` (segment or tier ``null`` for
    #: contacts without a customer or a customer without one).
    rows = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["date_from", "date_to"], name="segment_service_period")
        ]

    def __str__(self) -> str:
        return f"{self.date_from}–{self.date_to} @ {self.computed_at.isoformat()}"


class ScorecardResult(models.Model):
    """Derived: the balanced scorecard's measure readings of one default period (this month
    to today) and the month before it, in one language and time zone, as computed at
    ``computed_at`` (``yuqi.operations.scorecard.store``): refreshed by the worker, so the
    page reads one row instead of every measure's sources (about 35 queries)."""

    start = models.DateField()
    end = models.DateField()
    language = models.CharField(max_length=16)
    zone = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    #: ``{"current": {code: reading}, "previous": {code: reading}}``, each reading the list
    #: of :class:`yuqi.core.measures.MeasureReading`'s fields (``as_of`` in ISO form).
    readings = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["start", "end", "language", "zone"], name="scorecard_result_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end} {self.language} {self.zone} @ {self.computed_at}"

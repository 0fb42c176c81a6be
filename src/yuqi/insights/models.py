"""Peer benchmarking: peer centres, their indicator values and offerings, ours, and targets.

The third source of expectation information (seeds/000): what other call centres achieve
(接通率, 等待时长, ease of use) and what they offer that we do not (他有我无).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
                fields=["peer", "indicator", "period_start", "period_end"],
                name="peer_value_unique_period",
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

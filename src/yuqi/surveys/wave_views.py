"""The waves of a recurring campaign on its page, the trend charts, and the Kano slide flags.

Views parse and call :mod:`yuqi.surveys.waves`; the charts are ECharts options (``data-echarts``)
with the 95 % interval drawn as a collapsed ``boxplot`` whisker, as on the analysis page.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time
from operator import itemgetter
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yuqi.core.access import requires
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.errors import DomainError
from yuqi.domain.effect import Change
from yuqi.domain.waves import KanoSlide, MetricTrend, SlideStatus, Step
from yuqi.surveys import versions, waves
from yuqi.surveys.choices import Recurrence, ServqualDimension
from yuqi.surveys.models import Campaign, Survey

CHANGE = "surveys.change_campaign"
METRIC_NAMES = {
    "csat": gettext_lazy("CSAT (top-2-box)"),
    "nps": gettext_lazy("NPS"),
    "ces": gettext_lazy("CES"),
    "servqual": gettext_lazy("SERVQUAL gap P − E"),
}
KANO_NAMES = {
    "A": gettext_lazy("Attractive"),
    "O": gettext_lazy("One-dimensional"),
    "M": gettext_lazy("Must-be"),
    "I": gettext_lazy("Indifferent"),
    "R": gettext_lazy("Reverse"),
    "Q": gettext_lazy("Questionable"),
}
SLIDE_NAMES = {
    SlideStatus.SLIDE: gettext_lazy("slides towards must-be"),
    SlideStatus.STABLE: gettext_lazy("same class"),
    SlideStatus.MIXED: gettext_lazy("mixed: no slide claimed"),
    SlideStatus.CHANGED: gettext_lazy("changed class (not a slide)"),
    SlideStatus.MISSING: gettext_lazy("not asked in both waves"),
}


def metric_name(key: str) -> str:
    if key.startswith("dimension:"):
        code = key.split(":", 1)[1]
        label = dict(ServqualDimension.choices).get(code, code)
        return _("SERVQUAL gap: %(dimension)s") % {"dimension": label}
    return str(METRIC_NAMES.get(key, key))


def _unit(key: str) -> str:
    return "share" if key == "csat" else "points" if key == "nps" else "mean"


def _fmt(value: float | None, unit: str, signed: bool = False) -> str:
    if value is None:
        return "—"
    if unit == "share":
        if signed:
            return _("%(value)s pp") % {"value": f"{value * 100:+.1f}"}
        return f"{value * 100:.1f}%"
    if unit == "points":
        return f"{value:+.1f}" if signed else f"{value:.1f}"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _step_text(step: Step, unit: str) -> dict[str, Any]:
    if step.change is Change.NOT_COMPUTABLE:
        verdict = _("not computable")
    elif not step.comparable:
        verdict = _("not comparable: the sampling frame changed")
    elif step.significant:
        verdict = _("significant change")
    else:
        verdict = _("no significant change")
    return {
        "to": step.after,
        "difference": _fmt(step.difference, unit, signed=True),
        "interval": (
            f"{_fmt(step.low, unit, True)} – {_fmt(step.high, unit, True)}"
            if step.low is not None
            else ""
        ),
        "p": f"{step.p_value:.3f}" if step.p_value is not None else "—",
        "verdict": verdict,
        "significant": step.significant,
        "up": step.change is Change.INCREASE,
    }


def trend_rows(metrics: tuple[MetricTrend, ...]) -> list[dict[str, Any]]:
    rows = []
    for metric in metrics:
        unit = _unit(metric.key)
        rows.append(
            {
                "key": metric.key,
                "name": metric_name(metric.key),
                "points": [
                    {
                        "value": _fmt(p.value, unit),
                        "interval": f"{_fmt(p.low, unit)} – {_fmt(p.high, unit)}"
                        if p.low is not None
                        else "",
                        "n": p.n,
                    }
                    for p in metric.points
                ],
                "steps": [_step_text(s, unit) for s in metric.steps],
            }
        )
    return rows


def trend_chart(metric: MetricTrend) -> dict[str, Any]:
    """Line of the wave values with each wave's 95 % interval as a whisker."""
    scale = 100.0 if metric.key == "csat" else 1.0
    labels = [p.label for p in metric.points]
    values = [None if p.value is None else round(p.value * scale, 3) for p in metric.points]
    whiskers = [
        [round(p.low * scale, 3), *([round(p.value * scale, 3)] * 3), round(p.high * scale, 3)]
        if p.low is not None and p.high is not None and p.value is not None
        else []
        for p in metric.points
    ]
    return {
        "title": {"text": metric_name(metric.key), "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 50, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "scale": True},
        "series": [
            {"type": "line", "name": metric_name(metric.key), "data": values},
            {
                "type": "boxplot",
                "name": _("95% CI"),
                "data": whiskers,
                "itemStyle": {"color": "#34495e", "borderColor": "#34495e"},
                "boxWidth": [2, 8],
            },
        ],
    }


def slide_rows(slides: tuple[KanoSlide, ...], labels: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "feature": labels.get(s.feature, s.feature),
            "code": s.feature,
            "between": f"{s.before} → {s.after}",
            "before": str(KANO_NAMES.get(s.category_before or "", "—")),
            "after": str(KANO_NAMES.get(s.category_after or "", "—")),
            "status": s.status.value,
            "status_text": str(SLIDE_NAMES[s.status]),
            "flagged": s.flagged,
        }
        for s in slides
    ]


def wave_context(campaign: Campaign, user: Any) -> dict[str, Any]:
    """What the campaign page shows about its series (empty for a one-off)."""
    series = waves.series_waves(campaign)
    root = series[0]
    context: dict[str, Any] = {
        "series_root": root,
        "recurrences": Recurrence.choices,
        "can_recur": user.has_perm(CHANGE),
    }
    if len(series) < 2 and not root.recurrence:
        return context
    result = waves.series_trend(campaign)
    context.update(
        wave_rows=result.waves,
        trend=result.trend,
        trend_rows=trend_rows(result.trend.metrics),
        trend_charts=[trend_chart(m) for m in result.trend.metrics if len(m.points) > 1],
        slides=slide_rows(result.slides, result.kano_labels),
        slides_flagged=sum(1 for s in result.slides if s.flagged),
    )
    return context


#: Every stored column of a wave: the slides' cache key holds them all (see below).
_WAVE_FIELDS = tuple(field.attname for field in Campaign._meta.concrete_fields)


def _latest_series_waves(*, survey_id: int) -> QuerySet[Campaign]:
    """Every wave of the series of the survey's most recently created later wave (the
    campaign ``kano_slide_context`` used to read first), each row ending with that wave's id.
    The waves' order is their model's (newest first), as a series' later waves are read."""
    latest = Campaign.objects.filter(
        survey_version__survey_id=survey_id, series__isnull=False
    ).order_by("-created_at")
    root = Subquery(latest.values("series_id")[:1])
    return (
        Campaign.objects.filter(Q(pk=root) | Q(series_id=root))
        .annotate(latest_id=Subquery(latest.values("pk")[:1]))
        .order_by("-created_at")
        .values_list(*_WAVE_FIELDS, "latest_id")
    )


#: The waves the survey analysis page compares, in one statement compiled once (finding the
#: latest wave, its first wave and the later waves through the ORM was three reads and
#: some 2.5 ms of the page).
LATEST_SERIES_WAVES_READ = CompiledRead(
    _latest_series_waves, model=Campaign, survey_id=Survey._meta.pk
)
_SERIES = _WAVE_FIELDS.index("series_id")
_ID = _WAVE_FIELDS.index("id")
_WAVE = _WAVE_FIELDS.index("wave")


def _latest_series_of(survey: Survey) -> tuple[int, list[tuple[Any, ...]]] | None:
    """The survey's latest later wave's id and every wave of its series as the
    :data:`_WAVE_FIELDS` values, in :func:`yuqi.surveys.waves.series_waves`' order (the
    first wave, then the later ones by number); None when the survey has no later wave."""
    rows = LATEST_SERIES_WAVES_READ.rows(survey_id=survey.pk)
    latest = next((row for row in rows if row[_ID] == row[-1]), None)
    if latest is None:
        return None
    root_id = latest[_SERIES]
    root = next(row[:-1] for row in rows if row[_ID] == root_id)
    later = sorted((row[:-1] for row in rows if row[_SERIES] == root_id), key=itemgetter(_WAVE))
    return latest[_ID], [root, *later]


def kano_slide_context(*, campaign: Campaign | None = None, survey: Survey | None = None) -> dict:
    """Kano slide flags for the analysis page: the campaign's series, or the survey's most
    recent series with two or more waves."""
    if campaign is None and survey is not None:
        found = _latest_series_of(survey)
        if found is None:
            return {}
        latest_id, series = found
        if len(series) < 2:
            return {}

        def latest() -> Campaign | None:  # None: deleted since its series was read
            return Campaign.objects.filter(pk=latest_id).first()

    else:
        if campaign is None:
            return {}
        waves_read = waves.series_waves(campaign)
        if len(waves_read) < 2:
            return {}
        series = [tuple(getattr(wave, name) for name in _WAVE_FIELDS) for wave in waves_read]
        given = campaign

        def latest() -> Campaign | None:
            return given

    def slides() -> dict:
        wave = latest()
        if wave is None:  # nothing left to compare (the key named the wave: not seen again)
            return {}
        result = waves.series_trend(wave)
        rows = slide_rows(result.slides, result.kano_labels)
        return {"kano_slides": rows, "kano_slides_flagged": sum(1 for r in rows if r["flagged"])}

    # The waves' answers are the surveys' data (versioned); the waves themselves are not,
    # so every field of every wave is part of the key.
    waves_key = repr([list(wave) for wave in series])
    digest = hashlib.blake2b(waves_key.encode(), digest_size=16).hexdigest()
    return versions.cached("kano-slides", (digest,), slides)


@requires(CHANGE)
@require_POST
def campaign_recurrence(request: HttpRequest, code: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, code=code)
    try:
        due = parse_date((request.POST.get("first_due") or "")[:10])
    except ValueError:  # well formed but not a day (2026-02-31)
        due = None
    first_due = timezone.make_aware(datetime.combine(due, time(8, 0))) if due else None
    try:
        waves.campaign_set_recurrence(
            campaign=campaign,
            recurrence=(request.POST.get("recurrence") or "")[:10],
            first_due=first_due,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Recurrence saved."))
    return redirect("surveys:campaign", code=campaign.code)


@requires(CHANGE)
@require_POST
def campaign_next_wave(request: HttpRequest, code: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, code=code)
    try:
        created = waves.wave_create_next(campaign=campaign, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("surveys:campaign", code=campaign.code)
    messages.success(request, _("Wave %(n)s created.") % {"n": created.campaign.wave})
    if created.note:
        messages.warning(request, created.note)
    return redirect("surveys:campaign", code=created.campaign.code)


urlpatterns = [
    path(
        "campaigns/<slug:code>/waves/recurrence/",
        campaign_recurrence,
        name="campaign_recurrence",
    ),
    path("campaigns/<slug:code>/waves/next/", campaign_next_wave, name="campaign_next_wave"),
]

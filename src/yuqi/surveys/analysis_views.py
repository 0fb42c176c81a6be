"""Analysis pages of a survey and of a campaign, their Excel and CSV downloads.

Views only parse the request and call :mod:`yuqi.surveys.analysis`; the figures, charts
and downloads are all built from one :class:`~yuqi.surveys.analysis.AnalysisReport`.
Charts are ECharts options built here (``data-echarts``); CI whiskers are drawn as a
``boxplot`` series whose box collapses onto the estimate ``[low, v, v, v, high]``, so the
option stays plain JSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.db.models.query import MAX_GET_RESULTS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.core.access import requires
from yuqi.core.compiled_reads import CompiledRead
from yuqi.domain.survey_analysis import GapRow, Headline, KanoRow, Measure
from yuqi.surveys import exports
from yuqi.surveys.analysis import AnalysisReport, campaign_report, survey_report
from yuqi.surveys.choices import ServqualDimension
from yuqi.surveys.method_labels import method_label
from yuqi.surveys.models import Campaign, Survey
from yuqi.surveys.presenters import HEADLINE_FIELDS
from yuqi.surveys.wave_views import kano_slide_context

VIEW = "surveys.view_results"
EXPORT = "surveys.export_answers"

KANO_NAMES: dict[str, Promise] = {
    "A": gettext_lazy("Attractive"),
    "O": gettext_lazy("One-dimensional"),
    "M": gettext_lazy("Must-be"),
    "I": gettext_lazy("Indifferent"),
    "R": gettext_lazy("Reverse"),
    "Q": gettext_lazy("Questionable"),
}
BREAKDOWN_NAMES: dict[str, Promise] = {
    "tier": gettext_lazy("Tier"),
    "channel": gettext_lazy("Channel"),
    "queue": gettext_lazy("Queue"),
    "team": gettext_lazy("Team"),
    "agent": gettext_lazy("Agent"),
}
COLOURS = {"bar": "#0b6e4f", "negative": "#c0392b", "whisker": "#34495e"}


# --------------------------------------------------------------------------- formatting


@dataclass(frozen=True)
class Figure:
    """A measure as shown: ``value`` and ``interval`` are display strings."""

    label: str
    value: str
    interval: str
    n: int
    method: str
    unweighted: str = ""


def _number(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "points":
        return f"{value:+.1f}"
    if unit == "gap":
        return f"{value:+.2f}"
    return f"{value:.2f}"


def _interval(measure: Measure | None, unit: str) -> str:
    if measure is None or measure.ci_low is None or measure.ci_high is None:
        return ""
    return f"{_number(measure.ci_low, unit)} – {_number(measure.ci_high, unit)}"


def figure(label: str, measure: Measure | None, unit: str, plain: Measure | None = None) -> Figure:
    return Figure(
        label=label,
        value=_number(measure.value if measure else None, unit),
        interval=_interval(measure, unit),
        n=measure.n if measure else 0,
        method=method_label(measure.method) if measure else "",
        unweighted=_number(plain.value, unit) if plain is not None and plain is not measure else "",
    )


def headline_figures(headline: Headline, unweighted: Headline | None = None) -> list[Figure]:
    """The header cards, in a fixed order, leaving out measures the survey does not ask."""
    cards = []
    for name, label, unit in HEADLINE_FIELDS:
        measure = getattr(headline, name)
        if measure is None:
            continue
        plain = getattr(unweighted, name) if unweighted is not None else None
        cards.append(figure(str(label), measure, unit, plain))
    return cards


def breakdown_tables(report: AnalysisReport) -> list[dict[str, Any]]:
    """One table per breakdown; the columns are the measures the survey has overall."""
    fields = [
        (name, str(label), unit)
        for name, label, unit in HEADLINE_FIELDS
        if getattr(report.result.unweighted, name) is not None
    ]
    return [
        {
            "name": BREAKDOWN_NAMES[breakdown.by],
            "headers": [label for _name, label, _unit in fields],
            "rows": [
                {
                    "label": row.label,
                    "n": row.respondents,
                    "cells": [
                        figure(label, getattr(row.headline, name), unit)
                        for name, label, unit in fields
                    ],
                }
                for row in breakdown.rows
            ],
        }
        for breakdown in report.breakdowns
    ]


def dimension_labels() -> dict[str, str]:
    """SERVQUAL dimension code → its name in the active language (a code not among them is
    shown as it is)."""
    return {code: str(label) for code, label in ServqualDimension.choices}


# --------------------------------------------------------------------------- charts


def _whiskers(rows: list[GapRow]) -> list[list[float]]:
    data = []
    for row in rows:
        v = round(row.gap.value, 3)
        low = row.gap.ci_low if row.gap.ci_low is not None else row.gap.value
        high = row.gap.ci_high if row.gap.ci_high is not None else row.gap.value
        data.append([round(low, 3), v, v, v, round(high, 3)])
    return data


def gap_chart(rows: list[GapRow], categories: list[str], *, horizontal: bool = False) -> dict:
    """Gap P − E per row as bars (red when negative) with the 95 % interval as whiskers."""
    bars = [
        {
            "value": round(row.gap.value, 3),
            "itemStyle": {"color": COLOURS["negative" if row.gap.value < 0 else "bar"]},
        }
        for row in rows
    ]
    category_axis = {"type": "category", "data": categories, "axisLabel": {"interval": 0}}
    value_axis = {"type": "value", "name": _("Gap P − E")}
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 150 if horizontal else 48, "right": 24, "top": 36, "bottom": 36},
        "xAxis": value_axis if horizontal else category_axis,
        "yAxis": {**category_axis, "inverse": True} if horizontal else value_axis,
        "series": [
            {
                "name": _("Gap P − E"),
                "type": "bar",
                "data": bars,
                "barMaxWidth": 36,
                "itemStyle": {"color": COLOURS["bar"]},
            },
            {
                # xgettext:no-python-format
                "name": _("95% interval"),
                "type": "boxplot",
                "data": _whiskers(rows),
                "boxWidth": [0, 0],
                "itemStyle": {"color": "transparent", "borderColor": COLOURS["whisker"]},
            },
        ],
    }


QUADRANTS = ((0.25, 0.95, "A"), (0.75, 0.95, "O"), (0.75, 0.05, "M"), (0.25, 0.05, "I"))
"""Where the quadrant names go on the Better/Worse chart (|Worse|, Better, category)."""


def kano_chart(rows: list[KanoRow]) -> dict:
    """Better (y) against |Worse| (x) per feature; the 0.5 lines split the four quadrants:
    attractive (top left), one-dimensional (top right), must-be (bottom right), indifferent."""
    points = [
        {
            "name": row.label,
            "value": [
                round(abs(row.summary.coefficients.worse), 3),
                round(row.summary.coefficients.better, 3),
                row.label,
                str(KANO_NAMES.get(row.summary.category or "", "")),
            ],
        }
        for row in rows
        if row.summary.coefficients.better is not None
    ]
    quadrant = {"silent": True, "symbol": "none", "lineStyle": {"type": "dashed"}}
    return {
        "tooltip": {"formatter": "{c}"},
        "grid": {"left": 56, "right": 32, "top": 32, "bottom": 48},
        "xAxis": {"type": "value", "name": _("|Worse|"), "min": 0, "max": 1},
        "yAxis": {"type": "value", "name": _("Better"), "min": 0, "max": 1},
        "series": [
            {
                "type": "scatter",
                "symbolSize": 14,
                "data": points,
                "label": {"show": True, "position": "right", "formatter": "{@[2]}"},
                "itemStyle": {"color": COLOURS["bar"]},
                "markLine": {**quadrant, "data": [{"xAxis": 0.5}, {"yAxis": 0.5}]},
            },
            {
                "type": "scatter",
                "silent": True,
                "symbolSize": 0,
                "data": [[x, y, str(KANO_NAMES[code])] for x, y, code in QUADRANTS],
                "label": {"show": True, "formatter": "{@[2]}", "color": "#7b8794"},
            },
        ],
    }


# --------------------------------------------------------------------------- pages


def _context(report: AnalysisReport) -> dict[str, Any]:
    result = report.result
    table = result.servqual
    context: dict[str, Any] = {
        "report": report,
        "result": result,
        "cards": headline_figures(result.headline, result.unweighted if result.weighted else None),
        "kano_names": {k: str(v) for k, v in KANO_NAMES.items()},
        "breakdowns": breakdown_tables(report),
    }
    if table is not None:
        dimensions = list(table.dimensions)
        items = list(table.items)
        named = dimension_labels()
        context.update(
            dimension_rows=[(named.get(d.key, d.key), d) for d in dimensions],
            item_rows=[(named.get(i.dimension, i.dimension), i) for i in items],
            overall=[
                figure(_("Unweighted SERVQUAL score"), table.unweighted, "gap"),
                figure(_("Importance-weighted SERVQUAL score"), table.weighted, "gap"),
                figure(_("Expectation achievement rate"), table.achievement, "share"),
            ],
            dimension_chart=gap_chart(dimensions, [named.get(d.key, d.key) for d in dimensions]),
            item_chart=gap_chart(items, [i.key for i in items], horizontal=True),
            item_chart_height=max(240, 26 * len(items) + 80),
        )
    if result.kano:
        context["kano_chart"] = kano_chart(list(result.kano))
        context["kano_rows"] = kano_table(list(result.kano))
    return context


def kano_table(rows: list[KanoRow]) -> list[dict[str, Any]]:
    """Each feature's Kano class by the book (``yuqi.domain.kano``): definite when Fong's test
    says the top category leads significantly, else mixed with its candidates and the class
    Berger's M > O > A > I rule plans with; strengths and the test's lead and margin."""
    table = []
    for row in rows:
        summary = row.summary
        counts = sorted(summary.counts.values(), reverse=True)
        table.append(
            {
                "label": row.label,
                "summary": summary,
                "name": str(KANO_NAMES.get(summary.category or "", "")),
                "candidates": " / ".join(
                    f"{KANO_NAMES[code]} ({code})" for code in summary.candidates
                ),
                "decision": str(KANO_NAMES.get(summary.decision or "", "")),
                "lead": counts[0] - counts[1] if summary.n else None,
            }
        )
    return table


def _survey_by_code(*, code: str) -> QuerySet[Survey]:
    """The read ``get_object_or_404(Survey, code=code)`` makes."""
    return Survey.objects.filter(code=code).order_by()[:MAX_GET_RESULTS]


#: The analysis page's survey, compiled once per database (building and compiling the read
#: was most of a millisecond of the page).
SURVEY_READ = CompiledRead(_survey_by_code, model=Survey, code=Survey._meta.get_field("code"))


def _survey_or_404(code: str) -> Survey:
    """What ``get_object_or_404(Survey, code=code)`` answers: the kept read's one survey,
    else the ORM's own answer (its 404, read again on that rare path)."""
    found = SURVEY_READ.objects(code=code)
    if len(found) == 1:
        return found[0]
    return get_object_or_404(Survey, code=code)


@requires(VIEW)
def survey_analysis(request: HttpRequest, code: str) -> HttpResponse:
    """All responses to the survey, any version, unweighted."""
    survey = _survey_or_404(code)
    date_from, date_to = _period(request)
    context = _context(survey_report(survey, date_from=date_from, date_to=date_to))
    context.update(
        title=survey.display_title,
        xlsx_url=reverse("surveys:survey_analysis_xlsx", args=[survey.code]),
        csv_url=reverse("surveys:survey_answers_csv", args=[survey.code]),
        can_export=request.user.has_perm(EXPORT),
        date_from=date_from,
        date_to=date_to,
        **kano_slide_context(survey=survey),
    )
    return render(request, "surveys/analysis.html", context)


def _period(request: HttpRequest) -> tuple[date | None, date | None]:
    """``?date_from=YYYY-MM-DD&date_to=YYYY-MM-DD`` (the scorecard's links); a malformed or
    missing date is no limit."""
    found: list[date | None] = []
    for name in ("date_from", "date_to"):
        text = request.GET.get(name, "")[:10]
        try:
            found.append(date.fromisoformat(text) if text else None)
        except ValueError:
            found.append(None)
    return found[0], found[1]


@requires(VIEW)
def campaign_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign's responses, weighted by stratum when it is stratified."""
    campaign = get_object_or_404(Campaign.objects.select_related("survey_version__survey"), pk=pk)
    context = _context(campaign_report(campaign))
    context.update(
        title=campaign.name,
        xlsx_url=reverse("surveys:campaign_analysis_xlsx", args=[campaign.pk]),
        csv_url=reverse("surveys:campaign_answers_csv", args=[campaign.pk]),
        survey_url=reverse("surveys:survey_analysis", args=[campaign.survey_version.survey.code]),
        can_export=request.user.has_perm(EXPORT),
        **kano_slide_context(campaign=campaign),
    )
    return render(request, "surveys/analysis.html", context)


@requires(VIEW)
def survey_analysis_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    survey = get_object_or_404(Survey, code=code)
    return exports.results_response(survey_report(survey), f"analysis-{survey.code}")


@requires(VIEW)
def campaign_analysis_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    return exports.results_response(campaign_report(campaign), f"analysis-{campaign.code}")


@requires(VIEW, EXPORT)
def survey_answers_csv(request: HttpRequest, code: str) -> HttpResponse:
    survey = get_object_or_404(Survey, code=code)
    return exports.answers_response(survey=survey, filename=f"answers-{survey.code}")


@requires(VIEW, EXPORT)
def campaign_answers_csv(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    return exports.answers_response(campaign=campaign, filename=f"answers-{campaign.code}")


urlpatterns = [
    path("<slug:code>/analysis/", survey_analysis, name="survey_analysis"),
    path("<slug:code>/analysis/export.xlsx", survey_analysis_xlsx, name="survey_analysis_xlsx"),
    path("<slug:code>/analysis/answers.csv", survey_answers_csv, name="survey_answers_csv"),
    path("campaigns/<int:pk>/analysis/", campaign_analysis, name="campaign_analysis"),
    path(
        "campaigns/<int:pk>/analysis/export.xlsx",
        campaign_analysis_xlsx,
        name="campaign_analysis_xlsx",
    ),
    path(
        "campaigns/<int:pk>/analysis/answers.csv",
        campaign_answers_csv,
        name="campaign_answers_csv",
    ),
]

"""The balanced scorecard page and its download (relative to ``/operations/``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.core.access import requires
from yuqi.core.clock import as_of_label, now
from yuqi.core.downloads import table_response
from yuqi.operations.scorecard.selectors import Period, Scorecard, month_period
from yuqi.operations.scorecard.store import stored_scorecard

VIEW = "operations.view_operations"
FORMATS = ("csv", "xlsx")
STATUSES = ("green", "amber", "red", "none", "nodata")


def _period(request: HttpRequest) -> Period:
    """``?month=YYYY-MM`` (default: this month, to today); future months fall back to now."""
    today = timezone.localdate(now())
    text = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in text.split("-"))
        chosen = date(year, month, 1)
    except ValueError:
        chosen = today
    if chosen > today:
        chosen = today
    return month_period(chosen, today=today)


def status_label(status: str) -> str:
    labels = {
        "green": _("On target"),
        "amber": _("Watch"),
        "red": _("Off target"),
        "none": _("No target"),
        "nodata": _("No data yet"),
    }
    return labels.get(status, status)


def scorecard_table(card: Scorecard) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Perspective"),
        _("Measure"),
        _("Unit"),
        _("Value"),
        _("Target"),
        _("Warning"),
        _("Status"),
        _("Previous period"),
        _("Change vs previous period"),
        _("Observations (n)"),
        _("95% CI low"),
        _("95% CI high"),
        _("Note"),
    ]
    rows = [
        [
            block.label,
            line.name,
            line.unit,
            line.value,
            line.target,
            line.warning,
            status_label(line.status),
            line.previous,
            line.trend.delta if line.trend else None,
            line.n,
            line.low,
            line.high,
            line.reason or line.note,
        ]
        for block in card.perspectives
        for line in block.lines
    ]
    return headers, rows


@requires(VIEW)
def scorecard_page(request: HttpRequest) -> HttpResponse:
    card, computed_at = stored_scorecard(_period(request))
    as_of = ""
    if computed_at is not None:  # the stored default month: say how fresh
        as_of = _("Figures as of %(at)s") % {"at": as_of_label(computed_at)}
    context = {
        "card": card,
        "as_of": as_of,
        "month": card.period.label,
        "status_labels": {code: status_label(code) for code in STATUSES},
        "query": request.GET.urlencode(),
    }
    return render(request, "operations/scorecard.html", context)


@requires(VIEW)
def scorecard_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    card, _computed_at = stored_scorecard(_period(request))
    headers, rows = scorecard_table(card)
    return table_response(f"scorecard-{card.period.label}", headers, rows, fmt=fmt)


urlpatterns = [
    path("scorecard/", scorecard_page, name="scorecard_page"),
    path("scorecard/download.<slug:fmt>", scorecard_download, name="scorecard_download"),
]

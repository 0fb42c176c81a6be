"""The customer pyramid page: segments, value, migration matrix, service by segment and tier.

Relative to ``/operations/``; the names are prefixed ``pyramid_`` in the ``operations``
namespace. Charts are full ECharts options built here from the same rows as the downloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yuqi.core.access import requires
from yuqi.core.clock import now
from yuqi.core.downloads import table_response
from yuqi.customers.choices import Segment
from yuqi.domain.pyramid import VALUE_SEGMENTS, MigrationMatrix
from yuqi.operations.kpi.views import as_of_label
from yuqi.operations.pyramid.selectors import (
    PyramidSummary,
    ServiceRow,
    complaints_by_segment,
    pyramid_summary,
    segment_label,
    segment_migration,
    service_by_segment,
    service_by_segment_and_tier_as_of,
    service_by_tier,
    snapshot_months,
)
from yuqi.operations.pyramid.services import month_end, month_start
from yuqi.operations.tasks import refresh_segments

VIEW = "operations.view_operations"
FORMATS = ("csv", "xlsx")
BRAND = "#0b6e4f"


def _month_choices(months: list[date]) -> list[tuple[str, str]]:
    return [(m.strftime("%Y-%m"), m.strftime("%Y-%m")) for m in months]


class PyramidFilterForm(forms.Form):
    month = forms.ChoiceField(label=gettext_lazy("Month"), required=False)
    compare = forms.ChoiceField(label=gettext_lazy("Compared with"), required=False)

    def __init__(self, *args: Any, months: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _month_choices(months)
        self.fields["compare"].choices = _month_choices(months)


@dataclass(frozen=True)
class PyramidChoice:
    month: date | None  # the snapshot shown
    compare: date | None  # the earlier snapshot of the migration matrix
    service_from: date | None
    service_to: date | None


def _parse_month(text: str | None, months: list[date]) -> date | None:
    for month in months:
        if text == month.strftime("%Y-%m"):
            return month
    return None


def _choice(request: HttpRequest, months: list[date]) -> PyramidChoice:
    month = _parse_month(request.GET.get("month"), months) or (months[0] if months else None)
    compare = _parse_month(request.GET.get("compare"), months)
    if compare is None and month is not None:
        earlier = [m for m in months if m < month]
        compare = earlier[0] if earlier else None
    if month is None:
        return PyramidChoice(None, None, None, None)
    today = timezone.localdate(now())
    return PyramidChoice(month, compare, month_start(month), min(month_end(month), today))


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


# --- charts (full ECharts options) ---------------------------------------------------------


def pyramid_chart(summary: PyramidSummary) -> dict[str, Any]:
    """The value pyramid (top, high, middle, low) as a funnel, narrowest at the top."""
    data = [
        {
            "name": row.label,
            "value": row.customers,
            "itemStyle": {"color": Segment(row.segment).colour.fill},
        }
        for row in summary.rows
        if row.segment in VALUE_SEGMENTS
    ]
    return {
        "title": {"text": _("Value pyramid"), "left": 8, "top": 4, "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "item", "formatter": "{b}: {c}"},
        "series": [
            {
                "name": _("Customers"),
                "type": "funnel",
                "sort": "ascending",
                "left": "10%",
                "width": "80%",
                "top": 36,
                "bottom": 8,
                "gap": 2,
                "minSize": "8%",
                "label": {"show": True, "position": "inside", "formatter": "{b}: {c}"},
                "data": data,
            }
        ],
    }


def segments_chart(summary: PyramidSummary) -> dict[str, Any]:
    """Customers and share of value per segment (all seven)."""
    labels = [row.label for row in summary.rows]
    return {
        "title": {
            "text": _("Customers and value by segment"),
            "left": 8,
            "top": 4,
            "textStyle": {"fontSize": 13},
        },
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 4, "right": 8},
        "grid": {"left": 56, "right": 56, "top": 44, "bottom": 40},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"interval": 0}},
        "yAxis": [
            {"type": "value", "name": _("Customers"), "minInterval": 1},
            {"type": "value", "name": _("Value %"), "max": 100},
        ],
        "series": [
            {
                "name": _("Customers"),
                "type": "bar",
                "data": [
                    {
                        "value": row.customers,
                        "itemStyle": {"color": Segment(row.segment).colour.fill},
                    }
                    for row in summary.rows
                ],
            },
            {
                "name": _("Share of value (%)"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [_percent(row.value_share) for row in summary.rows],
                "itemStyle": {"color": "#b44d12"},
            },
        ],
    }


def migration_chart(matrix: MigrationMatrix) -> dict[str, Any]:
    """Row shares (%) as a heatmap: from-segment rows, to-segment columns."""
    labels = [segment_label(s) for s in matrix.segments]
    data = [
        [j, i, _percent(share)]
        for i, row in enumerate(matrix.row_shares)
        for j, share in enumerate(row)
        if share is not None
    ]
    return {
        "title": {
            "text": _("Segment migration (row %)"),
            "left": 8,
            "top": 4,
            "textStyle": {"fontSize": 13},
        },
        "tooltip": {"position": "top"},
        "grid": {"left": 96, "right": 16, "top": 40, "bottom": 72},
        "xAxis": {
            "type": "category",
            "data": labels,
            "name": _("to"),
            "splitArea": {"show": True},
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": {
            "type": "category",
            "data": labels,
            "name": _("from"),
            "inverse": True,
            "splitArea": {"show": True},
        },
        "visualMap": {
            "min": 0,
            "max": 100,
            "calculable": True,
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "inRange": {"color": ["#f5f7fa", BRAND]},
        },
        "series": [
            {
                "name": _("Share of row (%)"),
                "type": "heatmap",
                "data": data,
                "label": {"show": True},
            }
        ],
    }


def service_chart(title: str, rows: list[ServiceRow]) -> dict[str, Any]:
    return {
        "title": {"text": title, "left": 8, "top": 4, "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 4, "right": 8},
        "grid": {"left": 48, "right": 16, "top": 44, "bottom": 40},
        "xAxis": {
            "type": "category",
            "data": [row.label for row in rows],
            "axisLabel": {"interval": 0},
        },
        "yAxis": {"type": "value", "name": "%", "max": 100},
        "series": [
            {
                "name": _("Service level (%)"),
                "type": "bar",
                "data": [_percent(row.service_level) for row in rows],
                "itemStyle": {"color": BRAND},
            },
            {
                "name": _("Abandon rate (%)"),
                "type": "bar",
                "data": [_percent(row.abandon_rate) for row in rows],
                "itemStyle": {"color": "#ba2525"},
            },
        ],
    }


# --- tables (the page and the downloads share them) ----------------------------------------


def segment_table(summary: PyramidSummary) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Segment"),
        _("Customers"),
        _("Share of customers (%)"),
        _("Monthly value"),
        _("Share of value (%)"),
        _("Average value"),
        _("Recency score"),
        _("Frequency score"),
        _("Monetary score"),
    ]
    rows = [
        [
            row.label,
            row.customers,
            _percent(row.share),
            row.value,
            _percent(row.value_share),
            row.average_value,
            row.recency,
            row.frequency,
            row.monetary,
        ]
        for row in summary.rows
    ]
    return headers, rows


def migration_table(matrix: MigrationMatrix) -> tuple[list[str], list[list[Any]]]:
    labels = [segment_label(s) for s in matrix.segments]
    headers = [_("From \\ to"), *labels, _("Total"), _("Left")]
    rows = [
        [labels[i], *matrix.counts[i], sum(matrix.counts[i]), matrix.left[i]]
        for i in range(len(labels))
    ]
    rows.append([_("New in the later month"), *matrix.entered, sum(matrix.entered), ""])
    return headers, rows


def service_table(rows: list[ServiceRow], *, group: str = "") -> tuple[list[str], list[list[Any]]]:
    headers = [
        group or _("Group"),
        _("Offered"),
        _("Answered"),
        _("Abandoned"),
        _("Service level (%)"),
        _("Abandon rate (%)"),
        _("Answer rate (%)"),
    ]
    body = [
        [
            row.label,
            row.offered,
            row.answered,
            row.abandoned,
            _percent(row.service_level),
            _percent(row.abandon_rate),
            _percent(row.answer_rate),
        ]
        for row in rows
    ]
    return headers, body


# --- views ---------------------------------------------------------------------------------


@requires(VIEW)
def pyramid_page(request: HttpRequest) -> HttpResponse:
    months = snapshot_months()
    choice = _choice(request, months)
    summary = pyramid_summary(month=choice.month)
    context: dict[str, Any] = {
        "form": PyramidFilterForm(
            initial={
                "month": choice.month.strftime("%Y-%m") if choice.month else "",
                "compare": choice.compare.strftime("%Y-%m") if choice.compare else "",
            },
            months=months,
        ),
        "choice": choice,
        "summary": summary,
        "segment_rows": segment_table(summary),
        "pyramid_chart": pyramid_chart(summary),
        "segments_chart": segments_chart(summary),
        "can_refresh": request.user.has_perm("operations.refresh_segments"),
        "query": request.GET.urlencode(),
    }
    if choice.month and choice.compare:
        matrix = segment_migration(from_month=choice.compare, to_month=choice.month)
        context["migration"] = matrix
        context["migration_rows"] = migration_table(matrix)
        context["migration_chart"] = migration_chart(matrix)
    if choice.service_from and choice.service_to:
        by_segment, by_tier, as_of = service_by_segment_and_tier_as_of(
            date_from=choice.service_from, date_to=choice.service_to
        )
        context.update(
            service_as_of=as_of_label(as_of),
            by_segment=by_segment,
            by_tier=by_tier,
            segment_service_rows=service_table(by_segment, group=_("Segment")),
            tier_service_rows=service_table(by_tier, group=_("Tier")),
            segment_service_chart=service_chart(_("Service by segment"), by_segment),
            tier_service_chart=service_chart(_("Service by tier"), by_tier),
            complaints=complaints_by_segment(
                date_from=choice.service_from, date_to=choice.service_to
            ),
        )
    return render(request, "operations/pyramid.html", context)


@requires("operations.refresh_segments")
@require_POST
def pyramid_refresh(request: HttpRequest) -> HttpResponse:
    refresh_segments.enqueue()
    messages.success(
        request,
        _("The pyramid refresh is queued; the page shows it once a worker has run it."),
    )
    return redirect("operations:pyramid_page")


TABLES = ("segments", "migration", "service-segments", "service-tiers")


@requires(VIEW)
def pyramid_download(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    if table not in TABLES or fmt not in FORMATS:
        raise Http404
    months = snapshot_months()
    choice = _choice(request, months)
    stamp = choice.month.strftime("%Y-%m") if choice.month else "none"
    if table == "segments":
        headers, rows = segment_table(pyramid_summary(month=choice.month))
    elif table == "migration":
        if not (choice.month and choice.compare):
            raise Http404
        matrix = segment_migration(from_month=choice.compare, to_month=choice.month)
        headers, rows = migration_table(matrix)
        stamp = f"{choice.compare:%Y-%m}-{stamp}"
    elif choice.service_from and choice.service_to:
        select = service_by_segment if table == "service-segments" else service_by_tier
        group = _("Segment") if table == "service-segments" else _("Tier")
        headers, rows = service_table(
            select(date_from=choice.service_from, date_to=choice.service_to), group=group
        )
    else:
        headers, rows = service_table([])
    return table_response(f"pyramid-{table}-{stamp}", headers, rows, fmt=fmt)


urlpatterns = [
    path("pyramid/", pyramid_page, name="pyramid_page"),
    path("pyramid/refresh/", pyramid_refresh, name="pyramid_refresh"),
    path("pyramid/<slug:table>.<slug:fmt>", pyramid_download, name="pyramid_download"),
]

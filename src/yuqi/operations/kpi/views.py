"""KPI explorer and definitions pages. Views parse the request and call ``kpi_table``.

The table on the page, its chart and its CSV/Excel download are built from the same cells
(:func:`table_cells`), so the download is exactly the table. The definitions page is rendered
from ``yuqi.domain.kpi.DEFINITIONS`` (the formulas' own docstrings), so it cannot drift from
the code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from yuqi.core import clock
from yuqi.core.access import requires
from yuqi.core.clock import as_of_label
from yuqi.core.downloads import table_response
from yuqi.domain import kpi as formulas
from yuqi.interactions.choices import SL_CONVENTION_CHOICES, Channel
from yuqi.operations.kpi.selectors import (
    DIMENSIONS,
    KpiRow,
    kpi_table_as_of,
    queue_choices,
    sl_conventions_in_use,
    tier_choices,
)

PERMISSION = "operations.view_operations"

#: People's names for the measures; a test checks there is one per formula.
KPI_LABELS: dict[str, Promise] = {
    "offered": _("Offered"),
    "answered": _("Answered"),
    "abandoned": _("Abandoned"),
    "short_abandoned": _("Short abandons"),
    "answer_rate": _("Answer rate"),
    "abandon_rate": _("Abandon rate"),
    "service_level": _("Service level"),
    "asa": _("ASA"),
    "longest_wait": _("Longest wait"),
    "aht": _("AHT"),
    "transfer_rate": _("Transfer rate"),
    "fcr": _("FCR (recorded)"),
    "derived_fcr": _("FCR (derived)"),
    "occupancy": _("Occupancy"),
}
UNIT_LABELS: dict[str, Promise] = {
    "count": _("count"),
    "ratio": _("%"),
    "seconds": _("s"),
}
DIMENSION_LABELS: dict[str, Promise] = {
    "interval": _("Interval"),
    "day": _("Day"),
    "week": _("Week"),
    "month": _("Month"),
    "queue": _("Queue"),
    "team": _("Team"),
    "agent": _("Agent"),
    "channel": _("Channel"),
    "tier": _("Tier"),
}
#: Every measure is a column; occupancy says "needs agent states" until staffed time is known.
TABLE_MEASURES = formulas.DEFINITIONS
SCOPE_LABELS: dict[str, Promise] = {
    formulas.SCOPE_REALTIME: _("Real-time channels (phone, web chat, app, WeChat)"),
    formulas.SCOPE_VOICE: _("Voice only"),
    formulas.SCOPE_CHAT: _("Chat only (web chat, app, WeChat)"),
    formulas.SCOPE_EMAIL: _("E-mail only"),
    formulas.SCOPE_ALL: _("All channels"),
}
SL_CONVENTION_LABELS: dict[str, Promise] = dict(SL_CONVENTION_CHOICES)
MAX_DAYS = 366


class KpiFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.MultipleChoiceField(
        label=_("Group by"),
        choices=[(key, DIMENSION_LABELS[key]) for key in DIMENSIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interval = forms.TypedChoiceField(
        label=_("Interval (minutes)"),
        choices=[(m, str(m)) for m in formulas.INTERVAL_CHOICES],
        coerce=int,
        initial=30,
        required=False,
    )
    queue = forms.ChoiceField(label=_("Queue"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    tier = forms.ChoiceField(label=_("Tier"), required=False)
    scope = forms.ChoiceField(
        label=_("Channels counted"),
        required=False,
        choices=list(SCOPE_LABELS.items()),
        help_text=_(
            "Without a channel chosen: real-time channels by default, since an "
            "e-mail's hours of waiting would swamp ASA and service level."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["queue"].choices = [("", _("All")), *queue_choices()]
        self.fields["tier"].choices = [("", _("All")), *tier_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end date is before the start date."))
            elif (end - start).days >= MAX_DAYS:
                self.add_error("date_to", _("Choose at most a year."))
        return data


def default_filters() -> dict[str, Any]:
    today = timezone.localdate(clock.now())
    return {
        "date_from": today - timedelta(days=6),
        "date_to": today,
        "by": ["day"],
        "interval": 30,
        "scope": formulas.HEADLINE_SCOPE,
    }


def effective_scope(channel: str | None, scope: str | None) -> str:
    """The scope the figures cover: a chosen channel alone, else the chosen scope, else the
    real-time channels."""
    if channel:
        return formulas.SCOPE_ALL
    return scope or formulas.HEADLINE_SCOPE


@dataclass(frozen=True)
class KpiTable:
    headers: list[str]
    rows: list[list[Any]]  # cells: text keys, then numbers (ratios in %, seconds), None = no data
    ratio_columns: frozenset[int]


def _cell(unit: str, value: float | int | None) -> float | int | None:
    if value is None:
        return None
    if unit == "ratio":
        return round(value * 100, 1)
    if unit == "seconds":
        return round(value, 1)
    return value


def table_cells(rows: Sequence[KpiRow], by: Sequence[str]) -> KpiTable:
    """Headers and cells of the KPI table (shared by the page, the chart and downloads)."""
    headers = [str(DIMENSION_LABELS[key]) for key in by]
    ratio_columns = set()
    for position, definition in enumerate(TABLE_MEASURES, start=len(by)):
        unit = definition.unit
        label = str(KPI_LABELS[definition.code])
        headers.append(label if unit == "count" else f"{label} ({UNIT_LABELS[unit]})")
        if unit == "ratio":
            ratio_columns.add(position)
    needs_states = str(_("needs agent states"))
    cells = [
        [row.labels[key] for key in by]
        + [
            needs_states
            if d.code == "occupancy" and row.counts.staffed_seconds is None
            else _cell(d.unit, getattr(row.values, d.code))
            for d in TABLE_MEASURES
        ]
        for row in rows
    ]
    return KpiTable(headers, cells, frozenset(ratio_columns))


def sl_convention_note(queue: str | None) -> str:
    """The service-level convention in use, printed beside the figure."""
    codes = sl_conventions_in_use(queue)
    if len(codes) == 1:
        return str(SL_CONVENTION_LABELS.get(codes[0], codes[0]))
    if not codes:
        return str(SL_CONVENTION_LABELS[formulas.SL_DEFAULT])
    return str(_("Each queue's own convention: %(list)s")) % {
        "list": "; ".join(str(SL_CONVENTION_LABELS.get(c, c)) for c in codes)
    }


def chart_option(table: KpiTable, by: Sequence[str]) -> dict[str, Any]:
    """An ECharts option: offered and answered bars, service level and abandon rate lines."""
    column = {code: len(by) + i for i, code in enumerate(d.code for d in TABLE_MEASURES)}
    categories = [" · ".join(str(c) for c in row[: len(by)]) or str(_("All")) for row in table.rows]

    def series(code: str, kind: str, axis: int) -> dict[str, Any]:
        return {
            "name": str(KPI_LABELS[code]),
            "type": kind,
            "yAxisIndex": axis,
            "data": [row[column[code]] for row in table.rows],
            **({"smooth": True, "connectNulls": False} if kind == "line" else {}),
        }

    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 48, "right": 48, "top": 36, "bottom": 60},
        "dataZoom": [{"type": "inside"}, {"type": "slider", "height": 16, "bottom": 8}],
        "xAxis": {"type": "category", "data": categories},
        "yAxis": [
            {"type": "value", "name": str(_("Contacts")), "minInterval": 1},
            {"type": "value", "name": "%", "min": 0, "max": 100},
        ],
        "series": [
            series("offered", "bar", 0),
            series("answered", "bar", 0),
            series("service_level", "line", 1),
            series("abandon_rate", "line", 1),
        ],
        "color": ["#9bb7d4", "#0b6e4f", "#d98c1f", "#c0392b"],
    }


def _url(request: HttpRequest, name: str) -> str:
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    return reverse(f"{namespace}:{name}" if namespace else name)


@requires(PERMISSION)
def kpi_explorer(request: HttpRequest) -> HttpResponse:
    """KPIs over a date range, grouped and filtered as asked; ``?format=csv|xlsx`` downloads."""
    form = KpiFilterForm(request.GET if "date_from" in request.GET else default_filters())
    context: dict[str, Any] = {"form": form, "definitions_url": _url(request, "kpi_definitions")}
    if form.is_valid():
        data = form.cleaned_data
        by = [key for key in DIMENSIONS if key in data["by"]]  # a stable column order
        rows, as_of = kpi_table_as_of(
            date_from=data["date_from"],
            date_to=data["date_to"],
            by=by,
            queue=data["queue"] or None,
            channel=data["channel"] or None,
            channels=formulas.scope_channels(
                effective_scope(data["channel"] or None, data.get("scope") or None)
            ),
            tier=data["tier"] or None,
            interval_minutes=data["interval"] or 30,
        )
        table = table_cells(rows, by)
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            name = f"kpis-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}"
            return table_response(name, table.headers, table.rows, fmt=fmt)
        query = request.GET.copy()
        query.pop("format", None)
        scope = effective_scope(data["channel"] or None, data.get("scope") or None)
        context.update(
            table=table,
            chart=chart_option(table, by),
            query=query.urlencode(),
            by=by,
            scope_label=SCOPE_LABELS[scope] if not data["channel"] else "",
            sl_convention=sl_convention_note(data["queue"] or None),
            as_of=as_of_label(as_of),
        )
    template = "operations/kpi_results.html" if request.htmx else "operations/kpi.html"
    return render(request, template, context)


def _literals_as_code(text: str) -> str:
    """The docstring's ````name```` literals (field names) as ``<code>``, the rest escaped."""
    parts = text.split("``")
    return mark_safe(  # every part is escaped
        "".join(
            format_html("<code>{}</code>", part) if index % 2 else escape(part)
            for index, part in enumerate(parts)
        )
    )


@requires(PERMISSION)
def kpi_definitions(request: HttpRequest) -> HttpResponse:
    """Every measure's formula, explanation and source, straight from the formulas' code."""
    definitions = [
        {
            "code": d.code,
            "name": KPI_LABELS[d.code],
            "unit": UNIT_LABELS[d.unit],
            "formula": d.formula,
            "explanation": _literals_as_code(d.explanation),
        }
        for d in formulas.DEFINITIONS
    ]
    context = {
        "definitions": definitions,
        "short_abandon_seconds": formulas.DEFAULT_SHORT_ABANDON_SECONDS,
        "sl_seconds": formulas.DEFAULT_SL_SECONDS,
        "repeat_days": formulas.DEFAULT_REPEAT_DAYS,
        "module_doc": formulas.__doc__,
        "sl_conventions": SL_CONVENTION_CHOICES,
        "explorer_url": _url(request, "kpi_explorer"),
    }
    return render(request, "operations/definitions.html", context)


urlpatterns = [
    path("kpis/", kpi_explorer, name="kpi_explorer"),
    path("kpis/definitions/", kpi_definitions, name="kpi_definitions"),
]

"""Staffing pages: the plan (required vs worked agents per interval) and the what-if.

Mounted by the project under ``/operations/`` in the ``operations`` namespace; every page
needs ``operations.view_staffing``. Views parse the request and call
``yuqi.operations.staffing.services``; the chart option, the table and the download are built here
from the same rows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape, json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from yuqi.core.access import requires
from yuqi.core.clock import as_of_label, now
from yuqi.core.downloads import table_response
from yuqi.core.measures import measure_source
from yuqi.domain import erlang
from yuqi.operations.staffing import services as staffing

PERMISSION = "operations.view_staffing"

UNDER_COLOUR = "#ba2525"
OVER_COLOUR = "#d9822b"
ON_PLAN_COLOUR = "#2f8132"
REQUIRED_COLOUR = "#1f2933"
FORECAST_COLOUR = "#8fa3b8"


# --------------------------------------------------------------------------- forms

INTERVAL_CHOICES = [
    (m, format_lazy(gettext_lazy("{minutes} minutes"), minutes=m)) for m in staffing.INTERVALS
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class _QueueForm(forms.Form):
    queue = forms.ChoiceField(label=gettext_lazy("Queue"))
    interval = forms.TypedChoiceField(
        label=gettext_lazy("Interval"),
        coerce=int,
        choices=INTERVAL_CHOICES,
        initial=staffing.DEFAULT_INTERVAL,
    )

    def __init__(self, *args: Any, queues: list[staffing.PlannedQueue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queues = {queue.code: queue for queue in queues}
        self.fields["queue"].choices = [(q.code, q.name or q.code) for q in queues]

    @property
    def chosen_queue(self) -> staffing.PlannedQueue:
        return self.queues[self.cleaned_data["queue"]]


class PlanForm(_QueueForm):
    start = forms.DateField(label=gettext_lazy("From"), widget=_date_input())
    end = forms.DateField(label=gettext_lazy("To"), widget=_date_input())
    shrinkage = forms.IntegerField(
        label=gettext_lazy("Shrinkage (%)"),
        min_value=0,
        max_value=90,
        initial=round(staffing.DEFAULT_SHRINKAGE * 100),
    )
    max_occupancy = forms.IntegerField(
        label=gettext_lazy("Maximum occupancy (%)"),
        min_value=50,
        max_value=100,
        initial=round(staffing.DEFAULT_MAX_OCCUPANCY * 100),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date is before the start date."))
            elif (end - start).days + 1 > staffing.MAX_PLAN_DAYS:
                self.add_error(
                    "end",
                    _("A plan covers at most %(days)s days.") % {"days": staffing.MAX_PLAN_DAYS},
                )
        return data


class WhatIfForm(_QueueForm):
    day = forms.DateField(label=gettext_lazy("Day"), widget=_date_input())
    agents_delta = forms.IntegerField(
        label=gettext_lazy("Agents per interval (±)"), min_value=-100, max_value=100, initial=0
    )
    aht_change = forms.IntegerField(
        label=gettext_lazy("Handle time change (%)"), min_value=-50, max_value=100, initial=0
    )
    ivr_share = forms.IntegerField(
        label=gettext_lazy("Calls served by IVR self-service (%)"),
        min_value=0,
        max_value=90,
        initial=0,
    )
    volume_change = forms.IntegerField(
        label=gettext_lazy("Arrival volume change (%)"), min_value=-90, max_value=200, initial=0
    )

    def levers(self) -> staffing.Levers:
        data = self.cleaned_data
        return staffing.Levers(
            agents_delta=data["agents_delta"],
            aht_change_pct=data["aht_change"],
            ivr_share_pct=data["ivr_share"],
            volume_change_pct=data["volume_change"],
        )


def _bound(
    form_class: type[_QueueForm],
    request: HttpRequest,
    defaults: dict[str, Any],
    queues: list[staffing.PlannedQueue],
) -> _QueueForm:
    """The form bound to the query string, with defaults for what it leaves out."""
    data = {name: str(value) for name, value in defaults.items()}
    data.update({key: value for key, value in request.GET.items() if value != ""})
    return form_class(data, queues=queues)


def _today() -> date:
    return timezone.localdate(now())


SHRINKAGE_WEEKS = 4


def shrinkage_period(today: date) -> tuple[date, date]:
    """The days whose agent states give the shrinkage default: the last four weeks."""
    return today - timedelta(weeks=SHRINKAGE_WEEKS), today - timedelta(days=1)


def shrinkage_default(today: date) -> tuple[int, str]:
    """The shrinkage the plan starts from (%) and where it comes from: the shrinkage observed
    in the agent states of the last four weeks when a context registered the measure
    ``observed_shrinkage`` and it has data, else the planners' rule of thumb."""
    source = measure_source("observed_shrinkage")
    first, last = shrinkage_period(today)
    reading = source(first, last) if source is not None else None
    if reading is not None and reading.value is not None and 0 <= reading.value < 0.9:
        text = _(
            "Shrinkage default %(value)s%%: observed in the agent states of %(first)s – "
            "%(last)s (scheduled time not available for contacts: %(reasons)s)."
        ) % {
            "value": round(reading.value * 100),
            "first": first.isoformat(),
            "last": last.isoformat(),
            "reasons": reading.note or "—",
        }
        if reading.as_of is not None:  # a stored figure of some moment: say which
            # its own words: the plan below says when the rollups were refreshed
            text += " " + _("Agent states as of %(at)s") % {"at": as_of_label(reading.as_of)}
        return round(reading.value * 100), text
    text = _(
        "Shrinkage default %(value)s%%: the planners' rule of thumb; no agent states of the "
        "last four weeks to measure it."
    ) % {"value": round(staffing.DEFAULT_SHRINKAGE * 100)}
    return round(staffing.DEFAULT_SHRINKAGE * 100), text


def _plan_form(
    request: HttpRequest, queues: list[staffing.PlannedQueue], shrinkage: int | None = None
) -> PlanForm:
    today = _today()
    defaults = {
        "queue": queues[0].code if queues else "",
        "interval": staffing.DEFAULT_INTERVAL,
        "start": today - timedelta(days=7),
        "end": today + timedelta(days=6),
        "shrinkage": round(staffing.DEFAULT_SHRINKAGE * 100) if shrinkage is None else shrinkage,
        "max_occupancy": round(staffing.DEFAULT_MAX_OCCUPANCY * 100),
    }
    return _bound(PlanForm, request, defaults, queues)


def _whatif_form(request: HttpRequest, queues: list[staffing.PlannedQueue]) -> WhatIfForm:
    defaults = {
        "queue": queues[0].code if queues else "",
        "interval": staffing.DEFAULT_INTERVAL,
        "day": _today() - timedelta(days=1),
        "agents_delta": 0,
        "aht_change": 0,
        "ivr_share": 0,
        "volume_change": 0,
    }
    return _bound(WhatIfForm, request, defaults, queues)


# --------------------------------------------------------------------------- the plan


def status_labels() -> dict[str, str]:
    return {
        staffing.UNDER: _("Under-staffed"),
        staffing.OVER: _("Over-staffed"),
        staffing.ON_PLAN: _("On plan"),
        "": "",
    }


def source_labels() -> dict[str, str]:
    return {staffing.ACTUAL: _("Actual"), staffing.FORECAST: _("Forecast")}


@dataclass(frozen=True)
class TableRow:
    cells: tuple[Any, ...]
    status: str


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[TableRow, ...]


def plan_table(plan: staffing.StaffingPlan) -> Table:
    """The plan's rows as shown on the page and downloaded (one source for both)."""
    statuses, sources = status_labels(), source_labels()
    headers = (
        _("Day"),
        _("Time"),
        _("Source"),
        _("Calls"),
        _("AHT (s)"),
        _("Agents required"),
        _("Positions (with shrinkage)"),
        _("Positions, fractional"),
        _("Agents who worked"),
        _("Gap"),
        _("Status"),
    )

    def blank(value: Any) -> Any:
        return "" if value is None else value

    rows = tuple(
        TableRow(
            cells=(
                row.day.isoformat(),
                row.time_label,
                sources[row.source],
                round(row.calls, 1),
                "" if row.aht is None else round(row.aht),
                blank(row.required),
                blank(row.positions),
                "" if row.positions_fractional is None else round(row.positions_fractional, 2),
                blank(row.actual_agents),
                blank(row.gap),
                statuses[row.status],
            ),
            status=row.status,
        )
        for row in plan.rows
    )
    return Table(headers, rows)


@dataclass(frozen=True)
class TableDay:
    """One day's rows of the plan's table on the page: its ``<tr>`` elements already built,
    or ``None`` for a day the page loads when it is opened (``staffing_plan_day``), and how
    many of its intervals are under- and over-staffed (shown while it is closed)."""

    day: str
    count: int
    body: SafeString | None
    under: int = 0
    over: int = 0


_BADGES = {staffing.UNDER: "badge action-2", staffing.OVER: "badge vip"}


def _cell_html(value: Any) -> str:
    """What the template's ``{{ cell }}`` gives: the value localised, then escaped."""
    return conditional_escape(localize(value))


def _row_html(row: TableRow, seen: dict[tuple[type, str], str]) -> str:
    """``seen`` keeps each distinct cell value's text, by type and ``repr`` (``1``, ``1.0``
    and ``-0.0`` localise apart though they compare equal): a plan repeats the same days,
    labels and small numbers thousands of times, and localising and escaping each was most
    of the table's cost."""
    last = len(row.cells) - 1
    cells = []
    for i, cell in enumerate(row.cells):
        key = (type(cell), repr(cell))
        text = seen.get(key)
        if text is None:
            text = seen[key] = _cell_html(cell)
        if i == last and row.status:
            text = f'<span class="{_BADGES.get(row.status, "badge")}">{text}</span>'
        css = ' class="nowrap"' if i == 0 else (' class="num"' if 3 <= i < last else "")
        cells.append(f"<td{css}>{text}</td>")
    status = conditional_escape(row.status or "none")
    return f'<tr class="status-{status}">{"".join(cells)}</tr>'


def table_days(table: Table, built: Callable[[str], bool] | None = None) -> list[TableDay]:
    """The table's rows by day (its first cell) for the page: a plan of weeks in 15-minute
    intervals is thousands of cells, built here in one pass instead of one template node
    each, and only for the days ``built(day)`` wants (default: every day); the others are
    counted."""
    days: list[TableDay] = []
    seen: dict[tuple[type, str], str] = {}
    groups: dict[str, list[TableRow]] = {}
    for row in table.rows:
        groups.setdefault(str(row.cells[0]), []).append(row)
    for day, rows in groups.items():
        body = None
        if built is None or built(day):
            body = mark_safe("\n".join(_row_html(row, seen) for row in rows))
        under = sum(1 for row in rows if row.status == staffing.UNDER)
        over = sum(1 for row in rows if row.status == staffing.OVER)
        days.append(TableDay(day, len(rows), body, under, over))
    return days


def plan_chart(plan: staffing.StaffingPlan) -> dict[str, Any]:
    """ECharts option: required agents (line) against agents who worked (bars coloured by
    under/over/on plan), and the forecast requirement on future days."""
    labels = [f"{row.day:%m-%d} {row.time_label}" for row in plan.rows]

    def worked(status: str) -> list[int | None]:
        return [row.actual_agents if row.status == status else None for row in plan.rows]

    under, over, on_plan = _("Under-staffed"), _("Over-staffed"), _("On plan")
    required = _("Agents required")
    planned = _("Agents required (forecast)")
    bar = {"type": "bar", "stack": "worked", "barCategoryGap": "15%"}
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 4, "data": [required, planned, under, on_plan, over]},
        "grid": {"left": 48, "right": 24, "top": 40, "bottom": 64},
        "dataZoom": [{"type": "inside"}, {"type": "slider", "height": 18, "bottom": 8}],
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "minInterval": 1, "name": _("Agents")},
        "series": [
            {
                **bar,
                "name": under,
                "data": worked(staffing.UNDER),
                "itemStyle": {"color": UNDER_COLOUR},
            },
            {
                **bar,
                "name": on_plan,
                "data": worked(staffing.ON_PLAN),
                "itemStyle": {"color": ON_PLAN_COLOUR},
            },
            {
                **bar,
                "name": over,
                "data": worked(staffing.OVER),
                "itemStyle": {"color": OVER_COLOUR},
            },
            {
                "type": "line",
                "step": "middle",
                "name": required,
                "symbol": "none",
                "data": [
                    row.required if row.source == staffing.ACTUAL else None for row in plan.rows
                ],
                "itemStyle": {"color": REQUIRED_COLOUR},
            },
            {
                "type": "line",
                "step": "middle",
                "name": planned,
                "symbol": "none",
                "lineStyle": {"type": "dashed"},
                "data": [
                    row.required if row.source == staffing.FORECAST else None for row in plan.rows
                ],
                "itemStyle": {"color": FORECAST_COLOUR},
            },
        ],
    }


def _build_plan(form: PlanForm) -> staffing.RolledPlan:
    """The plan, when the rollups it was computed from were refreshed (``None``: from the
    contacts, now) and the key it is kept under."""
    data = form.cleaned_data
    return staffing.rollup_plan(
        queue=form.chosen_queue,
        start=data["start"],
        end=data["end"],
        interval_minutes=data["interval"],
        shrinkage=data["shrinkage"] / 100,
        max_occupancy=data["max_occupancy"] / 100,
        today=_today(),
    )


@requires(PERMISSION)
def staffing_plan(request: HttpRequest) -> HttpResponse:
    """Required vs worked agents per interval for a queue and dates; HTMX gets the results."""
    queues = staffing.staffing_queues()
    shrinkage, shrinkage_note = None, ""
    if not request.GET.get("shrinkage"):  # the default comes from the agent states if any
        shrinkage, shrinkage_note = shrinkage_default(_today())
    form = _plan_form(request, queues, shrinkage)
    context: dict[str, Any] = {
        "form": form,
        "has_queues": bool(queues),
        "shrinkage_note": shrinkage_note,
    }
    if queues and form.is_valid():
        rolled = _build_plan(form)
        as_of = rolled.as_of
        table, days, chart, chart_script = _page_parts(rolled, request.GET.get("open") or "")
        context.update(
            plan=rolled.plan,
            table=table,
            days=days,
            chart=chart,
            chart_script=chart_script,
            query=_query(form),
            as_of=_("Figures as of %(at)s") % {"at": as_of_label(as_of)} if as_of else "",
        )
    template = (
        "operations/staffing_plan_results.html" if request.htmx else "operations/staffing_plan.html"
    )
    return render(request, template, context)


#: The page's parts of a kept plan (:func:`_page_parts`), per plan, language and open day.
PARTS_KEPT = 32
_PARTS: dict[tuple[str, str, str], tuple[Table, list[TableDay], dict[str, Any], SafeString]] = {}
_PARTS_LOCK = threading.Lock()


def _page_parts(
    rolled: staffing.RolledPlan, wanted: str
) -> tuple[Table, list[TableDay], dict[str, Any], SafeString]:
    """The table, its days (one day's rows built: ``wanted``, else the first; the others are
    loaded when opened, a plan of weeks is thousands of rows), the chart and its script
    element. A plan kept under a key (``rollup_plan``: immutable, until the rollups change)
    has them built once per language and open day in the process."""
    key = (rolled.key, get_language() or "", wanted)
    if rolled.key:
        with _PARTS_LOCK:
            found = _PARTS.get(key)
        if found is not None:
            return found
    table = plan_table(rolled.plan)
    first = wanted or (str(table.rows[0].cells[0]) if table.rows else "")
    chart = plan_chart(rolled.plan)
    parts = (
        table,
        table_days(table, built=lambda day: day == first),
        chart,
        json_script(chart, "staffing-plan-chart"),
    )
    if rolled.key:
        with _PARTS_LOCK:
            _PARTS[key] = parts
            while len(_PARTS) > PARTS_KEPT:
                del _PARTS[next(iter(_PARTS))]
    return parts


def _query(form: PlanForm) -> str:
    """The plan's parameters as a query string (without the day to open)."""
    return urlencode({key: value for key, value in form.data.items() if key != "open"})


@requires(PERMISSION)
def staffing_plan_day(request: HttpRequest) -> HttpResponse:
    """One day's rows of the plan's table (``?day=YYYY-MM-DD`` and the plan's parameters),
    for the page to load when the day is opened."""
    queues = staffing.staffing_queues()
    form = _plan_form(request, queues)
    if not queues or not form.is_valid():
        return HttpResponse(_("Choose a queue and a valid date range."), status=400)
    table = plan_table(_build_plan(form).plan)
    wanted = request.GET.get("day", "")
    days = [day for day in table_days(table, built=lambda day: day == wanted) if day.body]
    context = {"table": table, "day": days[0] if days else None}
    return render(request, "operations/staffing_plan_day.html", context)


@requires(PERMISSION)
def staffing_plan_download(request: HttpRequest) -> HttpResponse:
    """The plan's table as CSV (default) or Excel (``?format=xlsx``)."""
    queues = staffing.staffing_queues()
    form = _plan_form(request, queues)
    if not queues or not form.is_valid():
        return HttpResponse(_("Choose a queue and a valid date range."), status=400)
    plan = _build_plan(form).plan
    table = plan_table(plan)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return table_response(
        f"staffing-{plan.queue_code}-{plan.start:%Y%m%d}-{plan.end:%Y%m%d}",
        table.headers,
        (row.cells for row in table.rows),
        fmt=fmt,
    )


# --------------------------------------------------------------------------- what-if


def _percent(value: float | None) -> float | None:
    return None if value is None else value * 100


@dataclass(frozen=True)
class OutcomeView:
    calls: float
    aht: float
    agents: int
    service_level: float | None  # percent
    asa: float | None
    abandon_rate: float | None  # percent


def _outcome_view(outcome: staffing.Outcome) -> OutcomeView:
    return OutcomeView(
        outcome.calls,
        outcome.aht,
        outcome.agents,
        _percent(outcome.service_level),
        outcome.asa,
        _percent(outcome.abandon_rate),
    )


def whatif_chart(result: staffing.WhatIf) -> dict[str, Any]:
    """ECharts option: service level per interval before and after, and abandon rate."""
    labels = [row.time_label for row in result.rows]

    def series(name: str, values: list[float | None], colour: str, dashed: bool) -> dict:
        return {
            "type": "line",
            "name": name,
            "data": values,
            "connectNulls": False,
            "itemStyle": {"color": colour},
            "lineStyle": {"type": "dashed" if dashed else "solid"},
        }

    def pct(values: list[float | None]) -> list[float | None]:
        return [None if v is None else round(v * 100, 1) for v in values]

    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 4},
        "grid": {"left": 48, "right": 24, "top": 40, "bottom": 32},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "min": 0, "max": 100, "name": "%"},
        "series": [
            series(
                _("Service level before"),
                pct([r.before.service_level for r in result.rows]),
                FORECAST_COLOUR,
                True,
            ),
            series(
                _("Service level after"),
                pct([r.after.service_level for r in result.rows]),
                ON_PLAN_COLOUR,
                False,
            ),
            series(
                _("Abandon rate before"),
                pct([r.before.abandon_rate for r in result.rows]),
                OVER_COLOUR,
                True,
            ),
            series(
                _("Abandon rate after"),
                pct([r.after.abandon_rate for r in result.rows]),
                UNDER_COLOUR,
                False,
            ),
        ],
    }


@requires(PERMISSION)
def staffing_whatif(request: HttpRequest) -> HttpResponse:
    """What-if on one queue and day: agents, AHT, IVR share, volume → SL, ASA, abandon rate
    before and after, per interval and for the day. HTMX gets the results fragment."""
    queues = staffing.staffing_queues()
    form = _whatif_form(request, queues)
    context: dict[str, Any] = {"form": form, "has_queues": bool(queues)}
    if queues and form.is_valid():
        data = form.cleaned_data
        try:
            result = staffing.staffing_whatif(
                queue=form.chosen_queue,
                day=data["day"],
                levers=form.levers(),
                interval_minutes=data["interval"],
                today=_today(),
            )
        except (ValueError, erlang.ErlangError) as exc:
            form.add_error(None, str(exc))
        else:
            context.update(
                result=result,
                before=_outcome_view(result.before),
                after=_outcome_view(result.after),
                rows=[
                    (row.time_label, _outcome_view(row.before), _outcome_view(row.after))
                    for row in result.rows
                ],
                chart=whatif_chart(result),
            )
    template = (
        "operations/staffing_whatif_results.html"
        if request.htmx
        else "operations/staffing_whatif.html"
    )
    return render(request, template, context)


urlpatterns = [
    path("staffing/", staffing_plan, name="staffing_plan"),
    path("staffing/day/", staffing_plan_day, name="staffing_plan_day"),
    path("staffing/download/", staffing_plan_download, name="staffing_plan_download"),
    path("staffing/what-if/", staffing_whatif, name="staffing_whatif"),
]

from __future__ import annotations

from datetime import date

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuqi.core import clock
from yuqi.core.access import requires
from yuqi.core.downloads import table_response
from yuqi.core.measures import MeasureReading, measure_source
from yuqi.interactions.choices import Channel
from yuqi.operations.dashboard.selectors import (
    dashboard_day,
    dashboard_queues,
    latest_day_with_contacts,
    queue_by_code,
    service_level_chart,
    wallboard,
)
from yuqi.operations.kpi.views import as_of_label

PERMISSION = "operations.view_operations"


class DayForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        required=False,
        choices=Channel.choices,
        initial=Channel.PHONE,
    )


def _choice(request: HttpRequest) -> tuple[date | None, str]:
    form = DayForm(request.GET or None)
    if not form.is_valid():
        return None, Channel.PHONE
    return form.cleaned_data.get("day"), form.cleaned_data.get("channel") or Channel.PHONE


def complaint_sla(day: date) -> MeasureReading | None:
    """Complaint SLA compliance of the clocks due on ``day``, with the clocks open and overdue
    now: the complaints context's registered source (the scorecard's), or ``None`` when that
    context is not installed."""
    source = measure_source("complaint_sla_compliance")
    return source(day, day) if source is not None else None


#: How often the live dashboard refreshes itself (HTMX polling), in seconds.
LIVE_REFRESH_SECONDS = 60


@requires(PERMISSION)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Manager dashboard: the day's KPIs against targets, per queue, per interval. It opens on
    today, live: the figures are read at each request and the page refreshes them every
    :data:`LIVE_REFRESH_SECONDS` (HTMX asks for the body alone); a past day is static."""
    wanted, channel = _choice(request)
    today = timezone.localdate(clock.now())
    live = wanted is None or wanted == today
    day = dashboard_day(wanted, channel=channel, fall_back=not live)
    latest = None
    if live and not day.queues:
        latest = latest_day_with_contacts()
    chart = service_level_chart(
        day, {"offered": _("Offered"), "service_level": _("Service level %")}
    )
    context = {
        "form": DayForm(initial={"day": day.day, "channel": channel}),
        "day": day,
        "channel": channel,
        "chart": chart,
        "queues": dashboard_queues(),
        "live": live,
        "latest": latest if latest != today else None,
        "updated_at": timezone.localtime(day.as_of or clock.now()),
        "as_of": as_of_label(day.as_of),
        "refresh_seconds": LIVE_REFRESH_SECONDS,
        "complaint_sla": complaint_sla(day.day),
    }
    template = (
        "operations/partials/dashboard_body.html" if request.htmx else "operations/dashboard.html"
    )
    return render(request, template, context)


@requires(PERMISSION)
def dashboard_download(request: HttpRequest, fmt: str) -> HttpResponse:
    wanted, channel = _choice(request)
    day = dashboard_day(wanted, channel=channel)
    headers = [
        _("Queue"),
        _("Interval"),
        _("Offered"),
        _("Answered"),
        _("Abandoned"),
        _("Service level"),
        _("Answer rate"),
        _("ASA (s)"),
        _("AHT (s)"),
    ]
    rows = [
        [
            r.labels.get("queue", ""),
            r.labels.get("interval", ""),
            r.values.offered,
            r.values.answered,
            r.values.abandoned,
            r.values.service_level,
            r.values.answer_rate,
            r.values.asa,
            r.values.aht,
        ]
        for r in day.intervals
    ]
    return table_response(
        f"dashboard-{day.day.isoformat()}", headers, rows, fmt="xlsx" if fmt == "xlsx" else "csv"
    )


@requires(PERMISSION)
def wallboard_page(request: HttpRequest, code: str) -> HttpResponse:
    """A queue's live numbers for a wall screen; HTMX refreshes the figures every 15 s."""
    queue = queue_by_code(code)
    if queue is None:
        raise Http404
    board = wallboard(queue)
    template = "operations/partials/wallboard.html" if request.htmx else "operations/wallboard.html"
    return render(request, template, {"board": board})


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("dashboard.<slug:fmt>", dashboard_download, name="dashboard_download"),
    path("wallboard/<str:code>/", wallboard_page, name="wallboard"),
]

"""Planner, agent and supervisor pages of the workforce context (thin: forms → services)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yuqi.core.access import requires
from yuqi.core.clock import as_of_label, now
from yuqi.domain.workforce.errors import WorkforceError
from yuqi.domain.workforce.rules import RULE_LABELS
from yuqi.operations import facade as operations
from yuqi.workforce import services
from yuqi.workforce.models import (
    Roster,
    RosterAssignment,
    RosterJob,
    ShiftTemplate,
    SwapRequest,
    TimeOffRequest,
    WorkforceAgent,
)

app_name = "workforce"

PROBLEMS = {
    "weeks": gettext_lazy("A roster covers 1 to 4 weeks."),
    "templates": gettext_lazy("Add at least one active shift template first."),
    "decided": gettext_lazy("This request has already been decided."),
    "busy": gettext_lazy("The colleague already works that day."),
    "queues": gettext_lazy("Choose at least one queue."),
}
RUNNING = {RosterJob.QUEUED, RosterJob.PLANNING, RosterJob.ROSTERING}


def _today() -> dt.date:
    return timezone.localdate(now())


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "zh-hans") or "zh-hans"


class RosterForm(forms.Form):
    queue = forms.MultipleChoiceField(
        label=gettext_lazy("Queue"),
        help_text=gettext_lazy(
            "Choose several queues to plan them as one skill group: their requirements are "
            "summed per interval before rounding."
        ),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    start = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    weeks = forms.IntegerField(label=gettext_lazy("Weeks"), min_value=1, max_value=4, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["queue"]).choices = [
            (q.code, q.name) for q in operations.staffing_queues()
        ]

    def clean_queue(self) -> list[str]:
        codes = list(self.cleaned_data["queue"])
        if len(codes) > 8:
            raise forms.ValidationError(_("Plan at most 8 queues together."))
        return codes

    def clean_start(self) -> dt.date:
        start = self.cleaned_data["start"]
        if abs((start - _today()).days) > 366:
            raise forms.ValidationError(_("Choose a first day within a year of today."))
        return start


def _rule_text(rule: str, language: str) -> str:
    labels = RULE_LABELS.get(rule, RULE_LABELS["unknown"])
    return labels[1] if language.startswith("zh") else labels[0]


def _violations_text(violations: list[Any], language: str) -> str:
    return "; ".join(
        f"{_rule_text(v.rule, language)} ({v.agent}{', ' + str(v.day) if v.day else ''})"
        for v in violations
    )


@requires("workforce.view_roster")
def rosters(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.has_perm("workforce.plan_roster"):
            raise PermissionDenied
        form = RosterForm(request.POST)
        if form.is_valid():
            try:
                roster = services.queue_roster(
                    queue_codes=form.cleaned_data["queue"],
                    start=form.cleaned_data["start"],
                    weeks=form.cleaned_data["weeks"],
                    user=request.user,
                )
            except services.WorkforceProblem as exc:
                form.add_error(None, PROBLEMS.get(str(exc), str(exc)))
            except LookupError:
                form.add_error("queue", _("Unknown queue."))
            except WorkforceError as exc:
                form.add_error(None, exc.message(_language(request)))
            else:
                return redirect("workforce:roster", pk=roster.pk)
    else:
        form = RosterForm(initial={"start": _today() + dt.timedelta(days=7 - _today().weekday())})
    return render(
        request,
        "workforce/rosters.html",
        {
            "form": form,
            "rosters": _with_queue_labels(list(Roster.objects.all()[:50])),
            "can_plan": request.user.has_perm("workforce.plan_roster"),
        },
    )


def _with_queue_labels(rosters: list[Roster]) -> list[Roster]:
    """The rosters, each with ``queue_label``: its queues' names (the code of a queue that has
    none or is gone), joined by " + "."""
    names = {q.code: q.name or q.code for q in operations.staffing_queues()}
    for roster in rosters:
        roster.queue_label = " + ".join(  # type: ignore[attr-defined]
            names.get(code, code) for code in services.queue_codes_of(roster)
        )
    return rosters


def _row(grid: list, index: int) -> list:
    return grid[index] if isinstance(grid, list) and 0 <= index < len(grid) else []


def coverage_chart(roster: Roster, day_index: int) -> dict[str, Any]:
    """ECharts option for one day: required, planned, rostered and actually staffed heads."""
    slots = 24 * 60 // roster.slot_minutes
    labels = [
        f"{(s * roster.slot_minutes) // 60:02d}:{(s * roster.slot_minutes) % 60:02d}"
        for s in range(slots)
    ]
    rostered = services.rostered_per_slot(roster)[day_index]
    day = roster.start + dt.timedelta(days=day_index)
    staffed: list[int | None] = [None] * slots
    if day < _today():
        try:
            _required, worked = services.requirement_grid(roster.queue_code, day, 1)
        except LookupError:  # the queue has gone since the roster was built
            worked = [staffed]
        staffed = worked[0]
    line = {"type": "line", "step": "start", "symbol": "none"}
    names = [_("Required"), _("Planned"), _("Rostered"), _("Actually staffed")]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 4, "data": names},
        "grid": {"left": 48, "right": 24, "top": 40, "bottom": 32},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "name": _("Agents")},
        "series": [
            {**line, "name": names[0], "data": _row(roster.requirement, day_index)},
            {**line, "name": names[1], "data": _row(roster.coverage, day_index)},
            {**line, "name": names[2], "data": rostered},
            {"type": "bar", "name": names[3], "data": staffed},
        ],
    }


@requires("workforce.view_roster")
def roster_page(request: HttpRequest, pk: int) -> HttpResponse:
    roster = get_object_or_404(Roster, pk=pk)
    if roster.job_state in RUNNING | {RosterJob.FAILED} or request.GET.get("part") == "job":
        response = render(
            request,
            "workforce/partials/roster_job.html"
            if request.GET.get("part") == "job"
            else "workforce/roster_job.html",
            {
                "roster": roster,
                "running": roster.job_state in RUNNING,
                "failure": PROBLEMS.get(roster.job_message, roster.job_message),
            },
        )
        if request.GET.get("part") == "job" and roster.job_state not in RUNNING:
            response["HX-Refresh"] = "true"  # the plan is there: show the whole page
        return response
    try:
        day_index = int(request.GET.get("day", "0"))
    except ValueError:
        day_index = 0
    day_index = min(max(day_index, 0), roster.days - 1)
    language = _language(request)
    unfilled = [
        {
            "day": item["day"],
            "shift": item["shift"],
            "heads": item["heads"],
            "reasons": "; ".join(
                f"{_rule_text(rule, language)}: {count}"
                for rule, count in sorted(item["reasons"].items(), key=lambda kv: -kv[1])
            ),
        }
        for item in roster.unfilled
    ]
    conflicts = [
        _rule_text(c["rule"], language) + (f" ({c['agent']})" if c.get("agent") else "")
        for c in roster.conflicts
    ]
    days = [roster.start + dt.timedelta(days=i) for i in range(roster.days)]
    grid: dict[str, dict[dt.date, str]] = {}
    for item in roster.assignments.select_related("agent", "shift"):
        grid.setdefault(item.agent.acd_code, {})[item.day] = item.shift.name
    table = [(code, [grid[code].get(d, "") for d in days]) for code in sorted(grid)]
    return render(
        request,
        "workforce/roster.html",
        {
            "roster": roster,
            "unfilled": unfilled,
            "conflicts": conflicts,
            "days": days,
            "table": table,
            "day_index": day_index,
            "day_choices": list(enumerate(days)),
            "chart": coverage_chart(roster, day_index),
            "templates": ShiftTemplate.objects.filter(active=True),
            "can_plan": request.user.has_perm("workforce.plan_roster"),
        },
    )


@requires("workforce.plan_roster")
@require_POST
def roster_publish(request: HttpRequest, pk: int) -> HttpResponse:
    roster = get_object_or_404(Roster, pk=pk)
    services.publish(roster)
    messages.success(request, _("The roster is published: agents see their shifts."))
    return redirect("workforce:roster", pk=roster.pk)


class EditForm(forms.Form):
    agent = forms.CharField(label=gettext_lazy("Agent"), max_length=60)
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    shift = forms.CharField(label=gettext_lazy("Shift"), max_length=40, required=False)


@requires("workforce.plan_roster")
@require_POST
def roster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    roster = get_object_or_404(Roster, pk=pk)
    form = EditForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Give an agent, a day of the roster and a shift (empty: day off).")
        )
        return redirect("workforce:roster", pk=roster.pk)
    agent = WorkforceAgent.objects.filter(acd_code=form.cleaned_data["agent"]).first()
    name = form.cleaned_data["shift"].strip()
    shift = ShiftTemplate.objects.filter(name=name).first() if name else None
    if agent is None or (name and shift is None):
        messages.error(request, _("Unknown agent or shift."))
        return redirect("workforce:roster", pk=roster.pk)
    language = _language(request)
    try:
        services.edit_assignment(roster, agent=agent, day=form.cleaned_data["day"], shift=shift)
    except services.RuleBroken as exc:
        rules = _violations_text(exc.violations, language)
        messages.error(
            request, _("Not changed: the change would break %(rules)s.") % {"rules": rules}
        )
    except services.WorkforceProblem:
        messages.error(request, _("The day is outside the roster."))
    else:
        messages.success(request, _("The roster is changed."))
    return redirect("workforce:roster", pk=roster.pk)


@requires("workforce.plan_roster")
def roster_export(request: HttpRequest, pk: int) -> HttpResponse:
    roster = get_object_or_404(Roster, pk=pk)
    response = HttpResponse(
        services.roster_workbook(roster),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="roster-{roster.pk}.xlsx"'
    return response


class TimeOffForm(forms.Form):
    first_day = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(
        label=gettext_lazy("Last day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                raise forms.ValidationError(_("The last day is before the first day."))
            if (last - first).days > 60:
                raise forms.ValidationError(_("Ask for at most 61 days at a time."))
        return data


class SwapForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    colleague = forms.CharField(label=gettext_lazy("Colleague's ACD id"), max_length=60)


@requires("workforce.view_own_schedule")
def my_schedule(request: HttpRequest) -> HttpResponse:
    agent = WorkforceAgent.objects.filter(user_id=request.user.pk or 0).first()
    time_off_form, swap_form = TimeOffForm(), SwapForm()
    if request.method == "POST" and agent is not None:
        if request.POST.get("action") == "swap":
            if not request.user.has_perm("workforce.add_swaprequest"):
                raise PermissionDenied
            swap_form = SwapForm(request.POST)
            if swap_form.is_valid():
                assignment = RosterAssignment.objects.filter(
                    pk=swap_form.cleaned_data["assignment"], agent=agent
                ).first()
                colleague = (
                    WorkforceAgent.objects.filter(
                        acd_code=swap_form.cleaned_data["colleague"], active=True
                    )
                    .exclude(pk=agent.pk)
                    .first()
                )
                if assignment is None or colleague is None:
                    swap_form.add_error(None, _("Unknown shift or colleague."))
                else:
                    SwapRequest.objects.create(assignment=assignment, colleague=colleague)
                    messages.success(request, _("Your swap request was sent to a supervisor."))
                    return redirect("workforce:my_schedule")
        else:
            if not request.user.has_perm("workforce.add_timeoffrequest"):
                raise PermissionDenied
            time_off_form = TimeOffForm(request.POST)
            if time_off_form.is_valid():
                TimeOffRequest.objects.create(agent=agent, **time_off_form.cleaned_data)
                messages.success(request, _("Your time-off request was sent to a supervisor."))
                return redirect("workforce:my_schedule")
    shifts = services.own_schedule(request.user, start=_today()) if agent else []
    return render(
        request,
        "workforce/my_schedule.html",
        {
            "agent": agent,
            "shifts": shifts,
            "time_off_form": time_off_form,
            "swap_form": swap_form,
            "requests": TimeOffRequest.objects.filter(agent=agent)[:20] if agent else [],
        },
    )


@requires("workforce.decide_request")
def requests_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        kind = request.POST.get("kind")
        model = {"time_off": TimeOffRequest, "swap": SwapRequest}.get(kind or "")
        try:
            pk = int(request.POST.get("pk", ""))
        except ValueError:
            pk = 0
        if model is None or request.POST.get("decision") not in {"approve", "reject"}:
            messages.error(request, _("Unknown request."))
            return redirect("workforce:requests")
        item = cast(TimeOffRequest | SwapRequest, get_object_or_404(model, pk=pk))
        try:
            services.decide(item, approve=request.POST["decision"] == "approve", user=request.user)
        except services.RuleBroken as exc:
            messages.error(
                request,
                _("Not approved: the swap would break %(rules)s.")
                % {"rules": _violations_text(exc.violations, _language(request))},
            )
        except services.WorkforceProblem as exc:
            messages.error(request, PROBLEMS.get(str(exc), str(exc)))
        else:
            messages.success(request, _("The request is decided."))
        return redirect("workforce:requests")
    time_off, swaps = services.pending_requests()
    return render(request, "workforce/requests.html", {"time_off": time_off, "swaps": swaps})


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Last day"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and not 0 <= (end - start).days <= 62:
            raise forms.ValidationError(_("Choose at most 63 days, the end after the start."))
        return data


SHRINKAGE_LABELS = {
    "break": gettext_lazy("Break"),
    "not_ready": gettext_lazy("Not ready (no reason)"),
    "logged_in": gettext_lazy("Logged in, state not detailed"),
    "absent": gettext_lazy("Absent (not logged in)"),
}
PROBLEM_LABELS = {
    "overlap": gettext_lazy("overlapping rows"),
    "backwards": gettext_lazy("row ends before it starts"),
    "schedule_overlap": gettext_lazy("overlapping scheduled activities"),
}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@requires("workforce.view_roster")
def adherence_page(request: HttpRequest) -> HttpResponse:
    today = _today()
    form = PeriodForm(request.GET or {"start": today - dt.timedelta(days=7), "end": today})
    rows: list[dict[str, Any]] = []
    total = None
    problems: list[Any] = []
    as_of = ""
    if form.is_valid():
        report, computed_at = services.adherence_reading(
            form.cleaned_data["start"], form.cleaned_data["end"]
        )
        as_of = as_of_label(computed_at)
        for item in (*report.agents, report.total):
            rows.append(
                {
                    "agent": item.agent or _("All agents"),
                    "adherence": _percent(item.adherence),
                    "conformance": _percent(item.conformance),
                    "occupancy": _percent(item.occupancy),
                    "shrinkage": ", ".join(
                        f"{SHRINKAGE_LABELS.get(reason, reason)}: {_percent(share)}"
                        for reason, share in item.shrinkage.items()
                    )
                    or "—",
                }
            )
        total = rows.pop() if rows else None
        problems = [
            {
                "agent": p.agent,
                "kind": PROBLEM_LABELS.get(p.kind, p.kind),
                "rows": ", ".join(str(r) for r in p.rows if r is not None),
            }
            for p in report.problems
        ]
    return render(
        request,
        "workforce/adherence.html",
        {"form": form, "rows": rows, "total": total, "problems": problems, "as_of": as_of},
    )


class IntradayForm(forms.Form):
    queue = forms.ChoiceField(label=gettext_lazy("Queue"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["queue"]).choices = [
            (q.code, q.name) for q in operations.staffing_queues()
        ]


@requires("workforce.view_roster")
def intraday_page(request: HttpRequest) -> HttpResponse:
    form = IntradayForm(request.GET or None)
    day = None
    rows: list[services.IntradayRow] = []
    if form.is_valid():
        try:
            day, rows = services.intraday_rows(form.cleaned_data["queue"], now())
        except LookupError:
            form.add_error("queue", _("Unknown queue."))
    coming = [row for row in rows if not row.past]
    return render(
        request,
        "workforce/intraday.html",
        {
            "form": form,
            "day": day,
            "ratio_percent": None if day is None else round(day.ratio * 100),
            "missing": [row for row in coming if row.short > 0],
            "rows": coming,
        },
    )


urlpatterns = [
    path("", rosters, name="rosters"),
    path("rosters/<int:pk>/", roster_page, name="roster"),
    path("rosters/<int:pk>/publish/", roster_publish, name="roster_publish"),
    path("rosters/<int:pk>/export.xlsx", roster_export, name="roster_export"),
    path("rosters/<int:pk>/edit/", roster_edit, name="roster_edit"),
    path("me/", my_schedule, name="my_schedule"),
    path("requests/", requests_page, name="requests"),
    path("adherence/", adherence_page, name="adherence"),
    path("intraday/", intraday_page, name="intraday"),
]

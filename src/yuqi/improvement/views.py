"""Pages of the improvement context (relative to ``/improvement/``): the board, an action,
its PDCA steps and check, and the root-cause and QA Pareto charts. Thin: services do the work."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuqi.core.access import requires
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain.improvement import TRANSITIONS, ActionStatus
from yuqi.improvement import selectors, services
from yuqi.improvement.forms import ActionForm, CheckForm, CloseForm, RangeForm, TaskForm
from yuqi.improvement.models import ActionTask, ImprovementAction, LinkKind, Source, Status

VIEW = "improvement.view_improvementaction"
ADD = "improvement.add_improvementaction"
CHANGE = "improvement.change_improvementaction"
VERIFY = "improvement.verify_action"


def _today() -> Any:
    return timezone.localdate(now())


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@requires(VIEW)
def board(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    filters = selectors.BoardFilter(
        owner=_int(request.GET.get("owner")),
        grade=request.GET.get("grade", "") if request.GET.get("grade") in ("A", "B", "C") else "",
        status=status if status in (*Status.values, "open", "") else "open",
        overdue=request.GET.get("overdue") == "1",
    )
    today = _today()
    rows = list(selectors.board(filters, today)[:500])
    from django.contrib.auth import get_user_model

    owners = get_user_model().objects.filter(improvement_actions__isnull=False).distinct()
    context = {
        "rows": rows,
        "columns": selectors.board_columns(rows),
        "by_owner": selectors.counts_by(rows, "owner"),
        "by_grade": selectors.counts_by(rows, "grade"),
        "filters": filters,
        "owners": owners.order_by("username"),
        "statuses": Status.choices,
        "today": today,
        "may_add": request.user.has_perm(ADD),
    }
    if request.headers.get("HX-Request"):
        return render(request, "improvement/partials/board.html", context)
    return render(request, "improvement/board.html", context)


@requires(ADD)
def action_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ActionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = services.action_create(
                    title=data["title"],
                    plan=data["plan"],
                    owner=data["owner"],
                    department=data["department"],
                    due_date=data["due_date"],
                    grade=data["grade"],
                    measure_kind=data["measure_kind"],
                    measure_ref=data["measure_ref"],
                    baseline_start=data["baseline_start"],
                    baseline_end=data["baseline_end"],
                    links=data["links"],
                    source=data["source"] or Source.MANUAL,
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Action %(n)s created.") % {"n": action.number})
                return redirect("improvement:detail", pk=action.pk)
    else:
        initial = {
            "owner": request.user.pk,
            "title": request.GET.get("title", "")[:200],
            "links": request.GET.get("links", "")[:2000],
            "measure_kind": request.GET.get("measure_kind", "")[:16],
            "measure_ref": request.GET.get("measure_ref", "")[:80],
            "source": request.GET.get("source", "")[:12],
        }
        form = ActionForm(initial=initial)
    return render(request, "improvement/new.html", {"form": form})


def _detail_context(request: HttpRequest, action: ImprovementAction) -> dict[str, Any]:
    checks = list(action.checks.select_related("by").all())
    english = (request.LANGUAGE_CODE or "").startswith("en")
    targets = [
        (s.value, Status(s.value).label)
        for s in TRANSITIONS[ActionStatus(action.status)]
        if s != ActionStatus.CLOSED
    ]
    return {
        "action": action,
        "links": selectors.action_links(action),
        "tasks": list(action.tasks.select_related("owner")),
        "events": list(action.events.select_related("by")),
        "checks": [(c, c.sentence_en if english else c.sentence_zh) for c in checks],
        "latest": checks[0] if checks else None,
        "targets": targets,
        "task_form": TaskForm(initial={"owner": action.owner_id, "due_date": action.due_date}),
        "close_form": CloseForm(),
        "check_form": CheckForm(),
        "may_change": request.user.has_perm(CHANGE) and action.status != Status.CLOSED,
        "may_verify": request.user.has_perm(VERIFY),
        "today": _today(),
        "measure": _measure_label(action),
        "steps": Status.choices,
    }


def _measure_label(action: ImprovementAction) -> str:
    from yuqi.improvement.measures import label

    return label(action.measure_kind, action.measure_ref)


@requires(VIEW)
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ImprovementAction.objects.select_related("owner"), pk=pk)
    return render(request, "improvement/detail.html", _detail_context(request, action))


def _back(request: HttpRequest, action: ImprovementAction) -> HttpResponse:
    if request.headers.get("HX-Request"):
        action.refresh_from_db()
        return render(request, "improvement/partials/action.html", _detail_context(request, action))
    return redirect("improvement:detail", pk=action.pk)


@require_POST
@requires(CHANGE)
def action_transition(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ImprovementAction, pk=pk)
    to = request.POST.get("to", "")[:10]
    try:
        services.action_transition(
            action, to=to, by=request.user, note=request.POST.get("note", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request, action)


@require_POST
@requires(VERIFY)
def action_check(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ImprovementAction, pk=pk)
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the after window as two dates."))
        return _back(request, action)
    try:
        services.action_check(
            action,
            by=request.user,
            after_start=form.cleaned_data["after_start"],
            after_end=form.cleaned_data["after_end"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request, action)


@require_POST
@requires(VERIFY)
def action_close(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ImprovementAction, pk=pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome."))
        return _back(request, action)
    try:
        services.action_close(
            action,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request, action)


@require_POST
@requires(CHANGE)
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ImprovementAction, pk=pk)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            services.task_add(action, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("A task needs a title, an owner and a due date."))
    return _back(request, action)


@require_POST
@requires(VIEW)
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(ActionTask.objects.select_related("action"), pk=pk)
    if task.owner_id != request.user.pk and not request.user.has_perm(CHANGE):
        raise PermissionDenied
    services.task_done(task)
    return _back(request, task.action)


@requires(VIEW)
def pareto(request: HttpRequest) -> HttpResponse:
    from yuqi.complaints.facade import category_choices, team_choices

    form = RangeForm(request.GET or None)
    start, end = form.range(_today())
    category = form.cleaned_data.get("category", "") if form.is_bound and form.is_valid() else ""
    team = form.cleaned_data.get("team", "") if form.is_bound and form.is_valid() else ""
    bars, months = selectors.root_cause_bars(
        date_from=start, date_to=end, category=category, team=team
    )
    qa_bars = selectors.qa_auto_fail_bars(date_from=start, date_to=end)
    base = reverse("improvement:new")

    def create_url(kind: str, bar: selectors.Bar, title: str) -> str:
        lines = [f"{kind}:{bar.code}"] if bar.code != "-" else []
        if category:
            lines.append(f"{LinkKind.CATEGORY}:{category}")
        query = {
            "title": title,
            "links": "\n".join(lines),
            "source": Source.PARETO if kind == LinkKind.ROOT_CAUSE else Source.QA_PARETO,
        }
        if kind == LinkKind.ROOT_CAUSE:
            query |= {"measure_kind": "complaint_rate", "measure_ref": category}
        else:
            query |= {"measure_kind": "qa_item", "measure_ref": bar.code}
        return f"{base}?{urlencode(query)}"

    rc_rows = [
        (
            b,
            create_url(
                LinkKind.ROOT_CAUSE, b, _("Reduce complaints caused by: %(c)s") % {"c": b.label}
            ),
        )
        for b in bars
    ]
    qa_rows = [
        (b, create_url(LinkKind.QA_ITEM, b, _("Fewer auto-fails on: %(c)s") % {"c": b.label}))
        for b in qa_bars
    ]
    context = {
        "form": form,
        "start": start,
        "end": end,
        "category": category,
        "team": team,
        "categories": category_choices(),
        "teams": team_choices(),
        "rc_rows": rc_rows,
        "qa_rows": qa_rows,
        "months": months,
        "rc_option": selectors.pareto_option(
            bars, series=_("Closed complaints"), cumulative=_("Cumulative share")
        ),
        "rc_urls": [url for _b, url in rc_rows],
        "qa_option": selectors.pareto_option(
            qa_bars, series=_("Auto-fails"), cumulative=_("Cumulative share")
        ),
        "qa_urls": [url for _b, url in qa_rows],
        "may_add": request.user.has_perm(ADD),
    }
    return render(request, "improvement/pareto.html", context)


app_name = "improvement"
urlpatterns = [
    path("", board, name="board"),
    path("new/", action_new, name="new"),
    path("pareto/", pareto, name="pareto"),
    path("<int:pk>/", action_detail, name="detail"),
    path("<int:pk>/transition/", action_transition, name="transition"),
    path("<int:pk>/check/", action_check, name="check"),
    path("<int:pk>/close/", action_close, name="close"),
    path("<int:pk>/tasks/", task_add, name="task_add"),
    path("tasks/<int:pk>/done/", task_done, name="task_done"),
]

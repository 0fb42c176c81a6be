"""Text-mining pages (relative to ``/textmining/``): model versions and retraining, the
review queue of uncertain predictions, emerging themes, and the label actions that the
review page and the complaint panel post to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuqi.core.access import requires
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.textmining import selectors, services
from yuqi.textmining.facade import taxonomy_labels
from yuqi.textmining.models import ModelStatus, TextModel, ThemeRun
from yuqi.textmining.presenters import analysis_view, analysis_views, note_text, theme_rows

VIEW = "textmining.view_complaintanalysis"
TRAIN = "textmining.add_textmodel"
LABEL = "textmining.add_complaintlabel"
JUDGE = "textmining.change_complaintanalysis"
THEMES = "textmining.add_themerun"


def _job_context(request: HttpRequest) -> dict[str, Any]:
    latest = TextModel.objects.order_by("-version").first()
    return {
        "latest": latest,
        "training": latest is not None and latest.status == ModelStatus.TRAINING,
        "can_train": request.user.has_perm(TRAIN),
    }


@requires(VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    labels = taxonomy_labels()
    versions = list(selectors.text_models()[:10])
    shown = next((m for m in versions if m.status == ModelStatus.ACTIVE), None) or next(
        (m for m in versions if m.metrics), None
    )
    context = {
        "versions": versions,
        "shown": shown,
        "metric_rows": selectors.metric_rows(shown, labels) if shown else [],
        "notes": [note_text(n, labels) for n in (shown.metrics or {}).get("notes", [])]
        if shown
        else [],
        "label_counts": [(code, labels.get(code, code), n) for code, n in selectors.label_counts()],
        "awaiting": selectors.awaiting_review().count(),
        **_job_context(request),
    }
    return render(request, "textmining/overview.html", context)


@requires(VIEW)
def job(request: HttpRequest) -> HttpResponse:
    """The state of the latest training (polled by the overview while it trains); once the
    training is over, a poll reloads the page so the new version's metrics show."""
    context = _job_context(request)
    response = render(request, "textmining/partials/job.html", context)
    if request.GET.get("poll") and not context["training"]:
        response["HX-Refresh"] = "true"
    return response


@requires(TRAIN)
@require_POST
def retrain(request: HttpRequest) -> HttpResponse:
    error = ""
    try:
        services.model_train(by=request.user)
    except DomainError as exc:
        error = exc.message
    context = {**_job_context(request), "error": error}
    if request.headers.get("HX-Request"):
        return render(request, "textmining/partials/job.html", context)
    if error:
        messages.error(request, error)
    return redirect("textmining:overview")


@requires(VIEW)
def review(request: HttpRequest) -> HttpResponse:
    labels = taxonomy_labels()
    rows = analysis_views(list(selectors.awaiting_review()[: selectors.REVIEW_LIMIT]), labels)
    context = {
        "rows": rows,
        "choices": sorted(labels.items()),
        "can_label": request.user.has_perm(LABEL),
        "total": selectors.awaiting_review().count(),
    }
    return render(request, "textmining/review.html", context)


def _apply(request: HttpRequest, complaint_id: int) -> str:
    action = request.POST.get("action", "")
    if action == "confirm":
        services.label_confirm(complaint_id=complaint_id, by=request.user)
        return _("Category confirmed.")
    if action == "correct":
        services.label_correct(
            complaint_id=complaint_id, code=request.POST.get("code", ""), by=request.user
        )
        return _("Category corrected; the next training learns from it.")
    if action in ("unreasonable", "reasonable"):
        if not request.user.has_perm(JUDGE):
            raise PermissionDenied
        services.mark_unreasonable(
            complaint_id=complaint_id,
            by=request.user,
            unreasonable=action == "unreasonable",
            note=request.POST.get("note", ""),
        )
        return _("Marked unreasonable.") if action == "unreasonable" else _("Marked reasonable.")
    raise Http404


@requires(LABEL)
@require_POST
def label(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """Confirm / correct / mark unreasonable; answers the review row or the complaint panel."""
    try:
        notice, level = _apply(request, complaint_id), "success"
    except DomainError as exc:
        notice, level = exc.message, "error"
    if request.POST.get("view") == "panel":
        from yuqi.textmining.panels import panel_context

        context = panel_context(complaint_id, request.user) or {}
        return render(
            request,
            "textmining/panels/complaint.html",
            {"panel": {**context, "notice": notice, "level": level}},
        )
    row = selectors.analysis_for(complaint_id)
    if row is None:
        raise Http404
    context = {
        "row": analysis_view(row, taxonomy_labels()),
        "notice": notice,
        "level": level,
        "done": level == "success",
        "choices": sorted(taxonomy_labels().items()),
        "can_label": True,
    }
    return render(request, "textmining/partials/review_row.html", context)


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@requires(VIEW)
def themes(request: HttpRequest) -> HttpResponse:
    today = now().date()
    run_id = request.GET.get("run")
    run = (
        get_object_or_404(ThemeRun, pk=run_id)
        if run_id and run_id.isdigit()
        else selectors.latest_theme_run()
    )
    if request.method == "POST":
        if not request.user.has_perm(THEMES):
            raise PermissionDenied
        date_from = _date(request.POST.get("date_from"), today - dt.timedelta(days=30))
        date_to = _date(request.POST.get("date_to"), today)
        k_raw = request.POST.get("k", "")
        try:
            run = services.theme_run(
                date_from=date_from,
                date_to=date_to,
                k=int(k_raw) if k_raw.isdigit() else None,
                by=request.user,
            )
            return redirect(f"{request.path}?run={run.pk}")
        except DomainError as exc:
            messages.error(request, exc.message)
    context = {
        "run": run,
        "notes": [note_text(n) for n in run.notes] if run else [],
        "rows": theme_rows(run, taxonomy_labels()) if run else [],
        "runs": ThemeRun.objects.all()[:10],
        "can_run": request.user.has_perm(THEMES),
        "default_from": (today - dt.timedelta(days=30)).isoformat(),
        "default_to": today.isoformat(),
    }
    return render(request, "textmining/themes.html", context)

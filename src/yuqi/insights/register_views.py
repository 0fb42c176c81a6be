"""The expectation register pages and the 客户期望评测结果表 (relative to ``/insights/``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yuqi.core import clock
from yuqi.core.access import requires
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.downloads import XLSX_TYPE
from yuqi.core.errors import DomainError
from yuqi.customers.facade import tier_labels
from yuqi.insights import evaluation, exports, levels
from yuqi.insights import expectations as svc
from yuqi.insights.models import (
    SELF_MADE_ORIGINS,
    EvaluationRow,
    EvaluationRun,
    EvidenceSource,
    Expectation,
    ExpectationOrigin,
    ExpectationOriginKind,
    ExpectationStatus,
    Grade,
    ResourceLevel,
    RunStatus,
)
from yuqi.surveys import facade as surveys

VIEW = "insights.view_insights"
EDIT = "insights.change_expectation"
DECIDE = "insights.decide_grade"
RUN = "insights.add_evaluationrun"

# The default grading rules of yuqi.domain.grading, by code, in the reader's language.
RULE_LABELS = {
    "infeasible": gettext_lazy("Cannot be met under policy or regulation: guide the customer."),
    "low_resource_long_term": gettext_lazy(
        "Low resource, but only in the medium or long term (more than 6 months)."
    ),
    "low_resource": gettext_lazy("Reachable without much resource."),
    "needs_resources": gettext_lazy(
        "Reachable with medium or high resource, in the medium or long term."
    ),
    "needs_assessment": gettext_lazy(
        "Needs assessment: the inputs the grade depends on are missing."
    ),
}
FEASIBLE_CHOICES = {"": None, "yes": True, "no": False}
INPUT_LABELS = {
    "feasible": gettext_lazy("whether it is feasible under policy and regulation"),
    "resource": gettext_lazy("the resource needed (a level or a cost)"),
}


def _label_map() -> dict[str, str]:
    return svc.taxonomy_labels()


@requires(VIEW)
def expectation_list(request: HttpRequest) -> HttpResponse:
    rows = Expectation.objects.select_related("owner").order_by("grade", "-score", "code")
    status = request.GET.get("status", "live")
    if status == "live":
        rows = rows.filter(status__in=evaluation.LIVE_STATUSES)
    elif status in ExpectationStatus.values:
        rows = rows.filter(status=status)
    grade = request.GET.get("grade", "")
    if grade in Grade.values:
        rows = rows.filter(grade=grade)
    elif grade == "none":
        rows = rows.filter(grade="")
    category = request.GET.get("category", "")
    if category:
        rows = rows.filter(category__startswith=category)
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(statement__icontains=q) | rows.filter(code__icontains=q)
    origin = request.GET.get("origin", "")
    if origin in ExpectationOriginKind.values or origin == "self":
        codes = SELF_MADE_ORIGINS if origin == "self" else (origin,)
        chosen = ExpectationOrigin.objects.filter(origin__in=codes).values("expectation_id")
        rows = rows.filter(pk__in=chosen)
    flag = request.GET.get("flag", "")
    if flag in levels.FLAGS:
        rows = rows.filter(pk__in=levels.flagged_ids(flag))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    labels = _label_map()
    return render(
        request,
        "insights/expectations.html",
        {
            "page": page,
            "rows": [(row, labels.get(row.category, row.category)) for row in page],
            "labels": sorted(labels.items()),
            "statuses": ExpectationStatus.choices,
            "grades": Grade.choices,
            "origin_choices": ExpectationOriginKind.choices,
            "self_made": levels.self_made_summary(),
            "level_rules": levels.rules_text(),
            "filters": {
                "status": status,
                "grade": grade,
                "category": category,
                "q": q,
                "origin": origin,
                "flag": flag,
            },
        },
    )


def _history_lines(rows: list[Any]) -> list[dict[str, Any]]:
    """The expectation's log for people: each event named, its codes as labels (the stored
    ``detail`` is written for machines: ``status previous=new status=confirmed``)."""
    statuses = dict(ExpectationStatus.choices)
    sources = dict(EvidenceSource.choices)
    fields = {f.name: str(f.verbose_name) for f in Expectation._meta.fields}
    events = {
        "created": _("Created"),
        "updated": _("Details changed"),
        "status": _("Status changed"),
        "merged": _("Merged"),
        "graded": _("Graded"),
        "guidance": _("Guidance saved"),
        "evidence": _("Evidence refreshed"),
        "origins": _("Origin changed"),
    }
    texts = {
        "status": lambda d: (
            f"{statuses.get(d.get('previous'), '–')} → {statuses.get(d.get('status'), '–')}"
        ),
        "updated": lambda d: "、".join(fields[f] for f in d.get("fields") or [] if f in fields),
        "merged": lambda d: "、".join(str(code) for code in d.get("merged") or []),
        "graded": lambda d: f"{d.get('previous') or '–'} → {d.get('grade') or '–'}",
        "evidence": lambda d: str(sources.get(d.get("source"), "")),
        "created": lambda d: str(d.get("statement") or ""),
    }
    return [
        {
            "at": h.at,
            "event": events.get(h.event, _("Changed")),
            "text": texts[h.event](h.detail or {}) if h.event in texts else "",
            "by": h.by,
        }
        for h in rows
    ]


def _source_label(source: str) -> str:
    """The stored performance source (written in English by the register) in words."""
    known = {
        svc.BENCHMARK_SOURCE: _("operations KPI (benchmarks)"),
        svc.PROMISE_SOURCE: _("promises kept on time"),
    }
    return str(known.get(source, source))


def detail_context(request: HttpRequest, row: Expectation) -> dict[str, Any]:
    labels = _label_map()
    evidence = list(row.evidence.order_by("source", "-period_end", "key"))
    for ev in evidence:
        ev.text = exports.evidence_text(
            {"source": ev.source, "summary": ev.summary},
            "en" if request.LANGUAGE_CODE == "en" else "zh",
        )
    user = request.user
    live = row.status in evaluation.LIVE_STATUSES
    origins = levels.origins([row.pk]).get(row.pk, [])
    return {
        "e": row,
        "category_label": labels.get(row.category, row.category),
        "evidence": evidence,
        "suggestion": svc.suggestion(row),
        "rule_labels": {code: str(label) for code, label in RULE_LABELS.items()},
        "input_labels": {code: str(label) for code, label in INPUT_LABELS.items()},
        "decisions": list(row.decisions.select_related("by")),
        "history": _history_lines(list(row.history.select_related("by")[:50])),
        "servqual_label": surveys.servqual_dimension_labels().get(row.servqual_dimension, ""),
        "tier_counts": [
            (names.get(tier, tier), n)
            for names in [tier_labels()]
            for tier, n in (row.tiers or {}).items()
        ],
        "source_label": _source_label(row.current_source),
        "guidance": getattr(row, "guidance", None),
        "level": levels.levels([row.pk]).get(row.pk),
        "level_rules": levels.rules_text(),
        "origins": origins,
        "origin_codes": [o.origin for o in origins],
        "origin_choices": ExpectationOriginKind.choices,
        "may_edit": live and user.has_perm(EDIT),
        "may_decide": live and user.has_perm(DECIDE),
        "may_see_complaints": user.has_perm("complaints.view_complaint"),
        "may_see_surveys": user.has_perm("surveys.view_survey"),
        "grades": Grade.choices,
        "resources": ResourceLevel.choices,
        "statuses": [
            c for c in ExpectationStatus.choices if c[0] not in ("new", "merged", "split")
        ],
        "merge_candidates": Expectation.objects.filter(status__in=evaluation.LIVE_STATUSES)
        .exclude(pk=row.pk)
        .order_by("code")
        .values_list("pk", "code"),
    }


@requires(VIEW)
def expectation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Expectation.objects.select_related("owner", "merged_into"), pk=pk)
    return render(request, "insights/expectation.html", detail_context(request, row))


def _float(value: str) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


def _inputs(post: Any) -> dict[str, Any]:
    cost = (post.get("cost") or "").strip()
    try:
        parsed_cost = Decimal(cost) if cost else None
    except InvalidOperation as exc:
        raise DomainError(_("Enter a number."), field="cost") from exc
    due = (post.get("due_date") or "").strip()
    feasible = post.get("feasible", "")
    if feasible not in FEASIBLE_CHOICES:
        raise DomainError(_("Choose yes, no or not assessed yet."), field="feasible")
    try:
        return {
            "resource": post.get("resource", ""),
            "cost": parsed_cost,
            "months": _float(post.get("months", "")),
            "feasible": FEASIBLE_CHOICES[feasible],
            "grading_notes": post.get("grading_notes", ""),
            "importance": int(post.get("importance") or 0),
            "current_value": _float(post.get("current_value", "")),
            "target": _float(post.get("target", "")),
            "action": post.get("action", ""),
            "due_date": date.fromisoformat(due) if due else None,
        }
    except ValueError as exc:
        raise DomainError(_("Enter a number or a date where one is asked.")) from exc


ACTIONS = {
    "confirm": EDIT,
    "status": EDIT,
    "update": EDIT,
    "merge": EDIT,
    "split": EDIT,
    "guidance": EDIT,
    "origins": EDIT,
    "decide": DECIDE,
}


@requires(VIEW)
@require_POST
def expectation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Confirm, status, update (grading inputs), merge, split, guidance or decide; answers
    the detail partial to HTMX and redirects otherwise."""
    if action not in ACTIONS:
        raise Http404
    if not request.user.has_perm(ACTIONS[action]):
        raise PermissionDenied
    row = get_object_or_404(Expectation, pk=pk)
    post, user = request.POST, request.user
    try:
        if action == "confirm":
            svc.expectation_confirm(expectation=row, by=user)
        elif action == "status":
            svc.expectation_status_set(expectation=row, status=post.get("status", ""), by=user)
        elif action == "update":
            svc.expectation_update(expectation=row, by=user, **_inputs(post))
        elif action == "merge":
            others = Expectation.objects.filter(pk__in=post.getlist("others"))
            svc.expectation_merge(into=row, others=list(others), by=user)
        elif action == "split":
            parts = svc.expectation_split(
                source=row, statements=post.get("statements", "").splitlines(), by=user
            )
            messages.success(request, _("Split into %d expectations.") % len(parts))
        elif action == "origins":
            levels.origins_set(
                expectation=row,
                origins=post.getlist("origins")[:20],
                note=post.get("origin_note", ""),
                by=user,
            )
            messages.success(request, _("Origin saved."))
        elif action == "guidance":
            svc.guidance_set(
                expectation=row,
                script=post.get("script", ""),
                script_en=post.get("script_en", ""),
                channel_notes=post.get("channel_notes", ""),
                by=user,
            )
        else:
            svc.grade_decide(
                expectation=row, grade=post.get("grade", ""), reason=post.get("reason", ""), by=user
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    row = Expectation.objects.select_related("owner", "merged_into").get(pk=pk)
    if request.headers.get("HX-Request"):
        return render(request, "insights/partials/expectation.html", detail_context(request, row))
    return redirect("insights:expectation", pk=pk)


# --- the evaluation table --------------------------------------------------------------------


def _latest_run() -> QuerySet[EvaluationRun]:
    return EvaluationRun.objects.order_by("-started_at", "-id")[:1]


def _recent_runs() -> QuerySet[EvaluationRun]:
    """The runs the page links to: what a link shows (their scores, settings and changes, JSON
    to decode, are not read)."""
    return EvaluationRun.objects.only("period_end", "status").order_by("-started_at")[:12]


def _rows_of_run(*, run_id: int) -> QuerySet[EvaluationRow]:
    return EvaluationRow.objects.filter(run_id=run_id).order_by("position")


#: The evaluation page's three reads, compiled once per database: building and compiling them
#: cost more than running them (a few runs, a few dozen rows).
_LATEST_RUN_READ = CompiledRead(_latest_run, model=EvaluationRun)
_RECENT_RUNS_READ = CompiledRead(_recent_runs, model=EvaluationRun)
_RUN_ROWS_READ = CompiledRead(
    _rows_of_run, model=EvaluationRow, run_id=EvaluationRow._meta.get_field("run")
)


def _run_context(request: HttpRequest, run: EvaluationRun | None) -> dict[str, Any]:
    lang = "en" if request.LANGUAGE_CODE == "en" else "zh"
    finished = run is not None and run.status == RunStatus.FINISHED
    snapshots = _RUN_ROWS_READ.objects(run_id=run.pk) if run is not None and finished else []
    table = exports.run_table(run, lang, snapshots) if run is not None and finished else None
    start, end = evaluation.last_month(timezone.localdate(clock.now()))
    return {
        "run": run,
        "table": table,
        "lines": list(zip(table.rows, snapshots, strict=True)) if table else [],
        "runs": _RECENT_RUNS_READ.objects(),
        "may_run": request.user.has_perm(RUN),
        "default_start": start,
        "default_end": end,
        "changes": (run.changes if run else {}) or {},
        "formula": score_formula(run.settings_used) if run and run.settings_used else "",
    }


def _number(value: Any) -> str:
    return f"{float(value):g}"


def score_formula(used: dict[str, Any]) -> str:
    """The score formula of a run with the settings it used, in the reader's language."""
    weights = [_number(w) for w in used.get("weights") or (0.5, 0.3, 0.2)]
    low, high = (_number(v) for v in used.get("importance_scale") or (0, 100))
    parts = {
        "wi": weights[0],
        "wg": weights[1],
        "wr": weights[2],
        "low": low,
        "high": high,
        "cap": _number(used.get("gap_cap", 1)),
        "population": used.get("population", ""),
    }
    if used.get("method") == "multiplicative":
        priority = _("importance × gap × reach")
    else:
        priority = (
            _("(%(wi)s × importance + %(wg)s × gap + %(wr)s × reach) / (%(wi)s + %(wg)s + %(wr)s)")
            % parts
        )
    points = used.get("points")
    if points:
        head = _("Score = grade points (A %(a)s, B %(b)s, C %(c)s) × %(priority)s.") % {
            "a": _number(points["A"]),
            "b": _number(points["B"]),
            "c": _number(points["C"]),
            "priority": priority,
        }
    else:  # a run from before scores depended on the grade
        head = _("Score = 100 × %(priority)s (this run did not yet use grade points).") % {
            "priority": priority
        }
    tail = (
        _(
            "Importance = (importance − %(low)s) / (%(high)s − %(low)s); gap = shortfall against "
            "the target / %(cap)s; reach = customers affected / %(population)s customers; each "
            "kept within 0–1. An expectation without a grade needs assessment and has no score."
        )
        % parts
    )
    return f"{head} {tail}"


@requires(VIEW)
def evaluation_page(request: HttpRequest) -> HttpResponse:
    found = _LATEST_RUN_READ.objects()
    run = found[0] if found else None
    return render(request, "insights/evaluation.html", _run_context(request, run))


@requires(VIEW)
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(EvaluationRun, pk=pk)
    if request.headers.get("HX-Request"):
        return render(request, "insights/partials/run_status.html", {"run": run})
    return render(request, "insights/evaluation.html", _run_context(request, run))


@requires(RUN)
@require_POST
def evaluation_start(request: HttpRequest) -> HttpResponse:
    try:
        start = date.fromisoformat(request.POST.get("period_start", ""))
        end = date.fromisoformat(request.POST.get("period_end", ""))
        run = evaluation.evaluation_start(period_start=start, period_end=end, by=request.user)
    except (ValueError, DomainError) as exc:
        messages.error(request, getattr(exc, "message", _("Enter the period as dates.")))
        return redirect("insights:evaluation")
    messages.success(request, _("The evaluation is queued; this page shows it when done."))
    return redirect("insights:evaluation_run", pk=run.pk)


@requires(VIEW)
def evaluation_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    run = get_object_or_404(EvaluationRun, pk=pk, status=RunStatus.FINISHED)
    lang = "en" if request.GET.get("lang") == "en" else "zh"
    name = f"expectation-evaluation-{run.pk}-{run.period_end:%Y%m}"
    if fmt == "xlsx":
        body, kind = exports.evaluation_xlsx(run, lang), XLSX_TYPE
    elif fmt == "pdf":
        try:
            body, kind = exports.evaluation_pdf(run, lang), "application/pdf"
        except exports.PdfFontMissing as exc:
            return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    else:
        raise Http404
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


urlpatterns = [
    path("expectations/", expectation_list, name="expectations"),
    path("expectations/<int:pk>/", expectation_detail, name="expectation"),
    path("expectations/<int:pk>/<slug:action>/", expectation_action, name="expectation_action"),
    path("evaluation/", evaluation_page, name="evaluation"),
    path("evaluation/run/", evaluation_start, name="evaluation_start"),
    path("evaluation/<int:pk>/", evaluation_detail, name="evaluation_run"),
    path(
        "evaluation/<int:pk>/export.<slug:fmt>",
        evaluation_download,
        name="evaluation_download",
    ),
]

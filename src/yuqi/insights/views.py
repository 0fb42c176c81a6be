"""The benchmarks page, its downloads and the peer-data upload (relative to ``/insights/``)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from yuqi.core.access import requires
from yuqi.core.downloads import table_response
from yuqi.imports.importers import get_importer
from yuqi.imports.outcome import report_run
from yuqi.insights import presenters, selectors, services
from yuqi.insights.forms import PeerImportForm, PeriodForm

VIEW = "insights.view_insights"
FORMATS = ("csv", "xlsx")


def _range(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.GET or None)
    start, end = selectors.default_range()
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return form, start, end


MAX_QUEUES = 50


def _queues(request: HttpRequest, options: list[tuple[str, str]] | None = None) -> tuple[str, ...]:
    """``?queue=CODE`` (repeatable): known queue codes only, at most :data:`MAX_QUEUES`
    (``options``: the queues already read, else read here)."""
    if options is None:
        options = selectors.queue_options()
    known = {code for code, _name in options}
    wanted = request.GET.getlist("queue")[:MAX_QUEUES]
    return tuple(sorted({code for code in wanted if code in known}))


def can_import(user: object) -> bool:
    return any(user.has_perm(get_importer(kind).permission) for kind in ("peers", "offerings"))


#: The empty import form's HTML per language: the same for every request (its labels and
#: choices are fixed), and drawn by Django's form templates it cost a tenth of the page.
_IMPORT_FORM_HTML: dict[str, SafeString] = {}


def import_form_html() -> SafeString:
    """``PeerImportForm().as_p()``, drawn once per language in the process."""
    language = get_language() or ""
    found = _IMPORT_FORM_HTML.get(language)
    if found is None:
        found = _IMPORT_FORM_HTML[language] = PeerImportForm().as_p()
    return found


@requires(VIEW)
def benchmarks(request: HttpRequest) -> HttpResponse:
    form, start, end = _range(request)
    options = selectors.queue_options()  # read once: the filter and the choices
    queues = _queues(request, options)
    report = selectors.benchmark_report(period_from=start, period_to=end, queues=queues)
    context = {
        "form": form,
        "start": start,
        "end": end,
        "queues": queues,
        "queue_options": options,
        "cards": presenters.indicator_cards(report),
        "offerings": selectors.offering_table(),
        "query": urlencode(
            [("period_from", f"{start:%Y-%m}"), ("period_to", f"{end:%Y-%m}")]
            + [("queue", code) for code in queues]
        ),
        "import_form": import_form_html() if can_import(request.user) else None,
    }
    return render(request, "insights/benchmarks.html", context)


@requires(VIEW)
def benchmarks_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _form, start, end = _range(request)
    report = selectors.benchmark_report(period_from=start, period_to=end, queues=_queues(request))
    headers, rows = presenters.benchmark_table(report)
    return table_response(f"benchmarks-{start:%Y-%m}-{end:%Y-%m}", headers, rows, fmt=fmt)


@requires(VIEW)
def offering_gaps_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    headers, rows = presenters.offering_rows(selectors.offering_table())
    return table_response("offering-gaps", headers, rows, fmt=fmt)


@requires(VIEW)
@require_POST
def benchmarks_import(request: HttpRequest) -> HttpResponse:
    """Import a peer-indicator or offering file now; the run's page shows counts and errors."""
    form = PeerImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("insights:benchmarks")
    kind = form.cleaned_data["kind"]
    if not request.user.has_perm(get_importer(kind).permission):
        raise PermissionDenied
    upload = form.cleaned_data["file"]
    run = services.peer_file_import(kind=kind, name=upload.name, content=upload, by=request.user)
    report_run(request, run)
    if request.user.has_perm("imports.view_importrun"):
        return redirect(reverse("imports:detail", kwargs={"run_id": run.pk}))
    return redirect("insights:benchmarks")

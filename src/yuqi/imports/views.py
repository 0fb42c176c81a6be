from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from yuqi.core.access import requires
from yuqi.core.errors import DomainError
from yuqi.imports.forms import ImportForm
from yuqi.imports.importers import get_importer
from yuqi.imports.selectors import import_errors_masked, import_runs
from yuqi.imports.services import import_run_again, import_run_can_run_again, import_upload

# Without it, the error report's personal columns are masked (as on the customer pages).
SEE_PERSONAL_DATA = "customers.view_personal_data"


@requires("imports.view_importrun")
def import_index(request: HttpRequest) -> HttpResponse:
    # ``?kind=`` preselects what the file holds (a context's page links here, e.g. knowledge)
    form = ImportForm(initial={"kind": request.GET.get("kind", "")[:40]})
    if request.method == "POST":
        if not request.user.has_perm("imports.add_importrun"):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            if not request.user.has_perm(get_importer(kind).permission):
                raise PermissionDenied
            upload = form.cleaned_data["file"]
            run = import_upload(
                kind=kind,
                name=upload.name,
                content=upload,
                by=request.user,
                source=form.cleaned_data["source"],
                sheet=form.cleaned_data["sheet"],
            )
            return redirect("imports:detail", run_id=run.pk)
    runs = list(import_runs()[:50])
    can_add = request.user.has_perm("imports.add_importrun")
    again = {run.pk for run in runs if can_add and import_run_can_run_again(run)}
    return render(request, "imports/list.html", {"form": form, "runs": runs, "again": again})


@requires("imports.view_importrun")
def import_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """An import's progress; HTMX polls the status fragment until the run finishes."""
    run = get_object_or_404(import_runs(), pk=run_id)
    template = "imports/partials/status.html" if request.htmx else "imports/detail.html"
    can_run_again = request.user.has_perm("imports.add_importrun") and import_run_can_run_again(run)
    return render(request, template, {"run": run, "can_run_again": can_run_again})


@requires("imports.add_importrun")
@require_POST
def import_again(request: HttpRequest, run_id: int) -> HttpResponse:
    """Queue an interrupted or failed import of an uploaded file again (it resumes)."""
    run = get_object_or_404(import_runs(), pk=run_id)
    if not request.user.has_perm(get_importer(run.kind).permission):
        raise PermissionDenied
    try:
        import_run_again(run=run)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("imports:detail", run_id=run.pk)


@requires("imports.view_importrun")
def import_errors(request: HttpRequest, run_id: int) -> HttpResponse:
    """The run's error report; personal columns masked for viewers who see them masked."""
    run = get_object_or_404(import_runs(), pk=run_id)
    path = Path(run.error_report) if run.error_report else None
    exports = Path(settings.EXPORTS_DIR).resolve()
    if path is None or not path.exists() or exports not in path.resolve().parents:
        raise Http404
    filename = f"import-{run.pk}-errors.csv"
    if request.user.has_perm(SEE_PERSONAL_DATA):
        return FileResponse(
            path.open("rb"), as_attachment=True, filename=filename, content_type="text/csv"
        )
    response = StreamingHttpResponse(import_errors_masked(run=run), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

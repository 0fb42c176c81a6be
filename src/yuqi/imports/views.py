from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from yuqi.core.access import requires
from yuqi.imports.forms import ImportForm
from yuqi.imports.importers import get_importer
from yuqi.imports.selectors import import_runs
from yuqi.imports.services import import_upload


@requires("imports.view_importrun")
def import_index(request: HttpRequest) -> HttpResponse:
    form = ImportForm()
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
    return render(request, "imports/list.html", {"form": form, "runs": import_runs()[:50]})


@requires("imports.view_importrun")
def import_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """An import's progress; HTMX polls the status fragment until the run finishes."""
    run = get_object_or_404(import_runs(), pk=run_id)
    template = "imports/partials/status.html" if request.htmx else "imports/detail.html"
    return render(request, template, {"run": run})


@requires("imports.view_importrun")
def import_errors(request: HttpRequest, run_id: int) -> FileResponse:
    run = get_object_or_404(import_runs(), pk=run_id)
    path = Path(run.error_report) if run.error_report else None
    exports = Path(settings.EXPORTS_DIR).resolve()
    if path is None or not path.exists() or exports not in path.resolve().parents:
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"import-{run.pk}-errors.csv",
        content_type="text/csv",
    )

from __future__ import annotations

from pathlib import Path

from django.tasks import task

from yuqi.core.audit_context import acting_as
from yuqi.imports.engine import import_file
from yuqi.imports.importers import get_importer
from yuqi.imports.models import ImportRun, ImportStatus


@task
def run_import(run_id: int) -> str:
    """Run (or, when its worker died, resume) an import; a done or failed one is left alone.
    One marked interrupted is resumed: this job is alive after all (``engine._claim``)."""
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    if run.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.INTERRUPTED):
        return f"import {run_id} already {run.status}"
    with acting_as(run.created_by):
        run = import_file(importer=get_importer(run.kind), path=Path(run.stored_path), run=run)
    return f"import {run_id}: {run.status}, {run.rows_read} rows, {run.rows_rejected} rejected"


@task
def purge_old_uploads() -> str:
    """Daily (registered in ``ImportsConfig.ready()``): delete uploaded import files past the
    retention (``YUQI_UPLOAD_RETENTION_DAYS``); the runs stay."""
    from yuqi.imports.retention import import_uploads_purge

    return f"deleted the files of {len(import_uploads_purge())} imports"

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from yuqi.imports.importers import IMPORTERS, personal_fields
from yuqi.imports.models import ImportRun
from yuqi.ingest.report import masked_report


def import_runs() -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("created_by").order_by("-created_at")


def import_errors_masked(*, run: ImportRun) -> Iterator[bytes]:
    """The run's error report with its personal columns masked (security review F-4): those
    recorded when the file was read, and any column whose header names a personal field of
    the importer (for runs from before the columns were recorded)."""
    columns = None
    if run.kind in IMPORTERS:
        # The registered class itself, not an instance (making one may query the database).
        columns = getattr(IMPORTERS[run.kind].factory, "columns", None)
    return masked_report(
        run.error_report,
        personal=run.personal_columns or {},
        field_of=columns.field_for if columns is not None else (lambda _label: None),
        personal_fields=personal_fields(run.kind),
    )

"""Retention of uploaded import files (security review F-13): the daily job that deletes them
after ``YUQI_UPLOAD_RETENTION_DAYS``. Apart from the services so that the job's task imports
this module without the services (which enqueue the import task) importing it back.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction

from yuqi.core.clock import now
from yuqi.imports.models import FINISHED_STATUSES, ImportRun

log = logging.getLogger(__name__)


def uploads_folder() -> Path:
    """Where uploaded import files are kept until an import has read them."""
    return Path(settings.MEDIA_ROOT) / "imports"


def import_uploads_purge(*, retention: timedelta | None = None) -> list[int]:
    """Delete uploaded import files older than the retention (``YUQI_UPLOAD_RETENTION_DAYS``;
    0 keeps them for ever), the periodic ``imports-purge-uploads`` job. Each run keeps its
    record and counts and says when its file was deleted; returns the ids of those runs.

    Only files in the uploads folder are deleted (never the local file a ``yuqi import``
    read), never one a queued or running import still reads, and files of the folder that no
    run names (an upload whose run was never created) go by their age too.
    """
    if retention is None:
        if settings.UPLOAD_RETENTION_DAYS <= 0:
            return []
        retention = timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    cutoff = now() - retention
    folder = uploads_folder().resolve()
    purged = []
    old_runs = ImportRun.objects.filter(
        file_purged_at__isnull=True, created_at__lt=cutoff, status__in=FINISHED_STATUSES
    ).exclude(stored_path="")
    for run in old_runs:
        path = Path(run.stored_path).resolve()
        if folder not in path.parents:
            continue
        path.unlink(missing_ok=True)
        with transaction.atomic():
            moved = ImportRun.objects.filter(
                pk=run.pk, file_purged_at__isnull=True, status__in=FINISHED_STATUSES
            ).update(file_purged_at=now())
        if moved:
            purged.append(run.pk)
    if folder.is_dir():
        in_use = {
            str(Path(path).resolve())
            for path in ImportRun.objects.exclude(status__in=FINISHED_STATUSES).values_list(
                "stored_path", flat=True
            )
        }
        for path in folder.iterdir():
            if (
                path.is_file()
                and str(path) not in in_use
                and datetime.fromtimestamp(path.stat().st_mtime, tz=UTC) < cutoff
            ):
                path.unlink(missing_ok=True)
    if purged:
        log.info("deleted the uploaded files of %d imports past their retention", len(purged))
    return purged


def import_files() -> list[Path]:
    """Every file imports keep in the data folder: uploaded sources still there and error
    reports (they repeat rejected rows whole), for personal-information erasure."""
    paths: set[Path] = set()
    for stored, report in ImportRun.objects.values_list("stored_path", "error_report"):
        paths.update(Path(p) for p in (stored, report) if p)
    folder = uploads_folder()
    if folder.is_dir():
        paths.update(p for p in folder.iterdir() if p.is_file())
    return sorted(p for p in paths if p.is_file())

"""Starting imports: from an uploaded file (run by a background job) or a local path; running
an interrupted one again; marking runs whose process died as interrupted."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.core.private_files import open_private, private_dir
from yuqi.imports.importers import get_importer
from yuqi.imports.models import ImportRun, ImportStatus
from yuqi.imports.retention import uploads_folder

log = logging.getLogger(__name__)

SAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)
RUN_IMPORT_TASK = "yuqi.imports.tasks.run_import"


def _uploads_folder() -> Path:
    return uploads_folder()


def _store_upload(name: str, content: IO[bytes]) -> Path:
    folder = private_dir(_uploads_folder())
    path = folder / f"{uuid.uuid4().hex}-{SAFE_NAME.sub('_', Path(name).name)[-120:]}"
    with open_private(path, "wb") as handle:
        for chunk in iter(lambda: content.read(1 << 20), b""):
            handle.write(chunk)
    return path


def import_run_create(
    *,
    kind: str,
    file_name: str,
    path: Path,
    by: object | None,
    source: str = "",
    sheet: str = "",
) -> ImportRun:
    get_importer(kind)  # refuse an unknown kind before anything is stored
    return ImportRun.objects.create(
        kind=kind,
        file_name=file_name,
        stored_path=str(path),
        source=source,
        sheet=sheet,
        created_by=by,
    )


def _enqueue(run_pk: int) -> None:
    from yuqi.imports.tasks import run_import

    result = run_import.enqueue(run_pk)
    ImportRun.objects.filter(pk=run_pk).update(task_id=str(result.id))


def import_upload(
    *, kind: str, name: str, content: IO[bytes], by: object, source: str = "", sheet: str = ""
) -> ImportRun:
    """Keep the uploaded file and queue its import as a background job."""
    path = _store_upload(name, content)
    run = import_run_create(kind=kind, file_name=name, path=path, by=by, source=source, sheet=sheet)
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def import_run_from_upload(run: ImportRun) -> bool:
    """Whether ``run`` reads a file uploaded to Yuqi that is still kept (not a local path given
    to ``yuqi import``, which a web user must not be able to have read again)."""
    if not run.stored_path:
        return False
    path = Path(run.stored_path).resolve()
    return _uploads_folder().resolve() in path.parents and path.is_file()


def import_run_can_run_again(run: ImportRun) -> bool:
    return run.status in (ImportStatus.INTERRUPTED, ImportStatus.FAILED) and (
        import_run_from_upload(run)
    )


def import_run_again(*, run: ImportRun) -> ImportRun:
    """Queue an interrupted or failed import of an uploaded file again. It continues after
    its last committed batch (and a run from the start would store nothing twice)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status not in (ImportStatus.INTERRUPTED, ImportStatus.FAILED):
            raise DomainError(
                _("Only an interrupted or failed import can be run again."), code="conflict"
            )
        if run.file_purged_at is not None:
            raise DomainError(_purged_message(run), code="gone")
        if not import_run_from_upload(run):
            raise DomainError(
                _("The uploaded file of this import is no longer kept; upload it again."),
                code="gone",
            )
        run.status, run.message, run.task_id = ImportStatus.QUEUED, "", ""
        run.finished_at, run.progress_at = None, now()
        run.save(update_fields=["status", "message", "task_id", "finished_at", "progress_at"])
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _interrupted_message(run: ImportRun) -> str:
    done = {"rows": run.committed_rows}
    if import_run_from_upload(run):
        return (
            _(
                "Interrupted: the background worker running this import stopped and no job "
                "will take it up again. The first %(rows)d rows of the file are done; “Run again” "
                "continues from there."
            )
            % done
        )
    return (
        _(
            "Interrupted: the yuqi import command running this import stopped before the "
            "end. The first %(rows)d rows of the file are done; run the same command again (rows "
            "already stored are not stored twice)."
        )
        % done
    )


def _lost(run: ImportRun, stale_after: timedelta) -> bool:
    """Whether nothing will ever finish ``run``: its job ended or vanished without recording
    an outcome (no progress for a lease), or it has no job (``yuqi import``, or one lost
    before it was queued) and no sign of progress for ``stale_after``."""
    from yuqi.core.leases import lease, task_state

    state = task_state(RUN_IMPORT_TASK, run.task_id) if run.task_id else None
    if state == "alive":
        return False
    silent_for = now() - (run.progress_at or run.created_at)
    if state == "finished":
        return silent_for > lease()
    return silent_for > stale_after


def import_runs_mark_interrupted(*, stale_after: timedelta | None = None) -> list[int]:
    """Mark interrupted the queued or running imports whose process died (a sweep of the
    scheduler); returns their ids. A run with a live job (waiting, running, or queued again
    after its worker died) is left to it."""
    if stale_after is None:
        stale_after = timedelta(minutes=settings.IMPORT_STALE_MINUTES)
    marked = []
    unfinished = ImportRun.objects.filter(
        Q(status=ImportStatus.RUNNING) | Q(status=ImportStatus.QUEUED)
    )
    for run in unfinished:
        if not _lost(run, stale_after):
            continue
        with transaction.atomic():
            current = ImportRun.objects.select_for_update().filter(pk=run.pk).first()
            # Claimed again or moved on since we looked: not ours to mark.
            if current is None or (current.status, current.attempt, current.progress_at) != (
                run.status,
                run.attempt,
                run.progress_at,
            ):
                continue
            current.status = ImportStatus.INTERRUPTED
            current.message = _interrupted_message(current)
            current.finished_at = now()
            current.save(update_fields=["status", "message", "finished_at"])
        log.warning("import %s: marked interrupted", run.pk)
        marked.append(run.pk)
    return marked


# --- retention of uploaded files (security review F-13) -------------------------------------


def _purged_message(run: ImportRun) -> str:
    return _(
        "The uploaded file of this import was deleted on %(date)s: uploads are kept "
        "%(days)d days (YUQI_UPLOAD_RETENTION_DAYS). Upload the file again to import it."
    ) % {
        "date": date_format(localtime(run.file_purged_at), "DATE_FORMAT"),
        "days": settings.UPLOAD_RETENTION_DAYS,
    }

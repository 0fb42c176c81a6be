"""Starting imports: from an uploaded file (run by a background job) or a local path."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction

from yuqi.core.private_files import open_private, private_dir
from yuqi.imports.importers import get_importer
from yuqi.imports.models import ImportRun

SAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)


def _store_upload(name: str, content: IO[bytes]) -> Path:
    folder = private_dir(Path(settings.MEDIA_ROOT) / "imports")
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


def import_upload(
    *, kind: str, name: str, content: IO[bytes], by: object, source: str = "", sheet: str = ""
) -> ImportRun:
    """Keep the uploaded file and queue its import as a background job."""
    from yuqi.imports.tasks import run_import

    path = _store_upload(name, content)
    run = import_run_create(kind=kind, file_name=name, path=path, by=by, source=source, sheet=sheet)
    transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run

"""Run one file through an importer: stream, validate, de-duplicate, write in batches.

Each batch is written in its own transaction, so a failure loses nothing already stored and
never leaves a batch half-written; re-running the same file is idempotent (upserts by key).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import batched
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.imports.importers import Checked, Importer, StoreResult
from yuqi.imports.models import ImportRun, ImportStatus
from yuqi.ingest import ColumnMap, ErrorReport, IngestError, SourceRow, open_table

BATCH_SIZE = 2000
# Rows are checked in a second process when the file is big enough to pay for it: the
# checks (parsing dates, numbers, choices) are the slowest part of an import and the database
# writes can go on meanwhile. ``CHECK_CHUNK`` rows travel per message, a few chunks ahead.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
CHECK_CHUNK = 2000
_worker_importer: Importer | None = None
EXIT_ALL_STORED, EXIT_SOME_REJECTED, EXIT_UNREADABLE = 0, 1, 2


@dataclass(frozen=True)
class Progress:
    rows_read: int
    fraction: float | None  # of the file read, when the file tells its size
    created: int
    updated: int
    unchanged: int
    rejected: int


ProgressCallback = Callable[[Progress], None]


def exit_status(run: ImportRun) -> int:
    if run.status == ImportStatus.FAILED and run.rows_read == 0:
        return EXIT_UNREADABLE
    if run.status == ImportStatus.FAILED or run.rows_rejected:
        return EXIT_SOME_REJECTED
    return EXIT_ALL_STORED


def report_path_for(run: ImportRun) -> Path:
    folder = Path(settings.EXPORTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"import-{run.pk}-{run.kind}-errors.csv"


class _Batch:
    """Rows waiting to be written, with what the error report needs if one is refused."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.rows: list[tuple[int, dict[str, Any]]] = []

    def add(self, number: int, original: dict[str, Any], record: dict[str, Any]) -> None:
        self.records.append(record)
        self.rows.append((number, original))

    def __len__(self) -> int:
        return len(self.records)


# Batches after which PostgreSQL's planner statistics are refreshed during a long import: a
# table that grows from empty to a million rows without ANALYZE gets look-up plans that scan
# it whole for every batch (bench/import_bench.py: 317 ms a batch at 1M rows, 3 ms after).
ANALYZE_AFTER_BATCHES = frozenset({1, 5, 25, 100, 250, 500, 1000})


def _refresh_statistics(tables: tuple[str, ...], batches: int) -> None:
    if connection.vendor != "postgresql" or (
        batches not in ANALYZE_AFTER_BATCHES and batches % 1000
    ):
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _check_chunk(values: list[dict[str, Any] | None], source: str) -> list[Checked | None]:
    """In the checking process: the importer's verdict on each row (None: not checked)."""
    assert _worker_importer is not None
    return [None if v is None else _worker_importer.check(v, source=source) for v in values]


def _checked_rows(
    table: Any, importer: Importer, source: str, *, parallel: bool
) -> Iterator[tuple[SourceRow, Checked | None]]:
    """Each row with its check (None for a row with stray cells), in file order."""
    if not parallel or "fork" not in multiprocessing.get_all_start_methods():
        for row in table.rows():
            yield row, None if row.stray else importer.check(row.values, source=source)
        return
    global _worker_importer
    _worker_importer = importer  # inherited by the forked process; nothing is pickled
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        pending: deque[tuple[tuple[SourceRow, ...], Future]] = deque()
        for chunk in batched(table.rows(), CHECK_CHUNK):
            values = [None if row.stray else dict(row.values) for row in chunk]
            pending.append((chunk, pool.submit(_check_chunk, values, source)))
            if len(pending) > 2:  # keep memory flat: at most three chunks in flight
                done, future = pending.popleft()
                yield from zip(done, future.result(), strict=True)
        while pending:
            done, future = pending.popleft()
            yield from zip(done, future.result(), strict=True)


def import_file(
    *,
    importer: Importer,
    path: Path,
    run: ImportRun,
    columns: ColumnMap | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportRun:
    """Import ``path`` into the importer's context, recording the outcome on ``run``."""
    run.status, run.started_at = ImportStatus.RUNNING, now()
    run.save(update_fields=["status", "started_at"])
    totals = StoreResult()
    rows_read = rejected = 0
    report_file = report_path_for(run)

    def publish(fraction: float | None) -> None:
        ImportRun.objects.filter(pk=run.pk).update(
            rows_read=rows_read,
            rows_created=totals.created,
            rows_updated=totals.updated,
            rows_unchanged=totals.unchanged,
            rows_rejected=rejected,
            progress=fraction or 0.0,
        )
        if on_progress:
            on_progress(
                Progress(
                    rows_read, fraction, totals.created, totals.updated, totals.unchanged, rejected
                )
            )

    try:
        with (
            open_table(
                path, column_map=columns or importer.columns, sheet=run.sheet or None
            ) as table,
            ErrorReport(report_file) as report,
        ):
            run.encoding, run.sheet = table.encoding or "", table.sheet or ""
            header_of = {field: header for header, field in table.mapping.items()}
            seen: dict[int, int] = {}
            batch = _Batch()
            batches = 0

            def flush() -> None:
                nonlocal rejected, batches
                if not batch:
                    return
                with transaction.atomic():
                    result = importer.store(batch.records)
                batches += 1
                _refresh_statistics(getattr(importer, "tables", ()), batches)
                totals.add(result)
                for index, field, reason in result.rejected:
                    number, original = batch.rows[index]
                    report.add(number, header_of.get(field, field), reason, original)
                rejected += len({index for index, _f, _r in result.rejected})
                batch.__init__()
                publish(table.progress())

            parallel = path.stat().st_size >= PARALLEL_MIN_BYTES
            for row, checked in _checked_rows(table, importer, run.source, parallel=parallel):
                rows_read += 1
                if checked is None:
                    # Cells under no header: usually an unquoted comma shifted the row.
                    report.add(
                        row.number,
                        None,
                        _("cells outside the header's columns: %(cells)s")
                        % {"cells": ", ".join(row.stray)},
                        row.original,
                    )
                    rejected += 1
                    continue
                if checked.record is None:
                    for field, reason in checked.errors:
                        report.add(row.number, header_of.get(field, field), reason, row.original)
                    rejected += 1
                    continue
                key = hash(importer.key(checked.record))
                if key in seen:
                    report.add(
                        row.number,
                        header_of.get("external_id", "external_id"),
                        _("duplicate of row %(row)d in this file") % {"row": seen[key]},
                        row.original,
                    )
                    rejected += 1
                    continue
                seen[key] = row.number
                batch.add(row.number, row.original, checked.record)
                if len(batch) >= BATCH_SIZE:
                    flush()
            flush()
    except IngestError as exc:
        run.status, run.message = ImportStatus.FAILED, str(exc)
    except DatabaseError as exc:
        run.status = ImportStatus.FAILED
        run.message = _(
            "Stopped by a database error after %(n)d rows; rows before it are "
            "stored, run the import again to finish: %(error)s"
        ) % {"n": rows_read, "error": exc}
    else:
        run.status = ImportStatus.DONE
        run.progress = 1.0
    run.rows_read, run.rows_rejected = rows_read, rejected
    run.rows_created, run.rows_updated = totals.created, totals.updated
    run.rows_unchanged = totals.unchanged
    run.error_report = str(report_file) if rejected else ""
    if not rejected:
        report_file.unlink(missing_ok=True)
    run.finished_at = now()
    run.save()
    return run

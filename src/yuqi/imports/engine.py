"""Run one file through an importer: stream, validate, de-duplicate, write in batches.

Each batch is written in its own transaction, so a failure loses nothing already stored and
never leaves a batch half-written; re-running the same file is idempotent (upserts by key).
Big files on PostgreSQL are written by a second thread while this one reads (``_Store``).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.private_files import private_dir
from yuqi.imports.importers import Checked, Importer, StoreResult
from yuqi.imports.models import ImportRun, ImportStatus
from yuqi.ingest import ColumnMap, ErrorReport, IngestError, SourceRow, open_table

# Rows per transaction. Each batch costs a few round trips and statements whatever its size,
# and the writing thread waits for the GIL after each (bench/import_bench.py, 1M rows on
# PostgreSQL: 2,000 a batch 19.3k rows/s, 5,000 21.9k).
BATCH_SIZE = 5000
# A file big enough to pay for it is imported by two threads at once when the importer can
# stage its batches (``StagedImporter``) and the database is PostgreSQL: this thread reads,
# checks and stages rows (all the Python work, COPY data encoded) while the second, on its own
# connection, writes the batch before (psycopg releases the GIL while the server works).
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
# How often a running import writes its counters for the progress bar.
PUBLISH_EVERY_SECONDS = 0.5
# Batches queued for the writing thread beyond the one it writes: the reader never waits for
# the database unless it is this far ahead, and memory stays flat.
WRITE_AHEAD = 2
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
    folder = private_dir(Path(settings.EXPORTS_DIR))
    return folder / f"import-{run.pk}-{run.kind}-errors.csv"


class _Batch:
    """Rows waiting to be written, with what the error report needs if one is refused."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.rows: list[SourceRow] = []

    def add(self, row: SourceRow, record: dict[str, Any]) -> None:
        self.records.append(record)
        self.rows.append(row)

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


class _Store:
    """Writes batches, each in its own transaction, here or on a second thread.

    On the thread, at most ``WRITE_AHEAD`` batches wait while another is written; a failed
    batch stops the ones queued behind it, so what is stored is always a prefix of the file,
    as when writing here.
    """

    def __init__(self, importer: Importer, *, threaded: bool) -> None:
        self.importer = importer
        self.batches = 0
        self.failed = False
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="import-writer") if threaded else None
        self.pending: deque[tuple[_Batch, Future]] = deque()

    def _write(self, write: Callable[[], StoreResult]) -> StoreResult | None:
        if self.failed:
            return None
        try:
            with transaction.atomic():
                result = write()
            self.batches += 1
            _refresh_statistics(getattr(self.importer, "tables", ()), self.batches)
        except BaseException:
            self.failed = True
            raise
        return result

    def submit(self, batch: _Batch) -> Iterator[tuple[_Batch, StoreResult]]:
        """Store ``batch``; yields the batches written so far with their results."""
        if self.pool is None:
            yield batch, self._write(lambda: self.importer.store(batch.records))  # type: ignore[misc]
            return
        staged = self.importer.stage(batch.records)  # type: ignore[attr-defined]
        write = partial(self.importer.write, staged)  # type: ignore[attr-defined]
        self.pending.append((batch, self.pool.submit(self._write, write)))
        while len(self.pending) > WRITE_AHEAD:
            yield from self._collect()

    def drain(self) -> Iterator[tuple[_Batch, StoreResult]]:
        while self.pending:
            yield from self._collect()

    def _collect(self) -> Iterator[tuple[_Batch, StoreResult]]:
        done, future = self.pending.popleft()
        result = future.result()
        if result is not None:
            yield done, result

    def close(self) -> None:
        if self.pool is not None:
            for _batch, future in self.pending:
                future.cancel()
            # The thread's own connection is closed on the thread it belongs to.
            self.pool.submit(connections.close_all).result()
            self.pool.shutdown()


def _writes_on_a_thread(importer: Importer, path: Path) -> bool:
    return (
        connection.vendor == "postgresql"
        and hasattr(importer, "stage")
        and path.stat().st_size >= PARALLEL_MIN_BYTES
    )


def _checked_rows(
    table: Any, importer: Importer, source: str
) -> Iterator[tuple[SourceRow, Checked | None]]:
    """Each row with its check (None for a row with stray cells), in file order."""
    for row in table.rows():
        yield row, None if row.stray else importer.check(row.values, source=source)


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

    last_published = 0.0

    def publish(fraction: float | None, *, final: bool = False) -> None:
        nonlocal last_published
        if not final and time.monotonic() - last_published < PUBLISH_EVERY_SECONDS:
            return
        last_published = time.monotonic()
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

    store = _Store(importer, threaded=_writes_on_a_thread(importer, path))
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

            def absorb(written: Iterator[tuple[_Batch, StoreResult]]) -> None:
                nonlocal rejected
                for done, result in written:
                    totals.add(result)
                    for index, field, reason in result.rejected:
                        row = done.rows[index]
                        report.add(row.number, header_of.get(field, field), reason, row.original)
                    rejected += len({index for index, _f, _r in result.rejected})
                    publish(table.progress())

            for row, checked in _checked_rows(table, importer, run.source):
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
                batch.add(row, checked.record)
                if len(batch) >= BATCH_SIZE:
                    absorb(store.submit(batch))
                    batch = _Batch()
            if batch:
                absorb(store.submit(batch))
            absorb(store.drain())
            publish(table.progress(), final=True)
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
    finally:
        store.close()
    run.rows_read, run.rows_rejected = rows_read, rejected
    run.rows_created, run.rows_updated = totals.created, totals.updated
    run.rows_unchanged = totals.unchanged
    run.error_report = str(report_file) if rejected else ""
    if not rejected:
        report_file.unlink(missing_ok=True)
    run.finished_at = now()
    run.save()
    return run

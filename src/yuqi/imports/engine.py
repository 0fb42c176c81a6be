"""Run one file through an importer: stream, validate, de-duplicate, write in batches.

Each batch is written in its own transaction, so a failure loses nothing already stored and
never leaves a batch half-written; re-running the same file is idempotent (upserts by key).
Big files on PostgreSQL are written by a second thread while this one reads (``_Store``).

A batch's transaction also writes its error-report lines (flushed before the commit) and moves
the run's checkpoint: the rows of the file it covers, the counts and the report's length. A run
taken up again after its worker died (``yuqi.core.leases``) reads the skipped rows only to know
their keys, stores from the checkpoint on and cuts the report back to it: every row is stored
once, counted once and reported once. Correctness does not rest on the skip: re-storing a
committed row would only count it as unchanged.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connection, connections, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from yuqi.core.bulk import collector_paused
from yuqi.core.clock import now
from yuqi.core.gin_pending import merge_gin_pending_lists
from yuqi.core.private_files import open_private, private_dir
from yuqi.imports import columnar
from yuqi.imports.importers import Checked, Importer, StoreResult
from yuqi.imports.limits import import_limits
from yuqi.imports.models import ImportRun, ImportStatus
from yuqi.imports.refusals import refusal
from yuqi.ingest import ColumnMap, ErrorReport, IngestError, SourceRow, open_table

log = logging.getLogger(__name__)

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
    """The error report of the run's current attempt. Each attempt writes its own (a worker
    taken for dead may still be appending to the one before); the first has the plain name."""
    folder = private_dir(Path(settings.EXPORTS_DIR))
    attempt = f"-{run.attempt}" if run.attempt > 1 else ""
    return folder / f"import-{run.pk}-{run.kind}-errors{attempt}.csv"


def _carry_report_over(run: ImportRun, start: Checkpoint, path: Path) -> int:
    """Copy the committed part of the previous attempt's report to ``path``; returns its
    length (where this attempt continues), or 0 to start a new report."""
    previous = Path(run.error_report) if run.error_report else None
    if not (start.rows and start.rejected and previous and previous.exists()):
        return 0
    if previous != path:
        left = start.report_offset
        with previous.open("rb") as source, open_private(path, "wb") as target:
            while left > 0 and (chunk := source.read(min(left, 1 << 20))):
                target.write(chunk)
                left -= len(chunk)
    return start.report_offset


def _remove_other_reports(run: ImportRun, kept: Path) -> None:
    for path in kept.parent.glob(f"import-{run.pk}-{run.kind}-errors*.csv"):
        if path != kept:
            path.unlink(missing_ok=True)


class ImportSuperseded(Exception):
    """Another attempt has taken this run over: this process was taken for dead (its lease
    ran out) and must neither write nor record anything more for the run."""


@dataclass(frozen=True)
class Checkpoint:
    """What the committed batches cover: ``rows`` of the file (rejected rows included), the
    counts over them, and the error report's length once their lines are written."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    report_offset: int = 0

    @classmethod
    def of(cls, run: ImportRun) -> Checkpoint:
        if not run.committed_rows:
            return cls()
        return cls(
            run.committed_rows,
            run.rows_created,
            run.rows_updated,
            run.rows_unchanged,
            run.rows_rejected,
            run.report_offset,
        )


# (column or None for the whole row, reason) for each error of a rejected row
RowErrors = list[tuple[str | None, str]]


class _Batch:
    """Rows waiting to be written, the rows rejected since the last batch (their report lines
    are written in the batch's transaction) and how far into the file the batch reaches."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.rows: list[SourceRow] = []
        self.rejects: list[tuple[SourceRow, RowErrors]] = []
        self.rows_through = 0

    def add(self, row: SourceRow, record: dict[str, Any]) -> None:
        self.records.append(record)
        self.rows.append(row)

    def reject(self, row: SourceRow, errors: RowErrors) -> None:
        self.rejects.append((row, errors))

    @property
    def full(self) -> bool:
        return len(self.records) >= BATCH_SIZE or len(self.rejects) >= BATCH_SIZE

    def __bool__(self) -> bool:
        return bool(self.records or self.rejects)

    def __len__(self) -> int:
        return len(self.records)


# Batches after which PostgreSQL's planner statistics are refreshed during a long import: a
# table that grows from empty to a million rows without ANALYZE gets look-up plans that scan
# it whole for every batch (bench/import_bench.py: 317 ms a batch at 1M rows, 3 ms after).
ANALYZE_AFTER_BATCHES = frozenset({1, 5, 25, 100, 250, 500, 1000})


def _refresh_statistics(tables: tuple[str, ...], batches: int, *, last: bool = False) -> None:
    """ANALYZE the tables after some batches of a long import, and after its last batch
    (``last``) unless that one was just analysed: the planner then knows the loaded rows.
    After the last batch their GIN indexes' pending lists are merged too
    (``yuqi.core.gin_pending``: a search read the whole list on every request)."""
    due = batches in ANALYZE_AFTER_BATCHES or not batches % 1000
    if connection.vendor != "postgresql" or not batches:
        return
    if last:
        merge_gin_pending_lists(tables)
    if due == last:
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _relax_commit_wait() -> None:
    """Let PostgreSQL commit a batch without waiting for its WAL to reach the disk.

    Safe here: a batch's rows and the run's checkpoint commit together, so a server crash can
    only lose whole trailing batches along with the checkpoint that covered them, and the
    resumed run stores those again. The run's outcome is saved with a normal commit, which
    waits for everything written before it.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _language_initializer() -> dict[str, Any]:
    """The writing thread reports in the language of the import (translations are per
    thread)."""
    language = translation.get_language()
    return {"initializer": translation.activate, "initargs": (language,)} if language else {}


class _Store:
    """Writes batches, each in its own transaction, here or on a second thread.

    On the thread, at most ``WRITE_AHEAD`` batches wait while another is written; a failed
    batch stops the ones queued behind it, so what is stored is always a prefix of the file,
    as when writing here. Only the writer touches the error report.
    """

    def __init__(
        self,
        importer: Importer,
        *,
        run: ImportRun,
        report: ErrorReport,
        header_of: dict[str, str],
        start: Checkpoint,
        threaded: bool,
    ) -> None:
        self.importer = importer
        self.run_pk, self.attempt = run.pk, run.attempt
        self.report, self.header_of = report, header_of
        self.checkpoint = start
        self.batches = 0
        self.failed = False
        self.pool = (
            ThreadPoolExecutor(1, thread_name_prefix="import-writer", **_language_initializer())
            if threaded
            else None
        )
        self.pending: deque[Future] = deque()

    def _write(self, batch: _Batch, write: Callable[[], StoreResult]) -> None:
        if self.failed:
            return
        try:
            with transaction.atomic():
                _relax_commit_wait()
                result = write() if batch.records else StoreResult()
                checkpoint = self._record(batch, result)
            self.checkpoint = checkpoint
            if batch.records:
                self.batches += 1
                _refresh_statistics(getattr(self.importer, "tables", ()), self.batches)
        except BaseException:
            self.failed = True
            raise

    def _record(self, batch: _Batch, result: StoreResult) -> Checkpoint:
        """Report the batch's rejected rows and move the run's checkpoint, in the batch's
        transaction; refused if another attempt has taken the run over."""
        report, header_of = self.report, self.header_of
        for row, errors in batch.rejects:
            for column, reason in errors:
                report.add(row.number, column, reason, row.original)
        for index, field, reason in result.rejected:
            row = batch.rows[index]
            report.add(row.number, header_of.get(field, field), reason, row.original)
        before = self.checkpoint
        after = Checkpoint(
            rows=batch.rows_through,
            created=before.created + result.created,
            updated=before.updated + result.updated,
            unchanged=before.unchanged + result.unchanged,
            rejected=before.rejected
            + len(batch.rejects)
            + len({index for index, _f, _r in result.rejected}),
            report_offset=report.checkpoint(),
        )
        moved = ImportRun.objects.filter(pk=self.run_pk, attempt=self.attempt).update(
            committed_rows=after.rows,
            rows_created=after.created,
            rows_updated=after.updated,
            rows_unchanged=after.unchanged,
            rows_rejected=after.rejected,
            report_offset=after.report_offset,
            error_report=str(report.path) if after.rejected else "",
            progress_at=now(),
        )
        if moved != 1:
            raise ImportSuperseded
        return after

    def submit(self, batch: _Batch, rows_through: int) -> None:
        """Store ``batch``, which reaches row ``rows_through`` of the file."""
        batch.rows_through = rows_through
        if self.pool is None:
            self._write(batch, lambda: self.importer.store(batch.records))
            return
        if batch.records:
            staged = self.importer.stage(batch.records)  # type: ignore[attr-defined]
            write = partial(self.importer.write, staged)  # type: ignore[attr-defined]
        else:
            write = StoreResult
        self.pending.append(self.pool.submit(self._write, batch, write))
        while len(self.pending) > WRITE_AHEAD:
            self.pending.popleft().result()

    def drain(self) -> None:
        while self.pending:
            self.pending.popleft().result()

    def finish(self) -> None:
        """After the last batch: fresh planner statistics for what the import loaded."""
        self.drain()
        tables = getattr(self.importer, "tables", ())
        if self.pool is None:
            _refresh_statistics(tables, self.batches, last=True)
        else:
            self.pool.submit(_refresh_statistics, tables, self.batches, last=True).result()

    def close(self) -> None:
        if self.pool is not None:
            for future in self.pending:
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


# Rows an importer with ``check_rows`` checks at a time (column by column).
CHECK_CHUNK = 1000


def _checked_rows(
    table: Any, importer: Importer, source: str
) -> Iterator[tuple[SourceRow, Checked | None]]:
    """Each row with its check (None for a refused row: stray or NUL cells), in file order.

    An importer that offers ``check_rows`` gets the rows in chunks, to check them a column at
    a time; it answers for each row exactly as ``check`` would.
    """
    check_rows = getattr(importer, "check_rows", None)
    if check_rows is None:
        for row in table.rows():
            yield row, None if row.refused else importer.check(row.values, source=source)
        return
    chunk: list[SourceRow] = []
    try:
        for row in table.rows():
            chunk.append(row)
            if len(chunk) >= CHECK_CHUNK:
                yield from _check_chunk(chunk, check_rows, source)
                chunk = []
    except IngestError:
        # The file cannot be read past here: the rows read before still count.
        yield from _check_chunk(chunk, check_rows, source)
        raise
    yield from _check_chunk(chunk, check_rows, source)


def _check_chunk(
    chunk: list[SourceRow], check_rows: Callable[..., list[Checked]], source: str
) -> Iterator[tuple[SourceRow, Checked | None]]:
    plain = [row for row in chunk if not row.refused]
    checks = iter(check_rows([row.values for row in plain], source=source))
    for row in chunk:
        yield row, None if row.refused else next(checks)


def _personal_columns(importer: Importer, mapping: dict[str, str]) -> dict[str, str]:
    """The file's columns (by label) that hold personal data, and how to mask each."""
    personal = getattr(importer, "personal", {})
    return {label: personal[field] for label, field in mapping.items() if field in personal}


def _claim(run: ImportRun) -> bool:
    """Start (or take up again) ``run`` as a new attempt; False if it is done, failed or another
    process claimed it first. An *interrupted* run is taken up too: the sweep marks a run
    interrupted when it sees no live job for it, and a job the lease sweep queued again may reach
    the worker just after (a race seen with RQ); the job that does run resumes it."""
    moment = now()
    claimed = ImportRun.objects.filter(
        pk=run.pk,
        attempt=run.attempt,
        status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.INTERRUPTED),
    ).update(
        attempt=F("attempt") + 1,
        message="",
        status=ImportStatus.RUNNING,
        started_at=run.started_at or moment,
        progress_at=moment,
        finished_at=None,
    )
    run.refresh_from_db()
    return claimed == 1


class _Reading:
    """The pass over the file: checks each row, batches good ones, collects rejected ones."""

    def __init__(
        self,
        table: Any,
        importer: Importer,
        run: ImportRun,
        store: _Store,
        publish: Callable[[float | None, int], None],
    ) -> None:
        self.table, self.importer, self.run = table, importer, run
        self.store, self.publish = store, publish
        self.header_of = store.header_of
        self.rows_read = 0
        self._open_batch = _Batch()  # read, not yet submitted

    def run_through(self, skip: int) -> int:
        """Read the whole file; rows up to ``skip`` are committed already and only their keys
        are kept (to refuse a later duplicate as the first pass did). Returns rows read."""
        try:
            self._read(skip)
        except IngestError:
            # The file cannot be read past this row (a cell or row over the size limits, an
            # undecodable byte): the rows before it are stored and counted, then the run fails.
            if self._open_batch:
                self.store.submit(self._open_batch, self.rows_read)
            self.store.drain()
            raise
        self.store.finish()
        return self.rows_read

    def _read(self, skip: int) -> None:
        seen: dict[int, int] = {}
        batch = self._open_batch = _Batch()
        duplicate_column = self.header_of.get("external_id", "external_id")
        for row, checked in _checked_rows(self.table, self.importer, self.run.source):
            self.rows_read += 1
            skipping = self.rows_read <= skip
            errors: RowErrors | None = None
            if checked is None:
                errors = refusal(row)  # stray cells or a NUL character
            elif checked.record is None:
                errors = [
                    (self.header_of.get(field, field), str(reason))
                    for field, reason in checked.errors
                ]
            else:
                key = hash(self.importer.key(checked.record))
                if key in seen:
                    errors = [
                        (
                            duplicate_column,
                            _("duplicate of row %(row)d in this file") % {"row": seen[key]},
                        )
                    ]
                else:
                    seen[key] = row.number
            if skipping:
                if self.rows_read % BATCH_SIZE == 0:
                    self.publish(self.table.progress(), self.rows_read)
                continue
            if errors is not None:
                batch.reject(row, errors)
            else:
                batch.add(row, checked.record)  # type: ignore[union-attr]
            if batch.full:
                self.store.submit(batch, self.rows_read)
                self.publish(self.table.progress(), self.rows_read)
                batch = self._open_batch = _Batch()
        if batch:
            self.store.submit(batch, self.rows_read)
        self._open_batch = _Batch()


def _outcome_message(run: ImportRun, start: Checkpoint) -> str:
    if not start.rows:
        return ""
    return _(
        "The worker running this import stopped; another took it up after the first "
        "%(rows)d rows of the file, which were done already and are neither stored nor "
        "counted twice."
    ) % {"rows": start.rows}


def _save_outcome(run: ImportRun) -> bool:
    """Save the run's outcome unless another attempt owns it; one retry on a fresh connection
    when the database connection was lost. Returns whether it was saved."""
    for retry in (True, False):
        try:
            with transaction.atomic():
                current = (
                    ImportRun.objects.select_for_update()
                    .filter(pk=run.pk)
                    .values_list("attempt", flat=True)
                    .first()
                )
                if current != run.attempt:
                    return False
                run.save()
            return True
        except (DatabaseError, InterfaceError):
            if not retry or connection.in_atomic_block:
                log.exception("import %s: the outcome could not be saved", run.pk)
                return False
            connection.close()
    return False


def _finish(importer: Importer, done: Checkpoint) -> None:
    """The importer's optional ``finish(rows_written)`` once every batch is stored (the
    interactions' derived columns and KPI rollups); a database error there leaves the stored
    rows as they are, for the worker's periodic jobs to finish."""
    finish = getattr(importer, "finish", None)
    if finish is None:
        return
    try:
        finish(done.created + done.updated)
    except DatabaseError:
        log.exception("import: finishing %s failed; the worker's jobs will catch up", importer.kind)


def _import_rows(
    importer: Importer,
    path: Path,
    run: ImportRun,
    columns: ColumnMap | None,
    report_file: Path,
    start: Checkpoint,
    publish: Callable[..., None],
    held: dict[str, Any],
) -> None:
    """The row path: each row checked, batched and upserted (``_Reading``, ``_Store``);
    ``held`` gets them as soon as they exist, for the caller's accounts on failure."""
    with (
        open_table(
            path,
            column_map=columns or importer.columns,
            sheet=run.sheet or None,
            limits=import_limits(),
        ) as table,
        ErrorReport(
            report_file,
            opener=open_private,
            resume_at=_carry_report_over(run, start, report_file),
        ) as report,
    ):
        run.encoding, run.sheet = table.encoding or "", table.sheet or ""
        run.personal_columns = _personal_columns(importer, table.mapping)
        # Known before the first line of the report is written, for its masked download.
        ImportRun.objects.filter(pk=run.pk, attempt=run.attempt).update(
            personal_columns=run.personal_columns
        )
        store = _Store(
            importer,
            run=run,
            report=report,
            header_of={field: header for header, field in table.mapping.items()},
            start=start,
            threaded=_writes_on_a_thread(importer, path),
        )
        held["store"] = store
        try:
            reading = held["reading"] = _Reading(table, importer, run, store, publish)
            # Hundreds of thousands of rows, each a few containers, pass through here;
            # the cyclic collector would scan the growing heap again and again (40% of
            # the checking time of a 100k-row file) to find nothing: reference counting
            # frees the rows, none of which is in a cycle.
            with collector_paused():
                reading.run_through(skip=start.rows)
            publish(table.progress(), reading.rows_read, final=True)
        finally:
            store.close()
        _finish(importer, store.checkpoint)


class _ColumnarFailed(Exception):
    """The columnar load stored the rows before a row the file cannot be read past."""

    def __init__(self, error: IngestError, done: Checkpoint) -> None:
        super().__init__(str(error))
        self.error, self.done = error, done


def _columnar_candidate(importer: Importer, path: Path) -> bool:
    return (
        connection.vendor == "postgresql"
        and hasattr(importer, "check_columns")
        and path.stat().st_size >= columnar.MIN_BYTES
    )


def _import_columnar(
    importer: Importer,
    path: Path,
    run: ImportRun,
    columns: ColumnMap | None,
    report_file: Path,
    publish: Callable[..., None],
) -> Checkpoint | None:
    """A large CSV on PostgreSQL, checked a column at a time and loaded with ``COPY``
    (:mod:`yuqi.imports.columnar`): the run's checkpoint, or None when the file suits the
    row path better (an XLSX, or mostly unusual rows); then nothing was written."""
    with open_table(
        path,
        column_map=columns or importer.columns,
        sheet=run.sheet or None,
        limits=import_limits(),
    ) as table:
        if table.format != "csv":
            return None
        with ErrorReport(report_file, opener=open_private) as report:
            run.encoding, run.sheet = table.encoding or "", table.sheet or ""
            run.personal_columns = _personal_columns(importer, table.mapping)
            ImportRun.objects.filter(pk=run.pk, attempt=run.attempt).update(
                personal_columns=run.personal_columns
            )
            done: list[Checkpoint] = []

            def checkpoint(outcome: columnar.Outcome, report_offset: int) -> None:
                after = Checkpoint(
                    rows=outcome.rows_read,
                    created=outcome.created,
                    updated=outcome.updated,
                    unchanged=outcome.unchanged,
                    rejected=outcome.rejected,
                    report_offset=report_offset,
                )
                moved = ImportRun.objects.filter(pk=run.pk, attempt=run.attempt).update(
                    committed_rows=after.rows,
                    rows_read=after.rows,
                    rows_created=after.created,
                    rows_updated=after.updated,
                    rows_unchanged=after.unchanged,
                    rows_rejected=after.rejected,
                    report_offset=after.report_offset,
                    error_report=str(report.path) if after.rejected else "",
                    progress_at=now(),
                )
                if moved != 1:
                    raise ImportSuperseded
                done.append(after)

            try:
                with collector_paused():
                    outcome = columnar.load(
                        importer,
                        table,
                        source=run.source,
                        header_of={field: header for header, field in table.mapping.items()},
                        report=report,
                        publish=publish,
                        checkpoint=checkpoint,
                    )
            except columnar.GiveWay:
                return None
    log.debug("import %s: %d rows by COPY%s", run.pk, outcome.rows_read, " (bulk)" * outcome.bulk)
    _finish(importer, done[-1])
    if outcome.failure is not None:
        raise _ColumnarFailed(outcome.failure, done[-1])
    publish(1.0, outcome.rows_read, final=True)
    return done[-1]


def _record_outcome(run: ImportRun, done: Checkpoint, rows_read: int, report_file: Path) -> None:
    """Save the run's counts and outcome as ``done`` (what was committed) says."""
    run.rows_read = max(rows_read, done.rows)
    run.rows_created, run.rows_updated = done.created, done.updated
    run.rows_unchanged, run.rows_rejected = done.unchanged, done.rejected
    run.committed_rows, run.report_offset = done.rows, done.report_offset
    if (
        run.status != ImportStatus.DONE
        and report_file.exists()
        and report_file.stat().st_size > done.report_offset > 0
    ):
        # Lines of batches that were not committed: a later attempt reports those rows.
        os.truncate(report_file, done.report_offset)
    run.error_report = str(report_file) if done.rejected else ""
    if not done.rejected:
        report_file.unlink(missing_ok=True)
    run.finished_at = run.progress_at = now()
    if _save_outcome(run):
        _remove_other_reports(run, report_file)


def import_file(
    *,
    importer: Importer,
    path: Path,
    run: ImportRun,
    columns: ColumnMap | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportRun:
    """Import ``path`` into the importer's context, recording the outcome on ``run``.

    A run with committed batches (its worker died) resumes after them. A run that is finished
    or claimed by another process is returned as it is.
    """
    if not _claim(run):
        return run
    start = Checkpoint.of(run)
    report_file = report_path_for(run)
    last_published = 0.0
    held: dict[str, Any] = {}  # the row path's _Store and _Reading

    def publish(fraction: float | None, rows_read: int, *, final: bool = False) -> None:
        nonlocal last_published
        if not final and time.monotonic() - last_published < PUBLISH_EVERY_SECONDS:
            return
        last_published = time.monotonic()
        store = held.get("store")
        shown = store.checkpoint if store else start
        if not ImportRun.objects.filter(pk=run.pk, attempt=run.attempt).update(
            rows_read=rows_read, progress=fraction or 0.0, progress_at=now()
        ):
            raise ImportSuperseded
        if on_progress:
            on_progress(
                Progress(
                    rows_read,
                    fraction,
                    shown.created,
                    shown.updated,
                    shown.unchanged,
                    shown.rejected,
                )
            )

    loaded: Checkpoint | None = None  # what a columnar load committed
    try:
        if start.rows == 0 and _columnar_candidate(importer, path):
            loaded = _import_columnar(importer, path, run, columns, report_file, publish)
        if loaded is None:
            _import_rows(importer, path, run, columns, report_file, start, publish, held)
    except ImportSuperseded:
        log.warning("import %s: taken over by another attempt; this one stops", run.pk)
        run.refresh_from_db()
        return run
    except _ColumnarFailed as failed:
        loaded = failed.done
        run.status, run.message = ImportStatus.FAILED, str(failed.error)
    except IngestError as exc:
        run.status, run.message = ImportStatus.FAILED, str(exc)
    except (DatabaseError, InterfaceError) as exc:
        # The database went away (connection killed, disk full, locked too long): what the
        # committed batches stored stays, and the run says where it stopped.
        run.status = ImportStatus.FAILED
        store = held.get("store")
        done = store.checkpoint if store else start
        run.message = _(
            "Stopped by a database error after %(n)d rows; rows before it are "
            "stored, run the import again to finish: %(error)s"
        ) % {"n": done.rows, "error": exc}
    else:
        run.status = ImportStatus.DONE
        run.progress = 1.0
        run.message = _outcome_message(run, start)
    store, reading = held.get("store"), held.get("reading")
    done = loaded or (store.checkpoint if store else start)
    _record_outcome(run, done, reading.rows_read if reading else 0, report_file)
    return run

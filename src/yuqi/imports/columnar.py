"""A large CSV into PostgreSQL column by column: checked in bulk, loaded with ``COPY``.

The row path (:mod:`yuqi.imports.engine`) checks, encodes and upserts each row in Python, in
batches of a few thousand; at a million rows that is ~60 µs of Python per row, and each row
inserted one at a time keeps seven secondary indexes and four foreign keys up to date.
Here, for an importer that can check columns (``check_columns``, e.g. the interactions'):

1. The file is read a chunk of columns at a time (:mod:`yuqi.ingest.chunks`: Arrow's CSV
   reader for a plain UTF-8 file, the row reader for any other and from wherever Arrow stops,
   so encoding, header, limits and row numbers are as before), ``CHUNK_ROWS`` rows at a time
   as Arrow arrays, and the importer checks each
   column in one pass (pyarrow compute, each distinct value of a repetitive column cleaned
   once by the row path's own cleaner). A row the column checks cannot pass whole — a bad or
   unusual value, a stray cell, a row of another width — goes through the row path
   (``importer.check``), which names its field and value exactly as before; so does every row
   of a file whose rows mostly fail (then this path gives way to the row path altogether).
2. Rows that pass are written, as CSV made by Arrow, with ``COPY`` into a temporary staging
   table; duplicates inside the file are refused on the way, row by row in file order as the
   row path does (the first row with a key wins, later ones name it).
3. One transaction then moves the staged rows into the table with one ``INSERT … SELECT …
   ON CONFLICT`` per shape of row (:func:`yuqi.imports.upsert.upsert_statements`, as the row
   path's batches do), stores the rows the row path passed, writes the error report's lines
   and the run's checkpoint.

**Bulk-load mode.** When the table holds fewer rows than the file brings, the same
transaction first drops the table's plain (non-unique) indexes and its foreign keys, loads,
builds the indexes again once over all rows, and adds the foreign keys back ``NOT VALID``
followed by ``VALIDATE CONSTRAINT`` — one set-based check instead of one trigger call per
row (PostgreSQL's "Populating a Database" advice). The unique key stays (the upsert needs it)
and everything is one transaction: an error or a crash leaves the table exactly as it was,
indexes and constraints included. The price is an exclusive lock on the table for the
load's duration (pages reading it wait), acceptable for a first or catch-up load, not for a
small daily file into a large table: that keeps its indexes and constraints (docs/scale.md,
docs/adr/0006-import-bulk-load-mode.md).
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Hashable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.gin_pending import merge_gin_pending_lists
from yuqi.imports.importers import Checked, StoreResult
from yuqi.imports.refusals import refusal
from yuqi.imports.upsert import (
    InsertDerived,
    _defaults,
    drop_unchanged,
    staging_sql,
    upsert_statements,
)
from yuqi.ingest import IngestError, SourceRow
from yuqi.ingest.chunks import Chunk, column_chunks

if TYPE_CHECKING:
    import pyarrow as pa

    from yuqi.ingest.reader import Table

log = logging.getLogger(__name__)

# Rows read, checked and staged at a time: memory stays flat whatever the file's size.
CHUNK_ROWS = 50_000
# Above this share of rows needing the row path (after the first chunk), the file is mostly
# unusual or bad: the row path reads it instead (its memory stays flat for any mix).
MOST_SLOW = 0.2
# Files smaller than this take the row path (the set-up costs more than it saves).
MIN_BYTES = 1 << 20


@dataclass
class CheckedColumns:
    """What ``check_columns`` answers for a chunk of rows.

    ``ok[i]``: row ``i`` passed whole (else the row path decides). ``keys[i]``: its key, as
    ``importer.key`` gives it for the checked record (only read where ``ok``). ``data``: the
    table's columns (attnames) as Arrow arrays for every row (values of rows not ``ok`` are
    ignored); a field missing from ``data`` takes its default. ``shape[i]`` indexes
    ``shapes``, the fields a row carries (the upsert updates only those)."""

    ok: list[bool]
    keys: list[Hashable]
    data: dict[str, pa.Array]
    shape: pa.Array
    shapes: list[frozenset[str]]


class ColumnarImporter(Protocol):
    kind: str
    model: type[models.Model]
    key_fields: tuple[str, ...]

    def check(self, values: Any, *, source: str) -> Checked: ...

    def key(self, record: Any) -> Hashable: ...

    def store(self, records: Sequence[dict[str, Any]]) -> StoreResult: ...

    def check_columns(self, columns: dict[str, pa.Array], *, source: str) -> CheckedColumns: ...

    def insert_derived(self) -> InsertDerived | None: ...


class DirectDerivation(Protocol):
    """The derived columns of rows copied straight into the table (see :func:`load`)."""

    def columns(
        self, data: dict[str, pa.Array], keep: pa.Array, stamp: datetime
    ) -> dict[str, pa.Array]: ...

    def done(self) -> None: ...


class GiveWay(Exception):
    """The file suits the row path better (mostly unusual rows): nothing was written."""


@dataclass
class Outcome:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    bulk: bool = False
    failure: IngestError | None = None


@dataclass
class _Reject:
    row: SourceRow
    errors: list[tuple[str | None, str]]


class _Seen:
    """The keys met so far (by their hash) with the row each was first met on.

    A dict of a million hashes holds ~115 MB; here a chunk's keys are kept as two numpy
    arrays (16 bytes a key), sorted, looked up by bisection. Keys added one at a time (the
    row-by-row pass) wait in a small dict until :meth:`seal` sorts them in."""

    MERGE_AT = 8  # sorted runs kept before they are merged into one

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []
        self._recent: dict[int, int] = {}

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]

    def __getitem__(self, key: int) -> int:
        row = self.get(key)
        if row is None:
            raise KeyError(key)
        return row

    def __setitem__(self, key: int, row: int) -> None:
        self._recent[key] = row

    def get(self, key: int) -> int | None:
        if key in self._recent:
            return self._recent[key]
        for keys, rows in self._runs:
            at = int(np.searchsorted(keys, key))
            if at < len(keys) and keys[at] == key:
                return int(rows[at])
        return None

    def fresh(self, keys: np.ndarray) -> bool:
        """Whether none of ``keys`` was met before and none is there twice."""
        if len(np.unique(keys)) != len(keys):
            return False
        if self._recent and not self._recent.keys().isdisjoint(keys.tolist()):
            return False
        for known, _rows in self._runs:
            at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
            if (known[at] == keys).any():
                return False
        return True

    def add(self, keys: np.ndarray, rows: np.ndarray) -> None:
        """Keys none of which was met before (see :meth:`fresh`), with their rows."""
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], rows[order]))
        if len(self._runs) > self.MERGE_AT:
            self._merge()

    def seal(self) -> None:
        if self._recent:
            keys = np.fromiter(self._recent.keys(), np.int64, len(self._recent))
            rows = np.fromiter(self._recent.values(), np.int64, len(self._recent))
            self._recent = {}
            self.add(keys, rows)

    def _merge(self) -> None:
        keys = np.concatenate([keys for keys, _rows in self._runs])
        rows = np.concatenate([rows for _keys, rows in self._runs])
        order = np.argsort(keys, kind="stable")
        self._runs = [(keys[order], rows[order])]


@dataclass
class _State:
    seen: _Seen = field(default_factory=_Seen)
    slow_records: list[dict[str, Any]] = field(default_factory=list)
    slow_rows: list[SourceRow] = field(default_factory=list)
    rejects: list[_Reject] = field(default_factory=list)
    shapes: dict[frozenset[str], int] = field(default_factory=dict)
    staged: int = 0
    slow: int = 0
    columns: list[str] | None = None
    defaults: dict[str, Any] = field(default_factory=dict)
    direct: _DirectCopy | None = None


def load(
    importer: ColumnarImporter,
    table: Table,
    *,
    source: str,
    header_of: dict[str, str],
    report: Any,
    publish: Callable[[float | None, int], None],
    checkpoint: Callable[[Outcome, int], None],
) -> Outcome:
    """Import the table's rows (see the module docstring); ``checkpoint(outcome,
    report_offset)`` records the run's counts in the loading transaction. Raises
    :class:`GiveWay` before anything is written when the row path suits the file better."""
    import pyarrow as pa

    model = importer.model
    state = _State()
    outcome = Outcome()
    fields = [name for _index, name in sorted(table._columns)]
    positions = [index for index, _name in sorted(table._columns)]
    width, plain = table.width, table.plain
    moment = now()
    staging = connection.ops.quote_name(f"_upsert_{model._meta.db_table}")
    duplicate_column = header_of.get("external_id", "external_id")

    def flush(chunk: Chunk) -> None:
        if not len(chunk):
            return
        # rows with a NUL character are refused on the row path
        candidates, arrays = chunk.columns_of(positions, width, plain, table.nul_rows)
        columns = dict(zip(fields, arrays, strict=True))
        del arrays
        checked = importer.check_columns(columns, source=source) if candidates else None
        fast = [False] * len(chunk)
        # Keys by their hash, as the row path keeps them (a million keys as tuples of text
        # would hold a few hundred MB).
        key_of: list[int | None] = [None] * len(chunk)
        if checked is not None:
            for at, index in enumerate(candidates):
                if checked.ok[at]:
                    fast[index] = True
                    key_of[index] = hash(checked.keys[at])
        seen = state.seen
        hashes = np.fromiter(key_of, np.int64, len(key_of)) if all(fast) else None
        if hashes is not None and seen.fresh(hashes):
            # The usual chunk: every row passed, no key twice: no row-by-row pass.
            seen.add(hashes, chunk.numbers)
            _stage(model, checked, pa.array([True] * len(chunk)), state, staging, moment)  # type: ignore[arg-type]
            return
        keep = [False] * len(candidates)
        candidate_at = {index: at for at, index in enumerate(candidates)}
        for index, number in enumerate(chunk.numbers.tolist()):
            if fast[index]:
                key = key_of[index]
                assert key is not None  # a row that passed has its key
                if (first := seen.get(key)) is not None:
                    row = table.row(number, chunk.cells(index))
                    reason = _("duplicate of row %(row)d in this file") % {"row": first}
                    state.rejects.append(_Reject(row, [(duplicate_column, reason)]))
                    continue
                seen[key] = number
                keep[candidate_at[index]] = True
                continue
            state.slow += 1
            _row_path(importer, table.row(number, chunk.cells(index)), state, source, header_of)
        seen.seal()
        if state.slow > MOST_SLOW * max(outcome.rows_read, CHUNK_ROWS) and not state.staged:
            raise GiveWay
        if checked is not None and any(keep):
            _stage(model, checked, pa.array(keep), state, staging, moment)

    started = time.perf_counter()
    read = _read_and_write(
        importer, table, state, outcome, flush, publish, report, header_of, checkpoint
    )
    written = time.perf_counter()
    with connection.cursor() as cursor:
        if state.staged and state.direct is None:
            cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        if state.staged:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    if state.staged:
        merge_gin_pending_lists([model._meta.db_table])
    log.debug(
        "columnar load%s: read, checked and staged %.1f s, loaded %.1f s, analysed %.1f s",
        " (direct COPY)" * (state.direct is not None),
        read - started,
        written - read,
        time.perf_counter() - written,
    )
    return outcome


def _read_and_write(
    importer: ColumnarImporter,
    table: Table,
    state: _State,
    outcome: Outcome,
    flush: Callable[[Chunk], None],
    publish: Callable[[float | None, int], None],
    report: Any,
    header_of: dict[str, str],
    checkpoint: Callable[[Outcome, int], None],
) -> float:
    """Read the file (rows staged or, into an empty table, copied straight in) and write
    the rest in one transaction; returns when the reading ended (``perf_counter``)."""
    try:
        with ExitStack() as stack:
            state.direct = _direct(importer, importer.model, stack)
            outcome.bulk = state.direct is not None
            if state.direct is None:
                _read(table, outcome, flush, publish)
            else:
                # The load's transaction is open: progress goes out on a connection of its own.
                with _Aside(publish) as aside:
                    _read(table, outcome, flush, aside)
            read = time.perf_counter()
            if state.direct is not None:
                state.direct.close()
                state.direct.restore_unique()
                outcome.created = state.staged
            with transaction.atomic():
                _write(importer, state, outcome, report, header_of)
                checkpoint(outcome, report.checkpoint())
    except BaseException:
        if state.direct is not None and (forget := getattr(importer, "forget_codes", None)):
            forget()  # codes created in the rolled-back transaction are gone
        raise
    return read


def _direct(
    importer: ColumnarImporter, model: type[models.Model], stack: ExitStack
) -> _DirectCopy | None:
    """Enter the direct mode when the table is empty: one transaction (entered on ``stack``)
    holding the table locked, in bulk-load mode, and one ``COPY`` into the table itself fed
    while the file is read. None (nothing entered) otherwise."""
    from yuqi.core.bulk import bulk_load_mode

    make = getattr(importer, "direct_derivation", None)
    derivation = make() if make is not None else None
    if derivation is None or connection.timezone_name != "UTC":
        return None
    if _table_rows_below(model, 1):
        return None
    stack.enter_context(transaction.atomic())
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    if _table_rows_below(model, 1):
        raise GiveWay  # rows arrived between the look and the lock: nothing written yet
    stack.enter_context(bulk_load_mode(model))
    direct = stack.enter_context(_DirectCopy(model, derivation))
    direct.drop_unique()
    stack.enter_context(connection.execute_wrapper(direct.before_query))
    return direct


class _Aside:
    """``publish`` run on a second thread, with its own connection committing at once, for a
    load whose transaction stays open while the file is read (the run's progress and its
    ``progress_at``, which tells a live run from a dead one, must be seen meanwhile). One
    call at a time: a call made while the last one runs is dropped (the next one publishes
    newer figures); its error (``ImportSuperseded``) is raised by the next call or on exit."""

    def __init__(self, publish: Callable[[float | None, int], None]) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        self._publish = publish
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="import-progress")
        self._pending: Future[None] | None = None

    def __call__(self, fraction: float | None, rows: int) -> None:
        if self._pending is not None:
            if not self._pending.done():
                return
            self._pending.result()
        self._pending = self._pool.submit(self._publish, fraction, rows)

    def __enter__(self) -> _Aside:
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            if self._pending is not None:
                self._pending.result()
        finally:
            self._pool.submit(lambda: connection.close()).result()  # the thread's own
            self._pool.shutdown()


class _DirectCopy:
    """One ``COPY`` into the table, kept open across chunks and written by psycopg's queued
    writer: a second thread sends each chunk while the next one is read and checked, so the
    server parses and stores rows while Python works. Any query on the connection (a code
    first seen, a queue's threshold, the row path's rows) first ends the ``COPY``
    (:meth:`before_query`); the next chunk opens another."""

    def __init__(self, model: type[models.Model], derivation: DirectDerivation) -> None:
        self.model, self.derivation = model, derivation
        self._open: ExitStack | None = None
        self._copy: Any = None
        self._unique: list[tuple[str, str]] = []
        # Columns whose value is the same for every row of the load (the time stamps, the
        # derivation's constants), left out of the COPY: set as the column's default for the
        # load's transaction, dropped again by :meth:`restore_unique`. None: not chosen yet.
        self.constants: dict[str, Any] | None = None

    def set_constants(self, values: dict[str, Any]) -> None:
        """Write ``values`` (attname → a value every row of the load has: a naive UTC time, a
        boolean or None) as their columns' defaults, for the ``COPY`` to leave them out: the
        server then parses no text for them (three time stamps a row: ~1 of the ~7 server
        CPU-seconds of a million contacts' ``COPY``) and Arrow writes none. Only columns
        without a default of their own; the others stay in the ``COPY``."""
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        column_of = {f.attname: str(f.column) for f in self.model._meta.concrete_fields}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attnum > 0 AND NOT attisdropped AND NOT atthasdef",
                [self.model._meta.db_table],
            )
            free = {name for (name,) in cursor.fetchall()}
            chosen = {}
            for name, value in values.items():
                literal = _literal(value)
                if column_of[name] not in free or literal == "":
                    continue  # a default of its own, or a kind of value not foreseen
                if literal is not None:
                    cursor.execute(
                        f"ALTER TABLE {table} ALTER COLUMN {quote(column_of[name])} "
                        f"SET DEFAULT {literal}"
                    )
                chosen[name] = value
        self.constants = chosen

    def _drop_constants(self) -> None:
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        column_of = {f.attname: str(f.column) for f in self.model._meta.concrete_fields}
        with connection.cursor() as cursor:
            for name, value in (self.constants or {}).items():
                if value is not None:
                    cursor.execute(
                        f"ALTER TABLE {table} ALTER COLUMN {quote(column_of[name])} DROP DEFAULT"
                    )
        self.constants = {}

    def drop_unique(self) -> None:
        """Drop the table's unique constraints (not its primary key) for the ``COPY``: each
        row copied would otherwise be checked and inserted into their B-trees one at a time
        (a million contacts: ~1.6 of the ~7.3 server CPU-seconds of the ``COPY``, measured
        in docs/scale.md), where one sorted build afterwards costs a fraction. Nothing can
        conflict meanwhile: the table was empty and is held locked, and the keys copied are
        unique in the file (``_Seen``). :meth:`restore_unique` adds them back, checked, before
        any other statement needs them (the row path's upserts name them ``ON CONFLICT``);
        an error or a crash rolls the drop back with the load."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'u' ORDER BY conname",
                [self.model._meta.db_table],
            )
            self._unique = cursor.fetchall()
            for name, _definition in self._unique:
                cursor.execute(
                    f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}"
                )

    def restore_unique(self) -> None:
        """Add back the constraints :meth:`drop_unique` dropped: each index built once over
        the copied rows (a duplicate key would fail the load here, rolled back whole); the
        constants' defaults (:meth:`set_constants`) are dropped first."""
        from yuqi.core.bulk import BULK_MAINTENANCE_MEMORY

        self._drop_constants()
        if not self._unique:
            return
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{BULK_MAINTENANCE_MEMORY}'")
            for name, definition in self._unique:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        self._unique = []

    def __enter__(self) -> _DirectCopy:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._open is not None:
            opened, self._open, self._copy = self._open, None, None
            opened.__exit__(*exc)

    def write(self, columns: list[str], data: memoryview) -> None:
        from psycopg.copy import QueuedLibpqWriter

        if self._copy is None:
            quote = connection.ops.quote_name
            column_of = {f.attname: str(f.column) for f in self.model._meta.concrete_fields}
            names = ", ".join(quote(column_of[name]) for name in columns)
            table = quote(self.model._meta.db_table)
            opened = ExitStack()
            cursor = opened.enter_context(connection.cursor()).cursor
            copy = f"COPY {table} ({names}) FROM STDIN (FORMAT csv)"
            self._copy = opened.enter_context(cursor.copy(copy, writer=QueuedLibpqWriter(cursor)))
            self._open = opened
        self._copy.write(data)

    def close(self) -> None:
        """End the ``COPY`` now (waiting for the server to store what was sent)."""
        if self._open is not None:
            opened, self._open, self._copy = self._open, None, None
            with connection.wrap_database_errors:
                opened.close()

    def before_query(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.close()
        return execute(sql, params, many, context)


def _read(
    table: Table,
    outcome: Outcome,
    flush: Callable[[Chunk], None],
    publish: Callable[[float | None, int], None],
) -> None:
    """Pass the file's rows (blank ones skipped, as the row path does) to ``flush`` in
    chunks (:func:`yuqi.ingest.chunks.column_chunks`: Arrow's CSV reader where it suits the
    file, else the row reader); a row the file cannot be read past ends the reading
    (``outcome.failure``)."""
    try:
        for chunk in column_chunks(table, CHUNK_ROWS):
            outcome.rows_read += len(chunk)
            flush(chunk)
            publish(chunk.progress, outcome.rows_read)
    except IngestError as exc:
        # The file cannot be read past here: the rows before it are stored, then the run fails.
        outcome.failure = exc
        publish(table.progress(), outcome.rows_read)


def _row_path(
    importer: ColumnarImporter,
    row: SourceRow,
    state: _State,
    source: str,
    header_of: dict[str, str],
) -> None:
    """A row the column checks did not pass: checked alone, as the row path does."""
    if row.refused:  # stray cells or a NUL character
        state.rejects.append(_Reject(row, refusal(row)))
        return
    checked = importer.check(row.values, source=source)
    if checked.record is None:
        errors = [(header_of.get(f, f), str(reason)) for f, reason in checked.errors]
        state.rejects.append(_Reject(row, errors))  # type: ignore[arg-type]
        return
    key = hash(importer.key(checked.record))
    if key in state.seen:
        column = header_of.get("external_id", "external_id")
        reason = _("duplicate of row %(row)d in this file") % {"row": state.seen[key]}
        state.rejects.append(_Reject(row, [(column, reason)]))
        return
    state.seen[key] = row.number
    state.slow_records.append(checked.record)
    state.slow_rows.append(row)


def _stage(
    model: type[models.Model],
    checked: CheckedColumns,
    keep: pa.Array,
    state: _State,
    staging: str,
    moment: datetime,
) -> None:
    """COPY the kept rows of a chunk into the staging table (made at the first chunk)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    rows = keep.true_count
    if connection.timezone_name != "UTC":
        raise GiveWay  # the staged times are written as UTC wall-clock text
    stamp = moment.astimezone(UTC).replace(tzinfo=None)
    names = {name for shape in checked.shapes for name in shape}
    if state.columns is None:
        defaults = _defaults(model, names)
        state.columns = sorted({*names, *defaults, "created_at", "updated_at"})
        state.defaults = defaults
        if state.direct is None:
            with connection.cursor() as cursor:
                cursor.execute(staging_sql(model, state.columns, on_commit_drop=False))
    columns, defaults = state.columns, state.defaults
    if not names <= set(columns):
        raise GiveWay  # a later chunk with new fields (cannot happen with one header)
    arrays = []
    for name in columns:
        if name in ("created_at", "updated_at"):
            arrays.append(pa.repeat(pa.scalar(stamp, pa.timestamp("us")), rows))
            continue
        data = checked.data.get(name)
        if data is None:
            value = defaults.get(name)
            arrays.append(pa.nulls(rows) if value is None else pa.repeat(value, rows))
            continue
        data = data.filter(keep)
        if name in defaults and defaults[name] is not None:
            data = pc.fill_null(data, defaults[name])
        if pa.types.is_timestamp(data.type) and data.type.tz is not None:
            # As UTC wall-clock text (the session's zone is UTC): Arrow writes zone-aware
            # times ~25 times slower.
            data = data.cast(pa.timestamp(data.type.unit))
        arrays.append(data)
    if state.direct is not None:
        # Straight into the table: the derived columns computed here, no shape.
        out = dict(zip(columns, arrays, strict=True))
        derivation = state.direct.derivation
        out.update(derivation.columns(checked.data, keep, stamp))
        if state.direct.constants is None:
            constant = {"created_at", "updated_at", *getattr(derivation, "constant", ())}
            state.direct.set_constants(
                {name: out[name][0].as_py() for name in out if name in constant and rows}
            )
        for name, value in (state.direct.constants or {}).items():
            column = out.pop(name)
            if not _all_equal(column, value):  # a derivation breaking its word
                raise RuntimeError(f"{name} is not the same in every row of the load")
        names_out = list(out)
        buffer = io.BytesIO()
        pa_csv.write_csv(
            pa.table(list(out.values()), names=names_out),
            buffer,
            pa_csv.WriteOptions(include_header=False, quoting_style="needed"),
        )
        state.direct.write(names_out, buffer.getbuffer())
        state.staged += rows
        return
    number_of = {
        shape: state.shapes.setdefault(shape, len(state.shapes)) for shape in checked.shapes
    }
    renumber = pa.array([number_of[shape] for shape in checked.shapes], pa.int32())
    arrays.append(pc.take(renumber, checked.shape.filter(keep)))
    buffer = io.BytesIO()
    pa_csv.write_csv(
        pa.table(arrays, names=[*columns, "_shape"]),
        buffer,
        pa_csv.WriteOptions(include_header=False, quoting_style="needed"),
    )
    quote = connection.ops.quote_name
    column_of = {field.attname: str(field.column) for field in model._meta.concrete_fields}
    column_list = ", ".join(quote(column_of[name]) for name in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {staging} ({column_list}, _shape) FROM STDIN (FORMAT csv)"
        ) as copy,
    ):
        copy.write(buffer.getbuffer())
    state.staged += rows


def _literal(value: Any) -> str | None:
    """A constant of :meth:`_DirectCopy.set_constants` as SQL (a naive time is UTC); None for
    None (a column without a default is null), "" for a value of another kind (the column
    stays in the ``COPY``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime) and value.tzinfo is None:
        return f"'{value.isoformat(sep=' ')}+00'::timestamptz"
    return ""


def _all_equal(column: pa.Array, value: Any) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    if value is None:
        return column.null_count == len(column)
    if column.null_count:
        return False
    return len(column) == 0 or bool(pc.all(pc.equal(column, pa.scalar(value, column.type))).as_py())


def _table_rows_below(model: type[models.Model], most: int) -> int:
    """How many rows the table holds, counted up to ``most`` (cheap however large it is)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) AS t", [most])
        return int(cursor.fetchone()[0])


def _write(
    importer: ColumnarImporter,
    state: _State,
    outcome: Outcome,
    report: Any,
    header_of: dict[str, str],
) -> None:
    """The loading transaction's work: staged rows, row-path rows, report lines."""
    from yuqi.core.bulk import bulk_load_mode

    model = importer.model
    for reject in state.rejects:
        for column, reason in reject.errors:
            report.add(reject.row.number, column, reason, reject.row.original)
    outcome.rejected = len(state.rejects)
    if state.direct is not None:  # the staged rows are in the table, in bulk-load mode
        state.direct.derivation.done()
        bulk = False
    else:
        bulk = bool(state.staged) and _table_rows_below(model, state.staged) < state.staged
        outcome.bulk = bulk
    with bulk_load_mode(model, when=bulk):
        if state.staged and state.columns is not None and state.direct is None:
            # Before the row-path rows below: their upsert makes its own staging table of
            # the same name (``_upsert_<table>``), dropping this one.
            # Into an empty table, held locked by the bulk-load mode, with keys unique in
            # the file: nothing can conflict, and a plain insert costs half an upsert.
            empty = bulk and not _table_rows_below(model, 1)
            shapes = state.shapes
            if not empty:
                # Rows identical to the stored ones leave the staging table first: they
                # would only be locked and compared by the upsert.
                left = drop_unchanged(
                    model,
                    state.columns,
                    key_fields=importer.key_fields,
                    shapes=shapes,
                    derived=importer.insert_derived(),
                )
                shapes = {fields: n for fields, n in shapes.items() if left.get(n)}
            statements = upsert_statements(
                model,
                state.columns,
                key_fields=importer.key_fields,
                shapes=shapes,
                per_record=False,
                derived=importer.insert_derived(),
                conflicts=not empty,
            )
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    created, updated = cursor.fetchone()
                    outcome.created += created
                    outcome.updated += updated
            outcome.unchanged += state.staged - outcome.created - outcome.updated
        for start in range(0, len(state.slow_records), 5000):
            records = state.slow_records[start : start + 5000]
            rows = state.slow_rows[start : start + 5000]
            result = importer.store(records)
            outcome.created += result.created
            outcome.updated += result.updated
            outcome.unchanged += result.unchanged
            refused = set()
            for index, name, reason in result.rejected:
                row = rows[index]
                report.add(row.number, header_of.get(name, name), reason, row.original)
                refused.add(index)
            outcome.rejected += len(refused)


__all__ = ["CHUNK_ROWS", "CheckedColumns", "GiveWay", "Outcome", "load"]

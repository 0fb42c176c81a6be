"""Insert new rows and update changed ones in bulk; leave identical rows untouched.

Comparing with what is stored is what makes a re-import report "unchanged" honestly and write
nothing, rather than rewriting every row. Only the fields a record carries are compared and
updated: a blank cell does not wipe a stored value.

SQLite: the stored rows are read first and compared in Python, then plain parameterised
multi-row ``INSERT … VALUES (…), (…) ON CONFLICT … DO UPDATE`` statements write the rest, a
few hundred rows per statement (compiling the ORM's ``bulk_create`` cost several times more
than the database's own work; bench/import_bench.py).

PostgreSQL: the batch goes through a binary ``COPY`` into a temporary table (no parameters to
bind, no timestamps printed and parsed), and one ``INSERT … SELECT … ON CONFLICT DO UPDATE …
WHERE (stored) IS DISTINCT FROM (new) RETURNING`` per shape of record does the comparison and
the writes in the server, telling which rows it inserted (``xmax = 0``) and which it updated;
a row it does not return was unchanged. That saves the read-back round trip and the Python
comparison per row. :func:`prepare_upsert` does all the Python work (the ``COPY`` data is
encoded then, through psycopg's ``FileWriter``) and :func:`apply_upsert` only the database
work, so an import can prepare a batch while another thread writes the previous one.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from operator import itemgetter
from typing import Any

from django.db import connection, models, transaction
from psycopg import Copy
from psycopg.copy import FileWriter
from psycopg.postgres import types as postgres_types

from yuqi.core.clock import now
from yuqi.imports.importers import StoreResult

Adapter = Callable[[Any], Any]
# Bound parameters per statement: under SQLite's default limit (32,766) and PostgreSQL's
# (65,535).
MAX_PARAMETERS = 30_000


def _key(record: dict[str, Any], key_fields: Sequence[str]) -> tuple:
    return tuple(record[name] for name in key_fields)


def _existing(
    model: type[models.Model],
    records: Sequence[dict[str, Any]],
    key_fields: Sequence[str],
    fields: set[str],
) -> dict[tuple, dict[str, Any]]:
    lookups = {f"{name}__in": {record[name] for record in records} for name in key_fields}
    rows = model.objects.filter(**lookups).values(*key_fields, *sorted(fields))
    return {_key(row, key_fields): row for row in rows}


def _sqlite_datetime(value: datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime, without its per-value
    settings look-ups: the UTC wall-clock time as text."""
    return str(value.astimezone(UTC).replace(tzinfo=None))


def _adapter(field: models.Field) -> Adapter | None:
    """How a Python value becomes a database parameter for this field (None: as it is)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        # Aware datetimes only (the parsers guarantee it): UTC in the database.
        if connection.vendor == "sqlite":
            return _sqlite_datetime
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return partial(
            ops.adapt_decimalfield_value,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
        )
    return None


def _write(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    names: Sequence[str],
    *,
    key_fields: Sequence[str],
    update: Sequence[str] = (),
) -> None:
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    conflict = ""
    if update:
        keys = ", ".join(quote(meta.get_field(name).column) for name in key_fields)
        sets = ", ".join(
            f"{quote(meta.get_field(n).column)} = EXCLUDED.{quote(meta.get_field(n).column)}"
            for n in update
        )
        conflict = f" ON CONFLICT ({keys}) DO UPDATE SET {sets}"
    adapters = [
        (index, adapt)
        for index, field in enumerate(fields)
        if (adapt := _adapter(field)) is not None
    ]
    row_sql = f"({', '.join(['%s'] * len(fields))})"
    per_statement = max(1, min(500, MAX_PARAMETERS // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params: list[Any] = []
            for row in chunk:
                values = [row.get(name) for name in names]
                for index, adapt in adapters:
                    if values[index] is not None:
                        values[index] = adapt(values[index])
                params.extend(values)
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                f"{', '.join([row_sql] * len(chunk))}{conflict}"
            )
            cursor.execute(sql, params)


def _binary_types(meta: Any, columns: Sequence[str]) -> list[str] | None:
    """The PostgreSQL type of each column for a binary ``COPY`` (less than half the work of
    the text format on both sides: no timestamps printed and parsed again), or None when a
    column's type is not a built-in one psycopg knows, for the text format."""
    names = [
        re.sub(r"\(.*\)$", "", meta.get_field(name).db_type(connection) or "") for name in columns
    ]
    if all(postgres_types.get(name) for name in names):
        return names
    return None


@dataclass(frozen=True)
class InsertDerived:
    """Columns that the insert half of a PostgreSQL upsert computes in SQL, in bulk, from the
    staged row (alias ``s``) and ``joins`` (e.g. ``LEFT JOIN queue q ON q.id = s.queue_id``),
    so no later pass has to rewrite the rows just written. An update leaves them as stored.

    ``queue_sql``, when given, runs on what the statement wrote, as a CTE over ``written``
    (its columns: ``inserted`` and the ``returning`` aliases), e.g. to
    queue the new rows' days for a rollup."""

    columns: dict[str, str]
    joins: str = ""
    returning: tuple[tuple[str, str], ...] = ()  # (alias, expression over ``stored``)
    queue_sql: str = ""


@dataclass(slots=True)
class _CopyPlan:
    """A PostgreSQL batch made ready on the reading side: the ``COPY`` data already encoded
    and the statements written, so that writing it is database work only."""

    staging_sql: str
    copy_sql: str
    data: bytes
    inserts: list[str]
    rows: int
    keys: list[tuple] | None  # each record's key, when each record's outcome is wanted


def _plan_copy(
    model: type[models.Model],
    records: Sequence[dict[str, Any]],
    *,
    key_fields: Sequence[str],
    defaults: dict[str, Any],
    columns: Sequence[str],
    moment: datetime,
    per_record: bool,
    derived: InsertDerived | None = None,
) -> _CopyPlan:
    meta, quote = model._meta, connection.ops.quote_name
    column_of = {name: quote(meta.get_field(name).column) for name in columns}
    column_list = ", ".join(column_of[name] for name in columns)
    staging = quote(f"_upsert_{meta.db_table}")
    # Records with the same fields share one statement: each updates only what it carries.
    shapes: dict[frozenset[str], int] = {}
    shape_of: dict[tuple[str, ...], int] = {}  # by the record's keys in order: no set per row
    # A complete row for each record: the insert half of an upsert needs one even when only
    # the update half applies (created_at is then left as stored).
    blank = {**dict.fromkeys(columns), **defaults, "created_at": moment, "updated_at": moment}
    values = itemgetter(*columns, "_shape")
    types = _binary_types(meta, columns)
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,  # psycopg's own errors as Django's
        # Encoded here with the connection's adapters; nothing is sent until written.
        Copy(cursor.cursor, binary=bool(types), writer=FileWriter(buffer)) as copy,
    ):
        if types:
            copy.set_types([*types, "int4"])
        for record in records:
            row = blank | record
            names = tuple(record)
            shape = shape_of.get(names)
            if shape is None:
                shape = shape_of[names] = shapes.setdefault(frozenset(names), len(shapes))
            row["_shape"] = shape
            copy.write_row(values(row))
    inserts = upsert_statements(
        model, columns, key_fields=key_fields, shapes=shapes, per_record=per_record, derived=derived
    )
    return _CopyPlan(
        # Same column types as the table, no constraints: checks happen on the real insert.
        staging_sql=staging_sql(model, columns),
        copy_sql=(
            f"COPY {staging} ({column_list}, _shape) FROM STDIN"
            + (" (FORMAT BINARY)" if types else "")
        ),
        data=buffer.getvalue(),
        inserts=inserts,
        rows=len(records),
        keys=[_key(record, key_fields) for record in records] if per_record else None,
    )


def staging_sql(
    model: type[models.Model], columns: Sequence[str], *, on_commit_drop: bool = True
) -> str:
    """The temporary table an upsert stages its rows in (``_upsert_<table>``): the table's own
    column types, no constraints (checks happen on the real insert), and ``_shape``."""
    meta, quote = model._meta, connection.ops.quote_name
    column_list = ", ".join(quote(meta.get_field(name).column) for name in columns)
    table, staging = quote(meta.db_table), quote(f"_upsert_{meta.db_table}")
    drop = " ON COMMIT DROP" if on_commit_drop else ""
    return (
        f"DROP TABLE IF EXISTS {staging}; CREATE TEMPORARY TABLE {staging}{drop} "
        f"AS SELECT {column_list}, 0::integer AS _shape FROM {table} WITH NO DATA"
    )


def upsert_statements(
    model: type[models.Model],
    columns: Sequence[str],
    *,
    key_fields: Sequence[str],
    shapes: dict[frozenset[str], int],
    per_record: bool,
    derived: InsertDerived | None = None,
    conflicts: bool = True,
) -> list[str]:
    """One ``INSERT … SELECT … ON CONFLICT`` per shape (the set of fields its records carry,
    numbered in the staging table's ``_shape``) from the staging table of
    :func:`staging_sql` into the model's table: each updates only the fields its records
    carry, and only where they differ from what is stored. ``conflicts=False``: plain
    inserts, for a caller that knows no staged key is in the table and none can arrive
    (an empty table it holds locked): a speculative insertion costs twice a plain one."""
    meta, quote = model._meta, connection.ops.quote_name
    column_of = {name: quote(meta.get_field(name).column) for name in columns}
    column_list = ", ".join(column_of[name] for name in columns)
    keys = [column_of[name] for name in key_fields]
    table, staging = quote(meta.db_table), quote(f"_upsert_{meta.db_table}")
    inserts: list[str] = []
    computed = derived.columns if derived else {}
    extra = {
        quote(meta.get_field(name).column): expression
        for name, expression in computed.items()
        if name not in columns
    }
    target_list = ", ".join([*(column_of[name] for name in columns), *extra])
    if derived:
        source = ", ".join(
            [*(computed.get(name, f"s.{column_of[name]}") for name in columns), *extra.values()]
        )
        source_from = f"{staging} AS s {derived.joins} WHERE s._shape = "
    else:
        source, source_from = column_list, f"{staging} WHERE _shape = "
    back = dict(derived.returning) if derived else {}
    for fields, shape in shapes.items():
        compared = [column_of[name] for name in sorted(fields - set(key_fields))]
        if compared:
            sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*compared, column_of["updated_at"]])
            stored = ", ".join(f"stored.{c}" for c in compared)
            new = ", ".join(f"EXCLUDED.{c}" for c in compared)
            action = f"DO UPDATE SET {sets} WHERE ({stored}) IS DISTINCT FROM ({new})"
        else:
            action = "DO NOTHING"
        insert = (
            f"INSERT INTO {table} AS stored ({target_list}) "
            f"SELECT {source} FROM {source_from}{shape:d} "
            + (f"ON CONFLICT ({', '.join(keys)}) {action} " if conflicts else "")
        )
        queued = f", queued AS ({derived.queue_sql})" if derived and derived.queue_sql else ""
        extra_back = "".join(f", {expression} AS {alias}" for alias, expression in back.items())
        if per_record:
            returning = ", ".join(f"stored.{k}" for k in keys)
            if queued:
                key_names = ", ".join(f"k{n}" for n in range(len(keys)))
                inserts.append(
                    f"WITH written AS ({insert} RETURNING "
                    + ", ".join(f"stored.{k} AS k{n}" for n, k in enumerate(keys))
                    + f", stored.xmax = 0 AS inserted{extra_back}){queued} "
                    f"SELECT {key_names}, inserted FROM written"
                )
            else:
                inserts.append(f"{insert} RETURNING {returning}, stored.xmax = 0")
        else:
            # Counts only: one row back instead of one per record.
            inserts.append(
                f"WITH written AS ({insert} RETURNING stored.xmax = 0 AS inserted{extra_back})"
                f"{queued} "
                "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
                "FROM written"
            )
    return inserts


#: ``work_mem`` for the one join of :func:`drop_unchanged` (a million staged rows hashed in
#: memory instead of in batches spilled to disk; the session's own value is put back after).
UNCHANGED_JOIN_MEMORY = "128MB"


def drop_unchanged(
    model: type[models.Model],
    columns: Sequence[str],
    *,
    key_fields: Sequence[str],
    shapes: dict[frozenset[str], int],
    derived: InsertDerived | None = None,
) -> dict[int, int]:
    """Keep in the staging table of :func:`staging_sql` only the rows that will write
    something: new keys, and stored rows that differ in a field the staged row carries (the
    comparison of :func:`upsert_statements`' ``WHERE … IS DISTINCT FROM``). Returns the rows
    left per shape number (a shape left out has none: its statement need not run).

    A re-import of rows already stored would otherwise send each of them into ``ON CONFLICT
    DO UPDATE … WHERE``, which takes a row lock on every stored row it compares even when it
    updates nothing (a write to every heap page), once per shape over the whole staging
    table. Here one join with the table's unique key compares every staged row once and the
    unchanged ones never reach the upsert. PostgreSQL only; the counts stay exact: whatever
    is no longer staged was unchanged. A row changed by another transaction after this
    statement's snapshot is treated as the upsert would treat a row committed after its own:
    the later writer wins."""
    meta, quote = model._meta, connection.ops.quote_name
    pk = meta.pk
    assert pk is not None
    column_of = {name: quote(meta.get_field(name).column) for name in columns}
    table, staging = quote(meta.db_table), quote(f"_upsert_{meta.db_table}")
    kept = quote(f"_upsert_{meta.db_table}_changed")
    computed = derived.columns if derived else {}
    same_when = []
    for fields, shape in shapes.items():
        compared = [column_of[name] for name in sorted(fields - set(key_fields))]
        if any(name in computed for name in fields - set(key_fields)):
            continue  # a column the insert computes: left to the upsert's own comparison
        if compared:
            stored = ", ".join(f"t.{c}" for c in compared)
            new = ", ".join(f"s.{c}" for c in compared)
            same_when.append(f"WHEN {shape:d} THEN ({stored}) IS NOT DISTINCT FROM ({new})")
        else:
            same_when.append(f"WHEN {shape:d} THEN true")
    on_key = " AND ".join(f"t.{column_of[name]} = s.{column_of[name]}" for name in key_fields)
    same = f"CASE s._shape {' '.join(same_when)} ELSE false END" if same_when else "false"
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {staging}")
        cursor.execute("SELECT current_setting('work_mem')")
        (memory,) = cursor.fetchone()
        cursor.execute("SELECT set_config('work_mem', %s, true)", [UNCHANGED_JOIN_MEMORY])
        cursor.execute(
            f"DROP TABLE IF EXISTS {kept}; CREATE TEMPORARY TABLE {kept} AS SELECT s.*"
            f" FROM {staging} AS s LEFT JOIN {table} AS t ON {on_key}"
            f" WHERE t.{quote(pk.column)} IS NULL OR NOT ({same})"
        )
        cursor.execute("SELECT set_config('work_mem', %s, true)", [memory])
        cursor.execute(
            f"DROP TABLE {staging}; ALTER TABLE {kept} RENAME TO {staging.rsplit('.', 1)[-1]}"
        )
        cursor.execute(f"SELECT _shape, count(*) FROM {staging} GROUP BY _shape")
        return {int(shape): int(rows) for shape, rows in cursor.fetchall()}


def _write_copy(plan: _CopyPlan) -> StoreResult:
    result = StoreResult()
    inserted: dict[tuple, bool] = {}
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(plan.staging_sql)
        with connection.wrap_database_errors, cursor.cursor.copy(plan.copy_sql) as copy:
            copy.write(plan.data)
        for sql in plan.inserts:
            cursor.execute(sql)
            if plan.keys is None:
                created, updated = cursor.fetchone()
                result.created += created
                result.updated += updated
            else:
                for *key, was_inserted in cursor.fetchall():
                    inserted[tuple(key)] = was_inserted
    if plan.keys is None:
        result.unchanged = plan.rows - result.created - result.updated
        return result
    for index, key in enumerate(plan.keys):
        was_inserted = inserted.get(key)
        if was_inserted is None:
            result.unchanged += 1
            result.statuses[index] = "unchanged"
        elif was_inserted:
            result.created += 1
            result.statuses[index] = "created"
        else:
            result.updated += 1
            result.statuses[index] = "updated"
    return result


def _defaults(model: type[models.Model], names: set[str]) -> dict[str, Any]:
    """Model defaults for the columns a record leaves out (the ORM would fill them in).

    Also for a column that other records of the batch carry (a blank cell in a file's
    ``category`` column): the insert half of the upsert needs a whole row, and NULL is not
    a blank text. Nullable columns need nothing: a missing value is NULL already.
    """
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or (field.attname in names and field.null):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.has_default():
            defaults[field.attname] = field.get_default()
        elif field.null:
            defaults[field.attname] = None
        elif isinstance(field, models.CharField | models.TextField):
            defaults[field.attname] = ""
    return defaults


@dataclass(slots=True)
class PreparedUpsert:
    """A batch ready for :func:`apply_upsert`: on PostgreSQL, all the Python work done."""

    model: type[models.Model]
    records: Sequence[dict[str, Any]]
    key_fields: Sequence[str]
    names: set[str]
    defaults: dict[str, Any]
    columns: list[str]
    moment: datetime
    copy: _CopyPlan | None = None


def prepare_upsert(
    model: type[models.Model],
    records: Sequence[dict[str, Any]],
    *,
    key_fields: Sequence[str],
    per_record: bool = True,
    derived: InsertDerived | None = None,
) -> PreparedUpsert:
    """Everything before the writes; it reads nothing from the database.

    Kept apart from :func:`apply_upsert` so an import can prepare one batch while another
    thread writes the one before. Without ``per_record`` the result has the counts but no
    ``statuses`` (a file import needs no more, and fetching a row per record costs).
    ``derived``: columns the insert computes in SQL (PostgreSQL only; ignored elsewhere).
    """
    names = {name for record in records for name in record}
    defaults = _defaults(model, names)
    columns = sorted({*names, *defaults, "created_at", "updated_at"})
    prepared = PreparedUpsert(model, records, key_fields, names, defaults, columns, now())
    if records and connection.vendor == "postgresql":
        prepared.copy = _plan_copy(
            model,
            records,
            key_fields=key_fields,
            defaults=defaults,
            columns=columns,
            moment=prepared.moment,
            per_record=per_record,
            derived=derived,
        )
    return prepared


def apply_upsert(prepared: PreparedUpsert) -> StoreResult:
    if not prepared.records:
        return StoreResult()
    if prepared.copy is not None:
        return _write_copy(prepared.copy)
    model, records, key_fields = prepared.model, prepared.records, prepared.key_fields
    defaults, columns, moment = prepared.defaults, prepared.columns, prepared.moment
    result = StoreResult()
    stored = _existing(model, records, key_fields, prepared.names - set(key_fields))
    new: list[dict[str, Any]] = []
    changed: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for index, record in enumerate(records):
        current = stored.get(_key(record, key_fields))
        if current is None:
            new.append(record)
            result.statuses[index] = "created"
            continue
        differing = frozenset(
            name for name in record if name not in key_fields and record[name] != current[name]
        )
        if not differing:
            result.unchanged += 1
            result.statuses[index] = "unchanged"
            continue
        changed[differing].append(record)
        result.statuses[index] = "updated"

    def full(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # The insert half of an upsert must be a complete row even when only the update
        # half will apply; created_at is then left as stored.
        return [{**defaults, **row, "created_at": moment, "updated_at": moment} for row in rows]

    if new:
        _write(model, full(new), columns, key_fields=key_fields)
        result.created = len(new)
    for differing, rows in changed.items():
        _write(
            model,
            full(rows),
            columns,
            key_fields=key_fields,
            update=[*sorted(differing), "updated_at"],
        )
        result.updated += len(rows)
    return result

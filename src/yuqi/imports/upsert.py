"""Insert new rows and update changed ones in bulk; leave identical rows untouched.

Comparing with what is stored first is what makes a re-import report "unchanged" honestly and
write nothing, rather than rewriting every row. The writes are plain parameterised multi-row
``INSERT … VALUES (…), (…) ON CONFLICT … DO UPDATE`` statements (SQLite ≥ 3.24 and PostgreSQL
both accept them), a few hundred rows per statement: compiling the ORM's ``bulk_create`` cost
several times more than the database's own work, and one statement per row (``executemany``)
paid a round trip per row on PostgreSQL (bench/import_bench.py). On PostgreSQL the rows go
through ``COPY`` into a temporary table first, which binds no parameters at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.db import connection, models, transaction

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
    if connection.vendor == "postgresql":
        _write_by_copy(meta.db_table, rows, names, [f.column for f in fields], conflict)
        return
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


def _write_by_copy(
    table: str,
    rows: Sequence[dict[str, Any]],
    names: Sequence[str],
    columns: Sequence[str],
    conflict: str,
) -> None:
    quote = connection.ops.quote_name
    staging = quote(f"_upsert_{table}")
    column_list = ", ".join(quote(column) for column in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        # Same column types as the table, no constraints: checks happen on the real insert.
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
            f"SELECT {column_list} FROM {quote(table)} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {staging} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row.get(name) for name in names])
        cursor.execute(
            f"INSERT INTO {quote(table)} ({column_list}) "
            f"SELECT {column_list} FROM {staging}{conflict}"
        )


def _defaults(model: type[models.Model], names: set[str]) -> dict[str, Any]:
    """Model defaults for the columns a record leaves out (the ORM would fill them in)."""
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in names:
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


def upsert(
    model: type[models.Model], records: Sequence[dict[str, Any]], *, key_fields: Sequence[str]
) -> StoreResult:
    result = StoreResult()
    if not records:
        return result
    names = {name for record in records for name in record}
    stored = _existing(model, records, key_fields, names - set(key_fields))
    moment = now()
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
    defaults = _defaults(model, names)
    columns = sorted({*names, *defaults, "created_at", "updated_at"})

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

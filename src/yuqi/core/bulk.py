"""Writing many rows fast, with their audit rows (set-based jobs: the SLA sweep, batched
messages).

:func:`insert_objects` writes unsaved model instances and sets their ids without Django's
per-value SQL compilation (which costs several times the database's own work on thousands
of rows): on PostgreSQL the ids are taken from the table's sequence in one query and the rows
are sent with ``COPY``; on SQLite by multi-row ``INSERT … RETURNING id`` (SQLite ≥ 3.35).
Like ``bulk_create`` it sends no signals and calls no ``save()``.

So django-auditlog writes nothing for them: :func:`audit_created` writes one "create" entry
per object, in the shape auditlog gives its own entries (``{"field": ["None", "value"]}``,
masked fields masked the same way, the correlation id and the current actor), in bulk too.

:func:`unsaved` builds such an instance without ``Model.__init__`` (and its ``pre_init`` /
``post_init`` signals, a large part of the Python cost of thousands of rows), and
:func:`ids_condition` selects thousands of rows by id in one bound array on PostgreSQL (not
thousands of placeholders for Django and the driver to compile).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from json.encoder import encode_basestring_ascii
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.backends.signals import connection_created
from django.db.models import NOT_PROVIDED, signals
from django.db.models.base import ModelState
from django.utils.encoding import smart_str

BATCH = 2000
#: ``maintenance_work_mem`` for the index builds at the end of a bulk load (PostgreSQL).
BULK_MAINTENANCE_MEMORY = "256MB"
#: Bound parameters per SQLite statement (its historical limit).
SQLITE_PARAMS = 999


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a set-based job builds its rows.

    Tens of thousands of rows, each a few containers, held until they are written, push
    the collector into full collections of the whole heap (several hundred milliseconds
    each in a worker that has loaded Django); reference counting still frees everything
    that is not in a cycle. The collector is resumed (if it was running) on the way out."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: The plain (not unique) indexes of a table with the statement that makes each again.
_PLAIN_INDEXES = {
    "sqlite": (
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'"
    ),
    "postgresql": (
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND schemaname = current_schema() AND indexdef NOT LIKE 'CREATE UNIQUE%%'"
    ),
}


#: Connection settings for building a fresh embedded database in one go (the demo): no
#: ``fsync`` and a 256 MB page cache. ``synchronous`` and ``cache_size`` last as long as the
#: connection; the data written and the file left are the same (see :func:`sqlite_build_mode`).
SQLITE_BUILD_PRAGMAS = ("PRAGMA synchronous=OFF", "PRAGMA cache_size=-262144")


@contextmanager
def sqlite_build_mode() -> Iterator[None]:
    """Write a fresh SQLite database without waiting for the disk: ``synchronous=OFF`` (no
    ``fsync`` at each checkpoint) and a large page cache on this process's connection for the
    block, back to the settings' ``synchronous=NORMAL`` and SQLite's default cache after it,
    with the write-ahead log checkpointed so the file holds every page. A crash during the block
    may leave a damaged file: only for databases that are rebuilt from scratch when their build
    fails (the demo's). Nothing on other databases, nor inside a transaction (where SQLite
    refuses to change ``synchronous``: a test's, say)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return

    def apply(cursor: Any) -> None:
        for pragma in SQLITE_BUILD_PRAGMAS:
            cursor.execute(pragma)

    def on_connect(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                apply(cursor)

    connection.ensure_connection()
    with connection.cursor() as cursor:
        apply(cursor)
    connection_created.connect(on_connect)
    try:
        yield
    finally:
        connection_created.disconnect(on_connect)
        if connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA cache_size=-2000")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@contextmanager
def indexes_deferred(model: type[models.Model]) -> Iterator[None]:
    """Drop the table's plain indexes for a bulk load and build them again after it.

    Building an index once over the loaded rows costs a fraction of keeping it up to date row
    by row (a million contacts into a table with nine secondary indexes: about a third of the
    insert time on SQLite). Unique indexes and the primary key stay, so the load is checked
    as before. For loads into an empty or small table (the demo build); the indexes are made
    again even when the load fails."""
    query = _PLAIN_INDEXES.get(connection.vendor)
    if query is None:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(query, [model._meta.db_table])
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # An index cannot be made while deferred foreign-key checks are pending:
                # run them now, then defer again as Django's constraints are declared.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for _name, sql in indexes:
                cursor.execute(sql)


@contextmanager
def bulk_load_mode(model: type[models.Model], *, when: bool = True) -> Iterator[None]:
    """Load into ``model``'s table without its plain indexes and foreign keys (PostgreSQL),
    inside the caller's transaction: on entry the plain (non-unique) indexes and the table's
    foreign-key constraints are dropped; on a normal exit the indexes are built again once
    over all rows and each constraint is added back ``NOT VALID`` and then validated by one
    set-based ``VALIDATE CONSTRAINT`` (instead of one trigger call per inserted row). On an
    error nothing is rebuilt here: the transaction's rollback restores the table, indexes and
    constraints as they were. Unique indexes and the primary key stay. The dropped indexes
    hold an exclusive lock on the table until the transaction ends (docs/adr)."""
    if not when or connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load_mode needs a transaction to restore the table on error")
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_PLAIN_INDEXES["postgresql"], [model._meta.db_table])
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [model._meta.db_table],
        )
        constraints = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        # Checks still pending on this table (e.g. its unique key's) run first: a table with
        # pending trigger events cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Each index's sort in memory rather than in runs on disk (64 MB by default; a
        # million contacts' (queue, time) keys: 12-18 % quicker builds with 256 MB, measured
        # in docs/scale.md). For this transaction only.
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{BULK_MAINTENANCE_MEMORY}'")
        for _name, sql in indexes:
            cursor.execute(sql)
        for name, definition in constraints:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition} NOT VALID"
            )
        for name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {quote(name)}")


def unsaved[M: models.Model](model: type[M], values: dict[str, Any]) -> M:
    """An unsaved instance of ``model`` with these attribute values (field attnames) and every
    other concrete field at its default, built without ``Model.__init__``: no field
    conversion and no ``pre_init``/``post_init`` signals (it falls back to the normal
    constructor when a receiver listens to them for this model). For :func:`insert_objects`
    of rows built in bulk from known-good values."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return model(**values)
    obj = model.__new__(model)
    state = obj.__dict__
    for name, default, call in _defaults(model):
        if name not in values:
            state[name] = default() if call else default
    state.update(values)
    state["_state"] = ModelState()
    return obj


def unsaved_many[M: models.Model](model: type[M], rows: Iterable[dict[str, Any]]) -> list[M]:
    """:func:`unsaved` for many instances of one model: the signal receivers are looked up
    once for the batch, not twice per instance."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return [model(**values) for values in rows]
    defaults = _defaults(model)
    fixed = {name: default for name, default, call in defaults if not call}
    called = [(name, default) for name, default, call in defaults if call]
    made = []
    new = model.__new__
    for values in rows:
        obj = new(model)
        state = obj.__dict__
        state.update(fixed)
        for name, default in called:
            if name not in values:
                state[name] = default()
        state.update(values)
        state["_state"] = ModelState()
        made.append(obj)
    return made


_DEFAULTS: dict[type, list[tuple[str, Any, bool]]] = {}


def _defaults(model: type[models.Model]) -> list[tuple[str, Any, bool]]:
    """(attname, default, whether to call it) per concrete field, cached per model."""
    if model not in _DEFAULTS:
        found = []
        for f in model._meta.concrete_fields:
            if f.default is not NOT_PROVIDED:
                found.append((f.attname, f.default, callable(f.default)))
            else:  # None for nullable fields and the primary key, "" for text
                found.append((f.attname, f.get_default(), False))
        _DEFAULTS[model] = found
    return _DEFAULTS[model]


def ids_condition(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """SQL selecting rows whose ``column`` (quoted by the caller) is one of ``ids``: one
    array parameter on PostgreSQL, a list of placeholders elsewhere (SQLite takes up to
    32,766 bound parameters since 3.32: keep ``ids`` in batches of a few thousand)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [id_array(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def id_array(ids: Iterable[int]) -> str:
    """Integer ids as the text of a PostgreSQL array (``{1,2,3}``), for a parameter cast with
    ``::bigint[]``: made by ``str.join`` rather than by the driver's list adapter, which
    dumps a list element by element in Python (about four times as long for 5,000 ids)."""
    return "{" + ",".join(map(str, map(int, ids))) + "}"


def insert_objects[M: models.Model](objects: Sequence[M]) -> list[M]:
    """Insert unsaved instances of one model (all concrete fields but an auto primary key)
    and set their primary keys; returns them."""
    if not objects:
        return []
    model = type(objects[0])
    pk = model._meta.pk
    assert pk is not None
    names = [f.attname for f in model._meta.concrete_fields if f is not pk]
    values = attrgetter(*names)  # one call per object, a tuple in the order of ``names``
    rows = [values(obj) for obj in objects] if len(names) > 1 else [(values(o),) for o in objects]
    ids = insert_rows(model, names, rows)
    for obj, new_id in zip(objects, ids, strict=True):
        setattr(obj, pk.attname, new_id)
        obj._state.adding = False
        obj._state.db = connection.alias
    return list(objects)


#: Field classes whose value of exactly the Python type the field stores goes to the driver
#: as it is (``get_db_prep_save`` gives the value back unchanged); any other value, and every
#: other field class, goes through the field's own ``get_db_prep_save``.
_PLAIN_TYPES: dict[type[models.Field], type] = {
    models.CharField: str,
    models.TextField: str,
    models.EmailField: str,
    models.SlugField: str,
    models.URLField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.FloatField: float,
    models.BooleanField: bool,
}


def _save_adapter(field: models.Field) -> Callable[[Any], Any]:
    """A value → what ``bulk_create`` sends for it (``field.get_db_prep_save``), with the
    common values passed through without the field's Python calls."""
    plain: type | None
    if field.is_relation:
        target = field.target_field  # type: ignore[attr-defined]
        plain = int if isinstance(target, models.AutoField | models.BigAutoField) else None
    else:
        plain = _PLAIN_TYPES.get(type(field))
    kind = field.get_internal_type()
    fast = (
        _adapter(field, copy=connection.vendor == "postgresql")
        if kind in ("DateTimeField", "JSONField") and not field.is_relation
        else None
    )
    prep = field.get_db_prep_save

    def adapt(value: Any) -> Any:
        if value is None:
            return None
        if plain is not None and type(value) is plain:
            return value
        if fast is not None:
            return fast(value)
        return prep(value, connection)

    return adapt


def insert_created[M: models.Model](objects: Sequence[M], *, batch_size: int = BATCH) -> list[M]:
    """``Model.objects.bulk_create(objects)`` of new instances of one model (auto primary key
    unset), the same rows and ids, without its per-value SQL compilation: each object's related
    fields prepared and each field's ``pre_save(add=True)`` run as ``bulk_create`` runs them
    (the ``auto_now`` stamps, a related object saved since it was assigned), the values sent as
    ``get_db_prep_save`` gives them; the ids set on the objects. Sends no signals, as
    ``bulk_create``; the table's custom manager's ``bulk_create`` is not called."""
    if not objects:
        return []
    model = type(objects[0])
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if f is not pk]
    # (field, adapter, whether its pre_save is its own: the auto_now stamps, files)
    plan = [(f, _save_adapter(f), type(f).pre_save is not models.Field.pre_save) for f in fields]
    names = [f.attname for f in fields]
    for start in range(0, len(objects), batch_size):
        chunk = objects[start : start + batch_size]
        rows = []
        for obj in chunk:
            if getattr(obj, pk.attname) is not None:
                raise ValueError("insert_created writes new objects only (primary key unset)")
            obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
            rows.append(
                [
                    adapt(field.pre_save(obj, True) if own else getattr(obj, field.attname))
                    for field, adapt, own in plan
                ]
            )
        ids = insert_rows(model, names, rows, prepared=names)
        for obj, new_id in zip(chunk, ids, strict=True):
            setattr(obj, pk.attname, new_id)
            obj._state.adding = False
            obj._state.db = connection.alias
    return list(objects)


def insert_values(
    model: type[models.Model], values: Sequence[dict[str, Any]], *, at: dt.datetime | None = None
) -> int:
    """Insert new rows given as ``{attname: value}`` (all concrete fields but an auto primary
    key; a missing field takes its default, ``auto_now``/``auto_now_add`` fields ``at`` or now)
    without building model instances or fetching ids, as ``bulk_create`` would write them
    but without its per-value SQL compilation. Returns how many rows were written."""
    if not values:
        return 0
    from yuqi.core.clock import now

    stamp = at or now()
    pk = model._meta.pk
    fill: list[tuple[str, Any, bool]] = []
    for f in model._meta.concrete_fields:
        if f is pk:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fill.append((f.attname, stamp, False))
        elif f.default is not NOT_PROVIDED:
            fill.append((f.attname, f.default, callable(f.default)))
        else:
            fill.append((f.attname, f.get_default(), False))
    names = [name for name, _default, _call in fill]
    rows = [
        [
            row[name] if name in row else (default() if call else default)
            for name, default, call in fill
        ]
        for row in values
    ]
    insert_rows(model, names, rows, returning=False)
    return len(rows)


def insert_tuples(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    at: dt.datetime | None = None,
    prepared: Collection[str] = (),
) -> int:
    """:func:`insert_values` for rows given as value sequences in the order of the attnames
    ``names``: every other concrete field (but an auto primary key) takes the value
    :func:`insert_values` would give it, worked out once for the batch (and converted for the
    driver once) and appended to each row, rather than looked up field by field in every
    row's dict. ``prepared``: attnames among ``names`` whose values are already what the
    driver takes (e.g. from :func:`seconds_adapter`), left as they are. Returns the rows
    written."""
    if not rows:
        return 0
    from yuqi.core.clock import now

    stamp = at or now()
    pk = model._meta.pk
    given = set(names)
    tail_names: list[str] = []
    tail: list[Any] = []
    calls: list[tuple[int, Any]] = []
    done = set(prepared)
    for f in model._meta.concrete_fields:
        if f is pk or f.attname in given:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value: Any = stamp
        elif f.default is not NOT_PROVIDED:
            value = f.default
            if callable(value):
                calls.append((len(names) + len(tail), value))
        else:
            value = f.get_default()
        if not callable(value):  # one value for every row: converted once, here
            adapt = _adapter(f)
            if adapt is not None and value is not None:
                value = adapt(value)
            done.add(f.attname)
        tail_names.append(f.attname)
        tail.append(value)
    full = [[*row, *tail] for row in rows]
    for index, default in calls:  # a callable default: a value of its own per row
        for row in full:
            row[index] = default()
    insert_rows(model, [*names, *tail_names], full, returning=False, prepared=done)
    return len(full)


def seconds_adapter(start: dt.datetime) -> Callable[[int | None], Any]:
    """For whole seconds ``n`` (or None): what :func:`insert_rows` sends the driver for the
    aware datetime ``start + timedelta(seconds=n)`` (wall-clock arithmetic, as ``+`` on an
    aware datetime), for a ``DateTimeField`` passed in ``prepared``.

    On SQLite with the connection in UTC that is the naive UTC text, made here from a table
    of the day's 86,400 times and one date text per day instead of a datetime, a zone
    conversion and ``isoformat`` per value (a million contacts carry three each); a local
    day whose UTC offset changes (a daylight-saving day) takes the datetime path."""
    if start.tzinfo is None:
        raise ValueError("seconds_adapter needs an aware datetime")
    field = models.DateTimeField()
    adapt = _adapter(field)
    if adapt is not _sqlite_utc_text or start.microsecond:

        def slow(n: int | None) -> Any:
            return None if n is None else adapt(start + dt.timedelta(seconds=n))

        return slow
    day = 86_400
    clock = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
    epoch = dt.date(1970, 1, 1)
    dates: dict[int, str] = {}
    bases: dict[int, int | None] = {}  # local day → its start in UTC seconds (None: slow)

    def base_of(k: int) -> int | None:
        begin = start + dt.timedelta(days=k)
        end = begin + dt.timedelta(days=1)
        if begin.utcoffset() != end.utcoffset() or begin.dst() != end.dst():
            return None
        offset = begin.utcoffset()
        assert offset is not None
        naive = begin.replace(tzinfo=None) - offset
        return (
            (naive.date() - epoch).days * day
            + naive.hour * 3600
            + naive.minute * 60
            + (naive.second)
        )

    def text(n: int | None) -> str | None:
        if n is None:
            return None
        k = n // day
        try:
            base = bases[k]
        except KeyError:
            base = bases[k] = base_of(k)
        if base is None:
            return _sqlite_utc_text(start + dt.timedelta(seconds=n))
        u = base + n - k * day
        d = u // day
        try:
            prefix = dates[d]
        except KeyError:
            prefix = dates[d] = (epoch + dt.timedelta(days=d)).isoformat() + " "
        return prefix + clock[u - d * day]

    return text


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: bool = True,
    prepared: Collection[str] = (),
) -> list[int]:
    """Insert ``rows`` (values in the order of the field attnames ``names``; the other
    columns must have database defaults or be nullable) and return their new ids in order
    (``returning=False``: the database numbers them and nothing is returned, one query and
    the id traffic fewer). ``prepared``: attnames whose values are already the driver's."""
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    pk_column = str(pk.column)
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in names]
    # on PostgreSQL every insert here is a ``COPY`` (JSON goes as its text)
    copy = connection.vendor == "postgresql"
    adapters = [
        (i, a)
        for i, a in enumerate(
            None if name in prepared else _adapter(f, copy=copy)
            for name, f in zip(names, fields, strict=True)
        )
        if a is not None
    ]
    if adapters:
        rows = _adapted(rows, adapters)
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    # One transaction for the batch: outside one, SQLite commits every row of ``executemany``
    # on its own (a write to the log per row, several times the insert itself).
    with transaction.atomic(savepoint=False):
        return _insert(meta.db_table, table, columns, pk_column, rows, returning=returning)


def upsert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    unique: Sequence[str],
    update: Sequence[str],
) -> int:
    """Insert ``rows`` (as :func:`insert_rows`, without ids) or, where a row with the same
    ``unique`` attnames exists, set its ``update`` attnames: ``bulk_create(update_conflicts=
    True)`` without building model instances or compiling the SQL value by value (one
    prepared ``INSERT … ON CONFLICT … DO UPDATE`` run for every row; SQLite and PostgreSQL
    spell it alike). Returns how many rows were sent."""
    if not rows:
        return 0
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in names]
    adapters = [(i, a) for i, a in enumerate(_adapter(f, copy=False) for f in fields) if a]
    if adapters:
        rows = _adapted(rows, adapters)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    conflict = ", ".join(quote(str(by_attname[name].column)) for name in unique)
    assignments = ", ".join(
        f"{quote(str(by_attname[name].column))} = EXCLUDED.{quote(str(by_attname[name].column))}"
        for name in update
    )
    marks = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {assignments}"
    )
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def _insert(
    db_table: str,
    table: str,
    columns: str,
    pk_column: str,
    rows: Sequence[Sequence[Any]],
    *,
    returning: bool,
) -> list[int]:
    if connection.vendor == "postgresql":
        if not returning:
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return []
        return _copy_rows(db_table, columns, pk_column, rows)
    return _insert_returning(table, columns, pk_column, rows, returning=returning)


def _adapted(rows: Sequence[Sequence[Any]], adapters: list[tuple[int, Any]]) -> list[list[Any]]:
    """Copies of ``rows`` with the values of the adapted columns (index, adapter) converted.

    Every adapter takes None to None, so None is left as it is; a value that is the very
    object the row before held (a default or the ``auto_now`` stamp ``insert_values`` puts in
    every row) is converted once."""
    out = [list(row) for row in rows]
    for index, adapt in adapters:
        last: Any = None
        converted: Any = None
        for row in out:
            value = row[index]
            if value is None:
                continue
            if value is not last:
                last, converted = value, adapt(value)
            row[index] = converted
    return out


class JsonText(str):
    """A value already encoded as JSON text, for a ``JSONField`` column of :func:`insert_rows`
    and :func:`upsert_rows`: written as it is (encoded as the field's encoder would)."""

    __slots__ = ()


def driver_adapter(field: Any) -> Any:
    """What :func:`insert_rows` makes of a value of ``field`` for the driver, as a function
    (None: the value as it is), for a caller that prepares a column itself (``prepared``)."""
    return _adapter(field, copy=connection.vendor == "postgresql")


def _adapter(field: Any, *, copy: bool = False) -> Any:
    """Python value → what the driver takes for this column (None: as it is). ``copy``: the
    rows go by PostgreSQL's ``COPY``, which takes a JSON column as its text."""
    kind = field.get_internal_type()
    ops = connection.ops
    if kind == "DateTimeField":  # aware datetimes (UTC text on SQLite)
        if connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone_name == "UTC":
            return _sqlite_utc_text
        if copy:  # ISO 8601 text, made once for a batch's shared time (the driver: per row)
            return _iso_text
        return ops.adapt_datetimefield_value
    if kind == "JSONField":
        return _json_adapter(field.encoder, text=copy or connection.vendor != "postgresql")
    if kind in ("DateField", "DecimalField", "TimeField"):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _json_adapter(encoder: type[json.JSONEncoder] | None, *, text: bool) -> Any:
    """A ``JSONField`` value → its JSON text as ``json.dumps(value, cls=encoder)`` writes it
    (Django's own encoding; one encoder for the batch, not one per value) when ``text``, else
    as Django's PostgreSQL backend adapts it; :class:`JsonText` as it is; None stays None."""
    ops = connection.ops
    encode = json.JSONEncoder().encode if encoder is None else encoder().encode
    if text:
        return lambda value: (
            None if value is None else str(value) if type(value) is JsonText else encode(value)
        )

    def adapt(value: Any) -> Any:
        if type(value) is JsonText:
            from psycopg.types.json import Jsonb

            return Jsonb(value, dumps=str)
        return None if value is None else ops.adapt_json_value(value, encoder)

    return adapt


def _iso_text(value: dt.datetime) -> Any:
    """A datetime as ISO 8601 text with its offset, which PostgreSQL reads whatever its
    ``DateStyle`` (an expression is left to the driver)."""
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _sqlite_utc_text(value: dt.datetime | None) -> str | None:
    """What Django's SQLite backend stores for a datetime when the connection's zone is UTC
    (naive UTC text), without its per-value settings and zone look-ups."""
    if value is None:
        return None
    if value.tzinfo is not None:  # "… +00:00" without its offset: str() of the naive value
        return value.astimezone(dt.UTC).isoformat(" ")[:-6]
    return str(value)


def _copy_rows(
    db_table: str, columns: str, pk_column: str, rows: Sequence[Sequence[Any]]
) -> list[int]:
    table = connection.ops.quote_name(db_table)
    with connection.cursor() as cursor:
        # The sequence looked up once (an InitPlan), not per row: ``pg_get_serial_sequence``
        # in the select list is run again for every row, with its text cast to a regclass
        # (10,000 ids: ~85 ms of backend CPU against ~8).
        cursor.execute(
            "SELECT nextval((SELECT pg_get_serial_sequence(%s, %s)::regclass))"
            " FROM generate_series(1, %s)",
            [db_table, pk_column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        quoted_pk = connection.ops.quote_name(pk_column)
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY {table} ({quoted_pk}, {columns}) FROM STDIN") as copy:
            for new_id, row in zip(ids, rows, strict=True):
                copy.write_row([new_id, *row])
    return ids


def _insert_returning(
    table: str,
    columns: str,
    pk_column: str,
    rows: Sequence[Sequence[Any]],
    *,
    returning: bool = True,
) -> list[int]:
    width = len(rows[0])
    per = max(1, SQLITE_PARAMS // width)
    one = "(" + ", ".join(["%s"] * width) + ")"
    ids: list[int] = []
    if not returning:  # one prepared statement run for every row (the driver's own loop)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {one}", rows)
        return ids
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            back = f" RETURNING {connection.ops.quote_name(pk_column)}" if returning else ""
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))}{back}",
                [value for row in chunk for value in row],
            )
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
    return ids


def _actor_id() -> Any:
    from auditlog.context import auditlog_value

    try:
        actor = auditlog_value.get().get("actor")
    except LookupError:
        return None
    return getattr(actor, "pk", None)


def _mask(value: str) -> str:
    from auditlog.diff import mask_str

    return mask_str(value)


def audit_created(
    objects: Sequence[models.Model],
    *,
    fields: Sequence[str],
    at: dt.datetime,
    masked: Sequence[str] = (),
) -> int:
    """Write one auditlog "create" entry per object (all of one model); returns how many.

    ``fields`` are the attribute names recorded in ``changes``; those in ``masked`` are
    masked as auditlog's ``mask_fields`` does. The objects must have their primary keys.

    ``changes`` is written as its JSON text, the very text ``json.dumps`` gives auditlog's
    dict (``{"field": ["None", "value"], …}``): the field names are fixed for the batch, so
    the text is one template per batch with each value put in by ``json``'s own string
    encoder (escaped as ``json.dumps`` escapes it), not a dict built and encoded per row.
    """
    if not objects:
        return 0
    from auditlog import get_logentry_model
    from auditlog.cid import get_cid
    from django.contrib.contenttypes.models import ContentType

    log_entry = get_logentry_model()
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    cid, actor_id = get_cid(), _actor_id()
    create = log_entry.Action.CREATE
    template = (
        "{"
        + ", ".join(
            encode_basestring_ascii(name).replace("%", "%%") + ': ["None", %s]' for name in fields
        )
        + "}"
    )
    texts = [_texts(objects, name, masked=name in masked) for name in fields]
    per_row = list(zip(*texts, strict=True)) if texts else [()] * len(objects)
    rows = []
    for obj, values in zip(objects, per_row, strict=True):
        pk = obj.pk
        rows.append(
            [content_type.pk, str(pk), pk if isinstance(pk, int) else None, smart_str(obj),
             create, JsonText(template % values), "", actor_id, cid, at]
        )  # fmt: skip
    names = ["content_type_id", "object_pk", "object_id", "object_repr", "action", "changes",
             "changes_text", "actor_id", "cid", "timestamp"]  # fmt: skip
    insert_rows(log_entry, names, rows, returning=False)
    return len(rows)


def _texts(objects: Sequence[models.Model], name: str, *, masked: bool) -> list[str]:
    """The JSON text of each object's ``name`` as auditlog records a value (its text, "None"
    for None, masked if ``masked`` and the value is not empty); a value that is the very object
    the row before held (a batch's shared time) is converted once."""
    get = attrgetter(name)
    out = []
    last: Any = _UNSET
    encoded = ""
    for obj in objects:
        value = get(obj)
        if value is last:
            out.append(encoded)
            continue
        text = value if type(value) is str else "None" if value is None else smart_str(value)
        if masked and value:
            text = _mask(text)
        last, encoded = value, encode_basestring_ascii(text)
        out.append(encoded)
    return out


_UNSET = object()

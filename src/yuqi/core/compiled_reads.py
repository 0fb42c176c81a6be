"""Reads whose SQL the ORM builds and compiles once per process, then runs with new values.

On the busiest pages, building a queryset (its clones) and compiling it to SQL costs more
Python than running the statement: about a third of the customer 360's open-complaints panel,
half of the clocks' read on every page with clocks. A :class:`CompiledRead` has the ORM build
and compile the read once per database, language and *shape* (the arguments that change the
SQL: a filter present or not, how many ids), with stand-in values ("probes") where the
per-request values go, then runs that SQL with the request's values in the probes' places and
converts the rows with the compiler's own converters: the same SQL, parameters, rows and
Python values as the ORM's read.

It refuses, and the read goes through the ORM every time, where it cannot be sure of that:

* the read is compiled twice, with two different sets of probes, and the SQL must be equal and
  the parameters differ exactly where a probe was put (a value *derived* from a slot, such as
  ``moment - timedelta(days=7)``, would differ elsewhere, so the read is not kept);
* the builder may not query the database (a value read from the data would be frozen in);
* ``rows()`` keeps ``values()`` and ``values_list()`` reads, ``objects()`` model instances
  (with ``select_related``, ``only()``/``defer()`` and annotations); neither keeps a
  prefetch, or a read built from a related manager (its known objects belong to one request).

``objects()`` runs the kept statement through a copy of the compiler that made it, so Django's
own ``ModelIterable`` makes the instances: the same fields, deferred fields, related objects
and annotations as the ORM's read.

The builder takes the shape's arguments positionally and the slots' values by name, and must
depend on nothing else (the language is part of the key all the same).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import F, Field, Func, IntegerField, Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, ValuesListIterable
from django.utils import translation

__all__ = ["CompiledFirstAndTotal", "CompiledRead", "counted"]

#: A list-valued slot longer than this is read through the ORM (one statement per length).
MOST_ITEMS = 100


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    #: (slot name, item index or None for a single value, parameter positions)
    places: tuple[tuple[str, int | None, tuple[int, ...]], ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]
    #: for ``objects()``: the compiler that made the statement (its select, related objects
    #: and annotations), and the queryset's fetch mode
    compiler: Any = None
    fetch_mode: Any = None
    composite: bool = False  # a composite key among the columns (Django's ColPairs)


@dataclass(frozen=True)
class _Attempt:
    """One compilation with one set of probes."""

    sql: str
    params: tuple[Any, ...]
    places: tuple[tuple[str, int | None, tuple[int, ...]], ...]
    compiler: Any
    kind: type
    fetch_mode: Any


class _QueriedWhileBuilding(Exception):
    pass


def _refuse_queries(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    raise _QueriedWhileBuilding(sql)


def _probe(field: Field, series: int, item: int) -> Any:
    """A stand-in value no real row holds, different for every slot, item and series."""
    kind = getattr(field, "target_field", field).get_internal_type()
    serial = series * 10_000 + item
    if kind == "DateTimeField":
        return dt.datetime(1971, 3, 5, 7, 9, 11, tzinfo=dt.UTC) + dt.timedelta(microseconds=serial)
    if kind == "DateField":
        return dt.date(1901, 1, 1) + dt.timedelta(days=serial)
    if kind in {"CharField", "TextField", "SlugField"}:
        return f"\x1fprobe-{serial}"
    return _INTEGER_PROBES.get(kind, _INTEGER_PROBES["BigIntegerField"])(serial)


#: An integer stand-in inside the column's range (Django compiles a value outside it to no
#: statement at all), and far from the values real rows hold. Two stand-ins that happen to be
#: equal are found out by the comparison of the two compilations (the read is then refused).
_INTEGER_PROBES: dict[str, Callable[[int], int]] = {
    "BigIntegerField": lambda serial: -7_340_000_000 - serial,
    "BigAutoField": lambda serial: -7_340_000_000 - serial,
    "PositiveBigIntegerField": lambda serial: 7_340_000_000 + serial,
    "IntegerField": lambda serial: -2_000_000_000 - serial,
    "AutoField": lambda serial: -2_000_000_000 - serial,
    "PositiveIntegerField": lambda serial: 2_000_000_000 + serial,
    "SmallIntegerField": lambda serial: -32_000 + serial % 30_011,
    "SmallAutoField": lambda serial: -32_000 + serial % 30_011,
    "PositiveSmallIntegerField": lambda serial: 32_000 - serial % 30_011,
}


class CompiledRead:
    """``CompiledRead(build, model=..., slot=field, ...)``: ``rows(*shape, slot=value, ...)``
    answers what ``list(build(*shape, slot=value, ...))`` would, compiling once per shape.

    ``model`` chooses the database (``router.db_for_read``): a model class, or its
    ``"app_label.ModelName"`` for one not loaded at import (the user). Each slot names the
    model field whose column the value is compared with (it prepares the value for the
    database). A slot may take a list of values (an ``__in`` filter): the statement is kept per
    list length.
    """

    def __init__(
        self, build: Callable[..., QuerySet[Any]], *, model: type[Model] | str, **slots: Field
    ) -> None:
        self.build = build
        self.model = model
        self.slots = slots
        self._kept: dict[Hashable, _Compiled | None] = {}

    def rows(self, *shape: Hashable, **values: Any) -> list[Any]:
        """The read's rows: dicts for a ``values()`` read, tuples for ``values_list()``."""
        found = self._kept_for(_ROWS, shape, values)
        if found is None:
            return list(self.build(*shape, **values).using(self._alias()))
        compiled, connection = found
        return self._run(compiled, connection, values)

    def objects(self, *shape: Hashable, **values: Any) -> list[Any]:
        """The read's model instances, as ``list(build(*shape, **values))``."""
        found = self._kept_for(_OBJECTS, shape, values)
        if found is None:
            return list(self.build(*shape, **values).using(self._alias()))
        compiled, connection = found
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, self._params(compiled, connection, values))
            fetched = cursor.fetchall()
        if not fetched:  # no instances to make (a panel with nothing to show): no iterable set up
            return []
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection  # this thread's connection, not the compiling one's
        # the rows fetched above, converted by the converters found when compiling (as rows()
        # converts them), not looked up again per read
        compiler.execute_sql = lambda *args, **kwargs: [fetched]
        converters = {p: (list(c), e) for p, c, e in compiled.converters}
        compiler.get_converters = lambda expressions: converters
        composite = compiled.composite
        compiler.has_composite_fields = lambda expressions: composite
        return list(ModelIterable(_KeptQuerySet(compiler, compiled.fetch_mode)))  # type: ignore[arg-type]

    def _alias(self) -> str:
        if isinstance(self.model, str):
            self.model = apps.get_model(self.model)
        if not router.routers:  # no router configured: the default database, as Django's
            return DEFAULT_DB_ALIAS
        return router.db_for_read(self.model)

    def _kept_for(
        self, kinds: tuple[type, ...], shape: tuple[Hashable, ...], values: dict[str, Any]
    ) -> tuple[_Compiled, Any] | None:
        """The kept statement for this shape and its connection, or None for the ORM's way."""
        alias = self._alias()
        lengths: list[int | None] = []
        for name in self.slots:
            value = values[name]
            if value is None:  # NULL compiles to IS NULL: the ORM's way
                return None
            if _is_list(value):
                if not 0 < len(value) <= MOST_ITEMS:  # an empty list is no statement
                    return None
                lengths.append(len(value))
            else:
                lengths.append(None)
        connection = connections[alias]
        key = (alias, connection.vendor, translation.get_language(), shape, tuple(lengths))
        if key not in self._kept:
            self._kept[key] = self._compile(alias, shape, values, kinds)
        compiled = self._kept[key]
        return None if compiled is None else (compiled, connection)

    def kept(self) -> dict[Hashable, bool]:
        """The shapes compiled so far: True where the statement is kept, False where refused."""
        return {key: compiled is not None for key, compiled in self._kept.items()}

    def forget(self) -> None:
        """Compile again on the next read (tests; a new database)."""
        self._kept.clear()

    def _params(self, compiled: _Compiled, connection: Any, values: dict[str, Any]) -> list[Any]:
        """The kept parameters with the request's values in the probes' places."""
        params = list(compiled.params)
        for name, item, positions in compiled.places:
            value = values[name] if item is None else values[name][item]
            prepared = self.slots[name].get_db_prep_value(value, connection)
            for position in positions:
                params[position] = prepared
        return params

    def _run(self, compiled: _Compiled, connection: Any, values: dict[str, Any]) -> list[Any]:
        params = self._params(compiled, connection, values)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        rows = []
        for fetched in found:
            row = list(fetched)
            for position, converters, expression in compiled.converters:
                value = row[position]
                for convert in converters:
                    value = convert(value, expression, connection)
                row[position] = value
            rows.append(
                dict(zip(compiled.names, row, strict=True)) if compiled.names else tuple(row)
            )
        return rows

    def _compile(
        self,
        alias: str,
        shape: tuple[Hashable, ...],
        values: dict[str, Any],
        kinds: tuple[type, ...],
    ) -> _Compiled | None:
        connection = connections[alias]
        try:
            with connection.execute_wrapper(_refuse_queries):
                first = self._compile_with(alias, shape, values, kinds, series=1)
                second = self._compile_with(alias, shape, values, kinds, series=2)
        except (_QueriedWhileBuilding, EmptyResultSet, FullResultSet):
            # a read of the data while building; a stand-in Django found cannot match (or
            # always matches): not kept, the ORM's read each time
            return None
        if first.sql != second.sql or len(first.params) != len(second.params):
            return None
        places = first.places
        placed = [position for _name, _item, positions in places for position in positions]
        if len(placed) != len(set(placed)) or any(not positions for *_, positions in places):
            return None
        pairs = zip(first.params, second.params, strict=True)
        differing = {i for i, (one, other) in enumerate(pairs) if one != other}
        if differing != set(placed) or [p for *_, p in places] != [p for *_, p in second.places]:
            return None
        compiler = first.compiler
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        names: tuple[str, ...] = ()
        if first.kind is ValuesIterable:
            query = compiler.query
            names = (*query.extra_select, *query.values_select, *query.annotation_select)
            if len(names) != len(columns):
                return None
        converters = compiler.get_converters(columns)
        return _Compiled(
            sql=first.sql,
            params=tuple(first.params),
            places=places,
            names=names,
            converters=tuple((p, tuple(c), e) for p, (c, e) in converters.items()),
            compiler=compiler if first.kind is ModelIterable else None,
            fetch_mode=first.fetch_mode,
            composite=compiler.has_composite_fields(columns),
        )

    def _compile_with(
        self,
        alias: str,
        shape: tuple[Hashable, ...],
        values: dict[str, Any],
        kinds: tuple[type, ...],
        *,
        series: int,
    ) -> _Attempt:
        connection = connections[alias]
        probes: dict[str, Any] = {}
        wanted: list[tuple[str, int | None, Any]] = []
        for number, (name, field) in enumerate(self.slots.items()):
            value = values[name]
            if _is_list(value):
                items = [_probe(field, series * 100 + number, i) for i in range(len(value))]
                probes[name] = items
                wanted += [(name, i, item) for i, item in enumerate(items)]
            else:
                probes[name] = _probe(field, series * 100 + number, 0)
                wanted.append((name, None, probes[name]))
        queryset = self.build(*shape, **probes).using(alias)
        kind = _supported(queryset, kinds)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        places = []
        for name, item, probe in wanted:
            prepared = self.slots[name].get_db_prep_value(probe, connection)
            places.append((name, item, tuple(i for i, p in enumerate(params) if p == prepared)))
        return _Attempt(
            sql,
            tuple(params),
            tuple(places),
            compiler,
            kind,
            getattr(queryset, "_fetch_mode", None),
        )


_ROWS = (ValuesIterable, ValuesListIterable)
_OBJECTS = (ModelIterable,)


class _KeptQuerySet:
    """What Django's ``ModelIterable`` reads of a queryset, around a kept compiler."""

    _known_related_objects: dict[Any, Any] = {}

    def __init__(self, compiler: Any, fetch_mode: Any) -> None:
        self.query = self
        self.db = compiler.using
        self.model = compiler.query.model
        self._compiler = compiler
        self._fetch_mode = fetch_mode

    def get_compiler(self, using: str | None = None) -> Any:
        return self._compiler


def _supported(queryset: Any, kinds: tuple[type, ...]) -> type:
    kind = queryset._iterable_class
    if kind not in kinds or queryset._prefetch_related_lookups:
        raise TypeError(
            "CompiledRead.rows() keeps values() and values_list() reads"
            if kinds is _ROWS
            else "CompiledRead.objects() keeps reads of model instances"
        )
    if queryset._known_related_objects:
        raise TypeError("a read built from a related manager is not kept")
    if kind is ValuesListIterable and queryset._fields:
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = [
            *queryset._fields,
            *(f for f in query.annotation_select if f not in queryset._fields),
        ]
        if fields != names:
            raise TypeError("a values_list() whose columns Django reorders is not kept")
    return kind


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def counted(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """How many rows ``queryset`` holds, as a one-row ``values()`` read ``{"n": count}`` (a
    kept statement cannot be an aggregation): ``COUNT`` over the key, which no row has NULL,
    the order and the selected columns dropped."""
    return queryset.order_by().values(
        n=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )


class CompiledFirstAndTotal:
    """A panel's first rows and how many there are, through two kept reads: the first
    ``limit`` rows of ``build(*shape, **slots)`` (model instances, or the rows of a values
    read with ``values=True``), and, only when that read is full, how many there are."""

    def __init__(
        self,
        build: Callable[..., QuerySet[Any]],
        limit: int,
        *,
        model: type[Model] | str,
        values: bool = False,
        **slots: Field,
    ) -> None:
        self.limit = limit
        self.values = values
        self.first = CompiledRead(
            lambda *shape, **given: build(*shape, **given)[:limit], model=model, **slots
        )
        self.count = CompiledRead(
            lambda *shape, **given: counted(build(*shape, **given)), model=model, **slots
        )

    def read(self, *shape: Hashable, **values: Any) -> tuple[list[Any], int]:
        """The first rows and how many there are in all."""
        read = self.first.rows if self.values else self.first.objects
        shown = read(*shape, **values)
        if len(shown) < self.limit:  # a short first read is every row
            return shown, len(shown)
        return shown, self.count.rows(*shape, **values)[0]["n"]

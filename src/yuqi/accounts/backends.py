"""Django's model backend, with the user's permissions and group names kept between requests
(:mod:`yuqi.accounts.access_kept`).

The user is loaded as ``ModelBackend`` loads it, in the same one query together with the
token of what decides access; the permission caches ``ModelBackend`` looks for on the user are
then set from what this process keeps under that token. Every permission check is
``ModelBackend``'s own.

The load runs on every signed-in request, and the ORM built and compiled the same statement
each time (about four fifths of the load's CPU). The statement is compiled by the ORM once per
database and user model (:func:`_user_read`); each request sends it with the user's id and
makes the user from the row as the ORM would (the same columns, converters and
``from_db``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

from yuqi.accounts import access_kept

#: The id the statement is compiled with, found again among its parameters and replaced by
#: the user's id on each load (no user has it: ids are positive and far smaller).
_PROBE = -7_340_033


@dataclass(frozen=True)
class _UserRead:
    sql: str
    params: tuple[Any, ...]
    slot: int  # where the user's id goes among the parameters
    start: int  # the model's columns in the row: [start:end]
    end: int
    init_list: tuple[str, ...]
    annotations: tuple[tuple[str, int], ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]
    fetch_mode: Any


#: (database alias, vendor, user model) → the compiled load, or None where it could not be
#: compiled as expected (the ORM's own load is used then).
_READS: dict[tuple[str, str, type], _UserRead | None] = {}


def _queryset(model: Any, alias: str) -> Any:
    return model._default_manager.using(alias).annotate(
        **{access_kept.TOKEN: access_kept.token_subquery()}
    )


def _compile(model: Any, alias: str) -> _UserRead | None:
    queryset = _queryset(model, alias).filter(pk=_PROBE).order_by()
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    params = tuple(params)
    if params.count(_PROBE) != 1 or compiler.klass_info is None:
        return None
    select_fields = compiler.klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    converters = compiler.get_converters([column[0] for column in compiler.select])
    return _UserRead(
        sql=sql,
        params=params,
        slot=params.index(_PROBE),
        start=start,
        end=end,
        init_list=tuple(column[0].target.attname for column in compiler.select[start:end]),
        annotations=tuple(compiler.annotation_col_map.items()),
        converters=tuple((pos, tuple(convs), expr) for pos, (convs, expr) in converters.items()),
        fetch_mode=queryset._fetch_mode,
    )


def _user_read(model: Any, alias: str) -> _UserRead | None:
    key = (alias, connections[alias].vendor, model)
    if key not in _READS:
        _READS[key] = _compile(model, alias)
    return _READS[key]


def load_user(model: Any, user_id: Any) -> Any:
    """The user with primary key ``user_id`` annotated with the access token (the
    :data:`~yuqi.accounts.access_kept.TOKEN` attribute), or ``None``: what
    ``_queryset(model).get(pk=user_id)`` answers, from the statement compiled once."""
    alias = router.db_for_read(model)
    read = _user_read(model, alias)
    if read is None:
        try:
            return _queryset(model, alias).get(pk=user_id)
        except model.DoesNotExist:
            return None
    connection = connections[alias]
    params = list(read.params)
    params[read.slot] = model._meta.pk.get_db_prep_value(user_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(read.sql, params)
        found = cursor.fetchone()
    if found is None:
        return None
    row = list(found)
    for pos, convs, expression in read.converters:
        value = row[pos]
        for convert in convs:
            value = convert(value, expression, connection)
        row[pos] = value
    user = model.from_db(
        alias, read.init_list, row[read.start : read.end], fetch_mode=read.fetch_mode
    )
    for name, pos in read.annotations:
        setattr(user, name, row[pos])
    return user


class KeptPermissionsBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = load_user(get_user_model(), user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        access_kept.prime(user, getattr(user, access_kept.TOKEN), self)
        return user

"""Django's database sessions, with the one read every signed-in request makes written as
plain SQL (``SESSION_ENGINE = "yuqi.core.sessions"``).

Django's ``db`` store loads a session with ``Session.objects.get(session_key=…,
expire_date__gt=now)``: the query is built and compiled by the ORM on every request, and a
model instance made, about three quarters of the load's CPU. This store sends the same
statement (the key, and an expiry date still ahead) through the same connection and cursor,
and decodes the data as Django does. Everything else is Django's: the table, the signed and
compressed data (the same salt, so sessions signed in before this store are kept), new keys,
saves, ``cycle_key``, ``flush`` and expiry; so are a missing, expired or invalid key (an empty
session, a new key on the next save).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router

from yuqi.core.clock import now as clock_now

#: (database alias, vendor) → the load's SQL.
_LOAD_SQL: dict[tuple[str, str], str] = {}


def _load_sql(model: Any, alias: str) -> str:
    connection = connections[alias]
    key = (alias, connection.vendor)
    sql = _LOAD_SQL.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        meta = model._meta
        sql = (
            f"SELECT {quote(meta.get_field('session_data').column)} "
            f"FROM {quote(meta.db_table)} "
            f"WHERE {quote(meta.get_field('session_key').column)} = %s "
            f"AND {quote(meta.get_field('expire_date').column)} > %s"
        )
        _LOAD_SQL[key] = sql
    return sql


class SessionStore(DatabaseSessionStore):
    def _read_session_data(self) -> str | None:
        """The stored data of this session if it exists and has not expired, else ``None``
        (and the key is forgotten, as Django's store does)."""
        session_key = self.session_key
        if session_key is None:  # no cookie, or one Django refused as a key
            return None
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(clock_now())
        with connection.cursor() as cursor:
            cursor.execute(_load_sql(model, alias), [session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return row[0]

    def load(self) -> dict[str, Any]:
        data = self._read_session_data()
        return self.decode(data) if data is not None else {}

"""Prepared statements on PostgreSQL, except for reads that match text patterns.

With ``server_side_binding`` (settings, ``YUQI_PG_PREPARE``) psycopg prepares a statement a
connection runs again, and after five runs PostgreSQL may keep one generic plan for it, made
without the parameters' values. For the pages' reads that is the point: planning was about
half the database's CPU on the ticket page (13–16 → 6.5–8 ms a request). For a ``LIKE``
pattern it is wrong: how many rows ``'%1234%'`` matches, and whether the trigram index pays,
depends on the pattern, and the generic plan turned the customer search by phone tail from
4.7 to 41 ms of database CPU a request (``bench/web_bench.py --scale large``). So a statement
with ``LIKE`` is never prepared: PostgreSQL plans it for its pattern each time, as before.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def pattern_planned_cursor() -> type:
    """Django's server-binding cursor, leaving statements with ``LIKE`` unprepared (built on
    first use: the PostgreSQL backend is not imported where SQLite is the database)."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PatternPlannedCursor(ServerBindingCursor):
        def execute(
            self, query: Any, params: Any = None, *, prepare: bool | None = None, **kw: Any
        ) -> Any:
            if prepare is None and isinstance(query, str) and " LIKE " in query:
                prepare = False
            return super().execute(query, params, prepare=prepare, **kw)  # type: ignore[misc]

    return PatternPlannedCursor


def plan_patterns_each_time(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: a server-binding PostgreSQL connection gets the cursor above."""
    if connection.vendor != "postgresql":
        return
    if connection.settings_dict.get("OPTIONS", {}).get("server_side_binding") is not True:
        return
    connection.connection.cursor_factory = pattern_planned_cursor()

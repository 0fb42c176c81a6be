"""GIN indexes' pending lists merged after a bulk load (PostgreSQL).

A GIN index (the customers' name search, ``pg_trgm``) takes new rows into an unsorted
*pending list* and merges them into the index proper only when a ``VACUUM`` runs (autovacuum,
when on and round), when the list outgrows ``gin_pending_list_limit`` (4 MB), or when
``gin_clean_pending_list`` is called. Until then every search reads the whole list: after the
large demo's 50,000 customers were loaded, 439 pages and 47,676 entries, and a customer search
by a phone's last four digits spent 10–32 ms in it (0.08 ms once merged; merging took 0.24 s
once). So every bulk load that runs ``ANALYZE`` for the planner merges the lists too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

#: The GIN indexes of the current schema's tables (all of them when no table is named).
_GIN_INDEXES = """
    SELECT i.indexrelid::regclass::text
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    JOIN pg_class tc ON tc.oid = i.indrelid
    JOIN pg_namespace ns ON ns.oid = tc.relnamespace
    WHERE am.amname = 'gin' AND ns.nspname = current_schema()
      AND (cardinality(%s::text[]) = 0 OR tc.relname = ANY(%s::text[]))
    ORDER BY 1
"""


def merge_gin_pending_lists(tables: Iterable[str] = ()) -> dict[str, int]:
    """Merge the pending lists of the GIN indexes on ``tables`` (table names; none named: every
    table of the schema) into their indexes; returns the pages merged per index. Nothing on a
    database other than PostgreSQL (SQLite has no GIN indexes)."""
    if connection.vendor != "postgresql":
        return {}
    names = sorted(set(tables))
    merged: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(_GIN_INDEXES, [names, names])
        for (index,) in cursor.fetchall():
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            merged[index] = cursor.fetchone()[0]
    return merged

"""Rows of a table narrowed to a long list of ids, without a statement of a parameter per id.

A campaign's sampling frame asks the small per-customer tables (survey opt-outs, the consent
ledger, erasures) about tens of thousands of customers. ``filter(customer_id__in=ids)``
compiles and sends one parameter per id (0.85 CPU-s a call for 50,000 customers on SQLite).
When the list is long and the table holds fewer rows than it, reading the table's rows and
keeping those of the list in Python gives the same rows for much less; otherwise the ``IN``
stands (a large table is never read whole for a short list).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from django.db.models import QuerySet

#: Lists up to this long always go into the statement.
LONG_LIST = 1_000


def rows_among(
    rows: QuerySet[Any], field: str, ids: Collection[int], fields: tuple[str, ...]
) -> Iterator[tuple[Any, ...]]:
    """``rows.filter(<field>__in=ids).values_list(*fields)``, in ``rows``' order; ``field``
    must be the first of ``fields``. A long ``ids`` against a table of fewer rows is matched
    in Python (one ``COUNT`` decides)."""
    if fields[0] != field:
        raise ValueError("the id field must be the first of the fields")
    if len(ids) > LONG_LIST and rows.count() <= len(ids):
        members = ids if isinstance(ids, set | frozenset) else set(ids)  # a list: O(1) look-ups
        wanted: Callable[[Any], bool] = members.__contains__
        return (row for row in rows.values_list(*fields) if wanted(row[0]))
    return iter(rows.filter(**{f"{field}__in": ids}).values_list(*fields))

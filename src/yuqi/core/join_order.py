"""Reads whose joins PostgreSQL should take in the written order, not search for one.

The work queue's page of rows and the home page's "my open tickets" read each ticket with six
joined tables (level, category, customer, tier, owner, team): one look-up each from the
ticket, an order no search improves on. PostgreSQL still searches every order of the seven
tables before each run: about 2.5 ms of planning for 2 ms of work on the large demo
(``EXPLAIN (ANALYZE)``: 2.5–3.4 ms planning against 0.55 ms with ``join_collapse_limit = 1``,
the same plan). Inside :func:`written_join_order` the planner keeps the order of the ``FROM``
clause (the ticket first, then each joined table); it still chooses how to join and which
index to use. The setting is ``SET LOCAL``: it ends with the block's transaction, so no other
read of the request or of the connection's later requests is planned this way (a block run
inside a caller's transaction joins that one, without a savepoint, and the setting lasts until
it ends). Other databases (SQLite) plan as they do. Cost: the ``SET`` statement and the
transaction's ``BEGIN`` and ``COMMIT``, about 0.2 ms of Django and a little of the backend.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def written_join_order() -> Iterator[None]:
    """Run the block's queries in one transaction in which PostgreSQL joins in the written
    order (``SET LOCAL join_collapse_limit = 1``); elsewhere the block runs as it is."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL join_collapse_limit = 1")
        yield

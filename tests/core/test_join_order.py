"""``written_join_order``: PostgreSQL keeps the written join order inside the block only, and
the rows read inside it are those read without it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from yuqi.core.join_order import written_join_order


def _limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_postgresql_keeps_the_written_order_in_the_block_only():
    if connection.vendor != "postgresql":
        pytest.skip("join_collapse_limit is PostgreSQL's setting; SQLite's planner has none")
    before = _limit()
    assert before != "1"
    with written_join_order():
        assert _limit() == "1"
    assert _limit() == before  # SET LOCAL ended with the block's transaction


@pytest.mark.django_db(transaction=True)
def test_inside_an_outer_transaction_it_joins_it_without_a_savepoint():
    if connection.vendor != "postgresql":
        pytest.skip("join_collapse_limit is PostgreSQL's setting; SQLite's planner has none")
    before = _limit()
    with transaction.atomic():
        with written_join_order():
            assert _limit() == "1"
        assert connection.in_atomic_block
    assert _limit() == before


@pytest.mark.django_db
def test_other_databases_run_the_block_as_it_is():
    if connection.vendor == "postgresql":
        pytest.skip("the no-op path is for databases other than PostgreSQL")
    with CaptureQueriesContext(connection) as captured, written_join_order():
        pass
    assert len(captured) == 0

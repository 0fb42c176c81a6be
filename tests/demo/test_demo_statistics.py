"""The demo's last step leaves planner statistics on every table it wrote (PostgreSQL): a
bulk-loaded table without them gets guessed plans (the phone-tail search walked the whole
customer index)."""

from __future__ import annotations

import pytest
from django.db import connection

from yuqi.demo.steps.derived import refresh_and_analyze

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="planner statistics (pg_class.reltuples) are PostgreSQL's; make test-pg runs it",
    ),
]

#: Tables the demo fills that the contacts' own ANALYZE does not cover.
TABLES = ("complaints_complaint", "complaints_slaclock", "commitments_commitment")


def _never_analysed() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples < 0", [list(TABLES)]
        )
        return {row[0] for row in cursor.fetchall()}


def test_last_step_analyses_every_table() -> None:
    with connection.cursor() as cursor:  # a fresh test database may carry none yet; make sure
        for table in TABLES:
            cursor.execute(
                "UPDATE pg_class SET reltuples = -1 WHERE relname = %s AND relkind = 'r'", [table]
            )
    assert _never_analysed() == set(TABLES)
    refresh_and_analyze()
    assert _never_analysed() == set()

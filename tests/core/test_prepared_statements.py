"""PostgreSQL prepares the statements a connection runs again, but never one with ``LIKE``:
a generic plan for a text pattern cost the phone-tail search 9× its database CPU."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.customers.factories import CustomerFactory
from yuqi.customers.models import Customer


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_repeated_reads_are_prepared_but_pattern_matches_are_not():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (psycopg's prepare_threshold)")
    CustomerFactory(name="王小明")
    for _ in range(6):
        assert Customer.objects.filter(external_id="nobody").count() == 0
        assert Customer.objects.filter(name__icontains="小明").count() == 1
    prepared = _prepared()
    assert any('"external_id" = $1' in statement for statement in prepared), prepared
    assert not any("LIKE" in statement for statement in prepared), prepared


@pytest.mark.django_db
def test_a_pattern_match_reads_the_same_rows_unprepared():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (psycopg's prepare_threshold)")
    for name in ("王小明", "李小明", "张三"):
        CustomerFactory(name=name)
    for _ in range(6):
        found = sorted(
            Customer.objects.filter(name__icontains="小明").values_list("name", flat=True)
        )
        assert found == ["李小明", "王小明"]

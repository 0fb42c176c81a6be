"""GIN indexes' pending lists merged after bulk loads (``yuqi.core.gin_pending``): a name
search read the whole unmerged list on every request while autovacuum was off or behind."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.customers.factories import CustomerFactory
from tests.imports.files import write_csv
from yuqi.cli import main
from yuqi.core.gin_pending import merge_gin_pending_lists

NAME_INDEX = "customers_customer_name_upper_trgm"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's"
)


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL merges real lists: the tests below"
)
@pytest.mark.django_db
def test_elsewhere_there_is_nothing_to_merge():
    CustomerFactory.create_batch(3)
    assert merge_gin_pending_lists() == {}


@on_postgresql
@pytest.mark.django_db
def test_new_names_are_merged_once_and_only_for_the_tables_named():
    CustomerFactory.create_batch(60)
    assert merge_gin_pending_lists(["complaints_complaint"]) == {}  # no GIN index there
    assert merge_gin_pending_lists(["customers_customer"])[NAME_INDEX] >= 1
    assert merge_gin_pending_lists() == {NAME_INDEX: 0}


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_import_leaves_no_pending_list(tmp_path):
    path = tmp_path / "customers.csv"
    rows = [["Customer ID", "Name", "Phone"]]
    rows += [[f"C{n}", f"客户{n}号", f"1381234{n:04d}"] for n in range(200)]
    write_csv(path, rows)
    assert main(["import", "customers", str(path), "--quiet", "--no-migrate"]) == 0
    assert merge_gin_pending_lists(["customers_customer"]) == {NAME_INDEX: 0}

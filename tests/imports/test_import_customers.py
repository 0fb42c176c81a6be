from __future__ import annotations

import pytest

from tests.imports.files import write_csv
from yuqi.cli import main
from yuqi.customers.models import Customer

pytestmark = pytest.mark.django_db(transaction=True)


def test_customers_with_english_headers_and_bom(tmp_path):
    path = tmp_path / "customers.csv"
    write_csv(
        path,
        [
            ["Customer ID", "Name", "Phone", "Tier", "Monthly value", "Joined on"],
            ["C1", "赵敏", "138 1234 5678", "Gold", "128.50", "2020-03-01"],
            ["C2", "周芷若", "", "普通", "", ""],
        ],
        encoding="utf-8-sig",
    )
    assert main(["import", "customers", str(path), "--quiet", "--no-migrate"]) == 0
    first = Customer.objects.get(external_id="C1")
    assert (first.phone, first.tier.code, str(first.monthly_value)) == (
        "13812345678",
        "gold",
        "128.50",
    )
    assert Customer.objects.get(external_id="C2").tier.code == "ordinary"
    assert main(["import", "customers", str(path), "--quiet", "--no-migrate"]) == 0
    assert Customer.objects.count() == 2

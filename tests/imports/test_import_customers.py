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


def test_statuses_and_segments_as_the_pages_show_them_are_accepted(tmp_path):
    """Review: 状态 "有效" (how the customer page shows Active) was refused; every label the
    product shows, in Chinese and English, imports back as its code."""
    path = tmp_path / "customers.csv"
    write_csv(
        path,
        [
            ["客户编号", "姓名", "状态", "客户分层"],
            ["C1", "赵敏", "有效", "顶层"],
            ["C2", "周芷若", "已销户", "Top"],
            ["C3", "张无忌", "Dormant", ""],
            ["C4", "小昭", "closed", ""],
        ],
    )
    assert main(["import", "customers", str(path), "--quiet", "--no-migrate"]) == 0
    statuses = dict(Customer.objects.values_list("external_id", "status"))
    assert statuses == {"C1": "active", "C2": "closed", "C3": "dormant", "C4": "closed"}
    assert Customer.objects.get(external_id="C2").segment == "top"

"""Requests, export, erasure and the command line: the rules and the bad input."""

from __future__ import annotations

import argparse
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.complaints.factories import open_complaint, sh
from tests.customers.factories import CustomerFactory
from yuqi.complaints.models import Complaint
from yuqi.core.errors import DomainError
from yuqi.customers.models import Customer
from yuqi.privacy import services
from yuqi.privacy.cli import run_erase, run_export
from yuqi.privacy.models import Erasure, IdentityMethod, PrivacyRequest, RequestStatus

pytestmark = pytest.mark.django_db


def verified(customer, kind="access", by=None):
    request = services.privacy_request_create(customer_ref=customer.external_id, kind=kind, by=by)
    return services.privacy_request_verify(request=request, method=IdentityMethod.ID_CARD, by=by)


def erase_args(ref, reason="客户本人申请删除"):
    return argparse.Namespace(customer=ref, reason=reason)


def test_due_in_15_working_days_on_the_business_calendar():
    # March 2026 has no holiday: three weeks of weekdays
    assert services.due_on(sh(2026, 3, 2, 10)) == date(2026, 3, 23)
    # over the Spring Festival the holidays push it past 15 weekdays (6 March)
    assert services.due_on(sh(2026, 2, 13, 10)) > date(2026, 3, 6)


def test_a_request_names_a_known_customer_and_holds_no_personal_data():
    customer = CustomerFactory(name="赵敏")
    request = services.privacy_request_create(customer_ref=customer.external_id, kind="deletion")
    assert request.customer_id == customer.pk
    assert request.status == RequestStatus.RECEIVED
    with pytest.raises(DomainError) as refused:
        services.privacy_request_create(customer_ref="NOBODY", kind="access")
    assert refused.value.code == "not_found"
    with pytest.raises(DomainError):
        services.privacy_request_create(customer_ref="x" * 5000, kind="access")


def test_nothing_is_exported_or_erased_before_the_identity_check():
    customer = CustomerFactory()
    request = services.privacy_request_create(customer_ref=customer.external_id, kind="deletion")
    with pytest.raises(DomainError):
        services.privacy_export(request=request)
    with pytest.raises(DomainError):
        services.privacy_erase(request=request, reason="asked")
    assert not Erasure.objects.exists()


def test_an_export_asked_for_twice_is_the_same_file(frozen, outbox, supervisor):
    customer = CustomerFactory(name="赵敏")
    open_complaint(by=supervisor, customer=customer, account="赵敏：宽带断了")
    request = verified(customer)
    first = services.privacy_export(request=request)
    second = services.privacy_export(request=request)
    assert first.json_bytes == second.json_bytes
    assert first.sha256 == second.sha256
    data = json.loads(first.json_bytes)
    assert {"customers", "complaints"} <= set(data["sources"])
    request.refresh_from_db()
    assert request.export_count == 2
    assert request.status == RequestStatus.DONE


def test_the_excel_export_never_holds_a_live_formula(frozen, outbox, supervisor):
    customer = CustomerFactory(name='=HYPERLINK("http://x.invalid","点我")')
    open_complaint(by=supervisor, customer=customer, account="+1+1 @SUM(A1) -2")
    bundle = services.privacy_export(request=verified(customer))
    book = load_workbook(io.BytesIO(bundle.xlsx_bytes()))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert cells
    assert all(cell.data_type != "f" for cell in cells)


def test_cli_export_twice_writes_identical_files(tmp_path, capsys):
    customer = CustomerFactory(name="赵敏")
    for name in ("a.json", "b.json"):
        args = argparse.Namespace(
            customer=customer.external_id, out=str(tmp_path / name), xlsx=False
        )
        assert run_export(args) == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert PrivacyRequest.objects.filter(kind="access").count() == 1


def test_cli_erase_of_an_unknown_customer_is_bad_input():
    err = io.StringIO()
    assert run_erase(erase_args("C-NOBODY"), out=io.StringIO(), err=err) == 2
    assert "C-NOBODY" in err.getvalue()
    assert not PrivacyRequest.objects.exists()


def test_cli_erase_twice_is_refused_the_second_time():
    customer = CustomerFactory(name="赵敏")
    assert run_erase(erase_args(customer.external_id), out=io.StringIO()) == 0
    err = io.StringIO()
    assert run_erase(erase_args(customer.external_id), out=io.StringIO(), err=err) == 1
    assert "already erased" in err.getvalue()
    assert Erasure.objects.count() == 1
    assert PrivacyRequest.objects.filter(kind="deletion").count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "\x00\x01", "长" * 501])
def test_cli_erase_refuses_an_empty_or_overlong_reason(reason):
    customer = CustomerFactory()
    assert run_erase(erase_args(customer.external_id, reason), err=io.StringIO()) == 2
    assert not Erasure.objects.exists()
    assert Customer.objects.get(pk=customer.pk).name == customer.name


def test_a_hostile_reason_is_stored_as_plain_text_without_the_person():
    customer = CustomerFactory(name="赵敏", phone="13812345678")
    reason = "赵敏 13812345678 <script>alert(1)</script> {{7*7}} =cmd|'/c calc'!A1 \x1b[31m"
    assert run_erase(erase_args(customer.external_id, reason), out=io.StringIO()) == 0
    stored = PrivacyRequest.objects.get(kind="deletion").reason
    assert "赵敏" not in stored
    assert "13812345678" not in stored
    assert "<script>" in stored  # kept as text; pages escape it
    assert "\x1b" not in stored


def test_erasing_a_customer_with_an_open_complaint_anonymises_it_and_says_so(
    frozen, outbox, supervisor
):
    customer = CustomerFactory(name="赵敏", phone="13812345678")
    complaint = open_complaint(
        by=supervisor, customer=customer, account="我是赵敏，电话13812345678，网络断了"
    )
    out = io.StringIO()
    assert run_erase(erase_args(customer.external_id), out=out) == 0
    summary = json.loads(out.getvalue())
    assert any(complaint.number in note for note in summary["notes"])
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.is_open  # kept open for its handler, without the person
    assert "赵敏" not in complaint.account
    assert "13812345678" not in complaint.account
    assert "网络断了" in complaint.account  # the rest of the record stays
    erased = Customer.objects.get(pk=customer.pk)
    assert (erased.phone, erased.email, erased.id_number) == ("", "", "")
    assert erased.tier_id == customer.tier_id  # counts by tier unchanged


def test_a_correction_goes_through_the_customers_service():
    customer = CustomerFactory(name="赵敏")
    request = verified(customer, kind="correction")
    assert services.privacy_correct(request=request, changes={"name": "赵小敏"}) == ["name"]
    assert Customer.objects.get(pk=customer.pk).name == "赵小敏"
    bad = verified(customer, kind="correction")
    with pytest.raises(DomainError):
        services.privacy_correct(request=bad, changes={"id_number": "123"})


def test_the_processing_record_lists_every_registered_source():
    names = {line.name for line in services.processing_activities()}
    assert {
        "customers",
        "interactions",
        "complaints",
        "commitments",
        "surveys",
        "notifications",
        "quality",
        "knowledge",
        "textmining",
        "insights",
        "audit",
        "imports",
        "data-folder",
    } <= names
    assert {"complaint_text", "notes", "answers", "message_log", "uploads"} <= names

"""Acceptance: after ``yuqi privacy erase`` on a demo customer, neither the name nor the phone
number nor the ID number appears anywhere in the database or the data folder, and the KPI
totals and survey statistics are unchanged. Runs on SQLite and PostgreSQL (make test-pg)."""

from __future__ import annotations

import argparse
import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count

from tests.imports.files import write_csv
from tests.privacy.scan import database_hits, file_hits
from yuqi.commitments.models import Commitment
from yuqi.complaints.models import Complaint
from yuqi.customers.models import Customer
from yuqi.customers.services import customer_update
from yuqi.demo.builder import build_demo
from yuqi.imports.engine import import_file
from yuqi.imports.importers import get_importer
from yuqi.imports.services import import_run_create
from yuqi.interactions.models import Interaction
from yuqi.knowledge.models import SearchLog
from yuqi.notifications.facade import notify_customer
from yuqi.operations.kpi.selectors import kpi_table
from yuqi.privacy.cli import run_erase, run_export
from yuqi.surveys.analysis import survey_report
from yuqi.surveys.models import Answer, Response, Survey

pytestmark = pytest.mark.django_db

NAME = "欧阳紫萱"
PHONE = "13912345678"
ID_NUMBER = "42010619850317102X"
EMAIL = "ouyang.zixuan@example.cn"
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def data_dir(settings, data_folder):
    settings.SMS_BACKEND = "file"  # the outbox file in the data folder
    return data_folder


def figures() -> dict[str, object]:
    """The KPI totals (all, by tier, by queue), every survey's statistics, and the counts
    complaint and promise measures rest on."""
    span = {"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)}
    return {
        "kpi": [repr(row) for row in kpi_table(**span)],
        "kpi_tier": [repr(row) for row in kpi_table(**span, by=["tier"])],
        "kpi_queue": [repr(row) for row in kpi_table(**span, by=["queue"])],
        "surveys": {s.code: repr(survey_report(s).result) for s in Survey.objects.order_by("code")},
        "complaints": list(
            Complaint.objects.values_list("level__code", "state").annotate(n=Count("id")).order_by()
        ),
        "promises": list(
            Commitment.objects.values_list("status").annotate(n=Count("id")).order_by("status")
        ),
        "customers": Customer.objects.count(),
        "interactions": Interaction.objects.count(),
    }


def place_the_person_everywhere(customer: Customer, folder: Path, user) -> None:
    """Beyond the demo: the person's data in free text, the message log and outbox, the
    audit log (a correction), a search query, an import file and its error report."""
    customer_update(
        customer=customer,
        changes={"name": NAME, "phone": PHONE, "id_number": ID_NUMBER, "email": EMAIL},
    )
    contact = Interaction.objects.filter(customer=customer).first()
    Interaction.objects.filter(pk=contact.pk).update(
        notes=f"{NAME}来电，回拨 139-1234-5678，身份证 {ID_NUMBER.lower()}"
    )
    from yuqi.complaints.models import ComplaintLevel
    from yuqi.complaints.services import complaint_open

    complaint_open(
        customer_id=customer.pk,
        account=f"我是{NAME}，电话{PHONE}，身份证号{ID_NUMBER}，宽带断了三天没人管",
        demand=f"请联系{NAME}本人 +86 139 1234 5678",
        by=user,
        level=ComplaintLevel.objects.get(code="local"),
    )
    response = Response.objects.filter(customer=customer).first()
    if response is None:
        response = Response.objects.filter(answers__text__gt="").first()
        Response.objects.filter(pk=response.pk).update(customer=customer)
    answer = Answer.objects.filter(response=response).first()
    Answer.objects.filter(pk=answer.pk).update(text=f"{NAME}说：请打{PHONE}")
    notify_customer(
        customer_id=customer.pk,
        template="complaint_received",
        context={"number": "TS-TEST", "first_response_due": datetime(2026, 11, 21, tzinfo=SH)},
        subject="complaint:test",
        channels=("sms",),
    )
    SearchLog.objects.create(
        query=f"{PHONE} 宽带", channel="agent", results=0, at=datetime(2026, 11, 20, tzinfo=SH)
    )
    (folder / "uploads" / "imports").mkdir(parents=True, exist_ok=True)
    source = write_csv(
        folder / "uploads" / "imports" / "crm-export.csv",
        [
            ["客户编号", "姓名", "手机号", "身份证号", "邮箱"],
            [customer.external_id, NAME, PHONE, ID_NUMBER, EMAIL],
            ["", NAME, PHONE, ID_NUMBER, "not-an-email"],  # rejected: in the error report
        ],
    )
    run = import_run_create(kind="customers", file_name=source.name, path=source, by=user)
    import_file(importer=get_importer("customers"), path=source, run=run)
    run.refresh_from_db()
    assert run.rows_rejected == 1
    assert Path(run.error_report).is_file()


def test_erasing_a_demo_customer_leaves_no_trace_and_keeps_every_figure(data_dir, settings):
    build_demo(seed=3, scale="small", end_date=date(2026, 11, 20), say=lambda _m: None)
    customer = (
        Customer.objects.filter(complaints__isnull=False, interactions__isnull=False)
        .annotate(n=Count("complaints"))
        .order_by("-n", "pk")
        .first()
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(groups__name="supervisor").first()
    place_the_person_everywhere(customer, data_dir, user)
    needles = [NAME, PHONE, ID_NUMBER, EMAIL]
    assert database_hits(needles), "the scenario must put the person in the database"
    assert file_hits(data_dir, needles), "the scenario must put the person in the data folder"

    export_file = data_dir.parent / "export.json"
    args = argparse.Namespace(customer=customer.external_id, out=str(export_file), xlsx=False)
    assert run_export(args, out=io.StringIO()) == 0
    assert NAME in export_file.read_text(encoding="utf-8")

    before = figures()
    out = io.StringIO()
    code = run_erase(
        argparse.Namespace(customer=customer.external_id, reason=f"客户{NAME}本人申请删除"),
        out=out,
    )
    assert code == 0, out.getvalue()
    assert "still open" in out.getvalue() or "仍未关闭" in out.getvalue()

    assert database_hits(needles) == []
    assert file_hits(data_dir, needles) == []
    assert figures() == before

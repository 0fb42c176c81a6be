"""Acceptance: after ``yuqi privacy erase`` on a demo customer, neither the name nor the phone
number nor the ID number appears anywhere in the database or the data folder, and the KPI
totals and survey statistics are unchanged. Runs on SQLite and PostgreSQL (make test-pg).

Besides the demo's records, the customer files a complaint on the public form ``/c/`` (an SMS
code, a photo whose file name and embedded text name them) and writes an e-mail with two
attachments, read from a real IMAP server (dovecot, as in ``tests/mailbox``) by the mailbox
job: both contexts' rows and stored files must be gone or anonymised too."""

from __future__ import annotations

import argparse
import io
import json
import re
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.test import Client
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from tests.imports.files import write_csv
from tests.mailbox.dovecot import ImapServer
from tests.privacy.scan import database_hits, file_hits
from yuqi.channels.attachments import attachment_path
from yuqi.channels.models import Attachment
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
from yuqi.mailbox.models import InboundAttachment, InboundMail
from yuqi.mailbox.reading import MB, Limits
from yuqi.mailbox.services import MailboxConfig, mailbox_poll
from yuqi.mailbox.storage import stored_path
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


def photo_naming(text: str) -> bytes:
    """A real PNG with ``text`` in an iTXt chunk (UTF-8), as a phone's editor may leave."""
    info = PngInfo()
    info.add_itxt("Comment", text)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def file_on_the_public_form(folder: Path, django_capture_on_commit_callbacks) -> None:
    """The customer asks for a code on ``/c/``, reads it from the SMS outbox and files a
    complaint with a photo: the real pages, code check, attachment check and service."""
    cache.clear()  # the pages' rate limits
    client = Client()
    started = client.post("/c/", {"kind": "complaint", "phone": PHONE, "lang": "zh-hans"})
    assert started.status_code == 302, started.content[:300]
    last = (folder / "outbox" / "sms.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    code = re.search(r"\b\d{6}\b", json.loads(last)["body"]).group(0)
    photo = SimpleUploadedFile(
        f"{NAME}-{PHONE}.png", photo_naming(f"{NAME} {PHONE} {ID_NUMBER}"), "image/png"
    )
    with django_capture_on_commit_callbacks(execute=True):
        filed = client.post(
            "/c/new",
            {
                "code": code,
                "text": f"我是{NAME}，手机{PHONE}，身份证{ID_NUMBER}，营业厅说的优惠没兑现",
                "name": NAME,
                "lang": "zh-hans",
                "attachments": [photo],
            },
        )
    assert filed.status_code == 302, filed.content[:500]


def write_an_email(imap: ImapServer) -> None:
    """The customer writes from the address on file, with a scan and a text attachment; the
    mailbox job reads it and opens a ticket."""
    msg = EmailMessage()
    msg["From"] = f"{NAME} <{EMAIL}>"
    msg["To"] = "service@yuqi.example"
    msg["Subject"] = f"{NAME}：宽带又断了 {PHONE}"
    msg["Message-ID"] = make_msgid(domain="example.cn")
    msg.set_content(f"我是{NAME}，身份证{ID_NUMBER}，请回电{PHONE}。")
    msg.add_attachment(
        photo_naming(f"{NAME} {ID_NUMBER}"),
        maintype="image",
        subtype="png",
        filename=f"{NAME}身份证.png",
    )
    msg.add_attachment(
        f"{NAME} {PHONE} {ID_NUMBER}\n".encode(),
        maintype="text",
        subtype="plain",
        filename=f"{NAME}.txt",
    )
    imap.append(msg.as_bytes())
    config = MailboxConfig(
        host=imap.host,
        port=imap.port,
        user=imap.user,
        password=imap.password,
        ssl=False,
        timeout=20,
        limits=Limits(30 * MB, 10 * MB, 10),
    )
    result = mailbox_poll(config=config)
    assert result is not None
    assert (result.status, result.created) == ("ok", 1), result


def test_erasing_a_demo_customer_leaves_no_trace_and_keeps_every_figure(
    data_dir, settings, imap, django_capture_on_commit_callbacks
):
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
    file_on_the_public_form(data_dir, django_capture_on_commit_callbacks)
    write_an_email(imap)
    theirs = Attachment.objects.filter(submission__customer_id=customer.pk)
    uploads = [attachment_path(name) for name in theirs.values_list("stored_name", flat=True)]
    others = [
        attachment_path(name)
        for name in Attachment.objects.exclude(submission__customer_id=customer.pk).values_list(
            "stored_name", flat=True
        )
    ]
    mail = InboundMail.objects.get(customer_id=customer.pk)
    mails = [
        stored_path(name)
        for name in InboundAttachment.objects.filter(mail=mail).values_list(
            "stored_name", flat=True
        )
    ]
    assert len(uploads) == 1
    assert len(mails) == 2
    assert all(path.is_file() for path in uploads + mails + others)
    needles = [NAME, PHONE, ID_NUMBER, EMAIL]
    in_database = " ".join(database_hits(needles))
    in_files = " ".join(file_hits(data_dir, needles))
    # the scenario puts the person in the database and the data folder, the channels and the
    # mailbox's rows and stored files included
    for table in ("mailbox.InboundMail.", "mailbox.InboundAttachment.", "channels.Attachment."):
        assert table in in_database, table
    for folder in ("outbox/", "uploads/imports/", "uploads/intake/", "mailbox/"):
        assert folder in in_files, folder

    export_file = data_dir.parent / "export.json"
    args = argparse.Namespace(customer=customer.external_id, out=str(export_file), xlsx=False)
    assert run_export(args, out=io.StringIO()) == 0
    exported = json.loads(export_file.read_text(encoding="utf-8"))["sources"]
    assert NAME in json.dumps(exported, ensure_ascii=False)
    assert {"channels", "mailbox"} <= set(exported)
    assert any(f"{NAME}-{PHONE}.png" in str(r) for r in exported["channels"]["records"])
    assert any(r.get("sender") == EMAIL for r in exported["mailbox"]["records"])

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
    # the stored files themselves are gone, their rows stay (counts) without name or path
    assert not any(path.exists() for path in uploads + mails)
    assert InboundAttachment.objects.filter(mail=mail).count() == 2
    assert theirs.count() == 1
    assert all(path.is_file() for path in others)  # nobody else's files

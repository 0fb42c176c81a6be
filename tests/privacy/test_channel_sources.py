"""The public form's and the mailbox's personal data in requests: exported, erased with their
stored files, and purged by the retention job (never while the ticket is open)."""

from __future__ import annotations

import io
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.customers.factories import CustomerFactory
from yuqi.channels import personal_data as channel_data
from yuqi.channels.attachments import attachment_check, attachment_path
from yuqi.channels.codes import code_send
from yuqi.channels.models import Attachment, VerificationCode
from yuqi.channels.services import intake_submit
from yuqi.complaints.models import Complaint
from yuqi.core.clock import now
from yuqi.domain.erasure import ERASED, Identifiers
from yuqi.mailbox import personal_data as mail_data
from yuqi.mailbox.models import InboundAttachment, InboundMail
from yuqi.mailbox.reading import MB, Limits
from yuqi.mailbox.services import MailboxConfig, mailbox_poll
from yuqi.mailbox.storage import stored_path
from yuqi.privacy.facade import DataSubject
from yuqi.privacy.models import RetentionRule
from yuqi.privacy.services import processing_activities, retention_purge

pytestmark = pytest.mark.django_db

PHONE, OTHER_PHONE = "13912345678", "13698765432"


@pytest.fixture(autouse=True)
def sms_in_memory(settings):
    settings.SMS_BACKEND = "locmem"
    cache.clear()
    yield
    cache.clear()


def subject_of(customer) -> DataSubject:
    return DataSubject(
        customer.pk,
        customer.external_id,
        Identifiers(customer.name, customer.phone, customer.email, customer.id_number),
    )


def png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def file_with_photo(phone: str, kind: str = "suggestion", name: str = "photo.png"):
    return intake_submit(
        phone=phone,
        kind=kind,
        text="营业厅排队太久，建议增加窗口",
        language="zh-hans",
        files=[attachment_check(png(name))],
    )


def test_the_form_export_lists_the_files_and_the_erasure_deletes_only_theirs():
    customer = CustomerFactory(name="赵敏", phone=PHONE)
    neighbour = CustomerFactory(phone=OTHER_PHONE)
    file_with_photo(PHONE, name="赵敏的发票.png")
    file_with_photo(OTHER_PHONE)
    code_send(phone=PHONE, purpose="intake", client="198.51.100.7", language="zh-hans")
    code_send(phone=OTHER_PHONE, purpose="intake", client="198.51.100.8", language="zh-hans")
    mine = Attachment.objects.get(submission__customer_id=customer.pk)
    theirs = Attachment.objects.get(submission__customer_id=neighbour.pk)

    records = channel_data.export(subject_of(customer))
    tables = [record["table"] for record in records]
    assert tables == ["channels.IntakeSubmission", "channels.Attachment"]
    assert records[1]["original_name"] == "赵敏的发票.png"
    assert records[1]["sha256"] == mine.sha256

    result = channel_data.erase(subject_of(customer))
    assert result.rows == 2  # the attachment and the one code
    mine.refresh_from_db()
    assert (mine.original_name, mine.sha256) == (ERASED, "")
    assert not attachment_path(mine.stored_name).exists()
    assert attachment_path(theirs.stored_name).is_file()
    assert VerificationCode.objects.count() == 1  # the neighbour's


def test_retention_deletes_old_files_but_not_those_of_an_open_ticket():
    CustomerFactory(phone=PHONE)
    file_with_photo(PHONE, kind="complaint")
    file_with_photo(PHONE, kind="suggestion")
    old = now() - timedelta(days=4 * 365)
    Attachment.objects.update(created_at=old)
    on_ticket = Attachment.objects.get(submission__complaint_id__isnull=False)
    feedback = Attachment.objects.get(submission__complaint_id__isnull=True)

    assert channel_data.purge_files(now() - timedelta(days=3 * 365)) == 1
    assert attachment_path(on_ticket.stored_name).is_file()  # the ticket is still open
    assert not attachment_path(feedback.stored_name).exists()

    Complaint.objects.filter(pk=on_ticket.submission.complaint_id).update(state="closed")
    counts = retention_purge()
    assert counts["intake_files"] == 1
    assert not attachment_path(on_ticket.stored_name).exists()
    assert retention_purge()["intake_files"] == 0


def mailbox_config(imap, **changes) -> MailboxConfig:
    values = {
        "host": imap.host,
        "port": imap.port,
        "user": imap.user,
        "password": imap.password,
        "ssl": False,
        "timeout": 20,
        "limits": Limits(30 * MB, 10 * MB, 10),
    }
    values.update(changes)
    return MailboxConfig(**values)


def deliver(imap, sender: str, subject: str, attachment: bytes | None = None) -> None:
    msg = EmailMessage()
    msg["From"] = f"客户 <{sender}>"
    msg["To"] = "service@yuqi.example"
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="example.cn")
    msg.set_content("宽带从昨天开始一直断线。")
    if attachment is not None:
        msg.add_attachment(attachment, maintype="text", subtype="plain", filename="说明.txt")
    imap.append(msg.as_bytes())


def test_mail_on_their_ticket_and_mail_left_for_staff_are_theirs(imap):
    customer = CustomerFactory(name="赵敏", email="zhaomin@example.cn")
    stranger = CustomerFactory(email="qian@example.cn")
    deliver(imap, "zhaomin@example.cn", "宽带断了", b"details of the outage\n")
    deliver(imap, "qian@example.cn", "another customer", b"not hers\n")
    mailbox_poll(config=mailbox_config(imap))
    # the same address on a second customer: the next message is left for staff
    CustomerFactory(email="zhaomin@example.cn")
    deliver(imap, "ZhaoMin@example.cn", "赵敏又来信")
    mailbox_poll(config=mailbox_config(imap, create_customers=False))
    hers = InboundMail.objects.filter(customer_id=customer.pk).get()
    left = InboundMail.objects.get(customer_id__isnull=True)
    other = InboundMail.objects.get(customer_id=stranger.pk)
    assert mail_data.mail_ids(subject_of(customer)) == sorted([hers.pk, left.pk])

    records = mail_data.export(subject_of(customer))
    assert {r["table"] for r in records} == {"mailbox.InboundMail", "mailbox.InboundAttachment"}
    senders = [r["sender"].lower() for r in records if r["table"] == "mailbox.InboundMail"]
    assert senders == ["zhaomin@example.cn"] * 2
    stored = InboundAttachment.objects.get(mail=hers)
    stored_file = stored_path(stored.stored_name)
    kept = InboundAttachment.objects.get(mail=other)
    assert stored_file.is_file()

    mail_data.erase(subject_of(customer))
    for row in (hers, left):
        row.refresh_from_db()
        assert (row.sender, row.sender_name) == ("", "")
        assert "赵敏" not in row.subject
    stored.refresh_from_db()
    assert (stored.filename, stored.stored_name, stored.sha256) == (ERASED, "", "")
    assert not stored_file.exists()
    assert stored_path(kept.stored_name).is_file()
    other.refresh_from_db()
    assert other.sender == "qian@example.cn"


def test_retention_clears_old_mail_but_not_that_of_an_open_ticket(imap):
    CustomerFactory(email="zhaomin@example.cn")
    CustomerFactory(email="qian@example.cn")
    deliver(imap, "zhaomin@example.cn", "宽带断了", b"one\n")
    deliver(imap, "qian@example.cn", "电视没信号", b"two\n")
    mailbox_poll(config=mailbox_config(imap))
    InboundMail.objects.update(received_at=now() - timedelta(days=4 * 365))
    closed, open_ = InboundMail.objects.order_by("pk")
    Complaint.objects.filter(pk=closed.complaint_id).update(state="closed")
    closed_file = stored_path(InboundAttachment.objects.get(mail=closed).stored_name)
    open_file = stored_path(InboundAttachment.objects.get(mail=open_).stored_name)

    assert retention_purge()["inbound_mail"] == 1
    closed.refresh_from_db()
    assert (closed.sender, closed.subject) == ("", ERASED)
    assert not closed_file.exists()
    assert open_file.is_file()
    assert retention_purge()["inbound_mail"] == 0


def test_the_new_data_classes_are_in_the_schedule_and_the_record():
    names = {line.name for line in processing_activities()}
    assert {"channels", "mailbox", "intake_files", "inbound_mail"} <= names
    rules = dict(RetentionRule.objects.values_list("data_class", "days"))
    assert rules["intake_files"] == rules["inbound_mail"] == 3 * 365

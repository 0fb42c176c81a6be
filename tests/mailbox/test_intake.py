"""E-mail intake against a real IMAP server (dovecot, started by the tests): new tickets,
replies threaded by ticket number and Message-ID, attachments kept or refused, each message
processed once, and the bad input a mailbox receives."""

from __future__ import annotations

import os
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from tests.customers.factories import CustomerFactory
from tests.mailbox.dovecot import ImapServer
from yuqi.complaints.facade import complaint_by_number, complaint_texts, complaint_timeline
from yuqi.mailbox.choices import AttachmentStatus, Outcome
from yuqi.mailbox.models import InboundAttachment, InboundMail, MailboxRun
from yuqi.mailbox.reading import MB, Limits
from yuqi.mailbox.services import MailboxConfig, mailbox_poll
from yuqi.mailbox.storage import attachments_root, stored_path

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def config(imap: ImapServer, **changes) -> MailboxConfig:
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


def mail(
    *,
    sender: str | None = "zhaomin@example.cn",
    subject: str = "宽带又断了",
    body: str = "从昨天开始宽带一直断线，请尽快处理。",
    html: str | None = None,
    message_id: str | None = None,
    in_reply_to: str = "",
    attachments: tuple[tuple[str, str, bytes], ...] = (),
) -> tuple[bytes, str]:
    msg = EmailMessage()
    if sender:
        msg["From"] = f"赵敏 <{sender}>"
    msg["To"] = "service@yuqi.example"
    msg["Subject"] = subject
    mid = message_id or make_msgid(domain="example.cn")
    msg["Message-ID"] = mid
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    if html is not None:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(body)
    for filename, ctype, payload in attachments:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes(), mid


def test_a_new_message_opens_a_ticket_for_the_customer_with_that_address(imap, settings):
    settings.DATA_DIR = settings.DATA_DIR  # attachments go under the test data folder
    customer = CustomerFactory(email="zhaomin@example.cn")
    raw, _mid = mail(attachments=(("截图.png", "image/png", PNG),))
    imap.append(raw)

    result = mailbox_poll(config=config(imap))

    assert result is not None
    assert result.status == "ok"
    assert (result.seen, result.created) == (1, 1)
    row = InboundMail.objects.get()
    assert row.outcome == Outcome.CREATED
    assert row.customer_id == customer.pk
    ticket = complaint_by_number(row.complaint_number)
    assert ticket is not None
    assert ticket.customer_id == customer.pk
    text = complaint_texts([ticket.id])[ticket.id].text
    assert "宽带一直断线" in text
    stored = InboundAttachment.objects.get()
    assert stored.status == AttachmentStatus.STORED
    assert stored.detected_type == "image/png"
    path = stored_path(stored.stored_name)
    assert path.read_bytes() == PNG
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert stored.filename == "截图.png"
    assert "png" not in path.name
    # processed: marked seen on the server
    assert imap.count(criteria="UNSEEN") == 0


def test_a_reply_is_threaded_by_ticket_number_or_message_id(imap):
    CustomerFactory(email="zhaomin@example.cn")
    raw, first_id = mail()
    imap.append(raw)
    mailbox_poll(config=config(imap))
    number = InboundMail.objects.get().complaint_number

    by_subject, _ = mail(subject=f"Re: 关于 {number} 的回复", body="还是没有修好")
    by_reference, _ = mail(subject="Re: 宽带", body="第三次来信", in_reply_to=first_id)
    imap.append(by_subject)
    imap.append(by_reference)
    result = mailbox_poll(config=config(imap))

    assert (result.created, result.threaded) == (0, 2)
    rows = InboundMail.objects.filter(outcome=Outcome.THREADED)
    assert {row.complaint_number for row in rows} == {number}
    ticket = complaint_by_number(number)
    lines = [line.text for line in complaint_timeline(ticket.id)]
    assert any("还是没有修好" in text for text in lines)
    assert any("第三次来信" in text for text in lines)


def test_no_message_is_processed_twice_across_runs_and_duplicate_delivery(imap):
    CustomerFactory(email="zhaomin@example.cn")
    raw, _mid = mail()
    imap.append(raw)
    imap.append(raw)  # the same message delivered twice (same Message-ID)

    first = mailbox_poll(config=config(imap))
    second = mailbox_poll(config=config(imap))

    assert (first.seen, first.created, first.skipped) == (2, 1, 1)
    assert second.seen == 0  # nothing new on the next run
    outcomes = sorted(InboundMail.objects.values_list("outcome", flat=True))
    assert outcomes == [Outcome.CREATED, Outcome.DUPLICATE]
    assert len({row.complaint_number for row in InboundMail.objects.all()}) == 1


def test_a_crash_after_the_commit_does_not_process_again_and_the_move_is_finished(imap):
    CustomerFactory(email="zhaomin@example.cn")
    raw, _mid = mail()
    imap.append(raw)
    mailbox_poll(config=config(imap))  # processed and marked, but left in INBOX
    assert imap.count() == 1

    # the next run (now with a done folder) only moves what was already recorded
    result = mailbox_poll(config=config(imap, done_folder="Yuqi"))

    assert result.seen == 0
    assert InboundMail.objects.count() == 1
    assert imap.count() == 0
    assert imap.count("Yuqi") == 1


def test_a_twenty_megabyte_attachment_is_refused_and_the_message_still_kept(imap):
    CustomerFactory(email="zhaomin@example.cn")
    big = b"%PDF-1.4\n" + os.urandom(20 * MB)
    raw, _mid = mail(
        attachments=(("合同.pdf", "application/pdf", big), ("照片.png", "image/png", PNG))
    )
    imap.append(raw)

    result = mailbox_poll(config=config(imap))

    assert (result.created, result.failed) == (1, 0)
    refused = InboundAttachment.objects.get(filename="合同.pdf")
    assert refused.status == AttachmentStatus.REFUSED
    assert refused.stored_name == ""
    assert "20.0 MB" in refused.note
    assert InboundAttachment.objects.get(filename="照片.png").status == AttachmentStatus.STORED
    row = InboundMail.objects.get()
    assert "合同.pdf" in row.note
    ticket = complaint_by_number(row.complaint_number)
    assert any("合同.pdf" in line.text for line in complaint_timeline(ticket.id))


def test_a_message_over_the_size_limit_is_read_as_headers_only(imap):
    CustomerFactory(email="zhaomin@example.cn")
    raw, _mid = mail(attachments=(("a.pdf", "application/pdf", b"%PDF-" + b"x" * 3 * MB),))
    imap.append(raw)

    result = mailbox_poll(config=config(imap, limits=Limits(1 * MB, 10 * MB, 10)))

    assert result.created == 1
    row = InboundMail.objects.get()
    assert "only its headers" in row.note
    assert not InboundAttachment.objects.exists()


def test_an_executable_renamed_jpg_is_refused(imap):
    CustomerFactory(email="zhaomin@example.cn")
    raw, _mid = mail(attachments=(("photo.jpg", "image/jpeg", b"MZ\x90\x00" + b"\x00" * 100),))
    imap.append(raw)

    mailbox_poll(config=config(imap))

    item = InboundAttachment.objects.get()
    assert item.status == AttachmentStatus.REFUSED
    assert item.detected_type == "application/x-executable"


def test_malformed_mime_never_crashes_the_job(imap):
    CustomerFactory(email="zhaomin@example.cn")
    broken = (
        b"From: zhaomin@example.cn\r\nSubject: =?utf-8?B?5q2j5paH?=\r\n"
        b"Message-ID: <broken@example.cn>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
        b"--XYZ\r\nContent-Type: text/plain; charset=unknown-8bit-zz\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n@@@not base64@@@\r\n"
        b'--XYZ\r\nContent-Type: application/pdf; name="x.pdf"\r\n'
        b'Content-Disposition: attachment; filename="x.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=====!!\r\n"
        # no closing boundary
    )
    imap.append(broken)
    good, _ = mail(subject="第二封")
    imap.append(good)

    result = mailbox_poll(config=config(imap))

    assert result.status == "ok"
    assert result.seen == 2
    assert result.failed == 0
    assert InboundMail.objects.filter(outcome=Outcome.CREATED).count() == 2


def test_a_message_without_a_sender_is_left_for_staff(imap):
    raw, _mid = mail(sender=None)
    imap.append(raw)

    result = mailbox_poll(config=config(imap))

    assert (result.created, result.skipped) == (0, 1)
    row = InboundMail.objects.get()
    assert row.outcome == Outcome.SKIPPED
    assert "No sender" in row.note
    assert row.complaint_id is None


def test_an_html_only_body_is_kept_as_sanitised_text(imap):
    CustomerFactory(email="zhaomin@example.cn")
    html = (
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head>"
        "<body><p>账单<b>多扣</b>了 50 元</p><img src=x onerror=alert(1)>"
        "<a href='javascript:alert(2)'>点此</a></body></html>"
    )
    raw, _mid = mail(html=html)
    imap.append(raw)

    mailbox_poll(config=config(imap))

    row = InboundMail.objects.get()
    text = complaint_texts([row.complaint_id])[row.complaint_id].text
    assert "账单多扣了 50 元" in text
    assert "点此" in text
    for bad in ("<", "alert", "script", "color:red", "javascript"):
        assert bad not in text


def test_an_unknown_sender_becomes_a_new_customer(imap):
    raw, _mid = mail(sender="newcomer@example.org")
    imap.append(raw)

    result = mailbox_poll(config=config(imap))

    assert result.created == 1
    assert InboundMail.objects.get().customer_id is not None


def test_a_wrong_password_is_a_failed_run_not_a_crash(imap):
    result = mailbox_poll(config=config(imap, password="wrong"))

    assert result is not None
    assert result.status == "failed"
    assert MailboxRun.objects.get().error


def test_nothing_runs_without_a_configured_mailbox(settings):
    settings.IMAP_HOST = ""
    assert mailbox_poll() is None
    assert not MailboxRun.objects.exists()


def test_a_crash_inside_the_transaction_keeps_nothing_and_the_next_run_processes_once(
    imap, monkeypatch
):
    from yuqi.mailbox import services

    CustomerFactory(email="zhaomin@example.cn")
    raw, _mid = mail(attachments=(("截图.png", "image/png", PNG),))
    imap.append(raw)

    class Killed(BaseException):
        """Stands for the worker being killed mid-message."""

    def killed(**kwargs):
        raise Killed

    def files() -> set:
        root = attachments_root()
        return set(root.rglob("*")) if root.exists() else set()

    before = files()
    monkeypatch.setattr(services, "complaint_record_email", killed)
    with pytest.raises(Killed):
        mailbox_poll(config=config(imap))
    assert not InboundMail.objects.exists()  # rolled back: no row, no ticket
    assert {f for f in files() - before if f.is_file()} == set()  # the file written is gone
    monkeypatch.undo()

    result = mailbox_poll(config=config(imap))

    assert (result.seen, result.created) == (1, 1)
    assert InboundMail.objects.count() == 1
    assert InboundAttachment.objects.get().status == AttachmentStatus.STORED


def test_a_run_left_running_by_a_dead_worker_is_marked_interrupted(imap, monkeypatch):
    import datetime as dt

    from yuqi.core.clock import now

    MailboxRun.objects.create(started_at=now() - dt.timedelta(hours=2), folder="INBOX")

    mailbox_poll(config=config(imap))

    old = MailboxRun.objects.order_by("started_at").first()
    assert old.status == "failed"
    assert "Interrupted" in old.error


def test_a_reply_to_yuqis_own_email_is_threaded_even_with_a_new_subject(imap):
    from yuqi.notifications.channels import Outgoing, outbound_message_id

    CustomerFactory(email="zhaomin@example.cn")
    raw, _mid = mail()
    imap.append(raw)
    mailbox_poll(config=config(imap))
    first = InboundMail.objects.get()
    ours = outbound_message_id(
        Outgoing(
            address="zhaomin@example.cn",
            subject="",
            body="",
            language="zh-hans",
            ref=f"complaint:{first.complaint_id}",
        )
    )
    reply, _ = mail(subject="还有一个问题", body="另外账单也不对", in_reply_to=ours)
    imap.append(reply)

    result = mailbox_poll(config=config(imap))

    assert (result.created, result.threaded) == (0, 1)
    assert InboundMail.objects.get(outcome=Outcome.THREADED).complaint_id == first.complaint_id

"""The e-mail intake page: staff who read service measures see the runs and messages, in
Chinese, senders masked; agents do not."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from yuqi.core.clock import now
from yuqi.mailbox.choices import AttachmentStatus, Outcome, RunStatus
from yuqi.mailbox.models import InboundAttachment, InboundMail, MailboxRun

pytestmark = pytest.mark.django_db


def records() -> None:
    run = MailboxRun.objects.create(
        started_at=now(),
        finished_at=now(),
        status=RunStatus.OK,
        folder="INBOX",
        seen=2,
        created=1,
        skipped=1,
    )
    mail = InboundMail.objects.create(
        run=run,
        folder="INBOX",
        uidvalidity=1,
        uid=1,
        message_id="<a@example.cn>",
        sender="zhaomin@example.cn",
        subject="宽带又断了",
        received_at=now(),
        outcome=Outcome.CREATED,
        complaint_number="TS-20261205-0001",
    )
    InboundAttachment.objects.create(
        mail=mail,
        filename="合同.pdf",
        size=20 * 1024 * 1024,
        status=AttachmentStatus.REFUSED,
    )
    with translation.override("zh-hans"):
        note = translation.gettext("No sender address: no ticket opened.")
    InboundMail.objects.create(
        run=run,
        folder="INBOX",
        uidvalidity=1,
        uid=2,
        received_at=now(),
        outcome=Outcome.SKIPPED,
        note=note,
    )


def test_staff_see_runs_and_messages_in_chinese_with_masked_senders(supervisor, as_user):
    records()
    client = as_user(supervisor)
    page = client.get("/mailbox/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "邮件受理" in page
    assert "宽带又断了" in page
    assert "TS-20261205-0001" in page
    assert "zhaomin@example.cn" not in page
    assert "z***@example.cn" in page
    assert "新建工单" in page
    assert "留待人工处理" in page
    assert "已拒收" in page
    assert "没有发件人地址" in page
    main = re.search(r"<main.*?</main>", page, re.S)
    text = re.sub(r"<[^>]+>", " ", main.group(0) if main else page)
    for english in ("New ticket", "Left for staff", "Runs", "Messages read", "Sender", "Refused"):
        assert english not in text


def test_the_page_filters_by_outcome(supervisor, as_user):
    records()
    page = as_user(supervisor).get("/mailbox/", {"outcome": "skipped"}).content.decode()
    assert "宽带又断了" not in page
    assert as_user(supervisor).get("/mailbox/", {"outcome": "<script>"}).status_code == 200


def test_agents_cannot_open_the_page(agent, as_user):
    assert as_user(agent).get("/mailbox/").status_code == 403


def test_the_page_says_when_no_mailbox_is_configured(supervisor, as_user, settings):
    settings.IMAP_HOST = ""
    page = as_user(supervisor).get("/mailbox/").content.decode()
    assert 'data-testid="mailbox-off"' in page


def test_a_kept_attachment_downloads_as_a_file_never_inline(supervisor, analyst, as_user):
    from yuqi.mailbox.storage import store_bytes

    records()
    name, sha = store_bytes(b"%PDF-1.4 <script>alert(1)</script>")
    item = InboundAttachment.objects.create(
        mail=InboundMail.objects.first(),
        filename="账单.pdf",
        detected_type="application/pdf",
        size=34,
        sha256=sha,
        stored_name=name,
        status=AttachmentStatus.STORED,
    )
    answer = as_user(supervisor).get(f"/mailbox/attachments/{item.pk}/")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/octet-stream"
    assert answer["Content-Disposition"].startswith("attachment;")
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert b"".join(answer.streaming_content).startswith(b"%PDF-1.4")
    # analysts see the page but not personal data unmasked: no download
    assert as_user(analyst).get(f"/mailbox/attachments/{item.pk}/").status_code == 403
    refused = InboundAttachment.objects.get(filename="合同.pdf")
    assert as_user(supervisor).get(f"/mailbox/attachments/{refused.pk}/").status_code == 404

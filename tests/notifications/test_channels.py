"""Each channel delivers or reports why not; none raises."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from yuqi.notifications.channels import (
    ConsoleSmsBackend,
    DeliveryResult,
    EmailChannel,
    FileSmsBackend,
    Outgoing,
    SmsBackend,
    SmsChannel,
    sms_backend,
)

MESSAGE = Outgoing(
    address="13812345678",
    subject="投诉 TS-20260213-0001 已受理",
    body="我们已收到您的投诉。",
    language="zh-hans",
    ref="complaint:1",
)


class BrokenGateway(SmsBackend):
    def send_sms(self, message: Outgoing) -> DeliveryResult:
        raise ConnectionError("gateway down")


class BrokenMailer:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP refused")


def test_email_goes_through_djangos_mailer():
    result = EmailChannel().send(Outgoing(**{**MESSAGE.__dict__, "address": "zm@example.cn"}))
    assert result.ok
    assert mail.outbox[-1].to == ["zm@example.cn"]
    assert mail.outbox[-1].subject == MESSAGE.subject
    assert mail.outbox[-1].extra_headers["X-Yuqi-Ref"] == "complaint:1"


def test_a_failing_mailer_is_reported_not_raised(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailer"}}
    result = EmailChannel().send(MESSAGE)
    assert not result.ok
    assert "SMTP refused" in result.error


def test_sms_into_memory(sms_outbox):
    assert SmsChannel().send(MESSAGE).ok
    assert sms_outbox == [MESSAGE]


def test_the_file_backend_appends_json_lines(tmp_path):
    backend = FileSmsBackend(tmp_path / "outbox" / "sms.jsonl")
    backend.send_sms(MESSAGE)
    backend.send_sms(MESSAGE)
    lines = (tmp_path / "outbox" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    record = json.loads(lines[0])
    assert record["address"] == "13812345678"
    assert record["body"] == MESSAGE.body


def test_the_file_backend_is_the_default_and_writes_in_the_data_folder(settings):
    settings.SMS_BACKEND = "file"
    backend = sms_backend()
    assert isinstance(backend, FileSmsBackend)
    assert backend.path == settings.DATA_DIR / "outbox" / "sms.jsonl"


def test_the_console_backend_prints_a_masked_line_without_the_text(capsys):
    """Review F-13: nothing personal on the server's console."""
    assert ConsoleSmsBackend().send_sms(MESSAGE).ok
    out = capsys.readouterr().out
    assert "138****5678" in out
    assert "complaint:1" in out
    assert "13812345678" not in out
    assert MESSAGE.body not in out


def test_a_gateway_class_can_be_named_by_dotted_path(settings):
    settings.SMS_BACKEND = f"{__name__}.BrokenGateway"
    assert isinstance(sms_backend(), BrokenGateway)


def test_a_raising_gateway_is_reported_not_raised():
    result = SmsChannel(BrokenGateway()).send(MESSAGE)
    assert not result.ok
    assert "gateway down" in result.error


def test_the_base_gateway_must_be_subclassed():
    with pytest.raises(NotImplementedError):
        SmsBackend().send_sms(MESSAGE)

"""Personal data never reaches the server log (review F-13): the console mail backend (the
default) prints masked recipients and no subject or body, and every log line is masked."""

from __future__ import annotations

import base64
import logging

import pytest
from django.core.mail import EmailMessage

from yuqi.core.log_masking import PersonalDataLogFilter

NAME = "李超俊"
STAFF_NOTICE = EmailMessage(
    subject=f"Broken promise: {NAME}, due 2026-12-01 18:00",
    body=f'The promise "退还 30 元" made to {NAME} (13812345678) was due by 2026-12-01 18:00.',
    to=["wangqiang@example.cn", "lina@example.cn"],
    headers={"X-Yuqi-Ref": "commitment:9"},
)


def test_the_default_mail_backend_is_the_masking_console():
    from django.conf import settings

    from yuqi.config import settings as configured

    assert configured._EMAIL_BACKENDS["console"] == "yuqi.notifications.mail.ConsoleEmailBackend"
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["request_id", "personal_data"]


def test_the_console_mail_backend_prints_neither_names_nor_numbers(settings, capsys):
    settings.MAILERS = {"default": {"BACKEND": "yuqi.notifications.mail.ConsoleEmailBackend"}}
    assert STAFF_NOTICE.send() == 1
    out = capsys.readouterr().out
    assert "w***@example.cn" in out
    assert "l***@example.cn" in out
    assert "commitment:9" in out
    encoded = base64.b64encode(STAFF_NOTICE.body.encode()).decode()[:20]
    for secret in (NAME, "13812345678", "wangqiang@", "退还", encoded):
        assert secret not in out, secret


def test_a_log_line_and_its_traceback_are_masked(caplog):
    logger = logging.getLogger("yuqi.tests.privacy")
    try:
        raise ValueError("recipient refused: zhaomin@example.cn, 13812345678")
    except ValueError:
        with caplog.at_level(logging.WARNING, logger=logger.name):
            logger.exception("delivery to %s failed", "13912345678")
    record = caplog.records[-1]
    assert PersonalDataLogFilter().filter(record)
    line = logging.Formatter().format(record)
    assert "139****5678" in line
    assert "138****5678" in line
    assert "z***@example.cn" in line
    for secret in ("13912345678", "13812345678", "zhaomin@"):
        assert secret not in line


@pytest.mark.parametrize("number", ["110105198805061234", "6222 0212 3456 7890 123"])
def test_id_and_card_numbers_are_masked_in_log_lines(number):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "customer %s", (number,), None)
    PersonalDataLogFilter().filter(record)
    assert number not in record.getMessage()

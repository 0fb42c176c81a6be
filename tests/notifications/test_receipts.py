"""Delivery receipts pushed by the gateways update the message log; the callback is closed
without its secret token and refuses oversized or malformed pushes."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from yuqi.core.clock import now
from yuqi.notifications.choices import MessageStatus
from yuqi.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db

TOKEN = "r3ce1pt-t0ken"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.SMS_RECEIPT_TOKEN = TOKEN
    with translation.override("en"):
        yield


def sent(provider: str, provider_id: str) -> OutboundMessage:
    return OutboundMessage.objects.create(
        subject_ref="complaint:1",
        channel="sms",
        recipient="138****0001",
        address="13800000001",
        language="zh-hans",
        template="complaint_received",
        body="【预期客服】您的投诉已受理",
        status=MessageStatus.SENT,
        provider=provider,
        provider_id=provider_id,
        created_at=now(),
        sent_at=now(),
    )


def post(provider: str, payload, token: str = TOKEN, raw: bytes | None = None):
    url = reverse("notifications:sms_receipt", args=[provider, token])
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    return Client().post(url, data=body, content_type="application/json")


def test_an_aliyun_receipt_marks_the_message_delivered():
    row = sent("aliyun", "900619^0")
    answer = post(
        "aliyun",
        [
            {
                "phone_number": "13800000001",
                "send_time": "2026-03-04 10:00:01",
                "report_time": "2026-03-04 10:00:05",
                "success": True,
                "err_code": "DELIVERED",
                "err_msg": "用户接收成功",
                "sms_size": "1",
                "biz_id": "900619^0",
                "out_id": str(row.pk),
            }
        ],
    )

    assert answer.status_code == 200
    assert answer.json() == {"code": 0, "msg": "成功"}
    row.refresh_from_db()
    assert row.status == MessageStatus.DELIVERED
    assert row.delivered_at is not None


def test_a_tencent_failure_receipt_marks_it_failed_with_the_providers_words():
    row = sent("tencent", "5000:1045")
    answer = post(
        "tencent",
        [
            {
                "user_receive_time": "2026-03-04 10:00:05",
                "nationcode": "86",
                "mobile": "13800000001",
                "report_status": "FAIL",
                "errmsg": "MK:0001",
                "description": "用户关机",
                "sid": "5000:1045",
            }
        ],
    )

    assert answer.json() == {"result": 0, "errmsg": "OK"}
    row.refresh_from_db()
    assert row.status == MessageStatus.FAILED
    assert row.error.endswith("MK:0001 用户关机")  # in the site language (no Accept-Language)


def test_a_receipt_for_another_providers_id_changes_nothing():
    row = sent("tencent", "same-id")
    post("aliyun", [{"biz_id": "same-id", "success": True}])
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT


@pytest.mark.parametrize("token", ["wrong", "x" * 64])
def test_a_wrong_token_is_not_found(token):
    row = sent("aliyun", "1^0")
    assert post("aliyun", [{"biz_id": "1^0", "success": True}], token=token).status_code == 404
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT


def test_the_callback_is_closed_while_no_token_is_configured(settings):
    settings.SMS_RECEIPT_TOKEN = ""
    assert post("aliyun", [], token="anything").status_code == 404


def test_an_unknown_provider_is_not_found():
    assert post("twilio", []).status_code == 404


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"\xff\xfe",
        b'{"biz_id": 1, "success": true, "nested": [' + b"[" * 10 + b"]" * 10 + b"]}",
        json.dumps([1, 2, 3]).encode(),
        json.dumps([{"biz_id": "x"}] * 501).encode(),
        b'"a string"',
    ],
)
def test_malformed_pushes_are_refused(raw):
    answer = post("aliyun", None, raw=raw)
    assert answer.status_code in (200, 400)
    if answer.status_code == 200:  # one object is read as a list of one: harmless
        assert answer.json() == {"code": 0, "msg": "成功"}


def test_an_oversized_push_is_refused():
    raw = json.dumps([{"biz_id": "x" * 1000, "success": True}] * 300).encode()
    assert len(raw) > 256 * 1024
    assert post("aliyun", None, raw=raw).status_code == 413


def test_get_is_not_allowed():
    url = reverse("notifications:sms_receipt", args=["aliyun", TOKEN])
    assert Client().get(url).status_code == 405

"""Every SMS starts with the 【signature】 Chinese gateways require (``YUQI_SMS_SIGNATURE``),
added once (issue 14)."""

from __future__ import annotations

import pytest

from tests.customers.factories import CustomerFactory
from yuqi.notifications.facade import notify_customer
from yuqi.notifications.models import OutboundMessage
from yuqi.notifications.sms import sign


@pytest.mark.parametrize(
    ("body", "name", "signed"),
    [
        ("您的投诉已受理。", "预期客服", "【预期客服】您的投诉已受理。"),
        ("【预期客服】您的投诉已受理。", "预期客服", "【预期客服】您的投诉已受理。"),
        ("【预期客服】【预期客服】 已受理", "【预期客服】", "【预期客服】已受理"),
        ("已受理", "", "已受理"),
    ],
)
def test_the_signature_is_prefixed_exactly_once(body, name, signed):
    assert sign(body, name) == signed


@pytest.mark.django_db
def test_a_customer_sms_carries_the_signature_and_the_email_does_not(
    settings, sms_outbox, django_capture_on_commit_callbacks
):
    settings.YUQI_SMS_SIGNATURE = "预期客服"
    customer = CustomerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify_customer(
            customer_id=customer.pk,
            template="complaint_received",
            context={"number": "TS-1", "first_response_due": None, "out_of_hours": False},
            subject="complaint:1",
        )
    sms = OutboundMessage.objects.get(channel="sms")
    assert sms.body.startswith("【预期客服】")
    assert sms.body.count("【预期客服】") == 1
    assert sms_outbox[0].body == sms.body
    assert not OutboundMessage.objects.get(channel="email").body.startswith("【")

"""The Alibaba Cloud and Tencent Cloud SMS adapters, each through its official SDK against a
local HTTP server that checks the request (endpoint overridden in settings): success, a
provider error code, a 5xx and a timeout (retried with back-off, then failed with the
provider's message); template codes and parameters, the registered signature."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import translation

from tests.customers.factories import CustomerFactory
from tests.notifications.gateway_server import fake_provider
from tests.support.clock import freeze_now
from yuqi.notifications.choices import MessageStatus
from yuqi.notifications.facade import notify_customer
from yuqi.notifications.models import OutboundMessage, SmsTemplate
from yuqi.notifications.services import messages_deliver_stale

pytestmark = pytest.mark.django_db

SH = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def clock(monkeypatch):
    return freeze_now(monkeypatch, dt.datetime(2026, 3, 4, 10, 0, tzinfo=SH))  # a Wednesday


@pytest.fixture(autouse=True)
def _english():
    """The log's notes are written in the active language; these tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _committed(monkeypatch):
    """Messages go out after the commit: here at once, as outside a transaction."""
    monkeypatch.setattr(
        "yuqi.notifications.services.transaction.on_commit", lambda fn, robust=False: fn()
    )


@pytest.fixture
def provider():
    with fake_provider() as fake:
        yield fake


@pytest.fixture
def aliyun(settings, provider):
    settings.SMS_BACKEND = "aliyun"
    settings.YUQI_SMS_SIGNATURE = "预期客服"
    settings.SMS_ALIYUN = {
        "access_key_id": "LTAI-test",
        "access_key_secret": "secret",
        "endpoint": provider.endpoint,
        "protocol": "http",
    }
    settings.SMS_TIMEOUT_SECONDS = 1
    settings.SMS_MAX_ATTEMPTS = 3
    SmsTemplate.objects.create(
        kind="complaint_received", provider="aliyun", template_code="SMS_470001", params="number"
    )
    provider.answer = {"Code": "OK", "Message": "OK", "BizId": "900619^0", "RequestId": "R1"}
    return provider


@pytest.fixture
def tencent(settings, provider):
    settings.SMS_BACKEND = "tencent"
    settings.YUQI_SMS_SIGNATURE = "预期客服"
    settings.SMS_TENCENT = {
        "secret_id": "AKID-test",
        "secret_key": "secret",
        "sdk_app_id": "1400000001",
        "region": "ap-guangzhou",
        "endpoint": provider.endpoint,
        "scheme": "http",
    }
    settings.SMS_TIMEOUT_SECONDS = 1
    settings.SMS_MAX_ATTEMPTS = 3
    SmsTemplate.objects.create(
        kind="complaint_received",
        provider="tencent",
        template_code="2345678",
        params="number,recipient_name",
    )
    provider.answer = {
        "Response": {
            "SendStatusSet": [
                {
                    "SerialNo": "5000:104571066915",
                    "PhoneNumber": "+8613800000001",
                    "Fee": 1,
                    "SessionContext": "",
                    "Code": "Ok",
                    "Message": "send success",
                    "IsoCode": "CN",
                }
            ],
            "RequestId": "a0aabda6",
        }
    }
    return provider


def send() -> OutboundMessage:
    customer = CustomerFactory(name="赵敏", phone="13800000001")
    notify_customer(
        customer_id=customer.pk,
        template="complaint_received",
        context={"number": "TS-20260304-0001"},
        subject="complaint:1",
        channels=("sms",),
    )
    return OutboundMessage.objects.get(channel="sms")


# ------------------------------------------------------------------ Alibaba Cloud
def test_aliyun_sends_the_template_code_parameters_and_signature(clock, aliyun):
    row = send()

    assert row.status == MessageStatus.SENT
    assert (row.provider, row.provider_id) == ("aliyun", "900619^0")
    [seen] = aliyun.requests
    assert seen.headers["x-acs-action"] == "SendSms"
    assert seen.headers["authorization"].startswith("ACS3-HMAC-SHA256 Credential=LTAI-test")
    assert seen.query["PhoneNumbers"] == "13800000001"
    assert seen.query["SignName"] == "预期客服"
    assert seen.query["TemplateCode"] == "SMS_470001"
    assert json.loads(seen.query["TemplateParam"]) == {"number": "TS-20260304-0001"}
    assert seen.query["OutId"] == str(row.pk)


def test_aliyun_error_code_fails_at_once_with_the_providers_message(clock, aliyun):
    aliyun.answer = {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "R"}

    row = send()

    assert row.status == MessageStatus.FAILED
    assert row.attempts == 1
    assert row.error == "aliyun: isv.MOBILE_NUMBER_ILLEGAL 非法手机号"


def test_aliyun_timeout_is_retried_with_back_off_then_failed(clock, aliyun, settings):
    settings.SMS_MAX_ATTEMPTS = 2
    aliyun.delay = 2.5  # longer than the 1 s timeout

    row = send()

    assert row.status == MessageStatus.QUEUED
    assert row.attempts == 1
    assert row.next_attempt_at == clock() + dt.timedelta(seconds=60)
    assert "Attempt 1 of 2" in row.error
    assert "timed out" in row.error
    assert messages_deliver_stale() == 0  # not due yet: nothing sent
    assert len(aliyun.requests) == 1

    clock.at += dt.timedelta(seconds=61)
    messages_deliver_stale()

    row.refresh_from_db()
    assert row.status == MessageStatus.FAILED
    assert row.attempts == 2
    assert "timed out" in row.error
    assert "Attempt" not in row.error
    assert len(aliyun.requests) == 2


def test_aliyun_5xx_is_retried_and_a_later_success_is_recorded(clock, aliyun):
    aliyun.status = 503
    aliyun.answer = {"Code": "ServiceUnavailable", "Message": "busy", "RequestId": "R"}

    row = send()
    assert row.status == MessageStatus.QUEUED
    assert "ServiceUnavailable" in row.error

    aliyun.status = 200
    aliyun.answer = {"Code": "OK", "Message": "OK", "BizId": "77^0", "RequestId": "R2"}
    clock.at += dt.timedelta(minutes=2)
    assert messages_deliver_stale() == 1

    row.refresh_from_db()
    assert (row.status, row.attempts, row.provider_id) == (MessageStatus.SENT, 2, "77^0")


# ------------------------------------------------------------------ Tencent Cloud
def test_tencent_sends_the_template_id_parameters_and_signature(clock, tencent):
    row = send()

    assert row.status == MessageStatus.SENT
    assert (row.provider, row.provider_id) == ("tencent", "5000:104571066915")
    [seen] = tencent.requests
    assert seen.headers["x-tc-action"] == "SendSms"
    assert seen.headers["x-tc-version"] == "2021-01-11"
    assert seen.headers["authorization"].startswith("TC3-HMAC-SHA256 Credential=AKID-test/")
    body = seen.json()
    assert body["PhoneNumberSet"] == ["+8613800000001"]
    assert body["SmsSdkAppId"] == "1400000001"
    assert body["SignName"] == "预期客服"
    assert body["TemplateId"] == "2345678"
    assert body["TemplateParamSet"] == ["TS-20260304-0001", "赵敏"]  # in the configured order
    assert body["SessionContext"] == str(row.pk)


def test_tencent_error_code_fails_at_once_with_the_providers_message(clock, tencent):
    tencent.answer = {
        "Response": {
            "Error": {
                "Code": "FailedOperation.SignatureIncorrectOrUnapproved",
                "Message": "签名未审批",
            },
            "RequestId": "r",
        }
    }

    row = send()

    assert row.status == MessageStatus.FAILED
    assert row.attempts == 1
    assert row.error == "tencent: FailedOperation.SignatureIncorrectOrUnapproved 签名未审批"


def test_tencent_timeout_is_retried_with_back_off_then_failed(clock, tencent, settings):
    settings.SMS_MAX_ATTEMPTS = 2
    tencent.delay = 2.5

    row = send()
    assert row.status == MessageStatus.QUEUED
    assert row.attempts == 1
    assert "ClientNetworkError" in row.error

    clock.at += dt.timedelta(seconds=61)
    messages_deliver_stale()

    row.refresh_from_db()
    assert row.status == MessageStatus.FAILED
    assert row.attempts == 2
    assert row.error.startswith("tencent: ClientNetworkError")


def test_back_off_doubles_between_attempts(clock, tencent, settings):
    settings.SMS_MAX_ATTEMPTS = 4
    tencent.status = 502
    tencent.answer = {}

    row = send()
    waits = []
    for _ in range(3):
        row.refresh_from_db()
        waits.append(row.next_attempt_at - clock())
        clock.at = row.next_attempt_at
        messages_deliver_stale()

    row.refresh_from_db()
    assert waits == [dt.timedelta(seconds=s) for s in (60, 120, 240)]
    assert row.status == MessageStatus.FAILED
    assert row.attempts == 4
    assert "ServerNetworkError" in row.error


# ------------------------------------------------------------------ rules
def test_a_kind_without_a_template_code_fails_and_says_so(clock, aliyun):
    SmsTemplate.objects.all().delete()

    row = send()

    assert row.status == MessageStatus.FAILED
    assert "No SMS template for complaint_received on aliyun" in row.error
    assert aliyun.requests == []


def test_templates_can_come_from_settings(clock, aliyun, settings):
    SmsTemplate.objects.all().delete()
    settings.SMS_TEMPLATES = {"complaint_received": {"code": "SMS_9", "params": ["number"]}}

    row = send()

    assert row.status == MessageStatus.SENT
    assert aliyun.requests[0].query["TemplateCode"] == "SMS_9"


def test_quiet_hours_hold_a_text_until_the_morning(clock, aliyun, settings):
    settings.SMS_QUIET_HOURS = "21:00-08:00"
    clock.at = dt.datetime(2026, 3, 4, 22, 30, tzinfo=SH)  # Wednesday night

    row = send()

    assert row.status == MessageStatus.QUEUED
    assert aliyun.requests == []
    assert row.next_attempt_at == dt.datetime(2026, 3, 5, 8, 0, tzinfo=SH)
    assert "Quiet hours" in row.error

    clock.at = dt.datetime(2026, 3, 5, 8, 1, tzinfo=SH)
    assert messages_deliver_stale() == 1
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT


def test_quiet_hours_end_later_on_a_rest_day(clock, aliyun, settings):
    settings.SMS_QUIET_HOURS = "21:00-08:00"
    settings.SMS_QUIET_REST_DAY_END = "09:30"
    clock.at = dt.datetime(2026, 3, 6, 23, 0, tzinfo=SH)  # Friday night, Saturday rests

    row = send()

    assert row.next_attempt_at == dt.datetime(2026, 3, 7, 9, 30, tzinfo=SH)


def test_the_daily_limit_per_phone_skips_texts_past_it(clock, aliyun, settings):
    settings.SMS_DAILY_LIMIT_PER_PHONE = 2
    customer = CustomerFactory(phone="13800000009")
    for n in range(3):
        notify_customer(
            customer_id=customer.pk,
            template="complaint_received",
            context={"number": f"TS-20260304-000{n}"},
            subject=f"complaint:{n}",
            channels=("sms",),
        )

    statuses = list(OutboundMessage.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [MessageStatus.SENT, MessageStatus.SENT, MessageStatus.SKIPPED]
    assert len(aliyun.requests) == 2
    assert "Daily limit of 2" in OutboundMessage.objects.order_by("pk").last().error

    clock.at += dt.timedelta(days=1)  # a new day: sent again
    notify_customer(
        customer_id=customer.pk,
        template="complaint_received",
        context={"number": "TS-20260305-0001"},
        subject="complaint:9",
        channels=("sms",),
    )
    assert OutboundMessage.objects.order_by("pk").last().status == MessageStatus.SENT


# ------------------------------------------------------------------ one-time codes
def _ask_code(phone: str = "13800000077") -> None:
    from django.core.cache import cache

    from yuqi.channels import codes

    cache.clear()  # each ask is a new minute for the per-number rate limit
    codes.code_send(phone=phone, purpose="intake", client="203.0.113.9", language="zh-hans")


def _code_row() -> OutboundMessage:
    return OutboundMessage.objects.filter(template="verification_code").latest("pk")


def _status_text() -> OutboundMessage:
    customer = CustomerFactory(phone="13800000001")
    notify_customer(
        customer_id=customer.pk,
        template="complaint_received",
        context={"number": "TS-20260304-0001"},
        subject="complaint:1",
        channels=("sms",),
    )
    return OutboundMessage.objects.filter(template="complaint_received").latest("pk")


def test_a_code_goes_through_its_template_code_with_the_code_as_parameter(clock, aliyun, settings):
    settings.SMS_CODE_TEMPLATE = "SMS_CODE_01"
    settings.SMS_CODE_TEMPLATE_PARAMS = ("code",)

    _ask_code()

    [seen] = aliyun.requests
    assert seen.query["TemplateCode"] == "SMS_CODE_01"
    sent = json.loads(seen.query["TemplateParam"])
    assert list(sent) == ["code"]
    assert len(sent["code"]) == 6
    assert sent["code"].isdigit()
    row = _code_row()
    assert row.status == MessageStatus.SENT
    # the log keeps neither the text's nor the parameters' live code
    assert sent["code"] not in row.body
    assert "******" in row.body
    assert row.params == {"code": "******", "minutes": "10"}


def test_a_row_in_settings_wins_over_the_code_setting_and_tencent_gets_the_order(
    clock, tencent, settings
):
    settings.SMS_CODE_TEMPLATE = "111"
    SmsTemplate.objects.create(
        kind="verification_code", provider="tencent", template_code="222", params="code,minutes"
    )

    _ask_code()

    body = tencent.requests[0].json()
    assert body["TemplateId"] == "222"
    code, minutes = body["TemplateParamSet"]
    assert len(code) == 6
    assert code.isdigit()
    assert minutes == "10"


def test_without_a_code_template_the_code_fails_with_the_reason(clock, aliyun):
    _ask_code()

    assert aliyun.requests == []
    row = _code_row()
    assert row.status == MessageStatus.FAILED
    assert "No SMS template for verification_code" in row.error


def test_a_code_is_not_held_by_quiet_hours_even_if_the_exempt_list_forgets_it(
    clock, aliyun, settings
):
    settings.SMS_CODE_TEMPLATE = "SMS_CODE_01"
    settings.SMS_QUIET_HOURS = "21:00-08:00"
    settings.SMS_QUIET_EXEMPT = ()
    clock.at = dt.datetime(2026, 3, 4, 23, 40, tzinfo=SH)  # Wednesday night

    _ask_code(phone="13800000001")

    assert _code_row().status == MessageStatus.SENT
    assert len(aliyun.requests) == 1
    # a status text to the same number at the same hour still waits for the morning
    assert _status_text().status == MessageStatus.QUEUED
    assert len(aliyun.requests) == 1


def test_codes_count_in_the_daily_limit_and_past_it_the_customer_is_told(clock, aliyun, settings):
    from yuqi.channels import codes

    settings.SMS_CODE_TEMPLATE = "SMS_CODE_01"
    settings.SMS_DAILY_LIMIT_PER_PHONE = 2
    _ask_code(phone="13800000001")
    assert _status_text().status == MessageStatus.SENT  # the code and this text: two today

    with pytest.raises(codes.Throttled) as refused:
        _ask_code(phone="13800000001")
    assert refused.value.code == "daily_limit"
    assert _code_row().status == MessageStatus.SKIPPED
    assert len(aliyun.requests) == 2


def test_a_code_the_gateway_could_not_take_is_not_kept_for_a_retry(clock, aliyun, settings):
    settings.SMS_CODE_TEMPLATE = "SMS_CODE_01"
    aliyun.status = 503

    _ask_code()

    row = _code_row()
    assert row.status == MessageStatus.FAILED
    assert row.next_attempt_at is None
    assert "not sent again later" in row.error
    assert row.params["code"] == "******"
    assert messages_deliver_stale() == 0

"""notify_customer / notify_users / messages_about: logged in the transaction, delivered after
it commits, failures recorded and never raised, recipients masked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from tests.accounts.factories import UserFactory
from tests.customers.factories import CustomerFactory
from tests.notifications.factories import MessageFactory
from yuqi.notifications import facade
from yuqi.notifications.channels import DeliveryResult, SmsBackend
from yuqi.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db
DUE = dt.datetime(2026, 2, 25, 9, 30, tzinfo=dt.UTC)
STATUS = {"number": "TS-20260213-0001", "state_label": "investigating", "next_step": "", "due": DUE}


@pytest.fixture
def customer():
    return CustomerFactory(name="赵敏", phone="13812345678", email="zhaomin@example.cn")


def notify(customer, **kwargs):
    return facade.notify_customer(
        customer_id=customer.pk,
        template="complaint_status",
        context=STATUS,
        subject="complaint:1",
        **kwargs,
    )


def test_a_customer_gets_sms_and_email_after_the_commit(
    customer, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = notify(customer)
    assert [m.status for m in queued] == ["queued", "queued"]  # inside the transaction
    assert sms_outbox[0].address == "13812345678"
    assert mail.outbox[0].to == ["zhaomin@example.cn"]
    sent = facade.messages_about("complaint:1")
    assert [(m.channel, m.status) for m in sent] == [("sms", "sent"), ("email", "sent")]
    assert all(m.sent_at is not None for m in sent)


def test_nothing_is_delivered_if_the_transaction_does_not_commit(
    customer, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        notify(customer)
    assert sms_outbox == []
    assert mail.outbox == []


def test_recipients_are_masked_for_display(customer):
    messages = notify(customer)
    assert [m.recipient for m in messages] == ["138****5678", "z***@example.cn"]
    row = OutboundMessage.objects.get(channel="sms")
    assert row.address == "13812345678"  # what the gateway needs


def test_a_missing_address_is_logged_as_skipped(sms_outbox, django_capture_on_commit_callbacks):
    customer = CustomerFactory(phone="", email="zhaomin@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        messages = notify(customer)
    assert [(m.channel, m.status) for m in messages] == [("sms", "skipped"), ("email", "queued")]
    assert messages[0].error
    assert sms_outbox == []


def test_a_failing_gateway_marks_the_message_failed_and_does_not_raise(
    customer, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.notifications.test_channels.BrokenGateway"
    with django_capture_on_commit_callbacks(execute=True):
        notify(customer, channels=("sms",))
    (message,) = facade.messages_about("complaint:1")
    assert message.status == "failed"
    assert "gateway down" in message.error
    assert message.sent_at is None


def test_the_message_is_in_the_customers_language_or_the_one_asked_for(customer):
    (default,) = notify(customer, channels=("sms",))
    (english,) = notify(customer, channels=("sms",), language="en")
    assert default.language == "zh-hans"
    assert english.language == "en"
    assert english.subject == "Update on your complaint TS-20260213-0001"


def test_an_unknown_customer_is_logged_as_skipped():
    messages = facade.notify_customer(
        customer_id=999_999, template="complaint_status", context=STATUS, subject="complaint:1"
    )
    assert {m.status for m in messages} == {"skipped"}


def test_users_get_email(django_capture_on_commit_callbacks):
    owner = UserFactory(username="lina", email="lina@example.cn")
    nobody = UserFactory(username="noemail", email="")
    with django_capture_on_commit_callbacks(execute=True):
        messages = facade.notify_users(
            user_ids=[owner.pk, nobody.pk],
            template="sla_alert",
            context={
                "number": "TS-1",
                "clock_label": "resolution",
                "state": "at risk",
                "due": DUE,
                "url": "/complaints/1/",
            },
            subject="complaint:1",
        )
    assert [m.status for m in messages] == ["queued", "skipped"]
    assert mail.outbox[0].to == ["lina@example.cn"]
    # staff have no language of their own: the site's (Chinese by default)
    assert mail.outbox[0].subject == "即将超时：TS-1 的 resolution"


def test_messages_about_is_oldest_first_and_only_that_subject():
    later = MessageFactory(created_at=dt.datetime(2026, 2, 14, tzinfo=dt.UTC), body="second")
    earlier = MessageFactory(created_at=dt.datetime(2026, 2, 13, tzinfo=dt.UTC), body="first")
    MessageFactory(subject_ref="complaint:2")
    assert [m.id for m in facade.messages_about("complaint:1")] == [earlier.pk, later.pk]


def test_stale_queued_messages_are_sent_by_the_job(sms_outbox):
    from yuqi.notifications.services import messages_deliver_stale

    MessageFactory(status="queued", created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert messages_deliver_stale() == 1
    assert messages_deliver_stale() == 0  # sent once only
    assert len(sms_outbox) == 1


class RefusingGateway(SmsBackend):
    def send_sms(self, message):
        return DeliveryResult(False, f"number {message.address} is on the blocklist")


def test_a_refusal_quoting_the_number_is_logged_masked(
    customer, settings, caplog, django_capture_on_commit_callbacks
):
    """Review F-13: the message log (read by roles that see numbers masked) and the server log
    never hold the number a gateway quotes back."""
    settings.SMS_BACKEND = f"{__name__}.RefusingGateway"
    with django_capture_on_commit_callbacks(execute=True):
        notify(customer, channels=("sms",))
    (message,) = facade.messages_about("complaint:1")
    assert message.error == "number 138****5678 is on the blocklist"
    assert "13812345678" not in caplog.text


def test_delivery_in_bulk_sends_and_marks_only_the_given_queued_messages():
    from yuqi.notifications.services import messages_deliver_many

    def email(**kwargs):
        return MessageFactory(channel="email", address="lina@example.cn", **kwargs)

    given = [email(status="queued"), email(status="queued", subject="Second")]
    already_failed = email(status="failed")
    not_given = email(status="queued")
    mail.outbox.clear()
    sent = messages_deliver_many(message_ids=[m.pk for m in [*given, already_failed, given[0]]])
    assert sent == 2
    assert [m.subject for m in mail.outbox] == ["Update", "Second"]
    statuses = dict(OutboundMessage.objects.values_list("pk", "status"))
    assert [statuses[m.pk] for m in given] == ["sent", "sent"]
    assert statuses[already_failed.pk] == "failed"
    assert statuses[not_given.pk] == "queued"
    assert all(m.sent_at for m in OutboundMessage.objects.filter(status="sent"))

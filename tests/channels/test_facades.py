"""The small facade functions the customer channels added to other contexts."""

from __future__ import annotations

import pytest

from tests.customers.factories import CustomerFactory, tier

pytestmark = pytest.mark.django_db


def test_customer_by_phone_prefers_an_open_account():
    from yuqi.customers.facade import customer_id_by_phone

    closed = CustomerFactory(phone="13800001111", status="closed")
    assert customer_id_by_phone("13800001111") == closed.pk
    active = CustomerFactory(phone="13800001111")
    assert customer_id_by_phone("13800001111") == active.pk
    assert customer_id_by_phone("13899999999") is None
    assert customer_id_by_phone("") is None


def test_a_new_customer_from_intake_has_no_tier():
    from yuqi.customers.facade import customer_refs, customer_register_from_intake

    new_id = customer_register_from_intake(phone="13700002222", name="周先生")
    ref = customer_refs([new_id])[new_id]
    assert ref.name == "周先生"
    assert ref.tier_code is None
    assert ref.external_id.startswith("N")


def test_tier_ranks_and_segments():
    from yuqi.customers.facade import segment_labels, tier_ranks

    assert tier_ranks() == {"diamond": 1, "gold": 2, "silver": 3, "ordinary": 4}
    assert segment_labels()[0][0] == "top"


def test_perk_lines_carry_the_lowest_tier():
    from yuqi.commitments.facade import perk_lines

    lines = {line.code: line for line in perk_lines()}
    assert lines["vip_hotline"].min_tier_code == "gold"
    assert lines["vip_hotline"].min_tier_rank == 2
    assert lines["home_visit"].name == "上门服务"


def test_notify_phone_sends_and_stars_the_secret(settings):
    from yuqi.notifications import channels
    from yuqi.notifications.facade import messages_about, notify_phone

    settings.SMS_BACKEND = "locmem"
    channels.outbox.clear()
    sent = notify_phone(
        phone="13600003333",
        template="verification_code",
        context={"code": "482913", "minutes": 10},
        subject="code:test",
        secret="482913",
    )
    assert sent.status == "sent"
    assert sent.recipient == "136****3333"
    assert "482913" in channels.outbox[-1].body
    assert "482913" not in messages_about("code:test")[0].body
    channels.outbox.clear()


def test_public_status_of_an_unknown_ticket_is_none():
    from yuqi.complaints.facade import complaint_public_status

    assert complaint_public_status("TS-20990101-0001") is None


def test_customers_in_a_queue():
    from yuqi.core.clock import now
    from yuqi.interactions.facade import customers_contacted_in_queue

    CustomerFactory(tier=tier("gold"))
    assert customers_contacted_in_queue("nope", now()) == set()


def test_text_topic_reads_the_taxonomy():
    from yuqi.textmining.facade import text_topic

    assert text_topic("宽带断网了，网速很慢") != ""
    assert text_topic("你好") == ""

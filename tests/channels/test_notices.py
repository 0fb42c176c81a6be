"""Proactive notices to a segment: audience preview, opt-out, and the tier guard that keeps
VIP perks out of ordinary customers' messages unless someone records why."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from tests.customers.factories import CustomerFactory, tier
from yuqi.channels import services
from yuqi.channels.models import Notice
from yuqi.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers():
    gold = [CustomerFactory(tier=tier("gold"), region="广东 深圳") for _ in range(2)]
    ordinary = [CustomerFactory(tier=tier("ordinary"), region="广东 深圳") for _ in range(3)]
    CustomerFactory(tier=tier("ordinary"), region="湖北 武汉")
    return gold, ordinary


def _notice(by, **kwargs):
    values = {
        "kind": "policy",
        "title": "尊享服务提醒",
        "body": "您可拨打 VIP 专席获得优先接入。",
        "regions": ["广东 深圳"],
        "by": by,
    }
    values.update(kwargs)
    return services.notice_create(**values)


def test_the_audience_follows_the_filters_and_leaves_out_opt_outs(customers, supervisor):
    _gold, ordinary = customers
    services.notice_opt_out(customer_id=ordinary[0].pk, source="test")
    audience = services.notice_audience(_notice(supervisor))
    assert audience.size == 4
    assert audience.opted_out == 1
    assert audience.by_tier == {"gold": 2, "ordinary": 2}
    only_gold = services.notice_audience(_notice(supervisor, tiers=["gold"]))
    assert only_gold.size == 2


def test_a_perk_for_gold_cannot_go_to_ordinary_customers_without_a_reason(
    customers, supervisor, sms_outbox, django_capture_on_commit_callbacks
):
    notice = _notice(supervisor)
    with pytest.raises(services.TierGuardRefused) as refused:
        services.notice_send(notice_id=notice.pk, by=supervisor)
    assert [f.code for f in refused.value.findings] == ["vip_hotline"]
    assert refused.value.findings[0].below == 3
    notice.refresh_from_db()
    assert notice.state == "draft"
    assert sms_outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(
            notice_id=notice.pk, by=supervisor, override_reason="监管要求全员告知专席调整"
        )
    notice.refresh_from_db()
    assert notice.state == "sending"
    assert sms_outbox == []  # the worker sends
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_deliver(notice.pk)
    notice.refresh_from_db()
    assert notice.state == "sent"
    assert notice.sent_count == 5
    assert notice.override_by == supervisor
    assert len(sms_outbox) == 5
    # the override and its reason are in the audit log
    entry = LogEntry.objects.get_for_object(notice).filter(changes__icontains="override_reason")
    assert entry.exists()
    assert "监管要求全员告知专席调整" in str(entry.first().changes)


def test_the_same_text_to_entitled_customers_needs_no_override(customers, supervisor):
    notice = _notice(supervisor, tiers=["gold", "diamond"])
    assert services.notice_findings(notice) == []
    services.notice_send(notice_id=notice.pk, by=supervisor)
    assert Notice.objects.get(pk=notice.pk).override_reason == ""


def test_a_care_message_goes_only_to_customers_who_consent_to_marketing(
    customers, supervisor, sms_outbox, django_capture_on_commit_callbacks
):
    gold, ordinary = customers
    _consent(gold[0], given=True)
    _consent(ordinary[0], given=True)
    _consent(ordinary[1], given=True)
    care = _notice(supervisor, kind="care", title="年终关怀", body="感谢您一年来的支持！")
    audience = services.notice_audience(care)
    assert (audience.size, audience.no_consent, audience.opted_out) == (3, 2, 0)
    assert services.notice_audience(_notice(supervisor, kind="outage")).size == 5  # service
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(notice_id=care.pk, by=supervisor)
    # withdrawn between the send and the worker's run: left out, never messaged
    _consent(ordinary[1], given=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_deliver(care.pk)
    care.refresh_from_db()
    assert (care.state, care.sent_count) == ("sent", 2)
    assert sorted(m.customer_id for m in sms_outbox_messages(care)) == sorted(
        [gold[0].pk, ordinary[0].pk]
    )


def _consent(customer, *, given: bool) -> None:
    from yuqi.privacy.services import consent_record

    consent_record(
        customer_ref=customer.external_id, purpose="marketing", given=given, source="phone"
    )


def sms_outbox_messages(notice):
    from yuqi.notifications.models import OutboundMessage

    return OutboundMessage.objects.filter(subject_ref=f"notice:{notice.pk}")


def test_a_notice_is_sent_once(customers, supervisor):
    notice = _notice(supervisor, body="今晚 23:00 至次日 2:00 网络维护。")
    services.notice_send(notice_id=notice.pk, by=supervisor)
    with pytest.raises(DomainError):
        services.notice_send(notice_id=notice.pk, by=supervisor)


def test_shape_limits(supervisor):
    with pytest.raises(DomainError):
        services.notice_create(kind="spam", title="x", body="y", by=supervisor)
    with pytest.raises(DomainError):
        services.notice_create(kind="care", title="x", body="y" * 501, by=supervisor)


def test_the_page_blocks_then_sends_with_a_reason(customers, supervisor, as_user):
    client = as_user(supervisor)
    response = client.post(
        "/channels/notices/",
        {
            "kind": "policy",
            "title": "尊享服务提醒",
            "body": "您可拨打 VIP 专席获得优先接入。",
            "regions": "广东 深圳",
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    page = client.get(url).content.decode()
    assert 'id="audience-size"' in page
    assert "VIP 专席" in page
    refused = client.post(url, {"override_reason": ""})
    assert refused.status_code == 409
    sent = client.post(url, {"override_reason": "监管要求"})
    assert sent.status_code == 302
    assert Notice.objects.get().state == "sending"
    page = client.get(url).content.decode()
    assert 'id="notice-progress"' in page
    assert "?part=progress" in page
    services.notice_deliver(Notice.objects.get().pk)
    part = client.get(url + "?part=progress")
    assert part["HX-Refresh"] == "true"
    assert "5 of 5" in part.content.decode() or "5 / 5" in part.content.decode()
    assert Notice.objects.get().state == "sent"
    assert 'id="notice-sent"' in client.get(url).content.decode()


def test_agents_cannot_send_notices(agent, as_user):
    assert as_user(agent).get("/channels/notices/").status_code == 403
    assert as_user(agent).get("/channels/intake/").status_code == 403


def test_a_customer_stops_notices_with_a_code_and_is_left_out(customers, supervisor, sms_outbox):
    from django.test import Client

    from tests.channels.conftest import last_code

    _gold, ordinary = customers
    client = Client()
    assert client.post("/c/stop", {"phone": ordinary[1].phone}).status_code == 302
    page = client.post("/c/stop/confirm", {"code": last_code(sms_outbox)}).content.decode()
    assert 'id="stopped"' in page
    audience = services.notice_audience(_notice(supervisor, body="今晚网络维护"))
    assert ordinary[1].pk not in audience.customer_ids
    assert audience.opted_out == 1


def test_each_notice_says_how_to_stop_them(
    customers, supervisor, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_URL = "https://kf.example.cn"
    notice = _notice(supervisor, body="今晚 23:00 网络维护。")
    services.notice_send(notice_id=notice.pk, by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_deliver(notice.pk)
    assert "https://kf.example.cn/c/stop" in sms_outbox[-1].body


def test_a_product_notice_goes_to_customers_with_a_ticket_about_it(customers, supervisor):
    from tests.complaints.factories import open_complaint
    from yuqi.complaints.models import ComplaintCategory

    gold, ordinary = customers
    broadband = ComplaintCategory.objects.get(code="broadband")
    billing_plan = ComplaintCategory.objects.get(code="billing-plan")
    open_complaint(by=supervisor, customer=gold[0], category=broadband)
    open_complaint(by=supervisor, customer=ordinary[0], category=billing_plan)
    open_complaint(by=supervisor, customer=ordinary[1])  # no category

    only_broadband = services.notice_audience(_notice(supervisor, product="broadband"))
    assert only_broadband.customer_ids == [gold[0].pk]
    # a top-level line takes in its sub-categories
    billing = services.notice_audience(_notice(supervisor, product="billing", body="资费调整"))
    assert billing.customer_ids == [ordinary[0].pk]
    # and it combines with the other filters
    both = _notice(supervisor, product="broadband", tiers=["ordinary"], body="宽带维护")
    assert services.notice_audience(both).size == 0


def test_an_unknown_product_is_refused(supervisor):
    with pytest.raises(DomainError) as refused:
        _notice(supervisor, product="<script>")
    assert refused.value.field == "product"


def test_the_page_offers_products_and_shows_the_chosen_one_by_name(customers, supervisor, as_user):
    client = as_user(supervisor)
    form = client.get("/channels/notices/").content.decode()
    assert 'name="product"' in form
    assert 'value="broadband"' in form
    response = client.post(
        "/channels/notices/",
        {
            "kind": "maintenance",
            "title": "宽带维护",
            "body": "今晚宽带维护。",
            "product": "broadband",
        },
    )
    assert response.status_code == 302
    assert Notice.objects.get().product == "broadband"
    page = client.get(response["Location"]).content.decode()
    assert "宽带装维" in page or "Broadband installation and repair" in page
    assert 'id="audience-size"' in page
    hostile = client.post(
        "/channels/notices/",
        {"kind": "care", "title": "x", "body": "y", "product": "x" * 5000},
    )
    assert hostile.status_code == 422


def test_sending_is_a_job_that_never_sends_twice_and_respects_late_opt_outs(
    customers, supervisor, sms_outbox, django_capture_on_commit_callbacks
):
    from yuqi.channels.models import NoticeRecipient
    from yuqi.notifications.models import OutboundMessage

    _gold, ordinary = customers
    notice = _notice(supervisor, body="今晚 23:00 网络维护。")
    with django_capture_on_commit_callbacks() as callbacks:
        services.notice_send(notice_id=notice.pk, by=supervisor)
    assert len(callbacks) == 1  # the job is enqueued once the recipients are committed
    assert NoticeRecipient.objects.filter(notice=notice).count() == 5
    services.notice_opt_out(customer_id=ordinary[0].pk, source="test")  # after the send

    # a first run dies after one batch of two
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _deliver_then_die(notice.pk, after=2, batch=2)
    notice.refresh_from_db()
    assert notice.state == "sending"
    assert notice.done_count == 2
    # run again (a retried job), and once more: every customer gets one message
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_deliver(notice.pk, batch=2)
        services.notice_deliver(notice.pk, batch=2)
    notice.refresh_from_db()
    assert notice.state == "sent"
    assert notice.done_count == 5
    assert notice.sent_count == 4
    assert notice.opted_out_count == 1
    logged = OutboundMessage.objects.filter(subject_ref=f"notice:{notice.pk}")
    assert logged.count() == 4
    assert len({m.customer_id for m in logged}) == 4
    assert ordinary[0].pk not in {m.customer_id for m in logged}
    assert len(sms_outbox) == 4


def _deliver_then_die(notice_id, *, after, batch):
    """``notice_deliver`` whose worker is lost after ``after`` batches."""
    from unittest import mock

    real = services._count_progress
    calls = []

    def counting(pk):
        real(pk)
        calls.append(pk)
        if len(calls) >= after:
            raise RuntimeError("worker lost")

    with mock.patch.object(services, "_count_progress", counting):
        services.notice_deliver(notice_id, batch=batch)


def test_the_task_sends_the_notice(
    customers, supervisor, sms_outbox, django_capture_on_commit_callbacks
):
    from yuqi.channels.tasks import send_notice

    notice = _notice(supervisor, tiers=["gold"], body="今晚 23:00 网络维护。")
    services.notice_send(notice_id=notice.pk, by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        result = send_notice.call(notice.pk)
    assert result == f"notice {notice.pk}: sent, 2 of 2"
    assert len(sms_outbox) == 2

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
        "kind": "care",
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
            "kind": "care",
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
    assert Notice.objects.get().state == "sent"


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
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(notice_id=notice.pk, by=supervisor)
    assert "https://kf.example.cn/c/stop" in sms_outbox[-1].body

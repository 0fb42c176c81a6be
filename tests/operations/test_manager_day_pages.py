"""The manager's day on the pages: the dashboard opens on today (live, refreshing), the
wallboard has no menu, the staffing plan folds into sections, the audit log is a readable
before → after table with Chinese shown as Chinese and field names translated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from tests.interactions.factories import InteractionFactory, QueueFactory
from yuqi.audit.presenters import field_changes

pytestmark = pytest.mark.django_db


def test_dashboard_opens_on_today_even_before_the_first_call(as_user, manager):
    InteractionFactory(arrived_at=timezone.now() - timedelta(days=3))
    page = as_user(manager).get("/operations/").content.decode()
    today = timezone.localdate().isoformat()
    assert f"{today}</small>" in page
    assert 'data-live="true"' in page
    assert 'hx-trigger="every 60s"' in page
    # the latest day with contacts is one click away
    earlier = timezone.localdate(timezone.now() - timedelta(days=3)).isoformat()
    assert f"?day={earlier}" in page


def test_dashboard_refresh_returns_the_body_only(as_user, manager):
    page = as_user(manager).get("/operations/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in page
    assert 'data-live="true"' in page


def test_a_past_day_is_static(as_user, manager):
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    page = as_user(manager).get("/operations/", {"day": day}).content.decode()
    assert 'data-live="false"' in page
    assert 'hx-trigger="every 60s"' not in page


def test_wallboard_is_full_screen_without_the_menu(as_user, manager):
    QueueFactory(code="vip", name="VIP专席")
    page = as_user(manager).get("/operations/wallboard/vip/").content.decode()
    assert "wallboard-screen" in page
    assert 'class="mainnav"' not in page
    assert 'class="topbar"' not in page
    assert "VIP专席" in page


def test_audit_log_shows_chinese_and_translated_field_names(as_user, manager):
    ct = ContentType.objects.get(app_label="complaints", model="complaint")
    entry = LogEntry.objects.create(
        content_type=ct,
        object_pk="1",
        object_repr="TS-1",
        action=LogEntry.Action.UPDATE,
        changes={
            "state": ["investigating", "resolved"],
            "risk_reasons": ['[["\\u53d1\\u6012", 20]]', '[["\\u76d1\\u7ba1", 30]]'],
            "demand": ["None", "\\u9000\\u6b3e"],
        },
    )
    with translation.override("zh-hans"):
        rows = {c.field: (c.before, c.after) for c in field_changes(entry)}
    assert rows["诉求"] == ("∅", "退款") or any(v == ("∅", "退款") for v in rows.values())
    assert all("\\u" not in b + a for b, a in rows.values())
    assert all("_" not in name for name in rows)
    html = as_user(manager).get("/audit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "\\u" not in html
    assert "退款" in html
    assert "发怒" in html
    assert "risk_reasons" not in html

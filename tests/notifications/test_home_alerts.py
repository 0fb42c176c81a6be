"""The alerts e-mailed to a user are listed on their home page (issue 14), never a
colleague's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.accounts.factories import UserFactory
from yuqi.core.clock import now
from yuqi.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _alert(user, subject: str, *, age: timedelta = timedelta(hours=1)) -> None:
    OutboundMessage.objects.create(
        subject_ref="sla:1",
        channel="email",
        address=user.email,
        recipient="x",
        user_id=user.pk,
        language="zh-hans",
        template="sla_alert",
        subject=subject,
        body="…",
        status="sent",
        created_at=now() - age,
    )


def test_my_recent_alerts_are_on_my_home_page_and_not_a_colleagues(agent, as_user):
    colleague = UserFactory(username="sunli", roles=["agent"])
    _alert(agent, "工单 TS-20261205-0001 即将超时")
    _alert(agent, "承诺即将到期", age=timedelta(days=3))
    _alert(agent, "上个月的提醒", age=timedelta(days=30))
    _alert(colleague, "同事的提醒")
    page = as_user(agent).get("/").content.decode()
    section = page.split('class="card my-work my-alerts"')[1].split("</section>")[0]
    assert "发给我的提醒（近 7 天）" in section
    assert "工单 TS-20261205-0001 即将超时" in section
    assert "承诺即将到期" in section
    assert "近 24 小时 1 条" in section
    assert "上个月的提醒" not in section
    assert "同事的提醒" not in page


def test_no_alerts_no_panel(agent, as_user):
    assert "my-alerts" not in as_user(agent).get("/").content.decode()

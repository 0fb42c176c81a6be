"""My unread alerts are on my home page, with a link to the alert list; never a colleague's,
and not once read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.accounts.factories import UserFactory
from yuqi.core.clock import now
from yuqi.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _alert(user, subject: str, *, age: timedelta = timedelta(hours=1), read: bool = False):
    return OutboundMessage.objects.create(
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
        read_at=now() if read else None,
    )


def test_my_unread_alerts_are_on_my_home_page_and_not_a_colleagues(agent, as_user):
    colleague = UserFactory(username="sunli", roles=["agent"])
    _alert(agent, "工单 TS-20261205-0001 即将超时")
    _alert(agent, "承诺即将到期", age=timedelta(days=3))
    _alert(agent, "已读的提醒", read=True)
    _alert(colleague, "同事的提醒")
    page = as_user(agent).get("/").content.decode()
    section = page.split('class="card my-work my-alerts"')[1].split("</section>")[0]
    assert "我的未读提醒" in section
    assert '<span class="count-badge">2</span>' in section
    assert "工单 TS-20261205-0001 即将超时" in section
    assert section.index("即将超时") < section.index("承诺即将到期")
    assert "已读的提醒" not in section
    assert "同事的提醒" not in page
    assert 'href="/notifications/alerts/"' in section


def test_no_unread_alerts_no_panel(agent, as_user):
    _alert(agent, "已读的提醒", read=True)
    assert "my-alerts" not in as_user(agent).get("/").content.decode()

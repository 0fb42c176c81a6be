"""In-app alerts: the bell's count, the list of what fired, mark read; own alerts only."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from yuqi.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def alert(user, subject="SLA at risk: TS-20260302-0001") -> OutboundMessage:
    return OutboundMessage.objects.create(
        subject_ref="complaint:1",
        channel="email",
        recipient="w***@example.com",
        user_id=user.pk,
        language="en",
        template="sla_alert",
        subject=subject,
        body="Resolution is at risk.",
        status="sent",
        created_at=timezone.now(),
    )


def test_bell_counts_my_unread_alerts(as_user, supervisor, agent):
    alert(supervisor)
    alert(supervisor)
    alert(agent)
    html = as_user(supervisor).get("/notifications/alerts/bell/").content.decode()
    assert 'data-unread="2"' in html


def test_page_lists_my_alerts_and_marks_them_read(as_user, supervisor, agent):
    mine = alert(supervisor, subject="SLA breached: TS-1")
    theirs = alert(agent, subject="Promise reminder: agent's")
    client = as_user(supervisor)
    page = client.get("/notifications/alerts/").content.decode()
    assert "SLA breached: TS-1" in page
    assert "agent&#x27;s" not in page
    assert "agent's" not in page
    # another user's id changes nothing
    client.post("/notifications/alerts/read/", {"id": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post("/notifications/alerts/read/", {"id": [mine.pk]})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "data-unread" not in client.get("/notifications/alerts/bell/").content.decode()


def test_mark_all_read_and_hostile_ids(as_user, supervisor):
    alert(supervisor)
    alert(supervisor)
    client = as_user(supervisor)
    assert (
        client.post("/notifications/alerts/read/", {"id": ["x" * 10_000, "-1"]}).status_code == 302
    )
    assert OutboundMessage.objects.filter(read_at__isnull=True).count() == 2
    client.post("/notifications/alerts/read/")
    assert OutboundMessage.objects.filter(read_at__isnull=True).count() == 0


def test_every_page_has_the_bell_and_anonymous_has_none(as_user, supervisor, client):
    assert 'class="bell"' in as_user(supervisor).get("/").content.decode()
    assert client.get("/notifications/alerts/bell/").status_code == 302

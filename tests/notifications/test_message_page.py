"""The message log page: staff who read service measures see it, agents do not."""

from __future__ import annotations

import pytest

from tests.notifications.factories import MessageFactory

pytestmark = pytest.mark.django_db


def test_supervisors_see_the_log_with_masked_recipients(supervisor, as_user):
    MessageFactory(subject_ref="complaint:7", subject="投诉进展", address="13800000001")
    page = as_user(supervisor).get("/notifications/").content.decode()
    assert "complaint:7" in page
    assert "投诉进展" in page
    assert "138****0001" in page
    assert "13800000001" not in page


def test_the_log_filters_by_status(supervisor, as_user):
    MessageFactory(subject="已送达的短信", status="sent")
    MessageFactory(subject="gateway refused", status="failed", error="HTTP 503")
    page = as_user(supervisor).get("/notifications/", {"status": "failed"}).content.decode()
    assert "gateway refused" in page
    assert "HTTP 503" in page
    assert "已送达的短信" not in page


def test_agents_cannot_open_the_log(agent, as_user):
    assert as_user(agent).get("/notifications/").status_code == 403


def test_the_log_shows_no_python_repr_and_masks_survey_links(supervisor, as_user):
    """The context key once collided with Django's flash ``messages``: base.html rendered
    each row as ``SentMessage(...)``, live survey token included."""
    MessageFactory(
        subject="",
        template="survey_invitation",
        body="请您评价本次服务：http://127.0.0.1:8000/s/AbC123-secret_token.x 回复TD退订",
    )
    page = as_user(supervisor).get("/notifications/").content.decode()
    assert "SentMessage(" not in page
    assert "datetime.datetime(" not in page
    assert "AbC123-secret_token" not in page
    assert "/s/…" in page
    assert "请您评价本次服务" in page

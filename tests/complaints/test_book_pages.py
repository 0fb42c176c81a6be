"""The complaint book on the ticket page and in the API (issue 16): what is shown, the actions,
permissions before the body, hostile input, and the appeal document pack PDF."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation

from tests.complaints.factories import open_complaint
from tests.customers.factories import CustomerFactory
from yuqi.complaints.models import ContactAttempt, Feedback, RegulatorAppeal, StepTick

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def detail(ticket) -> str:
    return reverse("complaints:detail", args=[ticket.number])


def post_action(client, ticket, **data):
    return client.post(detail(ticket), data, HTTP_HX_REQUEST="true")


def test_the_ticket_page_shows_principle_playbook_contact_clock_and_appeal_panel(
    supervisor, as_user, frozen, outbox
):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    page = as_user(supervisor).get(detail(ticket)).content.decode()
    assert "迅速响应，保持联系，规范处理" in page
    assert 'id="playbook"' in page
    assert "Check the time bar (5 months / 2 years)" in page
    assert "Speak to the customer at least every 24 business hours" in page
    assert 'id="appeal-form"' in page


def test_the_book_is_shown_in_chinese(supervisor, as_user, frozen, outbox, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    ticket = open_complaint(by=supervisor, level_code="over_level")
    with translation.override("zh-hans"):
        page = as_user(supervisor).get(detail(ticket), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert "保持联系" in html
    assert "越级投诉处理" in html
    assert "记录联系" in html


def test_a_local_ticket_has_no_appeal_panel_and_no_contact_clock(
    supervisor, as_user, frozen, outbox
):
    ticket = open_complaint(by=supervisor, level_code="local")
    page = as_user(supervisor).get(detail(ticket)).content.decode()
    assert 'id="appeal"' not in page
    assert "No contact clock on this ticket." in page


def test_actions_on_the_page_tick_log_note_and_record_an_appeal(
    supervisor, as_user, frozen, outbox
):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    client = as_user(supervisor)
    step = ticket.level.playbook.steps.get(code="pack")
    for _ in range(2):
        assert post_action(client, ticket, action="book_tick", step=step.pk).status_code == 200
    assert StepTick.objects.filter(complaint=ticket).count() == 1
    page = post_action(
        client, ticket, action="book_contact", channel="visit", reached="on", note=SCRIPT
    ).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page
    assert ContactAttempt.objects.get(complaint=ticket).channel == "visit"
    post_action(client, ticket, action="book_note", text="客户要求书面答复")
    assert ticket.events.filter(kind="note").exists()
    page = post_action(
        client,
        ticket,
        action="book_appeal",
        number="GXB-1",
        body="ca",
        received_on="2026-02-27",
        dispute="other",
    ).content.decode()
    assert "unknown: no event date" in page
    assert RegulatorAppeal.objects.get(complaint=ticket).acceptance_due.isoformat() == "2026-03-05"


def test_an_event_after_the_appeal_is_refused_on_the_page(supervisor, as_user, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    page = post_action(
        as_user(supervisor),
        ticket,
        action="book_appeal",
        number="GXB-2",
        body="miit",
        received_on="2026-02-27",
        event_date="2026-03-01",
        dispute="billing",
    ).content.decode()
    assert "The event date is after the appeal date." in page
    assert not RegulatorAppeal.objects.exists()


def test_an_analyst_may_not_log_contact(analyst, supervisor, as_user, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="over_level")
    response = post_action(as_user(analyst), ticket, action="book_contact", channel="phone")
    assert response.status_code == 403
    assert not ContactAttempt.objects.exists()


def test_the_appeal_document_pack_is_a_pdf(supervisor, as_user, frozen, outbox):
    from yuqi.complaints import book

    ticket = open_complaint(by=supervisor, level_code="regulator")
    appeal = book.complaint_record_appeal(
        complaint=ticket,
        data=book.AppealInput(
            number="GXB-3", body="miit", received_on=ticket.opened_at.date(), dispute="billing"
        ),
        by=supervisor,
    )
    url = reverse("complaints:appeal_pack", args=[ticket.number, appeal.pk])
    response = as_user(supervisor).get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


# ------------------------------------------------------------------ API
def api(client, method, url, body=None):
    return getattr(client, method)(
        f"/api/v1{url}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


def test_api_logs_an_attempt_ticks_a_step_and_records_an_appeal(
    supervisor, as_user, frozen, outbox
):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    client = as_user(supervisor)
    made = api(
        client,
        "post",
        f"/complaints/{ticket.pk}/contact-attempts",
        {"channel": "sms", "reached": False, "note": "已发短信"},
    )
    assert made.status_code == 201
    assert made.json()["contact_due_at"]
    steps = api(client, "get", f"/complaints/{ticket.pk}/playbook-steps").json()
    first = steps[0]["id"]
    once = api(client, "post", f"/complaints/{ticket.pk}/playbook-steps/{first}")
    twice = api(client, "post", f"/complaints/{ticket.pk}/playbook-steps/{first}")
    assert once.json()["created"] is True
    assert twice.json()["created"] is False
    appeal = api(
        client,
        "post",
        f"/complaints/{ticket.pk}/appeals",
        {
            "number": "GXB-9",
            "body": "12315",
            "received_on": "2026-02-27",
            "dispute": "billing",
            "event_date": "2025-09-30",
        },
    )
    assert appeal.status_code == 201
    assert appeal.json()["time_bar_last_day"] == "2026-02-28"
    assert appeal.json()["time_bar"] == "within"


@pytest.mark.parametrize(
    "body",
    [
        {
            "number": "X",
            "body": "miit",
            "received_on": "2026-02-27",
            "dispute": "billing",
            "event_date": "2026-02-28",
        },
        {"number": "X", "body": "fbi", "received_on": "2026-02-27", "dispute": "billing"},
        {"number": "", "body": "miit", "received_on": "2026-02-27", "dispute": "billing"},
        {"number": "X", "body": "miit", "received_on": "27/02/2026", "dispute": "billing"},
        {"number": "X" * 41, "body": "miit", "received_on": "2026-02-27", "dispute": "other"},
    ],
)
def test_api_refuses_bad_appeals(supervisor, as_user, frozen, outbox, body):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    response = api(as_user(supervisor), "post", f"/complaints/{ticket.pk}/appeals", body)
    assert response.status_code in (400, 422)
    assert not RegulatorAppeal.objects.exists()


def test_api_checks_permission_before_the_body(analyst, supervisor, as_user, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    response = api(as_user(analyst), "post", f"/complaints/{ticket.pk}/contact-attempts", {})
    assert response.status_code == 403


def test_api_records_praise_and_thanks_the_customer(agent, analyst, as_user, frozen, outbox):
    customer = CustomerFactory()
    response = api(
        as_user(agent),
        "post",
        "/feedback",
        {"customer": customer.external_id, "kind": "praise", "text": "营业厅的王小姐很耐心"},
    )
    assert response.status_code == 201
    assert response.json()["owner"] == analyst.pk
    assert response.json()["thanked"] is True
    assert Feedback.objects.get().source == "api"


def test_api_refuses_praise_for_an_unknown_customer(agent, as_user, frozen, outbox):
    response = api(
        as_user(agent),
        "post",
        "/feedback",
        {"customer": "nobody", "kind": "praise", "text": "好"},
    )
    assert response.status_code in (400, 422)
    assert not Feedback.objects.exists()


def test_an_agent_records_a_suggestion_from_a_contact(agent, analyst, as_user, frozen, outbox):
    customer = CustomerFactory()
    client = as_user(agent)
    response = client.post(
        reverse("complaints:feedback"),
        {"customer": customer.external_id, "kind": "suggestion", "text": SCRIPT, "topic": ""},
    )
    assert response.status_code == 302
    row = Feedback.objects.get()
    assert row.source == "contact"
    assert row.owner == analyst
    page = client.get(reverse("complaints:feedback")).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page


def test_an_analyst_sees_suggestions_but_may_not_record_them(analyst, as_user, frozen, outbox):
    client = as_user(analyst)
    assert client.get(reverse("complaints:feedback")).status_code == 200
    response = client.post(
        reverse("complaints:feedback"),
        {"customer": CustomerFactory().external_id, "kind": "praise", "text": "好"},
    )
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_the_suggestion_book_shows_the_topic_by_its_label(analyst, as_user, frozen, outbox):
    Feedback.objects.create(
        customer=CustomerFactory(),
        kind="suggestion",
        text="希望增加夜间人工服务",
        topic="access_wait",
        source="contact",
        created_at=frozen(),
    )
    page = as_user(analyst).get(reverse("complaints:feedback")).content.decode()
    assert "access_wait" not in page
    assert "Getting through and waiting" in page

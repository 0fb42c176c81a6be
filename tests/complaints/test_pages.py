"""Complaint pages: access per role, urgency order, live clocks, inert text, version conflicts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.complaints.factories import open_complaint, sh
from tests.customers.factories import CustomerFactory
from yuqi.complaints.models import Complaint
from yuqi.complaints.services import complaint_transition

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def quiet(outbox):
    """No real messages: the complaints context's outbound calls are recorded."""
    return outbox


def queue_numbers(html: str) -> list[str]:
    return re.findall(r'<tr data-number="([^"]+)"', html)


def detail(ticket: Complaint) -> str:
    return reverse("complaints:detail", args=[ticket.number])


def post_action(client, ticket: Complaint, **data):
    return client.post(detail(ticket), data, HTTP_HX_REQUEST="true")


# ------------------------------------------------------------------ access
@pytest.mark.parametrize("persona", ["agent", "supervisor", "analyst", "manager"])
def test_every_role_sees_the_queue_and_the_ticket(request, as_user, frozen, quiet, persona):
    user = request.getfixturevalue(persona)
    ticket = open_complaint(by=user)
    client = as_user(user)
    assert client.get(reverse("complaints:queue")).status_code == 200
    page = client.get(detail(ticket))
    assert page.status_code == 200
    assert ticket.number in page.content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("complaints:queue"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_agent_cannot_transition(as_user, agent, frozen, quiet):
    ticket = open_complaint(by=agent)
    client = as_user(agent)
    assert 'name="target"' not in client.get(detail(ticket)).content.decode()
    response = post_action(
        client, ticket, action="transition", target="acknowledged", version=ticket.version
    )
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.state == "new"


def test_supervisor_transitions_with_the_buttons_of_the_workflow(
    as_user, supervisor, frozen, quiet
):
    ticket = open_complaint(by=supervisor)
    client = as_user(supervisor)
    page = client.get(detail(ticket)).content.decode()
    assert 'data-action="acknowledge"' in page
    assert 'data-action="resolve"' not in page  # not allowed from "new"
    response = post_action(
        client, ticket, action="transition", target="acknowledged", version=ticket.version
    )
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.state == "acknowledged"
    assert "State changed." in response.content.decode()


def test_analyst_is_read_only(as_user, analyst, supervisor, frozen, quiet):
    ticket = open_complaint(by=supervisor)
    client = as_user(analyst)
    page = client.get(detail(ticket)).content.decode()
    assert 'name="action"' not in page
    assert (
        post_action(client, ticket, action="checklist", version=ticket.version).status_code == 403
    )
    assert client.get(reverse("complaints:new")).status_code == 403


def test_refused_transition_shows_the_reason(as_user, supervisor, frozen, quiet):
    ticket = open_complaint(by=supervisor)
    response = post_action(
        as_user(supervisor), ticket, action="transition", target="closed", version=ticket.version
    )
    assert response.status_code == 200
    assert "msg-error" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == "new"


# ------------------------------------------------------------------ conflicts
def test_a_stale_version_is_refused_with_a_reload_message(as_user, supervisor, frozen, quiet):
    ticket = open_complaint(by=supervisor)
    seen = ticket.version
    complaint_transition(
        complaint=ticket, target="acknowledged", by=supervisor, expected_version=seen
    )
    response = post_action(
        as_user(supervisor), ticket, action="checklist", reason_given="on", version=seen
    )
    body = response.content.decode()
    assert "Someone else changed this ticket" in body
    assert "reload" in body.lower()
    ticket.refresh_from_db()
    assert ticket.chk_reason_given is False


def test_a_stale_plain_post_answers_409(as_user, supervisor, frozen, quiet):
    ticket = open_complaint(by=supervisor)
    seen = ticket.version
    complaint_transition(
        complaint=ticket, target="acknowledged", by=supervisor, expected_version=seen
    )
    response = as_user(supervisor).post(
        detail(ticket), {"action": "transition", "target": "investigating", "version": seen}
    )
    assert response.status_code == 409
    assert "Someone else changed this ticket" in response.content.decode()


# ------------------------------------------------------------------ inert text
def test_html_in_the_account_is_shown_escaped(as_user, supervisor, frozen, quiet):
    ticket = open_complaint(by=supervisor, account=f"信号差 {SCRIPT}", demand=SCRIPT)
    client = as_user(supervisor)
    for url in (detail(ticket), reverse("complaints:queue")):
        body = client.get(url).content.decode()
        assert SCRIPT not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# ------------------------------------------------------------------ work queue
def test_queue_puts_breached_first_then_at_risk_then_regulator_before_local(
    as_user, supervisor, frozen, quiet
):
    now = sh(2026, 3, 2, 9)
    frozen.set(now)
    local_fresh = open_complaint(by=supervisor, level_code="local")
    regulator_fresh = open_complaint(by=supervisor, level_code="regulator")
    # Opened on Friday 14:00: 4 business hours to first response are used up Monday ~09:30.
    frozen.set(sh(2026, 2, 27, 14))
    at_risk = open_complaint(by=supervisor, level_code="local")
    frozen.set(sh(2026, 2, 24, 9))
    breached = open_complaint(by=supervisor, level_code="local")
    frozen.set(now)
    from yuqi.complaints.clocks import clock_recompute, summarise

    for ticket in Complaint.objects.all():
        for clock in ticket.clocks.all():
            clock_recompute(clock, team_id=ticket.team_id, at=now)
        ticket.save(update_fields=summarise(ticket) or None)
    order = queue_numbers(as_user(supervisor).get(reverse("complaints:queue")).content.decode())
    assert order == [breached.number, at_risk.number, regulator_fresh.number, local_fresh.number]


def test_the_page_and_the_api_list_the_same_queue_in_the_same_order(
    as_user, supervisor, frozen, quiet
):
    """One selector for both front doors. The overdue ticket's stored state is stale (no sweep
    ran since its first response fell due), so ranking by the stored state alone, as the API
    did, put it behind the fresh regulator ticket; both now rank it first."""
    frozen.set(sh(2026, 2, 24, 9))
    stale_overdue = open_complaint(by=supervisor, level_code="local")
    frozen.set(sh(2026, 3, 2, 9))
    local_fresh = open_complaint(by=supervisor, level_code="local")
    regulator_fresh = open_complaint(by=supervisor, level_code="regulator")
    assert Complaint.objects.get(pk=stale_overdue.pk).sla_state == "on_track"  # stored, stale
    client = as_user(supervisor)
    page = queue_numbers(client.get(reverse("complaints:queue")).content.decode())
    api = [row["number"] for row in client.get("/api/v1/complaints?state=open").json()["items"]]
    assert page == api == [stale_overdue.number, regulator_fresh.number, local_fresh.number]
    breached = client.get("/api/v1/complaints?sla_state=breached").json()["items"]
    page_breached = client.get(reverse("complaints:queue") + "?sla=breached").content.decode()
    assert [r["number"] for r in breached] == queue_numbers(page_breached) == [stale_overdue.number]


def test_queue_shows_overdue_and_time_left(as_user, supervisor, frozen, quiet):
    frozen.set(sh(2026, 2, 24, 9))
    open_complaint(by=supervisor)
    frozen.set(sh(2026, 3, 2, 9))
    body = as_user(supervisor).get(reverse("complaints:queue")).content.decode()
    assert "overdue" in body
    assert 'data-sla="breached"' in body


def test_paused_clock_is_shown_paused(as_user, supervisor, frozen, quiet):
    ticket = open_complaint(by=supervisor)
    ticket = complaint_transition(
        complaint=ticket, target="acknowledged", by=supervisor, expected_version=ticket.version
    )
    complaint_transition(
        complaint=ticket, target="waiting_customer", by=supervisor, expected_version=ticket.version
    )
    body = as_user(supervisor).get(detail(ticket)).content.decode()
    assert "paused" in body


def test_queue_filters_mine(as_user, supervisor, manager, frozen, quiet):
    mine = open_complaint(by=supervisor, owner=supervisor)
    theirs = open_complaint(by=manager, owner=manager)
    body = as_user(supervisor).get(reverse("complaints:queue") + "?owner=mine").content.decode()
    assert queue_numbers(body) == [mine.number]
    assert theirs.number not in body


def test_closed_tickets_are_not_in_the_queue(as_user, supervisor, frozen, quiet):
    ticket = open_complaint(by=supervisor)
    Complaint.objects.filter(pk=ticket.pk).update(state="closed")
    body = as_user(supervisor).get(reverse("complaints:queue")).content.decode()
    assert ticket.number not in body


def test_queue_refresh_returns_the_partial(as_user, supervisor, frozen, quiet):
    open_complaint(by=supervisor)
    response = as_user(supervisor).get(reverse("complaints:queue"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "complaint-queue" in body


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queue_query_count_does_not_grow_with_rows(as_user, supervisor, frozen, quiet):
    client = as_user(supervisor)
    open_complaint(by=supervisor, owner=supervisor)
    url = reverse("complaints:queue")
    queries(client, url)  # warm the caches (the user's kept permissions)
    few = queries(client, url)
    for _ in range(8):
        open_complaint(by=supervisor, owner=supervisor)
    assert queries(client, url) == few


def test_ticket_query_count_does_not_grow_with_events(as_user, supervisor, frozen, quiet):
    client = as_user(supervisor)
    ticket = open_complaint(by=supervisor)
    queries(client, detail(ticket))  # warm the caches (the user's kept permissions)
    few = queries(client, detail(ticket))
    from yuqi.complaints.services import complaint_add_note

    for n in range(6):
        complaint_add_note(complaint=ticket, by=supervisor, text=f"note {n}")
    assert queries(client, detail(ticket)) == few


# ------------------------------------------------------------------ other pages
def test_agent_logs_a_new_complaint(as_user, agent, frozen, quiet):
    customer = CustomerFactory()
    client = as_user(agent)
    form = client.get(reverse("complaints:new") + f"?customer={customer.external_id}")
    assert customer.name in form.content.decode()
    response = client.post(
        reverse("complaints:new"),
        {
            "customer": customer.external_id,
            "channel": "phone",
            "level": "local",
            "category": "",
            "account": "宽带报装一周没人上门",
            "demand": "三天内安装",
        },
    )
    ticket = Complaint.objects.get(customer=customer)
    assert response.status_code == 302
    assert response["Location"] == detail(ticket)
    assert ticket.owner == agent


def test_new_complaint_for_an_unknown_customer_is_refused(as_user, agent, frozen, quiet):
    response = as_user(agent).post(
        reverse("complaints:new"),
        {"customer": "nobody", "channel": "phone", "level": "local", "account": "x"},
    )
    assert response.status_code == 200
    assert "No customer with this id." in response.content.decode()
    assert not Complaint.objects.exists()


def test_customer_360_shows_open_complaints(as_user, supervisor, frozen, quiet):
    import yuqi.complaints.panels  # noqa: F401  (registered by the app's ready())

    ticket = open_complaint(by=supervisor)
    body = as_user(supervisor).get(f"/customers/{ticket.customer.external_id}/").content.decode()
    assert "Open complaints" in body
    assert ticket.number in body


def test_a_clock_on_a_year_without_holiday_data_carries_a_warning(
    as_user, supervisor, frozen, quiet
):
    """chinese_calendar has no 2031 holidays: the due time is provisional and says so."""
    frozen.set(sh(2031, 3, 3, 9))
    ticket = open_complaint(by=supervisor)
    body = as_user(supervisor).get(detail(ticket)).content.decode()
    assert "assumed holidays" in body
    assert "2031" in body

"""The supervisor's day on the pages: the approvals inbox (flagged promises, compensation
above the limit; four eyes kept by the contexts' services), approve/reject recovery and reopen
on the ticket page; permission checked before the body is read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests.commitments.factories import promise
from tests.complaints.factories import open_complaint
from yuqi.commitments.models import Commitment
from yuqi.complaints.models import Complaint, RecoveryAction
from yuqi.complaints.services import complaint_add_recovery, complaint_close

pytestmark = pytest.mark.django_db

INBOX = "/approvals/"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def over_limit(ticket: Complaint, by) -> RecoveryAction:
    return complaint_add_recovery(
        complaint=ticket,
        kind="compensation",
        amount=Decimal("500"),
        by=by,
        expected_version=ticket.version,
    )


def flagged(by) -> Commitment:
    # a repair promised in two hours is faster than the standard: the guard flags it
    from yuqi.core import clock

    made = promise(by=by, kind="repair", at=clock.now(), due_at=clock.now() + dt.timedelta(hours=2))
    assert made.approval_state == "pending"
    return made


def decide(client, source: str, pk: int, **data):
    return client.post(f"/approvals/{source}/{pk}/", data)


# ------------------------------------------------------------------ the inbox
def test_inbox_lists_flagged_promises_and_compensation(as_user, supervisor, agent, frozen, outbox):
    ticket = open_complaint(by=agent)
    over_limit(ticket, agent)
    flagged(agent)
    page = as_user(supervisor).get(INBOX)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-source="promises"' in html
    assert 'data-source="compensation"' in html
    assert ticket.number in html
    assert "500" in html


def test_agent_cannot_open_the_inbox_nor_decide(as_user, agent, supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor)
    action = over_limit(ticket, supervisor)
    client = as_user(agent)
    assert client.get(INBOX).status_code == 403
    # permission is checked before the body: an empty or absurd body still answers 403
    assert decide(client, "compensation", action.pk).status_code == 403
    assert decide(client, "compensation", action.pk, decision="x" * 10_000).status_code == 403
    action.refresh_from_db()
    assert action.status == "pending"


def test_supervisor_approves_compensation_in_the_inbox(as_user, supervisor, agent, frozen, outbox):
    ticket = open_complaint(by=agent)
    action = over_limit(ticket, agent)
    answer = decide(as_user(supervisor), "compensation", action.pk, decision="approve")
    assert answer.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.approver_id) == ("approved", supervisor.pk)


def test_four_eyes_refuses_the_requesters_own_compensation(as_user, supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor)
    action = over_limit(ticket, supervisor)
    answer = decide(as_user(supervisor), "compensation", action.pk, decision="approve")
    assert answer.status_code == 400
    assert "Someone other than the proposer must approve it." in answer.content.decode()
    action.refresh_from_db()
    assert action.status == "pending"


def test_rejection_needs_a_reason(as_user, supervisor, agent, frozen, outbox):
    made = flagged(agent)
    client = as_user(supervisor)
    refused = decide(client, "promises", made.pk, decision="reject", reason="  ")
    assert refused.status_code == 400
    assert "Give a reason for the rejection." in refused.content.decode()
    assert (
        decide(client, "promises", made.pk, decision="reject", reason="超出标准").status_code == 302
    )
    made.refresh_from_db()
    assert (made.approval_state, made.status) == ("rejected", "cancelled")


def test_four_eyes_refuses_the_promisers_own_promise(as_user, supervisor, frozen, outbox):
    made = flagged(supervisor)
    answer = decide(as_user(supervisor), "promises", made.pk, decision="approve")
    assert answer.status_code == 400
    assert "cannot be approved by the person who made it" in answer.content.decode()


def test_hostile_decisions(as_user, supervisor, agent, frozen, outbox):
    made = flagged(agent)
    client = as_user(supervisor)
    assert decide(client, "nonsense", made.pk, decision="approve").status_code == 404
    assert (
        decide(client, "promises", made.pk, decision="approve", reason="x" * 10_000).status_code
        == 400
    )
    assert decide(client, "promises", 999_999, decision="approve").status_code == 400
    assert client.get(f"/approvals/promises/{made.pk}/").status_code == 405
    made.refresh_from_db()
    assert made.approval_state == "pending"


def test_inbox_queries_do_not_grow_with_rows(as_user, supervisor, agent, frozen, outbox):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(supervisor)
    over_limit(open_complaint(by=agent), agent)
    flagged(agent)
    client.get(INBOX)  # warm: the first request reads the user's permissions once
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    for _ in range(5):
        over_limit(open_complaint(by=agent), agent)
        flagged(agent)
    with CaptureQueriesContext(connection) as many:
        client.get(INBOX)
    assert len(many) == len(few)


# ------------------------------------------------------------------ the ticket page
def ticket_post(client, ticket, **data):
    return client.post(
        reverse("complaints:detail", args=[ticket.number]), data, HTTP_HX_REQUEST="true"
    )


def test_ticket_page_approves_and_rejects_compensation(as_user, supervisor, agent, frozen, outbox):
    ticket = open_complaint(by=agent)
    action = over_limit(ticket, agent)
    client = as_user(supervisor)
    html = client.get(reverse("complaints:detail", args=[ticket.number])).content.decode()
    assert f'data-recovery="{action.pk}"' in html
    refused = ticket_post(
        client, ticket, action="recovery_decision", recovery=action.pk, decision="reject"
    )
    assert "Give a reason for the rejection." in refused.content.decode()
    done = ticket_post(
        client,
        ticket,
        action="recovery_decision",
        recovery=action.pk,
        decision="reject",
        note="金额过高",
    )
    assert "Compensation rejected." in done.content.decode()
    action.refresh_from_db()
    assert action.status == "rejected"


def test_agent_may_not_decide_compensation_on_the_ticket(
    as_user, agent, supervisor, frozen, outbox
):
    ticket = open_complaint(by=supervisor)
    action = over_limit(ticket, supervisor)
    # agents cannot work tickets at all; the check comes before the body
    assert ticket_post(as_user(agent), ticket, action="recovery_decision").status_code == 403
    action.refresh_from_db()
    assert action.status == "pending"


def _closed(by) -> Complaint:
    from tests.complaints.factories import root_cause
    from tests.complaints.test_workflow_services import callback, resolved

    ticket = callback(resolved(open_complaint(by=by), by), by)
    return complaint_close(
        complaint=ticket, by=by, expected_version=ticket.version, root_cause=root_cause()
    )


def test_a_closed_ticket_can_be_reopened_on_the_page(as_user, supervisor, frozen, outbox):
    ticket = _closed(supervisor)
    assert ticket.state == "closed"
    client = as_user(supervisor)
    html = client.get(reverse("complaints:detail", args=[ticket.number])).content.decode()
    assert 'value="reopen"' in html
    answer = ticket_post(
        client,
        ticket,
        action="reopen",
        version=ticket.version,
        target="recovery",
        reason="客户再次来电投诉",
    )
    assert "Reopened." in answer.content.decode()
    ticket.refresh_from_db()
    assert (ticket.state, ticket.reopen_count) == ("recovery", 1)


def test_ticket_details_can_be_edited_on_the_page(as_user, supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor)
    answer = ticket_post(
        as_user(supervisor),
        ticket,
        action="details",
        version=ticket.version,
        channel="email",
        account="客户说：再不解决就投诉到工信部！",
        demand="退费并道歉",
        category="",
    )
    assert "Details saved." in answer.content.decode()
    ticket.refresh_from_db()
    assert (ticket.channel, ticket.demand) == ("email", "退费并道歉")


def test_ticket_details_refuse_hostile_sizes(as_user, supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor)
    answer = ticket_post(
        as_user(supervisor),
        ticket,
        action="details",
        version=ticket.version,
        channel="email",
        account="x" * 100_000,
    )
    assert answer.status_code == 200
    ticket.refresh_from_db()
    assert len(ticket.account) < 100_000

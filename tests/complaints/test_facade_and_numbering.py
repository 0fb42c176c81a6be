"""The complaints facade other contexts use (ADR 0002), the closed signal, ticket numbers."""

from __future__ import annotations

import pytest

from tests.complaints.factories import open_complaint, root_cause, sh
from tests.complaints.test_workflow_services import callback, resolved
from tests.customers.factories import CustomerFactory
from yuqi.complaints import facade, services
from yuqi.complaints.models import Complaint, ComplaintDaySequence
from yuqi.complaints.signals import complaint_closed


def closed_ticket(by):
    complaint = callback(resolved(open_complaint(by=by), by), by)
    return services.complaint_close(
        complaint=complaint, by=by, expected_version=complaint.version, root_cause=root_cause()
    )


def test_numbers_count_per_local_day(frozen, outbox, supervisor):
    customer = CustomerFactory()
    frozen.set(sh(2026, 3, 2, 23, 50))  # late evening in Shanghai, still 03-02 locally
    first = open_complaint(by=supervisor, customer=customer)
    second = open_complaint(by=supervisor, customer=customer)
    frozen.set(sh(2026, 3, 3, 0, 10))
    third = open_complaint(by=supervisor, customer=customer)
    assert [first.number, second.number, third.number] == [
        "TS-20260302-0001",
        "TS-20260302-0002",
        "TS-20260303-0001",
    ]


def test_numbers_are_unique_in_the_database(frozen, outbox, supervisor):
    from django.db import IntegrityError, transaction

    ticket = open_complaint(by=supervisor)
    clash = Complaint.objects.get(pk=ticket.pk)
    clash.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()


def test_numbering_continues_from_the_stored_counter(frozen, outbox, supervisor):
    ComplaintDaySequence.objects.create(day=sh(2026, 3, 2).date(), last=41)
    assert open_complaint(by=supervisor).number == "TS-20260302-0042"


def test_open_complaints_for_customer_and_refs(frozen, outbox, supervisor):
    customer = CustomerFactory()
    ticket = open_complaint(by=supervisor, customer=customer, level_code="regulator")
    (line,) = facade.open_complaints_for_customer(customer.pk)
    assert (line.id, line.number, line.level_code, line.is_regulator) == (
        ticket.pk,
        ticket.number,
        "regulator",
        True,
    )
    assert facade.complaint_refs([ticket.pk, 99999]) == {ticket.pk: line}


def test_closed_tickets_are_not_open_complaints(frozen, outbox, supervisor):
    ticket = closed_ticket(supervisor)
    assert facade.open_complaints_for_customer(ticket.customer_id) == []


def test_a_promise_step_from_the_ledger_goes_on_the_timeline(frozen, outbox, supervisor):
    """Complaints listens to the ledger's signal; the ledger never calls complaints."""
    from yuqi.commitments.signals import commitment_changed

    ticket = open_complaint(by=supervisor)
    commitment_changed.send(
        sender=None,
        complaint_id=ticket.pk,
        parameters={"action": "broken", "commitment_id": 7},
        by_id=supervisor.pk,
    )
    event = ticket.events.get(kind="promise")
    assert (event.parameters, event.by) == ({"action": "broken", "commitment_id": 7}, supervisor)


def test_the_ledger_finds_tickets_through_the_lookup_complaints_registers(frozen, supervisor):
    from yuqi.commitments.links import complaint_refs

    ticket = open_complaint(by=supervisor)
    assert complaint_refs([ticket.pk, None]) == facade.complaint_refs([ticket.pk])


def test_a_broken_promise_raises_the_risk_of_open_tickets(
    frozen, outbox, supervisor, broken_promises
):
    from yuqi.commitments.signals import commitment_broken

    ticket = open_complaint(by=supervisor)
    assert ticket.risk_score == 0
    broken_promises[ticket.customer_id] = 1
    commitment_broken.send(sender=None, commitment_id=7, customer_id=ticket.customer_id)
    ticket.refresh_from_db()
    assert ticket.risk_score == 15
    assert ["broken_promises", 15, "1"] in ticket.risk_reasons
    assert ticket.events.filter(kind="risk_refreshed").count() == 1
    assert ticket.version == 1  # derived data: a handler's open page stays current


def test_repeat_complaints_count_in_the_risk(frozen, outbox, supervisor):
    customer = CustomerFactory()
    open_complaint(by=supervisor, customer=customer)
    second = open_complaint(by=supervisor, customer=customer)
    assert second.risk_score == 10
    assert second.risk_reasons[0][0] == "repeat_complaints"


def test_an_unhappy_survey_reopens_a_closed_ticket_into_recovery(frozen, outbox, supervisor):
    ticket = closed_ticket(supervisor)
    facade.complaint_reopen_for_recovery(
        complaint_id=ticket.pk, reason="回访问卷：不满意", by_id=None
    )
    ticket.refresh_from_db()
    assert (ticket.state, ticket.reopen_count) == ("recovery", 1)


def test_closing_sends_complaint_closed_after_commit(
    frozen, outbox, supervisor, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    complaint_closed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            ticket = closed_ticket(supervisor)
    finally:
        complaint_closed.disconnect(listener)
    assert len(received) == 1
    assert received[0]["complaint_id"] == ticket.pk
    assert received[0]["customer_id"] == ticket.customer_id

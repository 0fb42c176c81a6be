"""The ticket page's reads compiled once (``yuqi.complaints.ticket_reads``) give what the
related managers' reads gave: the same rows in the same order, the same joined rows, the
ticket set on each row (no read again), and a new row seen on the next read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.complaints.factories import open_complaint
from yuqi.complaints import book, services, ticket_reads
from yuqi.complaints.models import Complaint
from yuqi.complaints.models_book import Playbook, StepTick

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {k: v for k, v in vars(instance).items() if k not in {"_state", "_prefetched"}}


def _same(found: list, expected: list) -> None:
    assert [_fields(row) for row in found] == [_fields(row) for row in expected]


def _busy_ticket(by):
    ticket = open_complaint(by=by, level_code="regulator")
    services.complaint_add_note(complaint=ticket, by=by, text="第一次回访未接通")
    book.complaint_log_contact(complaint=ticket, channel="phone", reached=False, by=by)
    book.complaint_log_contact(complaint=ticket, channel="sms", reached=True, by=by)
    ticket.refresh_from_db()
    services.complaint_add_recovery(
        complaint=ticket,
        kind="compensation",
        amount=Decimal("30"),
        by=by,
        expected_version=ticket.version,
    )
    book.complaint_record_appeal(
        complaint=ticket,
        data=book.AppealInput(
            number="GX-2026-0009",
            body="miit",
            received_on=dt.date(2026, 2, 27),
            dispute="billing",
            event_date=dt.date(2025, 12, 1),
        ),
        by=by,
    )
    step = Playbook.objects.filter(steps__isnull=False).first().steps.first()
    StepTick.objects.create(complaint=ticket, step=step, by=by, at=ticket.opened_at)
    return Complaint.objects.get(pk=ticket.pk)


def test_each_read_equals_the_related_managers_read(supervisor, frozen, outbox):
    ticket = _busy_ticket(supervisor)
    open_complaint(by=supervisor)  # another ticket's rows are not read
    _same(ticket_reads.events_of(ticket), ticket.events.select_related("by").order_by("at", "id"))
    _same(ticket_reads.clocks_of(ticket), ticket.clocks.order_by("-started_at", "-id"))
    _same(
        ticket_reads.recovery_of(ticket),
        ticket.recovery_actions.select_related("created_by", "approver"),
    )
    _same(ticket_reads.appeals_of(ticket), ticket.appeals.all())
    _same(ticket_reads.attempts_of(ticket), ticket.contact_attempts.select_related("by")[:20])
    assert ticket_reads.ticks_of(ticket) == dict(ticket.step_ticks.values_list("step_id", "at"))
    assert len(ticket_reads.ticks_of(ticket)) == 1
    assert [e.by for e in ticket_reads.events_of(ticket)] == [
        e.by for e in ticket.events.order_by("at", "id")
    ]


def test_the_rows_know_their_ticket_and_their_joined_rows(supervisor, frozen, outbox):
    ticket = _busy_ticket(supervisor)
    reads = (
        ticket_reads.events_of,
        ticket_reads.clocks_of,
        ticket_reads.recovery_of,
        ticket_reads.appeals_of,
        ticket_reads.attempts_of,
    )
    rows = [row for read in reads for row in read(ticket)]
    with CaptureQueriesContext(connection) as queries:
        assert all(row.complaint is ticket for row in rows)
        [str(event.by) for event in ticket_reads.events_of(ticket) if event.by_id]
    assert len(queries) == 1  # the events' read itself; their users came joined


def test_the_shown_ticket_is_the_joined_read_and_an_unknown_number_none(supervisor, frozen, outbox):
    ticket = _busy_ticket(supervisor)
    shown = ticket_reads.shown_ticket(ticket.number)
    expected = Complaint.objects.select_related(*ticket_reads.JOINED).get(number=ticket.number)
    assert _fields(shown) == _fields(expected)
    with CaptureQueriesContext(connection) as queries:
        assert (shown.customer, shown.customer.tier, shown.owner, shown.team) == (
            expected.customer,
            expected.customer.tier,
            expected.owner,
            expected.team,
        )
    assert len(queries) == 0
    assert ticket_reads.shown_ticket("TS-NOPE'; --") is None


def test_a_new_row_is_seen_on_the_next_read(supervisor, frozen, outbox):
    ticket = _busy_ticket(supervisor)
    before = len(ticket_reads.events_of(ticket))
    services.complaint_add_note(complaint=ticket, by=supervisor, text="again")
    assert len(ticket_reads.events_of(ticket)) == before + 1

"""The live clocks of a page's tickets are read through a statement the ORM compiled once per
number of tickets (``yuqi.complaints.queries._clock_rows``): the same rows as the ORM's read
(JSON segments and decimal warning shares converted as it converts them), a paused clock seen
at once (the rows are read each time; only the SQL is kept)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.complaints.factories import open_complaint
from yuqi.complaints import queries
from yuqi.complaints.services import complaint_transition
from yuqi.core.compiled_reads import MOST_ITEMS

pytestmark = pytest.mark.django_db


def test_rows_equal_the_orm_read(frozen, outbox, supervisor):
    tickets = [open_complaint(by=supervisor).pk for _ in range(3)]
    for ids in (tickets[:1], tickets, [*tickets, -5], list(reversed(tickets))):
        assert queries._clock_rows(ids) == list(queries._clocks_queryset(ticket_ids=ids))
    row = queries._clock_rows(tickets[:1])[0]
    assert isinstance(row[3], list)
    assert isinstance(row[6], Decimal)


def test_a_paused_clock_is_read_at_once(frozen, outbox, supervisor):
    ticket = open_complaint(by=supervisor)
    assert {row[1] for row in queries._clock_rows([ticket.pk])} == {"first_response", "resolution"}
    ticket = complaint_transition(
        complaint=ticket, target="acknowledged", by=supervisor, expected_version=ticket.version
    )
    complaint_transition(
        complaint=ticket, target="waiting_customer", by=supervisor, expected_version=ticket.version
    )
    rows = queries._clock_rows([ticket.pk])
    assert [row[1] for row in rows] == ["resolution"]  # the first response was given
    assert rows[0][3][-1]["state"] == "paused"


def test_compiled_once_per_number_of_tickets(frozen, outbox, supervisor):
    tickets = [open_complaint(by=supervisor).pk for _ in range(2)]
    queries.CLOCKS_READ.forget()
    for ids in (tickets, tickets[:1], list(reversed(tickets)), tickets[1:]):
        queries._clock_rows(ids)
    kept = queries.CLOCKS_READ.kept()
    assert sorted(key[-1] for key in kept) == [(1,), (2,)]  # one statement per length
    assert all(kept.values())


def test_many_tickets_are_read_by_the_orm(frozen, outbox, supervisor):
    ticket = open_complaint(by=supervisor)
    queries.CLOCKS_READ.forget()
    ids = [ticket.pk, *range(-1, -MOST_ITEMS - 1, -1)]
    assert queries._clock_rows(ids) == list(queries._clocks_queryset(ticket_ids=ids))
    assert queries.CLOCKS_READ.kept() == {}

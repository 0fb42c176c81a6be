"""The customer 360's open-complaints panel reads its tickets through a statement the ORM
compiled once (``yuqi.complaints.panels.open_tickets``): the same rows as the ORM's read, for
any customer and moment, a new ticket seen at once (the rows are read each time; only the
SQL is kept), and the compilation done once per database."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.complaints.factories import open_complaint, sh
from tests.customers.factories import CustomerFactory
from yuqi.complaints import panels
from yuqi.complaints.models import Complaint

pytestmark = pytest.mark.django_db


def test_rows_equal_the_orm_read(frozen, outbox, supervisor):
    customer = CustomerFactory()
    other = CustomerFactory(tier=None)
    open_complaint(by=supervisor, customer=customer)
    open_complaint(by=supervisor, customer=customer, level_code="regulator")
    open_complaint(by=supervisor, customer=other)
    for moment in (sh(2026, 3, 2, 9, 30), sh(2026, 3, 9, 11), sh(2027, 1, 4, 10)):
        for who in (customer, other, CustomerFactory()):
            assert panels.open_tickets(who.pk, moment) == list(panels._queryset(who.pk, moment))
    rows = panels.open_tickets(customer.pk, sh(2026, 3, 9, 11))
    assert [row["level__code"] for row in rows] == ["regulator", "local"]
    assert type(rows[0]["level__is_regulator"]) is bool  # converted as the ORM converts


def test_a_new_ticket_is_seen_at_once(frozen, outbox, supervisor):
    customer = CustomerFactory()
    assert panels.open_tickets(customer.pk, sh(2026, 3, 2, 10)) == []
    ticket = open_complaint(by=supervisor, customer=customer)
    assert [r["number"] for r in panels.open_tickets(customer.pk, sh(2026, 3, 2, 10))] == [
        ticket.number
    ]
    Complaint.objects.filter(pk=ticket.pk).update(state="closed")
    assert panels.open_tickets(customer.pk, sh(2026, 3, 2, 10)) == []


def test_compiled_once_per_database(frozen, outbox, supervisor):
    customer = CustomerFactory()
    open_complaint(by=supervisor, customer=customer)
    panels.OPEN_TICKETS_READ.forget()
    for day in (2, 3, 4):
        panels.open_tickets(customer.pk, sh(2026, 3, day, 10))
    assert list(panels.OPEN_TICKETS_READ.kept().values()) == [True]  # kept, not refused


def test_a_read_that_did_not_compile_as_expected_uses_the_orm(
    frozen, outbox, supervisor, monkeypatch
):
    customer = CustomerFactory()
    ticket = open_complaint(by=supervisor, customer=customer)
    panels.OPEN_TICKETS_READ.forget()
    monkeypatch.setattr(panels.OPEN_TICKETS_READ, "_compile", lambda *args: None)
    rows = panels.open_tickets(customer.pk, sh(2026, 3, 2, 10) + dt.timedelta(hours=1))
    assert [row["number"] for row in rows] == [ticket.number]
    assert list(panels.OPEN_TICKETS_READ.kept().values()) == [False]

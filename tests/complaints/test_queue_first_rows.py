"""The work queue's first page, for its common shapes (open tickets, anyone's or the user's,
with or without an urgency filter, no column sort), is read through a statement the ORM
compiled once per shape (``yuqi.complaints.queries.queue_first_rows``): the same rows as the
ORM's read, a new or changed ticket seen at once (only the SQL is kept), any other shape left
to the ORM."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.complaints.factories import open_complaint, sh
from yuqi.complaints import queries
from yuqi.complaints.models import Complaint
from yuqi.complaints.selectors import QueueFilter

pytestmark = pytest.mark.django_db


def _orm(filters, moment, rows=50):
    return list(queries._page_queryset(filters, moment)[:rows])


def _four_tickets_one_agents(supervisor, agent) -> None:
    for _ in range(3):
        open_complaint(by=supervisor)
    open_complaint(by=supervisor, level_code="regulator")
    Complaint.objects.filter(pk=Complaint.objects.order_by("pk").first().pk).update(owner=agent)


def _kept_shapes(supervisor, agent):
    """(filters, moment) for every kept shape: anyone's or one owner's, each urgency filter."""
    for sla in ("", "breached", "at_risk", "on_track"):
        for owner in (None, agent.pk, supervisor.pk):
            for moment in (sh(2026, 3, 2, 16), sh(2026, 3, 12, 10)):
                yield QueueFilter(state="open", owner_id=owner, sla=sla), moment


def test_rows_equal_the_orm_read(frozen, outbox, supervisor, agent):
    _four_tickets_one_agents(supervisor, agent)
    for filters, moment in _kept_shapes(supervisor, agent):
        for rows in (2, 50):
            kept = queries.queue_first_rows(filters, "", now=moment, rows=rows)
            assert kept == _orm(filters, moment, rows), (filters, moment, rows)
    late = queries.queue_first_rows(QueueFilter(state="open"), "", now=sh(2026, 3, 12, 10), rows=50)
    assert {row["number"] for row in late} == set(
        Complaint.objects.values_list("number", flat=True)
    )


@pytest.mark.parametrize(
    ("filters", "sort"),
    [
        (QueueFilter(state="open", q="TS"), ""),
        (QueueFilter(state="open", level="local"), ""),
        (QueueFilter(state="open", sla="paused"), ""),
        (QueueFilter(state="new"), ""),
        (QueueFilter(state="open"), "risk"),
    ],
)
def test_other_shapes_are_left_to_the_orm(frozen, outbox, supervisor, filters, sort):
    open_complaint(by=supervisor)
    assert queries.queue_first_rows(filters, sort, now=sh(2026, 3, 2, 10), rows=50) is None


def test_a_new_and_a_closed_ticket_are_seen_at_once(frozen, outbox, supervisor):
    filters = QueueFilter(state="open")
    moment = sh(2026, 3, 2, 10)
    first = open_complaint(by=supervisor)
    assert [r["number"] for r in queries.queue_first_rows(filters, "", now=moment, rows=50)] == [
        first.number
    ]
    second = open_complaint(by=supervisor, level_code="regulator")
    Complaint.objects.filter(pk=first.pk).update(state="closed")
    assert [r["number"] for r in queries.queue_first_rows(filters, "", now=moment, rows=50)] == [
        second.number
    ]


def test_compiled_once_per_shape(frozen, outbox, supervisor, agent):
    open_complaint(by=supervisor)
    queries.ANYONES_PAGE_READ.forget()
    queries.OWN_PAGE_READ.forget()
    for day in (2, 3):
        for sla in ("", "breached"):
            for owner in (None, agent.pk, supervisor.pk):
                filters = QueueFilter(state="open", sla=sla, owner_id=owner)
                queries.queue_first_rows(filters, "", now=sh(2026, 3, day, 10), rows=50)
    anyones, own = queries.ANYONES_PAGE_READ.kept(), queries.OWN_PAGE_READ.kept()
    assert sorted(key[3] for key in anyones) == [("", 50), ("breached", 50)]
    assert sorted(key[3] for key in own) == [("", 50), ("breached", 50)]
    assert all(anyones.values())  # kept, not refused
    assert all(own.values())


def test_the_page_shows_the_kept_rows(as_user, frozen, outbox, supervisor):
    ticket = open_complaint(by=supervisor)
    for query in ("", "?sla=breached", "?owner=mine", "?sla=on_track"):
        body = as_user(supervisor).get(reverse("complaints:queue") + query).content.decode()
        assert (ticket.number in body) == (query in ("", "?sla=on_track"))


def test_the_count_equals_the_orms_count_for_each_kept_shape(frozen, outbox, supervisor, agent):
    from yuqi.complaints.selectors import complaint_queue

    _four_tickets_one_agents(supervisor, agent)
    for filters, moment in _kept_shapes(supervisor, agent):
        expected = complaint_queue(filters=filters, now=moment).count()
        assert queries.queue_count(filters, "", now=moment) == expected, (filters, moment)
    assert queries.queue_count(QueueFilter(state="open", q="TS"), "", now=sh(2026, 3, 2)) is None


def test_the_count_without_an_urgency_filter_does_not_depend_on_the_moment():
    """Its kept statement is compiled with a stand-in moment: safe only while the moment is
    not in it."""
    one = queries._count_of("", moment=sh(2026, 3, 2, 16), owner_id=7)
    other = queries._count_of("", moment=sh(2027, 1, 1, 9), owner_id=7)
    assert str(one.query) == str(other.query)
    assert str(queries._count_of("", moment=sh(2026, 3, 2)).query) != str(
        queries._count_of("breached", moment=sh(2026, 3, 2)).query
    )


def test_a_full_first_pages_count_is_the_kept_reads(
    client, frozen, outbox, supervisor, monkeypatch
):
    monkeypatch.setattr("yuqi.complaints.views.PAGE_SIZE", 2)
    for _ in range(3):
        open_complaint(by=supervisor)
    client.force_login(supervisor)
    for query in ("", "?sla=on_track", "?owner=mine"):
        page = client.get(reverse("complaints:queue") + query)
        assert page.status_code == 200
        mine = Complaint.objects.filter(owner=supervisor).count()
        assert page.context["page"].paginator.count == (mine if query == "?owner=mine" else 3)


def test_postgresql_picks_the_first_tickets_before_joining(frozen, outbox, supervisor):
    """On PostgreSQL the first tickets are an array read before the joins (an ``IN`` was
    planned as a semi-join after every open ticket's joins); elsewhere an ``IN``."""
    from django.db import connection

    read = queries._anyones_page("", 50, moment=sh(2026, 3, 2, 10))
    sql, _params = read.query.get_compiler(connection=connection).as_sql()
    assert "LIMIT 50" in sql
    if connection.vendor == "postgresql":
        assert '"complaints_complaint"."id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"complaints_complaint"."id" IN (SELECT' in sql

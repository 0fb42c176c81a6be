"""The work queue's supervisor tools: search (number, name, phone tail), sort by any column,
risk and complainer-type filters, bulk assignment, saved views; hostile input; query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.complaints.factories import open_complaint
from tests.customers.factories import CustomerFactory
from yuqi.complaints.models import Complaint, SavedQueueView

pytestmark = pytest.mark.django_db
QUEUE = "/complaints/"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def numbers(response) -> list[str]:
    return re.findall(r'<tr data-number="([^"]+)"', response.content.decode())


def test_search_by_number_name_and_phone_tail(as_user, supervisor, frozen, outbox):
    zhao = open_complaint(by=supervisor, customer=CustomerFactory(name="赵敏", phone="13812345678"))
    other = open_complaint(
        by=supervisor, customer=CustomerFactory(name="钱多", phone="13900001111")
    )
    client = as_user(supervisor)
    assert numbers(client.get(QUEUE, {"q": "赵"})) == [zhao.number]
    assert numbers(client.get(QUEUE, {"q": "5678"})) == [zhao.number]
    assert numbers(client.get(QUEUE, {"q": other.number[-4:]})) in (
        [other.number],
        [zhao.number, other.number],
        [other.number, zhao.number],
    )
    assert numbers(client.get(QUEUE, {"q": other.number})) == [other.number]


def test_risk_and_complainer_type_filters(as_user, supervisor, frozen, outbox):
    calm = open_complaint(by=supervisor)
    hot = open_complaint(by=supervisor)
    Complaint.objects.filter(pk=hot.pk).update(risk_score=80, complainer_type="irate")
    Complaint.objects.filter(pk=calm.pk).update(
        risk_score=10, complainer_type="", complainer_type_suggested="passive"
    )
    client = as_user(supervisor)
    assert numbers(client.get(QUEUE, {"risk_min": 50})) == [hot.number]
    assert numbers(client.get(QUEUE, {"complainer_type": "irate"})) == [hot.number]
    assert numbers(client.get(QUEUE, {"complainer_type": "passive"})) == [calm.number]


def test_sort_by_any_column_and_bad_sort_is_ignored(as_user, supervisor, frozen, outbox):
    a = open_complaint(by=supervisor, customer=CustomerFactory(name="Alice"))
    b = open_complaint(by=supervisor, customer=CustomerFactory(name="Bob"))
    Complaint.objects.filter(pk=a.pk).update(risk_score=90)
    client = as_user(supervisor)
    assert numbers(client.get(QUEUE, {"sort": "customer"})) == [a.number, b.number]
    assert numbers(client.get(QUEUE, {"sort": "-customer"})) == [b.number, a.number]
    assert numbers(client.get(QUEUE, {"sort": "-risk"})) == [a.number, b.number]
    for column in (
        "number",
        "level",
        "state",
        "sla",
        "category",
        "owner",
        "risk",
        "account",
        "opened",
    ):
        assert client.get(QUEUE, {"sort": column}).status_code == 200
    for hostile in ("password", "customer__phone", "-id; drop table x", "__class__", "x" * 5000):
        page = client.get(QUEUE, {"sort": hostile})
        assert page.status_code == 200
        assert sorted(numbers(page)) == sorted([a.number, b.number])


def test_a_huge_search_is_refused_politely(as_user, supervisor, frozen, outbox):
    open_complaint(by=supervisor)
    page = as_user(supervisor).get(QUEUE, {"q": "赵" * 10_000})
    assert page.status_code == 200
    assert "Ensure this value has at most 64 characters" in page.content.decode()


def test_bulk_assign(as_user, supervisor, agent, frozen, outbox):
    first, second = open_complaint(by=supervisor), open_complaint(by=supervisor)
    client = as_user(supervisor)
    done = client.post(
        "/complaints/bulk-assign/", {"tickets": [first.number, second.number], "owner": agent.pk}
    )
    assert done.status_code == 302
    assert set(Complaint.objects.values_list("owner_id", flat=True)) == {agent.pk}


def test_bulk_assign_refuses_tickets_the_user_cannot_see(
    as_user, supervisor, agent, frozen, outbox
):
    ticket = open_complaint(by=supervisor)
    client = as_user(supervisor)
    answer = client.post(
        "/complaints/bulk-assign/",
        {"tickets": [ticket.number, "TS-99999999-9999"], "owner": agent.pk},
        follow=True,
    )
    assert "not open tickets of the queue" in answer.content.decode()
    ticket.refresh_from_db()
    assert ticket.owner_id == supervisor.pk or ticket.owner_id is None
    assert ticket.owner_id != agent.pk


def test_bulk_assign_needs_the_right_before_the_body(as_user, agent, supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor)
    client = as_user(agent)
    assert client.post("/complaints/bulk-assign/", {}).status_code == 403
    assert (
        client.post(
            "/complaints/bulk-assign/", {"tickets": [ticket.number], "owner": agent.pk}
        ).status_code
        == 403
    )


def test_bulk_assign_caps_the_batch(as_user, supervisor, agent, frozen, outbox):
    answer = as_user(supervisor).post(
        "/complaints/bulk-assign/",
        {"tickets": [f"N{i}" for i in range(500)], "owner": agent.pk},
        follow=True,
    )
    assert "Assign at most 100 tickets at once." in answer.content.decode()


def test_saved_views_are_per_user_and_persisted(as_user, supervisor, manager, frozen, outbox):
    client = as_user(supervisor)
    saved = client.post(
        "/complaints/views/", {"name": "高风险", "query": "risk_min=60&sort=-risk&evil=1"}
    )
    assert saved.status_code == 302
    view = SavedQueueView.objects.get(user=supervisor)
    assert view.query == "risk_min=60&sort=-risk"
    page = client.get(QUEUE).content.decode()
    assert "高风险" in page
    assert "risk_min=60" in page
    assert "高风险" not in as_user(manager).get(QUEUE).content.decode()
    # another user cannot delete it
    as_user(manager).post(f"/complaints/views/{view.pk}/delete/")
    assert SavedQueueView.objects.filter(pk=view.pk).exists()
    client.post(f"/complaints/views/{view.pk}/delete/")
    assert not SavedQueueView.objects.filter(pk=view.pk).exists()


def test_queue_queries_do_not_grow_with_rows(as_user, supervisor, frozen, outbox):
    client = as_user(supervisor)
    open_complaint(by=supervisor)
    client.get(QUEUE)  # warm: the first request reads the user's permissions once
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE, {"sort": "-risk"}).status_code == 200
    for _ in range(12):
        open_complaint(by=supervisor)
    with CaptureQueriesContext(connection) as many:
        assert client.get(QUEUE, {"sort": "-risk"}).status_code == 200
    assert len(many) == len(few)


def test_queue_reads_calendars_once_whatever_the_number_of_teams(
    as_user, supervisor, frozen, outbox
):
    """Tickets of many teams: the team → calendar mappings are read in one query and each
    distinct calendar is built once per request (it used to be read per team)."""
    from tests.interactions.factories import TeamFactory

    client = as_user(supervisor)
    first = open_complaint(by=supervisor)
    Complaint.objects.filter(pk=first.pk).update(team=TeamFactory())
    client.get(QUEUE)  # warm: the first request reads the user's permissions once
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE).status_code == 200
    for _ in range(6):
        ticket = open_complaint(by=supervisor)
        Complaint.objects.filter(pk=ticket.pk).update(team=TeamFactory())
    with CaptureQueriesContext(connection) as many:
        assert client.get(QUEUE).status_code == 200
    assert len(many) == len(few)

"""Logging a contact on the customer 360 (issue 14, the agent's day): the service, the page
and its limits."""

from __future__ import annotations

import pytest

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import AgentFactory, InteractionFactory, QueueFactory
from yuqi.core.errors import DomainError
from yuqi.interactions.models import Interaction
from yuqi.interactions.services import NOTES_MAX, contact_log

pytestmark = pytest.mark.django_db


def test_a_logged_contact_is_an_answered_contact_of_the_customer_by_the_agent(agent):
    AgentFactory(code="A0042", user=agent)
    QueueFactory(code="billing", name="账单查询")
    customer = CustomerFactory()
    made = contact_log(
        customer_id=customer.pk,
        by=agent,
        channel="phone",
        queue_code="billing",
        category="不明扣费",
        outcome="complaint",
        notes="客户称上月多扣 30 元。",
        first_contact_resolved=False,
        handle_minutes=6,
    )
    made.refresh_from_db()
    assert (made.source, made.customer_id, made.agent.code, made.queue.code) == (
        "web",
        customer.pk,
        "A0042",
        "billing",
    )
    assert made.abandoned is False
    assert made.answered_at == made.arrived_at
    assert made.talk_seconds == 360
    assert made.wait_seconds == 0
    assert (made.category, made.outcome, made.first_contact_resolved) == (
        "不明扣费",
        "complaint",
        False,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"notes": "长" * (NOTES_MAX + 1)}, "notes"),
        ({"category": "x" * 61}, "category"),
        ({"channel": "pigeon"}, "channel"),
        ({"outcome": "<script>"}, "outcome"),
        ({"queue_code": "no-such-queue"}, "queue"),
        ({"handle_minutes": -5}, "handle_minutes"),
    ],
)
def test_hostile_or_oversize_input_is_refused_and_nothing_is_saved(agent, changes, field):
    customer = CustomerFactory()
    arguments = {"customer_id": customer.pk, "by": agent, "channel": "phone", **changes}
    with pytest.raises(DomainError) as refused:
        contact_log(**arguments)
    assert refused.value.field == field
    assert not Interaction.objects.exists()


def test_the_360_shows_the_log_form_and_a_posted_contact_returns_to_the_360(agent, as_user):
    customer = CustomerFactory(name="赵敏")
    client = as_user(agent)
    page = client.get(f"/customers/{customer.external_id}/").content.decode()
    assert "记录接触" in page
    assert 'name="outcome"' in page
    response = client.post(
        f"/interactions/log/{customer.external_id}/",
        {"channel": "phone", "direction": "inbound", "outcome": "answered", "notes": "查询话费"},
    )
    assert response.status_code == 302
    assert response.url == f"/customers/{customer.external_id}/"
    page = client.get(response.url).content.decode()
    assert "接触已记录" in page
    assert "查询话费" in page
    assert "已解答咨询" in page


def test_a_contact_whose_outcome_is_a_complaint_opens_the_complaint_form(agent, as_user):
    customer = CustomerFactory()
    response = as_user(agent).post(
        f"/interactions/log/{customer.external_id}/",
        {"channel": "phone", "direction": "inbound", "outcome": "complaint", "notes": "多扣费"},
    )
    made = Interaction.objects.get()
    assert response.status_code == 302
    assert response.url == f"/complaints/new/?contact={made.pk}"


def test_oversize_notes_on_the_page_are_refused_with_a_message(agent, as_user):
    customer = CustomerFactory()
    response = as_user(agent).post(
        f"/interactions/log/{customer.external_id}/",
        {"channel": "phone", "direction": "inbound", "outcome": "answered", "notes": "长" * 2001},
    )
    assert response.status_code == 400
    assert "2000" in response.content.decode()
    assert not Interaction.objects.exists()


def test_an_analyst_may_not_log_contacts(analyst, as_user):
    customer = CustomerFactory()
    response = as_user(analyst).post(
        f"/interactions/log/{customer.external_id}/",
        {"channel": "phone", "direction": "inbound", "outcome": "answered"},
    )
    assert response.status_code == 403
    assert not Interaction.objects.exists()
    page = as_user(analyst).get(f"/customers/{customer.external_id}/").content.decode()
    assert 'name="outcome"' not in page


def test_an_unknown_customer_is_404(agent, as_user):
    response = as_user(agent).post("/interactions/log/NOPE/", {"channel": "phone"})
    assert response.status_code == 404


def test_the_timeline_offers_a_complaint_from_each_contact_without_one(agent, as_user):
    customer = CustomerFactory()
    contact = InteractionFactory(customer=customer)
    page = as_user(agent).get(f"/customers/{customer.external_id}/").content.decode()
    assert f"/complaints/new/?contact={contact.pk}" in page

"""A complaint opened from a logged contact (issue 14): prefilled from the contact, linked to
it, and refused for another customer's contact or a contact that has a complaint already."""

from __future__ import annotations

import pytest

from tests.complaints.factories import level
from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory
from yuqi.complaints.models import Complaint
from yuqi.complaints.services.intake import complaint_open_from_contact, contact_prefill
from yuqi.core.errors import DomainError
from yuqi.interactions.models import Interaction

pytestmark = pytest.mark.django_db


def test_the_prefill_takes_customer_channel_category_and_notes_from_the_contact():
    customer = CustomerFactory()
    contact = InteractionFactory(
        customer=customer, channel="webchat", category="不明扣费", notes="上月多扣 30 元"
    )
    prefill = contact_prefill(contact.pk)
    assert (prefill.customer_id, prefill.channel, prefill.category_code, prefill.account) == (
        customer.pk,
        "web",
        "billing-unexpected",
        "上月多扣 30 元",
    )


def test_an_unknown_category_leaves_the_complaint_category_empty():
    contact = InteractionFactory(customer=CustomerFactory(), category="话费查询")
    assert contact_prefill(contact.pk).category_code == ""


def test_the_form_opened_from_a_contact_is_prefilled(agent, as_user):
    customer = CustomerFactory(name="赵敏")
    contact = InteractionFactory(customer=customer, category="不明扣费", notes="多扣 30 元流量费")
    page = as_user(agent).get(f"/complaints/new/?contact={contact.pk}").content.decode()
    assert "从接触登记" in page
    assert "赵敏" in page
    assert f'value="{customer.external_id}"' in page
    assert "多扣 30 元流量费</textarea>" in page
    assert '<option value="billing-unexpected" selected>' in page
    assert f'name="contact" value="{contact.pk}"' in page


def _post(client, customer, contact_id, **extra):
    data = {
        "customer": customer.external_id,
        "channel": "phone",
        "level": "local",
        "category": "billing-unexpected",
        "account": "多扣 30 元流量费",
        "contact": contact_id,
        **extra,
    }
    return client.post("/complaints/new/", data)


def test_saving_links_the_contact_to_the_ticket_and_the_ticket_shows_it(agent, as_user):
    customer = CustomerFactory()
    contact = InteractionFactory(customer=customer, category="不明扣费", notes="多扣 30 元")
    client = as_user(agent)
    response = _post(client, customer, contact.pk)
    ticket = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == f"/complaints/{ticket.number}/"
    contact.refresh_from_db()
    assert (contact.complaint_id, contact.complaint_number) == (ticket.pk, ticket.number)
    page = client.get(response.url).content.decode()
    assert "来源接触" in page
    assert "多扣 30 元" in page
    customer_page = client.get(f"/customers/{customer.external_id}/").content.decode()
    assert f"→ {ticket.number}" in customer_page


def test_another_customers_contact_is_refused_and_nothing_is_saved(agent, as_user):
    mine, theirs = CustomerFactory(), CustomerFactory()
    contact = InteractionFactory(customer=theirs)
    response = _post(as_user(agent), mine, contact.pk)
    assert response.status_code == 200
    assert "此接触不属于该客户" in response.content.decode()
    assert not Complaint.objects.exists()
    assert Interaction.objects.get(pk=contact.pk).complaint_id is None


def test_a_contact_gives_one_complaint_only(agent):
    customer = CustomerFactory()
    contact = InteractionFactory(customer=customer)
    arguments = {"customer_id": customer.pk, "account": "多扣费", "by": agent}
    complaint_open_from_contact(contact_id=contact.pk, level=level("local"), **arguments)
    with pytest.raises(DomainError) as refused:
        complaint_open_from_contact(contact_id=contact.pk, level=level("local"), **arguments)
    assert refused.value.field == "contact"
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("contact", ["abc", "-1", "9" * 40, "1%00", "999999"])
def test_a_hostile_contact_parameter_just_gives_an_empty_form(agent, as_user, contact):
    response = as_user(agent).get("/complaints/new/", {"contact": contact})
    assert response.status_code in (200, 400)
    assert "从接触登记" not in response.content.decode()

"""The status look-up ``/c/status``: the ticket number, the last 4 digits of the number on
file and a code sent to it show the state, next step, expected time and promises — nothing
else personal."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.channels.conftest import last_code
from tests.complaints.factories import open_complaint
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

PHONE = "13655556666"


@pytest.fixture
def ticket(agent):
    from yuqi.commitments.facade import commitment_record

    customer = CustomerFactory(phone=PHONE, name="赵敏")
    ticket = open_complaint(by=agent, customer=customer)
    commitment_record(
        customer_id=customer.pk,
        kind="callback",
        text="明天下午回电说明退费进度",
        promised_by_id=agent.pk,
        complaint_id=ticket.pk,
        notify=False,
    )
    ticket.refresh_from_db()
    return ticket


def ask(client: Client, number: str, tail: str):
    return client.post("/c/status", {"number": number, "tail": tail, "lang": "zh-hans"})


def test_the_customer_sees_state_next_step_due_time_and_promises(ticket, sms_outbox, agent):
    client = Client()
    response = ask(client, ticket.number.lower(), PHONE[-4:])
    assert response.status_code == 302
    assert sms_outbox[-1].address == PHONE
    response = client.post("/c/status/verify", {"code": last_code(sms_outbox), "lang": "zh-hans"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert ticket.number in page
    assert "明天下午回电说明退费进度" in page
    assert 'id="ticket-due"' in page  # the first reply's due time
    # nothing else personal: no agent's name, no customer's name or number, no notes
    for secret in (agent.display_name, "赵敏", PHONE, "上个月账单多扣了"):
        assert secret not in page


def test_a_wrong_tail_answers_the_same_and_sends_nothing(ticket, sms_outbox):
    client = Client()
    right = ask(Client(), ticket.number, PHONE[-4:])
    sms_outbox.clear()
    wrong = ask(client, ticket.number, "0000")
    unknown = ask(Client(), "TS-20990101-9999", "0000")
    assert wrong.status_code == right.status_code == unknown.status_code == 302
    assert sms_outbox == []
    response = client.post("/c/status/verify", {"code": "123456", "lang": "en"})
    assert response.status_code == 422
    # the same words as for a right ticket with a wrong code: nothing tells them apart
    other = Client()
    ask(other, ticket.number, PHONE[-4:])
    answer = other.post("/c/status/verify", {"code": "1234567", "lang": "en"})
    assert answer.content.decode().count("The code is not right or no longer works.") == 1
    assert response.content.decode().count("The code is not right or no longer works.") == 1


def test_status_code_guessing_is_locked_after_five_tries(ticket, sms_outbox):
    client = Client()
    ask(client, ticket.number, PHONE[-4:])
    code = last_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post("/c/status/verify", {"code": wrong, "lang": "zh-hans"})
    response = client.post("/c/status/verify", {"code": code, "lang": "zh-hans"})
    assert response.status_code == 422
    assert client.get("/c/status/view").status_code == 302  # never shown


def test_look_ups_are_rate_limited(ticket, sms_outbox):
    client = Client()
    answers = [ask(client, f"TS-20990101-{n:04d}", "1234").status_code for n in range(11)]
    assert answers[-1] == 429


def test_the_view_needs_a_verified_code():
    response = Client().get("/c/status/view")
    assert response.status_code == 302

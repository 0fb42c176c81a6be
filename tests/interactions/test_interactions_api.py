from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import AgentFactory, InteractionFactory, QueueFactory
from yuqi.interactions.models import Interaction


def test_list_filters(as_user, agent):
    now = timezone.now()
    vip = QueueFactory(code="vip", name="VIP专席")
    kept = InteractionFactory(queue=vip, arrived_at=now - timedelta(days=1))
    InteractionFactory(channel="email", arrived_at=now - timedelta(days=1))
    InteractionFactory(
        abandoned=True,
        answered_at=None,
        agent=None,
        talk_seconds=0,
        arrived_at=now - timedelta(days=10),
    )
    client = as_user(agent)

    def ids(**query):
        return [i["id"] for i in client.get("/api/v1/interactions", query).json()["items"]]

    assert ids(queue="vip") == [kept.pk]
    assert len(ids(channel="email")) == 1
    assert len(ids(abandoned="true")) == 1
    since = (now - timedelta(days=2)).date().isoformat()
    assert len(ids(date_from=since)) == 2
    assert ids(agent=kept.agent.code) == [kept.pk]


def test_create_derives_times_and_refuses_impossible_ones(as_user, agent):
    customer = CustomerFactory()
    client = as_user(agent)
    good = client.post(
        "/api/v1/interactions",
        content_type="application/json",
        data={
            "source": "crm",
            "external_id": "E1",
            "channel": "web_chat",
            "queue": "chat",
            "customer_external_id": customer.external_id,
            "arrived_at": "2026-11-02T09:00:00+08:00",
            "answered_at": "2026-11-02T09:00:40+08:00",
            "ended_at": "2026-11-02T09:10:40+08:00",
        },
    )
    assert good.status_code == 201, good.content
    body = good.json()
    assert (body["wait_seconds"], body["talk_seconds"], body["customer"]) == (
        40,
        600,
        customer.external_id,
    )
    bad = client.post(
        "/api/v1/interactions",
        content_type="application/json",
        data={
            "external_id": "E2",
            "channel": "phone",
            "arrived_at": "2026-11-02T09:00:00+08:00",
            "answered_at": "2026-11-02T08:00:00+08:00",
        },
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["path"] == "body.payload.answered_at"


def test_an_unidentified_caller_is_kept_masked_and_hashed(as_user, agent):
    response = as_user(agent).post(
        "/api/v1/interactions",
        content_type="application/json",
        data={
            "external_id": "E3",
            "channel": "phone",
            "caller_number": "13912345678",
            "arrived_at": "2026-11-02T09:00:00+08:00",
        },
    )
    assert response.json()["caller_number"] == "139****5678"
    stored = Interaction.objects.get(external_id="E3")
    assert "13912345678" not in (stored.caller_masked + stored.caller_hash)
    assert len(stored.caller_hash) == 32


def test_only_outcome_fields_change_after_the_fact(as_user, supervisor):
    contact = InteractionFactory()
    client = as_user(supervisor)
    ok = client.patch(
        f"/api/v1/interactions/{contact.pk}",
        content_type="application/json",
        data={"first_contact_resolved": False, "notes": "客户需回电"},
    )
    assert ok.status_code == 200
    assert ok.json()["first_contact_resolved"] is False
    refused = client.patch(
        f"/api/v1/interactions/{contact.pk}",
        content_type="application/json",
        data={"wait_seconds": 1},
    )
    assert refused.status_code == 422


def test_bulk_per_item_results(as_user, manager):
    items = [
        {"external_id": "B1", "channel": "phone", "arrived_at": "2026-11-02 09:00:00"},
        {"external_id": "B2", "channel": "carrier pigeon", "arrived_at": "2026-11-02 09:00:00"},
    ]
    body = (
        as_user(manager)
        .post(
            "/api/v1/interactions/bulk",
            content_type="application/json",
            data={"source": "acd", "items": items},
        )
        .json()
    )
    assert [item["status"] for item in body["items"]] == ["created", "rejected"]
    assert body["items"][1]["errors"][0]["field"] == "channel"
    again = (
        as_user(manager)
        .post(
            "/api/v1/interactions/bulk",
            content_type="application/json",
            data={"source": "acd", "items": items[:1]},
        )
        .json()
    )
    assert again["items"][0]["status"] == "unchanged"


def test_agent_line_and_queue_filters_on_the_page(as_user, agent):
    AgentFactory(code="A777", name="李娜")
    InteractionFactory(agent=AgentFactory(code="A777"))
    page = as_user(agent).get("/interactions/?agent=A777").content.decode()
    assert "李娜" in page

"""/api/v1/commitments: the same rules as the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.commitments.factories import TUESDAY_10, promise
from tests.customers.factories import CustomerFactory
from yuqi.commitments.models import Commitment

H = dt.timedelta(hours=1)
JSON = "application/json"


def post(client, url: str, data: dict):
    return client.post(url, data=data, content_type=JSON)


def test_creating_a_too_fast_promise_returns_its_flags_and_pending_approval(
    as_user, agent, calls, frozen
):
    customer = CustomerFactory()
    response = post(
        as_user(agent),
        "/api/v1/commitments",
        {
            "customer": customer.external_id,
            "kind": "repair",
            "text": "两小时内修好宽带",
            "due_at": (TUESDAY_10 + 2 * H).isoformat(),
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["approval_state"] == "pending"
    assert [flag["code"] for flag in body["flags"]] == ["too_fast"]
    assert body["flags"][0]["message"]
    assert body["promised_by"] == agent.username


def test_creating_without_a_due_time_takes_the_suggested_one(as_user, agent, calls, frozen):
    customer = CustomerFactory()
    body = post(
        as_user(agent),
        "/api/v1/commitments",
        {"customer": customer.external_id, "kind": "repair", "text": "修好宽带"},
    ).json()
    assert (body["approval_state"], body["flags"]) == ("not_needed", [])
    assert dt.datetime.fromisoformat(body["due_at"]) == TUESDAY_10 + 36 * H


def test_an_unknown_kind_is_a_validation_error(as_user, agent, frozen):
    customer = CustomerFactory()
    response = post(
        as_user(agent),
        "/api/v1/commitments",
        {"customer": customer.external_id, "kind": "miracle", "text": "x"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.payload.kind"


def test_analysts_cannot_create(as_user, analyst, frozen):
    customer = CustomerFactory()
    response = post(
        as_user(analyst),
        "/api/v1/commitments",
        {"customer": customer.external_id, "kind": "callback", "text": "x"},
    )
    assert response.status_code == 403


def test_the_list_filters_by_status_customer_and_overdue(as_user, analyst, agent, calls, frozen):
    early = promise(by=agent, due_at=TUESDAY_10 + H)
    late = promise(by=agent, due_at=TUESDAY_10 + 30 * H)
    frozen.set(TUESDAY_10 + 2 * H)
    client = as_user(analyst)

    def ids(query: str) -> list[int]:
        return [row["id"] for row in client.get(f"/api/v1/commitments?{query}").json()["items"]]

    assert ids("") == [early.pk, late.pk]
    assert ids("overdue=true") == [early.pk]
    assert ids(f"customer={late.customer.external_id}") == [late.pk]
    assert ids("status=fulfilled") == []
    assert ids(f"agent={agent.pk}&kind=callback") == [early.pk, late.pk]


def test_the_detail_has_the_ledger(as_user, analyst, agent, calls, frozen):
    made = promise(by=agent, due_at=TUESDAY_10 + 4 * H)
    body = as_user(analyst).get(f"/api/v1/commitments/{made.pk}").json()
    assert [event["kind"] for event in body["events"]] == ["made"]
    assert body["events"][0]["by"] == agent.username


def test_the_promiser_fulfils_and_a_colleague_agent_may_not(as_user, agent, calls, frozen):
    from tests.accounts.factories import UserFactory

    colleague = UserFactory(roles=["agent"])
    made = promise(by=agent, due_at=TUESDAY_10 + 4 * H)
    url = f"/api/v1/commitments/{made.pk}/fulfil"
    assert post(as_user(colleague), url, {"evidence": "x"}).status_code == 403
    response = post(as_user(agent), url, {"evidence": "工单 #42 已完成"})
    assert response.status_code == 200
    assert response.json()["status"] == "fulfilled"


def test_fulfil_without_evidence_is_refused(as_user, agent, calls, frozen):
    made = promise(by=agent, due_at=TUESDAY_10 + 4 * H)
    response = post(as_user(agent), f"/api/v1/commitments/{made.pk}/fulfil", {"evidence": ""})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("role", "status"), [("agent", 403), ("analyst", 403), ("supervisor", 200)]
)
def test_only_approvers_approve(request, as_user, agent, calls, frozen, role, status):
    flagged = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 2 * H)
    user = request.getfixturevalue(role)
    response = post(as_user(user), f"/api/v1/commitments/{flagged.pk}/approve", {"note": ""})
    assert response.status_code == status


def test_approving_twice_is_a_conflict(as_user, agent, supervisor, calls, frozen):
    flagged = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 2 * H)
    client = as_user(supervisor)
    assert post(client, f"/api/v1/commitments/{flagged.pk}/approve", {}).status_code == 200
    assert post(client, f"/api/v1/commitments/{flagged.pk}/approve", {}).status_code == 409


def test_reject_renegotiate_and_cancel(as_user, agent, supervisor, calls, frozen):
    flagged = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 2 * H)
    client = as_user(supervisor)
    rejected = post(client, f"/api/v1/commitments/{flagged.pk}/reject", {"reason": "做不到"})
    assert rejected.json()["approval_state"] == "rejected"
    made = promise(by=agent, due_at=TUESDAY_10 + 4 * H)
    new_due = (TUESDAY_10 + 28 * H).isoformat()
    moved = post(
        as_user(agent),
        f"/api/v1/commitments/{made.pk}/renegotiate",
        {"due_at": new_due, "reason": "客户改约"},
    )
    assert moved.json()["status"] == "renegotiated"
    cancelled = post(as_user(agent), f"/api/v1/commitments/{made.pk}/cancel", {"reason": "撤回"})
    assert cancelled.json()["status"] == "cancelled"
    assert Commitment.objects.get(pk=made.pk).events.count() == 3


def test_measures_are_for_roles_that_see_service_measures(as_user, agent, manager, frozen):
    url = "/api/v1/commitments/measures?date_from=2026-03-09&date_to=2026-03-13&by=kind"
    assert as_user(manager).get(url).status_code == 200
    assert as_user(agent).get(url).status_code == 403


# ------------------------------------------------ review F-6: approval before keeping
def test_a_promise_awaiting_approval_cannot_be_fulfilled(as_user, agent, supervisor, calls, frozen):
    flagged = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 2 * H)
    assert flagged.approval_state == "pending"
    kept = post(as_user(agent), f"/api/v1/commitments/{flagged.pk}/fulfil", {"evidence": "paid"})
    assert kept.status_code == 409
    flagged.refresh_from_db()
    assert (flagged.status, flagged.approval_state) == ("open", "pending")
    # ... so the supervisor can still decide, and then the agent keeps it
    approved = post(as_user(supervisor), f"/api/v1/commitments/{flagged.pk}/approve", {})
    assert approved.status_code == 200
    kept = post(as_user(agent), f"/api/v1/commitments/{flagged.pk}/fulfil", {"evidence": "paid"})
    assert kept.status_code == 200
    assert kept.json()["status"] == "fulfilled"


def test_a_promise_awaiting_approval_cannot_be_renegotiated(as_user, agent, calls, frozen):
    flagged = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 2 * H)
    moved = post(
        as_user(agent),
        f"/api/v1/commitments/{flagged.pk}/renegotiate",
        {"due_at": (TUESDAY_10 + 30 * H).isoformat(), "reason": "客户改约"},
    )
    assert moved.status_code == 409
    assert Commitment.objects.get(pk=flagged.pk).status == "open"

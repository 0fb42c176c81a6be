"""REST API under /api/v1/complaints: permissions per role, optimistic locking, inert text."""

from __future__ import annotations

import pytest

from tests.complaints.factories import open_complaint, sh
from tests.customers.factories import CustomerFactory
from yuqi.complaints.models import Complaint

JSON = "application/json"


@pytest.fixture
def customer(db):
    return CustomerFactory(external_id="C0000001", name="赵敏")


def create(client, customer, **extra):
    body = {"customer": customer.external_id, "account": "宽带断网三天", "demand": "尽快修好"}
    return client.post("/api/v1/complaints", data={**body, **extra}, content_type=JSON)


@pytest.mark.parametrize(
    ("role", "see", "log", "work"),
    [
        ("agent", 200, 201, 403),
        ("supervisor", 200, 201, 200),
        ("analyst", 200, 403, 403),
        ("manager", 200, 201, 200),
        ("admin_user", 200, 201, 200),
    ],
)
def test_permissions_per_role(request, as_user, frozen, outbox, customer, role, see, log, work):
    user = request.getfixturevalue(role)
    client = as_user(user)
    ticket = open_complaint(by=user, customer=customer)
    assert client.get("/api/v1/complaints").status_code == see
    assert client.get(f"/api/v1/complaints/{ticket.pk}/events").status_code == see
    assert create(client, customer).status_code == log
    moved = client.post(
        f"/api/v1/complaints/{ticket.pk}/transitions",
        data={"target": "acknowledged", "version": ticket.version},
        content_type=JSON,
    )
    assert moved.status_code == work


def test_anonymous_callers_are_refused(client, db):
    assert client.get("/api/v1/complaints").status_code == 401


def test_create_returns_the_ticket_with_clocks_and_version(
    as_user, supervisor, frozen, outbox, customer
):
    response = create(as_user(supervisor), customer, level="over_level", category="billing")
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "TS-20260302-0001"
    assert (body["level"], body["category"], body["version"]) == ("over_level", "billing", 1)
    assert {c["kind"] for c in body["clocks"]} == {"first_response", "resolution"}
    assert body["allowed_targets"] == ["acknowledged"]


def test_unknown_codes_are_named(as_user, supervisor, frozen, outbox, customer):
    response = create(as_user(supervisor), customer, level="galaxy")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.payload.level"


def test_html_in_a_complaint_is_stored_and_returned_as_plain_text(
    as_user, supervisor, frozen, outbox, customer
):
    text = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    created = create(as_user(supervisor), customer, account=text).json()
    assert Complaint.objects.get(pk=created["id"]).account == text
    fetched = as_user(supervisor).get(f"/api/v1/complaints/{created['id']}")
    assert fetched["Content-Type"].startswith("application/json")
    assert fetched.json()["account"] == text


def test_two_saves_with_the_same_version_the_second_gets_409(
    as_user, supervisor, manager, frozen, outbox, customer
):
    ticket = open_complaint(by=supervisor, customer=customer)
    url = f"/api/v1/complaints/{ticket.pk}"
    first = as_user(supervisor).patch(
        url, data={"version": 1, "demand": "退费 30 元"}, content_type=JSON
    )
    second = as_user(manager).patch(
        url, data={"version": 1, "demand": "赔偿 100 元"}, content_type=JSON
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
    ticket.refresh_from_db()
    assert ticket.demand == "退费 30 元"  # the first change was not lost


def test_a_stale_transition_is_a_conflict(as_user, supervisor, frozen, outbox, customer):
    ticket = open_complaint(by=supervisor, customer=customer)
    client = as_user(supervisor)
    url = f"/api/v1/complaints/{ticket.pk}/transitions"
    ok = client.post(url, data={"target": "acknowledged", "version": 1}, content_type=JSON)
    stale = client.post(url, data={"target": "investigating", "version": 1}, content_type=JSON)
    assert (ok.status_code, stale.status_code) == (200, 409)


def test_a_refused_transition_answers_422_naming_both_states(
    as_user, supervisor, frozen, outbox, customer
):
    ticket = open_complaint(by=supervisor, customer=customer)
    response = as_user(supervisor).post(
        f"/api/v1/complaints/{ticket.pk}/transitions",
        data={"target": "closed", "version": 1},
        content_type=JSON,
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "New" in message
    assert "Closed" in message


def test_patch_sets_checklist_type_and_root_cause_in_one_call(
    as_user, supervisor, frozen, outbox, customer
):
    ticket = open_complaint(by=supervisor, customer=customer)
    response = as_user(supervisor).patch(
        f"/api/v1/complaints/{ticket.pk}",
        data={
            "version": 1,
            "root_cause": "billing-error",
            "complainer_type": "voicer",
            "checklist": {"reason_given": True},
        },
        content_type=JSON,
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["root_cause"], body["complainer_type"]) == ("billing-error", "voicer")
    assert body["checklist"]["reason_given"] is True
    assert body["version"] == 4  # three services, one version each


def test_escalation_recovery_agreement_and_callback_endpoints(
    as_user, supervisor, frozen, outbox, customer
):
    client = as_user(supervisor)
    ticket = open_complaint(by=supervisor, customer=customer)
    base = f"/api/v1/complaints/{ticket.pk}"

    def post(path, **data):
        version = client.get(base).json()["version"]
        return client.post(base + path, data={"version": version, **data}, content_type=JSON)

    assert post("/escalations", level="over_level", reason="打了总部电话").json()["level"] == (
        "over_level"
    )
    for target in ("acknowledged", "investigating", "solution_proposed"):
        assert post("/transitions", target=target).status_code == 200
    assert post("/agreement", solution="减免当月宽带费", accepted=True).status_code == 200
    assert post("/transitions", target="agreed").status_code == 200
    action = post("/recovery-actions", kind="fee_waiver", amount="50.00")
    assert (action.status_code, action.json()["status"]) == (201, "approved")
    assert post("/transitions", target="resolved").json()["state"] == "resolved"
    done = post("/callback", solved=True, expectation_met=True, attitude_ok=False)
    assert done.json()["state"] == "recovery"


def test_approval_endpoint_is_for_approvers_other_than_the_proposer(
    as_user, supervisor, manager, agent, frozen, outbox, customer
):
    from decimal import Decimal

    from yuqi.complaints.services import complaint_add_recovery

    ticket = open_complaint(by=supervisor, customer=customer)
    action = complaint_add_recovery(
        complaint=ticket,
        kind="compensation",
        amount=Decimal("800"),
        by=supervisor,
        expected_version=1,
    )
    url = f"/api/v1/complaints/{ticket.pk}/recovery-actions/{action.pk}/approval"
    assert as_user(agent).post(url, data={}, content_type=JSON).status_code == 403
    assert as_user(supervisor).post(url, data={}, content_type=JSON).status_code == 422
    approved = as_user(manager).post(url, data={"approve": True}, content_type=JSON)
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")


def test_events_list_and_note(as_user, supervisor, frozen, outbox, customer):
    ticket = open_complaint(by=supervisor, customer=customer)
    client = as_user(supervisor)
    url = f"/api/v1/complaints/{ticket.pk}/events"
    note = client.post(url, data={"text": "客户要求下午 3 点后联系"}, content_type=JSON)
    assert note.status_code == 201
    kinds = [e["kind"] for e in client.get(url).json()]
    assert kinds == ["opened", "customer_notified", "note"]


def test_the_list_is_ordered_by_urgency_and_filters(as_user, supervisor, frozen, outbox):
    from yuqi.complaints.alerts import sla_alerts_sweep

    frozen.set(sh(2026, 3, 2, 9, 0))
    older = open_complaint(by=supervisor)
    frozen.set(sh(2026, 3, 2, 14, 0))
    newer = open_complaint(by=supervisor, level_code="regulator")
    frozen.set(sh(2026, 3, 2, 15, 0))
    sla_alerts_sweep()  # older: first response breached at 14:30; newer still on track
    client = as_user(supervisor)
    items = client.get("/api/v1/complaints").json()["items"]
    assert [i["id"] for i in items] == [older.pk, newer.pk]
    assert items[0]["sla_state"] == "breached"
    regulator = client.get("/api/v1/complaints?level=regulator").json()["items"]
    assert [i["id"] for i in regulator] == [newer.pk]
    breached = client.get("/api/v1/complaints?sla_state=breached&state=open").json()["items"]
    assert [i["id"] for i in breached] == [older.pk]
    by_customer = client.get(f"/api/v1/complaints?customer={newer.customer.external_id}")
    assert [i["id"] for i in by_customer.json()["items"]] == [newer.pk]


def test_the_list_costs_the_same_queries_for_more_tickets(as_user, supervisor, frozen, outbox):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(supervisor)
    for _ in range(2):
        open_complaint(by=supervisor)
    client.get("/api/v1/complaints")  # warm up sessions and permission caches
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/complaints")
    for _ in range(6):
        open_complaint(by=supervisor)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/complaints").json()["items"]) == 8
    assert len(many) == len(few)

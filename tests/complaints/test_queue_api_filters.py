"""``GET /api/v1/complaints`` filters and sorts like the queue page: escalation risk at least,
complainer type (confirmed, else suggested), a column sort; typed, validated, hostile input
refused with 422 before any query."""

from __future__ import annotations

import re

import pytest

from tests.complaints.factories import open_complaint
from yuqi.complaints.models import Complaint

pytestmark = pytest.mark.django_db
API = "/api/v1/complaints"


@pytest.fixture
def tickets(frozen, outbox, supervisor):
    hot = open_complaint(by=supervisor)
    calm = open_complaint(by=supervisor)
    middle = open_complaint(by=supervisor)
    Complaint.objects.filter(pk=hot.pk).update(risk_score=80, complainer_type="irate")
    Complaint.objects.filter(pk=calm.pk).update(
        risk_score=10, complainer_type="", complainer_type_suggested="passive"
    )
    Complaint.objects.filter(pk=middle.pk).update(risk_score=45, complainer_type="voicer")
    return {"hot": hot, "calm": calm, "middle": middle}


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


def test_risk_at_least(as_user, supervisor, tickets):
    client = as_user(supervisor)
    found = numbers(client.get(API, {"risk_min": 45}))
    assert sorted(found) == sorted([tickets["hot"].number, tickets["middle"].number])
    assert numbers(client.get(API, {"risk_min": 0})) != []


def test_complainer_type_confirmed_or_suggested(as_user, supervisor, tickets):
    client = as_user(supervisor)
    assert numbers(client.get(API, {"complainer_type": "irate"})) == [tickets["hot"].number]
    assert numbers(client.get(API, {"complainer_type": "passive"})) == [tickets["calm"].number]


def test_sort_by_risk_both_ways_and_same_as_the_page(as_user, supervisor, tickets):
    client = as_user(supervisor)
    order = [tickets[k].number for k in ("calm", "middle", "hot")]
    assert numbers(client.get(API, {"sort": "risk"})) == order
    assert numbers(client.get(API, {"sort": "-risk"})) == order[::-1]
    page = client.get("/complaints/", {"sort": "-risk"}).content.decode()
    assert re.findall(r'<tr data-number="([^"]+)"', page) == order[::-1]


def test_filters_combine(as_user, supervisor, tickets):
    client = as_user(supervisor)
    found = numbers(client.get(API, {"risk_min": 40, "complainer_type": "voicer", "sort": "-risk"}))
    assert found == [tickets["middle"].number]


@pytest.mark.parametrize(
    "query",
    [
        {"risk_min": -1},
        {"risk_min": 101},
        {"risk_min": "high"},
        {"risk_min": "9" * 40},
        {"complainer_type": "vip"},
        {"complainer_type": "<script>"},
        {"sort": "customer__phone"},
        {"sort": "risk; DROP TABLE complaints"},
        {"sort": "--risk"},
        {"sort": "x" * 500},
    ],
)
def test_hostile_values_are_refused(as_user, supervisor, tickets, query):
    response = as_user(supervisor).get(API, query)
    assert response.status_code == 422, response.content


def test_the_filters_are_checked_after_permission(client, db):
    assert client.get(API, {"sort": "nonsense"}).status_code == 401

"""/api/v1/expectations and /api/v1/evaluations."""

from __future__ import annotations

import pytest

from tests.insights.factories import MAY_END, MAY_START, ExpectationFactory
from yuqi.insights import evaluation
from yuqi.insights.models import Expectation

pytestmark = pytest.mark.django_db


def test_list_and_detail_with_suggestion(as_user, analyst):
    e = ExpectationFactory(code="callback-2h", feasible=True, resource="low", months=1)
    client = as_user(analyst)
    listed = client.get("/api/v1/expectations").json()
    assert [row["code"] for row in listed] == ["callback-2h"]
    detail = client.get(f"/api/v1/expectations/{e.pk}").json()
    assert detail["suggested_grade"] == "A"
    assert detail["decisions"] == []


def test_grade_by_api_records_a_decision(as_user, manager):
    e = ExpectationFactory(feasible=False)
    response = as_user(manager).post(
        f"/api/v1/expectations/{e.pk}/grade",
        {"grade": "C", "reason": "监管不允许"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["suggested_grade"] == "C"
    assert Expectation.objects.get(pk=e.pk).grade == "C"


def test_supervisor_may_not_grade_by_api(as_user, supervisor):
    e = ExpectationFactory()
    response = as_user(supervisor).post(
        f"/api/v1/expectations/{e.pk}/grade",
        {"grade": "A", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_invalid_grade_is_a_domain_error(as_user, analyst):
    e = ExpectationFactory()
    response = as_user(analyst).post(
        f"/api/v1/expectations/{e.pk}/grade",
        {"grade": "D", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_evaluations_create_and_detail(as_user, analyst):
    ExpectationFactory(code="vip-15s")
    client = as_user(analyst)
    created = client.post(
        "/api/v1/evaluations",
        {"period_start": "2026-05-01", "period_end": "2026-05-31"},
        content_type="application/json",
    )
    assert created.status_code == 202
    assert created.json()["status"] == "running"
    run = evaluation.evaluation_run(period_start=MAY_START, period_end=MAY_END, collect=False)
    detail = client.get(f"/api/v1/evaluations/{run.pk}").json()
    assert [r["code"] for r in detail["rows"]] == ["vip-15s"]
    xlsx = client.get(f"/api/v1/evaluations/{run.pk}/export.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"

"""On a ticket, the agent sees the guidance for the customer's known expectations: the
ticket's own category first, then those the customer raised before (issue 14)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.complaints.factories import open_complaint
from tests.insights.factories import ExpectationFactory
from yuqi.insights import expectations as svc

pytestmark = pytest.mark.django_db


@pytest.fixture
def guided(analyst):
    e = ExpectationFactory(
        code="refund-cash", statement="多扣费用当场退现金", category="billing", feasible=False
    )
    svc.grade_decide(expectation=e, grade="C", reason="财务制度", by=analyst)
    svc.guidance_set(expectation=e, script="按财务规定原路退回，3 个工作日内到账。", by=analyst)
    return e


def test_the_ticket_shows_guidance_for_what_the_customer_raised_before(
    as_user, agent, guided, monkeypatch
):
    ticket = open_complaint(by=agent)
    seen: list[int] = []

    def customer_codes(customer_id: int) -> list[str]:
        seen.append(customer_id)
        return ["billing"]

    monkeypatch.setattr("yuqi.textmining.facade.complaint_expectation_codes", lambda i: ["quality"])
    monkeypatch.setattr("yuqi.textmining.facade.customer_expectation_codes", customer_codes)
    html = as_user(agent).get(reverse("complaints:detail", args=[ticket.number])).content.decode()
    assert seen == [ticket.customer_id]
    assert "Known expectations" in html
    assert "按财务规定原路退回" in html


def test_no_guidance_panel_when_nothing_is_known(as_user, agent, guided, monkeypatch):
    ticket = open_complaint(by=agent)
    monkeypatch.setattr("yuqi.textmining.facade.complaint_expectation_codes", lambda i: [])
    monkeypatch.setattr("yuqi.textmining.facade.customer_expectation_codes", lambda i: [])
    html = as_user(agent).get(reverse("complaints:detail", args=[ticket.number])).content.decode()
    assert "按财务规定原路退回" not in html

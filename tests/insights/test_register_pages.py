"""Register and evaluation pages per role, and the agent-facing panels."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.insights.factories import MAY_END, MAY_START, ExpectationFactory
from yuqi.insights import evaluation
from yuqi.insights import expectations as svc
from yuqi.insights.models import Expectation, GradeDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def guided(analyst):
    e = ExpectationFactory(
        code="refund-cash", statement="多扣费用当场退现金", category="billing", feasible=False
    )
    svc.grade_decide(expectation=e, grade="C", reason="财务制度", by=analyst)
    svc.guidance_set(expectation=e, script="按财务规定原路退回，3 个工作日内到账。", by=analyst)
    return e


@pytest.fixture
def codes(monkeypatch):
    monkeypatch.setattr(
        "yuqi.textmining.facade.customer_expectation_codes", lambda customer_id: ["billing"]
    )
    monkeypatch.setattr(
        "yuqi.textmining.facade.complaint_expectation_codes", lambda complaint_id: ["billing"]
    )


def test_agents_may_not_open_the_register(as_user, agent, guided):
    client = as_user(agent)
    assert client.get(reverse("insights:expectations")).status_code == 403
    assert client.get(reverse("insights:expectation", args=[guided.pk])).status_code == 403
    assert client.get(reverse("insights:evaluation")).status_code == 403


def test_supervisors_see_the_register_without_editing(as_user, supervisor, guided):
    client = as_user(supervisor)
    page = client.get(reverse("insights:expectation", args=[guided.pk])).content.decode()
    assert "多扣费用当场退现金" in page
    assert 'id="decide-form"' not in page
    url = reverse("insights:expectation_action", args=[guided.pk, "decide"])
    assert client.post(url, {"grade": "A", "reason": "x"}).status_code == 403


def test_analyst_decides_a_grade_from_the_page(as_user, analyst, guided):
    client = as_user(analyst)
    page = client.get(reverse("insights:expectation", args=[guided.pk])).content.decode()
    assert 'id="decide-form"' in page
    assert "Cannot be met under policy or regulation" in page
    url = reverse("insights:expectation_action", args=[guided.pk, "decide"])
    response = client.post(url, {"grade": "B", "reason": "制度修订中"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "制度修订中" in response.content.decode()
    assert Expectation.objects.get(pk=guided.pk).grade == "B"
    assert GradeDecision.objects.filter(expectation=guided).count() == 2


def test_complaint_examples_are_escaped_on_the_detail_page(as_user, analyst, guided):
    guided.evidence.create(
        source="complaints",
        key="billing",
        summary={
            "complaints": 1,
            "customers": 1,
            "examples": [
                {"id": 1, "number": "TS-1", "text": "<script>alert(1)</script> 138****0000"}
            ],
        },
        period_start=MAY_START,
        period_end=MAY_END,
        collected_at=guided.created_at,
    )
    page = as_user(analyst).get(reverse("insights:expectation", args=[guided.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_evaluation_page_and_downloads(as_user, manager, guided):
    run = evaluation.evaluation_run(period_start=MAY_START, period_end=MAY_END, collect=False)
    client = as_user(manager)
    page = client.get(reverse("insights:evaluation")).content.decode()
    assert "客户期望评测结果表" in page
    assert "refund-cash" in page
    assert "Run evaluation now" in page
    xlsx = client.get(reverse("insights:evaluation_download", args=[run.pk, "xlsx"]))
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("insights:evaluation_download", args=[run.pk, "pdf"]))
    assert pdf.status_code == 200
    assert pdf.content[:5] == b"%PDF-"


def test_supervisor_cannot_start_a_run(as_user, supervisor):
    url = reverse("insights:evaluation_start")
    data = {"period_start": "2026-05-01", "period_end": "2026-05-31"}
    assert as_user(supervisor).post(url, data).status_code == 403


def test_run_now_queues_a_run_the_worker_finishes(as_user, analyst, guided):
    from yuqi.insights.models import EvaluationRun

    url = reverse("insights:evaluation_start")
    data = {"period_start": "2026-05-01", "period_end": "2026-05-31"}
    response = as_user(analyst).post(url, data)
    run = EvaluationRun.objects.get()
    assert response["Location"] == reverse("insights:evaluation_run", args=[run.pk])
    assert run.status == "running"
    status = as_user(analyst).get(response["Location"], HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 3s"' in status.content.decode()
    evaluation.run_evaluation.call(run.pk)
    run.refresh_from_db()
    assert (run.status, run.totals["C"]) == ("finished", 1)


def test_agent_sees_the_guidance_on_the_customer_360(as_user, agent, guided, codes):
    from tests.customers.factories import CustomerFactory

    customer = CustomerFactory()
    page = as_user(agent).get(reverse("customers:detail", args=[customer.external_id]))
    html = page.content.decode()
    assert "Known expectations" in html
    assert "按财务规定原路退回" in html
    assert reverse("insights:expectation", args=[guided.pk]) not in html


def test_agent_sees_the_guidance_on_the_complaint_page(as_user, agent, guided, codes):
    from tests.complaints.factories import open_complaint

    ticket = open_complaint(by=agent)
    html = as_user(agent).get(reverse("complaints:detail", args=[ticket.number])).content.decode()
    assert "Known expectations" in html
    assert "按财务规定原路退回" in html


def test_no_panel_without_known_codes(as_user, agent, guided, monkeypatch):
    from tests.customers.factories import CustomerFactory

    monkeypatch.setattr("yuqi.textmining.facade.customer_expectation_codes", lambda customer_id: [])
    customer = CustomerFactory()
    page = as_user(agent).get(reverse("customers:detail", args=[customer.external_id]))
    assert "Known expectations" not in page.content.decode()


def test_nav_shows_expectations_and_evaluation_to_analysts(as_user, analyst, agent):
    html = as_user(analyst).get("/").content.decode()
    assert reverse("insights:expectations") in html
    assert reverse("insights:evaluation") in html
    assert reverse("insights:expectations") not in as_user(agent).get("/").content.decode()


def test_a_refused_action_shows_its_message_in_the_partial(as_user, analyst, guided):
    url = reverse("insights:expectation_action", args=[guided.pk, "split"])
    response = as_user(analyst).post(url, {"statements": "只有一条"}, HTTP_HX_REQUEST="true")
    assert "Give at least two statements." in response.content.decode()


def test_the_evaluation_form_proposes_last_month_by_the_one_clock(as_user, manager, monkeypatch):
    import datetime as dt

    # 2026-03-01 00:30 in Shanghai is still 28 February in UTC: "last month" is February.
    moment = dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment.astimezone(dt.UTC))
    response = as_user(manager).get(reverse("insights:evaluation"))
    assert response.context["default_start"] == dt.date(2026, 2, 1)
    assert response.context["default_end"] == dt.date(2026, 2, 28)

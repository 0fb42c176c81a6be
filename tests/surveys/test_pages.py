from __future__ import annotations

import pytest

from tests.customers.factories import CustomerFactory
from tests.surveys import factories
from yuqi.surveys import campaigns, services
from yuqi.surveys.models import FollowUp, Invitation, Response, Survey

pytestmark = pytest.mark.django_db


def test_an_analyst_installs_templates_and_designs_a_survey(as_user, analyst):
    client = as_user(analyst)
    assert client.post("/surveys/templates/install/").status_code == 302
    assert Survey.objects.count() == 4
    page = client.post("/surveys/new/", {"code": "mine", "title": "我的调查", "kind": "csat"})
    assert page.status_code == 302
    added = client.post(
        "/surveys/mine/questions/",
        {"code": "q1", "type": "rating", "text": "打分", "scale": "0-10", "required": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert added.status_code == 200
    assert "打分" in added.content.decode()
    question = Survey.objects.get(code="mine").current_version.questions.get()
    assert (question.scale_min, question.scale_max) == (0, 10)
    assert client.get("/surveys/mine/preview/").status_code == 200


def test_editing_through_the_page_keeps_answered_versions(as_user, analyst, clock):
    survey = factories.survey()
    invitation, _token = factories.invitation(survey, CustomerFactory())
    services.response_submit(invitation=invitation, answers={"q1": 3})
    client = as_user(analyst)
    form = client.get("/surveys/csat-check/questions/q1/edit/", HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    saved = client.post(
        "/surveys/csat-check/questions/q1/edit/",
        {"code": "q1", "type": "csat", "text": "新问法", "required": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    survey.refresh_from_db()
    assert survey.current_version.number == 2


def test_a_campaign_page_shows_response_rates_and_the_chi_square(as_user, analyst, clock):
    for n in range(20):
        CustomerFactory(region="北京" if n % 2 else "上海")
    survey = factories.survey()
    client = as_user(analyst)
    created = client.post(
        "/surveys/campaigns/new/",
        {
            "code": "q4",
            "name": "四季度满意度",
            "survey": survey.code,
            "strata_fields": ["region"],
            "sample_size_mode": "fixed",
            "fixed_size": 10,
            "margin": 0.05,
            "confidence": 0.95,
            "expected_response_rate": 0.5,
            "allocation": "proportional",
            "min_per_stratum": 0,
            "seed": 1,
            "exclude_opted_out": "on",
            "exclude_surveyed_days": 0,
            "reserve_share": 0.2,
            "channel": "sms",
            "expires_days": 14,
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    assert client.post("/surveys/campaigns/q4/draw/").status_code == 302
    assert client.post("/surveys/campaigns/q4/send/").status_code == 302
    first = Invitation.objects.filter(campaign__code="q4", stratum_key="region=上海").first()
    services.response_submit(invitation=first, answers={"q1": 4})
    page = client.get("/surveys/campaigns/q4/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Region=上海" in body  # the stratum in words (its key is region=上海)
    assert "χ²" in body


def test_an_agent_enters_answers_from_the_call_list(as_user, agent, clock):
    customer = CustomerFactory(name="赵敏")
    survey = factories.survey()
    campaign = campaigns.campaign_create(
        values={
            "code": "calls",
            "survey": survey.code,
            "sample_size_mode": "fixed",
            "fixed_size": 1,
            "channel": "call_list",
            "exclude_surveyed_days": 0,
        }
    )
    campaigns.campaign_draw_sample(campaign=campaign)
    campaigns.campaign_send(campaign=campaign)
    client = as_user(agent)
    listing = client.get("/surveys/calls/")
    assert "赵敏" in listing.content.decode()
    invitation = Invitation.objects.get(customer=customer)
    saved = client.post(f"/surveys/calls/{invitation.pk}/", {"q1": "5"})
    assert saved.status_code == 302
    response = Response.objects.get()
    assert response.channel == "call"
    assert response.entered_by == agent
    assert "赵敏" not in client.get("/surveys/calls/").content.decode()


def test_the_follow_up_list_lets_the_owner_mark_it_done(as_user, supervisor, clock, reopened):
    survey = factories.post_contact_survey()
    invitation, _token = factories.invitation(
        survey, CustomerFactory(), complaint_id=3, follow_up_owner_id=supervisor.pk
    )
    services.response_submit(invitation=invitation, answers={"resolved": "no", "attitude": 1})
    client = as_user(supervisor)
    page = client.get("/surveys/follow-ups/?mine=1")
    assert page.status_code == 200
    follow_up = FollowUp.objects.get()
    assert (
        client.post(f"/surveys/follow-ups/{follow_up.pk}/done/", {"note": "已回电"}).status_code
        == 302
    )
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert "已回电" in follow_up.note


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("agent", "/surveys/", 403),
        ("agent", "/surveys/calls/", 200),
        ("agent", "/surveys/follow-ups/", 403),
        ("supervisor", "/surveys/", 200),
        ("supervisor", "/surveys/campaigns/new/", 403),
        ("supervisor", "/surveys/follow-ups/", 200),
        ("analyst", "/surveys/campaigns/new/", 200),
        ("analyst", "/surveys/calls/", 403),
        ("analyst", "/surveys/follow-ups/", 403),
        ("manager", "/surveys/follow-ups/", 200),
        ("manager", "/surveys/campaigns/new/", 200),
    ],
)
def test_each_role_sees_what_it_may(request, as_user, persona, url, status):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(url).status_code == status


@pytest.mark.parametrize("persona", ["agent", "supervisor"])
def test_only_designers_may_add_questions(request, as_user, persona):
    factories.survey()
    user = request.getfixturevalue(persona)
    page = as_user(user).post(
        "/surveys/csat-check/questions/", {"code": "x", "type": "text", "text": "t"}
    )
    assert page.status_code == 403


def test_the_customer_360_shows_the_customers_surveys(as_user, supervisor, clock):
    customer = CustomerFactory()
    factories.invitation(factories.survey(), customer)
    page = as_user(supervisor).get(f"/customers/{customer.external_id}/")
    assert page.status_code == 200
    assert "Satisfaction" in page.content.decode()

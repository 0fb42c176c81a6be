from __future__ import annotations

import pytest

from tests.customers.factories import CustomerFactory
from tests.surveys import factories
from yuqi.surveys import campaigns

pytestmark = pytest.mark.django_db


def _call_list_invitation():
    customer = CustomerFactory()
    survey = factories.survey()
    campaign = campaigns.campaign_create(
        values={
            "code": "phone",
            "survey": survey.code,
            "sample_size_mode": "fixed",
            "fixed_size": 1,
            "channel": "call_list",
            "exclude_surveyed_days": 0,
        }
    )
    campaigns.campaign_draw_sample(campaign=campaign)
    campaigns.campaign_send(campaign=campaign)
    return customer.survey_invitations.get()


def test_surveys_and_questions_through_the_api(as_user, analyst):
    client = as_user(analyst)
    created = client.post(
        "/api/v1/surveys",
        {"code": "api-s", "title": "接口调查", "kind": "nps"},
        content_type="application/json",
    )
    assert created.status_code == 201
    added = client.post(
        "/api/v1/surveys/api-s/questions",
        {"code": "nps", "type": "nps", "text": "推荐吗？"},
        content_type="application/json",
    )
    assert added.status_code == 201
    assert added.json()["scale_max"] == 10
    detail = client.get("/api/v1/surveys/api-s").json()
    assert [q["code"] for q in detail["questions"]] == ["nps"]
    bad = client.post(
        "/api/v1/surveys/api-s/questions",
        {"code": "x", "type": "servqual_item", "text": "无维度"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["path"] == "body.payload.dimension"


def test_a_campaign_is_created_drawn_sent_and_reports_its_strata(as_user, analyst, clock):
    for n in range(30):
        CustomerFactory(region="北京" if n % 3 else "上海")
    factories.survey()
    client = as_user(analyst)
    created = client.post(
        "/api/v1/campaigns",
        {
            "code": "api-c",
            "survey": "csat-check",
            "strata_fields": ["region"],
            "sample_size_mode": "fixed",
            "fixed_size": 12,
            "seed": 3,
            "exclude_surveyed_days": 0,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    drawn = client.post("/api/v1/campaigns/api-c/draw").json()
    assert drawn["invitations"] == 12
    assert client.post("/api/v1/campaigns/api-c/send").json() == {"count": 12}
    strata = client.get("/api/v1/campaigns/api-c/strata").json()
    assert {s["key"]: s["sample"] for s in strata["strata"]} == {
        "region=上海": 4,
        "region=北京": 8,
    }
    assert strata["representativeness"]["responders"] == 0


def test_an_agent_posts_call_list_answers_once(as_user, agent, analyst, clock):
    invitation = _call_list_invitation()
    client = as_user(agent)
    payload = {"invitation_id": invitation.pk, "answers": {"q1": 4, "q2": "态度好"}}
    first = client.post("/api/v1/responses", payload, content_type="application/json")
    assert first.status_code == 201, first.json()
    assert first.json()["channel"] == "call"
    again = client.post("/api/v1/responses", payload, content_type="application/json")
    assert again.status_code == 409
    listing = as_user(analyst).get("/api/v1/responses?survey=csat-check").json()
    assert listing["count"] == 1
    assert {a["question"] for a in listing["items"][0]["answers"]} == {"q1", "q2"}


def test_invalid_call_list_answers_name_the_question(as_user, agent, clock):
    invitation = _call_list_invitation()
    answer = as_user(agent).post(
        "/api/v1/responses",
        {"invitation_id": invitation.pk, "answers": {"q1": 8}},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"][0]["path"] == "body.payload.answers.q1"


@pytest.mark.parametrize(
    ("persona", "method", "url", "status"),
    [
        ("agent", "get", "/api/v1/surveys", 403),
        ("agent", "get", "/api/v1/responses", 403),
        ("supervisor", "get", "/api/v1/campaigns", 200),
        ("supervisor", "post", "/api/v1/surveys/install-templates", 403),
        ("analyst", "post", "/api/v1/surveys/install-templates", 200),
        ("analyst", "post", "/api/v1/responses", 403),
    ],
)
def test_api_permissions_by_role(request, as_user, persona, method, url, status):
    user = request.getfixturevalue(persona)
    client = as_user(user)
    body = {"invitation_id": 1, "answers": {}}  # well-formed, so the permission decides
    reply = getattr(client, method)(url, body, content_type="application/json")
    assert reply.status_code == status


@pytest.mark.parametrize("channel", ["sms", "email"])
def test_an_agent_cannot_answer_an_invitation_sent_to_the_customer(as_user, agent, channel):
    """Review F-5: only the customer (with the link's token) answers an SMS or e-mail
    invitation; the API serves agents the call list only, like the call-list pages."""
    customer = CustomerFactory()
    invitation, _token = factories.invitation(factories.survey(), customer, channel=channel)
    answered = as_user(agent).post(
        "/api/v1/responses",
        {"invitation_id": invitation.pk, "answers": {"q1": 5, "q2": "great agent"}},
        content_type="application/json",
    )
    assert answered.status_code == 404
    invitation.refresh_from_db()
    assert invitation.answered_at is None
    assert as_user(agent).get(f"/surveys/calls/{invitation.pk}/").status_code == 404


def test_the_call_list_page_and_the_api_reach_the_same_invitations(as_user, agent, clock):
    from yuqi.surveys.selectors import call_list, call_list_invitations

    on_the_list = _call_list_invitation()
    factories.invitation(factories.survey(code="by-sms"), CustomerFactory())
    assert list(call_list()) == [on_the_list]
    assert list(call_list_invitations()) == [on_the_list]

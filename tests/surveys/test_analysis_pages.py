"""Analysis pages and API: who may see them, and that they show the report's numbers."""

from __future__ import annotations

import json

import pytest

from tests.surveys.analysis_factories import load_small, make_campaign, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    survey = make_survey()
    made = make_campaign(survey)
    load_small(survey, made)
    return made


def test_analyst_sees_the_survey_analysis(analyst, as_user, campaign) -> None:
    response = as_user(analyst).get("/surveys/sq-small/analysis/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "SERVQUAL gaps by dimension" in page
    assert "+40.0" in page  # the unweighted NPS
    assert "20.0%" in page  # expectation achievement rate


def test_agent_may_not_see_the_analysis(agent, as_user, campaign) -> None:
    assert as_user(agent).get("/surveys/sq-small/analysis/").status_code == 403
    assert as_user(agent).get(f"/surveys/campaigns/{campaign.pk}/analysis/").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, campaign) -> None:
    response = client.get("/surveys/sq-small/analysis/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_campaign_page_is_weighted_and_says_so(analyst, as_user, campaign) -> None:
    page = as_user(analyst).get(f"/surveys/campaigns/{campaign.pk}/analysis/").content.decode()
    assert "Weighted by stratum" in page
    assert "+10.0" in page  # weighted NPS
    assert "unweighted: +40.0" in page
    assert "Response rate by stratum" in page


def test_dimension_chart_has_ci_whiskers(analyst, as_user, campaign) -> None:
    response = as_user(analyst).get(f"/surveys/campaigns/{campaign.pk}/analysis/")
    chart = json.loads(json.dumps(response.context["dimension_chart"]))
    kinds = [series["type"] for series in chart["series"]]
    assert kinds == ["bar", "boxplot"]
    low, _q1, median, _q3, high = chart["series"][1]["data"][0]
    assert low < median < high


def test_supervisor_sees_results_but_not_the_raw_answers(supervisor, as_user, campaign) -> None:
    client = as_user(supervisor)
    page = client.get("/surveys/sq-small/analysis/")
    assert page.status_code == 200
    assert "Raw answers (CSV)" not in page.content.decode()
    assert client.get("/surveys/sq-small/analysis/answers.csv").status_code == 403


def test_unknown_survey_is_not_found(analyst, as_user) -> None:
    assert as_user(analyst).get("/surveys/nope/analysis/").status_code == 404


def test_page_without_responses(analyst, as_user) -> None:
    make_survey(code="empty")
    response = as_user(analyst).get("/surveys/empty/analysis/")
    assert response.status_code == 200
    assert "No responses yet." in response.content.decode()


def test_api_survey_analysis_gives_the_same_numbers(analyst, as_user, campaign) -> None:
    data = as_user(analyst).get("/api/v1/surveys/sq-small/analysis").json()
    assert data["responses"] == 5
    assert data["weighted"] is False
    assert data["headline"]["nps"]["value"] == pytest.approx(40.0)
    gaps = {row["key"]: row["gap"]["value"] for row in data["servqual"]["items"]}
    assert gaps == pytest.approx({"s1": -0.6, "s2": -1.4, "s3": -0.6})


def test_api_campaign_analysis_is_weighted(analyst, as_user, campaign) -> None:
    data = as_user(analyst).get(f"/api/v1/campaigns/{campaign.pk}/analysis").json()
    assert data["weighted"] is True
    assert data["headline"]["csat"]["value"] == pytest.approx(0.4)
    assert data["unweighted"]["csat"]["value"] == pytest.approx(0.6)
    assert {s["key"] for s in data["strata"]} == {"tier=gold", "tier=ordinary"}
    assert data["representativeness"]["df"] == 1


def test_api_refuses_an_agent(agent, as_user, campaign) -> None:
    response = as_user(agent).get("/api/v1/surveys/sq-small/analysis")
    assert response.status_code == 403
    assert response.json()["error"]["status"] == 403


def test_page_queries_do_not_grow_with_responses(
    analyst, as_user, campaign, django_assert_max_num_queries
) -> None:
    from tests.surveys.analysis_factories import load_small

    client = as_user(analyst)
    url = f"/surveys/campaigns/{campaign.pk}/analysis/"
    client.get(url)  # warm the session and permission caches
    with django_assert_max_num_queries(20) as before:
        client.get(url)
    load_small(campaign.survey_version.survey, campaign)
    load_small(campaign.survey_version.survey, campaign)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)

"""The surveys list pages use a fixed number of queries, whatever the row count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.customers.factories import CustomerFactory
from tests.surveys import factories
from yuqi.surveys import campaigns, services

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _call_campaign(code: str, size: int) -> None:
    for _ in range(size):
        CustomerFactory()
    campaign = campaigns.campaign_create(
        values={
            "code": code,
            "survey": "csat-check",
            "sample_size_mode": "fixed",
            "fixed_size": size,
            "channel": "call_list",
            "exclude_surveyed_days": 0,
        }
    )
    campaigns.campaign_draw_sample(campaign=campaign)
    campaigns.campaign_send(campaign=campaign)


def _unhappy(owner) -> None:
    survey = factories.post_contact_survey()
    invitation, _token = factories.invitation(
        survey, CustomerFactory(), follow_up_owner_id=owner.pk
    )
    services.response_submit(invitation=invitation, answers={"resolved": "no", "attitude": 1})


@pytest.mark.parametrize("url", ["/surveys/", "/surveys/campaigns/", "/surveys/calls/"])
def test_survey_lists_do_not_grow_with_rows(as_user, supervisor, clock, url):
    client = as_user(supervisor)
    factories.survey()
    _call_campaign("a", 1)
    queries(client, url)  # warm the caches (the user's kept permissions)
    few = queries(client, url)
    for n in range(4):
        factories.survey(code=f"more-{n}")
    _call_campaign("b", 8)
    assert queries(client, url) == few


def test_the_follow_up_list_does_not_grow_with_rows(as_user, supervisor, clock):
    client = as_user(supervisor)
    _unhappy(supervisor)
    queries(client, "/surveys/follow-ups/?status=all")  # warm the kept permissions
    few = queries(client, "/surveys/follow-ups/?status=all")
    for _ in range(6):
        _unhappy(supervisor)
    assert queries(client, "/surveys/follow-ups/?status=all") == few

"""The surveys demo step on a tiny centre: the answers follow from the operations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.utils import timezone

from tests.customers.factories import CustomerFactory, tier
from tests.interactions.factories import InteractionFactory
from yuqi.demo.steps.surveys import SERVQUAL_CAMPAIGN, load_demo_surveys
from yuqi.surveys.analysis import campaign_report, survey_report
from yuqi.surveys.models import Answer, Campaign, FollowUp, Invitation, Survey
from yuqi.surveys.tokens import token_hash

pytestmark = pytest.mark.django_db
END = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
LONG_WAIT, SHORT_WAIT = 300, 10


@pytest.fixture
def centre(monkeypatch):
    """80 customers over the tiers; the odd ones waited five minutes, the even ones 10 s.
    Contacts of the long-waiters were not resolved on first contact."""
    monkeypatch.setattr(timezone, "now", lambda: END)
    tiers = ["diamond", "gold", "silver", "ordinary", "ordinary"]
    waits = {}
    for i in range(80):
        customer = CustomerFactory(tier=tier(tiers[i % len(tiers)]))
        wait = LONG_WAIT if i % 2 else SHORT_WAIT
        waits[customer.pk] = wait
        for day in (2, 5):
            arrived = END - timedelta(days=day, hours=i % 7)
            InteractionFactory(
                customer=customer,
                arrived_at=arrived,
                wait_seconds=wait,
                answered_at=arrived + timedelta(seconds=wait),
                first_contact_resolved=wait == SHORT_WAIT,
            )
    return waits


def _responsiveness_gap_by_wait(waits: dict[int, int]) -> dict[int, float]:
    rows = Answer.objects.filter(
        response__campaign__code=SERVQUAL_CAMPAIGN, question__dimension="responsiveness"
    ).values_list("response__customer_id", "part", "value")
    gaps: dict[int, list[float]] = {LONG_WAIT: [], SHORT_WAIT: []}
    for customer_id, part, value in rows:
        gaps[waits[customer_id]].append(value if part == "perception" else -value)
    return {wait: float(np.sum(values)) / (len(values) / 2) for wait, values in gaps.items()}


def test_responsiveness_gap_is_worse_for_long_waits(centre) -> None:
    load_demo_surveys(seed=3, end_date=END.date())
    gap = _responsiveness_gap_by_wait(centre)
    assert gap[LONG_WAIT] < gap[SHORT_WAIT] - 1.0


def test_servqual_campaign_is_stratified_by_tier_and_weighted(centre) -> None:
    load_demo_surveys(seed=3, end_date=END.date())
    report = campaign_report(Campaign.objects.get(code=SERVQUAL_CAMPAIGN))
    assert report.result.weighted
    assert {s.key for s in report.strata} == {
        "tier=diamond",
        "tier=gold",
        "tier=silver",
        "tier=ordinary",
    }
    assert report.result.headline.nps is not None
    assert report.result.kano  # the three Kano pairs added to the questionnaire
    dimensions = {d.key: d.gap.value for d in report.result.servqual.dimensions}
    assert min(dimensions, key=dimensions.get) == "responsiveness"


def test_unresolved_contacts_lower_the_matter_rate(centre) -> None:
    load_demo_surveys(seed=3, end_date=END.date())
    post = survey_report(Survey.objects.get(code="post-contact")).result
    assert post.respondents > 10
    answers = Answer.objects.filter(
        response__survey_version__survey__code="post-contact", question__code="resolved"
    ).values_list("response__customer_id", "value")
    by_wait = {LONG_WAIT: [], SHORT_WAIT: []}
    for customer_id, value in answers:
        by_wait[centre[customer_id]].append(value)
    assert np.mean(by_wait[LONG_WAIT]) < np.mean(by_wait[SHORT_WAIT])
    assert FollowUp.objects.exists()  # unhappy answers opened recovery follow-ups


def test_some_links_stay_open_and_valid(centre) -> None:
    summary = load_demo_surveys(seed=3, end_date=END.date())
    token = summary.sample_link.removeprefix("/s/")
    invitation = Invitation.objects.get(token_hash=token_hash(token))
    assert invitation.answered_at is None
    assert invitation.expires_at > END
    assert summary.open_links == 5


def test_response_rate_differs_by_tier(centre) -> None:
    load_demo_surveys(seed=3, end_date=END.date())
    report = campaign_report(Campaign.objects.get(code=SERVQUAL_CAMPAIGN))
    rates = {s.key: s.rate.value for s in report.strata}
    assert rates["tier=diamond"] > rates["tier=ordinary"]

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.customers.factories import CustomerFactory, tier
from tests.surveys import factories
from yuqi.core.errors import DomainError
from yuqi.surveys import campaigns, services
from yuqi.surveys.choices import CampaignState
from yuqi.surveys.models import Invitation
from yuqi.surveys.selectors import campaign_representativeness, campaign_stratum_rates


@pytest.fixture
def population(db):
    """120 ordinary and 40 gold customers in two regions."""
    customers = []
    for n in range(160):
        customers.append(
            CustomerFactory(
                tier=tier("gold" if n < 40 else "ordinary"),
                region="北京" if n % 2 else "上海",
            )
        )
    return customers


def _campaign(code: str = "c1", **values):
    survey = factories.survey(code=f"s-{code}")
    base = {
        "code": code,
        "name": "Q4",
        "survey": survey.code,
        "strata_fields": ["tier"],
        "sample_size_mode": "fixed",
        "fixed_size": 40,
        "allocation": "proportional",
        "seed": 7,
        "exclude_surveyed_days": 90,
    }
    return campaigns.campaign_create(values={**base, **values})


def _sampled(campaign) -> set[int]:
    return set(
        Invitation.objects.filter(campaign=campaign, is_reserve=False).values_list(
            "customer_id", flat=True
        )
    )


def test_the_sample_is_allocated_by_stratum_and_reproducible_by_seed(population, clock):
    campaign = _campaign()
    result = campaigns.campaign_draw_sample(campaign=campaign)
    assert result.invitations == 40
    sizes = dict(campaign.strata.values_list("key", "sample"))
    assert sizes == {"tier=gold": 10, "tier=ordinary": 30}
    first = _sampled(campaign)

    campaigns.campaign_draw_sample(campaign=campaign)  # redraw before sending
    assert _sampled(campaign) == first

    other = _campaign(code="c2", seed=8, exclude_surveyed_days=0)
    campaigns.campaign_draw_sample(campaign=other)
    assert _sampled(other) != first


def test_opted_out_and_recently_surveyed_customers_are_excluded(population, clock):
    opted = population[0]
    services.survey_opt_out(customer_id=opted.pk)
    surveyed = population[1]
    factories.invitation(factories.survey(code="earlier"), surveyed)
    campaign = _campaign(fixed_size=160, exclude_surveyed_days=30)
    result = campaigns.campaign_draw_sample(campaign=campaign)
    sampled = _sampled(campaign)
    assert opted.pk not in sampled
    assert surveyed.pk not in sampled
    assert result.excluded == 2
    assert result.invitations == 158


def test_the_frequency_rule_lapses_after_its_days(population, clock):
    surveyed = population[1]
    factories.invitation(factories.survey(code="earlier"), surveyed)
    clock.advance(timedelta(days=31))
    campaign = _campaign(fixed_size=160, exclude_surveyed_days=30)
    campaigns.campaign_draw_sample(campaign=campaign)
    assert surveyed.pk in _sampled(campaign)


def test_the_calculator_sizes_the_sample_from_the_margin(population, clock):
    campaign = _campaign(
        sample_size_mode="calculator", margin=0.1, confidence=0.95, expected_response_rate=1.0
    )
    result = campaigns.campaign_draw_sample(campaign=campaign)
    # n0 = 1.96² · 0.25 / 0.01 = 96.04; with N = 160: 96.04 / (1 + 95.04/160) = 60.3 → 61
    assert result.completes_needed == 61
    assert result.invitations == 61


def test_neyman_needs_prior_standard_deviations(population, clock):
    campaign = _campaign(allocation="neyman")
    with pytest.raises(DomainError):
        campaigns.campaign_draw_sample(campaign=campaign)


def test_reserve_units_are_drawn_and_released_for_non_responders(population, clock, outbox):
    campaign = _campaign(reserve_share=0.5)
    result = campaigns.campaign_draw_sample(campaign=campaign)
    assert result.reserve == 20
    sent = campaigns.campaign_send(campaign=campaign)
    assert sent == 40
    assert len(outbox) == 40
    answered = Invitation.objects.filter(campaign=campaign, is_reserve=False).first()
    services.response_submit(invitation=answered, answers={"q1": 5})
    released = campaigns.campaign_release_reserve(campaign=campaign)
    assert released == 20  # 39 non-responders, but only 20 backups
    assert campaigns.campaign_release_reserve(campaign=campaign) == 0


def test_reminders_go_once_to_non_responders(population, clock, outbox):
    campaign = _campaign()
    campaigns.campaign_draw_sample(campaign=campaign)
    campaigns.campaign_send(campaign=campaign)
    answered = Invitation.objects.filter(campaign=campaign).first()
    services.response_submit(invitation=answered, answers={"q1": 5})
    outbox.clear()
    assert campaigns.campaign_remind(campaign=campaign) == 39
    assert all(message["reminder"] for message in outbox)
    assert campaigns.campaign_remind(campaign=campaign) == 0


def test_a_sent_campaign_cannot_be_redrawn(population, clock):
    campaign = _campaign()
    campaigns.campaign_draw_sample(campaign=campaign)
    campaigns.campaign_send(campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SENT
    with pytest.raises(DomainError):
        campaigns.campaign_draw_sample(campaign=campaign)


def test_response_rates_and_representativeness_by_stratum(population, clock):
    campaign = _campaign()
    campaigns.campaign_draw_sample(campaign=campaign)
    campaigns.campaign_send(campaign=campaign)
    for invitation in Invitation.objects.filter(campaign=campaign, stratum_key="tier=gold"):
        services.response_submit(invitation=invitation, answers={"q1": 5})
    rates = {r.key: r for r in campaign_stratum_rates(campaign)}
    assert rates["tier=gold"].rate.value == 1.0
    assert rates["tier=ordinary"].rate.value == 0.0
    check = campaign_representativeness(campaign)
    # responders are all gold (10) while gold is a quarter of the population
    assert check.dof == 1
    assert check.statistic == pytest.approx((10 - 2.5) ** 2 / 2.5 + (0 - 7.5) ** 2 / 7.5)
    assert check.representative is False

"""The survey-waves demo step on a small centre: two waves, a significant change, a Kano
slide, flagged expectations and origins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from tests.customers.factories import CustomerFactory, tier
from yuqi.demo.steps.survey_waves import PULSE, load_demo_survey_waves
from yuqi.demo.steps.surveys import _extend_servqual
from yuqi.insights import levels
from yuqi.insights.models import Expectation
from yuqi.surveys import services
from yuqi.surveys.models import Campaign

pytestmark = pytest.mark.django_db
END = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def centre(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: END)
    tiers = ["diamond", "gold", "silver", "ordinary", "ordinary"]
    for i in range(260):
        CustomerFactory(tier=tier(tiers[i % len(tiers)]))
    services.survey_install_templates()
    _extend_servqual()


def test_two_waves_with_a_significant_change_and_a_kano_slide(centre):
    summary = load_demo_survey_waves(seed=7)
    assert summary.waves == 2
    assert all(n >= 80 for n in summary.responses)
    assert "csat" in summary.significant
    assert summary.slides == ("callback",)
    first = Campaign.objects.get(code=PULSE)
    second = Campaign.objects.get(series=first)
    assert first.recurrence == "quarterly"
    assert first.next_wave_at > END
    assert second.wave == 2
    assert second.sampled_at > first.sampled_at
    found = levels.levels()
    manner = Expectation.objects.get(code="agent-manner")
    night = Expectation.objects.get(code="night-agents")
    assert found[manner.pk].over_served
    assert found[night.pk].too_low
    assert summary.over_served >= 1
    assert summary.too_low >= 1
    assert list(night.origins.values_list("origin", flat=True)) == ["past_experience"]

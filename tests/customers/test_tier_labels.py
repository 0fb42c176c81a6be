"""The tiers' labels (survey breakdowns, benchmarks) read through a statement compiled once:
the names in the active language, highest tier first, a new or renamed tier seen at once."""

from __future__ import annotations

import pytest
from django.utils import translation

from yuqi.customers.facade import TIERS_READ, tier_labels
from yuqi.customers.models import Tier

pytestmark = pytest.mark.django_db


def test_the_labels_are_the_tiers_names_highest_first_in_each_language():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert tier_labels() == {t.code: str(t) for t in Tier.objects.order_by("rank")}
    with translation.override("en"):
        assert list(tier_labels()) == ["diamond", "gold", "silver", "ordinary"]
    assert all(TIERS_READ.kept().values())


def test_a_new_or_renamed_tier_is_seen_at_once():
    tier_labels()
    Tier.objects.create(code="platinum", name="白金", name_en="Platinum", rank=9)
    Tier.objects.filter(code="gold").update(name="金卡会员")
    with translation.override("zh-hans"):
        labels = tier_labels()
    assert labels["platinum"] == "白金"
    assert labels["gold"] == "金卡会员"
    assert list(labels)[-1] == "platinum"

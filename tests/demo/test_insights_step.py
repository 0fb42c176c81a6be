"""The demo step: six peers, six months of indicators, offerings on both sides."""

from __future__ import annotations

from datetime import date

import pytest

from yuqi.demo.steps.insights import demo_months, load_demo_insights
from yuqi.insights.models import OurOffering, PeerCentre, PeerIndicatorValue
from yuqi.insights.selectors import benchmark_report, offering_table

pytestmark = pytest.mark.django_db


def test_demo_months_are_six_whole_months_ending_with_the_end_date():
    months = demo_months(date(2026, 11, 20))
    assert months[0] == (date(2026, 6, 1), date(2026, 6, 30))
    assert months[-1] == (date(2026, 11, 1), date(2026, 11, 30))


def test_demo_step_tells_a_story_and_can_run_twice():
    summary = load_demo_insights(end_date=date(2026, 11, 20), seed=3)
    assert (summary.peers, PeerCentre.objects.count()) == (6, 6)
    assert PeerIndicatorValue.objects.count() == summary.values == 6 * 6 * 7
    table = offering_table()
    assert table.they_have[0].code == "callback"
    assert OurOffering.objects.count() == 4
    report = benchmark_report(period_from=date(2026, 6, 1), period_to=date(2026, 11, 30))
    answer = next(i for i in report.indicators if i.indicator == "answer_rate")
    assert 0.8 < answer.position.median < 1.0
    load_demo_insights(end_date=date(2026, 11, 20), seed=3)
    assert PeerIndicatorValue.objects.count() == 6 * 6 * 7

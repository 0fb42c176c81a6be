"""The quality demo step on a tiny centre: evaluations spread per agent, one calibration
session with computable agreement, peer test calls feeding the benchmarks, training records,
and the scorecard's learning measures with real values."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import AgentFactory, InteractionFactory
from yuqi.core.measures import measure_source
from yuqi.demo.steps.accounts import create_demo_users
from yuqi.demo.steps.quality import PEERS, load_demo_quality
from yuqi.insights.models import PeerIndicatorValue
from yuqi.quality import selectors
from yuqi.quality.models import CalibrationSession, Evaluation, TrainingRecord

pytestmark = pytest.mark.django_db
END = date(2026, 11, 20)


@pytest.fixture
def centre():
    create_demo_users()
    from django.contrib.auth import get_user_model

    lina = get_user_model().objects.get(username="lina")
    agents = [AgentFactory(code=f"D{i:03d}", user=lina if i == 0 else None) for i in range(8)]
    start = timezone.make_aware(datetime.combine(END - timedelta(days=20), time(9)))
    for i in range(160):
        InteractionFactory(
            agent=agents[i % 8],
            customer=CustomerFactory(),
            arrived_at=start + timedelta(hours=3 * i),
        )
    return agents


def test_demo_quality_step(centre):
    result = load_demo_quality(seed=5, end_date=END)
    assert result.agents == 8
    assert result.evaluations == 8 * 6
    assert result.disputes == 1
    graded = selectors.graded()
    means = {
        code: sum(float(e.score) for e in graded.filter(agent_code=code))
        / graded.filter(agent_code=code).count()
        for code in {a.code for a in centre}
    }
    assert max(means.values()) - min(means.values()) > 5  # a believable spread
    assert 60 < sum(means.values()) / len(means) < 98
    session = CalibrationSession.objects.get()
    stats = selectors.calibration_stats(session)
    assert len(stats.evaluators) == 2
    assert stats.score_alpha.alpha is not None
    values = PeerIndicatorValue.objects.filter(peer__name__in=PEERS)
    assert {v.peer.name for v in values} == set(PEERS)
    assert all("test calls" in v.source or "测试来电" in v.source for v in values)
    assert TrainingRecord.objects.filter(agent_code="D000").exists()
    start = END - timedelta(days=30)
    assert measure_source("qa_score")(start, END).value is not None
    assert measure_source("training_hours")(start, END).value > 0
    assert measure_source("coaching_done")(start, END).value == 3
    assert Evaluation.objects.filter(agent_user__username="lina", status="reviewed").count() == 1

"""The improvement demo step on a tiny centre: actions in every PDCA state, the register's
actions turned into linked ones, and the two checks computed on the contacts — answer rate
really improved (closed effective), FCR unchanged (closed as no effect)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.insights.factories import ExpectationFactory
from tests.interactions.factories import InteractionFactory
from yuqi.demo.steps.accounts import create_demo_users
from yuqi.demo.steps.improvement import load_demo_improvement
from yuqi.improvement.models import EffectCheck, ImprovementAction
from yuqi.interactions.models import Interaction

pytestmark = pytest.mark.django_db
END = date(2026, 11, 20)


def _contacts(day: date, answered: int, abandoned: int) -> None:
    at = timezone.make_aware(datetime.combine(day, time(10)))
    for i in range(answered + abandoned):
        gone = i >= answered
        InteractionFactory(
            arrived_at=at + timedelta(minutes=i),
            answered_at=None if gone else at + timedelta(minutes=i, seconds=10),
            abandoned=gone,
            wait_seconds=60 if gone else 10,
            first_contact_resolved=None if gone else i % 4 != 0,
        )


def test_the_step_fills_every_state_and_checks_on_the_contacts():
    create_demo_users()
    ExpectationFactory(code="vip-15s", action="VIP 专席扩容", status="planned")
    first = END - timedelta(days=6)
    for offset in range(3):  # baseline: 60 % answered
        _contacts(first + timedelta(days=offset), 30, 20)
    for offset in range(3, 6):  # after: 90 % answered, FCR as before
        _contacts(first + timedelta(days=offset), 45, 5)
    assert Interaction.objects.count() == 300
    demo = load_demo_improvement(end_date=END, days=7)
    assert demo.from_register == 1
    assert set(demo.by_status) >= {"plan", "do", "check", "closed"}
    effective = ImprovementAction.objects.get(number=demo.effective)
    assert effective.measure_ref == "answer_rate"
    assert effective.outcome == "effective"
    check = EffectCheck.objects.get(action=effective)
    assert check.verdict == "improved"
    assert check.value_before == pytest.approx(60)
    assert check.value_after == pytest.approx(90)
    no_effect = ImprovementAction.objects.get(number=demo.no_effect)
    assert no_effect.outcome == "no_effect"
    assert EffectCheck.objects.filter(verdict="not_yet").exists()

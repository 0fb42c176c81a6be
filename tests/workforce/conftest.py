"""Workforce fixtures: shift templates, rostered agents and a requirement without history."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.accounts.factories import UserFactory
from yuqi.operations.facade import RequirementSlot
from yuqi.workforce import services
from yuqi.workforce.models import ShiftTemplate, WorkforceAgent

MONDAY = dt.date(2026, 11, 30)


@pytest.fixture
def templates(db):
    return [
        ShiftTemplate.objects.create(name="早班", start=dt.time(8), minutes=480),
        ShiftTemplate.objects.create(name="中班", start=dt.time(12), minutes=480),
    ]


@pytest.fixture
def rostered(db, agent):
    """李娜 (the agent persona) and two colleagues as rostered agents."""
    people = [WorkforceAgent.objects.create(user=agent, acd_code="A1001")]
    for code in ("A1002", "A1003"):
        people.append(WorkforceAgent.objects.create(user=UserFactory(), acd_code=code))
    return people


@pytest.fixture
def requirement(monkeypatch):
    """Two heads 09:00–17:00 every day (what operations' facade would answer)."""

    def fake(*, queue_code, start, end, interval_minutes, today=None):
        rows = []
        day = start
        while day <= end:
            for slot in range(18, 34):
                rows.append(RequirementSlot(day, slot, "forecast", 10.0, 2, 2.0, None))
            day += dt.timedelta(days=1)
        return rows

    monkeypatch.setattr(services.operations, "staffing_requirement", fake)
    monkeypatch.setattr(
        services.operations,
        "staffing_queues",
        lambda: [services.operations.StaffingQueue("hotline", "客服热线")],
    )

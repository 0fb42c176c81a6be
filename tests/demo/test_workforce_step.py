"""The workforce demo step on the small centre: published rosters from the simulated shifts,
agent states that agree with the contacts, and adherence, occupancy and shrinkage with real
values below 100 %."""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from datetime import date, timedelta

import pytest

from yuqi.core.measures import measure_source
from yuqi.demo.simulation import build_centre
from yuqi.demo.steps.accounts import create_demo_users
from yuqi.demo.steps.customers import load_demo_customers
from yuqi.demo.steps.interactions import load_demo_interactions, load_demo_topology
from yuqi.demo.steps.workforce import load_demo_workforce
from yuqi.interactions.models import Interaction
from yuqi.operations.kpi.selectors import kpi_table
from yuqi.workforce import services
from yuqi.workforce.models import AgentStateRow, Roster, RosterAssignment, WorkforceAgent

pytestmark = pytest.mark.django_db
END = date(2026, 11, 20)


@pytest.fixture
def demo():
    centre = build_centre(seed=3, scale="small", end_date=END)
    create_demo_users()
    load_demo_customers(centre.customers)
    load_demo_topology(centre)
    load_demo_interactions(centre.interactions())
    started = time.monotonic()
    result = load_demo_workforce(centre, seed=3)
    return result, time.monotonic() - started


def test_the_demo_roster_is_published_and_the_states_agree_with_the_contacts(demo):
    result, seconds = demo
    assert seconds < 120  # about 5 s on an idle machine; the shared one is loaded
    assert result.rosters == Roster.objects.filter(status="published").count() >= 5
    assert result.assignments == RosterAssignment.objects.count() > 0
    assert result.states == AgentStateRow.objects.count() > 1000
    lina = WorkforceAgent.objects.get(user__username="lina")
    assert RosterAssignment.objects.filter(agent=lina).exists()
    assert services.own_schedule(lina.user, start=result.first_day)
    coming = services.own_schedule(lina.user, start=END + timedelta(days=1), days=7)
    assert coming, "the agent login sees her coming week"

    # No agent's rows overlap, and every answered contact lies inside on-contact time.
    rows = defaultdict(list)
    for row in AgentStateRow.objects.order_by("agent_code", "start"):
        rows[row.agent_code].append(row)
    for items in rows.values():
        for first, second in itertools.pairwise(items):
            assert first.end <= second.start
    talking = {
        code: [(r.start, r.end) for r in items if r.state == "on_contact"]
        for code, items in rows.items()
    }
    contacts = Interaction.objects.filter(
        agent__code__in=list(talking), answered_at__date__gte=result.first_day, queue__isnull=False
    ).exclude(answered_at=None)
    checked = 0
    for contact in contacts.select_related("agent")[:300]:
        spans = talking[contact.agent.code]
        assert any(a <= contact.answered_at and contact.ended_at <= b for a, b in spans)
        checked += 1
    assert checked > 100

    # Adherence below 100 %, occupancy plausible, shrinkage with reasons.
    assert result.adherence is not None
    assert 0.8 < result.adherence < 1.0
    assert result.occupancy is not None
    assert 0.3 < result.occupancy < 1.0
    reading = measure_source("roster_adherence")(result.first_day, result.last_day)
    assert reading.value is not None
    assert reading.value < 1.0
    report = services.adherence_report(result.first_day, result.last_day)
    shrink = report.total.shrinkage
    assert {"用餐", "培训"} <= set(shrink) or {"break"} <= set(shrink)
    assert not [p for p in report.problems if p.kind in {"overlap", "backwards"}]
    assert AgentStateRow.objects.filter(state="not_ready").exclude(reason="").exists()
    assert result.first_day == END - timedelta(days=6)

    # The KPI engine's occupancy has a value on the demo, by day and by agent.
    days = kpi_table(date_from=result.first_day, date_to=END, by=["day"])
    assert all(0.2 < row.values.occupancy < 1.0 for row in days)
    agents = kpi_table(date_from=result.first_day, date_to=END, by=["agent"])
    assert sum(row.values.occupancy is not None for row in agents) > 10

    # Building it again replaces the demo's rosters and states (no duplicate rows).
    centre = build_centre(seed=3, scale="small", end_date=END)
    again = load_demo_workforce(centre, seed=3)
    assert again.states == AgentStateRow.objects.count()
    assert Roster.objects.count() == result.rosters

"""The periodic SLA alert sweep: once per threshold, owner and supervisors, working hours.

Ticket opened Mon 2026-03-02 09:00 at the local level: first response 4 business hours →
at risk at 12:00 (3 h used: 09:00–12:00), due 14:30 (09:00–12:00 + 13:30–14:30).
"""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory
from tests.complaints.factories import open_complaint, sh
from yuqi.complaints.alerts import sla_alerts_sweep, supervisors_for
from yuqi.complaints.models import ComplaintEvent
from yuqi.interactions.models import Agent, Team


@pytest.fixture
def team(db):
    return Team.objects.create(code="complaints-1", name="投诉一组")


@pytest.fixture
def ticket(frozen, outbox, agent, team):
    frozen.set(sh(2026, 3, 2, 9, 0))
    return open_complaint(by=agent, owner=agent, team_id=team.pk)


def alerts(complaint) -> list[dict]:
    return list(
        ComplaintEvent.objects.filter(complaint=complaint, kind="sla_alert")
        .order_by("id")
        .values_list("parameters", flat=True)
    )


def test_a_breach_is_alerted_once_even_when_the_sweep_runs_twice(frozen, outbox, ticket, agent):
    frozen.set(sh(2026, 3, 2, 15, 0))
    first = sla_alerts_sweep()
    second = sla_alerts_sweep()
    assert (first.sent, second.sent, second.examined) == (1, 0, 0)
    (message,) = outbox.users
    assert message["template"] == "sla_alert"
    assert message["context"]["state"] == "breached"
    assert message["context"]["due"] == sh(2026, 3, 2, 14, 30)
    assert [a["threshold"] for a in alerts(ticket)] == ["breach"]
    ticket.refresh_from_db()
    assert ticket.sla_state == "breached"


def test_at_risk_then_breach_each_alerted_once(frozen, outbox, ticket):
    frozen.set(sh(2026, 3, 2, 14, 0))
    assert sla_alerts_sweep().sent == 1
    assert sla_alerts_sweep().sent == 0
    frozen.set(sh(2026, 3, 2, 14, 35))
    assert sla_alerts_sweep().sent == 1
    assert sla_alerts_sweep().sent == 0
    assert [a["threshold"] for a in alerts(ticket)] == ["at_risk", "breach"]
    assert [m["context"]["state"] for m in outbox.users] == ["at_risk", "breached"]


def test_nothing_is_sent_before_the_warning_time(frozen, outbox, ticket):
    frozen.set(sh(2026, 3, 2, 11, 59))
    assert sla_alerts_sweep().examined == 0
    assert outbox.users == []


def test_alerts_go_to_the_owner_and_the_team_supervisor_only(frozen, outbox, ticket, agent, team):
    ours = UserFactory(roles=["supervisor"])
    Agent.objects.create(code="S01", name="王强", team=team, user=ours)
    other_team = Team.objects.create(code="other", name="其他组")
    theirs = UserFactory(roles=["supervisor"])
    Agent.objects.create(code="S02", team=other_team, user=theirs)
    frozen.set(sh(2026, 3, 2, 15, 0))
    sla_alerts_sweep()
    assert outbox.users[0]["user_ids"] == [agent.pk, ours.pk]


def test_without_a_team_supervisor_every_supervisor_is_told(db):
    first = UserFactory(roles=["supervisor"])
    second = UserFactory(roles=["supervisor"])
    UserFactory(roles=["agent"])
    assert supervisors_for(None) == sorted([first.pk, second.pk])


def test_an_evening_alert_waits_for_the_next_working_morning(frozen, outbox, ticket):
    frozen.set(sh(2026, 3, 2, 20, 0))  # breached since 14:30, but it is evening now
    result = sla_alerts_sweep()
    assert (result.sent, result.deferred) == (0, 1)
    assert outbox.users == []
    ticket.refresh_from_db()
    assert ticket.sla_state == "breached"  # the queue shows it at once; only the alert waits
    frozen.set(sh(2026, 3, 2, 23, 0))
    assert sla_alerts_sweep().examined == 0  # held until its slot; no second deferral
    deferred = ComplaintEvent.objects.filter(complaint=ticket, kind="sla_alert_deferred")
    assert deferred.count() == 1
    # Tue 08:30 in Shanghai, stored in UTC
    assert deferred.get().parameters["send_at"] == "2026-03-03T00:30:00+00:00"
    frozen.set(sh(2026, 3, 3, 8, 30))
    assert sla_alerts_sweep().sent == 1
    assert [m["context"]["state"] for m in outbox.users] == ["breached"]


def test_the_lunch_break_defers_too(frozen, outbox, ticket):
    frozen.set(sh(2026, 3, 2, 12, 30))  # at risk since 12:00, but everyone is at lunch
    assert sla_alerts_sweep().deferred == 1
    frozen.set(sh(2026, 3, 2, 13, 30))
    assert sla_alerts_sweep().sent == 1


def test_a_regulator_appeal_is_alerted_at_once_even_at_night(frozen, outbox, agent):
    frozen.set(sh(2026, 3, 2, 9, 0))
    complaint = open_complaint(by=agent, owner=agent, level_code="regulator")
    frozen.set(sh(2026, 3, 2, 23, 30))
    result = sla_alerts_sweep()
    assert (result.sent, result.deferred) == (1, 0)
    assert alerts(complaint)[0]["threshold"] == "breach"


def test_a_stopped_clock_is_never_alerted(frozen, outbox, ticket, agent):
    from yuqi.complaints.services import complaint_transition

    frozen.set(sh(2026, 3, 2, 10, 0))
    complaint_transition(
        complaint=ticket, target="acknowledged", by=agent, expected_version=ticket.version
    )
    frozen.set(sh(2026, 3, 2, 15, 0))
    assert sla_alerts_sweep().sent == 0


def test_the_sweep_is_a_periodic_job():
    from yuqi.core.schedule import PERIODIC_JOBS

    job = next(j for j in PERIODIC_JOBS if j.task == "yuqi.complaints.tasks.sweep_sla_alerts")
    assert job.every.total_seconds() == 300

"""The cached adherence report: the same figures as a fresh computation, a new answer after
every kind of write of what it reads (states by import, admin and model, rosters, assignments,
shift templates, agents), a period still running moving with the clock at each refresh of the
stored figure (``test_adherence_store``), and a second call that costs one query (the data
version)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import signed_in_client
from tests.imports.files import write_csv
from tests.insights.test_importing import run_import
from tests.support.clock import freeze_now
from yuqi.workforce import services, versions
from yuqi.workforce.models import (
    AgentStateRow,
    Roster,
    RosterAssignment,
    RosterStatus,
    WorkforceVersion,
)

from .conftest import MONDAY

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
LATER = dt.datetime(2026, 12, 10, 9, 0, tzinfo=SH)  # the Monday is long past


@pytest.fixture
def clock(monkeypatch):
    return freeze_now(monkeypatch, LATER)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(MONDAY, dt.time(hour, minute), SH)


@pytest.fixture
def roster(templates, rostered):
    return make_roster(templates, rostered)


def make_roster(templates, rostered):
    """A1001 and A1002 on the early shift (08:00–16:00) of the Monday, published; A1001
    ready 08:00–14:00, then in training until 16:00."""
    made = Roster.objects.create(
        queue_code="hotline", start=MONDAY, days=1, status=RosterStatus.PUBLISHED
    )
    for agent in rostered[:2]:
        RosterAssignment.objects.create(roster=made, agent=agent, day=MONDAY, shift=templates[0])
    AgentStateRow.objects.create(agent_code="A1001", state="ready", start=at(8), end=at(14))
    AgentStateRow.objects.create(
        agent_code="A1001", state="not_ready", reason="培训", start=at(14), end=at(16)
    )
    return made


def report():
    """The cached report, checked against a fresh computation."""
    found = services.adherence_report(MONDAY, MONDAY)
    assert found == services.fresh_adherence_report(MONDAY, MONDAY)
    return found


def adherence() -> float | None:
    return report().total.adherence


def test_the_cached_report_equals_a_fresh_one_and_costs_one_query(clock, roster):
    first = report()
    assert first.total.adherence == pytest.approx(6 / 16)
    assert first.total.shrinkage_seconds["absent"] == 8 * 3600
    with CaptureQueriesContext(connection) as captured:
        again = services.adherence_report(MONDAY, MONDAY)
    assert len(captured) == 1  # the data version
    assert again == first
    assert again is not first  # a copy: a caller cannot change what the next one reads


def test_a_state_import_through_the_service_is_seen(clock, roster, tmp_path):
    assert adherence() == pytest.approx(6 / 16)
    path = write_csv(
        tmp_path / "states.csv",
        [
            ["坐席工号", "状态", "原因", "开始时间", "结束时间"],
            ["A1002", "就绪", "", "2026-11-30 08:00:00+08:00", "2026-11-30 12:00:00+08:00"],
            ["A1002", "通话", "", "2026-11-30 12:00:00+08:00", "2026-11-30 16:00:00+08:00"],
        ],
    )
    before = WorkforceVersion.objects.get().number
    run = run_import("agent_states", path)
    assert run.status == "done", run.error_report
    assert WorkforceVersion.objects.get().number == before + 1  # once for the batch
    assert adherence() == pytest.approx(14 / 16)


def test_a_state_saved_or_deleted_as_a_model_is_seen(clock, roster):
    assert adherence() == pytest.approx(6 / 16)
    row = AgentStateRow.objects.get(state="not_ready")
    row.state, row.reason = "ready", ""
    row.save()
    assert adherence() == pytest.approx(8 / 16)
    row.delete()
    assert adherence() == pytest.approx(6 / 16)
    AgentStateRow.objects.filter(agent_code="A1001").delete()
    assert adherence() == 0


def test_a_state_edited_or_deleted_in_the_admin_is_seen(clock, roster, admin_user):
    client = signed_in_client(admin_user)
    assert adherence() == pytest.approx(6 / 16)
    row = AgentStateRow.objects.get(state="not_ready")
    local = {"start_0": "2026-11-30", "start_1": "14:00:00"}
    answer = client.post(
        f"/admin/workforce/agentstaterow/{row.pk}/change/",
        {
            "agent_code": "A1001",
            "state": "ready",
            "reason": "",
            **local,
            "end_0": "2026-11-30",
            "end_1": "16:00:00",
        },
    )
    assert answer.status_code == 302
    assert adherence() == pytest.approx(8 / 16)
    answer = client.post(
        "/admin/workforce/agentstaterow/",
        {
            "action": "delete_selected",
            "_selected_action": [r.pk for r in AgentStateRow.objects.all()],
            "post": "yes",
        },
    )
    assert answer.status_code == 302
    assert not AgentStateRow.objects.exists()
    assert adherence() == 0


def test_publishing_and_editing_the_roster_is_seen(clock, roster, templates, rostered):
    assert adherence() == pytest.approx(6 / 16)
    services.edit_assignment(roster, agent=rostered[1], day=MONDAY, shift=None)
    assert adherence() == pytest.approx(6 / 8)
    draft = Roster.objects.create(queue_code="billing", start=MONDAY, days=1)
    RosterAssignment.objects.create(roster=draft, agent=rostered[2], day=MONDAY, shift=templates[1])
    assert adherence() == pytest.approx(6 / 8)  # a draft is not scheduled
    services.publish(draft)
    assert adherence() == pytest.approx(6 / 16)
    roster.delete()
    assert adherence() == 0


def test_a_swap_and_a_changed_agent_or_shift_are_seen(clock, roster, templates, rostered):
    assert adherence() == pytest.approx(6 / 16)
    mine = RosterAssignment.objects.get(agent=rostered[1])
    mine.agent = rostered[2]
    mine.save()  # as an approved swap does
    assert report().agents[-1].agent == "A1003"
    rostered[2].acd_code = "A9003"
    rostered[2].save()
    assert report().agents[-1].agent == "A9003"
    early = templates[0]
    early.start, early.minutes = dt.time(10), 360  # 10:00–16:00
    early.save()
    assert adherence() == pytest.approx(4 / 12)  # ready 10:00–14:00 of 6 h, the other absent
    early.breaks = [{"after": 120, "minutes": 30, "paid": False}]
    early.save()
    assert adherence() == pytest.approx(3.5 / 12)  # ready through the 12:00 lunch


def test_a_period_still_running_moves_with_the_clock_at_each_refresh(clock, roster):
    from yuqi.workforce.adherence_store import PAGE_DAYS
    from yuqi.workforce.services import adherence_refresh

    week = (MONDAY - dt.timedelta(days=PAGE_DAYS), MONDAY)  # the page's default: the job's

    def scheduled() -> int:
        return services.adherence_report(*week).total.scheduled_seconds

    clock.at = at(12)
    noon = services.adherence_report(*week)
    assert noon.total.scheduled_seconds == 2 * 4 * 3600  # only what was due by now
    clock.at = at(12, 1)  # stored as of noon until the worker's job computes it again
    assert services.adherence_report(*week) == noon
    adherence_refresh()
    assert scheduled() == 2 * (4 * 3600 + 60)
    clock.at = at(17)
    adherence_refresh()
    assert scheduled() == 2 * 8 * 3600


def test_a_finished_period_is_not_keyed_by_the_minute(clock, roster):
    assert versions.live_until(MONDAY) < clock()
    report()
    clock.at = LATER + dt.timedelta(hours=1)
    with CaptureQueriesContext(connection) as captured:
        services.adherence_report(MONDAY, MONDAY)
    assert len(captured) == 1


def test_deferred_writes_bump_once_at_the_end(clock, roster):
    before = WorkforceVersion.objects.get().number
    with versions.deferred():
        for hour in (17, 18, 19):
            AgentStateRow.objects.create(
                agent_code="A1003", state="ready", start=at(hour), end=at(hour + 1)
            )
        assert WorkforceVersion.objects.get().number == before
    assert WorkforceVersion.objects.get().number == before + 1

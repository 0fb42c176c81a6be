"""Adherence, conformance, shrinkage and occupancy from agent states; bad rows reported."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from yuqi.domain.workforce.adherence import Activity, StateInterval, adherence_report
from yuqi.domain.workforce.errors import WorkforceError

SH = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, tz=SH) -> dt.datetime:
    return dt.datetime(2026, 3, 2, hour, minute, tzinfo=tz)


def state(name, start, end, reason="", row=None, agent="李娜"):
    return StateInterval(agent, name, start, end, reason=reason, row=row)


WORK = [Activity("李娜", "work", at(9), at(12)), Activity("李娜", "lunch", at(12), at(13))]


def test_a_perfect_day_adheres_fully():
    states = [
        state("ready", at(9), at(10)),
        state("on_contact", at(10), at(11, 30)),
        state("wrap", at(11, 30), at(12)),
        state("break", at(12), at(13)),
    ]
    agent = adherence_report(WORK, states).agents[0]
    assert agent.adherence == 1.0
    assert agent.conformance == 1.0
    assert agent.occupancy == pytest.approx(2 / 3)
    assert agent.shrinkage == {"break": 0.25}


def test_late_start_and_meeting_lower_adherence_and_show_as_shrinkage():
    states = [
        state("not_ready", at(9), at(9, 30), reason="meeting"),
        state("ready", at(9, 30), at(12)),
        state("ready", at(12), at(12, 30)),  # worked into lunch
        state("break", at(12, 30), at(13)),
    ]
    agent = adherence_report(WORK, states).agents[0]
    assert agent.adherent_seconds == 2.5 * 3600 + 0.5 * 3600
    assert agent.adherence == pytest.approx(3 / 4)
    assert agent.shrinkage_seconds == {"meeting": 1800, "break": 1800}


def test_absence_is_shrinkage_and_lowers_conformance():
    states = [state("ready", at(10), at(12))]
    agent = adherence_report(WORK, states).agents[0]
    assert agent.conformance == pytest.approx(0.5)
    assert agent.shrinkage_seconds["absent"] == 2 * 3600


def test_logged_in_sessions_may_contain_states():
    states = [
        state("logged_in", at(9), at(12)),
        state("ready", at(9), at(11)),
    ]
    agent = adherence_report(WORK[:1], states).agents[0]
    assert agent.logged_seconds == 3 * 3600
    assert agent.shrinkage_seconds == {"logged_in": 3600}


def test_overlapping_rows_are_reported_and_counted_once():
    states = [
        state("ready", at(9), at(11), row=2),
        state("on_contact", at(10), at(12), row=3),
    ]
    report = adherence_report(WORK[:1], states)
    (problem,) = report.problems
    assert (problem.kind, problem.rows, problem.seconds) == ("overlap", (2, 3), 3600)
    agent = report.agents[0]
    assert agent.state_seconds == {"ready": 7200, "on_contact": 3600}
    assert agent.adherent_seconds == 3 * 3600


def test_backwards_rows_are_reported_and_left_out():
    states = [state("ready", at(9), at(12), row=2), state("ready", at(11), at(10), row=3)]
    report = adherence_report(WORK[:1], states)
    assert [(p.kind, p.rows) for p in report.problems] == [("backwards", (3,))]
    assert report.agents[0].state_seconds == {"ready": 3 * 3600}


def test_a_time_zone_change_in_the_export_does_not_double_count():
    # The export switches from Beijing time to UTC at 10:00 local (02:00 UTC).
    states = [
        state("ready", at(9), at(10), row=2),
        state("on_contact", dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC), at(12), row=3),
    ]
    report = adherence_report(WORK[:1], states)
    assert report.problems == ()
    assert report.agents[0].logged_seconds == 3 * 3600
    assert report.agents[0].adherence == 1.0


def test_a_daylight_saving_fall_back_is_measured_in_real_time():
    ny = ZoneInfo("America/New_York")
    start = dt.datetime(2026, 11, 1, 0, 30, tzinfo=ny)
    end = dt.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ny)  # after clocks went back
    schedule = [Activity("a", "work", start, end)]
    report = adherence_report(schedule, [StateInterval("a", "ready", start, end)])
    assert report.agents[0].scheduled_seconds == 2 * 3600
    assert report.agents[0].adherence == 1.0


def test_naive_times_are_refused_naming_the_row():
    naive = dt.datetime(2026, 3, 2, 9)
    with pytest.raises(WorkforceError, match="row 5"):
        adherence_report(WORK, [StateInterval("李娜", "ready", naive, naive, row=5)])


def test_an_unknown_state_is_refused():
    with pytest.raises(WorkforceError, match="unknown state"):
        adherence_report(WORK, [state("napping", at(9), at(10), row=4)])


def test_totals_add_up_over_agents():
    states = [
        state("ready", at(9), at(12)),
        state("on_contact", at(9), at(12), agent="赵敏"),
    ]
    schedule = [*WORK[:1], Activity("赵敏", "work", at(9), at(12))]
    report = adherence_report(schedule, states)
    assert report.total.scheduled_seconds == 6 * 3600
    assert report.total.adherence == 1.0
    assert report.total.occupancy == pytest.approx(0.5)

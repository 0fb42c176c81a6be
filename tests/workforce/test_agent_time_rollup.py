"""The agent-time rollup gives exactly the raw path's available and busy seconds.

``measures.raw_agent_time`` walks the agent states; ``rollups.rollup_agent_time`` sums the
stored 15-minute slots. On states that span midnight, cross slot edges, start mid-second
and mix available and unavailable states, every range, bucket and agent filter must give
equal answers, also after states are added, changed and deleted (import, admin) and the
refresh has run. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuqi.workforce import measures, rollups
from yuqi.workforce.importing import store_states
from yuqi.workforce.models import AgentStateRow, AgentTimeDay, AgentTimeSlot

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 24)
BUCKETS = (15, 30, 60, 1440)
AGENTS = (None, frozenset({"A1"}), frozenset({"A2", "A9"}), frozenset())
RANGES = (
    (DAY, DAY),
    (DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=2)),
    (DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=1)),
    (DAY - dt.timedelta(days=5), DAY + dt.timedelta(days=5)),
)


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=ZONE)


def state(agent: str, kind: str, start: dt.datetime, end: dt.datetime, reason: str = "") -> dict:
    return {"agent": agent, "state": kind, "reason": reason, "start": start, "end": end}


def world() -> None:
    """Three agents over three days: a night shift across midnight, rows on and off the
    slot edges, breaks and not-ready time (not available), a logged-in session."""
    before, after = DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)
    records = [
        state("A1", "logged_in", at(DAY, 7, 58), at(DAY, 17, 3)),
        state("A1", "ready", at(DAY, 8, 0), at(DAY, 8, 7, 13)),
        state("A1", "on_contact", at(DAY, 8, 7, 13), at(DAY, 8, 52, 1)),
        state("A1", "wrap", at(DAY, 8, 52, 1), at(DAY, 9, 0)),
        state("A1", "break", at(DAY, 9, 0), at(DAY, 9, 15), "用餐"),
        state("A1", "ready", at(DAY, 9, 15), at(DAY, 11, 44, 59)),
        state("A1", "not_ready", at(DAY, 11, 44, 59), at(DAY, 12, 30), "培训"),
        state("A1", "on_contact", at(DAY, 12, 30), at(DAY, 16, 59, 30)),
        # A night shift: 22:10 the day before to 06:20, across local midnight
        state("A2", "ready", at(before, 22, 10), at(before, 23, 50, 17)),
        state("A2", "on_contact", at(before, 23, 50, 17), at(DAY, 0, 20, 3)),
        state("A2", "wrap", at(DAY, 0, 20, 3), at(DAY, 0, 21)),
        state("A2", "ready", at(DAY, 0, 21), at(DAY, 6, 20)),
        state("A2", "on_contact", at(DAY, 23, 59, 59), at(after, 0, 0, 1)),
        state("A3", "on_contact", at(after, 10, 14, 59), at(after, 10, 15, 1)),
        state("A3", "wrap", at(after, 10, 15, 1), at(after, 10, 30)),
        state("A3", "ready", at(after, 23, 0), at(after + dt.timedelta(days=1), 1, 0)),
    ]
    assert store_states(records).created == len(records)


def assert_paths_agree(*, ranges=RANGES) -> int:
    """Every range × bucket × agent filter: rollup == raw, and ``agent_time`` answers from
    the rollup. Returns how many non-empty answers were compared."""
    compared = 0
    for (first, last), bucket, agents in itertools.product(ranges, BUCKETS, AGENTS):
        assert rollups.answers(first, last, bucket), (first, last, bucket)
        raw = measures.raw_agent_time(first, last, bucket, agents)
        assert rollups.rollup_agent_time(first, last, bucket, agents) == raw, (
            first,
            last,
            bucket,
            agents,
        )
        assert measures.agent_time(first, last, bucket, agents) == raw
        compared += bool(raw)
    return compared


def test_the_rollup_equals_the_raw_path():
    world()
    assert not rollups.answers(DAY, DAY, 15)  # never built: the raw path answers
    result = rollups.agent_time_refresh()
    assert result.full
    assert result.rows == AgentTimeSlot.objects.count() > 0
    assert not AgentTimeDay.objects.exists()
    assert assert_paths_agree() >= 30


def test_a_state_across_midnight_queues_both_days_and_counts_on_both():
    world()
    rollups.agent_time_refresh()
    before = DAY - dt.timedelta(days=1)
    store_states([state("A4", "ready", at(before, 23, 40), at(DAY, 0, 25))])
    assert set(AgentTimeDay.objects.values_list("day", flat=True)) == {before, DAY}
    assert not rollups.answers(before, before, 60)
    assert rollups.answers(DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2), 60)
    rollups.agent_time_refresh()
    days = measures.agent_time(before, DAY, 1440, frozenset({"A4"}))
    assert {key[1].date(): time.available for key, time in days.items()} == {
        before: 20 * 60,
        DAY: 25 * 60,
    }
    assert assert_paths_agree() >= 30


def test_the_rollup_follows_added_changed_and_deleted_states(admin_user, rf):
    world()
    rollups.agent_time_refresh()
    after = DAY + dt.timedelta(days=1)
    # Added, and one changed by a new export (ready now not ready): the old and new days queue.
    result = store_states(
        [
            state("A1", "ready", at(DAY, 17, 10), at(DAY, 17, 44, 30)),
            state("A2", "not_ready", at(DAY, 0, 21), at(DAY, 6, 20), "会议"),
        ]
    )
    assert (result.created, result.updated) == (1, 1)
    assert set(AgentTimeDay.objects.values_list("day", flat=True)) == {DAY}
    # While a day is queued the raw path answers, and the figures are still right.
    assert not rollups.answers(DAY, DAY, 15)
    assert measures.agent_time(DAY, DAY, 15, None) == measures.raw_agent_time(DAY, DAY, 15, None)
    rollups.agent_time_refresh()
    assert assert_paths_agree() >= 30

    # Through the admin: an edit moving a row to another day, a delete, a bulk delete.
    admin = site._registry[AgentStateRow]
    request = rf.post("/")
    request.user = admin_user
    moved = AgentStateRow.objects.get(agent_code="A3", state="ready")
    moved.start, moved.end = at(DAY, 13, 0), at(DAY, 13, 40)
    admin.save_model(request, moved, None, change=True)
    assert set(AgentTimeDay.objects.values_list("day", flat=True)) == {
        DAY,
        after,
        after + dt.timedelta(days=1),
    }
    rollups.agent_time_refresh()
    admin.delete_model(request, AgentStateRow.objects.get(agent_code="A2", state="wrap"))
    admin.delete_queryset(request, AgentStateRow.objects.filter(agent_code="A1", state="ready"))
    assert AgentTimeDay.objects.exists()
    rollups.agent_time_refresh()
    assert assert_paths_agree() >= 20


def test_a_range_rebuild_and_a_full_rebuild_give_the_same_slots():
    world()
    rollups.agent_time_rebuild()
    full = sorted(AgentTimeSlot.objects.values_list("agent_code", "day", "slot", "available_us"))
    AgentTimeSlot.objects.filter(day=DAY).delete()
    rollups.agent_time_rebuild(DAY, DAY)
    again = sorted(AgentTimeSlot.objects.values_list("agent_code", "day", "slot", "available_us"))
    assert again == full
    assert assert_paths_agree() >= 30


def test_buckets_not_made_of_whole_slots_are_answered_from_the_states():
    world()
    rollups.agent_time_refresh()
    for bucket in (10, 20, 7, 105):
        assert not rollups.answers(DAY, DAY, bucket)
        assert measures.agent_time(DAY, DAY, bucket, None) == measures.raw_agent_time(
            DAY, DAY, bucket, None
        )
    assert rollups.answers(DAY, DAY, 90)  # 6 whole slots, 16 to a day
    assert measures.agent_time(DAY, DAY, 45, None) == measures.raw_agent_time(DAY, DAY, 45, None)


def test_a_daylight_saving_change_is_answered_from_the_states(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    assert not rollups._one_offset(dt.date(2026, 10, 24), dt.date(2026, 10, 26))
    assert rollups._one_offset(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/operations/", "/operations/kpis/?by=day"])
def test_the_kpi_pages_read_occupancy_in_a_fixed_number_of_queries(as_user, manager, url):
    from yuqi.core.clock import now

    today = now().astimezone(ZONE).date()
    store_states([state("A1", "ready", at(today, 0, 5), at(today, 0, 35))])
    rollups.agent_time_refresh()
    client = as_user(manager)
    _queries(client, url)  # warm the caches
    # The agent time is cached under the workforce data version: the first request after a
    # write of states reads it afresh, the next from the cache; both counts stay the same.
    store_states([state("A1", "ready", at(today, 0, 40), at(today, 0, 50))])
    rollups.agent_time_refresh()
    missed, few = _queries(client, url), _queries(client, url)
    for agent in range(8):
        for hour in range(1, 9):
            store_states(
                [
                    state(f"B{agent}", "on_contact", at(today, hour, 0), at(today, hour, 40)),
                    state(f"B{agent}", "wrap", at(today, hour, 40), at(today, hour, 45)),
                ]
            )
    rollups.agent_time_refresh()
    assert (_queries(client, url), _queries(client, url)) == (missed, few)

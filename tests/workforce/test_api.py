"""The agent-state API: permission before the body is read, size limits, hostile input, and
the bad rows (overlapping, running backwards, a time-zone change part-way) answered per row;
adherence for a period, breaks included; occupancy in the KPI engine from the states."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import signed_in_client
from tests.interactions.factories import AgentFactory, InteractionFactory
from yuqi.core.measures import measure_source
from yuqi.operations.kpi.selectors import kpi_table
from yuqi.workforce.models import AgentStateRow, Roster, RosterAssignment, ShiftTemplate

from .conftest import MONDAY

URL = "/api/v1/workforce/agent-states"


def _post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def _row(agent, state, start, end, reason=""):
    return {"agent": agent, "state": state, "reason": reason, "start": start, "end": end}


@pytest.mark.django_db
def test_without_permission_the_body_is_never_validated(agent):
    client = signed_in_client(agent)  # agents see their schedule; they do not post states
    answer = _post(client, {"items": "not a list", "unexpected": {"deep": [1] * 10}})
    assert answer.status_code == 403
    assert "items" not in answer.content.decode()
    assert client.get("/api/v1/workforce/adherence?start=x").status_code == 403


@pytest.mark.django_db
def test_batches_are_limited_in_rows_and_shape(manager):
    client = signed_in_client(manager)
    row = _row("A1", "ready", "2026-11-30T08:00:00+08:00", "2026-11-30T08:01:00+08:00")
    assert _post(client, {"items": [row] * 5001}).status_code == 422
    assert _post(client, {"items": []}).status_code == 422
    assert _post(client, {"items": {"a": 1}}).status_code == 422
    assert _post(client, [row]).status_code in {400, 422}


@pytest.mark.django_db
def test_hostile_rows_are_rejected_one_by_one(manager):
    client = signed_in_client(manager)
    hostile = [
        _row("A" * 500, "ready", "2026-11-30T08:00:00+08:00", "2026-11-30T09:00:00+08:00"),
        _row("A1", "=cmd|' /C calc'!A0", "2026-11-30T08:00:00+08:00", "x"),
        _row("<script>alert(1)</script>", "ready", {"$gt": ""}, ["2026"]),
        {"agent": None, "state": 12, "start": 1e309, "end": True},
        _row("A1", "not_ready", "2026-11-30T08:00:00+08:00", "2026-11-30T09:00:00+08:00", "x" * 61),
        _row("A1", "ready", "2026-11-30T08:00:00+08:00", "2026-12-03T08:00:00+08:00"),
    ]
    answer = _post(client, {"items": hostile})
    assert answer.status_code == 200
    body = answer.json()
    assert body["rejected"] == len(hostile)
    assert all(item["errors"] for item in body["items"])
    assert not AgentStateRow.objects.exists()


@pytest.mark.django_db
def test_overlapping_backwards_and_zone_changing_rows(manager):
    client = signed_in_client(manager)
    items = [
        _row("A1", "ready", "2026-11-30T08:00:00+08:00", "2026-11-30T09:00:00+08:00"),
        # overlaps the first row of A1
        _row("A1", "on_contact", "2026-11-30T08:30:00+08:00", "2026-11-30T08:40:00+08:00"),
        # runs backwards
        _row("A1", "wrap", "2026-11-30T10:00:00+08:00", "2026-11-30T09:50:00+08:00"),
        # the export switches to UTC part-way: 01:00Z is 09:00 in Shanghai, right after row 0
        _row("A1", "on_contact", "2026-11-30T01:00:00Z", "2026-11-30T01:10:00Z"),
        # and a row in UTC that is the same moment as row 0 in +08:00 overlaps it
        _row("A1", "break", "2026-11-30T00:10:00Z", "2026-11-30T00:20:00Z"),
    ]
    body = _post(client, {"items": items}).json()
    statuses = [item["status"] for item in body["items"]]
    assert statuses == ["created", "rejected", "rejected", "created", "rejected"]
    assert "重叠" in body["items"][1]["errors"][0]["message"]  # overlaps (Chinese by default)
    assert body["items"][2]["errors"][0]["field"] == "end"
    stored = AgentStateRow.objects.order_by("start")
    assert [r.start.isoformat() for r in stored] == [
        "2026-11-30T00:00:00+00:00",
        "2026-11-30T01:00:00+00:00",
    ]
    # Posting the same batch again changes nothing (idempotent by agent and start).
    again = _post(client, {"items": items[:1] + items[3:4]}).json()
    assert again["unchanged"] == 2


@pytest.fixture
def lunch_roster(db, rostered):
    """A1001 on 08:00–16:00 with a 30-minute lunch at 12:00, published."""
    template = ShiftTemplate.objects.create(
        name="白班",
        start=dt.time(8),
        minutes=480,
        breaks=[{"after": 210, "latest": 300, "minutes": 30, "paid": False}],
    )
    roster = Roster.objects.create(queue_code="hotline", start=MONDAY, days=1, status="published")
    RosterAssignment.objects.create(
        roster=roster, agent=rostered[0], day=MONDAY, shift=template, break_offsets=[240]
    )
    return roster


def _states(rows):
    for agent, state, start, end, reason in rows:
        AgentStateRow.objects.create(
            agent_code=agent,
            state=state,
            reason=reason,
            start=dt.datetime.fromisoformat(f"2026-11-30T{start}:00+08:00"),
            end=dt.datetime.fromisoformat(f"2026-11-30T{end}:00+08:00"),
        )


@pytest.mark.django_db
def test_adherence_counts_the_scheduled_lunch(lunch_roster, manager):
    # Works 08:00–12:30 (ready half an hour through the scheduled lunch), breaks 12:30–13:00,
    # works 13:00–16:00: 30 minutes of work in the lunch and 30 of break in the work.
    _states(
        [
            ("A1001", "ready", "08:00", "10:00", ""),
            ("A1001", "on_contact", "10:00", "11:00", ""),
            ("A1001", "wrap", "11:00", "12:30", ""),
            ("A1001", "break", "12:30", "13:00", "用餐"),
            ("A1001", "on_contact", "13:00", "16:00", ""),
        ]
    )
    client = signed_in_client(manager)
    body = client.get(f"/api/v1/workforce/adherence?start={MONDAY}&end={MONDAY}").json()
    assert body["total"]["adherence"] == pytest.approx(7 / 8)
    assert body["total"]["conformance"] == pytest.approx(1.0)
    assert body["total"]["shrinkage"]["break"] == pytest.approx(0.5 / 8)
    too_long = client.get(f"/api/v1/workforce/adherence?start={MONDAY}&end=2027-03-01")
    assert too_long.status_code == 422


@pytest.mark.django_db
def test_occupancy_in_the_kpi_engine_comes_from_the_states(lunch_roster):
    _states(
        [
            ("A1001", "ready", "08:00", "10:00", ""),
            ("A1001", "on_contact", "10:00", "11:00", ""),
            ("A1001", "wrap", "11:00", "12:00", ""),
            ("A1001", "not_ready", "12:00", "13:00", "培训"),
            ("A1002", "on_contact", "08:00", "09:00", ""),
            ("A1002", "ready", "09:00", "10:00", ""),
        ]
    )
    at = dt.datetime.fromisoformat("2026-11-30T10:05:00+08:00")
    for code in ("A1001", "A1002"):
        InteractionFactory(agent=AgentFactory(code=code), arrived_at=at)
    (total,) = kpi_table(date_from=MONDAY, date_to=MONDAY)
    # busy: A1001 2 h + A1002 1 h; available: A1001 4 h + A1002 2 h (not ready left out)
    assert total.counts.busy_seconds == 3 * 3600
    assert total.counts.staffed_seconds == 6 * 3600
    assert total.values.occupancy == pytest.approx(0.5)
    by_agent = {
        r.keys["agent"]: r.values.occupancy
        for r in kpi_table(date_from=MONDAY, date_to=MONDAY, by=["agent"])
    }
    assert by_agent == {"A1001": pytest.approx(0.5), "A1002": pytest.approx(0.5)}
    (ten,) = kpi_table(date_from=MONDAY, date_to=MONDAY, by=["interval"], interval_minutes=60)
    assert ten.values.occupancy == pytest.approx(1.0)  # 10:00–11:00: A1001 on contact
    (queue,) = kpi_table(date_from=MONDAY, date_to=MONDAY, by=["queue"])
    assert queue.counts.staffed_seconds is None  # states are not split by queue
    (voice,) = kpi_table(date_from=MONDAY, date_to=MONDAY, agent="A1002")
    assert voice.counts.staffed_seconds == 2 * 3600
    reading = measure_source("observed_shrinkage")(MONDAY, MONDAY)
    assert reading.value is not None
    assert "培训" in reading.note


@pytest.mark.django_db
def test_the_staffing_page_takes_its_shrinkage_default_from_the_states(
    lunch_roster, manager, as_user
):
    from tests.interactions.factories import QueueFactory
    from yuqi.operations.staffing.views import shrinkage_default

    QueueFactory()
    page = as_user(manager).get("/operations/staffing/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    note = page.content.decode()
    assert 'data-testid="shrinkage-source"' in note
    assert "排班经验值" in note  # no states in the last four weeks of the real today
    _states(
        [
            ("A1001", "ready", "08:00", "12:00", ""),
            ("A1001", "break", "12:00", "12:30", "用餐"),
            ("A1001", "not_ready", "12:30", "13:30", "培训"),
            ("A1001", "ready", "13:30", "16:00", ""),
        ]
    )
    value, text = shrinkage_default(MONDAY + dt.timedelta(days=1))
    assert value == round(100 * 1.5 / 8)  # half an hour of lunch and an hour of training
    assert "培训" in text
    assert "2026-11-30" in text

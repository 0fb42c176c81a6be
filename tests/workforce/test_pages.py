"""Planner, agent and supervisor pages: permission before the body, a roster built and
published, the agent's own schedule, requests decided, the Excel export, in Chinese."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.workforce.conftest import MONDAY
from yuqi.workforce import services
from yuqi.workforce.models import (
    AgentStateRow,
    RequestStatus,
    Roster,
    RosterAssignment,
    SwapRequest,
    TimeOffRequest,
)

pytestmark = pytest.mark.django_db


def build(client, weeks=1):
    """Ask for a roster on the page, then run its background job (the worker's part)."""
    response = client.post(
        "/workforce/", {"queue": "hotline", "start": MONDAY.isoformat(), "weeks": weeks}
    )
    for roster in Roster.objects.filter(job_state="queued"):
        services.fill_roster(roster.pk)
    return response


@pytest.mark.parametrize("persona", ["agent", "analyst"])
def test_only_planners_see_rosters_and_the_body_is_not_read_first(
    persona, request, as_user, templates, requirement
):
    client = as_user(request.getfixturevalue(persona))
    assert client.get("/workforce/").status_code == 403
    assert client.post("/workforce/", {"weeks": "<script>"}).status_code == 403
    assert Roster.objects.count() == 0


def test_a_supervisor_reads_rosters_but_may_not_build_one(supervisor, as_user, requirement):
    client = as_user(supervisor)
    assert client.get("/workforce/").status_code == 200
    assert build(client).status_code == 403


def test_a_planner_builds_publishes_and_exports_a_roster_and_the_agent_sees_it(
    manager, agent, as_user, templates, rostered, requirement
):
    client = as_user(manager)
    response = build(client)
    assert response.status_code == 302
    roster = Roster.objects.get()
    assert roster.days == 7
    assert roster.shortfall == 0
    assert RosterAssignment.objects.filter(roster=roster).count() > 0
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert "data-echarts" in page.content.decode()
    # not published: the agent sees nothing yet
    assert services.own_schedule(agent, start=MONDAY) == []
    assert client.post(f"/workforce/rosters/{roster.pk}/publish/").status_code == 302
    roster.refresh_from_db()
    assert roster.status == "published"
    mine = services.own_schedule(agent, start=MONDAY)
    assert mine
    assert all(item.agent.acd_code == "A1001" for item in mine)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/workforce/rosters/{roster.pk}/export.xlsx").content)
    ).active
    assert sheet.cell(1, 1).value == "agent"
    assert {sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)} <= {
        "A1001",
        "A1002",
        "A1003",
    }


def test_publishing_needs_a_post_and_the_planner_permission(
    supervisor, manager, as_user, templates
):
    roster = Roster.objects.create(queue_code="hotline", start=MONDAY, days=7)
    assert as_user(supervisor).post(f"/workforce/rosters/{roster.pk}/publish/").status_code == 403
    assert as_user(manager).get(f"/workforce/rosters/{roster.pk}/publish/").status_code == 405


def test_unfilled_shifts_come_with_the_rule_that_blocked_them(
    manager, as_user, templates, rostered, requirement
):
    for person in rostered[1:]:
        person.active = False
        person.save()
    client = as_user(manager)
    response = build(client)
    roster = Roster.objects.get()
    assert roster.unfilled, "one agent cannot cover two heads a day for a week"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已有班次" in page or "休息日" in page or "当天" in page


def test_hostile_query_on_the_roster_page(manager, as_user):
    roster = Roster.objects.create(
        queue_code="hotline",
        start=MONDAY,
        days=1,
        requirement=[[0] * 48],
        coverage=[[0] * 48],
    )
    client = as_user(manager)
    for day in ("abc", "-5", "99999999999999999999", "<script>"):
        assert client.get(f"/workforce/rosters/{roster.pk}/?day={day}").status_code == 200
    assert client.get("/workforce/rosters/999999/").status_code == 404


def test_an_agent_asks_for_time_off_and_a_supervisor_approves(agent, supervisor, as_user, rostered):
    client = as_user(agent)
    page = client.get("/workforce/me/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    bad = client.post(
        "/workforce/me/",
        {"action": "time_off", "first_day": "2026-12-10", "last_day": "2026-12-01"},
    )
    assert bad.status_code == 200
    assert TimeOffRequest.objects.count() == 0
    hostile = "<script>alert(1)</script>"
    client.post(
        "/workforce/me/",
        {
            "action": "time_off",
            "first_day": "2026-12-01",
            "last_day": "2026-12-02",
            "reason": hostile,
        },
    )
    request = TimeOffRequest.objects.get()
    boss = as_user(supervisor)
    listing = boss.get("/workforce/requests/").content.decode()
    assert hostile not in listing
    assert "&lt;script&gt;" in listing
    boss.post("/workforce/requests/", {"kind": "time_off", "pk": request.pk, "decision": "approve"})
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert request.decided_by == supervisor
    agents = services.domain_agents(dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    me = next(a for a in agents if a.id == "A1001")
    assert me.time_off == {dt.date(2026, 12, 1), dt.date(2026, 12, 2)}


def test_agents_may_not_decide_requests(agent, as_user, rostered):
    request = TimeOffRequest.objects.create(agent=rostered[0], first_day=MONDAY, last_day=MONDAY)
    response = as_user(agent).post(
        "/workforce/requests/", {"kind": "time_off", "pk": request.pk, "decision": "approve"}
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_swap_moves_the_shift_unless_the_colleague_works_that_day(
    agent, supervisor, as_user, templates, rostered
):
    roster = Roster.objects.create(queue_code="hotline", start=MONDAY, days=7, status="published")
    mine = RosterAssignment.objects.create(
        roster=roster, agent=rostered[0], day=MONDAY, shift=templates[0]
    )
    RosterAssignment.objects.create(
        roster=roster, agent=rostered[2], day=MONDAY, shift=templates[1]
    )
    client = as_user(agent)
    # not my shift / unknown colleague / myself: refused
    other = RosterAssignment.objects.create(
        roster=roster, agent=rostered[1], day=MONDAY + dt.timedelta(days=1), shift=templates[0]
    )
    for payload in (
        {"assignment": other.pk, "colleague": "A1003"},
        {"assignment": mine.pk, "colleague": "nobody"},
        {"assignment": mine.pk, "colleague": "A1001"},
        {"assignment": "x", "colleague": "A1002"},
    ):
        client.post("/workforce/me/", {"action": "swap", **payload})
    assert SwapRequest.objects.count() == 0
    client.post("/workforce/me/", {"action": "swap", "assignment": mine.pk, "colleague": "A1003"})
    busy = SwapRequest.objects.get()
    boss = as_user(supervisor)
    boss.post("/workforce/requests/", {"kind": "swap", "pk": busy.pk, "decision": "approve"})
    busy.refresh_from_db()
    assert busy.status == RequestStatus.PENDING  # A1003 already works that day
    client.post("/workforce/me/", {"action": "swap", "assignment": mine.pk, "colleague": "A1002"})
    free = SwapRequest.objects.exclude(pk=busy.pk).get()
    boss.post("/workforce/requests/", {"kind": "swap", "pk": free.pk, "decision": "approve"})
    mine.refresh_from_db()
    assert mine.agent.acd_code == "A1002"
    for junk in ({"kind": "nope", "pk": 1, "decision": "approve"}, {"kind": "swap", "pk": "x"}):
        assert boss.post("/workforce/requests/", junk).status_code == 302


def test_adherence_page_and_measure_from_states(manager, as_user, templates, rostered):
    from yuqi.core.measures import measure_source

    roster = Roster.objects.create(queue_code="hotline", start=MONDAY, days=1, status="published")
    RosterAssignment.objects.create(
        roster=roster, agent=rostered[0], day=MONDAY, shift=templates[0]
    )
    begin, _end = services.shift_span(MONDAY, templates[0])
    AgentStateRow.objects.create(
        agent_code="A1001", state="ready", start=begin, end=begin + dt.timedelta(hours=6)
    )
    AgentStateRow.objects.create(
        agent_code="A1001",
        state="not_ready",
        reason="培训",
        start=begin + dt.timedelta(hours=6),
        end=begin + dt.timedelta(hours=8),
    )
    reading = measure_source("roster_adherence")(MONDAY, MONDAY)
    assert reading.value == pytest.approx(0.75)
    AgentStateRow.objects.create(
        agent_code="A1002",
        state="on_contact",
        start=begin,
        end=begin + dt.timedelta(hours=2),
    )
    occupancy = measure_source("agent_occupancy")(MONDAY, MONDAY)
    assert occupancy.value == pytest.approx(2 / 8)  # 2 h on contact of 6 h ready + 2 h
    page = as_user(manager).get(
        f"/workforce/adherence/?start={MONDAY}&end={MONDAY}", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = page.content.decode()
    assert "75.0%" in text
    assert "培训: 25.0%" in text
    bad = as_user(manager).get("/workforce/adherence/?start=2026-01-01&end=2026-12-31")
    assert bad.status_code == 200


def test_roster_days_follow_the_business_calendar_holidays_and_makeup_days(db):
    # 2026 (chinese_calendar): Sunday 20 September is a 调休 workday for National Day,
    # 1–7 October are holidays, Saturday 19 September an ordinary rest day.
    kinds = services.day_kinds(dt.date(2026, 9, 19), 14)
    assert kinds[dt.date(2026, 9, 19)] == "rest_day"
    assert kinds[dt.date(2026, 9, 20)] == "makeup_workday"
    assert kinds[dt.date(2026, 9, 21)] == "workday"
    assert kinds[dt.date(2026, 10, 1)] == "holiday"


def test_the_planner_edits_a_shift_by_hand_within_the_rules(
    manager, supervisor, as_user, templates, rostered
):
    roster = Roster.objects.create(queue_code="hotline", start=MONDAY, days=7)
    for i in range(6):  # A1001 works Monday to Saturday
        RosterAssignment.objects.create(
            roster=roster, agent=rostered[0], day=MONDAY + dt.timedelta(days=i), shift=templates[0]
        )
    url = f"/workforce/rosters/{roster.pk}/edit/"
    sunday = (MONDAY + dt.timedelta(days=6)).isoformat()
    assert as_user(supervisor).post(url, {"agent": "A1001", "day": sunday}).status_code == 403
    client = as_user(manager)
    # a seventh day in a row leaves no rest day: refused, with the rule named
    page = client.post(
        url,
        {"agent": "A1001", "day": sunday, "shift": "早班"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert RosterAssignment.objects.filter(roster=roster).count() == 6
    assert "休息日" in page or "连续" in page
    # Monday to 中班: allowed
    client.post(url, {"agent": "A1001", "day": MONDAY.isoformat(), "shift": "中班"})
    assert RosterAssignment.objects.get(roster=roster, day=MONDAY).shift.name == "中班"
    # a day off
    client.post(url, {"agent": "A1001", "day": MONDAY.isoformat(), "shift": ""})
    assert not RosterAssignment.objects.filter(roster=roster, day=MONDAY).exists()
    # hostile and out-of-range input changes nothing
    for junk in (
        {"agent": "<script>", "day": sunday, "shift": "早班"},
        {"agent": "A1001", "day": "2030-01-01", "shift": "早班"},
        {"agent": "A1001", "day": sunday, "shift": "=1+1"},
        {"agent": "A1001" * 20, "day": "x"},
    ):
        assert client.post(url, junk).status_code == 302
    assert RosterAssignment.objects.filter(roster=roster).count() == 5


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_adherence_page_shows_its_default_period_in_both_languages(manager, as_user, language):
    # An <input type="date"> takes only ISO dates: drawn as Django's Chinese '2026/11/30', the
    # default week was an empty field in Chinese (yuqi.config.formats puts ISO first).
    from django.utils import timezone

    from yuqi.core.clock import now

    today = timezone.localdate(now())
    week_ago = today - dt.timedelta(days=7)
    page = as_user(manager).get("/workforce/adherence/", HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    assert f'name="start" value="{week_ago.isoformat()}"' in html
    assert f'name="end" value="{today.isoformat()}"' in html
    first, last = ("首日", "末日") if language == "zh-hans" else ("First day", "Last day")
    assert f">{first}:</label>" in html
    assert f">{last}:</label>" in html
    assert "Start:" not in html


def test_chinese_date_fields_read_iso_and_chinese_spellings(settings):
    from django import forms
    from django.utils import translation

    class Day(forms.Form):
        day = forms.DateField()

    with translation.override("zh-hans"):
        for typed in ("2026-11-30", "2026/11/30", "2026年11月30日"):
            form = Day({"day": typed})
            assert form.is_valid(), typed
            assert form.cleaned_data["day"] == dt.date(2026, 11, 30)
        assert 'value="2026-11-30"' in str(Day(initial={"day": dt.date(2026, 11, 30)}))

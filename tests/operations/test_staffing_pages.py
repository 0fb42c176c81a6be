"""Staffing plan and what-if pages, the download, and the staffing API: access and content."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.interactions.factories import AgentFactory, InteractionFactory, QueueFactory
from yuqi.operations.staffing import services as staffing
from yuqi.operations.staffing.views import plan_table

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 3, 3)
TODAY = date(2025, 3, 10)
PAGES = [
    "operations:staffing_plan",
    "operations:staffing_plan_download",
    "operations:staffing_whatif",
]
PLAN_QUERY = {"queue": "general", "start": "2025-03-03", "end": "2025-03-04", "interval": "30"}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    """The pages' "today" is the Monday after the calls."""
    moment = timezone.make_aware(datetime(2025, 3, 10, 9, 0))
    monkeypatch.setattr("yuqi.operations.staffing.views.now", lambda: moment)
    monkeypatch.setattr("yuqi.operations.staffing.api.now", lambda: moment)
    monkeypatch.setattr("yuqi.operations.staffing.services.now", lambda: moment)


@pytest.fixture
def calls(db):
    """Monday 09:00: 100 calls handled by 6 agents (14 needed); 10:00: 20 calls handled by
    3 agents (4 needed)."""
    queue = QueueFactory(code="general", name="普通话务", sl_target=0.8, sl_seconds=20)
    agents = [AgentFactory() for _ in range(6)]
    for hour, n, staff in ((9, 100, agents), (10, 20, agents[:3])):
        start = timezone.make_aware(datetime(2025, 3, 3, hour))
        for i in range(n):
            arrived = start + timedelta(seconds=i * 1800 // n)
            InteractionFactory(
                queue=queue,
                agent=staff[i % len(staff)],
                arrived_at=arrived,
                answered_at=arrived + timedelta(seconds=8),
                wait_seconds=8,
                talk_seconds=150,
                wrap_seconds=30,
            )
    return queue


@pytest.mark.parametrize("name", PAGES)
def test_agent_and_analyst_are_refused(as_user, agent, analyst, calls, name):
    for user in (agent, analyst):
        assert as_user(user).get(reverse(name), PLAN_QUERY).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_supervisor_and_manager_may_see(as_user, supervisor, manager, calls, name):
    for user in (supervisor, manager):
        assert as_user(user).get(reverse(name), PLAN_QUERY).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, calls):
    response = client.get(reverse("operations:staffing_plan"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_plan_page_shows_chart_and_flags_the_rush(as_user, supervisor, calls):
    response = as_user(supervisor).get(reverse("operations:staffing_plan"), PLAN_QUERY)
    html = response.content.decode()
    assert "data-echarts" in html
    assert 'id="staffing-plan-chart"' in html
    assert response.context["plan"].under_count == 2
    chart = response.context["chart"]
    assert chart["xAxis"]["data"] == ["03-03 09:00", "03-03 10:00"]
    under = next(s for s in chart["series"] if s["name"] == "Under-staffed")
    assert under["data"] == [6, 3]
    assert "Under-staffed" in html
    assert "<html" in html


def test_plan_htmx_request_gets_the_results_only(as_user, supervisor, calls):
    response = as_user(supervisor).get(
        reverse("operations:staffing_plan"), PLAN_QUERY, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "staffing-plan-chart" in html


def test_plan_form_errors_are_shown(as_user, supervisor, calls):
    response = as_user(supervisor).get(
        reverse("operations:staffing_plan"), {**PLAN_QUERY, "end": "2025-03-01"}
    )
    assert response.status_code == 200
    assert "plan" not in response.context
    assert "The end date is before the start date." in response.content.decode()


def test_download_matches_the_table(as_user, supervisor, calls):
    client = as_user(supervisor)
    page = client.get(reverse("operations:staffing_plan"), PLAN_QUERY)
    table = page.context["table"]
    download = client.get(
        reverse("operations:staffing_plan_download"), {**PLAN_QUERY, "format": "csv"}
    )
    assert download["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert lines[0] == list(table.headers)
    assert lines[1:] == [[str(cell) for cell in row.cells] for row in table.rows]
    html = page.content.decode()
    for row in table.rows:
        assert all(str(cell) in html for cell in row.cells)
    # The table is the plan itself.
    plan = staffing.staffing_plan(queue=calls, start=MONDAY, end=MONDAY + timedelta(1), today=TODAY)
    assert plan_table(plan) == table


def test_download_as_excel(as_user, supervisor, calls):
    response = as_user(supervisor).get(
        reverse("operations:staffing_plan_download"), {**PLAN_QUERY, "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Day"
    assert len(rows) == 3
    assert rows[1][:2] == ("2025-03-03", "09:00")


def test_whatif_page_before_and_after(as_user, supervisor, calls):
    response = as_user(supervisor).get(
        reverse("operations:staffing_whatif"),
        {
            "queue": "general",
            "day": "2025-03-03",
            "interval": "30",
            "agents_delta": "8",
            "aht_change": "0",
            "ivr_share": "0",
            "volume_change": "0",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "staffing-whatif-chart" in html
    result = response.context["result"]
    assert result.after.service_level > result.before.service_level
    assert [r[0] for r in response.context["rows"]] == ["09:00", "10:00"]


def test_whatif_page_defaults_to_yesterday(as_user, supervisor, calls):
    response = as_user(supervisor).get(reverse("operations:staffing_whatif"))
    assert response.status_code == 200
    assert response.context["result"].day == TODAY - timedelta(days=1)


def test_pages_without_queues_say_so(as_user, supervisor):
    response = as_user(supervisor).get(reverse("operations:staffing_plan"))
    assert "There are no queues yet" in response.content.decode()


# --------------------------------------------------------------------------- the API

TEXTBOOK = {
    "calls": 100,
    "interval": 30,
    "aht": 180,
    "target_sl": 0.8,
    "target_time": 20,
    "shrinkage": 0.3,
}


def post(client, body: dict):
    return client.post("/api/v1/staffing", json.dumps(body), content_type="application/json")


def test_api_solves_the_textbook_case(as_user, supervisor):
    response = post(as_user(supervisor), TEXTBOOK)
    assert response.status_code == 200
    data = response.json()
    assert data["agents"] == 14
    assert data["positions"] == 20  # ⌈14 / 0.7⌉
    assert data["abandon_rate"] is None
    assert {
        "agents_fractional",
        "service_level",
        "asa",
        "waiting_probability",
        "occupancy",
    } <= data.keys()


def test_api_evaluates_agents_with_patience(as_user, supervisor):
    data = post(as_user(supervisor), {**TEXTBOOK, "agents": 9, "patience": 120}).json()
    assert data["agents"] == 9
    assert data["model"] == "erlang_a"
    assert 0 < data["abandon_rate"] < 1


def test_api_validation_errors_are_422(as_user, supervisor):
    response = post(as_user(supervisor), {**TEXTBOOK, "calls": -1, "shrinkage": 1.2})
    assert response.status_code == 422
    paths = {field["path"] for field in response.json()["error"]["fields"]}
    assert {"body.payload.calls", "body.payload.shrinkage"} <= paths


def test_api_refuses_times_beyond_a_day_that_would_overflow_the_formulas(as_user, supervisor):
    # Found by the API fuzz test: these answered 200 with NaN (null) where numbers are promised.
    hostile = {
        "calls": 0.93,
        "interval": 0.5,
        "aht": 1.7e308,
        "target_time": 9.5e307,
        "patience": 1.1e308,
        "agents": 10000,
    }
    response = post(as_user(supervisor), hostile)
    assert response.status_code == 422
    paths = {field["path"] for field in response.json()["error"]["fields"]}
    assert {"body.payload.aht", "body.payload.target_time", "body.payload.patience"} <= paths


def test_api_impossible_staffing_is_422_with_reason(as_user, supervisor):
    response = post(as_user(supervisor), {**TEXTBOOK, "agents": 9})
    assert response.status_code == 422
    assert "more agents than offered traffic" in response.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/api/v1/staffing", "/api/v1/staffing/plan?queue=general"])
def test_api_refuses_agents(as_user, agent, analyst, calls, path):
    for user in (agent, analyst):
        client = as_user(user)
        response = post(client, TEXTBOOK) if path == "/api/v1/staffing" else client.get(path)
        assert response.status_code == 403


def test_api_plan_rows(as_user, manager, calls):
    response = as_user(manager).get("/api/v1/staffing/plan", PLAN_QUERY)
    assert response.status_code == 200
    data = response.json()
    assert data["queue"] == "general"
    assert data["under"] == 2
    first = data["items"][0]
    assert first["required"] == 14
    assert first["actual_agents"] == 6
    assert first["gap"] == -8
    assert first["status"] == "under"
    assert first["source"] == "actual"


def test_api_plan_unknown_queue_and_bad_range(as_user, manager, calls):
    client = as_user(manager)
    assert client.get("/api/v1/staffing/plan", {"queue": "nope"}).status_code == 404
    bad = client.get("/api/v1/staffing/plan", {**PLAN_QUERY, "end": "2025-03-01"})
    assert bad.status_code == 422
    assert "before the start" in bad.json()["error"]["message"]


def test_plan_page_states_the_positions_rule(as_user, supervisor):
    body = as_user(supervisor).get("/operations/staffing/").content.decode()
    assert 'data-rule="positions"' in body
    assert "⌈" in body


# The rows as the page's template built them, one node per cell, before ``table_days``.
_TEMPLATE_ROWS = (
    "{% for row in rows %}"
    "<tr class=\"status-{{ row.status|default:'none' }}\">{% for cell in row.cells %}"
    '<td{% if forloop.first %} class="nowrap"{% elif forloop.counter0 >= 3 and not '
    'forloop.last %} class="num"{% endif %}>{% if forloop.last and row.status %}<span '
    "class=\"badge{% if row.status == 'under' %} action-2{% elif row.status == 'over' %} "
    'vip{% endif %}">{{ cell }}</span>{% else %}{{ cell }}{% endif %}</td>{% endfor %}</tr>'
    "{% if not forloop.last %}\n{% endif %}{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_tables_rows_are_what_the_template_built_cell_by_cell(language):
    from django.template import Context, Template
    from django.utils import translation

    from yuqi.operations.staffing.views import Table, TableRow, table_days

    rows = (
        TableRow(("2025-03-03", "09:00", "Actual", 12.5, 180, 4, 6, 5.73, 3, -3, "Under"), "under"),
        TableRow(("2025-03-03", "09:30", "Actual", 1234.0, "", "", "", "", "", "", ""), ""),
        TableRow(("2025-03-04", "09:00", "<b>&", 0.1, 7, 1, 2, 1.25, 4, 2, "Over"), "over"),
        TableRow(("2025-03-04", "09:30", "Forecast", 3.0, 95, 2, 3, 2.5, "", "", "On plan"), "ok"),
        TableRow(("2025-03-05", "00:00", "Forecast", 0.0, "", 0, 0, 0.0, "", "", ""), ""),
    )
    table = Table(("h",) * 11, rows)
    with translation.override(language):
        days = table_days(table)
        expected = [
            Template(_TEMPLATE_ROWS).render(Context({"rows": [r for r in rows if r.cells[0] == d]}))
            for d in ("2025-03-03", "2025-03-04", "2025-03-05")
        ]
    assert [(d.day, d.count) for d in days] == [
        ("2025-03-03", 2),
        ("2025-03-04", 2),
        ("2025-03-05", 1),
    ]
    assert [str(d.body) for d in days] == expected
    assert "&lt;b&gt;&amp;" in days[1].body


def test_the_page_builds_one_days_rows_and_loads_the_others_when_opened(as_user, manager, calls):
    from django.utils.html import escape

    from yuqi.operations.staffing.views import table_days

    start = timezone.make_aware(datetime(2025, 3, 4, 9))
    for i in range(5):
        InteractionFactory(queue=calls, arrived_at=start + timedelta(minutes=i), wait_seconds=3)
    client = as_user(manager)
    query = {**PLAN_QUERY, "shrinkage": "30"}
    page = client.get("/operations/staffing/", query).content.decode()
    whole = table_days(plan_table(_plan(calls)))  # every day built, as the page did
    assert [day.day for day in whole] == ["2025-03-03", "2025-03-04"]
    assert str(whole[0].body) in page  # the first day open, its rows on the page
    assert str(whole[1].body) not in page
    assert 'hx-trigger="toggle once"' in page
    day_url = escape(reverse("operations:staffing_plan_day"))
    assert f'hx-get="{day_url}?' in page
    assert "day=2025-03-04" in page
    rows = client.get(reverse("operations:staffing_plan_day"), {**query, "day": "2025-03-04"})
    assert rows.status_code == 200
    assert str(whole[1].body) in rows.content.decode()
    opened = client.get("/operations/staffing/", {**query, "open": "2025-03-04"}).content.decode()
    assert str(whole[1].body) in opened
    assert str(whole[0].body) not in opened
    assert whole[0].under == 2  # both Monday intervals under-staffed: said while closed
    assert "2 under-staffed, 0 over-staffed" in opened


def _plan(queue):
    return staffing.staffing_plan(
        queue=queue,
        start=date(2025, 3, 3),
        end=date(2025, 3, 4),
        interval_minutes=30,
        shrinkage=0.3,
        today=TODAY,
    )

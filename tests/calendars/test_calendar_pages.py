"""The calendars page, the home-page warning and the REST API, per role."""

from __future__ import annotations

import pytest

from tests.calendars.factories import STANDARD, EnteredYearFactory

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_spring_festival_and_makeup_days(supervisor, as_user, today):
    today(2026, 2, 10)
    page = as_user(supervisor).get("/calendars/").content.decode()
    assert STANDARD in page
    # The default calendar comes first; its 2月14日 row is a make-up day, 2月17日 a holiday.
    makeup_row = page.split("2026-02-14", 1)[1].split("</tr>", 1)[0]
    assert "调休" in makeup_row
    holiday_row = page.split("2026-02-17", 1)[1].split("</tr>", 1)[0]
    assert "春节" in holiday_row
    assert "调休" not in holiday_row
    assert "08:30-12:00, 13:30-17:30" in page


def test_the_page_warns_about_a_year_without_holiday_data(manager, as_user, today):
    today(2026, 11, 1)
    page = as_user(manager).get("/calendars/").content.decode()
    assert 'data-testid="missing-years"' in page
    assert "2027" in page


def test_no_warning_once_the_year_is_entered(manager, as_user, today):
    today(2026, 11, 1)
    EnteredYearFactory(year=2027)
    page = as_user(manager).get("/calendars/").content.decode()
    assert 'data-testid="missing-years"' not in page


def test_agents_cannot_open_the_calendars_page(agent, as_user):
    assert as_user(agent).get("/calendars/").status_code == 403


def test_the_home_page_warns_managers(manager, as_user, today):
    today(2026, 11, 1)
    page = as_user(manager).get("/").content.decode()
    assert "2027" in page
    assert "/calendars/" in page


def test_the_home_page_does_not_warn_agents(agent, as_user, today):
    today(2026, 11, 1)
    page = as_user(agent).get("/").content.decode()
    assert "Entered years" not in page


def test_the_api_lists_calendars_with_periods(analyst, as_user):
    data = as_user(analyst).get("/api/v1/calendars").json()
    standard = next(row for row in data if row["name"] == STANDARD)
    assert standard["is_default"] is True
    monday = [(p["start"], p["end"]) for p in standard["periods"] if p["weekday"] == 0]
    assert monday == [("08:30", "12:00"), ("13:30", "17:30")]
    always = next(row for row in data if row["name"] == "全天候")
    assert always["periods"][0]["end"] == "24:00"


def test_the_api_due_matches_the_cli(analyst, as_user):
    response = as_user(analyst).get(
        f"/api/v1/calendars/{STANDARD}/due", {"from": "2026-02-13T10:00", "working_days": 3}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["due"] == "2026-02-25T17:30:00+08:00"
    assert data["assumed_years"] == []
    assert data["warning"] is None


def test_the_api_flags_a_year_without_data(analyst, as_user):
    data = (
        as_user(analyst)
        .get(f"/api/v1/calendars/{STANDARD}/due", {"from": "2027-03-01T10:00", "business_hours": 2})
        .json()
    )
    assert data["assumed_years"] == [2027]


def test_the_api_answers_404_for_an_unknown_calendar(analyst, as_user):
    response = as_user(analyst).get(
        "/api/v1/calendars/nope/due", {"from": "2026-02-13T10:00", "days": 1}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_needs_exactly_one_amount(analyst, as_user):
    response = as_user(analyst).get(
        f"/api/v1/calendars/{STANDARD}/due",
        {"from": "2026-02-13T10:00", "days": 1, "working_days": 1},
    )
    assert response.status_code == 422


def test_agents_cannot_use_the_calendar_api(agent, as_user):
    assert as_user(agent).get("/api/v1/calendars").status_code == 403

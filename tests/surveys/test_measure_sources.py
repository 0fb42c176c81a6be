"""The surveys' scorecard measures are the survey analysis's own figures (issue 15 item 1).

For each of CSAT, NPS, CES and the expectation achievement rate: a month with answers gives
the analysis headline's value, n and 95 % interval for the same days and links to that
analysis page; a month without answers says "no data" with the reason.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.surveys.analysis_factories import load_small, make_survey
from yuqi.core.measures import measure_source
from yuqi.operations.scorecard.selectors import Period, measure_value, scorecard
from yuqi.surveys.analysis import survey_report
from yuqi.surveys.measures import HEADLINE_FIELD

pytestmark = pytest.mark.django_db

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))  # SMALL is submitted on the 20th
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def answered():
    survey = make_survey()
    load_small(survey)
    return survey


@pytest.mark.parametrize("code", sorted(HEADLINE_FIELD))
def test_each_survey_measure_is_registered(code):
    assert measure_source(code) is not None


@pytest.mark.parametrize("code", sorted(HEADLINE_FIELD))
def test_the_scorecard_figure_is_the_analysis_figure(answered, code):
    headline = survey_report(
        answered, date_from=NOVEMBER.start, date_to=NOVEMBER.end
    ).result.headline
    expected = getattr(headline, HEADLINE_FIELD[code])
    assert expected is not None
    got = measure_value(code, NOVEMBER)
    assert got.value == pytest.approx(expected.value)
    assert got.n == expected.n == 5
    assert (got.low, got.high) == (pytest.approx(expected.ci_low), pytest.approx(expected.ci_high))
    assert got.link == "/surveys/sq-small/analysis/?date_from=2026-11-01&date_to=2026-11-30"
    assert got.reason == ""


@pytest.mark.parametrize("code", sorted(HEADLINE_FIELD))
def test_a_month_without_answers_says_no_data(answered, code):
    got = measure_value(code, OCTOBER)
    assert got.value is None
    assert got.reason


def test_known_values_of_the_small_case(answered):
    # CSAT top-2-box: 5, 4, 2, 4, 3 on 1–5 → 3 of 5; NPS: 10, 9, 0, 8, 10 → (3 − 1) / 5
    assert measure_value("satisfaction", NOVEMBER).value == pytest.approx(0.6)
    assert measure_value("nps", NOVEMBER).value == pytest.approx(40.0)
    assert measure_value("ces", NOVEMBER).value == pytest.approx((7 + 6 + 2 + 5 + 4) / 5)


def test_the_linked_analysis_page_shows_the_same_period(as_user, manager, answered):
    link = measure_value("nps", NOVEMBER).link
    body = as_user(manager).get(link).content.decode()
    assert "2026-11-01" in body
    assert "2026-11-30" in body
    october = as_user(manager).get(
        "/surveys/sq-small/analysis/?date_from=2026-10-01&date_to=2026-10-31"
    )
    assert october.status_code == 200


def test_hostile_dates_on_the_analysis_page_are_no_limit(as_user, manager, answered):
    response = as_user(manager).get(
        "/surveys/sq-small/analysis/?date_from=<script>&date_to=2026-13-45"
    )
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_the_scorecard_customer_quadrant_has_values(answered):
    lines = {line.code: line for line in scorecard(period=NOVEMBER).lines}
    for code in HEADLINE_FIELD:
        assert lines[code].value is not None, code
        assert lines[code].n == 5
        assert lines[code].link.startswith("/surveys/sq-small/analysis/")

"""The complaints' scorecard measures: the service measures page's figures for the same days,
SLA compliance by the book (of the clocks due in the period; an open clock past its target
counts as breached now), and "no data" only when the data does not exist."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Q

from tests.complaints.factories import sh
from tests.complaints.test_measures import FEB, MAR_END, case, english, step  # noqa: F401
from yuqi.complaints.measures import complaint_measures
from yuqi.complaints.models import SlaClock
from yuqi.core.measures import measure_source
from yuqi.operations.scorecard.selectors import Period, measure_value

pytestmark = pytest.mark.django_db

PERIOD = Period(FEB, MAR_END)
EMPTY = Period(date(2025, 1, 1), date(2025, 1, 31))
CODES = ("complaint_sla_compliance", "regulator_appeals_per_10k", "recovery_cost_per_contact")


@pytest.mark.parametrize("code", CODES)
def test_registered(code):
    assert measure_source(code) is not None


@pytest.mark.parametrize("code", CODES)
@pytest.mark.usefixtures("case")
def test_no_complaints_no_data(code):
    got = measure_value(code, EMPTY)
    assert got.value is None
    assert got.reason


@pytest.mark.usefixtures("case")
def test_sla_compliance_before_anything_is_overdue(frozen):
    # stopped: first response 3 (2 met), resolution 1 met, callback 1 met; open past target:
    # T3's resolution clock (due 27 February) → 4 met of 6 due, 1 open and overdue
    got = measure_value("complaint_sla_compliance", PERIOD)
    assert got.value == pytest.approx(4 / 6)
    assert got.n == 6
    assert got.low < 4 / 6 < got.high
    assert got.link == "/complaints/measures/?date_from=2026-02-01&date_to=2026-03-31"
    assert got.note == "4 of 6 clocks due met; 1 open and overdue now"


@pytest.mark.usefixtures("case")
def test_open_clocks_past_target_count_as_breached_now(frozen):
    frozen.set(sh(2026, 6, 1, 9))
    now = sh(2026, 6, 1, 9)
    overdue = (
        SlaClock.objects.exclude(phase="stopped").filter(due_at__lt=now).exclude(Q(due_at=None))
    )
    n_overdue = overdue.count()
    assert n_overdue >= 3  # T2, T3 and T4 are still open at their resolution clocks
    (row,) = complaint_measures(date_from=FEB, date_to=MAR_END)
    m = row.measures
    assert m.overdue() == n_overdue
    assert m.clocks_due() == 5 + n_overdue
    assert m.sla_compliance() == pytest.approx(4 / (5 + n_overdue))
    got = measure_value("complaint_sla_compliance", PERIOD)
    assert got.value == pytest.approx(4 / (5 + n_overdue))
    assert str(n_overdue) in got.note


@pytest.mark.usefixtures("case")
def test_sla_compliance_on_the_page_and_api(as_user, manager, frozen):
    frozen.set(sh(2026, 6, 1, 9))
    client = as_user(manager)
    query = "date_from=2026-02-01&date_to=2026-03-31"
    body = client.get(f"/complaints/measures/?{query}").content.decode()
    assert "Of those, open and overdue" in body
    assert "Open and overdue now, whatever the period" in body
    item = client.get(f"/api/v1/complaints/measures?{query}").json()["items"][0]["measures"]
    scorecard = measure_value("complaint_sla_compliance", PERIOD)
    assert item["sla_compliance_all"] == pytest.approx(scorecard.value)
    assert item["open_and_overdue"] >= 3
    assert item["clocks_due"] == scorecard.n


@pytest.mark.usefixtures("case")
def test_appeals_and_recovery_cost_are_the_page_figures():
    assert measure_value("regulator_appeals_per_10k", PERIOD).value == pytest.approx(2500.0)
    cost = measure_value("recovery_cost_per_contact", PERIOD)
    assert cost.value == pytest.approx(17.5)
    assert cost.n == 4
    assert cost.link.startswith("/complaints/measures/")

"""Complaint measures on a small case computed by hand, "no data yet", page, download, API.

The case (all tickets opened Feb–Mar 2026, four customers, one ticket each):

* T1 local: acknowledged 30 min after opening (first response met), investigated, solution
  proposed and accepted, resolved (resolution met; callback clock starts), 50 yuan
  compensation; the callback says solved but attitude not good (callback clock met) → recovery.
* T2 local → raised to over-level 1 h after opening (its clocks restart; the stopped ones are
  superseded and not counted), then acknowledged (first response met).
* T3 local, opened a week earlier, acknowledged now: first response missed.
* T4 regulator appeal, a 20 yuan fee waiver, nothing else.

Expected (at Mon 2 March 11:00): first response 2 met of 3 stopped; resolution 1 met of 2 due
(T1 met; T3's 3-working-day resolution clock fell due on 27 February and is still open, so it
counts as breached now — SLA compliance by the book, of the clocks due in the period);
callback 1/1; escalation from local 1 of 3, from over-level 0 of 1; 1 regulator appeal ×
10,000 ÷ 4 customers = 2,500; reopen 0 of 1 resolved; recovery 70 yuan, 17.50 per complaint;
对事 1/1, 对人 0/1.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests.complaints.factories import level, open_complaint, sh
from tests.customers.factories import CustomerFactory
from yuqi.complaints import services as s
from yuqi.complaints.measures import complaint_measures
from yuqi.customers.models import Customer

pytestmark = pytest.mark.django_db

FEB, MAR_END = date(2026, 2, 1), date(2026, 3, 31)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def step(ticket, service, **kwargs):
    return service(complaint=ticket, expected_version=ticket.version, **kwargs)


@pytest.fixture
def case(frozen, outbox, supervisor, manager):
    customers = [CustomerFactory() for _ in range(4)]
    frozen.set(sh(2026, 2, 24, 9))
    t3 = open_complaint(by=supervisor, customer=customers[2], owner=supervisor)
    frozen.set(sh(2026, 3, 2, 9))
    t1 = open_complaint(by=supervisor, customer=customers[0], owner=supervisor)
    t2 = open_complaint(by=supervisor, customer=customers[1], owner=manager)
    t4 = open_complaint(by=supervisor, customer=customers[3], level_code="regulator")

    frozen.set(sh(2026, 3, 2, 9, 30))
    t1 = step(t1, s.complaint_transition, target="acknowledged", by=supervisor)
    t3 = step(t3, s.complaint_transition, target="acknowledged", by=supervisor)
    t1 = step(t1, s.complaint_transition, target="investigating", by=supervisor)
    t1 = step(t1, s.complaint_transition, target="solution_proposed", by=supervisor)
    t1 = step(t1, s.complaint_record_agreement, by=supervisor, solution="退费", accepted=True)
    t1 = step(t1, s.complaint_transition, target="agreed", by=supervisor)
    step(t1, s.complaint_add_recovery, kind="compensation", amount=Decimal("50"), by=supervisor)
    t1.refresh_from_db()
    step(t4, s.complaint_add_recovery, kind="fee_waiver", amount=Decimal("20"), by=supervisor)
    frozen.set(sh(2026, 3, 2, 10))
    t2 = step(t2, s.complaint_escalate, level=level("over_level"), by=supervisor, reason="12315")
    frozen.set(sh(2026, 3, 2, 10, 30))
    t2 = step(t2, s.complaint_transition, target="acknowledged", by=manager)
    t1 = step(t1, s.complaint_transition, target="resolved", by=supervisor)
    frozen.set(sh(2026, 3, 2, 11))
    t1 = step(
        t1,
        s.complaint_record_callback,
        by=supervisor,
        solved=True,
        expectation_met=True,
        attitude_ok=False,
    )
    assert t1.state == "recovery"
    assert Customer.objects.count() == 4
    return {"t1": t1, "t2": t2, "t3": t3, "t4": t4}


def test_totals_match_the_hand_computed_case(case):
    (row,) = complaint_measures(date_from=FEB, date_to=MAR_END)
    m = row.measures
    assert m.opened == 4
    assert (m.clocks_met["first_response"], m.clocks_stopped["first_response"]) == (2, 3)
    assert m.sla_compliance("first_response") == pytest.approx(2 / 3)
    assert m.sla_compliance("resolution") == 0.5
    assert (m.clocks_stopped["resolution"], m.overdue("resolution")) == (1, 1)
    assert m.sla_compliance("callback") == 1.0
    assert m.sla_compliance() == pytest.approx(4 / 6)
    assert m.overdue() == 1
    assert m.escalation_rate("local") == pytest.approx(1 / 3)
    assert m.escalation_rate("over_level") == 0.0
    assert m.regulator == 1
    assert m.regulator_per_10k == pytest.approx(2500.0)
    assert m.reopen_rate == 0.0
    assert m.recovery_cost_total == Decimal("70")
    assert m.recovery_cost_per_complaint == Decimal("17.50")
    assert m.solved_rate == 1.0
    assert m.attitude_rate == 0.0


def test_grouped_by_level_uses_the_current_level(case):
    rows = {
        r.keys["level"]: r.measures
        for r in complaint_measures(date_from=FEB, date_to=MAR_END, by=["level"])
    }
    local, over, regulator = (level(c).pk for c in ("local", "over_level", "regulator"))
    assert rows[local].opened == 2
    assert rows[over].opened == 1
    assert rows[regulator].opened == 1
    assert rows[regulator].regulator_per_10k == pytest.approx(2500.0)
    assert rows[local].regulator_per_10k == 0.0
    # escalations belong to the level left: T2 left local (1 of 3 were at local)
    assert rows[local].escalation_rate("local") == pytest.approx(1 / 3)
    assert rows[over].escalation_rate("over_level") == 0.0
    assert rows[over].escalation_rate("local") is None


def test_grouped_by_month(case):
    rows = complaint_measures(date_from=FEB, date_to=MAR_END, by=["month"])
    assert [(r.labels["month"], r.measures.opened) for r in rows] == [
        ("2026-02", 1),
        ("2026-03", 3),
    ]


def test_an_empty_period_has_no_data_rather_than_zero(case):
    (row,) = complaint_measures(date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
    m = row.measures
    assert m.opened == 0
    assert m.sla_compliance("first_response") is None
    assert m.escalation_rate("local") is None
    assert m.regulator_per_10k is None
    assert m.reopen_rate is None
    assert m.recovery_cost_total is None
    assert m.solved_rate is None


def test_a_measure_without_a_denominator_is_none(case):
    (row,) = complaint_measures(date_from=FEB, date_to=date(2026, 2, 28))
    m = row.measures  # only T3: first response missed, resolution overdue, no callback
    assert m.sla_compliance("first_response") == 0.0
    assert m.sla_compliance("resolution") == 0.0  # open and past its target: breached now
    assert m.sla_compliance("callback") is None
    assert m.reopen_rate is None
    assert m.solved_rate is None


def page_url(**params) -> str:
    query = {"date_from": "2026-02-01", "date_to": "2026-03-31", **params}
    return reverse("complaints:measures") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_page_shows_no_data_yet(as_user, manager, frozen):
    body = as_user(manager).get(page_url()).content.decode()
    assert "no data yet" in body


def test_page_and_download_carry_the_same_numbers(as_user, manager, case):
    client = as_user(manager)
    body = client.get(page_url()).content.decode()
    assert "2500.0" in body
    assert "data-echarts" in body
    response = client.get(page_url(format="csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, values = rows[0], rows[1]
    cells = dict(zip(header, values, strict=True))
    assert cells["Complaints opened"] == "4"
    assert cells["Regulator appeals per 10,000 customers"] == "2500.0"
    assert cells["SLA met: First response (%)"] == "66.7"
    assert cells["Reopen rate (%)"] == "0.0"


def test_download_leaves_no_data_cells_empty(as_user, manager, case):
    response = as_user(manager).get(page_url(date_to="2026-02-28", format="csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["SLA met: Callback after resolution (%)"] == ""


@pytest.mark.parametrize(("persona", "status"), [("agent", 403), ("analyst", 200)])
def test_measures_page_access(request, as_user, frozen, persona, status):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(page_url()).status_code == status


def test_api_returns_the_measures(as_user, manager, case):
    response = as_user(manager).get(
        "/api/v1/complaints/measures?date_from=2026-02-01&date_to=2026-03-31"
    )
    assert response.status_code == 200
    item = response.json()["items"][0]["measures"]
    assert item["opened"] == 4
    assert item["sla_compliance"]["first_response"] == pytest.approx(2 / 3)
    assert item["regulator_per_10k"] == pytest.approx(2500.0)
    assert item["recovery_cost"] == "70.00"
    levels = {e["level"]: e for e in item["escalation"]}
    assert (levels["local"]["escalated"], levels["local"]["entered"]) == (1, 3)


def test_api_no_data_is_null(as_user, manager, frozen):
    response = as_user(manager).get(
        "/api/v1/complaints/measures?date_from=2025-01-01&date_to=2025-01-31"
    )
    item = response.json()["items"][0]["measures"]
    assert item["sla_compliance"]["first_response"] is None
    assert item["reopen_rate"] is None


def test_api_refuses_agents_and_bad_groupings(as_user, agent, manager, frozen):
    url = "/api/v1/complaints/measures?date_from=2026-02-01&date_to=2026-03-31"
    assert as_user(agent).get(url).status_code == 403
    assert as_user(manager).get(url + "&by=week,month").status_code == 422


@pytest.mark.parametrize("by", [(), ("level",), ("team", "agent"), ("tier",)])
def test_the_sla_counts_kept_compiled_equal_the_orms(case, by):
    """The dashboard's and scorecard's clock counts (every level, no week or month) are read
    through statements compiled once (``measures.*_READ``): the same rows as the ORM's reads,
    and kept, not refused."""
    from yuqi.complaints import measures as m
    from yuqi.core.clock import day_start, now

    columns = ("kind", "phase", *sorted(m._COLUMNS[key] for key in by))
    start, end = day_start(FEB), day_start(MAR_END)
    until = min(end, now())
    assert len(m.LATE_COUNTS_READ.rows(columns, start=start, until=until)) >= 1
    for read, values in (
        (m.LATE_COUNTS_READ, {"start": start, "until": until}),
        (m.STORED_COUNTS_READ, {"start": start, "end": end}),
        (m.LONGEST_UNSTORED_READ, {"end": end}),
        (m.OVERDUE_NOW_READ, {"moment": now()}),
    ):
        shape = () if read in (m.LONGEST_UNSTORED_READ, m.OVERDUE_NOW_READ) else (columns,)
        orm = read.build(*shape, **values)
        assert sorted(map(repr, read.rows(*shape, **values))) == sorted(map(repr, orm))
        assert all(read.kept().values())
    assert m.open_overdue_now() == m.open_overdue_now(level="") == 1

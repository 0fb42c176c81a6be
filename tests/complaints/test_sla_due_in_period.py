"""SLA compliance by the book: the clocks *due in the period* (their target fell in it), not
the clocks of the complaints opened in it, and the same figure on the service measures page,
its API, its download and the scorecard.

The case, on the default calendar:

* A, local, opened Sat 28 Feb 17:00 (a working Saturday, 调休). Its first-response target
  (4 business hours) falls on Mon 2 March; acknowledged Mon 2 March 09:05, before it:
  **met, due in March**. Its resolution target (3 working days) falls in March too; it is
  still open on 10 March: **breached now, due in March**.
* B, local, opened Mon 9 Feb 10:00 and acknowledged at 10:30: first response met in February.
* C, local, opened on "now" (Tue 10 March 10:00): nothing due yet, nothing counted.

By the complaints opened, February would hold A's and B's clocks; by the book February holds
B's two (its first response met; its resolution target, 12 Feb, passed unanswered: 1 of 2)
and March A's two (1 of 2, one open and overdue).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from tests.complaints.factories import open_complaint, sh
from yuqi.complaints import services as s
from yuqi.complaints.measure_sources import sla_compliance
from yuqi.complaints.measures import clocks_due_between, complaint_measures, open_overdue_now
from yuqi.complaints.models import SlaClock

pytestmark = pytest.mark.django_db

FEB = (date(2026, 2, 1), date(2026, 2, 28))
MAR = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def case(frozen, outbox, supervisor):
    frozen.set(sh(2026, 2, 9, 10))
    b = open_complaint(by=supervisor)
    frozen.set(sh(2026, 2, 9, 10, 30))
    s.complaint_transition(
        complaint=b, target="acknowledged", by=supervisor, expected_version=b.version
    )
    frozen.set(sh(2026, 2, 28, 17))
    a = open_complaint(by=supervisor)
    frozen.set(sh(2026, 3, 2, 9, 5))
    a = s.complaint_transition(
        complaint=a, target="acknowledged", by=supervisor, expected_version=a.version
    )
    frozen.set(sh(2026, 3, 10, 10))
    c = open_complaint(by=supervisor)
    return {"a": a, "b": b, "c": c}


def _clock(ticket, kind):
    return SlaClock.objects.get(complaint=ticket, kind=kind)


def test_the_case_is_what_the_docstring_says(case):
    first = _clock(case["a"], "first_response")
    assert (first.phase, first.state, first.due_at) == ("stopped", "met", None)
    resolution = _clock(case["a"], "resolution")
    assert resolution.phase == "running"
    assert sh(2026, 3, 1) < resolution.due_at < sh(2026, 3, 10)
    assert _clock(case["b"], "resolution").due_at < sh(2026, 3, 1)


def test_clocks_count_in_the_period_their_target_fell_in(case):
    (feb,) = complaint_measures(date_from=FEB[0], date_to=FEB[1])
    (mar,) = complaint_measures(date_from=MAR[0], date_to=MAR[1])
    m = feb.measures
    assert m.opened == 2  # A and B were opened in February …
    assert (m.clocks_met["first_response"], m.clocks_due("first_response")) == (1, 1)  # … B's
    assert (m.clocks_met["resolution"], m.clocks_due("resolution")) == (0, 1)  # B's, overdue
    assert m.sla_compliance() == pytest.approx(1 / 2)
    m = mar.measures
    assert m.opened == 1  # C, whose clocks are not due yet
    assert (m.clocks_met["first_response"], m.clocks_due("first_response")) == (1, 1)  # A's
    assert (m.clocks_met["resolution"], m.overdue("resolution")) == (0, 1)  # A's, open
    assert m.sla_compliance() == pytest.approx(1 / 2)
    assert m.overdue() == 1
    assert open_overdue_now() == 2  # A's and B's resolution clocks, whatever the period


def test_a_met_clock_counts_by_its_target_not_by_its_stop(case, frozen, supervisor):
    frozen.set(sh(2026, 2, 28, 17, 10))
    d = open_complaint(by=supervisor)
    frozen.set(sh(2026, 2, 28, 17, 30))  # answered on Saturday; the target was on Monday
    s.complaint_transition(
        complaint=d, target="acknowledged", by=supervisor, expected_version=d.version
    )
    frozen.set(sh(2026, 3, 10, 10))
    monday = clocks_due_between(date(2026, 3, 2), date(2026, 3, 2))
    assert monday[()]["n_first_response_met"] == 2  # A's and D's
    saturday = clocks_due_between(date(2026, 2, 28), date(2026, 2, 28))
    assert saturday == {}


def test_grouped_by_month_a_clock_sits_in_the_month_of_its_target(case):
    rows = complaint_measures(date_from=FEB[0], date_to=MAR[1], by=["month"])
    assert [(r.labels["month"], r.measures.opened, r.measures.clocks_due()) for r in rows] == [
        ("2026-02", 2, 2),
        ("2026-03", 1, 2),
    ]
    (total,) = complaint_measures(date_from=FEB[0], date_to=MAR[1])
    assert total.measures.clocks_due() == 4
    assert total.measures.sla_compliance() == pytest.approx(2 / 4)


def test_a_clock_not_yet_at_its_target_is_not_counted(case):
    (today,) = complaint_measures(date_from=date(2026, 3, 10), date_to=date(2026, 3, 10))
    assert today.measures.opened == 1
    assert today.measures.clocks_due() == 0
    assert today.measures.sla_compliance() is None


def test_a_paused_clock_counts_once_it_is_past_its_target(case, frozen, supervisor):
    a = case["a"]
    a = s.complaint_transition(
        complaint=a, target="waiting_customer", by=supervisor, expected_version=a.version
    )
    resolution = _clock(a, "resolution")
    assert resolution.phase == "paused"
    assert resolution.due_at is not None  # it ran past its target before it was paused
    (mar,) = complaint_measures(date_from=MAR[0], date_to=MAR[1])
    assert mar.measures.overdue("resolution") == 1


def test_scorecard_page_and_api_agree(case, as_user, manager):
    reading = sla_compliance(*MAR)
    assert reading.value == pytest.approx(0.5)
    assert reading.n == 2
    assert "1 of 2 clocks due met" in reading.note
    assert "2 open and overdue now" in reading.note
    client = as_user(manager)
    query = "date_from=2026-03-01&date_to=2026-03-31"
    api = client.get(f"/api/v1/complaints/measures?{query}").json()
    assert api["items"][0]["measures"]["sla_compliance_all"] == pytest.approx(0.5)
    assert api["items"][0]["measures"]["clocks_due"] == 2
    assert api["items"][0]["measures"]["open_and_overdue"] == 1
    assert api["open_and_overdue_now"] == 2
    page = client.get(f"{reverse('complaints:measures')}?{query}").content.decode()
    assert 'data-overdue-now="2"' in page
    assert "Open and overdue now, whatever the period: 2 clocks." in page


def test_scorecard_says_no_data_only_when_no_clock_was_due(case):
    reading = sla_compliance(date(2026, 1, 1), date(2026, 1, 31))
    assert reading.value is None
    assert reading.reason == "No complaint clock had its target in this period."


# --- the met clock's stored target ---------------------------------------------------------


def _every_count() -> list:
    """Every grouping the counts answer, over the case's two months and the Monday of A's
    target."""
    ranges = [FEB, MAR, (FEB[0], MAR[1]), (date(2026, 3, 2), date(2026, 3, 2))]
    groupings = [(), ("month",), ("week",), ("level",), ("team",), ("agent",), ("tier",)]
    return [clocks_due_between(a, b, by=by) for a, b in ranges for by in groupings]


def test_a_met_clock_keeps_the_target_it_had_when_it_stopped(case):
    from yuqi.complaints import outbound
    from yuqi.complaints.clocks import met_target

    met = SlaClock.objects.filter(phase="stopped", state="met")
    assert met.count() == 2  # A's and B's first responses
    for clock in met:
        calendar = outbound.calendar_for(team_id=clock.complaint.team_id)
        assert clock.met_target_at == met_target(
            calendar,
            stopped_at=clock.stopped_at,
            target_seconds=clock.target_seconds,
            elapsed_seconds=clock.elapsed_seconds,
            basis=clock.basis,
        )
    first = _clock(case["a"], "first_response")
    assert first.met_target_at == sh(2026, 3, 2, 12)  # 4 business hours from Saturday 17:00
    assert (
        not SlaClock.objects.exclude(phase="stopped", state="met")
        .exclude(met_target_at=None)
        .exists()
    )  # only met clocks keep one


def test_counts_from_stored_targets_equal_the_targets_computed_on_read(case, frozen, supervisor):
    frozen.set(sh(2026, 2, 28, 17, 10))
    d = open_complaint(by=supervisor)
    frozen.set(sh(2026, 2, 28, 17, 30))
    s.complaint_transition(
        complaint=d, target="acknowledged", by=supervisor, expected_version=d.version
    )
    frozen.set(sh(2026, 3, 10, 10))
    monday = clocks_due_between(date(2026, 3, 2), date(2026, 3, 2))
    assert monday[()]["n_first_response_met"] == 2  # A's and D's
    stored = _every_count()
    # clocks written before the column: their targets are computed when the counts are read
    SlaClock.objects.update(met_target_at=None)
    assert _every_count() == stored
    SlaClock.objects.filter(complaint=case["a"]).update(met_target_at=None)  # some of each
    assert _every_count() == stored


def test_the_hourly_job_fills_the_targets_of_clocks_stopped_before_the_column(case):
    from yuqi.complaints.clocks import fill_met_targets
    from yuqi.complaints.tasks import fill_met_targets as job

    kept = dict(SlaClock.objects.values_list("pk", "met_target_at"))
    stored = _every_count()
    SlaClock.objects.update(met_target_at=None)  # as an upgrade across 0007 leaves them
    assert fill_met_targets(batch_size=1) == 2  # A's and B's met clocks, one a batch
    assert dict(SlaClock.objects.values_list("pk", "met_target_at")) == kept
    assert _every_count() == stored
    assert fill_met_targets() == 0  # nothing left
    assert job.call() == "filled 0 met clocks' targets"


def test_the_scorecards_opened_counts_are_the_measures_pages_total_row(case, supervisor):
    from yuqi.complaints.measures import opened_measures

    for first, last in [FEB, MAR, (FEB[0], MAR[1]), (date(2026, 1, 1), date(2026, 1, 31))]:
        (total,) = complaint_measures(date_from=first, date_to=last)
        alone = opened_measures(date_from=first, date_to=last)
        fields = ("opened", "regulator", "customers", "resolved_once", "reopened")
        assert [getattr(alone, f) for f in fields] == [getattr(total.measures, f) for f in fields]
        assert alone.recovery_cost_total == total.measures.recovery_cost_total
        assert alone.recovery_cost_per_complaint == total.measures.recovery_cost_per_complaint
        assert alone.regulator_per_10k == total.measures.regulator_per_10k
    assert opened_measures(date_from=FEB[0], date_to=FEB[1]).opened == 2

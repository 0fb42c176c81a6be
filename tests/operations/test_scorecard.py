"""The balanced scorecard: default measures, values, status colours, trends, "no data yet"."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory
from yuqi.core.clock import day_start
from yuqi.operations.models import ScorecardMeasure, SegmentSnapshot
from yuqi.operations.scorecard.selectors import (
    MEASURE_CODES,
    Period,
    measure_status,
    measure_trend,
    measure_value,
    month_period,
    previous_period,
    scorecard,
)

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
SEPTEMBER = Period(date(2026, 9, 1), date(2026, 9, 30))
NO_DATA_YET = (
    "recovery_cost_per_contact",
    "satisfaction",
    "nps",
    "ces",
    "expectation_achievement",
    "regulator_appeals_per_10k",
    "complaint_sla_compliance",
    "promise_kept_on_time",
    "roster_adherence",
    "training_hours",
    "qa_score",
    "knowledge_use",
)


@pytest.mark.django_db
def test_the_default_measures_cover_four_perspectives_with_names_in_both_languages():
    measures = ScorecardMeasure.objects.all()
    assert {m.code for m in measures} == set(MEASURE_CODES)
    assert {m.perspective for m in measures} == {"financial", "customer", "operations", "learning"}
    assert all(m.name and m.name_en for m in measures)
    targets = {m.code: m.target for m in measures}
    assert targets["service_level"] == Decimal("0.80")
    assert targets["answer_rate"] == Decimal("0.90")
    assert targets["fcr"] == Decimal("0.75")
    assert ScorecardMeasure.objects.get(code="churn_rate").direction == "lower"


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        (0.85, "higher", "green"),
        (0.80, "higher", "green"),  # on target is green
        (0.75, "higher", "amber"),
        (0.70, "higher", "amber"),
        (0.69, "higher", "red"),
        (0.03, "lower", "green"),
        (0.08, "lower", "amber"),
        (0.12, "lower", "red"),
    ],
)
def test_status_colour_follows_target_warning_and_direction(value, direction, expected):
    target, warning = (0.80, 0.70) if direction == "higher" else (0.05, 0.10)
    assert measure_status(value, target=target, warning=warning, direction=direction) == expected


def test_status_without_warning_target_or_value():
    assert measure_status(0.75, target=0.80, warning=None, direction="higher") == "red"
    assert measure_status(0.75, target=None, warning=None, direction="higher") == "none"
    assert measure_status(None, target=0.80, warning=0.70, direction="higher") == "nodata"


def test_trend_is_better_or_worse_by_direction():
    assert measure_trend(0.8, 0.7, direction="higher").better is True
    assert measure_trend(0.08, 0.05, direction="lower").better is False
    assert measure_trend(0.08, 0.05, direction="lower").arrow == "up"
    assert measure_trend(0.5, 0.5, direction="higher").arrow == "flat"
    assert measure_trend(None, 0.5, direction="higher") is None


def test_periods_are_calendar_months_cut_at_today():
    today = date(2026, 11, 24)
    assert month_period(today, today=today) == Period(date(2026, 11, 1), today)
    assert month_period(date(2026, 10, 5), today=today) == OCTOBER
    assert previous_period(OCTOBER) == SEPTEMBER
    assert previous_period(Period(date(2026, 1, 1), date(2026, 1, 31))).start == date(2025, 12, 1)


def calls_in(day: date, *, answered_in_time: int, late: int, abandoned: int, resolved: int):
    moment = day_start(day) + timedelta(hours=10)
    for i in range(answered_in_time):
        InteractionFactory(arrived_at=moment, wait_seconds=5, first_contact_resolved=i < resolved)
    for _ in range(late):
        InteractionFactory(arrived_at=moment, wait_seconds=120, first_contact_resolved=False)
    for _ in range(abandoned):
        InteractionFactory(arrived_at=moment, wait_seconds=60, abandoned=True, answered_at=None)


@pytest.mark.django_db
def test_operations_measures_come_from_the_interactions():
    calls_in(date(2026, 10, 14), answered_in_time=6, late=2, abandoned=2, resolved=6)
    assert measure_value("service_level", OCTOBER).value == pytest.approx(0.6)
    assert measure_value("answer_rate", OCTOBER).value == pytest.approx(0.8)
    assert measure_value("fcr", OCTOBER).value == pytest.approx(0.75)  # 6 of 8 flagged


@pytest.mark.django_db
def test_a_month_without_contacts_has_no_service_level_rather_than_zero():
    result = measure_value("service_level", SEPTEMBER)
    assert result.value is None
    assert result.reason


@pytest.mark.django_db
def test_customer_counts():
    CustomerFactory(joined_on=date(2020, 1, 1))
    CustomerFactory(joined_on=date(2026, 10, 3))
    CustomerFactory(joined_on=date(2026, 10, 20))
    CustomerFactory(joined_on=date(2026, 11, 2))
    CustomerFactory(joined_on=date(2020, 1, 1), status="closed")
    assert measure_value("customers", OCTOBER).value == 3
    assert measure_value("new_customers", OCTOBER).value == 2
    assert measure_value("new_customers", SEPTEMBER).value == 0  # a real zero


@pytest.mark.django_db
def test_retention_and_churn_from_the_pyramid_snapshots():
    assert measure_value("retention_rate", OCTOBER).value is None
    assert "snapshot" in measure_value("retention_rate", OCTOBER).reason
    people = CustomerFactory.create_batch(5)
    before = ["low", "low", "top", "inactive", "potential"]
    after = ["low", "inactive", "top", "low", "potential"]
    for person, b, a in zip(people, before, after, strict=True):
        SegmentSnapshot.objects.create(month=date(2026, 9, 1), customer=person, segment=b)
        SegmentSnapshot.objects.create(month=date(2026, 10, 1), customer=person, segment=a)
    # Active in September: 4 (all but the inactive one); still active in October: 3.
    assert measure_value("retention_rate", OCTOBER).value == pytest.approx(0.75)
    assert measure_value("churn_rate", OCTOBER).value == pytest.approx(0.25)


@pytest.mark.django_db
@pytest.mark.parametrize("code", NO_DATA_YET)
def test_measures_without_data_say_so(code):
    result = measure_value(code, OCTOBER)
    assert result.value is None
    assert result.reason


@pytest.mark.django_db
def test_the_scorecard_groups_lines_by_perspective_with_status_and_trend():
    calls_in(date(2026, 10, 14), answered_in_time=9, late=1, abandoned=0, resolved=9)
    calls_in(date(2026, 9, 14), answered_in_time=5, late=5, abandoned=0, resolved=5)
    card = scorecard(period=OCTOBER)
    assert [block.perspective for block in card.perspectives] == [
        "financial", "customer", "operations", "learning",
    ]  # fmt: skip
    lines = {line.code: line for line in card.lines}
    assert lines["service_level"].value == pytest.approx(0.9)
    assert lines["service_level"].status == "green"
    assert lines["service_level"].trend.better is True
    assert lines["service_level"].display == "90.0%"
    assert lines["service_level"].delta_display == "+40.0 pp"
    assert lines["nps"].status == "nodata"
    assert lines["nps"].display == ""
    assert lines["customers"].status == "none"  # no target set by default


@pytest.mark.django_db
def test_disabled_measures_are_left_out():
    ScorecardMeasure.objects.filter(code="nps").update(enabled=False)
    assert "nps" not in {line.code for line in scorecard(period=OCTOBER).lines}


@pytest.mark.django_db
def test_coaching_is_a_count_of_notes_zero_when_none_were_written():
    # registered by the quality context: a count, so 0 notes is a value, not "no data"
    measure = ScorecardMeasure.objects.get(code="coaching_done")
    assert (measure.unit, measure.target) == ("", None)
    assert measure_value("coaching_done", OCTOBER).value == 0.0


@pytest.mark.django_db
def test_the_scorecard_runs_one_kpi_query_per_period(django_assert_max_num_queries):
    # every registered source adds its own fixed queries (surveys, complaints, commitments,
    # quality, knowledge), two periods each; none grows with the rows
    # one query or two per registered measure source (the improvement context added one);
    # retention and churn share their snapshot counts, the service measures and the SLA
    # compliance share their clock counts, and no agent states are summed (no occupancy);
    # the KPI totals of both periods come from one query grouped by month (one "as of"), the
    # customer counts of both from one query, the snapshot counts of both from one, and the
    # complaint measures read the customer base once; roster adherence reads its data
    # version first (its report is cached under it), once per period; the snapshot counts
    # read the snapshots' data version first (they are cached under it), once; the survey
    # headlines read the surveys' data version first (cached under it), once
    with django_assert_max_num_queries(53):
        scorecard(period=OCTOBER)


@pytest.mark.django_db
def test_the_scorecard_kpis_are_the_kpi_tables_figures():
    from yuqi.domain.kpi import HEADLINE_SCOPE, scope_channels
    from yuqi.operations.kpi.selectors import kpi_table

    calls_in(date(2026, 10, 14), answered_in_time=7, late=2, abandoned=1, resolved=6)
    lines = {line.code: line for line in scorecard(period=OCTOBER).lines}
    full = kpi_table(
        date_from=OCTOBER.start, date_to=OCTOBER.end, channels=scope_channels(HEADLINE_SCOPE)
    )[0].values
    for code in ("service_level", "answer_rate", "fcr"):
        assert lines[code].value == pytest.approx(float(getattr(full, code)), abs=0)
    assert lines["answer_rate"].value == pytest.approx(0.9)


@pytest.mark.django_db
def test_retention_and_churn_read_the_snapshots_once_per_period(django_assert_num_queries):
    from yuqi.core.measures import reading_scope

    people = [CustomerFactory() for _ in range(5)]
    before = ["low", "low", "top", "inactive", "potential"]
    after = ["low", "inactive", "top", "low", "potential"]
    for person, b, a in zip(people, before, after, strict=True):
        SegmentSnapshot.objects.create(month=date(2026, 9, 1), customer=person, segment=b)
        SegmentSnapshot.objects.create(month=date(2026, 10, 1), customer=person, segment=a)
    with reading_scope():
        retention = measure_value("retention_rate", OCTOBER)
        with django_assert_num_queries(0):
            churn = measure_value("churn_rate", OCTOBER)
    assert retention.value == pytest.approx(0.75)  # the same figures as read one by one
    assert churn.value == pytest.approx(0.25)

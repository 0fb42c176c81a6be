"""The benchmark page reads our KPIs of its calendar-month periods in one query grouped by
month per scope; each figure and n equals that period's own total read alone (rollups built
or not), including a month without contacts and a period that is not a calendar month."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.insights.factories import PeerCentreFactory, PeerValueFactory
from tests.interactions.factories import InteractionFactory
from yuqi.insights.selectors import OWN_KPI_FIELDS, benchmark_report, our_readings
from yuqi.interactions.rollups import rollups_rebuild

pytestmark = pytest.mark.django_db

MONTHS = [
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2026, 4, 1), date(2026, 4, 30)),  # no contacts
    (date(2026, 5, 1), date(2026, 5, 31)),
    (date(2026, 6, 1), date(2026, 6, 30)),
]
ODD = (date(2026, 5, 10), date(2026, 6, 9))  # not a calendar month


def _contacts() -> None:
    for month, (start, end) in enumerate((MONTHS[0], MONTHS[2], MONTHS[3])):
        for day in (start, end):
            base = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)
            for n in range(3 + month):
                InteractionFactory(
                    arrived_at=base + timedelta(minutes=9 * n),
                    wait_seconds=4 + 11 * n,
                    first_contact_resolved=n % 2 == 0,
                    channel="phone" if n % 3 else "email",
                )
            InteractionFactory(
                arrived_at=base + timedelta(hours=2),
                answered_at=None,
                abandoned=True,
                wait_seconds=35,
                talk_seconds=0,
                wrap_seconds=0,
                agent=None,
            )
    # the last evening of May in UTC is June 1st in Shanghai
    InteractionFactory(arrived_at=datetime(2026, 5, 31, 17, 0, tzinfo=UTC))


def _peers() -> None:
    peer = PeerCentreFactory(name="甲")
    for indicator in OWN_KPI_FIELDS:
        for scope in ("voice", "all"):
            for start, end in [*MONTHS, ODD]:
                PeerValueFactory(
                    peer=peer,
                    indicator=indicator,
                    scope=scope,
                    period_start=start,
                    period_end=end,
                    value=Decimal("0.5000"),
                )


@pytest.mark.parametrize("built", [False, True])
def test_each_periods_figure_is_its_own_total(built):
    _contacts()
    _peers()
    if built:
        rollups_rebuild()
    report = benchmark_report(period_from=date(2026, 1, 1), period_to=date(2026, 6, 30))
    checked = 0
    for item in report.indicators:
        if item.indicator not in OWN_KPI_FIELDS:
            continue
        for period, ours in zip(item.periods, item.ours_by_period, strict=True):
            alone = our_readings(period.start, period.end, scope=item.scope)[item.indicator]
            assert ours == alone.value, (item.indicator, item.scope, period)
            checked += 1
        latest = item.periods[-1]
        alone = our_readings(latest.start, latest.end, scope=item.scope)[item.indicator]
        assert item.ours_n == (alone.n if alone.value is not None else None)
    assert checked == len(OWN_KPI_FIELDS) * 2 * 5
    may = next(i for i in report.indicators if i.indicator == "answer_rate" and i.scope == "all")
    assert may.ours_by_period[1] is None  # April: no contacts, as its own read says
    assert may.ours_by_period[2] is not None


def test_the_kpi_reads_do_not_grow_with_the_periods():
    _contacts()
    _peers()
    rollups_rebuild()
    with CaptureQueriesContext(connection) as captured:
        benchmark_report(period_from=date(2026, 1, 1), period_to=date(2026, 6, 30))
    # the months are summed from the rollups' day rows (``ContactDayRollup``)
    kpi_reads = [
        q
        for q in captured.captured_queries
        if "contactrollup" in q["sql"] or "contactdayrollup" in q["sql"]
    ]
    # per scope: one grouped read of the months, April (no contacts) and the odd period alone
    assert len(kpi_reads) == 2 * 3

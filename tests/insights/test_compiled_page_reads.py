"""The evaluation and benchmarks pages' reads kept compiled (``CompiledRead``) answer what the
ORM reads they replaced answer, and are kept (not refused); the evaluation table's expectation
links, reversed once per request, are the ones ``{% url %}`` writes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import Max
from django.template import Context
from django.urls import reverse

from tests.insights.factories import (
    MAY_END,
    MAY_START,
    ExpectationFactory,
    OfferingFactory,
    OurOfferingFactory,
    PeerOfferingFactory,
    PeerValueFactory,
)
from yuqi.insights import evaluation, levels, register_views, selectors
from yuqi.insights.models import (
    EvaluationRun,
    Evidence,
    ExpectationOrigin,
    IndicatorTarget,
    Offering,
    OurOffering,
    PeerIndicatorValue,
    PeerOffering,
)
from yuqi.insights.templatetags.evaluation_table import expectation_link

pytestmark = pytest.mark.django_db

READS = [
    register_views._LATEST_RUN_READ,
    register_views._RECENT_RUNS_READ,
    register_views._RUN_ROWS_READ,
    levels._SURVEY_EVIDENCE_READ,
    levels._ORIGINS_READ,
    selectors._LATEST_PEER_PERIOD_READ,
    selectors._TARGETS_READ,
    selectors._PEER_VALUES_READ,
    selectors._PEER_HOLDINGS_READ,
    selectors._OUR_OFFERINGS_READ,
    selectors._OFFERINGS_READ,
]


@pytest.fixture(autouse=True)
def _compile_afresh():
    for read in READS:
        read.forget()
    yield
    for read in READS:
        read.forget()


def _kept(read) -> None:
    assert read.kept()
    assert all(read.kept().values()), read.kept()


def test_evaluation_reads_equal_the_orm():
    first = ExpectationFactory(code="fast-answer")
    ExpectationFactory(code="callback")
    ExpectationOrigin.objects.create(expectation=first, origin="promise", at=first.created_at)
    ExpectationOrigin.objects.create(expectation=first, origin="advertising", at=first.created_at)
    Evidence.objects.create(
        expectation=first,
        source="survey",
        key="tangibles",
        summary={"expectation": 5.2, "gap": 1.1, "ci_low": 0.8, "ci_high": 1.4, "n": 120},
        period_start=MAY_START,
        period_end=MAY_END,
        collected_at="2026-06-01T12:00:00Z",
    )
    for _ in range(2):
        evaluation.evaluation_run(period_start=MAY_START, period_end=MAY_END, collect=False)
    latest = EvaluationRun.objects.order_by("-started_at", "-id").first()
    assert register_views._LATEST_RUN_READ.objects() == [latest]
    recent = register_views._RECENT_RUNS_READ.objects()
    assert recent == list(EvaluationRun.objects.order_by("-started_at")[:12])
    assert [(r.period_end, r.get_status_display()) for r in recent] == [
        (r.period_end, r.get_status_display())
        for r in EvaluationRun.objects.order_by("-started_at")
    ]
    rows = register_views._RUN_ROWS_READ.objects(run_id=latest.pk)
    expected = list(latest.rows.order_by("position"))
    assert [r.pk for r in rows] == [r.pk for r in expected]
    assert [r.sources for r in rows] == [r.sources for r in expected]
    assert levels.levels() == levels.levels(ids=[first.pk, first.pk + 1])
    assert levels.levels()[first.pk].over_served
    assert {k: [o.pk for o in v] for k, v in levels.origins().items()} == {
        first.pk: [o.pk for o in first.origins.order_by("origin")]
    }
    for read in READS[:5]:
        _kept(read)


def test_benchmark_reads_equal_the_orm():
    assert selectors.default_range()[1] is not None  # no peer values: this month
    PeerValueFactory(value=Decimal("0.9100"))
    PeerValueFactory(period_start=date(2026, 4, 1), period_end=date(2026, 4, 30))
    IndicatorTarget.objects.create(indicator="answer_rate", target=Decimal("0.9500"))
    PeerOfferingFactory(offering=OfferingFactory(code="callback"))
    OurOfferingFactory(offering=OfferingFactory(code="web-chat"))
    latest = PeerIndicatorValue.objects.aggregate(end=Max("period_end"))["end"]
    assert selectors._LATEST_PEER_PERIOD_READ.rows() == [(latest,)]
    assert selectors.default_range()[1] == latest
    assert selectors._targets() == {"answer_rate": 0.95}
    for start, end in [(MAY_START, MAY_END), (date(2026, 1, 1), MAY_END)]:
        assert selectors._PEER_VALUES_READ.rows(period_from=start, period_to=end) == list(
            selectors._peer_values(period_from=start, period_to=end)
        )
    assert selectors._PEER_HOLDINGS_READ.rows() == list(
        PeerOffering.objects.values_list("peer__name", "offering__code")
    )
    assert selectors._OUR_OFFERINGS_READ.rows() == [("web-chat",)]
    assert selectors._OFFERINGS_READ.objects() == list(Offering.objects.all())
    table = selectors.offering_table()
    assert [r.code for r in table.they_have] == ["callback"]
    assert [r.code for r in table.we_have] == ["web-chat"]
    assert OurOffering.objects.count() == 1
    for read in READS[5:]:
        _kept(read)


@pytest.mark.parametrize("with_request", [True, False])
def test_expectation_links_are_the_reversed_urls(with_request):
    context = Context({"request": SimpleNamespace()} if with_request else {})
    for pk in (1, 42, 987_654_321, 10**12):
        assert expectation_link(context)(pk) == reverse("insights:expectation", args=[pk])

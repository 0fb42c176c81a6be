"""The benchmark report: our value from the KPI engine for the same period, peers' spread."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from tests.insights.factories import (
    MAY_END,
    MAY_START,
    OurOfferingFactory,
    PeerCentreFactory,
    PeerOfferingFactory,
    PeerValueFactory,
)
from tests.interactions.factories import InteractionFactory
from yuqi.insights import facade
from yuqi.insights.models import IndicatorTarget
from yuqi.insights.selectors import benchmark_report, offering_table

pytestmark = pytest.mark.django_db


def calls_in_may(*, answered: int, abandoned: int) -> None:
    moment = datetime(2026, 5, 12, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    for n in range(answered):
        InteractionFactory(arrived_at=moment + timedelta(minutes=n))
    for n in range(abandoned):
        InteractionFactory(
            arrived_at=moment + timedelta(hours=1, minutes=n),
            answered_at=None,
            abandoned=True,
            wait_seconds=40,
            talk_seconds=0,
            wrap_seconds=0,
            agent=None,
        )


def report():
    return benchmark_report(period_from=date(2026, 1, 1), period_to=date(2026, 6, 30))


def item(code: str):
    return next(i for i in report().indicators if i.indicator == code)


def test_our_answer_rate_comes_from_the_kpi_engine_for_the_peer_period():
    calls_in_may(answered=3, abandoned=1)
    PeerValueFactory(peer=PeerCentreFactory(name="甲"), value=Decimal("0.80"))
    PeerValueFactory(peer=PeerCentreFactory(name="乙"), value=Decimal("0.90"))
    IndicatorTarget.objects.create(indicator="answer_rate", target=Decimal("0.85"))
    answer = item("answer_rate")
    assert answer.ours == pytest.approx(0.75)
    assert answer.position.percentile == 0.0
    assert answer.position.rank == 3
    assert answer.position.gap_to_best == pytest.approx(0.15)
    assert answer.position.gap_to_target == pytest.approx(0.10)


def test_lower_is_better_for_abandon_rate():
    calls_in_may(answered=3, abandoned=1)  # abandon rate 0.25
    PeerValueFactory(indicator="abandon_rate", value=Decimal("0.30"))
    PeerValueFactory(indicator="abandon_rate", value=Decimal("0.05"))
    abandon = item("abandon_rate")
    assert abandon.position.percentile == pytest.approx(0.5)
    assert abandon.position.gap_to_best == pytest.approx(0.20)


def test_satisfaction_without_csat_answers_has_no_value_of_ours_rather_than_zero():
    calls_in_may(answered=2, abandoned=0)
    PeerValueFactory(indicator="satisfaction", value=Decimal("90"))
    satisfaction = item("satisfaction")
    assert satisfaction.ours is None
    assert "CSAT" in satisfaction.ours_note
    assert satisfaction.position.percentile is None
    assert satisfaction.position.best == 90.0


def test_trend_over_months_reports_a_closing_gap():
    peer = PeerCentreFactory(name="甲")
    for month, value in ((3, "0.95"), (4, "0.95"), (5, "0.95")):
        start = date(2026, month, 1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        PeerValueFactory(peer=peer, period_start=start, period_end=end, value=Decimal(value))
    for month, answered, abandoned in ((3, 1, 1), (4, 3, 1), (5, 9, 1)):
        moment = datetime(2026, month, 10, 2, 0, tzinfo=UTC)
        for n in range(answered):
            InteractionFactory(arrived_at=moment + timedelta(minutes=n))
        for n in range(abandoned):
            InteractionFactory(
                arrived_at=moment + timedelta(hours=2, minutes=n),
                answered_at=None,
                abandoned=True,
                agent=None,
            )
    answer = item("answer_rate")
    assert [p.label for p in answer.periods] == ["2026-03", "2026-04", "2026-05"]
    assert answer.ours_by_period == pytest.approx((0.5, 0.75, 0.9))
    assert answer.trend.status == "closing"


def test_periods_outside_the_range_are_left_out():
    PeerValueFactory(period_start=date(2025, 5, 1), period_end=date(2025, 5, 31))
    assert report().indicators == ()


def test_offering_table_they_have_we_do_not():
    first, second = PeerCentreFactory(name="甲"), PeerCentreFactory(name="乙")
    callback = PeerOfferingFactory(peer=first, offering__code="callback").offering
    PeerOfferingFactory(peer=second, offering=callback)
    PeerOfferingFactory(peer=second, offering__code="video", offering__name="视频客服")
    OurOfferingFactory(offering__code="sms", offering__name="短信回访")
    table = offering_table()
    assert table.n_peers == 2
    assert [(r.code, r.peer_count) for r in table.they_have] == [("callback", 2), ("video", 1)]
    assert [(r.code, r.peers) for r in table.we_have] == [("sms", ("乙", "甲"))]


def test_facade_gives_gaps_as_frozen_facts():
    PeerValueFactory(value=Decimal("0.9"))
    gaps = facade.benchmark_gaps(period_from=MAY_START, period_to=MAY_END)
    assert [(g.indicator, g.n_peers, g.ours) for g in gaps] == [("answer_rate", 1, None)]


def test_a_voice_peer_figure_is_compared_with_our_voice_figure_only():
    # issue 15: e-mail waits (hours) must not enter a hotline ASA comparison
    calls_in_may(answered=2, abandoned=0)  # phone calls waiting the factory's seconds
    email = InteractionFactory(
        arrived_at=datetime(2026, 5, 12, 3, 0, tzinfo=UTC),
        channel="email",
        wait_seconds=36_000,
    )
    PeerValueFactory(indicator="asa_seconds", value=Decimal("18"), scope="voice")
    PeerValueFactory(indicator="asa_seconds", value=Decimal("7200"), scope="email")
    by_scope = {i.scope: i for i in report().indicators if i.indicator == "asa_seconds"}
    assert set(by_scope) == {"voice", "email"}
    assert by_scope["voice"].ours < 1000
    assert by_scope["email"].ours == pytest.approx(email.wait_seconds)
    assert by_scope["voice"].ours_n == 2
    assert by_scope["email"].ours_n == 1


def test_the_manager_can_narrow_our_value_to_queues():
    from tests.interactions.factories import QueueFactory

    calls_in_may(answered=3, abandoned=1)  # queue "general": 3 of 4 answered
    vip = QueueFactory(code="vip", name="VIP")
    InteractionFactory(arrived_at=datetime(2026, 5, 12, 4, 0, tzinfo=UTC), queue=vip)
    PeerValueFactory(value=Decimal("0.80"))
    assert item("answer_rate").ours == pytest.approx(4 / 5)
    narrowed = benchmark_report(
        period_from=date(2026, 1, 1), period_to=date(2026, 6, 30), queues=["general"]
    )
    answer = next(i for i in narrowed.indicators if i.indicator == "answer_rate")
    assert answer.ours == pytest.approx(0.75)
    assert answer.ours_n == 4


def test_our_satisfaction_and_ease_of_use_come_from_csat_and_ces():
    from tests.surveys.analysis_factories import SUBMITTED, load_small, make_survey

    survey = make_survey()
    load_small(survey)
    month = SUBMITTED.date().replace(day=1)
    end = date(2026, 11, 30)
    PeerValueFactory(
        indicator="satisfaction",
        value=Decimal("85"),
        period_start=month,
        period_end=end,
        scope="all",
    )
    PeerValueFactory(
        indicator="ease_of_use",
        value=Decimal("5.5"),
        period_start=month,
        period_end=end,
        scope="all",
    )
    found = benchmark_report(period_from=month, period_to=end)
    by_code = {i.indicator: i for i in found.indicators}
    assert by_code["satisfaction"].ours == pytest.approx(60.0)  # CSAT 3 of 5 top-2-box
    assert by_code["satisfaction"].ours_n == 5
    assert by_code["ease_of_use"].ours == pytest.approx(24 / 5)  # CES mean 4.8
    assert by_code["ease_of_use"].ours_n == 5

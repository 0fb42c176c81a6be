"""The one-call analysis of a complaint stores only masked text."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from yuqi.domain.text.analyse import analyse_complaint


def test_analysis_masks_first_and_fills_every_field():
    analysis = analyse_complaint(
        "我是13812345678的机主，話費無故多扣了，三天內退款50元，否则打12315！！",
        datetime(2026, 11, 25, 10, 30, tzinfo=UTC),
    )
    assert "13812345678" not in analysis.masked_text
    assert "138****5678" in analysis.masked_text
    assert analysis.category == "billing"
    refund = analysis.extraction.outcomes[0]
    assert (refund.kind, refund.amount) == ("refund", Decimal(50))
    assert analysis.extraction.wanted_time.deadline == datetime(
        2026, 11, 28, 23, 59, 59, tzinfo=UTC
    )
    assert "regulator" in analysis.signals.threat_kinds
    assert analysis.prediction is None

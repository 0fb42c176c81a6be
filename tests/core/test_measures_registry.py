from datetime import date

import pytest

from yuqi.core import measures
from yuqi.core.measures import MeasureReading, register_measure_source
from yuqi.operations.scorecard.selectors import Period, measure_value


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(measures, "_SOURCES", dict(measures._SOURCES))


@pytest.mark.django_db
def test_a_registered_source_feeds_the_scorecard_measure(clean_registry):
    seen = []

    def source(start, end):
        seen.append((start, end))
        return MeasureReading(0.9, n=12)

    register_measure_source("qa_score", source)
    value = measure_value("qa_score", Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert value.value == 0.9
    assert seen == [(date(2026, 11, 1), date(2026, 11, 30))]


@pytest.mark.django_db
def test_a_source_without_data_gives_its_reason(clean_registry):
    register_measure_source("training_hours", lambda s, e: MeasureReading(None, "no records"))
    value = measure_value("training_hours", Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert value.value is None
    assert value.reason == "no records"

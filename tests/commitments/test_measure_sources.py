"""Promise kept-on-time on the scorecard is the promise table's figure (issue 15 item 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.commitments.test_measures import FROM, TO, ledger  # noqa: F401
from yuqi.core.measures import measure_source
from yuqi.operations.scorecard.selectors import Period, measure_value

pytestmark = pytest.mark.django_db


def test_registered():
    assert measure_source("promise_kept_on_time") is not None


@pytest.mark.usefixtures("ledger")
def test_kept_on_time_rate_with_n_and_interval():
    got = measure_value("promise_kept_on_time", Period(FROM, TO))
    assert got.value == pytest.approx(0.6)  # 3 kept on time of 5 settled
    assert got.n == 5
    assert 0 < got.low < 0.6 < got.high < 1
    assert got.link == "/complaints/measures/?date_from=2026-03-09&date_to=2026-03-13#promises"


@pytest.mark.usefixtures("ledger")
def test_no_promise_due_no_data():
    got = measure_value("promise_kept_on_time", Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31)))
    assert got.value is None
    assert got.reason

"""Arrival forecast (weekday × interval profile with trend) and its back-test."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from yuqi.domain.forecast import ForecastError, backtest, forecast_arrivals, mape, wape

MONDAY = date(2025, 1, 6)
SLOTS = 48  # 30-minute intervals
WEEKDAY = np.array([1.4, 1.1, 1.0, 1.0, 0.95, 0.7, 0.0])  # closed on Sundays


def intraday() -> np.ndarray:
    """Open 08:00-22:00 (slots 16-43): a 10:00 peak and a 15:00 peak."""
    s = np.arange(SLOTS)
    shape = np.exp(-(((s - 20) / 5) ** 2)) + 0.6 * np.exp(-(((s - 30) / 4) ** 2))
    shape[:16] = 0
    shape[44:] = 0
    return shape / shape.sum()


def expected(days: np.ndarray, first: date = MONDAY, growth: float = 0.004) -> np.ndarray:
    weekday = (first.weekday() + days) % 7
    totals = 800 * (1 + growth * days) * WEEKDAY[weekday]
    return totals[:, None] * intraday()[None, :]


def test_weekly_pattern_with_trend_is_recovered():
    history = expected(np.arange(56))
    result = forecast_arrivals(history, first_day=MONDAY, horizon_days=14)
    truth = expected(np.arange(56, 70))
    assert result.first_day == date(2025, 3, 3)
    assert result.horizon_days == 14
    assert np.allclose(result.counts, truth, rtol=1e-6, atol=1e-9)
    assert result.weekday_factors[6] == 0  # Sunday stays closed
    assert result.trend_per_day > 0


def test_noisy_pattern_is_recovered_within_a_few_percent():
    rng = np.random.default_rng(7)
    history = rng.poisson(expected(np.arange(56)))
    result = forecast_arrivals(history, first_day=MONDAY, horizon_days=7)
    truth = expected(np.arange(56, 63))
    assert wape(truth, result.counts) < 0.05
    daily = np.asarray(result.daily_totals)
    assert np.allclose(daily, truth.sum(axis=1), rtol=0.05, atol=1)


def test_short_history_uses_level_without_trend():
    history = expected(np.arange(10), growth=0)
    result = forecast_arrivals(history, first_day=MONDAY, horizon_days=7)
    assert result.trend_per_day == 0
    assert np.allclose(result.counts, expected(np.arange(10, 17), growth=0), rtol=1e-6)


def test_weeks_limits_the_history_used():
    history = np.vstack([np.full((28, SLOTS), 50.0), expected(np.arange(28, 56), growth=0)])
    result = forecast_arrivals(history, first_day=MONDAY, horizon_days=7, weeks=4)
    assert result.history_days == 28
    assert np.allclose(result.counts, expected(np.arange(56, 63), growth=0), rtol=1e-6)


def test_zero_call_intervals_and_days_give_zero_forecasts():
    result = forecast_arrivals(expected(np.arange(28)), first_day=MONDAY, horizon_days=7)
    counts = np.asarray(result.counts)
    assert np.all(counts[:, :16] == 0)
    assert np.all(counts[:, 44:] == 0)
    assert np.all(counts[6] == 0)  # Sunday
    assert np.all(counts >= 0)


def test_all_zero_history_forecasts_zero():
    result = forecast_arrivals(np.zeros((21, SLOTS)), first_day=MONDAY, horizon_days=3)
    assert np.all(np.asarray(result.counts) == 0)


def test_falling_trend_never_forecasts_negative():
    history = expected(np.arange(28), growth=-0.03)  # falls to ~20 % in four weeks
    result = forecast_arrivals(history, first_day=MONDAY, horizon_days=28)
    assert np.all(np.asarray(result.counts) >= 0)


def test_backtest_on_exact_pattern_is_perfect():
    score = backtest(expected(np.arange(35)), first_day=MONDAY, holdout_weeks=1)
    assert score.holdout_first_day == date(2025, 2, 3)
    assert score.holdout_days == 7
    assert score.wape == pytest.approx(0, abs=1e-6)
    assert score.mape == pytest.approx(0, abs=1e-6)
    assert score.daily_mape == pytest.approx(0, abs=1e-6)


def test_backtest_reports_zero_intervals_apart():
    rng = np.random.default_rng(3)
    score = backtest(rng.poisson(expected(np.arange(42))), first_day=MONDAY, holdout_weeks=2)
    assert score.holdout_days == 14
    assert score.mape_intervals + score.zero_intervals == 14 * SLOTS
    assert score.zero_intervals >= 14 * 20  # nights and Sundays
    assert 0 < score.wape < 0.2
    assert score.daily_mape < 0.05  # daily totals are far steadier than intervals


def test_backtest_needs_a_week_before_the_holdout():
    with pytest.raises(ForecastError, match="needs 14 days"):
        backtest(np.ones((13, SLOTS)), first_day=MONDAY, holdout_weeks=1)


def test_wape_and_mape_by_hand():
    actual = [0, 10, 20, 0]
    predicted = [2, 12, 15, 0]
    # WAPE = (2 + 2 + 5 + 0) / 30; MAPE over the two non-zero points = (0.2 + 0.25) / 2.
    assert wape(actual, predicted) == pytest.approx(9 / 30)
    assert mape(actual, predicted) == (pytest.approx(0.225), 2)
    assert wape([0, 0], [1, 1]) is None  # nothing to divide by
    assert mape([0, 0], [1, 1]) == (None, 0)


@pytest.mark.parametrize(
    "history", [np.zeros((0, 4)), np.array([1.0, 2.0]), np.array([[1.0, -1.0]])]
)
def test_bad_history_is_refused(history):
    with pytest.raises(ForecastError):
        forecast_arrivals(history, first_day=MONDAY, horizon_days=1)


def test_unknown_method_is_refused():
    with pytest.raises(ForecastError, match="unknown forecast method"):
        forecast_arrivals(np.ones((14, 4)), first_day=MONDAY, horizon_days=1, method="prophet")

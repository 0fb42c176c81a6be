"""Arrival forecasts per interval of the day, and their back-test.

Input
-----
History is a matrix ``counts[d, s]``: contacts offered on day ``d`` (consecutive calendar
days, the first one given as ``first_day``) in interval ``s`` of that day (``S`` intervals
a day, e.g. 48 for 30 minutes). Days without any contact are rows of zeros and stay in the
matrix (a queue closed on Sundays *is* the pattern). Forecasts start the day after the last
day of history.

Methods
-------
``profile_trend`` (always available; NumPy only) — a weekday × interval-of-day profile on a
linear trend, i.e. a classical multiplicative decomposition of the daily totals
(Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., §3.4) followed
by an intraday split:

1. Daily totals ``T_d = Σ_s counts[d, s]``; only the last ``weeks`` weeks are used.
2. Weekday factors ``f_w`` and a linear level ``L(d) = a + b·d`` with ``T_d ≈ L(d)·f_w(d)``:
   start from ``f_w = mean(T on weekday w) / mean(T)``, fit ``L`` by least squares to the
   de-seasonalised totals ``T_d / f_w`` (days of a weekday with ``f_w = 0`` left out), then
   re-estimate ``f_w = mean(T_d / L(d))`` over the days of weekday ``w`` and refit, three
   rounds (the fixed point is reached to well under 1 % on real data). The factors are
   normalised to average 1 over the weekdays seen. With less than two weeks of history, or
   a level that is not positive over the history, the slope is 0 (level only), because a
   trend cannot be told apart from the weekly pattern on shorter series.
3. Intraday shape per weekday ``p_w(s) = Σ counts[d, s] / Σ T_d`` over the days of weekday
   ``w`` (all days pooled for a weekday absent from the history).
4. Forecast ``F[d, s] = max(0, L(d)) · f_w(d) · p_w(d)(s)``.

Assumptions: the weekly pattern and the intraday shape of each weekday are stable over the
window; the level changes linearly (extrapolated as is, so keep horizons short: days to a
few weeks); holidays and one-off events are not modelled (they fall into the averages).

Accuracy
--------
``backtest`` holds out the last ``k`` weeks, forecasts them from the history before and
compares. The headline measure is **WAPE** (weighted absolute percentage error,
``Σ|A − F| / ΣA``): it stays defined and meaningful when many intervals have zero calls.
**MAPE** (mean of ``|A − F| / A``) divides by each interval's actual count, so it is
undefined on zero-call intervals and explodes on intervals with one or two calls; it is
reported over the intervals with ``A > 0`` only (and their number), and over daily totals
(``daily_mape``), where zero days are rare and the measure is the familiar one.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

__all__ = [
    "METHODS",
    "PROFILE_TREND",
    "Backtest",
    "Forecast",
    "ForecastError",
    "available_methods",
    "backtest",
    "forecast_arrivals",
    "mape",
    "wape",
]

PROFILE_TREND = "profile_trend"
METHODS = (PROFILE_TREND,)

_ROUNDS = 3  # alternations of weekday factors and trend (see the module docstring)


class ForecastError(ValueError):
    """The history cannot support the forecast asked for (too short, bad shape, …)."""


@dataclass(frozen=True, slots=True)
class Forecast:
    """Forecast arrivals: ``counts[h][s]`` for day ``first_day + h``, interval ``s``.

    ``trend_per_day`` is the slope ``b`` of the level in contacts per day (``profile_trend``;
    ``None`` for Holt-Winters); ``weekday_factors`` the seven ``f_w`` (Monday first, ``None``
    for Holt-Winters); ``history_days`` how many days of history were used.
    """

    method: str
    first_day: date
    slots_per_day: int
    counts: tuple[tuple[float, ...], ...]
    history_days: int
    trend_per_day: float | None
    weekday_factors: tuple[float, ...] | None

    @property
    def horizon_days(self) -> int:
        return len(self.counts)

    @property
    def daily_totals(self) -> tuple[float, ...]:
        return tuple(math.fsum(day) for day in self.counts)

    def day(self, when: date) -> tuple[float, ...]:
        """The forecast intervals of one day (``ForecastError`` outside the horizon)."""
        index = (when - self.first_day).days
        if not 0 <= index < len(self.counts):
            raise ForecastError(f"{when} is outside the forecast ({self.first_day}, {index})")
        return self.counts[index]


@dataclass(frozen=True, slots=True)
class Backtest:
    """Accuracy of forecasting the last ``holdout_days`` days from the days before them.

    ``wape`` is the headline (defined on zero-call intervals); ``mape`` is over the
    ``mape_intervals`` intervals with calls (``zero_intervals`` were left out); ``daily_mape``
    is MAPE of the daily totals. ``bias`` is ``(ΣF − ΣA) / ΣA`` (positive: over-forecast).
    Every ratio is ``None`` when it has nothing to divide by.
    """

    method: str
    holdout_first_day: date
    holdout_days: int
    actual_total: float
    forecast_total: float
    wape: float | None
    mape: float | None
    mape_intervals: int
    zero_intervals: int
    daily_mape: float | None
    bias: float | None


def available_methods() -> tuple[str, ...]:
    return METHODS


# --------------------------------------------------------------------------- accuracy


def _pair(actual: object, predicted: object) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(actual, dtype=float).ravel()
    f = np.asarray(predicted, dtype=float).ravel()
    if a.shape != f.shape:
        raise ForecastError(f"actual and forecast differ in size: {a.size} vs {f.size}")
    return a, f


def wape(actual: object, predicted: object) -> float | None:
    """Weighted absolute percentage error ``Σ|A − F| / ΣA`` (``None`` when ``ΣA = 0``)."""
    a, f = _pair(actual, predicted)
    total = float(a.sum())
    return None if total <= 0 else float(np.abs(a - f).sum()) / total


def mape(actual: object, predicted: object) -> tuple[float | None, int]:
    """MAPE ``mean(|A − F| / A)`` over the points with ``A > 0``, and how many those were.

    Points with ``A = 0`` are left out (the ratio is undefined there); ``(None, 0)`` when
    every point is zero.
    """
    a, f = _pair(actual, predicted)
    used = a > 0
    count = int(used.sum())
    if count == 0:
        return None, 0
    return float(np.mean(np.abs(a[used] - f[used]) / a[used])), count


# --------------------------------------------------------------------------- forecasting


def _history(counts: object) -> np.ndarray:
    matrix = np.asarray(counts, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise ForecastError("history must be a non-empty days × intervals matrix")
    if not np.all(np.isfinite(matrix)) or np.any(matrix < 0):
        raise ForecastError("history counts must be finite and ≥ 0")
    return matrix


def forecast_arrivals(
    counts: Sequence[Sequence[float]] | np.ndarray,
    *,
    first_day: date,
    horizon_days: int,
    method: str = PROFILE_TREND,
    weeks: int | None = 8,
) -> Forecast:
    """Forecast ``horizon_days`` days of arrivals following the history (see module doc).

    ``counts`` is days × intervals starting on ``first_day``; ``weeks`` limits the history
    used to its last ``weeks`` weeks (``None``: all of it).
    """
    history = _history(counts)
    if horizon_days < 0:
        raise ForecastError(f"horizon_days must be ≥ 0, got {horizon_days}")
    if weeks is not None:
        if weeks < 1:
            raise ForecastError(f"weeks must be ≥ 1, got {weeks}")
        keep = min(history.shape[0], weeks * 7)
        first_day += timedelta(days=history.shape[0] - keep)
        history = history[-keep:]
    if method == PROFILE_TREND:
        return _profile_trend(history, first_day, horizon_days)
    raise ForecastError(f"unknown forecast method {method!r}; choose from {', '.join(METHODS)}")


def _weekday_mask(days: int, first_day: date) -> np.ndarray:
    """weekdays[d] for d = 0..days-1 (Monday 0)."""
    return (first_day.weekday() + np.arange(days)) % 7


def _fit_level(
    totals: np.ndarray, weekdays: np.ndarray, factors: np.ndarray, with_trend: bool
) -> tuple[float, float]:
    """Least-squares a + b·d on the de-seasonalised totals (days with f_w = 0 left out)."""
    usable = factors[weekdays] > 0
    if not usable.any():
        return 0.0, 0.0
    index = np.arange(totals.size, dtype=float)[usable]
    values = totals[usable] / factors[weekdays][usable]
    if not with_trend or np.ptp(index) == 0:
        return float(values.mean()), 0.0
    slope, intercept = np.polyfit(index, values, 1)
    return float(intercept), float(slope)


def _profile_trend(history: np.ndarray, first_day: date, horizon: int) -> Forecast:
    days, slots = history.shape
    totals = history.sum(axis=1)
    weekdays = _weekday_mask(days, first_day)
    seen = np.array([np.any(weekdays == w) for w in range(7)])
    with_trend = days >= 14
    mean_total = totals.mean()
    if mean_total <= 0:
        factors = np.where(seen, 1.0, 0.0)
        intercept, slope = 0.0, 0.0
    else:
        factors = np.array(
            [totals[weekdays == w].mean() / mean_total if seen[w] else 0.0 for w in range(7)]
        )
        intercept, slope = _fit_level(totals, weekdays, factors, with_trend)
        for _ in range(_ROUNDS):
            level = intercept + slope * np.arange(days)
            if np.any(level <= 0):  # a falling line crossing zero: keep the level only
                with_trend = False
                intercept, slope = _fit_level(totals, weekdays, factors, with_trend)
                level = np.full(days, intercept)
            factors = np.array(
                [
                    (totals[weekdays == w] / level[weekdays == w]).mean() if seen[w] else 0.0
                    for w in range(7)
                ]
            )
            factors = factors / factors[seen].mean()
            intercept, slope = _fit_level(totals, weekdays, factors, with_trend)
        factors = np.where(seen, factors, 1.0)  # an unseen weekday gets an average day

    pooled = history.sum(axis=0)
    pooled = pooled / pooled.sum() if pooled.sum() > 0 else np.zeros(slots)
    shapes = np.empty((7, slots))
    for w in range(7):
        rows = history[weekdays == w]
        weekday_total = rows.sum()
        shapes[w] = (
            rows.sum(axis=0) / weekday_total
            if weekday_total > 0
            else (np.zeros(slots) if seen[w] else pooled)
        )

    future = np.arange(days, days + horizon)
    future_weekdays = _weekday_mask(days + horizon, first_day)[days:]
    level = np.maximum(0.0, intercept + slope * future)
    result = (level * factors[future_weekdays])[:, None] * shapes[future_weekdays]
    return Forecast(
        method=PROFILE_TREND,
        first_day=first_day + timedelta(days=days),
        slots_per_day=slots,
        counts=tuple(tuple(float(v) for v in row) for row in result),
        history_days=days,
        trend_per_day=slope,
        weekday_factors=tuple(float(f) for f in factors),
    )


def backtest(
    counts: Sequence[Sequence[float]] | np.ndarray,
    *,
    first_day: date,
    holdout_weeks: int = 1,
    method: str = PROFILE_TREND,
    weeks: int | None = 8,
) -> Backtest:
    """Forecast the last ``holdout_weeks`` weeks from the days before them and score it.

    Needs at least one week of history before the hold-out.
    """
    history = _history(counts)
    if holdout_weeks < 1:
        raise ForecastError(f"holdout_weeks must be ≥ 1, got {holdout_weeks}")
    holdout = holdout_weeks * 7
    if history.shape[0] < holdout + 7:
        raise ForecastError(
            f"a {holdout_weeks}-week back-test needs {holdout + 7} days of history, "
            f"got {history.shape[0]}"
        )
    train, actual = history[:-holdout], history[-holdout:]
    predicted = np.asarray(
        forecast_arrivals(
            train, first_day=first_day, horizon_days=holdout, method=method, weeks=weeks
        ).counts
    )
    interval_mape, used = mape(actual, predicted)
    daily_mape, _days = mape(actual.sum(axis=1), predicted.sum(axis=1))
    actual_total, forecast_total = float(actual.sum()), float(predicted.sum())
    return Backtest(
        method=method,
        holdout_first_day=first_day + timedelta(days=train.shape[0]),
        holdout_days=holdout,
        actual_total=actual_total,
        forecast_total=forecast_total,
        wape=wape(actual, predicted),
        mape=interval_mape,
        mape_intervals=used,
        zero_intervals=int(actual.size - used),
        daily_mape=daily_mape,
        bias=None if actual_total <= 0 else (forecast_total - actual_total) / actual_total,
    )

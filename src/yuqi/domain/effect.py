"""Before/after effect of an improvement action: a difference, its interval and a test.

Two independent samples — a baseline window ("before") and a comparable later window
("after") — and the change ``after − before``:

* :func:`compare_proportions` for rates (a complaint rate, a share of satisfied answers, an FCR
  rate): difference of proportions ``x2/n2 − x1/n1``.

  Interval: Newcombe's hybrid score interval (Newcombe 1998, method 10): with Wilson's score
  interval ``(l_i, u_i)`` for each proportion (Wilson 1927),
  ``low = d − sqrt((p2 − l2)² + (u1 − p1)²)`` and ``high = d + sqrt((u2 − p2)² + (p1 − l1)²)``.
  It stays inside [−1, 1], is defined at 0 % and 100 %, and keeps close to nominal coverage
  for small counts where the textbook Wald interval fails.

  Test: the two-sided pooled z-test of H0 p1 = p2, ``z = d / sqrt(p(1 − p)(1/n1 + 1/n2))``
  with ``p = (x1 + x2)/(n1 + n2)`` (the same p-value as Pearson's chi-square on the 2×2 table
  without continuity correction). The interval and the test are different procedures and can
  disagree at the margin; the ``change`` flag follows the interval.

* :func:`compare_means` for measurements (handle time, a CSAT score, a SERVQUAL gap): Welch's
  unequal-variance t interval and test (Welch 1947), with Welch–Satterthwaite degrees of
  freedom ``df = (v1/n1 + v2/n2)² / ((v1/n1)²/(n1 − 1) + (v2/n2)²/(n2 − 1))``.

Assumptions: the two windows are independent samples (different contacts or respondents) and
each observation is independent of the others; for Welch, means are approximately normal
(large samples or near-normal data). Seasonality and volume differences between the windows
are the caller's to check and state.

Nothing here divides by zero: an empty window (n = 0), a single observation per window for
Welch, or no variance at all gives a result whose interval fields are None with a ``reason``.

Sources
-------
* R. G. Newcombe (1998), "Interval estimation for the difference between independent
  proportions: comparison of eleven methods", Statistics in Medicine 17(8):873–890.
* E. B. Wilson (1927), "Probable inference, the law of succession, and statistical inference",
  JASA 22(158):209–212.
* B. L. Welch (1947), "The generalization of 'Student's' problem when several different
  population variances are involved", Biometrika 34(1–2):28–35.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from numbers import Integral, Real

from yuqi.domain.quantiles import normal_quantile, t_quantile

__all__ = [
    "Change",
    "MeansComparison",
    "ProportionsComparison",
    "compare_means",
    "compare_proportions",
    "wilson_interval",
]


class Change(StrEnum):
    """What the interval says about ``after − before``."""

    INCREASE = "increase"  # the whole interval is above zero
    DECREASE = "decrease"  # the whole interval is below zero
    NO_EVIDENCE = "no_evidence"  # the interval contains zero: no change shown
    NOT_COMPUTABLE = "not_computable"  # no interval (see ``reason``)


@dataclass(frozen=True, slots=True)
class ProportionsComparison:
    """``after − before`` for two proportions; interval fields are None when not computable.

    ``difference`` is None only when a window is empty (n = 0).
    """

    x1: int
    n1: int
    x2: int
    n2: int
    confidence: float
    p1: float | None
    p2: float | None
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    change: Change
    reason: str | None = None

    @property
    def significant(self) -> bool | None:
        """True when the interval excludes zero (None when not computable)."""
        if self.change is Change.NOT_COMPUTABLE:
            return None
        return self.change is not Change.NO_EVIDENCE


@dataclass(frozen=True, slots=True)
class MeansComparison:
    """``mean(after) − mean(before)`` with Welch's interval; None fields when not computable."""

    n1: int
    n2: int
    confidence: float
    mean1: float | None
    mean2: float | None
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    df: float | None
    t: float | None
    change: Change
    reason: str | None = None

    @property
    def significant(self) -> bool | None:
        if self.change is Change.NOT_COMPUTABLE:
            return None
        return self.change is not Change.NO_EVIDENCE


def wilson_interval(x: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval for ``x`` successes in ``n > 0`` trials (Wilson 1927).

    ``(2x + z² ∓ z·sqrt(z² + 4x(n − x)/n)) / (2(n + z²))``, Newcombe (1998) eq. for method 3.
    """
    if n <= 0:
        raise ValueError(f"n must be > 0, got {n}")
    z = _z(confidence)
    centre = 2 * x + z * z
    spread = z * math.sqrt(z * z + 4 * x * (n - x) / n)
    denominator = 2 * (n + z * z)
    low = 0.0 if x == 0 else (centre - spread) / denominator
    high = 1.0 if x == n else (centre + spread) / denominator
    return low, high


def compare_proportions(
    x1: int, n1: int, x2: int, n2: int, confidence: float = 0.95
) -> ProportionsComparison:
    """Change from ``x1/n1`` (before) to ``x2/n2`` (after): Newcombe interval, pooled z-test.

    See the module docstring for the model. Raises ``ValueError`` for counts that are not
    whole numbers with ``0 ≤ x ≤ n`` or a confidence outside (0, 1).
    """
    x1, n1 = _counts("before", x1, n1)
    x2, n2 = _counts("after", x2, n2)
    _z(confidence)
    if n1 == 0 or n2 == 0:
        empty = "before" if n1 == 0 else "after"
        return ProportionsComparison(
            x1, n1, x2, n2, confidence,
            x1 / n1 if n1 else None, x2 / n2 if n2 else None,
            None, None, None, None, Change.NOT_COMPUTABLE,
            f"no observations in the {empty} window (n = 0)",
        )  # fmt: skip
    p1, p2 = x1 / n1, x2 / n2
    difference = p2 - p1
    l1, u1 = wilson_interval(x1, n1, confidence)
    l2, u2 = wilson_interval(x2, n2, confidence)
    low = difference - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = difference + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return ProportionsComparison(
        x1, n1, x2, n2, confidence, p1, p2, difference, low, high,
        _pooled_z_p_value(x1, n1, x2, n2), _change(low, high),
    )  # fmt: skip


def compare_means(
    before: Sequence[float], after: Sequence[float], confidence: float = 0.95
) -> MeansComparison:
    """Change in mean from ``before`` to ``after`` with Welch's t interval and test.

    Needs at least two finite values per window and some variance; otherwise the interval
    fields are None and ``reason`` says why. Raises ``ValueError`` for a value that is not a
    finite number (naming its window and position) or a confidence outside (0, 1).
    """
    a = _values("before", before)
    b = _values("after", after)
    _z(confidence)
    n1, n2 = len(a), len(b)
    mean1 = math.fsum(a) / n1 if n1 else None
    mean2 = math.fsum(b) / n2 if n2 else None
    difference = None if mean1 is None or mean2 is None else mean2 - mean1
    if n1 < 2 or n2 < 2:
        reason = "Welch's interval needs at least 2 values in each window"
        return _no_means(n1, n2, confidence, mean1, mean2, difference, reason)
    assert mean1 is not None
    assert mean2 is not None
    assert difference is not None
    share1 = _variance(a, mean1) / n1
    share2 = _variance(b, mean2) / n2
    se2 = share1 + share2
    if se2 == 0:
        reason = "no variance in either window: the t statistic is undefined"
        return _no_means(n1, n2, confidence, mean1, mean2, difference, reason)
    df = se2**2 / (share1**2 / (n1 - 1) + share2**2 / (n2 - 1))
    se = math.sqrt(se2)
    t = difference / se
    half = t_quantile(0.5 + confidence / 2, df) * se
    from scipy import stats  # imported when first needed: see yuqi.domain.quantiles

    p_value = float(2 * stats.t.sf(abs(t), df))
    low, high = difference - half, difference + half
    return MeansComparison(
        n1, n2, confidence, mean1, mean2, difference, low, high, p_value, df, t,
        _change(low, high),
    )  # fmt: skip


# ----------------------------------------------------------------------------- helpers


def _no_means(
    n1: int,
    n2: int,
    confidence: float,
    mean1: float | None,
    mean2: float | None,
    difference: float | None,
    reason: str,
) -> MeansComparison:
    return MeansComparison(
        n1, n2, confidence, mean1, mean2, difference,
        None, None, None, None, None, Change.NOT_COMPUTABLE, reason,
    )  # fmt: skip


def _pooled_z_p_value(x1: int, n1: int, x2: int, n2: int) -> float:
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance == 0:
        return 1.0  # all successes or all failures in both windows: no difference to test
    z = (x2 / n2 - x1 / n1) / math.sqrt(variance)
    from scipy import stats  # imported when first needed: see yuqi.domain.quantiles

    return float(2 * stats.norm.sf(abs(z)))


def _change(low: float, high: float) -> Change:
    if low > 0:
        return Change.INCREASE
    if high < 0:
        return Change.DECREASE
    return Change.NO_EVIDENCE


def _variance(values: list[float], mean: float) -> float:
    return math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)


def _z(confidence: float) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, Real):
        raise ValueError(f"confidence must be a number in (0, 1), got {confidence!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    return normal_quantile(0.5 + confidence / 2)


def _counts(window: str, x: int, n: int) -> tuple[int, int]:
    for name, value in (("x", x), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, Integral):
            raise ValueError(f"{window} {name} must be a whole number, got {value!r}")
    if n < 0 or not 0 <= x <= n:
        raise ValueError(f"{window}: need 0 ≤ x ≤ n, got x={x!r}, n={n!r}")
    return int(x), int(n)


def _values(window: str, values: Sequence[float]) -> list[float]:
    checked: list[float] = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            raise ValueError(f"{window}[{index}] must be a finite number, got {value!r}")
        checked.append(float(value))
    return checked

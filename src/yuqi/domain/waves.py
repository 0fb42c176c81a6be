"""Recurring survey waves: wave-over-wave trends and Kano features that slide.

A recurring campaign is measured in *waves* drawn the same way (same frame rules, same sample
size rule). This module compares consecutive waves; it never reads a database.

Trends
------
Each wave gives, per respondent: CSAT as 1/0 (top-2-box), NPS as +100/0/−100 (promoter,
passive, detractor), CES on its scale, and SERVQUAL gaps P − E (overall and per dimension).
Each metric of each wave is shown with its 95 % interval, and each change from the previous
wave with the interval of the difference and a flag:

* CSAT (a share): :func:`yuqi.domain.effect.compare_proportions` — Newcombe's hybrid score
  interval for ``p2 − p1`` and the pooled z-test;
* NPS, CES and SERVQUAL gaps (means of per-respondent values):
  :func:`yuqi.domain.effect.compare_means` — Welch's t interval. The NPS is the mean of the
  +100/0/−100 codes, so Welch on the codes is the usual large-sample comparison of two NPS.

A change is *significant* when the interval of the difference excludes zero (the ``change``
of the effect functions). Comparisons are between the raw (unweighted) answers of each wave:
the waves use the same allocation rule, and a proportional allocation is self-weighting.

Not computed, with the reason said: a single wave (no trend yet), a wave with no answers to a
metric (n = 0), a wave whose frame rules differ from the previous one (the change is shown
but not flagged: the two waves describe different populations).

Kano slides
-----------
Customers come to take an innovation for granted (the founding document 000: 思维定势), so a
feature moves along attractive (A) → one-dimensional (O) → must-be (M) over time. Between two
consecutive waves a feature *slides* when both waves classify it definitely (Fong's test
significant: ``KanoSummary.significant``) and the later category is further along A → O → M
than the earlier one. When either wave's class is mixed the status is ``mixed`` (no slide is
claimed); any other move (to indifferent, or backwards) is ``changed``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from yuqi.domain.effect import Change, compare_means, compare_proportions, wilson_interval
from yuqi.domain.kano import KanoSummary
from yuqi.domain.quantiles import t_quantile

__all__ = [
    "METRICS",
    "SLIDE_ORDER",
    "KanoSlide",
    "MetricTrend",
    "SlideStatus",
    "Step",
    "WaveData",
    "WavePoint",
    "WaveTrend",
    "kano_slides",
    "wave_trend",
]

#: The metrics of a trend: (key, kind). ``share`` for 0/1 values, ``mean`` for the others.
METRICS: tuple[tuple[str, str], ...] = (
    ("csat", "share"),
    ("nps", "mean"),
    ("ces", "mean"),
    ("servqual", "mean"),
)

#: The order a feature moves along as customers take it for granted.
SLIDE_ORDER: tuple[str, ...] = ("A", "O", "M")


@dataclass(frozen=True, slots=True)
class WaveData:
    """One wave's per-respondent values (already cleaned: one value per answering respondent).

    ``csat``: 1/0 per respondent (top-2-box); ``nps``: +100/0/−100 codes; ``ces``: scores;
    ``servqual``: overall gap P − E; ``dimensions``: SERVQUAL dimension → gaps. ``frame`` is the
    wave's sampling-frame rules (any comparable value): a change between waves is reported.
    """

    label: str
    csat: Sequence[float] = ()
    nps: Sequence[float] = ()
    ces: Sequence[float] = ()
    servqual: Sequence[float] = ()
    dimensions: Mapping[str, Sequence[float]] = field(default_factory=dict)
    frame: object = None


@dataclass(frozen=True, slots=True)
class WavePoint:
    """A metric in one wave: ``value`` with its interval (None when n = 0 or not estimable)."""

    label: str
    n: int
    value: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class Step:
    """The change of a metric from wave ``before`` to wave ``after``."""

    before: str
    after: str
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    change: Change
    comparable: bool
    reason: str | None = None

    @property
    def significant(self) -> bool:
        """A change is flagged only when comparable and its interval excludes zero."""
        return self.comparable and self.change in (Change.INCREASE, Change.DECREASE)


@dataclass(frozen=True, slots=True)
class MetricTrend:
    key: str
    points: tuple[WavePoint, ...]
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class WaveTrend:
    """Every metric's points and steps; ``note`` says why there is no trend (one wave)."""

    waves: tuple[str, ...]
    metrics: tuple[MetricTrend, ...]
    frame_changes: tuple[str, ...]  # labels of waves whose frame differs from the previous
    note: str | None = None

    @property
    def significant(self) -> tuple[tuple[str, Step], ...]:
        return tuple((m.key, s) for m in self.metrics for s in m.steps if s.significant)


def _point(label: str, values: Sequence[float], kind: str, confidence: float) -> WavePoint:
    n = len(values)
    if n == 0:
        return WavePoint(label, 0, None, None, None)
    if kind == "share":
        ones = sum(1 for v in values if v)
        low, high = wilson_interval(ones, n, confidence)
        return WavePoint(label, n, ones / n, low, high)
    mean = math.fsum(values) / n
    if n < 2:
        return WavePoint(label, n, mean, None, None)
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_quantile(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n)
    return WavePoint(label, n, mean, mean - half, mean + half)


def _step(
    before: tuple[str, Sequence[float]],
    after: tuple[str, Sequence[float]],
    kind: str,
    comparable: bool,
    confidence: float,
) -> Step:
    (label1, a), (label2, b) = before, after
    reason = None if comparable else "the sampling frame changed between these waves"
    if kind == "share":
        x1, x2 = sum(1 for v in a if v), sum(1 for v in b if v)
        p = compare_proportions(x1, len(a), x2, len(b), confidence)
        return Step(
            label1, label2, p.difference, p.low, p.high, p.p_value, p.change, comparable,
            p.reason or reason,
        )  # fmt: skip
    m = compare_means(list(a), list(b), confidence)
    return Step(
        label1, label2, m.difference, m.low, m.high, m.p_value, m.change, comparable,
        m.reason or reason,
    )  # fmt: skip


def _values(wave: WaveData, key: str) -> Sequence[float]:
    if key.startswith("dimension:"):
        return wave.dimensions.get(key.split(":", 1)[1], ())
    values: Sequence[float] = getattr(wave, key)
    return values


def wave_trend(waves: Sequence[WaveData], confidence: float = 0.95) -> WaveTrend:
    """Points and wave-over-wave steps of every metric some wave has answers for.

    Metrics: CSAT, NPS, CES, the overall SERVQUAL gap and each SERVQUAL dimension's gap
    (``dimension:<code>``). See the module docstring for the tests and the flags.
    """
    labels = tuple(w.label for w in waves)
    changes = tuple(
        waves[i].label for i in range(1, len(waves)) if waves[i].frame != waves[i - 1].frame
    )
    dimensions = sorted({d for w in waves for d, v in w.dimensions.items() if len(v)})
    wanted = [(k, kind) for k, kind in METRICS if any(len(getattr(w, k)) for w in waves)]
    wanted += [(f"dimension:{d}", "mean") for d in dimensions]
    metrics = []
    for key, kind in wanted:
        points = tuple(_point(w.label, _values(w, key), kind, confidence) for w in waves)
        steps = tuple(
            _step(
                (waves[i - 1].label, _values(waves[i - 1], key)),
                (waves[i].label, _values(waves[i], key)),
                kind,
                waves[i].label not in changes,
                confidence,
            )
            for i in range(1, len(waves))
        )
        metrics.append(MetricTrend(key, points, steps))
    note = None
    if len(waves) < 2:
        note = "one wave only: a trend needs at least two waves"
    return WaveTrend(labels, tuple(metrics), changes, note)


# ----------------------------------------------------------------------------- Kano slides


class SlideStatus(StrEnum):
    SLIDE = "slide"  # definite in both waves and further along A → O → M
    STABLE = "stable"  # definite in both waves, same category
    MIXED = "mixed"  # a wave's class is not definite: no slide claimed
    CHANGED = "changed"  # definite in both, another move (backwards, or to/from I, R, Q)
    MISSING = "missing"  # the feature was not asked (or not answered) in one of the waves


@dataclass(frozen=True, slots=True)
class KanoSlide:
    """A feature between two consecutive waves: the categories (None when mixed or absent)."""

    feature: str
    before: str
    after: str
    category_before: str | None
    category_after: str | None
    status: SlideStatus

    @property
    def flagged(self) -> bool:
        return self.status is SlideStatus.SLIDE


def _definite(summary: KanoSummary | None) -> str | None:
    if summary is None or not summary.n or not summary.significant:
        return None
    return summary.category


def kano_slides(
    waves: Sequence[tuple[str, Mapping[str, KanoSummary]]],
) -> tuple[KanoSlide, ...]:
    """Each feature's move between consecutive waves (``(label, feature → summary)`` pairs, in
    wave order), in feature order then wave order. See the module docstring for the rule."""
    features = sorted({f for _label, summaries in waves for f in summaries})
    out = []
    for feature in features:
        for i in range(1, len(waves)):
            (label1, first), (label2, second) = waves[i - 1], waves[i]
            s1, s2 = first.get(feature), second.get(feature)
            if s1 is None or s2 is None or not s1.n or not s2.n:
                status = SlideStatus.MISSING
            elif not s1.significant or not s2.significant:
                status = SlideStatus.MIXED
            elif s1.category == s2.category:
                status = SlideStatus.STABLE
            elif (
                s1.category in SLIDE_ORDER
                and s2.category in SLIDE_ORDER
                and SLIDE_ORDER.index(s2.category) > SLIDE_ORDER.index(s1.category)
            ):
                status = SlideStatus.SLIDE
            else:
                status = SlideStatus.CHANGED
            out.append(KanoSlide(feature, label1, label2, _definite(s1), _definite(s2), status))
    return tuple(out)

"""Wave-over-wave trends and Kano slides (yuqi.domain.waves) against published values.

CSAT steps reuse Newcombe (1998) Table II, method 10 (48/80 → 56/70: 0.0524 to 0.3339);
mean steps reuse Student's sleep data, whose Welch interval R's ``t.test`` prints as
−0.2054832 to 3.3654832 (p = 0.07939): not significant.
"""

from __future__ import annotations

import pytest

from yuqi.domain.effect import Change
from yuqi.domain.kano import summarize
from yuqi.domain.waves import SlideStatus, WaveData, kano_slides, wave_trend

SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def _ones(x: int, n: int) -> list[float]:
    return [1.0] * x + [0.0] * (n - x)


def _metric(trend, key):
    return next(m for m in trend.metrics if m.key == key)


def test_csat_step_is_newcombes_interval_and_flagged() -> None:
    trend = wave_trend([WaveData("W1", csat=_ones(48, 80)), WaveData("W2", csat=_ones(56, 70))])
    csat = _metric(trend, "csat")
    assert [p.n for p in csat.points] == [80, 70]
    assert csat.points[0].value == pytest.approx(0.6)
    step = csat.steps[0]
    assert step.difference == pytest.approx(0.2)
    assert round(step.low, 4) == 0.0524
    assert round(step.high, 4) == 0.3339
    assert step.change is Change.INCREASE
    assert step.significant
    assert trend.significant == (("csat", step),)
    assert trend.note is None


def test_mean_step_is_welch_and_not_flagged_when_interval_spans_zero() -> None:
    trend = wave_trend([WaveData("W1", ces=SLEEP_GROUP_1), WaveData("W2", ces=SLEEP_GROUP_2)])
    step = _metric(trend, "ces").steps[0]
    assert step.difference == pytest.approx(1.58)
    assert step.low == pytest.approx(-0.2054832, abs=5e-8)
    assert step.high == pytest.approx(3.3654832, abs=5e-8)
    assert step.p_value == pytest.approx(0.07939, abs=5e-6)
    assert step.change is Change.NO_EVIDENCE
    assert not step.significant
    assert trend.significant == ()


def test_wave_point_has_student_t_interval() -> None:
    # mean 0.75, sd 1.789010, t(0.975, 9) = 2.262157: 0.75 ± 1.279784
    point = _metric(wave_trend([WaveData("W1", nps=SLEEP_GROUP_1)]), "nps").points[0]
    assert point.value == pytest.approx(0.75)
    assert point.low == pytest.approx(0.75 - 1.279784, abs=1e-5)
    assert point.high == pytest.approx(0.75 + 1.279784, abs=1e-5)


def test_one_wave_only_has_no_trend_and_says_so() -> None:
    trend = wave_trend([WaveData("W1", csat=_ones(10, 20))])
    assert trend.note == "one wave only: a trend needs at least two waves"
    assert _metric(trend, "csat").steps == ()
    assert trend.significant == ()


def test_wave_with_no_answers_gives_no_interval_never_a_division_error() -> None:
    trend = wave_trend([WaveData("W1", csat=_ones(10, 20), ces=[3.0, 4.0]), WaveData("W2")])
    csat = _metric(trend, "csat")
    assert csat.points[1].n == 0
    assert csat.points[1].value is None
    assert csat.steps[0].change is Change.NOT_COMPUTABLE
    assert "n = 0" in (csat.steps[0].reason or "")
    assert _metric(trend, "ces").steps[0].change is Change.NOT_COMPUTABLE
    assert trend.significant == ()


def test_frame_change_is_shown_but_never_flagged() -> None:
    trend = wave_trend(
        [
            WaveData("W1", csat=_ones(48, 80), frame={"tiers": ["vip"]}),
            WaveData("W2", csat=_ones(56, 70), frame={"tiers": []}),
        ]
    )
    step = _metric(trend, "csat").steps[0]
    assert trend.frame_changes == ("W2",)
    assert step.change is Change.INCREASE  # the numbers are still shown
    assert not step.comparable
    assert not step.significant
    assert "frame changed" in (step.reason or "")


def test_servqual_dimensions_are_metrics_of_their_own() -> None:
    trend = wave_trend(
        [
            WaveData("W1", dimensions={"tangibles": SLEEP_GROUP_1}),
            WaveData("W2", dimensions={"tangibles": SLEEP_GROUP_2}),
        ]
    )
    assert [m.key for m in trend.metrics] == ["dimension:tangibles"]


# ------------------------------------------------------------------------------- Kano


def _feature(category: str, n: int = 40, other: str = "I", rest: int = 0) -> object:
    pair = {"A": ("like", "neutral"), "O": ("like", "dislike"), "M": ("neutral", "dislike"),
            "I": ("neutral", "neutral")}  # fmt: skip
    return summarize([pair[category]] * (n - rest) + [pair[other]] * rest)


def test_attractive_to_must_be_is_a_slide() -> None:
    slides = kano_slides([("W1", {"cb": _feature("A")}), ("W2", {"cb": _feature("M")})])
    (slide,) = slides
    assert slide.status is SlideStatus.SLIDE
    assert slide.flagged
    assert (slide.category_before, slide.category_after) == ("A", "M")


def test_one_dimensional_to_must_be_and_attractive_to_one_dimensional_slide() -> None:
    steps = kano_slides(
        [("W1", {"f": _feature("A")}), ("W2", {"f": _feature("O")}), ("W3", {"f": _feature("M")})]
    )
    assert [s.status for s in steps] == [SlideStatus.SLIDE, SlideStatus.SLIDE]


def test_mixed_class_claims_no_slide() -> None:
    # 20 A against 18 M: Fong's margin 1.65·sqrt(38·42/80) = 7.37 > 2: not significant
    mixed = _feature("A", n=38, other="M", rest=18)
    assert mixed.mixed
    (slide,) = kano_slides([("W1", {"f": mixed}), ("W2", {"f": _feature("M")})])
    assert slide.status is SlideStatus.MIXED
    assert not slide.flagged
    assert slide.category_before is None


def test_backwards_or_to_indifferent_is_a_change_not_a_slide() -> None:
    back = kano_slides([("W1", {"f": _feature("M")}), ("W2", {"f": _feature("A")})])
    to_i = kano_slides([("W1", {"f": _feature("A")}), ("W2", {"f": _feature("I")})])
    same = kano_slides([("W1", {"f": _feature("O")}), ("W2", {"f": _feature("O")})])
    assert back[0].status is SlideStatus.CHANGED
    assert to_i[0].status is SlideStatus.CHANGED
    assert same[0].status is SlideStatus.STABLE


def test_feature_missing_in_a_wave() -> None:
    (slide,) = kano_slides([("W1", {"f": _feature("A")}), ("W2", {})])
    assert slide.status is SlideStatus.MISSING

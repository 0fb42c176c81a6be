"""``yuqi.surveys.shown_numbers`` writes numbers exactly as the template filters it stands in
for: ``floatformat`` with one, two or three places (halves rounded up from the shortest repr,
no sign on a zero, separators of the language) and ``widthratio value 1 100``, in Chinese
and English, and with thousand separators on."""

from __future__ import annotations

import random

import numpy as np
import pytest
from django.template import engines
from django.template.defaultfilters import floatformat
from django.test import override_settings
from django.utils import translation

from yuqi.surveys.shown_numbers import decimals, percent

EDGES = [
    0.125, 2.675, 1.005, -0.004, -0.005, -0.0049, 0.0, -0.0, 0.5, -0.5, 1.5, 2.5, 0.045,
    1e-07, -1e-07, 123456.789, -98765.4321, 999999999999999.0, 1e15, -1e15, 1e20, 3e-300,
    float("nan"), float("inf"), float("-inf"), 7, -3, 0, True, None, "", "1.25", "x",
    np.float64(0.125), np.float64(-2.675), np.float32(0.1),
]  # fmt: skip


def _values() -> list[object]:
    rng = random.Random(22)
    found: list[object] = list(EDGES)
    for _n in range(3000):
        scale = 10 ** rng.randint(-6, 8)
        found.append(rng.uniform(-1, 1) * scale)
        found.append(round(rng.uniform(-10, 10), rng.randint(1, 4)))  # many exact halves
    return found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("places", [1, 2, 3])
def test_decimals_is_floatformat(language, places):
    with translation.override(language):
        fixed = decimals(places)
        for value in _values():
            assert fixed(value) == floatformat(value, places), value


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_decimals_with_thousand_separators_is_floatformat():
    with translation.override("en"):
        fixed = decimals(2)
        for value in (1234567.891, -9876.5, 0.125, None):
            assert fixed(value) == floatformat(value, 2)
    assert "," in fixed(1234567.891)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_percent_is_widthratio(language):
    template = engines["django"].from_string("{% widthratio value 1 100 %}")
    values = [*EDGES, 0.2345, 0.005, 0.015, 1, 0.999, -0.125, 2.5e-3, 1e300]
    with translation.override(language):
        for value in values:
            assert percent(value) == template.render({"value": value}), value

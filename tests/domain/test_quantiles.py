"""The remembered quantiles are scipy's, to the bit."""

from __future__ import annotations

import pytest
from scipy import stats

from yuqi.domain.quantiles import normal_quantile, t_quantile


@pytest.mark.parametrize("df", [1, 2, 5, 29, 30, 120, 1000, 7.5, 33.25])
@pytest.mark.parametrize("probability", [0.95, 0.975, 0.995])
def test_t_quantile_is_scipys(probability, df):
    assert t_quantile(probability, df) == float(stats.t.ppf(probability, df))
    assert t_quantile(probability, df) == float(stats.t.ppf(probability, df))  # remembered


@pytest.mark.parametrize("probability", [0.9, 0.95, 0.975, 0.995])
def test_normal_quantile_is_scipys(probability):
    assert normal_quantile(probability) == float(stats.norm.ppf(probability))

"""Quantiles of the normal and Student t distributions, remembered.

An interval needs ``t.ppf(0.975, n − 1)`` or ``norm.ppf(0.975)``; scipy answers one call in
about 0.1 ms, and a survey analysis asks for a few hundred (one per item, group and wave)
with the same handful of arguments. The answer is a pure function of its arguments, so it is
kept per argument: the same float as scipy's, without recomputing it.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def t_quantile(probability: float, df: float) -> float:
    """``scipy.stats.t.ppf(probability, df)`` as a float."""
    # scipy.stats is imported when first needed: loading it costs ~1 s, and every process
    # that imports the complaints app (``yuqi import`` included) imports ``estimates``
    from scipy import stats

    return float(stats.t.ppf(probability, df))


@lru_cache(maxsize=64)
def normal_quantile(probability: float) -> float:
    """``scipy.stats.norm.ppf(probability)`` as a float."""
    from scipy import stats

    return float(stats.norm.ppf(probability))

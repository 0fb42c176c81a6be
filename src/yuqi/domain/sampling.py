"""Survey sampling: how many to ask, how to split them across strata, and whom to ask.

Three steps of an outbound survey campaign, each a pure function:

1. :func:`sample_size_proportion` / :func:`sample_size_mean` — completed answers needed for
   a margin of error at a confidence level, with the finite population correction, and the
   invitations to send at an expected response rate.
2. :func:`allocate` — split a total sample across strata (proportional, Neyman or equal),
   with a minimum per stratum, never more than a stratum holds, and integer sizes that add
   up to the total exactly.
3. :func:`select_sample` — reproducible seeded simple random sampling without replacement
   inside each stratum, with an optional reserve for non-response.

Sources
-------
* Cochran, W. G. (1977). Sampling Techniques, 3rd ed., Wiley: ch. 4 (sample size for
  proportions and means, finite population correction) and ch. 5 (proportional and optimum
  allocation; over-allocation when ``n_h > N_h``).
* Neyman, J. (1934). On the two different aspects of the representative method. JRSS 97,
  558–625.
* Lohr, S. L. (2019). Sampling: Design and Analysis, 2nd ed., CRC: ch. 2–3.
* Israel, G. D. (1992). Determining sample size. University of Florida IFAS, PEOD6.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from yuqi.domain.estimates import normal_quantile

AllocationMethod = Literal["proportional", "neyman", "equal"]
UnitId = int | str

_CEIL_TOLERANCE = 1e-9
"""Sizes within this of an integer are not rounded up (guards against float noise)."""


# --------------------------------------------------------------------------- sample size


@dataclass(frozen=True, slots=True)
class SampleSize:
    """Completed answers needed and invitations to send.

    ``n0`` is the unrounded size for an infinite population, ``n_fpc`` the unrounded size
    after the finite population correction (equal to ``n0`` without a population).
    ``completes = ⌈n_fpc⌉`` and ``invitations = ⌈completes / response_rate⌉``.
    ``feasible`` is False when the invitations exceed the population: then even a census
    is not expected to yield enough answers.
    """

    completes: int
    invitations: int
    n0: float
    n_fpc: float
    population: int | None
    response_rate: float
    confidence: float
    margin: float
    method: str

    @property
    def feasible(self) -> bool:
        return self.population is None or self.invitations <= self.population


def sample_size_proportion(
    *,
    margin: float,
    confidence: float = 0.95,
    p: float = 0.5,
    population: int | None = None,
    response_rate: float = 1.0,
) -> SampleSize:
    """Answers needed to estimate a proportion within ``± margin`` (absolute, e.g. 0.05).

    Formulas (Cochran 1977, ch. 4; Israel 1992)::

        n0 = z² p (1 − p) / e²
        n  = n0 / (1 + (n0 − 1)/N)        when the population size N is known

    The ``(n0 − 1)/N`` form is exact for the without-replacement variance
    ``V(p̂) = (N − n)/(N − 1) · p(1 − p)/n``. ``p = 0.5`` (the default) gives the largest,
    safe size. Example: 95 %, ±5 %, p = 0.5 → n0 = 384.1 → 385; with N = 1,000 → 278.
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, got {p!r}")
    _check_margin(margin, upper=1.0)
    z = normal_quantile(confidence)
    n0 = z * z * p * (1.0 - p) / (margin * margin)
    n_fpc = n0 if population is None else n0 / (1.0 + (n0 - 1.0) / _check_population(population))
    return _sample_size(n0, n_fpc, population, response_rate, confidence, margin, "proportion")


def sample_size_mean(
    *,
    margin: float,
    std_dev: float,
    confidence: float = 0.95,
    population: int | None = None,
    response_rate: float = 1.0,
) -> SampleSize:
    """Answers needed to estimate a mean within ``± margin`` given a prior standard deviation.

    Formulas (Cochran 1977, ch. 4), with ``S`` the population standard deviation
    (divisor N − 1)::

        n0 = (z S / e)²
        n  = n0 / (1 + n0/N)               when the population size N is known

    which solves ``z² (1 − n/N) S²/n = e²``. (The proportion formula has ``n0 − 1`` because
    there the variance p(1 − p) has divisor N, not N − 1.) The normal quantile is used, so
    for very small samples the size is slightly optimistic.
    Example: σ = 15, e = 3, 95 % → n0 = 96.04 → 97.
    """
    if not (math.isfinite(std_dev) and std_dev > 0.0):
        raise ValueError(f"std_dev must be a positive number, got {std_dev!r}")
    _check_margin(margin, upper=math.inf)
    z = normal_quantile(confidence)
    ratio = z * std_dev / margin
    n0 = ratio * ratio  # inf, not OverflowError, when too large: refused just below
    if not math.isfinite(n0):
        raise ValueError(f"std_dev / margin is too large for a sample size: {std_dev!r}/{margin!r}")
    n_fpc = n0 if population is None else n0 / (1.0 + n0 / _check_population(population))
    return _sample_size(n0, n_fpc, population, response_rate, confidence, margin, "mean")


def _sample_size(
    n0: float,
    n_fpc: float,
    population: int | None,
    response_rate: float,
    confidence: float,
    margin: float,
    method: str,
) -> SampleSize:
    if not 0.0 < response_rate <= 1.0:
        raise ValueError(f"response_rate must be in (0, 1], got {response_rate!r}")
    completes = _ceil(n_fpc)
    invitations = _ceil(completes / response_rate)
    return SampleSize(
        completes, invitations, n0, n_fpc, population, response_rate, confidence, margin, method
    )


def _ceil(value: float) -> int:
    return max(math.ceil(value - _CEIL_TOLERANCE), 0)


MIN_MARGIN = 1e-6
"""The smallest margin of error accepted. Sizes are ~z²/(4e²): at e = 10⁻⁶ already ~10¹²
answers, far beyond any population; much smaller margins make ``e²`` underflow to 0.0 (at
about 1.5·10⁻¹⁶²) and the size divide by zero or overflow."""


def _check_margin(margin: float, *, upper: float) -> None:
    if not (math.isfinite(margin) and MIN_MARGIN <= margin < upper):
        raise ValueError(
            f"margin must be a number from {MIN_MARGIN} up to (not including) {upper}, "
            f"got {margin!r}"
        )


def _check_population(population: int) -> int:
    if not _is_whole(population) or population < 1:
        raise ValueError(f"population must be a whole number ≥ 1, got {population!r}")
    return int(population)


def _is_whole(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


# --------------------------------------------------------------------------- allocation


@dataclass(frozen=True, slots=True)
class Allocation[K: Hashable]:
    """Integer sample sizes per stratum (``sizes``) and the exact targets they round.

    ``quotas`` are the real-valued sizes after applying the minimum and the population caps,
    before rounding; ``sizes`` add up to ``total`` exactly.
    """

    sizes: dict[K, int]
    quotas: dict[K, float]
    total: int
    method: AllocationMethod
    minimum: int


def allocate[K: Hashable](
    population_sizes: Mapping[K, int],
    total: int,
    *,
    method: AllocationMethod = "proportional",
    std_devs: Mapping[K, float] | None = None,
    minimum: int = 0,
) -> Allocation[K]:
    """Split ``total`` sample units across strata.

    Unconstrained targets (Cochran 1977, ch. 5; Neyman 1934)::

        proportional  n_h ∝ N_h
        neyman        n_h ∝ N_h S_h          (S_h: prior standard deviation, ``std_devs``)
        equal         n_h ∝ 1                (strata with N_h > 0)

    Constraints. Each stratum gets at least ``min(minimum, N_h)`` (a stratum smaller than the
    minimum is taken whole) and at most ``N_h``. The constrained targets are
    ``q_h = clip(λ·w_h, lower_h, N_h)`` with the single ``λ`` that makes them add up to
    ``total``: strata pushed over ``N_h`` are taken whole and the rest is re-spread over the
    others, as Cochran prescribes for over-allocation; for Neyman weights this is exactly
    the variance-minimising allocation under these bounds (its KKT conditions). Strata with
    zero weight (Neyman with ``S_h = 0``) get only their minimum, unless the total cannot
    be reached otherwise; they are then filled in proportion to ``N_h``.

    Rounding (largest remainder, Hamilton's method): every stratum first gets ``⌊q_h⌋``;
    the units still missing go one each to the strata with the largest fractional parts
    ``q_h − ⌊q_h⌋``, ties broken by the larger population, then by input order. Because the
    bounds are integers, rounding never breaks them, and the sizes add up to ``total``.

    Raises ValueError when ``total`` is below the sum of the minima or above the population.
    """
    sizes = _check_population_sizes(population_sizes)
    total = _check_whole(total, "total")
    minimum = _check_whole(minimum, "minimum")
    keys = list(sizes)
    upper = [float(sizes[k]) for k in keys]
    lower = [float(min(minimum, sizes[k])) for k in keys]
    _check_total_feasible(total, lower, upper, minimum)
    weights = _weights(keys, sizes, method, std_devs)
    quotas = _constrained_quotas(weights, lower, upper, float(total))
    rounded = _largest_remainder(quotas, upper, total)
    return Allocation(
        sizes=dict(zip(keys, rounded, strict=True)),
        quotas=dict(zip(keys, quotas, strict=True)),
        total=total,
        method=method,
        minimum=minimum,
    )


def _check_population_sizes[K: Hashable](population_sizes: Mapping[K, int]) -> dict[K, int]:
    if not population_sizes:
        raise ValueError("at least one stratum is needed")
    for key, size in population_sizes.items():
        _check_whole(size, f"population size of stratum {key!r}")
    return {key: int(size) for key, size in population_sizes.items()}


def _check_whole(value: int, name: str) -> int:
    if not _is_whole(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative whole number, got {value!r}")
    return int(value)


def _check_total_feasible(total: int, lower: list[float], upper: list[float], minimum: int) -> None:
    if total > sum(upper):
        raise ValueError(f"total {total} exceeds the population of all strata ({sum(upper):.0f})")
    if total < sum(lower):
        raise ValueError(
            f"total {total} is below the minimum of {minimum} per stratum "
            f"({sum(lower):.0f} units in all)"
        )


def _weights[K: Hashable](
    keys: list[K],
    sizes: Mapping[K, int],
    method: AllocationMethod,
    std_devs: Mapping[K, float] | None,
) -> list[float]:
    if method == "proportional":
        return [float(sizes[k]) for k in keys]
    if method == "equal":
        return [1.0 if sizes[k] > 0 else 0.0 for k in keys]
    if method == "neyman":
        raw = [sizes[k] * _std_dev(std_devs, k) for k in keys]
        # Only the ratios matter: scale to a largest weight of 1, and treat a stratum whose
        # weight is below 1e-12 of the largest as having none (as a zero standard deviation),
        # so tiny or subnormal values cannot overflow the quota arithmetic into inf/NaN.
        top = max(raw, default=0.0)
        if top <= 0:
            return raw
        return [w / top if w / top > 1e-12 else 0.0 for w in raw]
    raise ValueError(f"unknown allocation method {method!r}; use proportional, neyman or equal")


def _std_dev[K: Hashable](std_devs: Mapping[K, float] | None, key: K) -> float:
    if std_devs is None or key not in std_devs:
        raise ValueError(f"Neyman allocation needs a prior standard deviation for {key!r}")
    value = float(std_devs[key])
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"standard deviation of {key!r} must be ≥ 0, got {std_devs[key]!r}")
    return value


def _constrained_quotas(
    weights: list[float], lower: list[float], upper: list[float], total: float
) -> list[float]:
    """Real targets ``clip(λ·w, lower, upper)`` adding up to ``total``."""
    active = [w > 0.0 for w in weights]
    saturated = [hi if a else lo for a, lo, hi in zip(active, lower, upper, strict=True)]
    if total <= sum(saturated):
        return _water_fill(weights, lower, upper, total)
    # Only zero-weight strata can absorb the rest: take the others whole and fill these
    # in proportion to their population size.
    spill = [0.0 if a else hi for a, hi in zip(active, upper, strict=True)]
    return _water_fill(spill, saturated, upper, total)


def _water_fill(
    weights: list[float], lower: list[float], upper: list[float], total: float
) -> list[float]:
    """Solve ``Σ clip(λ·w_h, lower_h, upper_h) = total`` for λ ≥ 0 exactly.

    The left side is continuous, non-decreasing and piecewise linear in λ with kinks at
    ``lower_h/w_h`` and ``upper_h/w_h``; find the piece containing ``total`` and interpolate.
    """

    def levels(lam: float) -> list[float]:
        return [
            min(max(lam * w, lo), hi) if w > 0.0 else lo
            for w, lo, hi in zip(weights, lower, upper, strict=True)
        ]

    kinks = sorted(
        {b / w for w, lo, hi in zip(weights, lower, upper, strict=True) if w > 0 for b in (lo, hi)}
    )
    previous, previous_sum = 0.0, sum(levels(0.0))
    for kink in kinks:
        kink_sum = sum(levels(kink))
        if kink_sum >= total:
            span = kink_sum - previous_sum
            share = (total - previous_sum) / span if span > 0 else 1.0
            return levels(previous + share * (kink - previous))
        previous, previous_sum = kink, kink_sum
    return levels(previous)


def _largest_remainder(quotas: list[float], upper: list[float], total: int) -> list[int]:
    """Hamilton rounding of quotas (already within integer bounds) to integers summing to total."""
    snapped = [round(q, 9) for q in quotas]
    floors = [math.floor(q) for q in snapped]
    missing = total - sum(floors)
    order = sorted(
        (i for i in range(len(quotas)) if floors[i] < upper[i]),
        key=lambda i: (-(snapped[i] - floors[i]), -upper[i], i),
    )
    if not 0 <= missing <= len(order):
        raise ArithmeticError("allocation rounding failed; please report this as a bug")
    for i in order[:missing]:
        floors[i] += 1
    return floors


# --------------------------------------------------------------------------- selection


@dataclass(frozen=True, slots=True)
class StratifiedSample[K: Hashable]:
    """Units drawn per stratum: ``units`` (the sample) and ``reserve`` (backups, in order)."""

    seed: int
    units: dict[K, tuple[UnitId, ...]]
    reserve: dict[K, tuple[UnitId, ...]] = field(default_factory=dict)

    def all_units(self) -> list[UnitId]:
        """The sampled units of every stratum, stratum by stratum (reserve excluded)."""
        return [unit for units in self.units.values() for unit in units]


def select_sample[K: Hashable](
    population: Mapping[K, Iterable[UnitId]],
    allocation: Mapping[K, int] | Allocation[K],
    *,
    seed: int,
    reserve: Mapping[K, int] | None = None,
) -> StratifiedSample[K]:
    """Seeded simple random sampling without replacement inside each stratum.

    For each stratum the unit ids are sorted, then shuffled by a NumPy ``Generator``
    (PCG64) seeded from ``SeedSequence([seed, digest(stratum)])``; the first ``n_h`` ids of
    the shuffle are the sample and the next ``reserve_h`` the reserve, in the order to use
    them. Hence:

    * the same seed and the same population give the same sample, whatever the order in
      which units or strata are listed (ids are sorted first; each stratum has its own
      stream, derived from a SHA-256 digest of ``repr(stratum)``, so stratum keys should be
      strings, integers or tuples of them);
    * adding or removing a stratum does not change the draw in the others;
    * asking for more units (or a reserve) keeps the units already drawn and appends to them.

    Every unit of a stratum has the same inclusion probability ``n_h/N_h``. Raises ValueError
    for duplicate ids, an id in two strata, mixed id types, or ``n_h`` above the stratum size.
    A reserve larger than what is left in a stratum is cut to what is left.
    """
    _check_whole(seed, "seed")
    sizes = allocation.sizes if isinstance(allocation, Allocation) else allocation
    frames = _sorted_frames(population)
    unknown = [key for key in [*sizes, *(reserve or {})] if key not in frames]
    if unknown:
        raise ValueError(f"strata not in the population: {unknown!r}")
    units: dict[K, tuple[UnitId, ...]] = {}
    backups: dict[K, tuple[UnitId, ...]] = {}
    for key, frame in frames.items():
        n = _check_whole(sizes.get(key, 0), f"sample size of stratum {key!r}")
        extra = _check_whole((reserve or {}).get(key, 0), f"reserve of stratum {key!r}")
        if n > len(frame):
            raise ValueError(f"stratum {key!r}: cannot draw {n} from {len(frame)} units")
        order = _shuffled(frame, seed, key)
        units[key] = tuple(order[:n])
        backups[key] = tuple(order[n : n + extra])
    return StratifiedSample(seed=int(seed), units=units, reserve=backups)


def _sorted_frames[K: Hashable](
    population: Mapping[K, Iterable[UnitId]],
) -> dict[K, list[UnitId]]:
    frames: dict[K, list[UnitId]] = {}
    seen: dict[UnitId, K] = {}
    for key, ids in population.items():
        frame = list(ids)
        for unit in frame:
            if unit in seen:
                where = "twice in" if seen[unit] == key else f"in both {seen[unit]!r} and"
                raise ValueError(f"unit {unit!r} appears {where} stratum {key!r}")
            seen[unit] = key
        try:
            frames[key] = sorted(frame)
        except TypeError as error:
            raise ValueError(f"stratum {key!r}: unit ids must be all int or all str") from error
    return frames


def _shuffled[K: Hashable](frame: list[UnitId], seed: int, key: K) -> list[UnitId]:
    digest = hashlib.sha256(repr(key).encode("utf-8")).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    generator = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), *words])))
    return [frame[i] for i in generator.permutation(len(frame))]

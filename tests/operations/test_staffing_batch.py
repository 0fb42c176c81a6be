"""The staffing plan's requirements come from the vectorised Erlang batch with the same answers
as the scalar path (whole numbers identical, measures equal to 1e-9 relative)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from yuqi.operations.staffing.services import _requirement, requirements

OPTIONS = {
    "interval_minutes": 30,
    "target": 0.8,
    "seconds": 20,
    "shrinkage": 0.3,
    "max_occupancy": 0.85,
}


def _problems() -> list[tuple[float, float | None]]:
    rng = np.random.default_rng(7)
    calls = np.concatenate([rng.uniform(0.05, 5, 200), rng.uniform(5, 400, 200), [0.0, 0.0]])
    aht = rng.uniform(60, 900, calls.size)
    problems: list[tuple[float, float | None]] = [
        (float(c), float(a)) for c, a in zip(calls, aht, strict=True)
    ]
    # no AHT, zero AHT, a round figure and a forecast fraction
    return [*problems, (12.0, None), (12.0, 0.0), (100.0, 180.0), (0.07, 240.0)]


def test_the_batch_gives_the_scalar_answers_for_every_interval():
    problems = _problems()
    batch = requirements(problems, **OPTIONS)
    scalar = [_requirement(calls, aht, **OPTIONS) for calls, aht in problems]
    assert len(batch) == len(scalar)
    for got, want in zip(batch, scalar, strict=True):
        if want is None:
            assert got is None
            continue
        assert got is not None
        assert (got.agents, got.positions, got.binding, got.model) == (
            want.agents,
            want.positions,
            want.binding,
            want.model,
        )
        for name in ("agents_fractional", "service_level", "asa", "occupancy", "traffic"):
            assert math.isclose(getattr(got, name), getattr(want, name), rel_tol=1e-9), name


def test_out_of_range_shrinkage_is_still_refused():
    from yuqi.domain.erlang import ErlangError

    with pytest.raises(ErlangError):
        requirements([(10.0, 180.0)], **{**OPTIONS, "shrinkage": 1.0})

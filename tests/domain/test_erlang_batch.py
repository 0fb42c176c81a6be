"""``required_agents_batch`` gives the scalar ``required_agents``'s answers, problem by problem.

Whole-number answers (agents, positions, binding targets, model) must be identical; the
floating-point measures must agree to within rounding (relative 1e-9), since NumPy's exp/log
and the C library's round differently in the last digit.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuqi.domain.erlang import (
    InvalidInput,
    Model,
    StaffingResult,
    required_agents,
    required_agents_batch,
)

FLOATS = (
    "traffic",
    "agents_fractional",
    "positions_fractional",
    "service_level",
    "asa",
    "waiting_probability",
    "occupancy",
)


def assert_same(batch_result: StaffingResult, scalar: StaffingResult) -> None:
    assert batch_result.model is scalar.model
    assert batch_result.agents == scalar.agents
    assert batch_result.positions == scalar.positions
    assert batch_result.binding == scalar.binding
    for name in ("calls", "interval_minutes", "aht_seconds", "shrinkage", "target_seconds"):
        assert getattr(batch_result, name) == getattr(scalar, name)
    for name in FLOATS:
        assert getattr(batch_result, name) == pytest.approx(
            getattr(scalar, name), rel=1e-9, abs=1e-12
        ), name
    if scalar.abandon_rate is None:
        assert batch_result.abandon_rate is None
    else:
        assert batch_result.abandon_rate == pytest.approx(scalar.abandon_rate, rel=1e-9, abs=1e-12)


problem = st.fixed_dictionaries(
    {
        "calls": st.one_of(st.just(0.0), st.floats(0.5, 4000)),
        "interval_minutes": st.sampled_from([15.0, 30.0, 60.0]),
        "aht_seconds": st.floats(20, 900),
        "target_service_level": st.floats(0.3, 0.98),
        "target_seconds": st.sampled_from([0.0, 10.0, 20.0, 30.0, 60.0]),
        "shrinkage": st.floats(0, 0.5),
        "max_occupancy": st.sampled_from([1.0, 0.95, 0.9, 0.85, 0.7]),
    }
)


def _solve_both(problems: list[dict], patience: list[float | None] | None) -> None:
    arrays = {key: np.array([p[key] for p in problems]) for key in problems[0]}
    patience_array = (
        None if patience is None else np.array([np.nan if v is None else v for v in patience])
    )
    batch = required_agents_batch(**arrays, patience_seconds=patience_array)
    assert len(batch) == len(problems)
    for i, p in enumerate(problems):
        scalar = required_agents(**p, patience_seconds=None if patience is None else patience[i])
        assert_same(batch.result(i), scalar)


@settings(max_examples=60, deadline=None)
@given(st.lists(problem, min_size=1, max_size=25))
def test_erlang_c_batch_matches_scalar(problems: list[dict]) -> None:
    _solve_both(problems, None)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(problem, st.one_of(st.none(), st.floats(5, 1800), st.just(math.inf))),
        min_size=1,
        max_size=15,
    )
)
def test_erlang_a_and_mixed_batch_matches_scalar(
    pairs: list[tuple[dict, float | None]],
) -> None:
    _solve_both([p for p, _ in pairs], [patience for _, patience in pairs])


def _bench_module():
    path = Path(__file__).resolve().parents[2] / "bench" / "erlang_bench.py"
    spec = importlib.util.spec_from_file_location("erlang_bench", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def day_plan():
    bench = _bench_module()
    return bench, bench.day_plan(50, 96)


def test_the_4800_problem_day_plan_matches_scalar(day_plan) -> None:
    bench, plan = day_plan
    assert len(plan) == 4800
    batch = bench.batch_of(plan)
    for i, interval in enumerate(plan):
        assert_same(batch.result(i), bench.yuqi(interval))


def test_the_day_plan_under_erlang_a_matches_scalar_on_a_sample(day_plan) -> None:
    bench, plan = day_plan
    sample = plan[::12]  # 400 problems: the scalar Erlang A takes ~1.3 ms each
    batch = bench.batch_of(sample, patience_seconds=120.0)
    for i, interval in enumerate(sample):
        scalar = required_agents(
            calls=interval.calls,
            interval_minutes=bench.INTERVAL_MINUTES,
            aht_seconds=interval.aht_seconds,
            target_service_level=interval.service_level,
            target_seconds=interval.target_seconds,
            max_occupancy=interval.max_occupancy,
            shrinkage=bench.SHRINKAGE,
            patience_seconds=120.0,
        )
        assert_same(batch.result(i), scalar)


def test_a_target_met_exactly_goes_to_the_scalar_path_and_still_agrees() -> None:
    # Set the target to the service level 12 agents give: a tie to the last digit.
    base = {"calls": 100.0, "interval_minutes": 30.0, "aht_seconds": 180.0, "target_seconds": 20}
    tie = required_agents(**base, target_service_level=0.8)
    exact_level = tie.service_level
    batch = required_agents_batch(**base, target_service_level=[exact_level, 0.8])
    assert batch.scalar_fallbacks == 1
    assert_same(batch.result(0), required_agents(**base, target_service_level=exact_level))
    assert_same(batch.result(1), tie)


def test_scalars_broadcast_against_arrays() -> None:
    batch = required_agents_batch(
        calls=[0.0, 100.0, 1000.0],
        interval_minutes=30,
        aht_seconds=180,
        target_service_level=0.8,
        target_seconds=20,
        shrinkage=0.3,
    )
    assert batch.agents.tolist() == [
        required_agents(
            calls=c, interval_minutes=30, aht_seconds=180, target_service_level=0.8,
            shrinkage=0.3,
        ).agents
        for c in (0.0, 100.0, 1000.0)
    ]  # fmt: skip


def test_zero_calls_need_nobody() -> None:
    batch = required_agents_batch(
        calls=[0.0, 0.0],
        interval_minutes=15,
        aht_seconds=200,
        target_service_level=0.8,
        patience_seconds=[np.nan, 60.0],
    )
    assert batch.agents.tolist() == [0, 0]
    assert batch.positions.tolist() == [0, 0]
    assert batch.result(0).model is Model.ERLANG_C
    assert batch.result(0).abandon_rate is None
    assert batch.result(1).model is Model.ERLANG_A
    assert batch.result(1).abandon_rate == 0.0


def test_textbook_value_through_the_batch() -> None:
    # 100 calls in 30 min, AHT 180 s (10 Erlangs), 80 % in 20 s → 14 agents (Erlang C): the
    # scalar API's golden test (Call Centre Helper's / P. Prevos's Erlang C worked example).
    batch = required_agents_batch(
        calls=100, interval_minutes=30, aht_seconds=180, target_service_level=0.8
    )
    assert batch.agents.tolist() == [14]
    assert batch.result(0).binding == ("service_level",)


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("calls", [10.0, -1.0], r"calls\[1\] must be a finite number ≥ 0"),
        ("calls", [10.0, math.nan], r"calls\[1\]"),
        ("aht_seconds", [0.0, 180.0], r"aht_seconds\[0\]"),
        ("target_service_level", [0.8, 1.0], r"target_service_level\[1\]"),
        ("max_occupancy", [0.0, 0.9], r"max_occupancy\[0\]"),
        ("shrinkage", [0.3, 1.0], r"shrinkage\[1\]"),
        ("patience_seconds", [60.0, -5.0], r"patience_seconds\[1\]"),
        ("calls", [1.0, 2.0, 3.0], "different lengths"),
        ("calls", ["a", "b"], "numbers"),
    ],
)
def test_bad_input_names_the_argument_and_position(field: str, values: list, message: str) -> None:
    arguments = {
        "calls": [10.0, 20.0],
        "interval_minutes": 15.0,
        "aht_seconds": [180.0, 200.0],
        "target_service_level": 0.8,
        "shrinkage": 0.3,
    }
    arguments[field] = values
    with pytest.raises(InvalidInput, match=message):
        required_agents_batch(**arguments)

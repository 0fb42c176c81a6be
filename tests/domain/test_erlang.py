"""Erlang C / Erlang A staffing (yuqi.domain.erlang).

Golden values state where they come from. Independent computations live in this file:
exact rational Erlang C from the textbook factorial formula (fractions), the Erlang B
recursion, and Erlang A from a numerically solved birth-death chain plus the absorbing
chain of a tagged caller (numpy/scipy linear algebra), none of which the module uses.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from yuqi.domain.erlang import (
    ErlangError,
    ImpossibleStaffing,
    InvalidInput,
    Model,
    QueuePerformance,
    StaffingResult,
    erlang_a,
    erlang_b,
    erlang_c,
    evaluate,
    offered_traffic,
    required_agents,
)

# ----------------------------------------------------------------- independent references


def exact_erlang_c(traffic: Fraction, agents: int) -> Fraction:
    """Textbook Erlang C, P_w = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A))."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return top / bottom


def exact_erlang_c_integer_traffic(traffic: int, agents: int) -> Fraction:
    """Same formula with everything multiplied by N!·(N−A): only integers, any size."""
    top = traffic**agents * agents
    bottom = (agents - traffic) * sum(
        traffic**k * (math.factorial(agents) // math.factorial(k)) for k in range(agents)
    )
    return Fraction(top, bottom + top)


def erlang_b_recursion(agents: int, traffic: float) -> float:
    """B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)) (Erlang B recursion, Cooper 1981)."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return blocking


def chain_erlang_a(
    agents: int, traffic: float, aht: float, patience: float, target: float, extra: int = 150
) -> dict[str, float]:
    """M/M/N+M solved as a truncated birth-death chain; the wait of a tagged caller as an
    absorbing chain (position in queue, answered, abandoned). Plain linear algebra."""
    mu, theta = 1 / aht, 1 / patience
    lam = traffic * mu
    size = agents + extra
    generator = np.zeros((size + 1, size + 1))
    for k in range(size + 1):
        if k < size:
            generator[k, k + 1] = lam
        if k > 0:
            generator[k, k - 1] = min(k, agents) * mu + max(0, k - agents) * theta
        generator[k, k] = -generator[k].sum()
    system = generator.T.copy()
    system[-1] = 1.0  # π Q = 0 with one balance equation swapped for Σ π = 1
    rhs = np.zeros(size + 1)
    rhs[-1] = 1.0
    pi = np.linalg.solve(system, rhs)
    queued = np.arange(size + 1) - agents
    waiting = pi[agents:].sum()
    abandon = theta * float(np.dot(np.clip(queued, 0, None), pi)) / lam
    # tagged caller with i callers ahead: i → i−1 at Nμ + iθ, 0 → answered at Nμ, abandons at θ
    ahead = extra + 1
    transient = np.zeros((ahead, ahead))
    for i in range(ahead):
        transient[i, i] = -(agents * mu + i * theta + theta)
        if i > 0:
            transient[i, i - 1] = agents * mu + i * theta
    to_answer = np.zeros(ahead)
    to_answer[0] = agents * mu
    full = np.zeros((ahead + 1, ahead + 1))
    full[:ahead, :ahead] = transient
    full[:ahead, ahead] = to_answer
    answered_by_target = expm(full * target)[:ahead, ahead]
    inverse = np.linalg.inv(transient)
    wait_if_answered = inverse @ inverse @ to_answer  # E[W · 1{answered}] per start
    arrivals_waiting = pi[agents : agents + ahead]
    service_level = pi[:agents].sum() + float(np.dot(arrivals_waiting, answered_by_target))
    asa = float(np.dot(arrivals_waiting, wait_if_answered)) / (1 - abandon)
    return {"waiting": waiting, "abandon": abandon, "service_level": service_level, "asa": asa}


# ----------------------------------------------------------------- Erlang C golden values


def test_textbook_example_100_calls_in_30_minutes():
    # The classic worked example: 100 calls in 30 min, AHT 180 s (10 Erlangs), 80/20.
    # Reference: pyworkforce 0.5.4, test_expected_erlangc_results (its ErlangC follows
    # P. Prevos, "Call centre workforce planning using Erlang C in R", lucidmanager.org,
    # 2018; the same example is Call Centre Helper's Erlang C worked example): 14 agents,
    # P(wait) 0.174, SL 0.888, occupancy 0.714, 20 positions at 30 % shrinkage.
    # Four-decimal values and ASA = C·AHT/(N−A) = 7.836 s from the exact computation below.
    result = required_agents(
        calls=100, interval_minutes=30, aht_seconds=180, target_service_level=0.8
    )
    assert result.agents == 14
    assert result.waiting_probability == pytest.approx(0.1741, abs=5e-5)
    assert result.service_level == pytest.approx(0.8884, abs=5e-5)
    assert result.asa == pytest.approx(7.836, abs=5e-4)
    assert result.occupancy == pytest.approx(0.7143, abs=5e-5)
    assert result.abandon_rate is None
    assert result.binding == ("service_level",)


def test_textbook_example_matches_exact_rational_computation():
    exact = exact_erlang_c(Fraction(10), 14)
    perf = erlang_c(agents=14, traffic=10, aht_seconds=180, target_seconds=20)
    assert perf.waiting_probability == pytest.approx(float(exact), rel=1e-13)
    assert perf.service_level == pytest.approx(1 - float(exact) * math.exp(-4 * 20 / 180))
    assert perf.asa == pytest.approx(float(exact) * 180 / 4, rel=1e-13)
    # 13 agents miss 80/20 (SL 0.7956), which is why the answer is 14
    assert erlang_c(agents=13, traffic=10, aht_seconds=180, target_seconds=20).service_level < 0.8


def test_textbook_example_with_occupancy_cap():
    # pyworkforce test_over_occupancy_erlangc (same queue, max occupancy 0.70): 15 agents,
    # SL 0.941, occupancy 0.667, P(wait) 0.102. The continuous requirement is A/0.7.
    result = required_agents(
        calls=100,
        interval_minutes=30,
        aht_seconds=180,
        target_service_level=0.8,
        target_seconds=19.8,
        max_occupancy=0.7,
        shrinkage=0.3,
    )
    assert result.agents == 15
    assert result.service_level == pytest.approx(0.941, abs=5e-4)
    assert result.occupancy == pytest.approx(0.667, abs=5e-4)
    assert result.waiting_probability == pytest.approx(0.102, abs=5e-4)
    assert result.binding == ("occupancy",)
    assert result.agents_fractional == pytest.approx(10 / 0.7)
    assert result.positions_fractional == pytest.approx(10 / 0.7 / 0.7)
    assert result.positions == 22  # ⌈15 / 0.7⌉: 15 agents must be on the phones


@pytest.mark.parametrize(
    ("traffic", "agents"),
    [
        (Fraction(48), 55),  # 360 calls per half hour, 4-min calls, 55 agents (Erlang-C primer)
        (Fraction(1, 2), 1),
        (Fraction(5, 2), 3),
        (Fraction(77, 10), 9),
        (Fraction(10), 11),
        (Fraction(29, 3), 30),
    ],
)
def test_waiting_probability_equals_exact_fraction(traffic, agents):
    perf = erlang_c(agents=agents, traffic=float(traffic), aht_seconds=240, target_seconds=15)
    exact = float(exact_erlang_c(traffic, agents))
    assert perf.waiting_probability == pytest.approx(exact, rel=1e-12)
    spare = agents - float(traffic)
    assert perf.service_level == pytest.approx(1 - exact * math.exp(-spare * 15 / 240), rel=1e-12)
    assert perf.asa == pytest.approx(exact * 240 / spare, rel=1e-12)
    assert perf.occupancy == pytest.approx(float(traffic) / agents)


def test_erlang_b_matches_recursion_and_exact_value():
    # B(14, 10) = (10^14/14!) / Σ_{k≤14} 10^k/k!
    exact = Fraction(10**14, math.factorial(14)) / sum(
        Fraction(10**k, math.factorial(k)) for k in range(15)
    )
    assert erlang_b(agents=14, traffic=10) == pytest.approx(float(exact), rel=1e-13)
    for agents, traffic in [(1, 0.3), (30, 25.5), (120, 100.0), (10, 100.0), (400, 1000.0)]:
        assert erlang_b(agents=agents, traffic=traffic) == pytest.approx(
            erlang_b_recursion(agents, traffic), rel=1e-11
        )


def test_offered_traffic_is_calls_times_aht_over_interval():
    assert offered_traffic(calls=100, interval_minutes=30, aht_seconds=180) == 10.0


# ----------------------------------------------------------------- large traffic


def test_stable_at_1000_erlangs_against_exact_integers():
    exact = float(exact_erlang_c_integer_traffic(1000, 1030))
    perf = erlang_c(agents=1030, traffic=1000, aht_seconds=300, target_seconds=20)
    assert perf.waiting_probability == pytest.approx(exact, rel=1e-11)


@pytest.mark.parametrize("traffic", [1_000.0, 5_000.0, 20_000.0, 100_000.0])
def test_large_traffic_stays_finite_and_agrees_with_recursion(traffic):
    result = required_agents(
        calls=traffic * 6, interval_minutes=30, aht_seconds=300, target_service_level=0.8
    )
    assert traffic < result.agents < traffic + 4 * math.sqrt(traffic)
    assert 0 < result.waiting_probability < 1
    assert 0.8 <= result.service_level < 1
    blocking = erlang_b_recursion(result.agents, traffic)
    rho = traffic / result.agents
    wait = blocking / (1 - rho + rho * blocking)
    assert result.waiting_probability == pytest.approx(wait, rel=1e-9)


def test_erlang_b_far_below_and_far_above_traffic():
    assert erlang_b(agents=10, traffic=100_000) == pytest.approx(1 - 10 / 100_000, rel=1e-6)
    assert erlang_b(agents=50_000, traffic=10) == 0.0
    assert erlang_b(agents=2_000, traffic=5_000) == pytest.approx(
        erlang_b_recursion(2_000, 5_000), rel=1e-10
    )


# ----------------------------------------------------------------- Erlang A


ERLANG_A_CASES = [
    # agents, traffic, aht, patience, target
    (3, 2.5, 60.0, 40.0, 10.0),
    (5, 7.0, 60.0, 100.0, 15.0),  # overloaded: traffic ≥ agents
    (14, 10.0, 180.0, 300.0, 20.0),
    (8, 6.0, 240.0, 30.0, 30.0),  # impatient
]


@pytest.mark.parametrize(("agents", "traffic", "aht", "patience", "target"), ERLANG_A_CASES)
def test_erlang_a_matches_numerically_solved_chain(agents, traffic, aht, patience, target):
    perf = erlang_a(
        agents=agents,
        traffic=traffic,
        aht_seconds=aht,
        patience_seconds=patience,
        target_seconds=target,
    )
    chain = chain_erlang_a(agents, traffic, aht, patience, target)
    assert perf.waiting_probability == pytest.approx(chain["waiting"], rel=1e-8)
    assert perf.abandon_rate == pytest.approx(chain["abandon"], rel=1e-8)
    assert perf.service_level == pytest.approx(chain["service_level"], rel=1e-8)
    assert perf.asa == pytest.approx(chain["asa"], rel=1e-7)
    assert perf.occupancy == pytest.approx(traffic * (1 - chain["abandon"]) / agents, rel=1e-8)


def test_erlang_a_agrees_with_pyworkforce_regression_values():
    # pyworkforce 0.5.4, test_erlanga_regression_metrics (its own truncated-chain solver):
    # 100 calls / 30 min, AHT 3 min, patience 5 min, 14 agents, 20 s target.
    perf = erlang_a(agents=14, traffic=10, aht_seconds=180, patience_seconds=300, target_seconds=20)
    assert round(perf.waiting_probability, 5) == 0.14526
    assert round(perf.abandon_rate, 6) == 0.013984
    assert round(perf.occupancy, 6) == 0.704297
    assert round(perf.service_level, 6) == 0.916792


@pytest.mark.parametrize("agents", [11, 14, 20])
def test_erlang_a_tends_to_erlang_c_as_patience_grows(agents):
    # The gap to Erlang C is a physical O(1/patience) effect: it must shrink ~100× for
    # each 100× more patience, down to floating-point noise.
    reference = erlang_c(agents=agents, traffic=10, aht_seconds=180, target_seconds=20)
    previous = None
    for patience in [1e5, 1e7, 1e9, 1e11]:
        perf = erlang_a(
            agents=agents,
            traffic=10,
            aht_seconds=180,
            patience_seconds=patience,
            target_seconds=20,
        )
        gaps = np.array(
            [
                perf.waiting_probability - reference.waiting_probability,
                perf.service_level - reference.service_level,
                (perf.asa - reference.asa) / reference.asa,
            ]
        )
        if previous is not None:
            assert np.all(np.abs(gaps) <= np.abs(previous) / 80 + 1e-13)
        previous = gaps
    assert perf.waiting_probability == pytest.approx(reference.waiting_probability, rel=1e-7)
    assert perf.service_level == pytest.approx(reference.service_level, rel=1e-7)
    assert perf.asa == pytest.approx(reference.asa, rel=1e-7)
    assert perf.abandon_rate < 1e-8


def test_infinite_patience_is_erlang_c_exactly():
    perf = erlang_a(
        agents=14, traffic=10, aht_seconds=180, patience_seconds=math.inf, target_seconds=20
    )
    reference = erlang_c(agents=14, traffic=10, aht_seconds=180, target_seconds=20)
    assert perf.waiting_probability == reference.waiting_probability
    assert perf.service_level == reference.service_level
    assert perf.asa == reference.asa
    assert perf.abandon_rate == 0.0


def test_erlang_a_tends_to_erlang_b_as_patience_vanishes():
    # θ → ∞: callers who find every agent busy leave at once, the Erlang B loss system.
    perf = erlang_a(
        agents=14, traffic=10, aht_seconds=180, patience_seconds=1e-6, target_seconds=20
    )
    blocking = erlang_b(agents=14, traffic=10)
    assert perf.abandon_rate == pytest.approx(blocking, rel=1e-6)
    assert perf.service_level == pytest.approx(1 - blocking, rel=1e-6)


def test_erlang_a_works_when_traffic_exceeds_agents():
    perf = erlang_a(agents=5, traffic=10, aht_seconds=180, patience_seconds=60, target_seconds=20)
    # flow balance: at most N Erlangs can be carried, so at least 1 − N/A abandon
    assert perf.abandon_rate >= 1 - 5 / 10
    assert 0 < perf.service_level < 1
    assert 0 < perf.occupancy <= 1
    assert math.isfinite(perf.asa)


def test_erlang_a_asa_is_continuous_where_traffic_crosses_agents():
    # below and above A = N the ASA is computed by two exact routes (a sum, an integral)
    common = {"agents": 40, "aht_seconds": 300, "patience_seconds": 180, "target_seconds": 20}
    below = erlang_a(traffic=40 * (1 - 1e-9), **common)
    above = erlang_a(traffic=40 * (1 + 1e-9), **common)
    assert below.asa == pytest.approx(above.asa, rel=1e-7)
    assert below.service_level == pytest.approx(above.service_level, rel=1e-7)


def test_erlang_a_overload_with_very_long_patience_stays_cheap():
    # about 3·10⁹ callers would wait on average: no method may walk the queue state by state
    perf = erlang_a(
        agents=40, traffic=4023.0, aht_seconds=1, patience_seconds=831_522, target_seconds=399
    )
    assert perf.abandon_rate == pytest.approx(1 - 40 / 4023, rel=1e-6)
    assert math.isfinite(perf.asa)
    assert 0 <= perf.service_level < 1e-6


def test_erlang_a_heavy_overload_is_finite():
    perf = erlang_a(
        agents=500, traffic=100_000, aht_seconds=300, patience_seconds=60, target_seconds=20
    )
    assert perf.waiting_probability == pytest.approx(1.0)
    assert perf.abandon_rate == pytest.approx(1 - 500 / 100_000, rel=1e-6)
    assert perf.occupancy == pytest.approx(1.0)


# ----------------------------------------------------------------- required agents


def assert_smallest(result: StaffingResult, **targets: float) -> None:
    """result.agents meets every target and one agent less misses one (or is unstable)."""

    def meets(agents: int) -> bool:
        try:
            perf = evaluate(
                calls=result.calls,
                interval_minutes=result.interval_minutes,
                aht_seconds=result.aht_seconds,
                agents=agents,
                target_seconds=result.target_seconds,
                patience_seconds=targets.get("patience_seconds"),
            )
        except ImpossibleStaffing:
            return False
        return (
            perf.service_level >= targets.get("target_service_level", 0.0)
            and perf.asa <= targets.get("max_asa_seconds", math.inf)
            and (perf.abandon_rate or 0.0) <= targets.get("max_abandon_rate", 1.0)
            and perf.occupancy <= targets.get("max_occupancy", 1.0)
        )

    assert meets(result.agents)
    assert result.agents == 0 or not meets(result.agents - 1)
    assert result.agents - 1 < result.agents_fractional <= result.agents


@pytest.mark.parametrize(
    "targets",
    [
        {"target_service_level": 0.8},
        {"target_service_level": 0.9, "max_asa_seconds": 5.0},
        {"max_asa_seconds": 30.0, "max_occupancy": 0.8},
        {"target_service_level": 0.8, "patience_seconds": 120.0},
        {"max_abandon_rate": 0.02, "patience_seconds": 60.0, "max_occupancy": 0.9},
        {"target_service_level": 0.95, "max_asa_seconds": 3.0, "patience_seconds": 300.0},
    ],
)
def test_required_agents_is_the_smallest_meeting_every_target(targets):
    result = required_agents(
        calls=250, interval_minutes=30, aht_seconds=240, target_seconds=15, **targets
    )
    assert_smallest(result, **targets)
    assert result.model is (Model.ERLANG_A if "patience_seconds" in targets else Model.ERLANG_C)


def test_evaluate_matches_required_agents_at_the_answer():
    result = required_agents(
        calls=100, interval_minutes=30, aht_seconds=180, target_service_level=0.8, shrinkage=0.3
    )
    what_if = evaluate(
        calls=100, interval_minutes=30, aht_seconds=180, agents=result.agents, shrinkage=0.3
    )
    assert isinstance(what_if, StaffingResult)
    # the search carries Erlang B by recursion, evaluate() computes it directly
    assert what_if.service_level == pytest.approx(result.service_level, rel=1e-12)
    assert what_if.asa == pytest.approx(result.asa, rel=1e-12)
    assert what_if.agents_fractional == 14.0
    assert what_if.positions == 20  # ⌈14 / 0.7⌉
    assert what_if.binding == ()


def test_positions_are_whole_agents_grossed_up_and_rounded_up():
    result = required_agents(
        calls=100, interval_minutes=30, aht_seconds=180, target_service_level=0.8, shrinkage=0.3
    )
    # SL(13) = 0.7956, SL(14) = 0.8884: the 80 % crossing is at 13 + 0.0044/0.0928 ≈ 13.047
    sl13 = erlang_c(agents=13, traffic=10, aht_seconds=180, target_seconds=20).service_level
    assert result.agents_fractional == pytest.approx(
        13 + (0.8 - sl13) / (result.service_level - sl13)
    )
    assert result.positions_fractional == pytest.approx(result.agents_fractional / 0.7)
    # positions = ⌈14 / 0.7⌉ = 20, as pyworkforce's required_positions and Call Centre
    # Helper's calculator give for this example; ⌈18.64⌉ = 19 would leave 13.3 on the phones
    assert result.positions == 20
    assert result.positions_fractional == pytest.approx(18.64, abs=0.01)
    assert result.shrinkage == 0.3


def test_fractional_requirement_starts_at_the_stability_boundary():
    # tiny, loose target met by the first stable staffing: interpolate from N = A (SL 0)
    result = required_agents(
        calls=1, interval_minutes=60, aht_seconds=360, target_service_level=0.5, target_seconds=60
    )
    assert result.agents == 1
    assert 0.1 < result.agents_fractional <= 1
    assert result.agents_fractional == pytest.approx(0.1 + 0.9 * 0.5 / result.service_level)


def test_zero_calls_need_zero_agents():
    result = required_agents(
        calls=0, interval_minutes=15, aht_seconds=200, target_service_level=0.8, shrinkage=0.35
    )
    assert (result.agents, result.agents_fractional, result.positions) == (0, 0.0, 0)
    assert result.service_level == 1.0
    assert result.asa == 0.0
    assert result.occupancy == 0.0
    assert result.abandon_rate is None
    with_patience = required_agents(
        calls=0,
        interval_minutes=15,
        aht_seconds=200,
        max_abandon_rate=0.05,
        patience_seconds=90,
    )
    assert with_patience.agents == 0
    assert with_patience.abandon_rate == 0.0


def test_results_are_frozen():
    result = required_agents(
        calls=100, interval_minutes=30, aht_seconds=180, target_service_level=0.8
    )
    with pytest.raises(AttributeError):
        result.agents = 3  # type: ignore[misc]
    perf = erlang_c(agents=14, traffic=10, aht_seconds=180, target_seconds=20)
    assert isinstance(perf, QueuePerformance)
    with pytest.raises(AttributeError):
        perf.asa = 0.0  # type: ignore[misc]


# ----------------------------------------------------------------- errors


def test_erlang_c_refuses_traffic_at_or_above_agents():
    with pytest.raises(ImpossibleStaffing, match="more agents than offered traffic"):
        erlang_c(agents=10, traffic=10, aht_seconds=180, target_seconds=20)
    with pytest.raises(ValueError, match="more agents than offered traffic"):
        evaluate(calls=100, interval_minutes=30, aht_seconds=180, agents=9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"calls": -1}, "calls must be ≥ 0"),
        ({"aht_seconds": 0}, "aht_seconds must be > 0"),
        ({"interval_minutes": float("nan")}, "interval_minutes must be finite"),
        ({"target_service_level": 1.0}, "strictly between 0 and 1"),
        ({"target_service_level": None}, "give at least one target"),
        ({"max_abandon_rate": 0.05}, "needs patience_seconds"),
        ({"shrinkage": 1.0}, "shrinkage must be in"),
        ({"max_occupancy": 0.0}, "max_occupancy must be in"),
        ({"patience_seconds": -5.0}, "patience_seconds must be > 0"),
        ({"max_asa_seconds": 0.0}, "max_asa_seconds must be > 0"),
        ({"target_seconds": -1.0}, "target_seconds must be ≥ 0"),
    ],
)
def test_required_agents_rejects_bad_input(kwargs, message):
    arguments = {
        "calls": 100,
        "interval_minutes": 30,
        "aht_seconds": 180,
        "target_service_level": 0.8,
    } | kwargs
    with pytest.raises(InvalidInput, match=message):
        required_agents(**arguments)


def test_errors_are_value_errors():
    assert issubclass(InvalidInput, ErlangError)
    assert issubclass(ImpossibleStaffing, ErlangError)
    assert issubclass(ErlangError, ValueError)
    with pytest.raises(InvalidInput, match="whole number"):
        erlang_c(agents=14.5, traffic=10, aht_seconds=180, target_seconds=20)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="agents must be ≥ 0"):
        erlang_a(agents=-1, traffic=1, aht_seconds=180, patience_seconds=60, target_seconds=20)
    with pytest.raises(ImpossibleStaffing, match="no agent"):
        erlang_a(agents=0, traffic=1, aht_seconds=180, patience_seconds=60, target_seconds=20)


# ----------------------------------------------------------------- properties

traffics = st.floats(min_value=0.05, max_value=300.0)
ahts = st.floats(min_value=20.0, max_value=1200.0)
targets = st.floats(min_value=0.0, max_value=120.0)
patiences = st.floats(min_value=5.0, max_value=1800.0)


@settings(max_examples=150, deadline=None)
@given(traffic=traffics, aht=ahts, target=targets, extra=st.integers(0, 40))
def test_erlang_c_more_agents_never_lower_sl_nor_raise_asa(traffic, aht, target, extra):
    agents = math.floor(traffic) + 1 + extra
    now = erlang_c(agents=agents, traffic=traffic, aht_seconds=aht, target_seconds=target)
    more = erlang_c(agents=agents + 1, traffic=traffic, aht_seconds=aht, target_seconds=target)
    assert more.service_level >= now.service_level - 1e-12
    assert more.asa <= now.asa * (1 + 1e-12)
    assert more.waiting_probability <= now.waiting_probability * (1 + 1e-12)
    assert 0 <= now.waiting_probability <= 1
    assert 0 <= now.service_level <= 1


@settings(max_examples=100, deadline=None)
@given(
    traffic=traffics,
    aht=ahts,
    patience=patiences,
    target=targets,
    share=st.floats(min_value=0.05, max_value=2.0),
)
def test_erlang_a_more_agents_never_lower_sl_nor_raise_asa_or_abandon(
    traffic, aht, patience, target, share
):
    agents = max(1, round(traffic * share))
    common = {"traffic": traffic, "aht_seconds": aht, "patience_seconds": patience}
    now = erlang_a(agents=agents, target_seconds=target, **common)
    more = erlang_a(agents=agents + 1, target_seconds=target, **common)
    assert more.service_level >= now.service_level - 1e-9
    assert more.asa <= now.asa * (1 + 1e-9) + 1e-12
    assert more.abandon_rate <= now.abandon_rate * (1 + 1e-9) + 1e-15
    assert more.occupancy <= now.occupancy * (1 + 1e-9)
    for perf in (now, more):
        assert 0 <= perf.abandon_rate <= perf.waiting_probability <= 1
        assert 0 <= perf.service_level <= 1


@settings(max_examples=60, deadline=None)
@given(
    calls=st.floats(min_value=0.5, max_value=2000.0),
    aht=ahts,
    level=st.floats(min_value=0.3, max_value=0.98),
    target=targets,
    occupancy=st.floats(min_value=0.5, max_value=1.0),
    shrinkage=st.floats(min_value=0.0, max_value=0.6),
)
def test_required_agents_property_smallest_erlang_c(
    calls, aht, level, target, occupancy, shrinkage
):
    result = required_agents(
        calls=calls,
        interval_minutes=30,
        aht_seconds=aht,
        target_service_level=level,
        target_seconds=target,
        max_occupancy=occupancy,
        shrinkage=shrinkage,
    )
    assert_smallest(result, target_service_level=level, max_occupancy=occupancy)
    assert result.positions_fractional == pytest.approx(result.agents_fractional / (1 - shrinkage))
    whole = result.agents / (1 - shrinkage)
    assert whole - 1e-9 <= result.positions < whole + 1
    assert result.positions >= result.positions_fractional - 1e-9


@settings(max_examples=25, deadline=None)
@given(
    calls=st.floats(min_value=1.0, max_value=600.0),
    aht=ahts,
    patience=patiences,
    abandon=st.floats(min_value=0.005, max_value=0.3),
)
def test_required_agents_property_smallest_erlang_a(calls, aht, patience, abandon):
    targets_given = {"max_abandon_rate": abandon, "patience_seconds": patience}
    result = required_agents(
        calls=calls, interval_minutes=30, aht_seconds=aht, target_seconds=20, **targets_given
    )
    assert_smallest(result, **targets_given)

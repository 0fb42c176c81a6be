"""Erlang C and Erlang A staffing: queue performance and required agents.

Models
------
Both models describe one queue in one planning interval in steady state:

* Calls arrive as a Poisson process with rate λ = calls / interval.
* Handling times (talk + wrap) are exponential with mean AHT (service rate μ = 1 / AHT).
* ``N`` identical agents serve the calls first come, first served.
* Offered traffic ``A = λ · AHT`` in Erlangs; ``ρ = A / N``.

**Erlang C** (M/M/N) assumes callers never hang up, so it only exists for ``N > A``.
**Erlang A** (M/M/N+M) adds exponential patience with mean ``patience`` (abandonment rate
θ = 1 / patience): a caller still waiting when their patience runs out abandons. It exists
for every ``N ≥ 1``, also when ``A ≥ N``, and tends to Erlang C as patience → ∞ and to
Erlang B (blocked calls lost) as patience → 0.

Definitions used for every result
---------------------------------
* ``waiting_probability``: P(W > 0), the share of arriving calls that find all agents busy.
* ``service_level``: the share of *offered* calls answered within ``target_seconds`` (in
  Erlang A a call that abandons counts as not answered within target): the KPI engine's
  X/Y definition on real data, without its short-abandon exclusion (not modelled here).
* ``asa``: average speed of answer, the mean wait of *answered* calls (calls answered at
  once count with a zero wait), in seconds.
* ``occupancy``: carried traffic per agent, ``A (1 - abandon_rate) / N``.
* ``abandon_rate``: P(Ab), the share of offered calls that abandon (Erlang A only).

Sources
-------
* A. K. Erlang (1917), "Solution of some problems in the theory of probabilities of
  significance in automatic telephone exchanges"; Erlang B, Erlang C = N·B / (N − A(1 − B))
  and the Erlang B recursion as in R. B. Cooper, *Introduction to Queueing Theory*, 2nd ed.
  (1981).
* O. Garnett, A. Mandelbaum, M. Reiman (2002), "Designing a call center with impatient
  customers", *Manufacturing & Service Operations Management* 4(3):208-227.
* A. Mandelbaum, S. Zeltyn (2007), "The M/M/n+G queue: summary of performance measures",
  technical note, Technion (exponential-patience special case).

Numerics
--------
No factorial or power is ever formed. Erlang B is ``pmf / cdf`` of a Poisson(A) law taken
in log space with scipy's regularised incomplete gamma function (a series takes over where
the cdf would underflow), so a hundred thousand Erlangs are fine; when solving for agents
it is carried from N to N + 1 by the (stable) Erlang B recursion. The Erlang A functions
are written with the regularised incomplete gamma functions ``P(a, z)`` and ``Q = 1 − P``
(``scipy.special.gammainc``/``gammaincc``) through the Kummer function
``𝒜(x, z) = 1 + z/(x+1) + z²/((x+1)(x+2)) + … = Γ(x+1) e^z z^(−x) P(x, z)``: from
``z ≥ x`` on as ratios of regularised gammas (all of order one there); below, where ``P``
may underflow, ``𝒜`` is summed as that positive series in log space (it converges
geometrically). Every Erlang A measure costs O(1) gamma evaluations or a short series,
whatever the queue length, so heavy overload with very patient callers is cheap too.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from scipy import special
else:

    class _FirstUse:
        """``scipy.special``, imported at its first use (0.2–0.6 s that the processes which
        start Django but never compute Erlang, ``yuqi manage``, the worker, should not pay);
        the first attribute read replaces this stand-in by the module itself, so the hot
        paths afterwards read the module directly. ``yuqi.config.wsgi`` imports it in a
        preloaded server."""

        def __getattr__(self, name: str) -> Any:
            from scipy import special as module

            globals()["special"] = module
            return getattr(module, name)

    special = _FirstUse()

__all__ = [
    "ErlangError",
    "ImpossibleStaffing",
    "InvalidInput",
    "Model",
    "QueuePerformance",
    "StaffingBatch",
    "StaffingResult",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "evaluate",
    "offered_traffic",
    "required_agents",
    "required_agents_batch",
]

_LOG_TAIL = 40.0  # series are cut where the rest is below e^-40 of the sum
_CDF_FLOOR = 1e-280  # below this the Poisson cdf is replaced by a series
_ROUNDING_SLACK = 1e-12  # relative slack before rounding up, so 20.000000000000004 → 20


class ErlangError(ValueError):
    """Base class of every error raised by this module (a ``ValueError``)."""


class InvalidInput(ErlangError):
    """An argument is out of its domain (negative, not finite, a share outside 0-1, …)."""


class ImpossibleStaffing(ErlangError):
    """The model has no answer for these inputs, e.g. Erlang C with traffic ≥ agents."""


class Model(StrEnum):
    ERLANG_C = "erlang_c"
    ERLANG_A = "erlang_a"


@dataclass(frozen=True, slots=True)
class QueuePerformance:
    """Steady-state performance of one queue staffed with ``agents`` agents.

    Times are in seconds; probabilities and shares are in [0, 1]. ``abandon_rate`` is
    ``None`` for Erlang C (callers never abandon).
    """

    model: Model
    agents: int
    traffic: float
    target_seconds: float
    waiting_probability: float
    service_level: float
    asa: float
    occupancy: float
    abandon_rate: float | None


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """Staffing for one interval: agents on the phones, scheduled positions, performance.

    ``agents`` is whole agents on the phones (the smallest integer meeting every target);
    ``agents_fractional`` is the continuous requirement (see ``required_agents``).
    ``positions = ⌈agents / (1 − shrinkage)⌉`` is the scheduled positions: the whole agents
    required, grossed up for shrinkage and rounded up, as workforce planners and the common
    Erlang calculators count them, because ``agents`` must be on the phones at every moment.
    ``positions_fractional = agents_fractional / (1 − shrinkage)`` is the continuous
    figure, kept beside it and for summing across queues and intervals. The performance
    fields describe the queue with ``agents`` whole agents. ``binding`` names the targets
    that set ``agents`` (those the staffing one agent lower would miss).
    """

    model: Model
    calls: float
    interval_minutes: float
    aht_seconds: float
    traffic: float
    agents: int
    agents_fractional: float
    positions: int
    positions_fractional: float
    shrinkage: float
    target_seconds: float
    service_level: float
    asa: float
    waiting_probability: float
    occupancy: float
    abandon_rate: float | None
    binding: tuple[str, ...]


# --------------------------------------------------------------------------- validation


def _real(name: str, value: object, *, allow_inf: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (float, int, Real)):
        raise InvalidInput(f"{name} must be a number, got {value!r}")
    number = float(value)
    if math.isnan(number) or (math.isinf(number) and not allow_inf):
        raise InvalidInput(f"{name} must be finite, got {value!r}")
    return number


def _non_negative(name: str, value: object, *, allow_inf: bool = False) -> float:
    number = _real(name, value, allow_inf=allow_inf)
    if number < 0:
        raise InvalidInput(f"{name} must be ≥ 0, got {value!r}")
    return number


def _positive(name: str, value: object, *, allow_inf: bool = False) -> float:
    number = _real(name, value, allow_inf=allow_inf)
    if number <= 0:
        raise InvalidInput(f"{name} must be > 0, got {value!r}")
    return number


def _open_share(name: str, value: object) -> float:
    number = _real(name, value)
    if not 0 < number < 1:
        raise InvalidInput(f"{name} must be strictly between 0 and 1, got {value!r}")
    return number


def _agent_count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise InvalidInput(f"agents must be a whole number, got {value!r}")
    if int(value) < 0:
        raise InvalidInput(f"agents must be ≥ 0, got {value!r}")
    return int(value)


# --------------------------------------------------------------------------- numerics


def _round_up(value: float) -> int:
    """Smallest integer ≥ value, ignoring floating-point noise above an integer."""
    return math.ceil(value - _ROUNDING_SLACK * max(1.0, abs(value)))


def _log_expm1(value: float) -> float:
    """log(e^v − 1) for v > 0 without overflow."""
    if value > 30.0:
        return value + math.log1p(-math.exp(-value))
    return math.log(math.expm1(value))


def _log_erlang_b(agents: int, traffic: float) -> float:
    """log B(N, A), with B = P(K = N) / P(K ≤ N) for K ~ Poisson(A) (Erlang B)."""
    if agents == 0:
        return 0.0
    if traffic == 0:
        return -math.inf
    log_pmf = agents * math.log(traffic) - traffic - math.lgamma(agents + 1)
    cdf = float(special.pdtr(agents, traffic))
    if cdf > _CDF_FLOOR:
        return log_pmf - math.log(cdf)
    # N far below A: 1/B = Σ_{k=0..N} N!/((N−k)! A^k), terms fall at least as fast as (N/A)^k.
    ratios = (agents - np.arange(agents, dtype=float)) / traffic
    return -math.log1p(float(np.cumprod(ratios).sum()))


def _log_weights(x: float, y: float) -> np.ndarray:
    """log w_j, j = 0..J, with w_j = y^j / ((x+1)(x+2)…(x+j)), cut where the tail is negligible.

    In M/M/N+M with x = Nμ/θ and y = λ/θ, w_j is proportional to the stationary probability
    of j callers waiting (Garnett et al. 2002, eq. 2.2).
    """
    length = max(0, math.ceil(y - x)) + 64
    while True:
        steps = x + np.arange(1, length + 1, dtype=float)
        log_w = np.concatenate(([0.0], np.cumsum(-np.log1p((steps - y) / y))))
        ratio = y / (x + length + 1)  # < 1: length is past the mode
        tail = log_w[-1] + math.log(ratio / (1 - ratio))
        if tail < log_w.max() - _LOG_TAIL:
            return log_w
        length *= 2


def _log_kummer(x: float, z: float) -> tuple[float, float]:
    """(log 𝒜(x, z), log(𝒜(x, z) − 1)) with 𝒜(x, z) = Σ_j w_j = Γ(x+1) e^z z^(−x) P(x, z).

    𝒜 is Garnett-Mandelbaum-Reiman's A(x, y) (the Kummer function ₁F₁(1; x+1; z)).
    """
    if z <= 0:
        return 0.0, -math.inf
    if z < x:
        log_w = _log_weights(x, z)
        above_one = float(special.logsumexp(log_w[1:])) if log_w.size > 1 else -math.inf
        return float(special.logsumexp(log_w)), above_one
    log_a = z - x * math.log(z) + math.lgamma(x + 1) + math.log(float(special.gammainc(x, z)))
    return log_a, _log_expm1(log_a)


# --------------------------------------------------------------------------- the models


def offered_traffic(*, calls: float, interval_minutes: float, aht_seconds: float) -> float:
    """Offered traffic in Erlangs: ``A = calls × AHT / interval`` (interval in seconds).

    Example: 100 calls in 30 minutes with an AHT of 180 s offer 100 × 180 / 1800 = 10 Erlangs.
    """
    calls = _non_negative("calls", calls)
    interval = _positive("interval_minutes", interval_minutes)
    aht = _positive("aht_seconds", aht_seconds)
    return calls * aht / (interval * 60.0)


def erlang_b(*, agents: int, traffic: float) -> float:
    """Erlang B blocking probability (M/M/N/N): ``B = (A^N/N!) / Σ_{k=0..N} A^k/k!``.

    Computed as Poisson pmf / cdf in log space (never with factorials); valid for any
    ``N ≥ 0`` and ``A ≥ 0``. Source: Erlang (1917); Cooper (1981).
    """
    agents = _agent_count(agents)
    traffic = _non_negative("traffic", traffic)
    return math.exp(_log_erlang_b(agents, traffic))


def erlang_c(
    *, agents: int, traffic: float, aht_seconds: float, target_seconds: float
) -> QueuePerformance:
    """Erlang C (M/M/N, no abandonment) performance of ``agents`` agents.

    Formulas (Erlang 1917; Cooper 1981), with B the Erlang B probability and ρ = A/N:

    * P(W > 0) = C = B / (1 − ρ + ρB)   (= N·B / (N − A(1 − B)))
    * service level = P(W ≤ t) = 1 − C · exp(−(N − A) · t / AHT)
    * ASA = E[W] = C · AHT / (N − A)
    * occupancy = A / N

    Raises ``ImpossibleStaffing`` when ``traffic ≥ agents`` (the queue grows without bound;
    use ``erlang_a`` to model callers who hang up) and ``InvalidInput`` for bad arguments.
    With zero traffic nobody waits: service level 1, ASA 0, occupancy 0.
    """
    agents = _agent_count(agents)
    traffic = _non_negative("traffic", traffic)
    aht = _positive("aht_seconds", aht_seconds)
    target = _non_negative("target_seconds", target_seconds)
    if traffic == 0:
        return QueuePerformance(Model.ERLANG_C, agents, 0.0, target, 0.0, 1.0, 0.0, 0.0, None)
    if agents <= traffic:
        raise ImpossibleStaffing(
            f"Erlang C needs more agents than offered traffic: {agents} agents for "
            f"{traffic:.4g} Erlangs would let the queue grow without bound "
            "(give a patience to use Erlang A, which models abandonment)"
        )
    blocking = math.exp(_log_erlang_b(agents, traffic))
    return _erlang_c(agents, traffic, aht, target, blocking)


def _erlang_c(
    agents: int, traffic: float, aht: float, target: float, blocking: float
) -> QueuePerformance:
    """Erlang C measures from the Erlang B probability ``blocking`` (checked inputs, N > A)."""
    rho = traffic / agents
    wait = blocking / (1.0 - rho + rho * blocking)
    spare = agents - traffic
    service_level = 1.0 - wait * math.exp(-spare * target / aht)
    asa = wait * aht / spare
    return QueuePerformance(
        Model.ERLANG_C, agents, traffic, target, wait, service_level, asa, rho, None
    )


def erlang_a(
    *,
    agents: int,
    traffic: float,
    aht_seconds: float,
    patience_seconds: float,
    target_seconds: float,
) -> QueuePerformance:
    """Erlang A (M/M/N+M, exponential patience) performance of ``agents`` agents.

    With μ = 1/AHT, θ = 1/patience, λ = A·μ, x = Nμ/θ, y = λ/θ, ρ = A/N, E the Erlang B
    probability B(N, A) and 𝒜(x, y) = Γ(x+1) e^y y^(−x) P(x, y) (P the regularised lower
    incomplete gamma function), Garnett, Mandelbaum & Reiman (2002) and Mandelbaum &
    Zeltyn (2007) give:

    * P(W > 0) = 𝒜(x, y) E / (1 + (𝒜(x, y) − 1) E)
    * P(Ab | W > 0) = 1 − 1/ρ + 1/(ρ 𝒜(x, y)),  P(Ab) = P(W > 0) · P(Ab | W > 0)
    * P(answered, 0 < W ≤ t) = P(W > 0) · [(𝒜(x, y) − 1) − (𝒜(x, z) − 1) e^(−Nμt + y − z)]
      / (ρ 𝒜(x, y)), with z = y e^(−θt); service level = 1 − P(W > 0) + that.

    ASA (mean wait of answered calls) is not among the published closed forms; it is
    derived here from the same model: integrating P(answered, W > t) over t gives
    E[W; answered] = P(W>0) / (ρ θ P(x, y)) · ∫_0^y P(x+1, u)/u du, evaluated as
    ln y − ψ(x+1) + ∫_y^∞ Q(x+1, u)/u du (Q = 1 − P) for y ≥ x, and for y < x as the
    equivalent sum over the number j of callers found waiting (answered with probability
    x/(x+j+1) after (1/θ) Σ_{i=1..j+1} 1/(x+i) on average, weights y^j/((x+1)…(x+j))).

    Valid for every ``agents ≥ 1`` including ``traffic ≥ agents``. ``patience_seconds =
    inf`` gives Erlang C exactly (``abandon_rate = 0``). Raises ``ImpossibleStaffing`` for
    zero agents with traffic (no call could ever be answered).
    """
    agents = _agent_count(agents)
    traffic = _non_negative("traffic", traffic)
    aht = _positive("aht_seconds", aht_seconds)
    patience = _positive("patience_seconds", patience_seconds, allow_inf=True)
    target = _non_negative("target_seconds", target_seconds)
    if traffic == 0:
        return QueuePerformance(Model.ERLANG_A, agents, 0.0, target, 0.0, 1.0, 0.0, 0.0, 0.0)
    if agents == 0:
        raise ImpossibleStaffing("with no agent no call can be answered")
    if math.isinf(patience):
        result = erlang_c(agents=agents, traffic=traffic, aht_seconds=aht, target_seconds=target)
        return _as_model(result, Model.ERLANG_A, 0.0)
    return _erlang_a(agents, traffic, aht, patience, target)


def _as_model(result: QueuePerformance, model: Model, abandon_rate: float) -> QueuePerformance:
    return QueuePerformance(
        model,
        result.agents,
        result.traffic,
        result.target_seconds,
        result.waiting_probability,
        result.service_level,
        result.asa,
        result.occupancy,
        abandon_rate,
    )


def _erlang_a(
    agents: int, traffic: float, aht: float, patience: float, target: float
) -> QueuePerformance:
    x = agents * patience / aht
    y = traffic * patience / aht
    rho = traffic / agents
    log_s, log_s_minus_one = _log_kummer(x, y)
    log_e = _log_erlang_b(agents, traffic)
    # P(W>0) = E·S / (1 + (S−1)·E) = 1 / (1 + (1−E)/(E·S))
    not_blocked = -math.expm1(log_e)
    wait = 1.0 if not_blocked == 0 else float(special.expit(log_e + log_s - math.log(not_blocked)))
    served_if_waiting = min(1.0, math.exp(log_s_minus_one - log_s) / rho)  # (1 − 1/S)/ρ
    abandon = wait * (1.0 - served_if_waiting)
    answered = (1.0 - wait) + wait * served_if_waiting  # = 1 − abandon, kept exact when tiny
    in_time = _answered_in_time(x, y, rho, target / patience, log_s, served_if_waiting)
    service_level = (1.0 - wait) + wait * min(served_if_waiting, in_time)
    asa = _erlang_a_asa(x, y, patience, wait, answered)
    occupancy = min(1.0, traffic * answered / agents)
    return QueuePerformance(
        Model.ERLANG_A,
        agents,
        traffic,
        target,
        wait,
        min(1.0, service_level),
        asa,
        occupancy,
        abandon,
    )


def _answered_in_time(
    x: float, y: float, rho: float, patience_time: float, log_s: float, answered: float
) -> float:
    """P(answered, W ≤ t | W > 0), with z = y e^(−θt), given ``answered`` = P(answered | W > 0).

    = [(𝒜(x, y) − 1) − (𝒜(x, z) − 1) e^(−Nμt + y − z)] / (ρ 𝒜(x, y)), which equals
    [P(x+1, y) − P(x+1, z)] / (ρ P(x, y)). The second form is used from y ≥ x on, where
    the regularised gammas are of order one (log 𝒜 there is a difference of huge terms);
    the first, in log space with 𝒜 summed as a series, below.
    """
    z = y * math.exp(-patience_time)
    if y >= x:
        upper = float(special.gammaincc(x + 1, z) - special.gammaincc(x + 1, y))
        return max(0.0, upper) / (rho * float(special.gammainc(x, y)))
    _, log_z_minus_one = _log_kummer(x, z)
    if log_z_minus_one == -math.inf:
        return answered
    # −Nμt + y − z, with Nμt = x·θt
    exponent = log_z_minus_one - x * patience_time - y * math.expm1(-patience_time) - log_s
    return max(0.0, answered - math.exp(exponent) / rho)


def _erlang_a_asa(x: float, y: float, patience: float, wait: float, answered: float) -> float:
    """Mean wait of answered calls, E[W; answered] / P(answered), in seconds.

    Callers who find j waiting are answered with probability x/(x+j+1) after waiting on
    average (1/θ) Σ_{i=1..j+1} 1/(x+i); j has weights w_j. Below x (y < x) that sum
    converges geometrically and is summed. From y ≥ x on, where it would need about y − x
    terms, the same quantity is integrated in closed form over the waiting time:
    E[W; answered] = P(W>0) / (ρ θ P(x, y)) · (ln y − ψ(x+1) + ∫_y^∞ Q(x+1, u)/u du),
    Q = 1 − P, one smooth one-dimensional integral.
    """
    if wait == 0.0 or answered <= 0.0:
        return 0.0
    if y < x:
        log_w = _log_weights(x, y)
        weights = np.exp(log_w - special.logsumexp(log_w))
        j = np.arange(log_w.size, dtype=float)
        waited = np.cumsum(1.0 / (x + j + 1.0))  # Σ_{i=1..j+1} 1/(x+i), in units of 1/θ
        per_waiting_call = float(np.dot(weights, x / (x + j + 1.0) * waited))
    else:
        integral = math.log(y) - float(special.digamma(x + 1)) + _upper_gamma_log_tail(x + 1, y)
        per_waiting_call = integral * x / (y * float(special.gammainc(x, y)))
    return wait * patience * per_waiting_call / answered


def _upper_gamma_log_tail(shape: float, start: float) -> float:
    """∫_start^∞ Q(shape, u)/u du (= E[(ln U − ln start)⁺] for U ~ Gamma(shape))."""
    scale = math.sqrt(shape) + 1.0  # Q falls off on this scale past the mode

    def integrand(v: float) -> float:
        u = start + scale * v
        return float(special.gammaincc(shape, u)) / u

    from scipy import integrate  # only here: most processes never need it

    value, _ = integrate.quad(integrand, 0.0, 60.0, epsabs=1e-15, epsrel=1e-11, limit=200)
    return scale * value


# --------------------------------------------------------------------------- staffing


@dataclass(frozen=True, slots=True)
class _Queue:
    """One interval's queue, ready to be evaluated for any number of agents."""

    model: Model
    traffic: float
    aht: float
    patience: float
    target: float

    def performance(self, agents: int) -> QueuePerformance:
        if self.model is Model.ERLANG_C:
            return erlang_c(
                agents=agents,
                traffic=self.traffic,
                aht_seconds=self.aht,
                target_seconds=self.target,
            )
        return erlang_a(
            agents=agents,
            traffic=self.traffic,
            aht_seconds=self.aht,
            patience_seconds=self.patience,
            target_seconds=self.target,
        )

    @property
    def needs_stability(self) -> bool:
        """True when callers never abandon, so agents must exceed the traffic."""
        return self.patience == math.inf

    @property
    def lowest_agents(self) -> int:
        """Fewest agents the model can evaluate (Erlang C: more than the traffic)."""
        return math.floor(self.traffic) + 1 if self.needs_stability else 1

    @property
    def anchor(self) -> float:
        """Where the performance curve starts: SL 0, answer speed 0, occupancy 1, all abandon.

        Erlang C reaches it at N = A (the stability boundary), Erlang A at N = 0.
        """
        return self.traffic if self.needs_stability else 0.0


@dataclass(frozen=True, slots=True)
class _Target:
    """A target on a score that rises with agents: score(perf) ≥ threshold."""

    name: str
    threshold: float
    score: Callable[[QueuePerformance], float]
    anchor_score: float


def _speed(perf: QueuePerformance) -> float:
    return math.inf if perf.asa == 0 else 1.0 / perf.asa


def _relief(perf: QueuePerformance) -> float:
    return math.inf if perf.occupancy == 0 else 1.0 / perf.occupancy


def _kept(perf: QueuePerformance) -> float:
    return 1.0 - (perf.abandon_rate or 0.0)


def _targets(
    service_level: float | None,
    max_asa: float | None,
    max_abandon: float | None,
    max_occupancy: float,
) -> list[_Target]:
    targets: list[_Target] = []
    if service_level is not None:
        targets.append(_Target("service_level", service_level, lambda p: p.service_level, 0.0))
    if max_asa is not None:
        targets.append(_Target("asa", 1.0 / max_asa, _speed, 0.0))
    if max_abandon is not None:
        targets.append(_Target("abandon_rate", 1.0 - max_abandon, _kept, 0.0))
    if max_occupancy < 1.0:
        targets.append(_Target("occupancy", 1.0 / max_occupancy, _relief, 1.0))
    return targets


class _Evaluations:
    """Memoised performance per agent count, with the 'meets every target' test.

    Under Erlang C the Erlang B probability of N agents is carried to N + 1 by the
    recursion B(N+1) = A·B(N) / (N + 1 + A·B(N)) (stable upwards), so scanning agent
    counts in order costs O(1) each.
    """

    def __init__(self, queue: _Queue, targets: list[_Target]) -> None:
        self.queue = queue
        self.targets = targets
        self._cache: dict[int, QueuePerformance] = {}
        self._blocking: dict[int, float] = {}

    def __getitem__(self, agents: int) -> QueuePerformance:
        if agents not in self._cache:
            self._cache[agents] = self._performance(agents)
        return self._cache[agents]

    def _performance(self, agents: int) -> QueuePerformance:
        queue = self.queue
        if not queue.needs_stability:
            return queue.performance(agents)
        previous = self._blocking.get(agents - 1)
        if previous is None:
            blocking = math.exp(_log_erlang_b(agents, queue.traffic))
        else:
            blocking = queue.traffic * previous / (agents + queue.traffic * previous)
        self._blocking[agents] = blocking
        perf = _erlang_c(agents, queue.traffic, queue.aht, queue.target, blocking)
        return perf if queue.model is Model.ERLANG_C else _as_model(perf, queue.model, 0.0)

    def meets_all(self, agents: int) -> bool:
        perf = self[agents]
        return all(target.score(perf) >= target.threshold for target in self.targets)

    def _occupancy_floor(self) -> int:
        """Under Erlang C occupancy is A/N, so a cap c needs N ≥ A/c whatever else holds."""
        caps = [t.threshold for t in self.targets if t.name == "occupancy"]
        return _round_up(self.queue.traffic * caps[0]) if caps else 0

    def smallest_meeting_all(self) -> int:
        """Smallest agent count meeting every target.

        Erlang C: scan upwards from the first stable count (the answer is typically
        A + β√A, a few dozen steps of O(1) each), or from A / max occupancy when that is
        higher. Erlang A: gallop and bisect from N ≈ A.
        """
        lowest = self.queue.lowest_agents
        if self.queue.needs_stability:
            agents = max(lowest, self._occupancy_floor() - 1)
            while not self.meets_all(agents):
                agents += 1
            return agents
        return _smallest_meeting(self.meets_all, lowest, max(1, round(self.queue.traffic)))


def _smallest_meeting(meets: Callable[[int], bool], lowest: int, guess: int) -> int:
    """Smallest n ≥ lowest with meets(n), for a predicate that never turns false again.

    Gallops from ``guess`` (steps 1, 2, 4, …) to bracket the answer, then bisects.
    """
    guess = max(lowest, guess)
    step = 1
    if meets(guess):
        high, low = guess, guess - 1
        while low >= lowest and meets(low):
            high, step = low, step * 2
            low = high - step
        low = max(low, lowest - 1)
    else:
        low, high = guess, guess + 1
        while not meets(high):
            if step > 2**50:
                raise ImpossibleStaffing("no number of agents meets these targets")
            low, step = high, step * 2
            high = low + step
    while high - low > 1:
        middle = (low + high) // 2
        if meets(middle):
            high = middle
        else:
            low = middle
    return high


def _fractional(evaluations: _Evaluations, agents: int) -> tuple[float, tuple[str, ...]]:
    """Continuous requirement and the targets binding at ``agents``.

    For each target missed with one agent less, the score is interpolated linearly between
    that staffing (or the curve's anchor when it is below what the model allows) and
    ``agents``; the requirement is the largest crossing point.
    """
    queue = evaluations.queue
    below = agents - 1
    at = evaluations[agents]
    if below >= queue.lowest_agents:
        start: float = below
        perf_below = evaluations[below]
        scores_below = [target.score(perf_below) for target in evaluations.targets]
    else:
        start = queue.anchor
        scores_below = [target.anchor_score for target in evaluations.targets]
    crossings: list[float] = []
    binding: list[str] = []
    for target, low in zip(evaluations.targets, scores_below, strict=True):
        if low >= target.threshold:
            continue
        high = target.score(at)
        share = 1.0 if math.isinf(high) else (target.threshold - low) / (high - low)
        crossings.append(start + (agents - start) * min(1.0, max(0.0, share)))
        binding.append(target.name)
    return (max(crossings) if crossings else float(agents)), tuple(binding)


def required_agents(
    *,
    calls: float,
    interval_minutes: float,
    aht_seconds: float,
    target_service_level: float | None = None,
    target_seconds: float = 20.0,
    max_asa_seconds: float | None = None,
    max_abandon_rate: float | None = None,
    patience_seconds: float | None = None,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Fewest agents meeting every target, and the positions to schedule for them.

    Targets (give at least one of the first three; all given targets must hold):

    * ``target_service_level`` X of calls answered within ``target_seconds`` Y (X/Y);
    * ``max_asa_seconds``: average speed of answer at most this;
    * ``max_abandon_rate``: share of calls abandoning at most this (needs a patience);
    * ``max_occupancy``: occupancy at most this (1.0 = no occupancy limit).

    Without ``patience_seconds`` the queue is Erlang C; with it, Erlang A (see
    ``erlang_a``). Every metric is monotone in the number of agents, so the answer is
    found by an upward scan from the first stable staffing (Erlang C, O(1) per step) or by
    galloping and bisection from N ≈ A (Erlang A); ``agents`` is the smallest whole number
    meeting every target, so one agent less misses at least one (named in ``binding``).

    ``agents_fractional`` is a continuous relaxation: for each binding target the target's
    score is interpolated linearly between ``agents − 1`` and ``agents`` and the crossing
    point taken (the score is the service level, 1/ASA, 1 − abandon rate or 1/occupancy;
    1/occupancy is linear in N under Erlang C, so an occupancy target gives exactly
    ``A / max_occupancy`` there). When ``agents − 1`` is below what the model allows the
    interpolation starts from the curve's own start: N = A for Erlang C (service level 0,
    ASA infinite, occupancy 1), N = 0 for Erlang A. It satisfies
    ``agents − 1 < agents_fractional ≤ agents``.

    Positions: ``positions = ⌈agents / (1 − shrinkage)⌉``, the whole agents grossed up for
    shrinkage and rounded up (Call Centre Helper's Erlang calculator, pyworkforce's
    ``ErlangC.required_positions``: 14 agents at 30 % shrinkage → 20 positions), so that
    after shrinkage at least ``agents`` are on the phones in the interval.
    ``positions_fractional = agents_fractional / (1 − shrinkage)`` is the continuous
    requirement, shown beside it; sum those across queues and intervals before rounding
    when pooling (a pooled requirement rounded once is smaller than the sum of rounded
    ones, the pyworkforce #41 lesson), never to staff one interval.

    Zero calls need zero agents and zero positions (service level 1, ASA 0).
    Raises ``InvalidInput`` for out-of-range arguments.
    """
    traffic = offered_traffic(
        calls=calls, interval_minutes=interval_minutes, aht_seconds=aht_seconds
    )
    service_level = _optional_share("target_service_level", target_service_level)
    max_abandon = _optional_share("max_abandon_rate", max_abandon_rate)
    max_asa = None if max_asa_seconds is None else _positive("max_asa_seconds", max_asa_seconds)
    if service_level is None and max_asa is None and max_abandon is None:
        raise InvalidInput(
            "give at least one target: target_service_level, max_asa_seconds or max_abandon_rate"
        )
    if max_abandon is not None and patience_seconds is None:
        raise InvalidInput("max_abandon_rate needs patience_seconds (the Erlang A model)")
    occupancy = _real("max_occupancy", max_occupancy)
    if not 0 < occupancy <= 1:
        raise InvalidInput(f"max_occupancy must be in (0, 1], got {max_occupancy!r}")
    queue = _queue(traffic, aht_seconds, patience_seconds, target_seconds)
    shrink = _shrinkage(shrinkage)
    calls, interval = float(calls), float(interval_minutes)
    if traffic == 0:
        return _idle(queue, calls, interval, 0, shrink)
    evaluations = _Evaluations(queue, _targets(service_level, max_asa, max_abandon, occupancy))
    agents = evaluations.smallest_meeting_all()
    fractional, binding = _fractional(evaluations, agents)
    return _result(evaluations[agents], calls, interval, queue, fractional, shrink, binding)


def evaluate(
    *,
    calls: float,
    interval_minutes: float,
    aht_seconds: float,
    agents: int,
    target_seconds: float = 20.0,
    patience_seconds: float | None = None,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Performance of a given number of agents on the phones (a what-if), as a StaffingResult.

    Same models and definitions as ``required_agents``; ``agents_fractional`` is ``agents``,
    ``positions = ⌈agents / (1 − shrinkage)⌉`` and ``binding`` is empty. Erlang C (no
    patience) raises ``ImpossibleStaffing`` when the traffic is not below ``agents``.
    """
    traffic = offered_traffic(
        calls=calls, interval_minutes=interval_minutes, aht_seconds=aht_seconds
    )
    agents = _agent_count(agents)
    queue = _queue(traffic, aht_seconds, patience_seconds, target_seconds)
    shrink = _shrinkage(shrinkage)
    calls, interval = float(calls), float(interval_minutes)
    if traffic == 0:
        return _idle(queue, calls, interval, agents, shrink)
    perf = queue.performance(agents)
    return _result(perf, calls, interval, queue, float(agents), shrink, ())


def _optional_share(name: str, value: float | None) -> float | None:
    return None if value is None else _open_share(name, value)


def _shrinkage(value: float) -> float:
    shrink = _real("shrinkage", value)
    if not 0 <= shrink < 1:
        raise InvalidInput(f"shrinkage must be in [0, 1), got {value!r}")
    return shrink


def _queue(
    traffic: float, aht_seconds: float, patience_seconds: float | None, target_seconds: float
) -> _Queue:
    target = _non_negative("target_seconds", target_seconds)
    if patience_seconds is None:
        return _Queue(Model.ERLANG_C, traffic, float(aht_seconds), math.inf, target)
    patience = _positive("patience_seconds", patience_seconds, allow_inf=True)
    return _Queue(Model.ERLANG_A, traffic, float(aht_seconds), patience, target)


def _idle(
    queue: _Queue, calls: float, interval: float, agents: int, shrink: float
) -> StaffingResult:
    """No traffic: nobody waits or abandons and the agents (if any) are idle."""
    perf = QueuePerformance(
        model=queue.model,
        agents=agents,
        traffic=0.0,
        target_seconds=queue.target,
        waiting_probability=0.0,
        service_level=1.0,
        asa=0.0,
        occupancy=0.0,
        abandon_rate=0.0 if queue.model is Model.ERLANG_A else None,
    )
    return _result(perf, calls, interval, queue, float(agents), shrink, ())


def _result(
    perf: QueuePerformance,
    calls: float,
    interval: float,
    queue: _Queue,
    fractional: float,
    shrink: float,
    binding: tuple[str, ...],
) -> StaffingResult:
    positions_fractional = fractional / (1 - shrink)
    return StaffingResult(
        model=queue.model,
        calls=calls,
        interval_minutes=interval,
        aht_seconds=queue.aht,
        traffic=queue.traffic,
        agents=perf.agents,
        agents_fractional=fractional,
        positions=_round_up(perf.agents / (1 - shrink)),
        positions_fractional=positions_fractional,
        shrinkage=shrink,
        target_seconds=queue.target,
        service_level=perf.service_level,
        asa=perf.asa,
        waiting_probability=perf.waiting_probability,
        occupancy=perf.occupancy,
        abandon_rate=perf.abandon_rate,
        binding=binding,
    )


# --------------------------------------------------------------------------- batches


@dataclass(frozen=True, slots=True, eq=False)
class StaffingBatch:
    """``required_agents`` for many problems at once, as NumPy arrays (one entry per problem).

    Every array has the batch's length and the meaning of the ``StaffingResult`` field of the
    same name. ``erlang_a`` is True where a patience was given (Erlang A; a patience of
    ``inf`` is Erlang A with Erlang C's answers, as in the scalar API); ``abandon_rate`` is
    NaN for Erlang C problems. ``binding_service_level`` and ``binding_occupancy`` say which
    targets set ``agents``. ``scalar_fallbacks`` counts the problems that were handed to the
    scalar ``required_agents`` because a vectorised value came within rounding distance of a
    target (or of a whole number of positions) or left the vectorised formulas' safe range.
    ``result(i)`` builds the ``StaffingResult`` of problem ``i``.
    """

    calls: np.ndarray
    interval_minutes: np.ndarray
    aht_seconds: np.ndarray
    target_seconds: np.ndarray
    shrinkage: np.ndarray
    erlang_a: np.ndarray
    traffic: np.ndarray
    agents: np.ndarray
    agents_fractional: np.ndarray
    positions: np.ndarray
    positions_fractional: np.ndarray
    service_level: np.ndarray
    asa: np.ndarray
    waiting_probability: np.ndarray
    occupancy: np.ndarray
    abandon_rate: np.ndarray
    binding_service_level: np.ndarray
    binding_occupancy: np.ndarray
    scalar_fallbacks: int

    def __len__(self) -> int:
        return int(self.agents.size)

    def result(self, index: int) -> StaffingResult:
        """Problem ``index`` as the ``StaffingResult`` that ``required_agents`` returns."""
        i = int(index)
        model = Model.ERLANG_A if self.erlang_a[i] else Model.ERLANG_C
        binding = tuple(
            name
            for name, flag in (
                ("service_level", self.binding_service_level[i]),
                ("occupancy", self.binding_occupancy[i]),
            )
            if flag
        )
        return StaffingResult(
            model=model,
            calls=float(self.calls[i]),
            interval_minutes=float(self.interval_minutes[i]),
            aht_seconds=float(self.aht_seconds[i]),
            traffic=float(self.traffic[i]),
            agents=int(self.agents[i]),
            agents_fractional=float(self.agents_fractional[i]),
            positions=int(self.positions[i]),
            positions_fractional=float(self.positions_fractional[i]),
            shrinkage=float(self.shrinkage[i]),
            target_seconds=float(self.target_seconds[i]),
            service_level=float(self.service_level[i]),
            asa=float(self.asa[i]),
            waiting_probability=float(self.waiting_probability[i]),
            occupancy=float(self.occupancy[i]),
            abandon_rate=float(self.abandon_rate[i]) if self.erlang_a[i] else None,
            binding=binding,
        )

    def results(self) -> list[StaffingResult]:
        return [self.result(i) for i in range(len(self))]


# Relative distance to a target (or to a whole number) below which a vectorised answer is
# not trusted to round the same way as the scalar one and the problem goes to the scalar path.
_BATCH_TIE = 1e-9


def required_agents_batch(
    *,
    calls: object,
    interval_minutes: object,
    aht_seconds: object,
    target_service_level: object,
    target_seconds: object = 20.0,
    shrinkage: object = 0.0,
    max_occupancy: object = 1.0,
    patience_seconds: object = None,
) -> StaffingBatch:
    """``required_agents`` over arrays of problems: the same answers, vectorised with NumPy.

    Each argument is a number or an array; they are broadcast to one length. Targets are a
    service level X within Y seconds and an optional occupancy cap (the staffing plan's
    targets; use the scalar API for ASA or abandonment targets). ``patience_seconds=None``
    means Erlang C for every problem; an array gives Erlang A per problem, with NaN meaning
    "no patience" (Erlang C) for that problem.

    Same models, search and definitions as ``required_agents``: Erlang C scans upwards from
    the first stable staffing carrying Erlang B by its recursion, for all problems at once;
    Erlang A gallops and bisects from N ≈ A for all problems at once, with the measures
    written through regularised incomplete gamma functions (``P(x+1, y)/P(x, y) = 1 − 1/𝒜``
    keeps the served share free of cancellation). Whole-number answers (agents, positions,
    binding targets) are identical to the scalar function's: floating-point results can
    differ from the scalar ones in the last digits (NumPy's and the C library's exp/log
    round differently), so a problem whose score comes within a relative 1e-9 of a target
    at any staffing tried, whose positions come within 1e-9 of a whole number, or whose
    values leave the closed forms' range (underflow) is solved by the scalar function
    instead (counted in ``scalar_fallbacks``). Erlang A's ASA is computed per problem at the
    final staffing only, with the scalar formula.

    Raises ``InvalidInput`` naming the argument and the first bad position.
    """
    problems = _batch_inputs(
        calls, interval_minutes, aht_seconds, target_service_level, target_seconds,
        shrinkage, max_occupancy, patience_seconds,
    )  # fmt: skip
    return _solve_batch(problems)


@dataclass(frozen=True, slots=True)
class _BatchInputs:
    calls: np.ndarray
    interval: np.ndarray
    aht: np.ndarray
    level: np.ndarray
    target: np.ndarray
    shrink: np.ndarray
    cap: np.ndarray
    patience: np.ndarray  # inf where Erlang C maths apply
    erlang_a: np.ndarray
    patience_given: bool

    @property
    def traffic(self) -> np.ndarray:
        return self.calls * self.aht / (self.interval * 60.0)


def _batch_inputs(
    calls: object,
    interval: object,
    aht: object,
    level: object,
    target: object,
    shrink: object,
    cap: object,
    patience: object,
) -> _BatchInputs:
    named = {
        "calls": calls,
        "interval_minutes": interval,
        "aht_seconds": aht,
        "target_service_level": level,
        "target_seconds": target,
        "shrinkage": shrink,
        "max_occupancy": cap,
        "patience_seconds": np.nan if patience is None else patience,
    }
    arrays: dict[str, np.ndarray] = {}
    for name, value in named.items():
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"{name} must be numbers: {exc}") from exc
        if array.ndim > 1:
            raise InvalidInput(f"{name} must be a number or a one-dimensional array")
        arrays[name] = array
    try:
        shaped = np.broadcast_arrays(*arrays.values())
    except ValueError as exc:
        sizes = {name: array.size for name, array in arrays.items() if array.ndim}
        raise InvalidInput(f"arrays of different lengths: {sizes}") from exc
    a = {name: np.ascontiguousarray(array) for name, array in zip(arrays, shaped, strict=True)}
    _check(a, "calls", lambda v: np.isfinite(v) & (v >= 0), "a finite number ≥ 0")
    _check(a, "interval_minutes", lambda v: np.isfinite(v) & (v > 0), "a finite number > 0")
    _check(a, "aht_seconds", lambda v: np.isfinite(v) & (v > 0), "a finite number > 0")
    _check(a, "target_service_level", lambda v: (v > 0) & (v < 1), "strictly between 0 and 1")
    _check(a, "target_seconds", lambda v: np.isfinite(v) & (v >= 0), "a finite number ≥ 0")
    _check(a, "shrinkage", lambda v: (v >= 0) & (v < 1), "in [0, 1)")
    _check(a, "max_occupancy", lambda v: (v > 0) & (v <= 1), "in (0, 1]")
    _check(a, "patience_seconds", lambda v: np.isnan(v) | (v > 0), "> 0 (or NaN for none)")
    patience_array = a["patience_seconds"]
    erlang_a = ~np.isnan(patience_array)
    return _BatchInputs(
        calls=a["calls"],
        interval=a["interval_minutes"],
        aht=a["aht_seconds"],
        level=a["target_service_level"],
        target=a["target_seconds"],
        shrink=a["shrinkage"],
        cap=a["max_occupancy"],
        patience=np.where(erlang_a, patience_array, np.inf),
        erlang_a=erlang_a,
        patience_given=patience is not None,
    )


def _check(
    arrays: dict[str, np.ndarray],
    name: str,
    valid: Callable[[np.ndarray], np.ndarray],
    rule: str,
) -> None:
    values = arrays[name]
    with np.errstate(invalid="ignore"):
        bad = ~valid(values)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InvalidInput(f"{name}[{first}] must be {rule}, got {values[first]!r}")


@dataclass(slots=True)
class _Perf:
    """Vectorised performance of a subset of problems at given agent counts."""

    wait: np.ndarray
    service_level: np.ndarray
    occupancy: np.ndarray
    answered: np.ndarray
    abandon: np.ndarray
    unsafe: np.ndarray  # values outside the closed forms' range: use the scalar path


def _solve_batch(p: _BatchInputs) -> StaffingBatch:
    size = p.calls.size
    traffic = p.traffic
    agents = np.zeros(size, dtype=np.int64)
    fallback = np.zeros(size, dtype=bool)
    stable = np.isinf(p.patience)  # Erlang C maths (also Erlang A with infinite patience)
    busy = traffic > 0
    c_index = np.flatnonzero(busy & stable)
    a_index = np.flatnonzero(busy & ~stable)
    if c_index.size:
        agents[c_index], flagged = _scan_erlang_c(p, traffic, c_index)
        fallback[c_index[flagged]] = True
    if a_index.size:
        agents[a_index], flagged = _search_erlang_a(p, traffic, a_index)
        fallback[a_index[flagged]] = True
    out = _batch_outputs(p, traffic, agents, fallback)
    return _apply_fallbacks(p, out, fallback)


def _occupancy_threshold(p: _BatchInputs, index: np.ndarray) -> np.ndarray:
    """1 / max_occupancy where there is an occupancy target, 0 (always met) where there isn't."""
    cap = p.cap[index]
    return np.where(cap < 1.0, 1.0 / cap, 0.0)


def _near(score: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    return np.abs(score - threshold) <= _BATCH_TIE * np.maximum(1.0, np.abs(threshold))


def _round_up_array(values: np.ndarray) -> np.ndarray:
    """``_round_up`` elementwise; non-finite entries (problems going to the scalar path) → 0."""
    rounded = np.ceil(values - _ROUNDING_SLACK * np.maximum(1.0, np.abs(values)))
    return np.where(np.isfinite(rounded), rounded, 0.0).astype(np.int64)


def _log_erlang_b_array(agents: np.ndarray, traffic: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log B(N, A) as Poisson pmf / cdf, and where the cdf is too small to trust (unsafe)."""
    n = agents.astype(float)
    cdf = special.pdtr(n, traffic)
    unsafe = ~(cdf > _CDF_FLOOR)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_b = n * np.log(traffic) - traffic - special.gammaln(n + 1) - np.log(cdf)
    return np.where(n == 0, 0.0, log_b), unsafe & (n > 0)


def _erlang_c_perf(
    agents: np.ndarray, traffic: np.ndarray, aht: np.ndarray, target: np.ndarray, blocking
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(wait, service level, asa, occupancy) of ``_erlang_c`` over arrays (N > A)."""
    rho = traffic / agents
    wait = blocking / (1.0 - rho + rho * blocking)
    spare = agents - traffic
    service_level = 1.0 - wait * np.exp(-spare * target / aht)
    return wait, service_level, wait * aht / spare, rho


def _scan_erlang_c(
    p: _BatchInputs, traffic: np.ndarray, index: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Upward scan of ``_Evaluations.smallest_meeting_all`` for all Erlang C problems."""
    a = traffic[index]
    aht, target, level = p.aht[index], p.target[index], p.level[index]
    occupancy_threshold = _occupancy_threshold(p, index)
    lowest = np.floor(a).astype(np.int64) + 1
    floor = np.where(occupancy_threshold > 0, _round_up_array(a * occupancy_threshold), 0)
    n = np.maximum(lowest, floor - 1)
    log_b, unsafe = _log_erlang_b_array(n, a)
    blocking = np.exp(log_b)
    flagged = unsafe.copy()
    answer = np.zeros(index.size, dtype=np.int64)
    active = np.arange(index.size)
    while active.size:
        nf = n[active].astype(float)
        _, level_now, _, rho = _erlang_c_perf(
            nf, a[active], aht[active], target[active], blocking[active]
        )
        flagged[active] |= _near(level_now, level[active])
        meets = (level_now >= level[active]) & (1.0 / rho >= occupancy_threshold[active])
        answer[active[meets]] = n[active[meets]]
        active = active[~meets]
        previous = blocking[active]
        n[active] += 1
        blocking[active] = a[active] * previous / (n[active] + a[active] * previous)
    return answer, flagged


def _erlang_a_perf(
    agents: np.ndarray,
    traffic: np.ndarray,
    aht: np.ndarray,
    patience: np.ndarray,
    target: np.ndarray,
) -> _Perf:
    """``_erlang_a`` over arrays (N ≥ 1, A > 0, finite patience), without the ASA."""
    n = agents.astype(float)
    x = n * patience / aht
    y = traffic * patience / aht
    rho = traffic / n
    log_e, unsafe = _log_erlang_b_array(agents, traffic)
    lower = special.gammainc(x, y)  # P(x, y)
    lower_next = special.gammainc(x + 1, y)  # P(x+1, y)
    unsafe |= ~(lower > 1e-290) | ~(lower_next > 1e-290)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_s = y - x * np.log(y) + special.gammaln(x + 1) + np.log(lower)
        not_blocked = -np.expm1(log_e)
        wait = np.where(not_blocked == 0, 1.0, special.expit(log_e + log_s - np.log(not_blocked)))
        served = np.minimum(1.0, lower_next / lower / rho)  # (1 − 1/𝒜)/ρ
        patience_time = target / patience
        z = y * np.exp(-patience_time)
        upper_part = special.gammaincc(x + 1, z) - special.gammaincc(x + 1, y)
        lower_part = lower_next - special.gammainc(x + 1, z)
        in_time = np.maximum(0.0, np.where(y >= x, upper_part, lower_part)) / (rho * lower)
    answered = (1.0 - wait) + wait * served
    service_level = np.minimum(1.0, (1.0 - wait) + wait * np.minimum(served, in_time))
    occupancy = np.minimum(1.0, traffic * answered / n)
    unsafe |= ~np.isfinite(service_level) | ~np.isfinite(occupancy) | ~np.isfinite(log_s)
    return _Perf(wait, service_level, occupancy, answered, wait * (1.0 - served), unsafe)


def _search_erlang_a(
    p: _BatchInputs, traffic: np.ndarray, index: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``_smallest_meeting`` (gallop from N ≈ A, then bisect) for all Erlang A problems."""
    a = traffic[index]
    aht, patience, target = p.aht[index], p.patience[index], p.target[index]
    level = p.level[index]
    occupancy_threshold = _occupancy_threshold(p, index)
    flagged = np.zeros(index.size, dtype=bool)

    def meets(rows: np.ndarray, agents: np.ndarray) -> np.ndarray:
        perf = _erlang_a_perf(agents, a[rows], aht[rows], patience[rows], target[rows])
        with np.errstate(divide="ignore"):
            relief = np.where(perf.occupancy == 0, np.inf, 1.0 / perf.occupancy)
        threshold = occupancy_threshold[rows]
        flagged[rows] |= perf.unsafe | _near(perf.service_level, level[rows])
        flagged[rows] |= (threshold > 0) & _near(relief, threshold)
        return perf.unsafe | ((perf.service_level >= level[rows]) & (relief >= threshold))

    guess = np.maximum(1, np.round(a)).astype(np.int64)
    everyone = np.arange(index.size)
    met = meets(everyone, guess)
    low, high = guess - 1, guess.copy()
    step = np.ones(index.size, dtype=np.int64)
    # guess met: walk down (steps 1, 2, 4, …) while the lower count still meets
    down = everyone[met & (low >= 1)]
    while down.size:
        ok = meets(down, low[down])
        keep = down[ok]
        high[keep] = low[keep]
        step[keep] *= 2
        low[keep] = high[keep] - step[keep]
        down = keep[low[keep] >= 1]
    low = np.maximum(low, 0)
    # guess missed: walk up (steps 1, 2, 4, …) until a count meets
    up = everyone[~met]
    low[up], high[up] = guess[up], guess[up] + 1
    while up.size:
        ok = meets(up, high[up])
        up = up[~ok]
        low[up] = high[up]
        step[up] *= 2
        high[up] = low[up] + step[up]
        if (step > 2**50).any():
            raise ImpossibleStaffing("no number of agents meets these targets")
    # bisect
    open_rows = everyone[high - low > 1]
    while open_rows.size:
        middle = (low[open_rows] + high[open_rows]) // 2
        ok = meets(open_rows, middle)
        high[open_rows[ok]] = middle[ok]
        low[open_rows[~ok]] = middle[~ok]
        open_rows = open_rows[high[open_rows] - low[open_rows] > 1]
    return high, flagged


def _batch_outputs(
    p: _BatchInputs, traffic: np.ndarray, agents: np.ndarray, fallback: np.ndarray
) -> dict[str, np.ndarray]:
    """Performance at ``agents`` and ``agents − 1``, the fractional requirement, positions."""
    size = agents.size
    out = {
        "agents": agents,
        "service_level": np.ones(size),
        "asa": np.zeros(size),
        "waiting_probability": np.zeros(size),
        "occupancy": np.zeros(size),
        "abandon_rate": np.where(p.erlang_a, 0.0, np.nan),
        "agents_fractional": agents.astype(float),
        "binding_service_level": np.zeros(size, dtype=bool),
        "binding_occupancy": np.zeros(size, dtype=bool),
    }
    busy = traffic > 0
    stable = np.isinf(p.patience)
    for index, erlang_c in ((np.flatnonzero(busy & stable), True),
                            (np.flatnonzero(busy & ~stable), False)):  # fmt: skip
        if index.size:
            _outputs_for(p, traffic, out, index, erlang_c, fallback)
    fractional = out["agents_fractional"]
    positions_fractional = fractional / (1 - p.shrink)
    whole = np.round(positions_fractional)
    fallback |= busy & (
        np.abs(positions_fractional - whole)
        <= _BATCH_TIE * np.maximum(1.0, np.abs(positions_fractional))
    )
    out["positions_fractional"] = positions_fractional
    out["positions"] = _round_up_array(agents / (1 - p.shrink))
    return out


def _outputs_for(
    p: _BatchInputs,
    traffic: np.ndarray,
    out: dict[str, np.ndarray],
    index: np.ndarray,
    erlang_c: bool,
    fallback: np.ndarray,
) -> None:
    a = traffic[index]
    aht, target, level = p.aht[index], p.target[index], p.level[index]
    n = out["agents"][index]
    below = n - 1
    lowest = np.floor(a).astype(np.int64) + 1 if erlang_c else np.ones_like(n)
    has_below = below >= lowest
    safe_below = np.where(has_below, below, n)  # evaluate something valid, masked later
    if erlang_c:
        log_b, _ = _log_erlang_b_array(n, a)
        wait, level_at, asa, occupancy = _erlang_c_perf(
            n.astype(float), a, aht, target, np.exp(log_b)
        )
        log_b_below, _ = _log_erlang_b_array(safe_below, a)
        _, level_below, _, occupancy_below = _erlang_c_perf(
            safe_below.astype(float), a, aht, target, np.exp(log_b_below)
        )
        abandon = np.zeros(index.size)
        anchor = a
    else:
        patience = p.patience[index]
        perf = _erlang_a_perf(n, a, aht, patience, target)
        perf_below = _erlang_a_perf(safe_below, a, aht, patience, target)
        fallback[index] |= perf.unsafe | (has_below & perf_below.unsafe)
        wait, level_at, occupancy = perf.wait, perf.service_level, perf.occupancy
        level_below, occupancy_below = perf_below.service_level, perf_below.occupancy
        abandon = perf.abandon
        asa = _erlang_a_asa_rows(n, a, aht, patience, wait, perf.answered)
        anchor = np.zeros(index.size)
    out["service_level"][index] = level_at
    out["asa"][index] = asa
    out["waiting_probability"][index] = wait
    out["occupancy"][index] = occupancy
    if not erlang_c:
        out["abandon_rate"][index] = abandon
    start = np.where(has_below, below.astype(float), anchor)
    threshold_occ = _occupancy_threshold(p, index)
    with np.errstate(divide="ignore"):
        relief_at = np.where(occupancy == 0, np.inf, 1.0 / occupancy)
        relief_below = np.where(occupancy_below == 0, np.inf, 1.0 / occupancy_below)
    low_level = np.where(has_below, level_below, 0.0)
    low_relief = np.where(has_below, relief_below, 1.0)
    span = n - start
    crossing = np.full(index.size, -np.inf)
    binding_level = low_level < level
    binding_occ = (threshold_occ > 0) & (low_relief < threshold_occ)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_level = (level - low_level) / (level_at - low_level)
        share_occ = np.where(
            np.isinf(relief_at), 1.0, (threshold_occ - low_relief) / (relief_at - low_relief)
        )
    crossing = np.where(binding_level, start + span * np.clip(share_level, 0.0, 1.0), crossing)
    crossing = np.maximum(
        crossing,
        np.where(binding_occ, start + span * np.clip(share_occ, 0.0, 1.0), -np.inf),
    )
    out["agents_fractional"][index] = np.where(
        binding_level | binding_occ, crossing, n.astype(float)
    )
    out["binding_service_level"][index] = binding_level
    out["binding_occupancy"][index] = binding_occ


def _erlang_a_asa_rows(
    agents: np.ndarray,
    traffic: np.ndarray,
    aht: np.ndarray,
    patience: np.ndarray,
    wait: np.ndarray,
    answered: np.ndarray,
) -> np.ndarray:
    """Erlang A's ASA per problem with the formulas of ``_erlang_a_asa``.

    Where y < x (the usual case at the required staffing) the series over the number of
    callers found waiting is summed for all those problems at once, in blocks of equal
    length (64, 128, … terms, cut by the scalar rule: the tail below e^-40 of the largest
    term); where y ≥ x the scalar quadrature is used per problem.
    """
    x = agents.astype(float) * patience / aht
    y = traffic * patience / aht
    values = np.zeros(agents.size)
    live = np.flatnonzero((wait != 0.0) & (answered > 0.0))
    series = live[y[live] < x[live]]
    per_call = np.zeros(agents.size)
    length = 64
    while series.size:
        xs, ys = x[series, None], y[series, None]
        steps = xs + np.arange(1, length + 1, dtype=float)
        log_w = np.concatenate(
            (np.zeros((series.size, 1)), np.cumsum(-np.log1p((steps - ys) / ys), axis=1)), axis=1
        )
        ratio = ys[:, 0] / (xs[:, 0] + length + 1)
        tail = log_w[:, -1] + np.log(ratio / (1 - ratio))
        done = tail < log_w.max(axis=1) - _LOG_TAIL
        if done.any():
            rows, lw = series[done], log_w[done]
            weights = np.exp(lw - special.logsumexp(lw, axis=1, keepdims=True))
            xr = x[rows, None]
            j = np.arange(lw.shape[1], dtype=float)
            waited = np.cumsum(1.0 / (xr + j + 1.0), axis=1)
            per_call[rows] = np.sum(weights * (xr / (xr + j + 1.0)) * waited, axis=1)
        series = series[~done]
        length *= 2
    in_series = live[y[live] < x[live]]
    values[in_series] = (
        wait[in_series] * patience[in_series] * per_call[in_series] / answered[in_series]
    )
    for i in live[y[live] >= x[live]]:
        values[i] = _erlang_a_asa(
            float(x[i]), float(y[i]), float(patience[i]), float(wait[i]), float(answered[i])
        )
    return values


def _apply_fallbacks(
    p: _BatchInputs, out: dict[str, np.ndarray], fallback: np.ndarray
) -> StaffingBatch:
    """Solve flagged problems with the scalar ``required_agents`` and copy its answers in."""
    for i in np.flatnonzero(fallback):
        patience = float(p.patience[i]) if p.erlang_a[i] else None
        exact = required_agents(
            calls=float(p.calls[i]),
            interval_minutes=float(p.interval[i]),
            aht_seconds=float(p.aht[i]),
            target_service_level=float(p.level[i]),
            target_seconds=float(p.target[i]),
            patience_seconds=patience,
            max_occupancy=float(p.cap[i]),
            shrinkage=float(p.shrink[i]),
        )
        for name in (
            "agents", "agents_fractional", "positions", "positions_fractional", "service_level",
            "asa", "waiting_probability", "occupancy",
        ):  # fmt: skip
            out[name][i] = getattr(exact, name)
        out["abandon_rate"][i] = np.nan if exact.abandon_rate is None else exact.abandon_rate
        out["binding_service_level"][i] = "service_level" in exact.binding
        out["binding_occupancy"][i] = "occupancy" in exact.binding
    return StaffingBatch(
        calls=p.calls,
        interval_minutes=p.interval,
        aht_seconds=p.aht,
        target_seconds=p.target,
        shrinkage=p.shrink,
        erlang_a=p.erlang_a,
        traffic=p.traffic,
        scalar_fallbacks=int(fallback.sum()),
        **out,
    )

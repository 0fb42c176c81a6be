"""Benchmark: Erlang C staffing for a day plan of 96 intervals × 50 queues.

Times ``yuqi.domain.erlang.required_agents_batch`` on the whole generated day (one call for
all 4,800 problems) and ``yuqi.domain.erlang.required_agents`` on every (queue, 15-min
interval) of it and, in the same run:

* a naive baseline that recomputes Erlang C from scratch (an O(N) Erlang B loop) for every
  candidate N, counting up from the first stable N, as most spreadsheet and textbook
  implementations do;
* pyworkforce's ``ErlangC.required_positions`` when pyworkforce is importable, with the
  agreement in agents (both round the agents on the phones the same way: the smallest
  whole number meeting the targets) and in scheduled positions.

Goal [issue-022]: the batch ≥ 10× faster than pyworkforce on the 4,800 problems, with answers
identical to the scalar path (checked and printed). Times are the median of ``--repeat`` runs
(range in brackets).

Run: ``python bench/erlang_bench.py`` (``--queues``, ``--intervals``, ``--repeat``); install
the baseline with ``pip install -e '.[bench]'``.
"""

import argparse
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy

from yuqi.domain.erlang import StaffingBatch, StaffingResult, required_agents, required_agents_batch

INTERVAL_MINUTES = 15
SHRINKAGE = 0.3
TARGETS = ((0.8, 20.0), (0.9, 15.0), (0.7, 30.0), (0.85, 10.0))  # SL X within Y seconds
OCCUPANCY_CAPS = (1.0, 0.85, 0.9)


@dataclass(frozen=True, slots=True)
class Interval:
    queue: int
    slot: int
    calls: float
    aht_seconds: float
    service_level: float
    target_seconds: float
    max_occupancy: float


def day_plan(queues: int, intervals: int, seed: int = 20240601) -> list[Interval]:
    """A reproducible day: per-queue volume, AHT and target; a two-peak intraday profile."""
    rng = np.random.default_rng(seed)
    hours = np.arange(intervals) * 24.0 / intervals
    profile = (
        0.02
        + np.exp(-(((hours - 10.5) / 1.8) ** 2))
        + 0.8 * np.exp(-(((hours - 15.0) / 2.2) ** 2))
        + 0.3 * np.exp(-(((hours - 20.0) / 1.5) ** 2))
    )
    profile /= profile.sum()
    plan: list[Interval] = []
    for queue in range(queues):
        daily_calls = math.exp(rng.uniform(math.log(300), math.log(60_000)))
        aht = float(rng.uniform(120, 480))
        level, seconds = TARGETS[queue % len(TARGETS)]
        cap = OCCUPANCY_CAPS[queue % len(OCCUPANCY_CAPS)]
        noise = rng.normal(1.0, 0.08, intervals).clip(0.6, 1.4)
        calls = np.maximum(1, np.round(daily_calls * profile * noise))
        for slot in range(intervals):
            plan.append(Interval(queue, slot, float(calls[slot]), aht, level, seconds, cap))
    return plan


def yuqi(interval: Interval) -> StaffingResult:
    return required_agents(
        calls=interval.calls,
        interval_minutes=INTERVAL_MINUTES,
        aht_seconds=interval.aht_seconds,
        target_service_level=interval.service_level,
        target_seconds=interval.target_seconds,
        max_occupancy=interval.max_occupancy,
        shrinkage=SHRINKAGE,
    )


def batch_of(plan: list[Interval], patience_seconds: float | None = None) -> StaffingBatch:
    """The whole plan in one ``required_agents_batch`` call (same targets as ``yuqi``)."""
    return required_agents_batch(
        calls=np.array([i.calls for i in plan]),
        interval_minutes=INTERVAL_MINUTES,
        aht_seconds=np.array([i.aht_seconds for i in plan]),
        target_service_level=np.array([i.service_level for i in plan]),
        target_seconds=np.array([i.target_seconds for i in plan]),
        max_occupancy=np.array([i.max_occupancy for i in plan]),
        shrinkage=SHRINKAGE,
        patience_seconds=patience_seconds,
    )


def naive(interval: Interval) -> int:
    """Baseline: for N = ⌊A⌋+1, ⌊A⌋+2, … recompute Erlang B (and so C) from scratch."""
    traffic = interval.calls * interval.aht_seconds / (INTERVAL_MINUTES * 60)
    agents = math.floor(traffic) + 1
    while True:
        blocking = 1.0
        for k in range(1, agents + 1):
            blocking = traffic * blocking / (k + traffic * blocking)
        wait = agents * blocking / (agents - traffic * (1 - blocking))
        decay = math.exp(-(agents - traffic) * interval.target_seconds / interval.aht_seconds)
        level = 1 - wait * decay
        if level >= interval.service_level and traffic / agents <= interval.max_occupancy:
            return agents
        agents += 1


def load_pyworkforce() -> Callable[[Interval], dict] | None:
    try:
        from pyworkforce.queuing import ErlangC
    except ImportError:
        return None

    def solve(interval: Interval) -> dict:
        erlang = ErlangC(
            transactions=interval.calls,
            aht=interval.aht_seconds / 60,
            asa=interval.target_seconds / 60,
            interval=INTERVAL_MINUTES,
            shrinkage=SHRINKAGE,
        )
        return erlang.required_positions(
            service_level=interval.service_level, max_occupancy=interval.max_occupancy
        )

    return solve


def timed[T](
    solver: Callable[[Interval], T], plan: list[Interval], repeat: int
) -> tuple[float, list[T]]:
    """Median wall time over ``repeat`` runs of the whole plan, and the last run's answers."""
    times, answers = timed_runs(solver, plan, repeat)
    return statistics.median(times), answers


def timed_runs[T](
    solver: Callable[[Interval], T], plan: list[Interval], repeat: int
) -> tuple[list[float], list[T]]:
    """Wall time of each of ``repeat`` runs of the whole plan, and the last run's answers."""
    times: list[float] = []
    answers: list[T] = []
    for _ in range(repeat):
        started = time.perf_counter()
        answers = [solver(interval) for interval in plan]
        times.append(time.perf_counter() - started)
    return times, answers


def timed_batch(plan: list[Interval], repeat: int) -> tuple[list[float], StaffingBatch]:
    batch_of(plan[:10])  # warm-up: first-call imports and ufunc set-up
    times: list[float] = []
    batch = None
    for _ in range(repeat):
        started = time.perf_counter()
        batch = batch_of(plan)
        times.append(time.perf_counter() - started)
    assert batch is not None
    return times, batch


def per_interval_guarantee(result: StaffingResult) -> int:
    """Positions if each interval is rounded on its own: ⌈agents / (1 − shrinkage)⌉."""
    return math.ceil(round(result.agents / (1 - result.shrinkage), 9))


def report_pyworkforce(
    plan: list[Interval], results: list[StaffingResult], pwf: list[dict]
) -> None:
    pairs = list(zip(plan, results, pwf, strict=True))
    agents_equal = sum(r.agents == p["raw_positions"] for _, r, p in pairs)
    print(f"agents equal to pyworkforce raw_positions: {agents_equal}/{len(plan)}")
    for interval, result, other in pairs:
        if result.agents != other["raw_positions"]:
            print(
                f"  differs: queue {interval.queue} slot {interval.slot}: "
                f"A={result.traffic:.3f}, yuqi {result.agents} (SL {result.service_level:.4f}),"
                f" pyworkforce {other['raw_positions']} (SL {other['service_level']:.4f})"
            )
    positions_equal = sum(per_interval_guarantee(r) == p["positions"] for _, r, p in pairs)
    print(
        "positions equal to pyworkforce with the same rounding (⌈agents/(1−shrinkage)⌉): "
        f"{positions_equal}/{len(plan)}"
    )
    noisy = [
        r
        for _, r, p in pairs
        if per_interval_guarantee(r) != p["positions"]
        and p["positions"] == math.ceil(r.agents / (1 - r.shrinkage))
    ]
    if noisy:
        quotient = noisy[0].agents / (1 - noisy[0].shrinkage)
        print(
            f"  the other {len(noisy)}: pyworkforce rounds floating-point noise up, e.g. "
            f"{noisy[0].agents}/(1−{noisy[0].shrinkage}) = {quotient!r} → {math.ceil(quotient)}"
        )


BANDS = ((0.0, 10.0, "A < 10"), (10.0, 100.0, "10 ≤ A < 100"), (100.0, math.inf, "A ≥ 100"))


def traffic_of(interval: Interval) -> float:
    return interval.calls * interval.aht_seconds / (INTERVAL_MINUTES * 60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queues", type=int, default=50)
    parser.add_argument("--intervals", type=int, default=96)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    plan = day_plan(args.queues, args.intervals)
    traffic = [traffic_of(i) for i in plan]
    print(
        f"Erlang C day plan: {args.queues} queues × {args.intervals} intervals of "
        f"{INTERVAL_MINUTES} min = {len(plan)} staffing problems"
    )
    print(
        f"traffic per interval: median {statistics.median(traffic):.1f} Erlangs, "
        f"max {max(traffic):.1f}; shrinkage {SHRINKAGE:.0%}; median of {args.repeat} runs"
    )
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__},"
        f" {os.cpu_count()} CPU"
    )

    solvers: dict[str, Callable[[Interval], object]] = {
        "yuqi required_agents": yuqi,
        "naive baseline (Erlang C from scratch per N)": naive,
    }
    pyworkforce = load_pyworkforce()
    if pyworkforce is not None:
        solvers["pyworkforce ErlangC.required_positions"] = pyworkforce
    answers: dict[str, list] = {}
    runs: dict[str, list[float]] = {}
    for name, solver in solvers.items():
        runs[name], answers[name] = timed_runs(solver, plan, args.repeat)
    runs["yuqi required_agents_batch (one call)"], batch = timed_batch(plan, args.repeat)
    seconds = {name: statistics.median(times) for name, times in runs.items()}

    print()
    pwf_name = "pyworkforce ErlangC.required_positions"
    anchor = seconds.get(pwf_name)
    header = f"{'solver':<46}{'median s':>10}{'range s':>18}{'µs/interval':>13}{'÷ yuqi':>8}"
    print(header + (f"{'× faster than pwf':>19}" if anchor else ""))
    yuqi_seconds = seconds["yuqi required_agents"]
    for name, elapsed in seconds.items():
        per = elapsed / len(plan) * 1e6
        spread = f"{min(runs[name]):.4f}–{max(runs[name]):.4f}"
        line = f"{name:<46}{elapsed:>10.4f}{spread:>18}{per:>13.2f}{elapsed / yuqi_seconds:>8.3f}"
        print(line + (f"{anchor / elapsed:>19.1f}" if anchor else ""))
    if anchor:
        ratio = anchor / seconds["yuqi required_agents_batch (one call)"]
        verdict = "met" if ratio >= 10 else "missed"
        print(f"goal: batch ≥ 10× pyworkforce → {ratio:.1f}× ({verdict})")
    report_batch(plan, batch, answers["yuqi required_agents"])
    if pyworkforce is None:
        print("pyworkforce: not installed (pip install pyworkforce to time it in this run)")
    report_bands(plan, solvers, args.repeat)

    results: list[StaffingResult] = answers["yuqi required_agents"]
    print()
    same = sum(
        r.agents == a
        for r, a in zip(
            results,
            answers[next(iter(solvers)) and "naive baseline (Erlang C from scratch per N)"],
            strict=True,
        )
    )
    print(f"agents equal to the naive baseline: {same}/{len(plan)}")
    if pyworkforce is not None:
        report_pyworkforce(plan, results, answers["pyworkforce ErlangC.required_positions"])
    fractional = sum(r.positions_fractional for r in results)
    once = sum(r.positions for r in results)
    twice = sum(per_interval_guarantee(r) for r in results)
    print(
        f"positions over the day (position-intervals): fractional {fractional:.1f}, "
        f"rounded once {once}, agents rounded then ⌈/(1−shrinkage)⌉ {twice} "
        f"(+{twice - once})"
    )


def report_batch(plan: list[Interval], batch: StaffingBatch, scalar: list[StaffingResult]) -> None:
    """Whole-number answers must be identical; floats agree to rounding."""
    same = sum(
        (b.agents, b.positions, b.binding) == (s.agents, s.positions, s.binding)
        for b, s in zip(batch.results(), scalar, strict=True)
    )
    worst = max(
        abs(b.service_level - s.service_level) for b, s in zip(batch.results(), scalar, strict=True)
    )
    print(
        f"batch vs scalar: agents, positions and binding identical {same}/{len(plan)}; "
        f"largest service-level difference {worst:.1e}; "
        f"{batch.scalar_fallbacks} problems handed to the scalar path"
    )


def report_bands(
    plan: list[Interval], solvers: dict[str, Callable[[Interval], object]], repeat: int
) -> None:
    """µs per interval by offered-traffic band: the naive loop is O(N) per candidate N."""
    print()
    names = list(solvers)
    header = "".join(f"{name.split()[0]:>14}" for name in names)
    print(f"{'traffic band':<16}{'intervals':>10}{header}  (µs/interval; ÷ yuqi)")
    for low, high, label in BANDS:
        band = [i for i in plan if low <= traffic_of(i) < high]
        if not band:
            continue
        per = [timed(solvers[name], band, repeat)[0] / len(band) * 1e6 for name in names]
        cells = "".join(f"{value:>8.1f} ({value / per[0]:>3.1f})" for value in per)
        print(f"{label:<16}{len(band):>10}{cells}")


if __name__ == "__main__":
    sys.exit(main())

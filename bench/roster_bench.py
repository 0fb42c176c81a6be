"""Benchmark: Yuqi's shift plan against pyworkforce's ``MinAbsDifference``, and a roster.

Problem (generated, seeded): 28 days × 48 half-hour slots, 3 queues (voice, chat, VIP voice)
with intraday curves (morning and afternoon peaks), a weekly pattern (Monday high, weekend
low) and day-to-day noise. Each queue's Erlang C positions (80/20, 90/15 and 80/10 targets,
30 % shrinkage; ``yuqi.domain.erlang.required_agents``) are summed per slot as fractions and
rounded up once (the pyworkforce #41 lesson), giving the integer requirement both planners
get. Twelve shift templates: nine 9-hour day shifts from 06:00 to 15:00 with a one-hour
unpaid lunch, two 8-hour evening shifts with a 30-minute meal break, one 8-hour night shift
over midnight.

Same problem, same run:

* **Yuqi** (``plan_shifts``, HiGHS): least shortfall, then least excess; lunches staggered in
  their window; the night shift counted on the next day.
* **pyworkforce** ``MinAbsDifference`` (OR-Tools CP-SAT, the same time budget, 2 workers):
  coverage arrays of one day, so each lunch sits at the middle of its window and the night
  shift's hours after midnight wrap to the start of the *same* day (its model). Its plan is
  measured twice: in its own model, and in the real timeline (``evaluate_plan``: hours after
  midnight on the next day) where Yuqi's is measured.

Then a 200-agent four-week roster (``build_roster``) of Yuqi's plan under the default Chinese
working-time rules, checked by ``check_roster`` (violations must be 0).

Run: ``python bench/roster_bench.py`` (``--runs 3``, ``--time-limit 60``, ``--agents 200``).
Needs the ``bench`` extra (pyworkforce).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import random
import statistics
import time

from yuqi.domain.erlang import required_agents
from yuqi.domain.workforce.plan import evaluate_plan, plan_shifts
from yuqi.domain.workforce.roster import Agent, build_roster, check_roster, demands_from_plan
from yuqi.domain.workforce.shifts import BreakRule, Requirement, ShiftTemplate

DAYS, SLOTS, SLOT = 28, 48, 30
START = dt.date(2026, 3, 2)  # a Monday; no statutory holiday in the four weeks
QUEUES = (  # name, calls per day (weekday), AHT s, SL target, seconds
    ("voice", 2500, 300, 0.8, 20),
    ("chat", 1250, 420, 0.9, 15),
    ("vip", 360, 360, 0.8, 10),
)
WEEKLY = (1.15, 1.05, 1.0, 1.0, 0.95, 0.7, 0.6)


def _curve(slot: int, queue: int) -> float:
    """Share of a day's calls in a half hour: two peaks (10:30, 15:00) and a quiet night."""
    hour = slot / 2 + 0.25
    morning = math.exp(-(((hour - 10.5) / 1.8) ** 2))
    afternoon = 0.85 * math.exp(-(((hour - 15.0) / 2.2) ** 2))
    evening = (0.35 if queue == 1 else 0.2) * math.exp(-(((hour - 20.0) / 1.5) ** 2))
    return morning + afternoon + evening + 0.02


def requirement(seed: int = 7) -> Requirement:
    rng = random.Random(seed)
    values = []
    for day in range(DAYS):
        noise = [rng.gauss(1.0, 0.06) for _ in QUEUES]
        row = []
        for slot in range(SLOTS):
            positions = 0.0
            for q, (_name, per_day, aht, sl, secs) in enumerate(QUEUES):
                shares = sum(_curve(j, q) for j in range(SLOTS))
                calls = per_day * WEEKLY[day % 7] * noise[q] * _curve(slot, q) / shares
                result = required_agents(
                    calls=calls,
                    interval_minutes=SLOT,
                    aht_seconds=aht,
                    target_service_level=sl,
                    target_seconds=secs,
                    shrinkage=0.3,
                )
                positions += result.positions_fractional
            row.append(float(math.ceil(positions - 1e-9)))
        values.append(tuple(row))
    return Requirement(SLOT, tuple(values))


def templates(*, fixed_breaks: bool = False) -> list[ShiftTemplate]:
    """The twelve templates; ``fixed_breaks`` puts each break at its window's middle."""

    def meal(minutes: int, earliest: float, latest: float) -> BreakRule:
        low, high = round(earliest * 60), round(latest * 60)
        if fixed_breaks:
            middle = (low + high) // 2 // SLOT * SLOT
            low = high = middle
        return BreakRule(minutes=minutes, earliest=low, latest=high, paid=False)

    found = [
        ShiftTemplate(f"D{h:02d}", h * 60, 9 * 60, breaks=(meal(60, 3.5, 5),))
        for h in range(6, 16)
        if h != 14
    ]
    found += [
        ShiftTemplate("E16", 16 * 60, 8 * 60 + 30, breaks=(meal(30, 3.5, 4.5),)),
        ShiftTemplate("E18", 18 * 60, 8 * 60 + 30, breaks=(meal(30, 3.5, 4.5),)),
        ShiftTemplate("N22", 22 * 60, 8 * 60),
    ]
    return found


def pyworkforce_plan(req: Requirement, time_limit: float) -> tuple[dict, float, str, float]:
    from pyworkforce.scheduling import MinAbsDifference

    coverage = {}
    for template in templates(fixed_breaks=True):
        row = [0] * SLOTS
        for minute in range(template.start, template.end, SLOT):
            offset = minute - template.start
            on_break = any(b.earliest <= offset < b.earliest + b.minutes for b in template.breaks)
            if not on_break:
                row[(minute // SLOT) % SLOTS] = 1  # wraps past midnight onto the same day
        coverage[template.name] = row
    required = [[int(v) for v in day] for day in req.values]
    peak = max(max(day) for day in required)
    began = time.monotonic()
    solver = MinAbsDifference(
        num_days=DAYS,
        periods=SLOTS,
        shifts_coverage=coverage,
        required_resources=required,
        max_period_concurrency=int(peak * 10),
        max_shift_concurrency=int(peak * 10),
        max_search_time=time_limit,
        num_search_workers=2,
    )
    solution = solver.solve()
    seconds = time.monotonic() - began
    heads = {t.name: [0] * DAYS for t in templates()}
    for item in solution["resources_shifts"]:
        if item["day"] >= 0:
            heads[item["shift"]][item["day"]] = item["resources"]
    return heads, seconds, solution["status"], solution["cost"]


def roster_agents(count: int, seed: int = 11) -> list[Agent]:
    rng = random.Random(seed)
    agents = []
    for k in range(count):
        off = frozenset(
            START + dt.timedelta(days=rng.randrange(DAYS)) for _ in range(rng.choice((0, 0, 2)))
        )
        agents.append(
            Agent(
                id=f"A{k:03d}",
                contract_hours=40.0 if k % 10 else 32.0,
                time_off=off,
                avoid_shifts=frozenset({"N22"}) if k % 7 == 0 else frozenset(),
                preferred_days_off=frozenset({rng.randint(1, 7)}) if k % 3 == 0 else frozenset(),
            )
        )
    return agents


def once(req: Requirement, args: argparse.Namespace) -> dict[str, float]:
    ours = plan_shifts(req, templates(), time_limit=args.time_limit)
    figures = {
        "yuqi_shortfall": ours.shortfall,
        "yuqi_excess": ours.excess,
        "yuqi_seconds": ours.seconds,
        "yuqi_heads": ours.total_heads,
    }
    print(f"  yuqi plan: {ours.status}, {ours.total_heads} heads")
    balanced = plan_shifts(req, templates(), time_limit=args.time_limit, shortfall_weight=1.0)
    figures.update(
        yw_shortfall=balanced.shortfall,
        yw_excess=balanced.excess,
        yw_seconds=balanced.seconds,
        yw_heads=balanced.total_heads,
    )
    print(f"  yuqi plan, weight 1 (least |gap|): {balanced.status}, {balanced.total_heads} heads")
    if not args.no_pyworkforce:
        heads, seconds, status, cost = pyworkforce_plan(req, args.time_limit)
        fixed = templates(fixed_breaks=True)
        _, short, excess = evaluate_plan(req, fixed, heads)
        figures.update(
            pw_shortfall=short,
            pw_excess=excess,
            pw_seconds=seconds,
            pw_own_cost=cost,
            pw_heads=sum(map(sum, heads.values())),
        )
        print(f"  pyworkforce: {status}, cost in its own model {cost:g}")
    if args.agents:
        agents = roster_agents(args.agents)
        demands = demands_from_plan(ours.heads, START)
        began = time.monotonic()
        result = build_roster(
            agents=agents,
            shifts=templates(),
            demands=demands,
            start=START,
            days=DAYS,
            time_limit=args.roster_time_limit,
        )
        seconds = time.monotonic() - began
        violations = check_roster(
            result.assignments,
            agents=agents,
            shifts=templates(),
            start=START,
            days=DAYS,
            demands=demands,
        )
        planned = sum(d.heads for d in demands)
        unfilled = sum(u.heads for u in result.unfilled)
        reasons = sorted({r for u in result.unfilled for r in u.reasons})
        print(
            f"  roster: {result.status}, {len(result.assignments)}/{planned} heads, "
            f"{unfilled} unfilled (explained by {', '.join(reasons) or '-'}), "
            f"fairness {result.fairness}, violations {len(violations)} {result.notes}"
        )
        figures.update(
            roster_seconds=seconds,
            roster_filled=len(result.assignments) / planned if planned else 1.0,
            roster_unfilled=unfilled,
            roster_violations=len(violations),
            roster_night_spread=result.fairness["night"][1] - result.fairness["night"][0],
            roster_weekend_spread=result.fairness["weekend"][1] - result.fairness["weekend"][0],
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0, help="per planner (60 s)")
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--roster-time-limit", type=float, default=90.0)
    parser.add_argument("--no-pyworkforce", action="store_true")
    args = parser.parse_args()
    req = requirement()
    print(
        f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"requirement {DAYS}×{SLOTS} slots, total {sum(req.flat()):g} head-slots, "
        f"peak {max(req.flat()):g}; {len(templates())} templates"
    )
    runs = []
    for number in range(1, args.runs + 1):
        print(f"run {number}:")
        runs.append(once(req, args))
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    print(f"\nmedian of {len(runs)} run(s); shortfall and excess in head-slots (real timeline)")
    print(f"{'':26}{'shortfall':>10}{'excess':>10}{'|gap|':>10}{'heads':>7}{'seconds':>9}")
    rows = [("Yuqi, shortfall first", "yuqi"), ("Yuqi, weight 1 (|gap|)", "yw")]
    if "pw_shortfall" in median:
        rows.append(("pyworkforce MinAbsDiff", "pw"))
    for label, key in rows:
        short, excess = median[f"{key}_shortfall"], median[f"{key}_excess"]
        print(
            f"{label:26}{short:>10.1f}{excess:>10.1f}{short + excess:>10.1f}"
            f"{median[f'{key}_heads']:>7.0f}{median[f'{key}_seconds']:>9.1f}"
        )
    if "pw_shortfall" in median:
        theirs = median["pw_shortfall"] + median["pw_excess"]
        for label, key in rows[:2]:
            gap = median[f"{key}_shortfall"] + median[f"{key}_excess"]
            print(
                f"{label + ' ÷ pyworkforce':38}"
                f"shortfall {_ratio(median[f'{key}_shortfall'], median['pw_shortfall'])}, "
                f"|gap| {_ratio(gap, theirs)}, "
                f"seconds {_ratio(median[f'{key}_seconds'], median['pw_seconds'])}"
            )
        print(f"pyworkforce |gap| in its own (same-day wrap) model: {median['pw_own_cost']:g}")
    if "roster_seconds" in median:
        print(
            f"roster of {args.agents} agents × {DAYS} days: {median['roster_seconds']:.1f} s, "
            f"{median['roster_filled']:.1%} of planned heads filled, "
            f"{median['roster_unfilled']:.0f} unfilled, "
            f"violations {median['roster_violations']:.0f}; most − fewest per agent: nights "
            f"{median['roster_night_spread']:.0f}, weekend shifts "
            f"{median['roster_weekend_spread']:.0f}"
        )


def _ratio(ours: float, theirs: float) -> str:
    if theirs == 0:
        return "—" if ours == 0 else "inf"
    return f"{ours / theirs:.3f}"


if __name__ == "__main__":
    main()

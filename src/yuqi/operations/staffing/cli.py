"""``yuqi staffing``: Erlang C / Erlang A staffing for one interval, from the command line.

Solves for the fewest agents meeting the targets (service level X within Y seconds, and
optionally a maximum ASA, a maximum abandon rate and a maximum occupancy), or with
``--agents N`` evaluates that staffing. With ``--patience`` the queue is Erlang A (callers
hang up after an exponential patience of that mean) and the abandon rate is reported.
Pure arithmetic (``yuqi.domain.erlang``): no database, Django is never started.

Exit codes: 0 done, 2 bad or impossible input (the reason on standard error).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TextIO

from yuqi.domain import erlang
from yuqi.operations.staffing.calculator import staffing_dict, staffing_interval

__all__ = ["POSITIONS_RULE", "compute", "register", "run"]

POSITIONS_RULE = (
    "Scheduled positions = ceil(agents / (1 - shrinkage)): the whole agents required, "
    "grossed up for shrinkage and rounded up, as workforce planners and the common Erlang "
    "calculators count them, because the required agents must be on the phones at every "
    "moment (100 calls in 30 min, AHT 180 s, 80/20: 14 agents, 20 positions at 30%% "
    "shrinkage). The fractional figures (agents_fractional, positions_fractional = "
    "agents_fractional / (1 - shrinkage)) are shown beside them for pooling across intervals."
)


def register(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    parser = add("staffing", "required agents (Erlang C / Erlang A) for one interval")
    parser.epilog = POSITIONS_RULE
    parser.add_argument("--calls", type=float, required=True, help="calls offered in the interval")
    parser.add_argument(
        "--interval", type=float, default=30.0, metavar="MINUTES", help="interval length (30)"
    )
    parser.add_argument(
        "--aht", type=float, required=True, metavar="SECONDS", help="average handle time"
    )
    parser.add_argument(
        "--target-sl", type=float, metavar="SHARE", help="service level target, e.g. 0.8"
    )
    parser.add_argument(
        "--target-time",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="service level threshold, e.g. 20 (80%% in 20 s)",
    )
    parser.add_argument(
        "--shrinkage",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of paid time off the phones (e.g. 0.3); positions = "
        "ceil(agents / (1 - shrinkage))",
    )
    parser.add_argument(
        "--max-occupancy",
        type=float,
        default=1.0,
        metavar="SHARE",
        help="occupancy cap, e.g. 0.85 (default: none)",
    )
    parser.add_argument(
        "--patience",
        type=float,
        metavar="SECONDS",
        help="mean caller patience: use Erlang A (abandonment) instead of Erlang C",
    )
    parser.add_argument(
        "--agents", type=int, metavar="N", help="evaluate N agents instead of solving"
    )
    parser.add_argument("--max-asa", type=float, metavar="SECONDS", help="ASA target")
    parser.add_argument(
        "--max-abandon", type=float, metavar="SHARE", help="abandon rate target (needs --patience)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run)


def compute(args: argparse.Namespace) -> erlang.StaffingResult:
    """Solve or evaluate from parsed arguments (raises ``yuqi.domain.erlang.ErlangError``)."""
    return staffing_interval(
        calls=args.calls,
        interval=args.interval,
        aht=args.aht,
        target_sl=args.target_sl,
        target_time=args.target_time,
        shrinkage=args.shrinkage,
        max_occupancy=args.max_occupancy,
        patience=args.patience,
        agents=args.agents,
        max_asa=args.max_asa,
        max_abandon=args.max_abandon,
    )


def _human(result: erlang.StaffingResult, *, evaluated: bool) -> str:
    model = "Erlang A" if result.model is erlang.Model.ERLANG_A else "Erlang C"
    lines = [
        f"{result.calls:g} calls in {result.interval_minutes:g} min, AHT {result.aht_seconds:g} s"
        f" → {result.traffic:.2f} Erlangs ({model})",
        f"agents on the phones   {result.agents}"
        + ("" if evaluated else f"   (fractional {result.agents_fractional:.2f})"),
        f"positions to schedule  {result.positions}   (= ceil({result.agents} / (1 -"
        f" {result.shrinkage:.0%} shrinkage)); fractional {result.positions_fractional:.2f})",
        f"service level          {result.service_level:.1%} within {result.target_seconds:g} s",
        f"ASA                    {result.asa:.1f} s",
        f"probability of waiting {result.waiting_probability:.1%}",
        f"occupancy              {result.occupancy:.1%}",
    ]
    if result.abandon_rate is not None:
        lines.append(f"abandon rate           {result.abandon_rate:.1%}")
    if result.binding:
        lines.append(f"binding targets        {', '.join(result.binding)}")
    return "\n".join(lines)


def run(args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        result = compute(args)
    except erlang.ErlangError as exc:
        print(f"error: {exc}", file=err)
        return 2
    if args.json:
        print(json.dumps(staffing_dict(result), indent=2), file=out)
    else:
        print(_human(result, evaluated=args.agents is not None), file=out)
    return 0

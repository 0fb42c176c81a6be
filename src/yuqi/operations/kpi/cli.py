"""``yuqi kpi FILE``: the command's arguments and its table or JSON output.

The computing is :func:`yuqi.operations.kpi.file_engine.kpi_counts_from_file` (DuckDB over the
file in place); this module only parses the arguments and prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from yuqi.domain.kpi import (
    DEFAULT_REPEAT_DAYS,
    DEFAULT_SHORT_ABANDON_SECONDS,
    DEFAULT_SL_SECONDS,
    DEFINITIONS,
    INTERVAL_CHOICES,
    SL_CONVENTIONS,
    SL_DEFAULT,
    KpiCounts,
    kpi_values,
)
from yuqi.operations.kpi.file_engine import FILE_DIMENSIONS, kpi_counts_from_file


def _key_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, date) else str(value)


def _key_column(values: list[Any]) -> list[str]:
    """``_key_text`` of each value; naive datetimes (the interval keys) by ``isoformat``,
    which writes the same text as the ``strftime`` there in a fraction of the time."""
    if all(type(v) is datetime and v.tzinfo is None for v in values):
        return [v.isoformat(" ", "minutes") for v in values]
    return [_key_text(v) for v in values]


def _ratio_text(value: float | int | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _plain_text(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _print_table(by: Sequence[str], results: list[tuple[dict[str, Any], KpiCounts]]) -> None:
    """The groups as right-aligned columns: the values of ``kpi_values``, ratios as
    percentages, "—" where a measure has no value.

    Column by column, the measures' functions applied directly, written in one go: with
    ten thousand groups and more (queue × interval over a month) the per-cell Python work is
    a visible part of the command's time.
    """
    measures = [d for d in DEFINITIONS if d.code != "occupancy"]
    header = [*by, *(d.code for d in measures)]
    counts = [group for _, group in results]
    columns = [_key_column([keys[key] for keys, _ in results]) for key in by]
    for measure in measures:
        values = map(measure.function, counts)
        if measure.unit == "ratio":  # as _ratio_text, inline
            columns.append(["—" if v is None else f"{v * 100:.1f}%" for v in values])
        else:  # as _plain_text, inline
            columns.append(
                [
                    "—" if v is None else (f"{v:.1f}" if isinstance(v, float) else str(v))
                    for v in values
                ]
            )
    widths = [
        max([len(name), *map(len, column)]) for name, column in zip(header, columns, strict=True)
    ]
    template = "  ".join(f"{{:>{width}}}" for width in widths) + "\n"
    sys.stdout.write(
        template.format(*header)
        + "".join(template.format(*line) for line in zip(*columns, strict=True))
    )


def _queue_sl(items: Sequence[str]) -> dict[str, int]:
    found = {}
    for item in items:
        code, _, seconds = item.partition("=")
        if not code or not seconds.isdigit():
            raise argparse.ArgumentTypeError(f"--queue-sl expects CODE=SECONDS, not {item!r}")
        found[code] = int(seconds)
    return found


def cmd_kpi(args: argparse.Namespace) -> int:
    by = [key.strip() for key in args.by.split(",") if key.strip()]
    path = Path(args.file)
    if not path.is_file():
        print(f"error: {path} is not a file", file=sys.stderr)
        return 2
    try:
        results = kpi_counts_from_file(
            path,
            by=by,
            interval_minutes=args.interval,
            short_abandon_seconds=args.short_abandon,
            sl_seconds=args.sl_seconds,
            queue_sl=_queue_sl(args.queue_sl),
            repeat_days=args.repeat_days,
            date_from=args.date_from,
            date_to=args.date_to,
            sl_convention=args.sl_convention,
        )
    except (ValueError, argparse.ArgumentTypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # DuckDB's own errors: an unreadable or malformed file
        if type(exc).__module__.startswith("duckdb") or type(exc).__module__ == "_duckdb":
            print(f"error: cannot read {path}: {exc}", file=sys.stderr)
            return 2
        raise
    if args.json:
        items = [
            {
                "keys": {k: (_key_text(v) or None) for k, v in keys.items()},
                "counts": counts.__dict__,
                "values": kpi_values(counts).__dict__,
            }
            for keys, counts in results
        ]
        json.dump(
            {"by": by, "interval": args.interval, "items": items},
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        print()
    else:
        _print_table(by, results)
    return 0


def register(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    parser = add("kpi", "KPIs of a CSV/Parquet export, computed in place with DuckDB")
    parser.add_argument("file", help="CSV (import column names) or Parquet file")
    parser.add_argument(
        "--by", default="queue", help=f"comma list of {', '.join(FILE_DIMENSIONS)} (default queue)"
    )
    parser.add_argument(
        "--interval",
        type=int,
        choices=INTERVAL_CHOICES,
        default=30,
        help="interval length in minutes for --by interval (default 30)",
    )
    parser.add_argument(
        "--short-abandon",
        type=int,
        default=DEFAULT_SHORT_ABANDON_SECONDS,
        help="abandons after less than this many seconds are short (5)",
    )
    parser.add_argument(
        "--sl-seconds",
        type=int,
        default=DEFAULT_SL_SECONDS,
        help="service-level threshold Y in seconds (20)",
    )
    parser.add_argument(
        "--queue-sl",
        action="append",
        default=[],
        metavar="CODE=SECONDS",
        help="a queue's own threshold Y (repeatable)",
    )
    parser.add_argument(
        "--sl-convention",
        choices=list(SL_CONVENTIONS),
        default=SL_DEFAULT,
        help="service level denominator: "
        + "; ".join(f"{code} = {formula}" for code, formula in SL_CONVENTIONS.items()),
    )
    parser.add_argument(
        "--repeat-days",
        type=int,
        default=DEFAULT_REPEAT_DAYS,
        help="derived FCR: a repeat within this many days (7)",
    )
    parser.add_argument("--date-from", type=date.fromisoformat, help="first local day")
    parser.add_argument("--date-to", type=date.fromisoformat, help="last local day")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=cmd_kpi)
    rollups = add("kpi-rollups", "rebuild the KPI rollups of a range of local days (or all)")
    rollups.add_argument("--date-from", type=date.fromisoformat, help="first local day")
    rollups.add_argument("--date-to", type=date.fromisoformat, help="last local day")
    rollups.set_defaults(func=cmd_kpi_rollups)


def cmd_kpi_rollups(args: argparse.Namespace) -> int:
    """``yuqi kpi-rollups``: rebuild the rollups the KPI pages read, then refresh the
    planner's statistics (PostgreSQL)."""
    setup = getattr(args, "setup", None)
    if setup is not None:  # else the caller has set Django up (tests)
        setup(getattr(args, "data_dir", None))
    from yuqi.interactions.facade import rebuild_kpi_rollups

    days, rows = rebuild_kpi_rollups(args.date_from, args.date_to)
    print(f"rebuilt {days} days: {rows} rollup rows")
    return 0

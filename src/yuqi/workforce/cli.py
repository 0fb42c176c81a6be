"""``yuqi roster plan``: the shift plan that covers a staffing requirement, from files.

``REQ.csv`` has the columns ``day`` (1..D), ``slot`` (0-based interval of the day) and
``required`` (heads on duty, fractions allowed: sum queues' positions before rounding). Every
slot of days 1..D must be given: a missing row is refused (a gap usually means a broken
export) unless ``--missing-as-zero``. Rows are numbered as in a spreadsheet (header = row 1).

``SHIFTS.toml`` has one table per shift template, and an optional ``[limits]`` table::

    [shift.早班]
    start = "08:00"
    hours = 9                      # up to 24; may cross midnight (counted on both days)
    breaks = [{ after = 2, minutes = 15 },                  # fixed, 2 h after the start
              { after = 3.5, latest = 5, minutes = 60 }]    # window: the plan staggers it
    days = [1, 2, 3, 4, 5]         # plan days it may run (default: every day)
    max_heads = 40                 # heads per day on this shift

    [limits]
    max_concurrent = 120           # heads present at once (seats)
    max_heads_per_day = 300

Pure arithmetic (``yuqi.domain.workforce``): no database, Django is never started. Output
language follows ``YUQI_LANGUAGE`` (default ``zh-hans``, as the web app; ``en`` for English);
``--json`` keys are the same in both. Exit codes: 0 planned, 1 no plan found, 2 bad input.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
import tomllib
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from yuqi.domain.workforce.errors import WorkforceError
from yuqi.domain.workforce.plan import PlanLimits, ShiftPlan, plan_shifts
from yuqi.domain.workforce.shifts import (
    Requirement,
    ShiftTemplate,
    requirement_from_rows,
    template_from_mapping,
)

__all__ = ["plan_dict", "read_requirements", "read_shifts", "register"]


def register(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    roster = add("roster", "workforce: shift plans (排班)")
    sub = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    plan = sub.add_parser(
        "plan",
        help="heads per shift and day that cover a requirement",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    plan.add_argument("--requirements", required=True, metavar="REQ.csv")
    plan.add_argument("--shifts", required=True, metavar="SHIFTS.toml")
    plan.add_argument("--slot-minutes", type=int, default=30, help="interval length (30)")
    plan.add_argument(
        "--missing-as-zero", action="store_true", help="count missing (day, slot) rows as 0"
    )
    plan.add_argument("--max-concurrent", type=int, help="heads present at once (overrides TOML)")
    plan.add_argument("--max-heads-per-day", type=int, help="heads per day (overrides TOML)")
    plan.add_argument(
        "--time-limit", type=float, default=60.0, metavar="SECONDS", help="solver time (60)"
    )
    plan.add_argument(
        "--shortfall-weight",
        type=float,
        metavar="W",
        help="minimise W·shortfall + excess instead of shortfall first (1 = least |gap|)",
    )
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.set_defaults(func=run_plan)


def language() -> str:
    """``zh`` or ``en``, from ``YUQI_LANGUAGE`` like the web app (default Chinese)."""
    return "en" if os.environ.get("YUQI_LANGUAGE", "zh-hans").lower().startswith("en") else "zh"


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_requirements(path: Path, *, slot_minutes: int, missing_as_zero: bool) -> Requirement:
    """The requirement grid from ``REQ.csv`` (UTF-8 or GBK/GB18030, comma/tab/semicolon)."""
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise WorkforceError(
            f"{path}: cannot read ({exc.strerror})", f"{path}：无法读取（{exc.strerror}）"
        ) from exc
    except UnicodeDecodeError as exc:
        raise WorkforceError(
            f"{path}: neither UTF-8 nor GBK text", f"{path}：既不是 UTF-8 也不是 GBK 文本"
        ) from exc
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",\t;").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [name for name in ("day", "slot", "required") if name not in header]
    if missing:
        raise WorkforceError(
            f"{path.name}: column(s) {', '.join(missing)} missing (need day, slot, required)",
            f"{path.name}：缺少列 {'、'.join(missing)}（需要 day、slot、required）",
            field=missing[0],
        )
    where = [header.index(name) for name in ("day", "slot", "required")]
    rows = (
        (number, *(row[i] if i < len(row) else "" for i in where))
        for number, row in enumerate(reader, start=2)
        if any(cell.strip() for cell in row)
    )
    return requirement_from_rows(rows, slot_minutes=slot_minutes, missing_as_zero=missing_as_zero)


_SHIFT_HEADER = re.compile(r"^(\s*\[\s*shift\s*\.\s*)([^\]\"'.\s]+)(\s*\]\s*(?:#.*)?)$", re.M)


def quote_shift_headers(text: str) -> str:
    """Quote Chinese shift names in ``[shift.早班]`` headers: TOML 1.0 (Python's tomllib)
    allows only ASCII bare keys, but planners write the name as it is (TOML 1.1 allows it).
    Only such header lines change, so error positions stay the same."""
    return _SHIFT_HEADER.sub(lambda m: m[0] if m[2].isascii() else f'{m[1]}"{m[2]}"{m[3]}', text)


def read_shifts(path: Path) -> tuple[list[ShiftTemplate], PlanLimits]:
    """Shift templates and limits from ``SHIFTS.toml``; malformed TOML names line and column."""
    try:
        data = tomllib.loads(quote_shift_headers(_decode(path.read_bytes())))
    except OSError as exc:
        raise WorkforceError(
            f"{path}: cannot read ({exc.strerror})", f"{path}：无法读取（{exc.strerror}）"
        ) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WorkforceError(
            f"{path.name}: not valid TOML: {exc}", f"{path.name}：TOML 格式错误：{exc}"
        ) from exc
    unknown = sorted(set(data) - {"shift", "limits"})
    if unknown:
        raise WorkforceError(
            f"{path.name}: unknown table(s) {', '.join(unknown)} (use [shift.NAME] and [limits])",
            f"{path.name}：未知的表 {'、'.join(unknown)}（请用 [shift.名称] 和 [limits]）",
        )
    tables = data.get("shift", {})
    if not isinstance(tables, dict) or not tables:
        raise WorkforceError(
            f"{path.name}: no shifts; give one [shift.NAME] table per shift",
            f"{path.name}：没有班次；请为每个班次写一个 [shift.名称] 表",
        )
    templates = []
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise WorkforceError(
                f"{path.name}: shift.{name} must be a table", f"{path.name}：shift.{name} 须为表"
            )
        templates.append(template_from_mapping(name, table))
    return templates, _limits(data.get("limits", {}), path.name)


def _limits(table: object, file_name: str) -> PlanLimits:
    known = {"max_concurrent", "max_heads_per_day"}
    if (
        not isinstance(table, dict)
        or set(table) - known
        or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in table.values()
        )
    ):
        raise WorkforceError(
            f"{file_name}: [limits] takes whole numbers ≥ 0 for {', '.join(sorted(known))}",
            f"{file_name}：[limits] 只接受不小于 0 的整数 {'、'.join(sorted(known))}",
            field="limits",
        )
    return PlanLimits(**table)


def plan_dict(plan: ShiftPlan) -> dict[str, Any]:
    """The plan as JSON-ready keys (days are strings "1".."D" in ``coverage``)."""
    return {
        "shifts": {name: list(days) for name, days in plan.heads.items()},
        "coverage": {str(d): list(day) for d, day in enumerate(plan.coverage, start=1)},
        "shortfall": plan.shortfall,
        "excess": plan.excess,
        "status": plan.status,
        "seconds": round(plan.seconds, 3),
        "breaks": [
            {"shift": name, "day": day, "break": number, "offset_minutes": offset, "heads": heads}
            for name, day, number, offset, heads in plan.breaks
        ],
        "notes": list(plan.notes),
    }


_LABELS = {
    "en": {
        "day": "day",
        "short": "shortfall",
        "excess": "excess",
        "status": {"optimal": "optimal", "feasible": "best found in time", "infeasible": "none"},
        "summary": "shortfall {s:g} head-intervals, excess {e:g}, {h} heads, {sec:.1f} s ({st})",
    },
    "zh": {
        "day": "天",
        "short": "缺口",
        "excess": "冗余",
        "status": {"optimal": "最优", "feasible": "限时内最好", "infeasible": "无解"},
        "summary": "缺口 {s:g} 人·时段，冗余 {e:g}，共 {h} 人次，用时 {sec:.1f} 秒（{st}）",
    },
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return " " * max(0, width - _width(text)) + text


def _human(plan: ShiftPlan, requirement: Requirement, lang: str) -> str:
    """One row per day: heads per shift, then the day's shortfall and excess."""
    labels = _LABELS[lang]
    names = list(plan.heads)
    widths = [max(4, _width(name)) for name in names]
    columns = [_pad(labels["day"], 4), *(_pad(n, w) for n, w in zip(names, widths, strict=True))]
    lines = [" ".join([*columns, _pad(labels["short"], 9), _pad(labels["excess"], 9)])]
    for d in range(requirement.days):
        gaps = [r - c for r, c in zip(requirement.values[d], plan.coverage[d], strict=True)]
        cells = [_pad(str(plan.heads[n][d]), w) for n, w in zip(names, widths, strict=True)]
        short = sum(g for g in gaps if g > 0)
        over = -sum(g for g in gaps if g < 0)
        lines.append(" ".join([f"{d + 1:>4}", *cells, f"{short:>9.1f}", f"{over:>9.1f}"]))
    lines.append(
        labels["summary"].format(
            s=plan.shortfall,
            e=plan.excess,
            h=plan.total_heads,
            sec=plan.seconds,
            st=labels["status"].get(plan.status, plan.status),
        )
    )
    lines.extend(plan.notes)
    return "\n".join(lines)


def run_plan(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    lang = language()
    try:
        requirement = read_requirements(
            Path(args.requirements),
            slot_minutes=args.slot_minutes,
            missing_as_zero=args.missing_as_zero,
        )
        templates, limits = read_shifts(Path(args.shifts))
        limits = PlanLimits(
            max_concurrent=args.max_concurrent
            if args.max_concurrent is not None
            else limits.max_concurrent,
            max_heads_per_day=args.max_heads_per_day
            if args.max_heads_per_day is not None
            else limits.max_heads_per_day,
        )
        plan = plan_shifts(
            requirement,
            templates,
            limits=limits,
            time_limit=args.time_limit,
            shortfall_weight=args.shortfall_weight,
        )
    except WorkforceError as exc:
        print(("错误：" if lang == "zh" else "error: ") + exc.message(lang), file=err)
        return 2
    if args.json:
        print(json.dumps(plan_dict(plan), ensure_ascii=False), file=out)
    else:
        print(_human(plan, requirement, lang), file=out)
    return 1 if plan.status == "infeasible" else 0

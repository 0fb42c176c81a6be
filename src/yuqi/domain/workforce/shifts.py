"""Shift templates, the staffing requirement grid, and what a shift covers per interval.

Time model
----------
The plan runs over days ``1..D`` of ``1440 / slot_minutes`` intervals ("slots") each. Time is
counted in minutes from midnight of day 1, so a shift starting at 22:00 on day ``d`` for 8
hours covers ``(d − 1)·1440 + 1320`` to ``(d − 1)·1440 + 1800``: its last six hours fall on
day ``d + 1`` and are counted there (a shift may last up to 24 hours). A shift starting on the
last day covers the hours past the horizon too; those are outside the plan and not counted.
Nothing covers day 1 before the first shift of day 1 (the previous plan's night shift is not
an input).

A head on a shift covers a slot in proportion to the minutes of that slot it is on duty: a
shift starting at 08:15 covers the 08:00 half-hour for 0.5, and a 15-minute break inside a
half-hour leaves 0.5 of it covered. Breaks are windows: the break of each head starts at one
of the offsets ``earliest, earliest + step, …, latest`` after the shift's start, and the
planner chooses how many heads take it at each offset (staggering), so breaks do not all
leave the floor at once. Two breaks of one template must not be able to overlap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from yuqi.domain.workforce.errors import WorkforceError

__all__ = [
    "DAY_MINUTES",
    "BreakRule",
    "Requirement",
    "ShiftTemplate",
    "duty_fractions",
    "format_clock",
    "parse_clock",
    "parse_duration",
    "requirement_from_rows",
]

DAY_MINUTES = 1440
#: Default night window for deciding whether a shift is a night shift (22:00–06:00).
NIGHT_START = 22 * 60
NIGHT_END = 6 * 60
#: A shift with at least this many minutes inside the night window is a night shift.
NIGHT_MINUTES = 60

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def parse_clock(text: str, *, field_name: str) -> int:
    """``"08:30"`` → 510 minutes after midnight; 00:00–23:59 only."""
    match = _CLOCK.match(str(text))
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise WorkforceError(
            f"{field_name}: {text!r} is not a time of day HH:MM (00:00–23:59)",
            f"{field_name}：{text!r} 不是 HH:MM 格式的时刻（00:00–23:59）",
            field=field_name,
        )
    return int(match[1]) * 60 + int(match[2])


def parse_duration(value: object, *, field_name: str) -> int:
    """Hours as a number (``8``, ``7.5``) or ``"H:MM"`` → whole minutes (must be whole)."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, str):
        match = _CLOCK.match(value)
        minutes = float(int(match[1]) * 60 + int(match[2])) if match else math.nan
    elif isinstance(value, int | float):
        minutes = float(value) * 60
    else:
        minutes = math.nan
    if not math.isfinite(minutes) or minutes < 0 or minutes != round(minutes):
        raise WorkforceError(
            f'{field_name}: {value!r} is not a duration in hours (e.g. 8, 7.5 or "7:30")',
            f'{field_name}：{value!r} 不是以小时表示的时长（如 8、7.5 或 "7:30"）',
            field=field_name,
        )
    return int(minutes)


def format_clock(minutes: int) -> str:
    """Minutes after midnight of the start day → ``"HH:MM"`` (``"+1 06:00"`` past midnight)."""
    day, rest = divmod(int(minutes), DAY_MINUTES)
    clock = f"{rest // 60:02d}:{rest % 60:02d}"
    return f"+{day} {clock}" if day else clock


@dataclass(frozen=True, slots=True)
class BreakRule:
    """A break taken off the floor: ``minutes`` long, starting ``earliest``…``latest``
    minutes after the shift's start (equal for a fixed break).

    ``paid`` says whether it counts as working time (Chinese practice, and the default: meal
    breaks of 30 minutes or more are unpaid, short rest breaks are paid).
    """

    minutes: int
    earliest: int
    latest: int
    paid: bool
    name: str = ""

    def offsets(self, step: int) -> tuple[int, ...]:
        """The start offsets the planner may choose: every ``step`` minutes, and ``latest``."""
        points = list(range(self.earliest, self.latest + 1, max(1, step)))
        if points[-1] != self.latest:
            points.append(self.latest)
        return tuple(points)


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """A shift the centre may run: start time of day, length, breaks and when it may run.

    ``days`` are the plan's day numbers it may run on (``None``: every day); ``max_heads``
    caps the heads on it per day; ``skill`` is the skill an agent needs to work it (for the
    roster); ``night`` overrides the night-shift test (≥ 1 h inside 22:00–06:00).
    """

    name: str
    start: int
    minutes: int
    breaks: tuple[BreakRule, ...] = ()
    days: frozenset[int] | None = None
    max_heads: int | None = None
    skill: str | None = None
    night: bool | None = None
    _is_night: bool = field(init=False, repr=False, compare=False, default=False)

    def __post_init__(self) -> None:
        where = f"shift {self.name!r}"
        zh_where = f"班次 {self.name!r}"
        if not self.name.strip():
            raise WorkforceError("a shift has an empty name", "有班次名称为空", field="name")
        if not 0 <= self.start < DAY_MINUTES:
            raise WorkforceError(
                f"{where}: start must be 00:00–23:59", f"{zh_where}：开始时间须在 00:00–23:59"
            )
        if not 0 < self.minutes <= DAY_MINUTES:
            raise WorkforceError(
                f"{where}: hours must be more than 0 and at most 24 (got {self.minutes / 60:g}); "
                "a shift longer than a day is refused",
                f"{zh_where}：时长须大于 0 且不超过 24 小时（现为 {self.minutes / 60:g}），"
                "不接受超过一天的班次",
                field="hours",
            )
        if self.max_heads is not None and self.max_heads < 0:
            raise WorkforceError(
                f"{where}: max_heads must not be negative", f"{zh_where}：max_heads 不能为负"
            )
        self._check_breaks(where, zh_where)
        object.__setattr__(self, "_is_night", self._night_test())

    def _check_breaks(self, where: str, zh_where: str) -> None:
        previous_end = 0
        for number, rule in enumerate(sorted(self.breaks, key=lambda b: b.earliest), start=1):
            label = rule.name or f"break {number}"
            if rule.minutes <= 0 or rule.latest < rule.earliest or rule.earliest < 0:
                raise WorkforceError(
                    f"{where}: {label}: needs minutes > 0 and earliest ≤ latest",
                    f"{zh_where}：{label}：时长须大于 0，且最早开始不晚于最晚开始",
                    field="breaks",
                )
            if rule.latest + rule.minutes > self.minutes:
                raise WorkforceError(
                    f"{where}: {label} can end after the shift ends",
                    f"{zh_where}：{label} 可能在班次结束后才结束",
                    field="breaks",
                )
            if rule.earliest < previous_end:
                raise WorkforceError(
                    f"{where}: {label} can overlap the break before it; make the windows apart",
                    f"{zh_where}：{label} 可能与前一个休息重叠，请让两个时间窗错开",
                    field="breaks",
                )
            previous_end = rule.latest + rule.minutes

    @property
    def end(self) -> int:
        """End in minutes after midnight of the start day (over 1440 past midnight)."""
        return self.start + self.minutes

    @property
    def crosses_midnight(self) -> bool:
        return self.end > DAY_MINUTES

    @property
    def work_minutes(self) -> int:
        """Working time: the shift less its unpaid breaks."""
        return self.minutes - sum(b.minutes for b in self.breaks if not b.paid)

    @property
    def is_night(self) -> bool:
        """A night shift: ``night`` if given, else ≥ 1 hour inside 22:00–06:00."""
        return self._is_night

    def _night_test(self) -> bool:
        if self.night is not None:
            return self.night
        inside = 0
        for day_start in (-DAY_MINUTES, 0, DAY_MINUTES):
            for low, high in ((NIGHT_START, DAY_MINUTES), (0, NIGHT_END)):
                a, b = day_start + low, day_start + high
                inside += max(0, min(b, self.end) - max(a, self.start))
        return inside >= NIGHT_MINUTES

    def runs_on(self, day: int) -> bool:
        return self.days is None or day in self.days


def duty_fractions(
    start: int, end: int, slot_minutes: int, *, breaks: Iterable[tuple[int, int]] = ()
) -> dict[int, float]:
    """Share of each slot on duty for a head present ``start``–``end`` (minutes from the
    plan's start), less ``breaks`` given as absolute (start, end) minutes.

    Keys are absolute slot numbers (``minute // slot_minutes``); slots with no duty are left
    out. A break counts negatively so the caller can add a break placement's effect alone.
    """
    shares: dict[int, float] = {}
    _add_span(shares, start, end, slot_minutes, 1.0)
    for low, high in breaks:
        _add_span(shares, low, high, slot_minutes, -1.0)
    return {slot: share for slot, share in shares.items() if abs(share) > 1e-12}


def _add_span(shares: dict[int, float], start: int, end: int, slot: int, sign: float) -> None:
    for index in range(start // slot, -(-end // slot)):
        low, high = max(start, index * slot), min(end, (index + 1) * slot)
        if high > low:
            shares[index] = shares.get(index, 0.0) + sign * (high - low) / slot


@dataclass(frozen=True, slots=True)
class Requirement:
    """Heads required on duty per slot: ``values[day − 1][slot]`` (fractional allowed)."""

    slot_minutes: int
    values: tuple[tuple[float, ...], ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def days(self) -> int:
        return len(self.values)

    @property
    def slots_per_day(self) -> int:
        return DAY_MINUTES // self.slot_minutes

    def flat(self) -> list[float]:
        return [value for day in self.values for value in day]


def check_slot_minutes(slot_minutes: int) -> int:
    if isinstance(slot_minutes, bool) or not isinstance(slot_minutes, int) or slot_minutes <= 0:
        slot_minutes = 0
    if not slot_minutes or DAY_MINUTES % slot_minutes:
        raise WorkforceError(
            "slot minutes must divide a day (e.g. 15, 30 or 60)",
            "时段分钟数须能整除一天（如 15、30 或 60）",
            field="slot_minutes",
        )
    return slot_minutes


def requirement_from_rows(
    rows: Iterable[tuple[int, object, object, object]],
    *,
    slot_minutes: int,
    missing_as_zero: bool = False,
) -> Requirement:
    """Build the grid from ``(row_number, day, slot, required)`` rows as read from a file.

    Refused, naming the row: a day below 1, a slot outside the day, a required value that is
    not a finite number ≥ 0, the same (day, slot) twice. Missing (day, slot) pairs between
    day 1 and the last day are refused too (a gap usually means a broken export), unless
    ``missing_as_zero``, when they count as 0 and the answer notes how many were filled.
    """
    per_day = DAY_MINUTES // check_slot_minutes(slot_minutes)
    seen: dict[tuple[int, int], int] = {}
    grid: dict[tuple[int, int], float] = {}
    for number, day_text, slot_text, value_text in rows:
        day = _whole(day_text, number, "day", low=1)
        slot = _whole(slot_text, number, "slot", low=0)
        if slot >= per_day:
            raise WorkforceError(
                f"row {number}: slot {slot} is outside the day ({per_day} slots of "
                f"{slot_minutes} min: 0–{per_day - 1})",
                f"第 {number} 行：时段 {slot} 超出一天的范围（{per_day} 个 {slot_minutes} 分钟"
                f"时段：0–{per_day - 1}）",
                field="slot",
            )
        value = _number(value_text, number)
        if (day, slot) in seen:
            raise WorkforceError(
                f"row {number}: day {day} slot {slot} was already given in row {seen[day, slot]}",
                f"第 {number} 行：第 {day} 天时段 {slot} 已在第 {seen[day, slot]} 行给出",
                field="slot",
            )
        seen[day, slot] = number
        grid[day, slot] = value
    if not grid:
        raise WorkforceError("the requirements have no rows", "需求文件没有数据行")
    days = max(day for day, _ in grid)
    gaps = [(d, s) for d in range(1, days + 1) for s in range(per_day) if (d, s) not in grid]
    notes: tuple[str, ...] = ()
    if gaps and not missing_as_zero:
        d, s = gaps[0]
        raise WorkforceError(
            f"the requirements have {len(gaps)} missing (day, slot) rows, the first day {d} "
            f"slot {s}; give every slot of days 1–{days} (or allow missing slots as 0)",
            f"需求缺少 {len(gaps)} 个（天，时段）行，第一个是第 {d} 天时段 {s}；请给出第 1–{days} "
            "天的每个时段（或允许缺失时段按 0 计）",
            field="slot",
        )
    if gaps:
        notes = (f"{len(gaps)} missing slots counted as 0",)
    values = tuple(tuple(grid.get((d, s), 0.0) for s in range(per_day)) for d in range(1, days + 1))
    return Requirement(slot_minutes=slot_minutes, values=values, notes=notes)


def _whole(text: object, row: int, name: str, *, low: int) -> int:
    try:
        value = float(str(text).strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value != int(value) or value < low:
        raise WorkforceError(
            f"row {row}: {name} {text!r} is not a whole number ≥ {low}",
            f"第 {row} 行：{name} {text!r} 不是不小于 {low} 的整数",
            field=name,
        )
    return int(value)


def _number(text: object, row: int) -> float:
    try:
        value = float(str(text).strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise WorkforceError(
            f"row {row}: required {text!r} is not a number",
            f"第 {row} 行：required {text!r} 不是数字",
            field="required",
        )
    if value < 0:
        raise WorkforceError(
            f"row {row}: required {text!r} is negative",
            f"第 {row} 行：required {text!r} 为负数",
            field="required",
        )
    return value


def template_from_mapping(name: str, table: Mapping[str, object]) -> ShiftTemplate:
    """A template from a TOML-like table (see ``yuqi roster plan --help``); unknown keys and
    wrong types are refused naming the shift and the key."""
    known = {"start", "hours", "breaks", "days", "max_heads", "skill", "night"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise WorkforceError(
            f"shift {name!r}: unknown key(s) {', '.join(unknown)} "
            f"(known: {', '.join(sorted(known))})",
            f"班次 {name!r}：未知的键 {'、'.join(unknown)}（可用：{'、'.join(sorted(known))}）",
            field=unknown[0],
        )
    for key in ("start", "hours"):
        if key not in table:
            raise WorkforceError(
                f"shift {name!r}: {key} is missing", f"班次 {name!r}：缺少 {key}", field=key
            )
    where = f"shift {name!r}"
    start = parse_clock(str(table["start"]), field_name=f"{where}.start")
    minutes = parse_duration(table["hours"], field_name=f"{where}.hours")
    breaks = tuple(_break(name, i, b) for i, b in enumerate(_list(table, "breaks", name), 1))
    days_list = _list(table, "days", name) if "days" in table else None
    days = None
    if days_list is not None:
        if not all(isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in days_list):
            raise WorkforceError(
                f"{where}.days: give day numbers 1, 2, … of the plan",
                f"班次 {name!r}.days：请给出计划中的天序号 1、2……",
                field="days",
            )
        days = frozenset(days_list)
    max_heads = table.get("max_heads")
    if max_heads is not None and (not isinstance(max_heads, int) or isinstance(max_heads, bool)):
        raise WorkforceError(
            f"{where}.max_heads must be a whole number",
            f"班次 {name!r}.max_heads 须为整数",
            field="max_heads",
        )
    night = table.get("night")
    if night is not None and not isinstance(night, bool):
        raise WorkforceError(
            f"{where}.night must be true or false", f"班次 {name!r}.night 须为 true 或 false"
        )
    skill = table.get("skill")
    return ShiftTemplate(
        name=name,
        start=start,
        minutes=minutes,
        breaks=breaks,
        days=days,
        max_heads=max_heads,
        skill=None if skill is None else str(skill),
        night=night,
    )


def _list(table: Mapping[str, object], key: str, name: str) -> list[Any]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise WorkforceError(
            f"shift {name!r}.{key} must be a list", f"班次 {name!r}.{key} 须为列表", field=key
        )
    return value


def _break(name: str, number: int, table: object) -> BreakRule:
    where = f"shift {name!r} break {number}"
    if not isinstance(table, Mapping):
        raise WorkforceError(
            f"{where}: must be a table such as {{ after = 4, minutes = 60 }}",
            f"班次 {name!r} 第 {number} 个休息：须为表，如 {{ after = 4, minutes = 60 }}",
            field="breaks",
        )
    known = {"after", "latest", "minutes", "paid", "name"}
    unknown = sorted(set(table) - known)
    if unknown or "after" not in table or "minutes" not in table:
        raise WorkforceError(
            f"{where}: needs after (hours after the start) and minutes; optional latest, paid, "
            f"name{' (unknown: ' + ', '.join(unknown) + ')' if unknown else ''}",
            f"班次 {name!r} 第 {number} 个休息：需要 after（开始后几小时）和 minutes；可选 latest、"
            "paid、name",
            field="breaks",
        )
    earliest = parse_duration(table["after"], field_name=f"{where}.after")
    latest = parse_duration(table.get("latest", table["after"]), field_name=f"{where}.latest")
    minutes = table["minutes"]
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        raise WorkforceError(
            f"{where}.minutes must be a whole number > 0",
            f"班次 {name!r} 第 {number} 个休息的 minutes 须为正整数",
            field="breaks",
        )
    paid = table.get("paid", minutes < 30)
    if not isinstance(paid, bool):
        raise WorkforceError(
            f"{where}.paid must be true or false",
            f"班次 {name!r} 第 {number} 个休息的 paid 须为 true 或 false",
        )
    return BreakRule(
        minutes=minutes,
        earliest=earliest,
        latest=latest,
        paid=paid,
        name=str(table.get("name", "")),
    )

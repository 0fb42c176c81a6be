"""Workforce planning for the demo centre: Erlang C staffing and a greedy shift roster.

The demo plans its rosters the way a small centre does: forecast calls per 15-minute
interval, turn them into agents with Erlang C (M/M/N: Poisson arrivals, exponential handle
times, no abandonment — A. K. Erlang 1917; see e.g. Cooper, *Introduction to Queueing Theory*,
1981, §3), then cover that need with fixed-length shifts. The simulation then runs the real
calls against the roster, so where the forecast or the attendance is wrong, service suffers.

The formula is the product's own (``yuqi.domain.erlang``), cached here because the planner
asks the same question many times.
"""

from __future__ import annotations

import math
from functools import lru_cache

from yuqi.domain.erlang import erlang_c

INTERVAL = 900  # seconds in a planning interval
DAY_INTERVALS = 96
FULL_SHIFT = 32  # 8 hours with a 30-minute break
PART_SHIFT = 16  # 4 hours, no break


@lru_cache(maxsize=65536)
def erlang_c_service_level(agents: int, traffic: float, aht: float, target_seconds: float) -> float:
    """Share of calls answered within ``target_seconds`` (Erlang C); 0 when agents ≤ traffic."""
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    return erlang_c(
        agents=agents, traffic=traffic, aht_seconds=aht, target_seconds=target_seconds
    ).service_level


def agents_needed(
    calls: float,
    aht: float,
    *,
    target: float,
    target_seconds: float,
    max_occupancy: float = 0.9,
    minimum: int = 1,
) -> int:
    """The fewest agents for ``calls`` per interval to reach ``target`` service level."""
    traffic = calls * aht / INTERVAL
    n = max(minimum, math.floor(traffic) + 1, math.ceil(traffic / max_occupancy))
    key = round(traffic, 2)
    while erlang_c_service_level(n, key, round(aht), target_seconds) < target:
        n += 1
    return n


def cover(
    need: list[int],
    *,
    open_at: int,
    close_at: int,
    length: int = FULL_SHIFT,
    part_length: int = PART_SHIFT,
    break_after: tuple[int, int] = (14, 20),
    break_length: int = 2,
) -> list[tuple[int, int, int]]:
    """Shifts ``(start, length, break_start)`` in interval numbers that cover ``need``
    between ``open_at`` and ``close_at``; a part-time shift has no break (``break_start`` -1).

    Greedy from the opening: wherever fewer agents are present than needed, start a shift
    there (or at the latest start that still ends by closing): a full shift when the need
    lasts through most of its second half, else a part-time one. A full shift takes a break
    after ``break_after`` intervals, placed where the most agents are spare.
    """
    present = [0] * DAY_INTERVALS
    shifts: list[tuple[int, int, int]] = []
    for t in range(open_at, close_at):
        while present[t] < need[t]:
            start = min(t, close_at - length)
            second_half = range(start + length // 2, start + length)
            lasting = sum(1 for i in second_half if need[i] > present[i])
            if part_length and lasting < length // 4:
                start = min(t, close_at - part_length)
                for i in range(start, start + part_length):
                    present[i] += 1
                shifts.append((start, part_length, -1))
                continue
            options = [
                start + k
                for k in range(break_after[0], break_after[1] + 1)
                if not start + k <= t < start + k + break_length
            ]
            brk = max(
                options,
                key=lambda b: (
                    min(present[b + i] - need[b + i] for i in range(break_length)),
                    -b,
                ),
            )
            for i in range(start, start + length):
                if not brk <= i < brk + break_length:
                    present[i] += 1
            shifts.append((start, length, brk))
    return shifts

"""Business time on SLA clocks: ``BusinessCalendar.business_time_between`` against the former
interval-by-interval walk (the anchor, measured in the same run), with equal answers checked.

    .venv/bin/python bench/calendar_bench.py [--clocks 2000] [--repeat 5]

Each clock starts at a random minute of the 60 days before 2026-12-06 10:00 (Shanghai) and is
measured to then, on a 09:00–12:00, 13:30–17:30 week with the statutory holidays: the shape
of a work queue's open tickets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from zoneinfo import ZoneInfo

from yuqi.domain.calendar import BusinessCalendar, parse_periods, week

SH = ZoneInfo("Asia/Shanghai")


def walked(cal: BusinessCalendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    total = dt.timedelta(0)
    for begin, end in cal._intervals_from(a):
        if begin >= b:
            break
        total += min(end, b) - begin
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clocks", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cal = BusinessCalendar(weekly=week(parse_periods("09:00-12:00", "13:30-17:30")))
    rng = random.Random(1)
    now = dt.datetime(2026, 12, 6, 10, tzinfo=SH)
    starts = [now - dt.timedelta(minutes=rng.randrange(60 * 24 * 60)) for _ in range(args.clocks)]
    assert [walked(cal, a, now) for a in starts] == [
        cal.business_time_between(a, now) for a in starts
    ]
    times: dict[str, list[float]] = {"interval walk (anchor)": [], "by day": []}
    for _ in range(args.repeat):
        for name, function in (
            ("interval walk (anchor)", walked),
            ("by day", BusinessCalendar.business_time_between),
        ):
            began = time.process_time()
            for a in starts:
                function(cal, a, now)
            times[name].append(time.process_time() - began)
    anchor = statistics.median(times["interval walk (anchor)"])
    for name, runs in times.items():
        median = statistics.median(runs)
        print(f"{name:24} {median:.3f} CPU-s for {args.clocks} clocks ({anchor / median:.1f}x)")


if __name__ == "__main__":
    main()

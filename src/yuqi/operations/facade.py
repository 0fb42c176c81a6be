"""What other contexts may know of operations (ADR 0002): the staffing requirement.

The workforce context plans shifts on the requirement per interval; it reads it here as
frozen dataclasses and never imports operations' internals (operations never imports
workforce). ``required_positions`` is the Erlang requirement grossed up for shrinkage and kept
fractional, so queues and intervals are summed before rounding (the pyworkforce #41 lesson).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from yuqi.domain.kpi import KpiCounts
from yuqi.operations.staffing import services as staffing

__all__ = [
    "Intraday",
    "IntradaySlot",
    "RequirementSlot",
    "StaffingQueue",
    "intraday",
    "staffing_queues",
    "staffing_requirement",
]


@dataclass(frozen=True, slots=True)
class StaffingQueue:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class RequirementSlot:
    day: date
    slot: int
    source: str  # "actual" (a past day) or "forecast"
    calls: float
    required_agents: int | None
    required_positions: float
    worked_agents: int | None  # past days: distinct agents who answered (a lower bound)


def staffing_queues() -> list[StaffingQueue]:
    return [StaffingQueue(q.code, q.name) for q in staffing.staffing_queues()]


def staffing_requirement(
    *,
    queue_code: str,
    start: date,
    end: date,
    interval_minutes: int = staffing.DEFAULT_INTERVAL,
    today: date | None = None,
) -> list[RequirementSlot]:
    """The requirement per interval of ``queue_code`` (``LookupError`` for an unknown queue)."""
    queue = staffing.staffing_queue(queue_code)
    if queue is None:
        raise LookupError(queue_code)
    plan = staffing.staffing_plan(
        queue=queue, start=start, end=end, interval_minutes=interval_minutes, today=today
    )
    keep = 1.0 - plan.shrinkage
    return [
        RequirementSlot(
            day=row.day,
            slot=row.slot,
            source=row.source,
            calls=row.calls,
            required_agents=row.required,
            required_positions=(row.required_fractional or 0.0) / keep if keep > 0 else 0.0,
            worked_agents=row.actual_agents,
        )
        for row in plan.rows
    ]


# --------------------------------------------------------------------------- intraday

#: The re-forecast scales the rest of today by arrivals so far ÷ forecast so far, kept within
#: these bounds so one busy early interval cannot multiply the whole day.
REFORECAST_BOUNDS = (0.25, 4.0)


@dataclass(frozen=True, slots=True)
class IntradaySlot:
    slot: int
    past: bool  # the interval has ended: ``arrived`` is what came
    forecast_calls: float
    arrived: int | None
    expected_calls: float  # past: arrived; to come: forecast × ratio
    required_agents: int | None  # on the phones, Erlang C for the queue's target
    required_positions: int | None  # scheduled heads, grossed up for shrinkage


@dataclass(frozen=True, slots=True)
class Intraday:
    queue_code: str
    day: date
    interval_minutes: int
    ratio: float  # arrivals so far ÷ forecast so far (bounded), 1 when nothing to compare
    arrived_so_far: int
    forecast_so_far: float
    slots: tuple[IntradaySlot, ...]


def intraday(*, queue_code: str, moment: datetime, interval_minutes: int = 30) -> Intraday:
    """Re-forecast the rest of ``moment``'s local day of ``queue_code`` from its arrivals so
    far (``LookupError`` for an unknown queue)."""
    queue = staffing.staffing_queue(queue_code)
    if queue is None:
        raise LookupError(queue_code)
    local = timezone.localtime(moment)
    day = local.date()
    current = (local.hour * 60 + local.minute) // interval_minutes
    plan = staffing.staffing_plan(
        queue=queue, start=day, end=day, interval_minutes=interval_minutes, today=day
    )
    seen = staffing.staffing_history(
        queue=queue, start=day, end=day, interval_minutes=interval_minutes
    )
    rows = {row.slot: row for row in plan.rows}
    forecast_so_far = sum(row.calls for row in plan.rows if row.slot < current)
    arrived_so_far = sum(seen.get(day, s).offered for s in range(current))
    low, high = REFORECAST_BOUNDS
    ratio = min(high, max(low, arrived_so_far / forecast_so_far)) if forecast_so_far > 0 else 1.0
    slots = []
    for slot in range(24 * 60 // interval_minutes):
        row = rows.get(slot)
        forecast_calls = row.calls if row else 0.0
        aht = row.aht if row else None
        past = slot < current
        arrived = seen.get(day, slot).offered if past else None
        expected = float(arrived) if arrived is not None else forecast_calls * ratio
        if expected < 0.05 and not forecast_calls:
            slots.append(IntradaySlot(slot, past, 0.0, arrived, expected, None, None))
            continue
        need = staffing._requirement(
            expected,
            aht,
            interval_minutes=interval_minutes,
            target=plan.target_service_level,
            seconds=plan.target_seconds,
            shrinkage=plan.shrinkage,
            max_occupancy=plan.max_occupancy,
        )
        slots.append(
            IntradaySlot(
                slot,
                past,
                forecast_calls,
                arrived,
                expected,
                need.agents if need else None,
                need.positions if need else None,
            )
        )
    return Intraday(
        queue_code=queue_code,
        day=day,
        interval_minutes=interval_minutes,
        ratio=ratio,
        arrived_so_far=arrived_so_far,
        forecast_so_far=forecast_so_far,
        slots=tuple(slots),
    )


# --------------------------------------------------------------------------- KPI counts


def kpi_counts(*, date_from: date, date_to: date, queue: str | None = None) -> KpiCounts:
    """The KPI counts (``yuqi.domain.kpi.KpiCounts``) of the contacts that arrived from
    ``date_from`` to ``date_to`` (local days, both included), optionally of one queue: the
    numerators and denominators behind answer rate, service level, abandon rate and FCR."""
    from yuqi.operations.kpi.selectors import kpi_table

    return kpi_table(date_from=date_from, date_to=date_to, queue=queue or None)[0].counts

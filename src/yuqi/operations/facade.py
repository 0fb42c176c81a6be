"""What other contexts may know of operations (ADR 0002): the staffing requirement.

The workforce context plans shifts on the requirement per interval; it reads it here as
frozen dataclasses and never imports operations' internals (operations never imports
workforce). ``required_positions`` is the Erlang requirement grossed up for shrinkage and kept
fractional, so queues and intervals are summed before rounding (the pyworkforce #41 lesson).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yuqi.operations.staffing import services as staffing

__all__ = ["RequirementSlot", "StaffingQueue", "staffing_queues", "staffing_requirement"]


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

"""Staffing API: Erlang C / A for one interval, and a queue's staffing plan per interval."""

from datetime import date, datetime, timedelta
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yuqi.core.api_access import api_requires
from yuqi.core.api_errors import error_responses
from yuqi.core.api_types import JSON_NUMBER, IsoDate, Number
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain import erlang
from yuqi.operations.staffing import services as staffing
from yuqi.operations.staffing.calculator import staffing_dict, staffing_interval

router = Router(tags=["operations"])

PERMISSION = "operations.view_staffing"


# Bounds of a real contact centre's interval: beyond them the Erlang formulas overflow to NaN,
# which the response cannot carry (found by the API fuzz test: aht 1.7e308 s).
DAY = 86_400  # seconds
MAX_CALLS = 1_000_000  # calls offered in one interval


class StaffingIn(Schema):
    """One interval, as ``yuqi staffing``: give ``agents`` to evaluate instead of solving."""

    calls: Number = Field(ge=0, le=MAX_CALLS, description="calls offered in the interval")
    interval: Number = Field(30, gt=0, le=24 * 60, description="interval length in minutes")
    aht: Number = Field(gt=0, le=DAY, description="average handle time (talk + wrap), seconds")
    target_sl: Annotated[float, Field(gt=0, lt=1), JSON_NUMBER] | None = Field(
        None, description="e.g. 0.8"
    )
    target_time: Number = Field(20, ge=0, le=DAY, description="service level threshold, seconds")
    shrinkage: Number = Field(0, ge=0, lt=1, description="share of paid time off the phones")
    max_occupancy: Number = Field(1, gt=0, le=1, description="occupancy cap (1: none)")
    patience: Annotated[float, Field(gt=0, le=DAY), JSON_NUMBER] | None = Field(
        None, description="mean patience, seconds (Erlang A)"
    )
    agents: Annotated[int, Field(ge=0, le=100_000), JSON_NUMBER] | None = Field(
        None, description="evaluate this many agents"
    )
    max_asa: Annotated[float, Field(gt=0, le=DAY), JSON_NUMBER] | None = Field(
        None, description="ASA target, seconds"
    )
    max_abandon: Annotated[float, Field(gt=0, lt=1), JSON_NUMBER] | None = Field(
        None, description="abandon rate target"
    )


class StaffingOut(Schema):
    agents: int
    agents_fractional: float
    positions: int
    positions_fractional: float
    service_level: float
    asa: float
    waiting_probability: float
    occupancy: float
    abandon_rate: float | None
    model: str
    traffic: float
    binding: list[str]


@router.post("/staffing", response=StaffingOut)
@api_requires(PERMISSION)
def staffing_compute(request: HttpRequest, payload: StaffingIn) -> dict:
    """Fewest agents meeting the targets (or the performance of ``agents``), Erlang C, or
    Erlang A with ``patience``. Impossible inputs answer 422 with the reason."""
    try:
        result = staffing_interval(**payload.model_dump())  # as `yuqi staffing` computes it
    except erlang.ErlangError as exc:
        raise DomainError(str(exc), code="impossible") from exc
    return {"abandon_rate": None, **staffing_dict(result)}


class PlanQuery(Schema):
    queue: str = Field(description="queue code")
    start: IsoDate | None = Field(None, description="first day (default: 7 days ago)")
    end: IsoDate | None = Field(None, description="last day (default: 6 days from today)")
    interval: int = Field(
        staffing.DEFAULT_INTERVAL,
        description="15, 30 or 60 minutes",
        json_schema_extra={"enum": list(staffing.INTERVALS)},  # a query string: no Literal
    )
    shrinkage: float = Field(staffing.DEFAULT_SHRINKAGE, ge=0, lt=1)
    max_occupancy: float = Field(staffing.DEFAULT_MAX_OCCUPANCY, gt=0, le=1)


class PlanRowOut(Schema):
    day: date
    starts_at: datetime
    source: str
    calls: float
    aht: float | None
    required: int | None
    required_fractional: float | None
    positions: int | None
    actual_agents: int | None
    gap: int | None
    status: str


class BacktestOut(Schema):
    method: str
    holdout_first_day: date
    holdout_days: int
    wape: float | None
    mape: float | None
    mape_intervals: int
    daily_mape: float | None
    bias: float | None


class PlanOut(Schema):
    queue: str
    start: date
    end: date
    interval_minutes: int
    target_service_level: float
    target_seconds: int
    shrinkage: float
    max_occupancy: float
    forecast_method: str
    under: int
    over: int
    backtest: BacktestOut | None
    items: list[PlanRowOut]


@router.get("/staffing/plan", response=PlanOut, openapi_extra=error_responses(404))
@api_requires(PERMISSION)
def staffing_plan(request: HttpRequest, filters: Query[PlanQuery]) -> dict:
    """Required agents (Erlang C, the queue's SL target) against the agents who answered
    calls, per interval; past days are actual, from today on forecast. ``status`` is
    ``under``, ``over`` or ``ok`` on past days."""
    queue = staffing.staffing_queue(filters.queue)
    if queue is None:
        raise Http404
    today = timezone.localdate(now())
    start = filters.start or today - timedelta(days=7)
    end = filters.end or today + timedelta(days=6)
    if filters.interval not in staffing.INTERVALS:
        raise DomainError(_("The interval must be 15, 30 or 60 minutes."))
    if end < start:
        raise DomainError(_("The end date is before the start date."))
    if (end - start).days + 1 > staffing.MAX_PLAN_DAYS:
        raise DomainError(
            _("A plan covers at most %(days)s days.") % {"days": staffing.MAX_PLAN_DAYS},
        )
    plan = staffing.staffing_plan(
        queue=queue,
        start=start,
        end=end,
        interval_minutes=filters.interval,
        shrinkage=filters.shrinkage,
        max_occupancy=filters.max_occupancy,
        today=today,
    )
    return {
        "queue": plan.queue_code,
        "start": plan.start,
        "end": plan.end,
        "interval_minutes": plan.interval_minutes,
        "target_service_level": plan.target_service_level,
        "target_seconds": plan.target_seconds,
        "shrinkage": plan.shrinkage,
        "max_occupancy": plan.max_occupancy,
        "forecast_method": plan.forecast_method,
        "under": plan.under_count,
        "over": plan.over_count,
        "backtest": plan.backtest,
        "items": [
            {
                "day": row.day,
                "starts_at": row.starts_at,
                "source": row.source,
                "calls": row.calls,
                "aht": row.aht,
                "required": row.required,
                "required_fractional": row.required_fractional,
                "positions": row.positions,
                "actual_agents": row.actual_agents,
                "gap": row.gap,
                "status": row.status,
            }
            for row in plan.rows
        ],
    }

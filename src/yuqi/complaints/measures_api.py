"""``GET /api/v1/complaints/measures``: the complaint and promise measures as JSON (the same
engine as the service measures page; definitions in :mod:`yuqi.complaints.measures`)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from yuqi.complaints.measures import (
    CLOCK_KINDS,
    DIMENSIONS,
    MeasureRow,
    complaint_measures,
    escalation_levels,
    open_overdue_now,
    promise_measures,
)
from yuqi.core.api_access import api_requires
from yuqi.core.api_types import IsoDate

router = Router(tags=["complaints"])
MAX_DAYS = 366


class MeasuresQueryIn(Schema):
    date_from: IsoDate
    date_to: IsoDate
    by: str = ""  # comma list of: month | week, level, team, agent, tier


class EscalationOut(Schema):
    level: str
    entered: int
    escalated: int
    rate: float | None


class ComplaintMeasuresOut(Schema):
    """Ratios in [0, 1]; ``null`` means no data yet (the denominator is zero)."""

    opened: int
    sla_compliance: dict[str, float | None]
    clocks_stopped: dict[str, int] = Field(
        description="Clocks due in the period (target in it) that stopped, by target or late."
    )
    clocks_met: dict[str, int] = Field(
        description="Clocks due in the period that stopped by their target."
    )
    clocks_overdue: dict[str, int] = Field(
        default_factory=dict,
        description="Clocks due in the period still open past their target (breached now).",
    )
    sla_compliance_all: float | None = Field(
        None, description="Met ÷ clocks due over every clock kind (the scorecard's figure)."
    )
    clocks_due: int = Field(
        0, description="Clocks whose target fell in the period: stopped, or open past it."
    )
    open_and_overdue: int = Field(
        0, description="Clocks due in the period still open past target, every kind."
    )
    escalation: list[EscalationOut]
    regulator_appeals: int
    customers: int
    regulator_per_10k: float | None
    reopened: int
    reopen_rate: float | None
    recovery_cost: str | None
    recovery_cost_per_complaint: str | None
    callbacks: int
    solved_rate: float | None
    attitude_rate: float | None


class MeasureRowOut(Schema):
    keys: dict[str, str | None]
    labels: dict[str, str]
    measures: ComplaintMeasuresOut


class PromiseRowOut(Schema):
    key: str
    label: str
    due: int
    kept_on_time: int
    fulfilled_late: int
    broken: int
    open: int
    kept_on_time_rate: float | None


class PromisesOut(Schema):
    by_agent: list[PromiseRowOut]
    by_kind: list[PromiseRowOut]
    total: list[PromiseRowOut]


class MeasuresOut(Schema):
    by: list[str]
    items: list[MeasureRowOut]
    promises: PromisesOut
    open_and_overdue_now: int = Field(
        0, description="Every open clock past its target now, whatever the period."
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _row_out(row: MeasureRow, level_codes: list[str]) -> dict[str, Any]:
    m = row.measures
    escalations = {e.level_code: e for e in m.escalations}
    return {
        "keys": {k: _text(v) for k, v in row.keys.items()},
        "labels": dict(row.labels),
        "measures": {
            "opened": m.opened,
            "sla_compliance": {k: m.sla_compliance(k) for k in CLOCK_KINDS},
            "clocks_stopped": dict(m.clocks_stopped),
            "clocks_met": dict(m.clocks_met),
            "clocks_overdue": dict(m.clocks_overdue),
            "sla_compliance_all": m.sla_compliance(),
            "clocks_due": m.clocks_due(),
            "open_and_overdue": m.overdue(),
            "escalation": [
                {
                    "level": code,
                    "entered": escalations[code].entered if code in escalations else 0,
                    "escalated": escalations[code].escalated if code in escalations else 0,
                    "rate": escalations[code].rate if code in escalations else None,
                }
                for code in level_codes
            ],
            "regulator_appeals": m.regulator,
            "customers": m.customers,
            "regulator_per_10k": m.regulator_per_10k,
            "reopened": m.reopened,
            "reopen_rate": m.reopen_rate,
            "recovery_cost": _text(m.recovery_cost_total),
            "recovery_cost_per_complaint": _text(m.recovery_cost_per_complaint),
            "callbacks": m.callbacks,
            "solved_rate": m.solved_rate,
            "attitude_rate": m.attitude_rate,
        },
    }


def _promise_out(row: Any) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "due": row.due,
        "kept_on_time": row.kept_on_time,
        "fulfilled_late": row.fulfilled_late,
        "broken": row.broken,
        "open": row.open,
        "kept_on_time_rate": row.kept_on_time_rate,
    }


def _parse(query: MeasuresQueryIn) -> list[str]:
    by = [key.strip() for key in query.by.split(",") if key.strip()]
    problems: list[tuple[str, str]] = []
    if any(key not in DIMENSIONS for key in by) or len(set(by)) != len(by):
        problems.append(
            ("by", _("Group by distinct keys among: %(keys)s.") % {"keys": ", ".join(DIMENSIONS)})
        )
    elif {"week", "month"} <= set(by):
        problems.append(("by", _("Group by week or by month, not both.")))
    if query.date_to < query.date_from:
        problems.append(("date_to", _("The end date is before the start date.")))
    elif (query.date_to - query.date_from).days >= MAX_DAYS:
        problems.append(("date_to", _("Choose at most a year.")))
    if problems:
        raise ValidationError([{"loc": ("query", name), "msg": msg} for name, msg in problems])
    return by


@router.get("/complaints/measures", response=MeasuresOut)
@api_requires("complaints.view_complaint_measures")
def complaints_measures(request: HttpRequest, query: Query[MeasuresQueryIn]) -> dict:
    """Complaint measures from ``date_from`` to ``date_to`` (local days, both included), one
    item per group of ``by``: SLA compliance of the clocks due in the period (their target
    fell in it; an open clock past its target is breached), the other measures of the
    complaints opened in it; promise measures (promises due in the period) by agent, by kind
    and in total; and the clocks open and overdue now. ``null`` ratios: no data yet."""
    by = _parse(query)
    rows = complaint_measures(date_from=query.date_from, date_to=query.date_to, by=by)
    codes = [level.code for level in escalation_levels()]
    promises = promise_measures(date_from=query.date_from, date_to=query.date_to)
    return {
        "by": by,
        "items": [_row_out(row, codes) for row in rows],
        "promises": {
            "by_agent": [_promise_out(r) for r in promises.by_agent],
            "by_kind": [_promise_out(r) for r in promises.by_kind],
            "total": [_promise_out(r) for r in promises.total],
        },
        "open_and_overdue_now": open_overdue_now(),
    }

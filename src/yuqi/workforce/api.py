"""Agent states in, adherence out: the ACD (or its middleware) posts batches of agent-state
rows; planners read adherence, conformance, occupancy and observed shrinkage for a period.

Permission is checked before the body is validated (``api_requires``); a batch holds at most
5,000 rows and the body at most the API's byte limit (413 above it). Each row is checked like
a row of the agent-state file (``yuqi.workforce.importing``): a row running backwards, one
that overlaps another row of the agent (in the batch or stored) and a time without a zone
offset read as the site's zone are answered per row, and the good rows are stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from yuqi.core.api_access import api_requires
from yuqi.imports.bulk import MAX_ITEMS, bulk_load
from yuqi.imports.schemas import BulkOut, bulk_out
from yuqi.workforce import services
from yuqi.workforce.importing import AgentStateImporter

router = Router(tags=["workforce"])
MAX_PERIOD_DAYS = 63


class AgentStateBatchIn(Schema):
    items: list[dict[str, Any]] = Field(
        ...,
        min_length=1,
        max_length=MAX_ITEMS,
        description="agent-state rows: agent, state (ready, not_ready, on_contact, wrap, "
        "break, logged_in or the ACD's Chinese words), reason, start, end (ISO 8601 with "
        "offset; without one, the site's time zone); at most 5,000 a request",
    )


class AdherenceQueryIn(Schema):
    start: dt.date = Field(..., description="first local day")
    end: dt.date = Field(..., description="last local day (at most 63 days after start)")


class AgentAdherenceOut(Schema):
    agent: str
    scheduled_seconds: float
    adherence: float | None
    conformance: float | None
    occupancy: float | None
    shrinkage: dict[str, float]


class StateProblemOut(Schema):
    kind: str = Field(..., description="overlap, backwards or schedule_overlap")
    agent: str
    rows: list[int | None]
    seconds: float


class AdherenceOut(Schema):
    start: dt.date
    end: dt.date
    total: AgentAdherenceOut
    agents: list[AgentAdherenceOut]
    problems: list[StateProblemOut]


@router.post("/workforce/agent-states", response=BulkOut)
@api_requires("workforce.add_agentstaterow")
def agent_states_post(request: HttpRequest, payload: AgentStateBatchIn) -> dict:
    """Store up to 5,000 agent-state rows by (agent, start); a result per row (rows that run
    backwards or overlap another row of the agent are rejected with the reason)."""
    importer = AgentStateImporter()
    return bulk_out(bulk_load(importer, payload.items))  # type: ignore[arg-type]  # as apps.py


def _agent(item: Any) -> dict[str, Any]:
    return {
        "agent": item.agent,
        "scheduled_seconds": item.scheduled_seconds,
        "adherence": item.adherence,
        "conformance": item.conformance,
        "occupancy": item.occupancy,
        "shrinkage": item.shrinkage,
    }


@router.get("/workforce/adherence", response=AdherenceOut)
@api_requires("workforce.view_roster")
def adherence(request: HttpRequest, query: Query[AdherenceQueryIn]) -> dict:
    """Adherence (in the scheduled state at the scheduled time: work, break, lunch),
    conformance, occupancy and observed shrinkage by reason, per agent and in total, of the
    published rosters and the agent states of the period (shares in [0, 1])."""
    if not 0 <= (query.end - query.start).days < MAX_PERIOD_DAYS:
        raise ValidationError(
            [
                {
                    "loc": ("query", "end"),
                    "msg": _("Choose at most 63 days, the end after the start."),
                }
            ]
        )
    report = services.adherence_report(query.start, query.end)
    return {
        "start": query.start,
        "end": query.end,
        "total": _agent(report.total),
        "agents": [_agent(a) for a in report.agents],
        "problems": [
            {"kind": p.kind, "agent": p.agent, "rows": list(p.rows), "seconds": p.seconds}
            for p in report.problems
        ],
    }

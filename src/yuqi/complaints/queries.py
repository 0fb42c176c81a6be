"""The complaint pages' rows: queue tickets (from :func:`yuqi.complaints.selectors.complaint_queue`)
with their clocks recomputed from their segments at request time.

Queries: one for the page of tickets (with level, category, customer, tier, owner and team
joined), one for their clocks, plus one per distinct calendar (read once inside
``outbound.cached_calendars``): a fixed number whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from yuqi.complaints import outbound
from yuqi.complaints.choices import ClockKind, ComplaintState
from yuqi.complaints.models import Complaint, SlaClock
from yuqi.complaints.presenters import ClockView, clock_view

__all__ = [
    "QUEUE_ROW_FIELDS",
    "QueueRow",
    "clock_view_of",
    "live_clocks",
    "queue_rows",
]

CLOCK_LABELS = dict(ClockKind.choices)
#: The states' labels (lazy) as ``get_state_display()`` looks them up.
STATE_LABELS: dict[str, Any] = dict(cast(Any, ComplaintState).choices)

#: The ticket fields a queue row reads (for ``only()``: a ticket has 45 fields, a row shows a
#: dozen; the joined level, category, tier, owner and team are read whole).
QUEUE_ROW_FIELDS = (
    "number",
    "state",
    "risk_score",
    "account",
    "sla_state",
    "level",
    "category",
    "customer__name",
    "customer__external_id",
    "customer__tier",
    "owner",
    "team",
)


@dataclass(frozen=True)
class QueueRow:
    """One ticket of the work queue as shown."""

    number: str
    url: str
    level_label: str
    level_is_top: bool
    state: str
    state_label: str
    category_label: str
    customer_name: str
    customer_external_id: str
    tier_label: str
    tier_is_vip: bool
    owner_name: str
    team_name: str
    risk_score: int
    account: str
    sla_state: str
    clocks: tuple[ClockView, ...]


def clock_view_of(
    clock: SlaClock,
    *,
    team_id: int | None,
    now: dt.datetime,
    kind_labels: dict[str, str] | None = None,
) -> ClockView:
    """A clock recomputed at ``now`` from its stored segments and policy snapshot (run inside
    ``outbound.cached_calendars()`` to read each calendar once). ``kind_labels``: the clock
    kinds' labels already translated (:func:`_labels`), for a caller showing many clocks."""
    calendar = outbound.calendar_for(team_id=team_id, name=clock.calendar_name or None)
    status = clock.status(at=now, calendar=calendar)
    if kind_labels is None:
        kind_labels = _labels(CLOCK_LABELS)
    return clock_view(clock.kind, kind_labels.get(clock.kind, clock.kind), status)


def _labels(choices: dict[str, Any]) -> dict[str, str]:
    """Choice labels translated once into the active language (a lazy label is translated
    again each time it is printed; a state's display looked up all of them per row)."""
    return {value: str(label) for value, label in choices.items()}


def live_clocks(
    clocks: Iterable[SlaClock],
    *,
    team_id: int | None,
    now: dt.datetime,
    kind_labels: dict[str, str] | None = None,
) -> tuple[ClockView, ...]:
    labels = _labels(CLOCK_LABELS) if kind_labels is None else kind_labels
    with outbound.cached_calendars():
        return tuple(clock_view_of(c, team_id=team_id, now=now, kind_labels=labels) for c in clocks)


def queue_rows(
    tickets: Sequence[Complaint], *, now: dt.datetime, url: Any, top_rank: int | None
) -> list[QueueRow]:
    """The page's tickets as rows with live clocks; ``url(number)`` gives the ticket link."""
    states = _labels(STATE_LABELS)
    clocks = _labels(CLOCK_LABELS)
    with outbound.cached_calendars():
        return [
            _queue_row(ticket, now=now, url=url, top_rank=top_rank, states=states, clocks=clocks)
            for ticket in tickets
        ]


def _queue_row(
    ticket: Complaint,
    *,
    now: dt.datetime,
    url: Any,
    top_rank: int | None,
    states: dict[str, str],
    clocks: dict[str, str],
) -> QueueRow:
    views = live_clocks(
        getattr(ticket, "live_clocks", ()), team_id=ticket.team_id, now=now, kind_labels=clocks
    )
    tier = ticket.customer.tier
    return QueueRow(
        number=ticket.number,
        url=url(ticket.number),
        level_label=ticket.level.label,
        level_is_top=ticket.level.is_regulator or ticket.level.rank == top_rank,
        state=ticket.state,
        state_label=states.get(ticket.state, ticket.state),  # as get_state_display()
        category_label=ticket.category.label if ticket.category else "",
        customer_name=ticket.customer.name,
        customer_external_id=ticket.customer.external_id,
        tier_label=str(tier) if tier else "",
        tier_is_vip=bool(tier and tier.is_vip),
        owner_name=str(ticket.owner) if ticket.owner else "",
        team_name=str(ticket.team) if ticket.team else "",
        risk_score=ticket.risk_score,
        account=ticket.account,
        sla_state=_row_state(views, ticket.sla_state),
        clocks=views,
    )


def _row_state(clocks: Sequence[ClockView], stored: str) -> str:
    live = [c.state for c in clocks if not c.stopped]
    if not live:
        return stored
    order = {"breached": 0, "at_risk": 1, "on_track": 2}
    return min(live, key=lambda s: order.get(s, 3))

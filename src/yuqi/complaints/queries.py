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
from typing import Any

from yuqi.complaints import outbound
from yuqi.complaints.choices import ClockKind
from yuqi.complaints.models import Complaint, SlaClock
from yuqi.complaints.presenters import ClockView, clock_view

__all__ = [
    "QueueRow",
    "clock_view_of",
    "live_clocks",
    "queue_rows",
]

CLOCK_LABELS = dict(ClockKind.choices)


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


def clock_view_of(clock: SlaClock, *, team_id: int | None, now: dt.datetime) -> ClockView:
    """A clock recomputed at ``now`` from its stored segments and policy snapshot (run inside
    ``outbound.cached_calendars()`` to read each calendar once)."""
    calendar = outbound.calendar_for(team_id=team_id, name=clock.calendar_name or None)
    status = clock.status(at=now, calendar=calendar)
    return clock_view(clock.kind, str(CLOCK_LABELS.get(clock.kind, clock.kind)), status)


def live_clocks(
    clocks: Iterable[SlaClock], *, team_id: int | None, now: dt.datetime
) -> tuple[ClockView, ...]:
    with outbound.cached_calendars():
        return tuple(clock_view_of(c, team_id=team_id, now=now) for c in clocks)


def queue_rows(
    tickets: Sequence[Complaint], *, now: dt.datetime, url: Any, top_rank: int | None
) -> list[QueueRow]:
    """The page's tickets as rows with live clocks; ``url(number)`` gives the ticket link."""
    with outbound.cached_calendars():
        return [_queue_row(ticket, now=now, url=url, top_rank=top_rank) for ticket in tickets]


def _queue_row(ticket: Complaint, *, now: dt.datetime, url: Any, top_rank: int | None) -> QueueRow:
    clocks = live_clocks(getattr(ticket, "live_clocks", ()), team_id=ticket.team_id, now=now)
    tier = ticket.customer.tier
    return QueueRow(
        number=ticket.number,
        url=url(ticket.number),
        level_label=ticket.level.label,
        level_is_top=ticket.level.is_regulator or ticket.level.rank == top_rank,
        state=ticket.state,
        state_label=ticket.get_state_display(),
        category_label=ticket.category.label if ticket.category else "",
        customer_name=ticket.customer.name,
        customer_external_id=ticket.customer.external_id,
        tier_label=str(tier) if tier else "",
        tier_is_vip=bool(tier and tier.is_vip),
        owner_name=str(ticket.owner) if ticket.owner else "",
        team_name=str(ticket.team) if ticket.team else "",
        risk_score=ticket.risk_score,
        account=ticket.account,
        sla_state=_row_state(clocks, ticket.sla_state),
        clocks=clocks,
    )


def _row_state(clocks: Sequence[ClockView], stored: str) -> str:
    live = [c.state for c in clocks if not c.stopped]
    if not live:
        return stored
    order = {"breached": 0, "at_risk": 1, "on_track": 2}
    return min(live, key=lambda s: order.get(s, 3))

"""Reads of the complaints context: the work queue (by urgency), a ticket with its timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from yuqi.complaints import config_kept
from yuqi.complaints.choices import OPEN_STATES, ClockPhase, ClockState, ComplaintState
from yuqi.complaints.models import (
    Complaint,
    ComplaintEvent,
    RecoveryAction,
    SlaClock,
)


@dataclass(frozen=True)
class QueueFilter:
    """Work-queue filters, the same for the queue page and ``GET /api/v1/complaints``; empty
    values mean "any".

    ``state`` is a state, or ``"open"`` for every open state. ``sla`` is ``breached``,
    ``at_risk`` or ``on_track`` by the corrected urgency (see :func:`urgency`), ``paused`` for
    a ticket with a paused clock, or a stored end state (``met``, ``missed``). ``category``
    matches the category or its parent; ``q`` is part of the ticket number or of the
    customer's name, or the last four digits of the customer's phone. ``risk_min`` keeps
    tickets whose escalation risk is at least that score; ``complainer_type`` matches the
    confirmed type, or the suggested one while none is confirmed.
    """

    state: str = ""
    level: str = ""
    owner_id: int | None = None
    unassigned: bool = False
    team_id: int | None = None
    customer_id: int | None = None
    category: str = ""
    sla: str = ""
    q: str = ""
    risk_min: int | None = None
    complainer_type: str = ""


#: The ``sla`` filter values that name an urgency rank.
URGENCY_RANKS: dict[str, int] = {"breached": 0, "at_risk": 1, "on_track": 2}


def urgency(now: dt.datetime) -> Case:
    """0 breached, 1 at risk, 2 any other open ticket, 3 closed. The stored ``sla_state`` is
    refreshed by the alert sweep; a ticket whose next due time has passed since the last sweep
    counts as breached already."""
    return Case(
        When(state=ComplaintState.CLOSED, then=Value(3)),
        When(Q(sla_state=ClockState.BREACHED) | Q(next_due_at__lt=now), then=Value(0)),
        When(sla_state=ClockState.AT_RISK, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def complaint_queue(*, filters: QueueFilter | None = None, now: dt.datetime) -> QuerySet[Complaint]:
    """The work queue, most urgent first: by :func:`urgency`, then the higher level, then the
    earliest next due time (none last), then the oldest. One reader for the page, the API, the
    customer 360 panel and the facade."""
    rows = (
        Complaint.objects.select_related("level", "category", "customer__tier", "owner", "team")
        .annotate(urgency=urgency(now))
        .order_by(
            "urgency", "-level__rank", F("next_due_at").asc(nulls_last=True), "opened_at", "id"
        )
    )
    return _filtered(rows, filters or QueueFilter())


def _filtered(rows: QuerySet[Complaint], f: QueueFilter) -> QuerySet[Complaint]:
    if f.state == "open":
        rows = rows.filter(state__in=OPEN_STATES)
    elif f.state:
        rows = rows.filter(state=f.state)
    if f.level:
        rows = rows.filter(level__code=f.level)
    if f.owner_id is not None:
        rows = rows.filter(owner_id=f.owner_id)
    if f.unassigned:
        rows = rows.filter(owner__isnull=True)
    if f.team_id is not None:
        rows = rows.filter(team_id=f.team_id)
    if f.customer_id is not None:
        rows = rows.filter(customer_id=f.customer_id)
    if f.category:
        rows = rows.filter(Q(category__code=f.category) | Q(category__parent__code=f.category))
    if f.sla in URGENCY_RANKS:
        rows = rows.filter(urgency=URGENCY_RANKS[f.sla])
    elif f.sla == "paused":
        rows = rows.filter(
            pk__in=SlaClock.objects.filter(phase=ClockPhase.PAUSED).values("complaint")
        )
    elif f.sla:
        rows = rows.filter(sla_state=f.sla)
    if f.q.strip():
        rows = rows.filter(_search(f.q.strip()))
    if f.risk_min is not None:
        rows = rows.filter(risk_score__gte=f.risk_min)
    if f.complainer_type:
        rows = rows.filter(
            Q(complainer_type=f.complainer_type)
            | Q(complainer_type="", complainer_type_suggested=f.complainer_type)
        )
    return rows


def _search(text: str) -> Q:
    """Ticket number or customer name contains ``text``; four digits also match the phone's
    last four (the indexed ``phone_tail``; the full number is never searched)."""
    found = Q(number__icontains=text) | Q(customer__name__icontains=text)
    if len(text) == 4 and text.isdigit():
        found |= Q(customer__phone_tail=text)
    return found


#: Sortable queue columns: the page's ``sort`` value → the ordering (``-`` prefix reverses).
QUEUE_SORTS: dict[str, tuple[str, ...]] = {
    "number": ("number",),
    "level": ("level__rank",),
    "state": ("state",),
    "sla": ("urgency", "next_due_at"),
    "category": ("category__name",),
    "customer": ("customer__name",),
    "owner": ("owner__username",),
    "risk": ("risk_score",),
    "opened": ("opened_at",),
    "account": ("account",),
}


def sorted_queue(rows: QuerySet[Complaint], sort: str) -> QuerySet[Complaint]:
    """``rows`` ordered by a :data:`QUEUE_SORTS` column (``-name`` descending); anything else
    keeps the urgency order."""
    descending = sort.startswith("-")
    fields = QUEUE_SORTS.get(sort.lstrip("-"))
    if not fields:
        return rows
    order = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in fields
    ]
    return rows.order_by(*order, "id")


def complaint_detail_queryset() -> QuerySet[Complaint]:
    """One ticket with everything its page shows, in a fixed number of queries."""
    return Complaint.objects.select_related(
        "level", "category", "owner", "team", "root_cause", "customer", "created_by"
    ).prefetch_related(
        Prefetch("events", queryset=ComplaintEvent.objects.select_related("by")),
        Prefetch("clocks", queryset=SlaClock.objects.order_by("started_at", "id")),
        Prefetch(
            "recovery_actions",
            queryset=RecoveryAction.objects.select_related("created_by", "approver"),
        ),
    )


def complaint_events(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The ticket's timeline, oldest first."""
    return complaint.events.select_related("by").order_by("at", "id")


def complaint_levels() -> list[config_kept.Level]:
    """Every level by rank, as kept under the configuration's version (the timeline, the
    escalation form and the work queue's filter need them)."""
    return list(config_kept.levels())


def root_causes() -> list[config_kept.RootCause]:
    """Every root cause in its order, as kept under the configuration's version (the
    timeline and the close form)."""
    return list(config_kept.root_causes())

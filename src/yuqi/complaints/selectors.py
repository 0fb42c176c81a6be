"""Reads of the complaints context: the work queue (by urgency), a ticket with its timeline."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When

from yuqi.complaints.choices import CLOCK_STATE_URGENCY, OPEN_STATES
from yuqi.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintLevel,
    RecoveryAction,
    RootCause,
    SlaClock,
)


@dataclass(frozen=True)
class ComplaintFilter:
    """Work-queue filters; empty values mean "any". ``state="open"`` means every open state."""

    state: str = ""
    level: str = ""
    owner: int | None = None
    sla_state: str = ""
    customer: int | None = None
    team: int | None = None
    q: str = ""


def complaint_queue(filters: ComplaintFilter | None = None) -> QuerySet[Complaint]:
    """Tickets ordered by urgency: breached, then at risk, then on track; within that the
    higher level first, then the earliest next due time, then the oldest."""
    urgency = Case(
        *(When(sla_state=state, then=Value(rank)) for state, rank in CLOCK_STATE_URGENCY.items()),
        default=Value(9),
        output_field=IntegerField(),
    )
    rows = (
        Complaint.objects.select_related("level", "category", "owner", "customer")
        .annotate(urgency=urgency)
        .order_by(
            "urgency", "-level__rank", F("next_due_at").asc(nulls_last=True), "opened_at", "id"
        )
    )
    return _filtered(rows, filters or ComplaintFilter())


def _filtered(rows: QuerySet[Complaint], f: ComplaintFilter) -> QuerySet[Complaint]:
    if f.state == "open":
        rows = rows.filter(state__in=OPEN_STATES)
    elif f.state:
        rows = rows.filter(state=f.state)
    if f.level:
        rows = rows.filter(level__code=f.level)
    if f.owner is not None:
        rows = rows.filter(owner_id=f.owner)
    if f.sla_state:
        rows = rows.filter(sla_state=f.sla_state)
    if f.customer is not None:
        rows = rows.filter(customer_id=f.customer)
    if f.team is not None:
        rows = rows.filter(team_id=f.team)
    if f.q:
        rows = rows.filter(number__icontains=f.q.strip())
    return rows


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


def current_clocks(complaint: Complaint) -> list[SlaClock]:
    """The latest clock of each kind (older ones are history after a restart)."""
    latest: dict[str, SlaClock] = {}
    for clock in complaint.clocks.all():
        previous = latest.get(clock.kind)
        if previous is None or (clock.started_at, clock.pk) >= (previous.started_at, previous.pk):
            latest[clock.kind] = clock
    return sorted(
        latest.values(), key=lambda c: ["first_response", "resolution", "callback"].index(c.kind)
    )


def level_list() -> QuerySet[ComplaintLevel]:
    return ComplaintLevel.objects.filter(active=True).order_by("rank")


def category_list() -> QuerySet[ComplaintCategory]:
    return ComplaintCategory.objects.filter(active=True).select_related("parent")


def root_cause_list() -> QuerySet[RootCause]:
    return RootCause.objects.filter(active=True)

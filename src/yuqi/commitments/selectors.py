"""Reads of the promise ledger: lists, queues and the inputs of the guard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from yuqi.commitments.choices import LIVE_STATUSES, CommitmentStatus
from yuqi.commitments.models import (
    Commitment,
    CommitmentEvent,
    Perk,
    PromiseAuthority,
    ServiceStandard,
)
from yuqi.core.clock import day_start
from yuqi.domain.promise_guard import Authority, Duration, PerkRule, Standard


# ----------------------------------------------------------------- guard inputs
def standard_for(kind: str, tier_code: str | None) -> Standard | None:
    """The standard for a kind and tier: the tier's own row, else the all-tiers row."""
    rows = ServiceStandard.objects.filter(kind=kind)
    if tier_code:
        rows = rows.filter(Q(tier__code=tier_code) | Q(tier__isnull=True))
    else:
        rows = rows.filter(tier__isnull=True)
    row = min(rows, key=lambda r: r.tier_id is None, default=None)
    if row is None:
        return None
    return Standard(
        kind=row.kind,
        achievable=Duration(row.achievable_amount, row.unit),
        buffer=Duration(row.buffer_amount, row.unit),
        amount_limit=row.amount_limit,
    )


def perk_rules() -> dict[str, PerkRule]:
    return {
        code: PerkRule(code, rank)
        for code, rank in Perk.objects.values_list("code", "min_tier__rank")
    }


def authority_for(user_id: int) -> Authority | None:
    """The user's own limit, else the highest limit among their roles; None: no authority."""
    own = PromiseAuthority.objects.filter(user_id=user_id).values_list("max_amount", flat=True)
    if own:
        return Authority(own[0])
    roles = get_user_model().objects.filter(pk=user_id).values_list("groups__name", flat=True)
    limits = PromiseAuthority.objects.filter(role__in=[r for r in roles if r]).values_list(
        "max_amount", flat=True
    )
    return Authority(max(limits)) if limits else None


def authority_covers(user_id: int, amount: Decimal | None) -> bool:
    if amount is None or amount <= 0:
        return True
    authority = authority_for(user_id)
    return authority is not None and amount <= authority.max_amount


def team_of(user_id: int) -> int | None:
    """The promiser's team (as the ACD knows them), whose business calendar dates promises."""
    rows = get_user_model().objects.filter(pk=user_id, agent_profile__team__isnull=False)
    return rows.values_list("agent_profile__team_id", flat=True).first()


def supervisor_ids() -> list[int]:
    """Active users of the supervisor role (they hear of every broken promise)."""
    users = get_user_model().objects.filter(groups__name="supervisor", is_active=True)
    return list(users.values_list("pk", flat=True).distinct())


# ------------------------------------------------------------------------ lists
@dataclass(frozen=True)
class CommitmentFilter:
    status: str = ""
    kind: str = ""
    agent_id: int | None = None
    customer_id: int | None = None
    complaint_id: int | None = None
    due_before: datetime | None = None
    overdue_at: datetime | None = None  # live and due before this instant
    approval_state: str = ""


def commitment_list(filters: CommitmentFilter | None = None) -> QuerySet[Commitment]:
    f = filters or CommitmentFilter()
    rows = Commitment.objects.select_related("customer", "customer__tier", "promised_by")
    if f.status:
        rows = rows.filter(status=f.status)
    if f.kind:
        rows = rows.filter(kind=f.kind)
    if f.agent_id:
        rows = rows.filter(promised_by_id=f.agent_id)
    if f.customer_id:
        rows = rows.filter(customer_id=f.customer_id)
    if f.complaint_id:
        rows = rows.filter(complaint_id=f.complaint_id)
    if f.due_before:
        rows = rows.filter(due_at__lt=f.due_before)
    if f.overdue_at:
        rows = rows.filter(status__in=LIVE_STATUSES, due_at__lt=f.overdue_at)
    if f.approval_state:
        rows = rows.filter(approval_state=f.approval_state)
    return rows.order_by("due_at", "id")


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    return day_start(day), day_start(day + timedelta(days=1))


def today_bounds(at: datetime) -> tuple[datetime, datetime]:
    return local_day_bounds(timezone.localtime(at).date())


@dataclass(frozen=True)
class AgentBroken:
    agent_id: int
    agent: str
    broken: int
    made: int


def broken_by_agent(since: datetime) -> list[AgentBroken]:
    """Promises that broke (even if made good late), per promiser, among those due since
    ``since`` (one query)."""
    rows = (
        Commitment.objects.filter(due_at__gte=since)
        .exclude(status=CommitmentStatus.CANCELLED)
        .values("promised_by", "promised_by__display_name", "promised_by__username")
        .annotate(
            broken=Count("id", filter=Q(broken_at__isnull=False)),
            made=Count("id"),
        )
        .filter(broken__gt=0)
        .order_by("-broken", "promised_by__username")
    )
    return [
        AgentBroken(
            row["promised_by"],
            row["promised_by__display_name"] or row["promised_by__username"],
            row["broken"],
            row["made"],
        )
        for row in rows
    ]


def ledger(commitment_id: int) -> QuerySet[CommitmentEvent]:
    return CommitmentEvent.objects.filter(commitment_id=commitment_id).select_related("by")


def kept_on_time_q() -> Q:
    return Q(status=CommitmentStatus.FULFILLED, fulfilled_at__lte=F("due_at"))


def interaction_of_customer(interaction_id: int, customer_id: int) -> bool:
    """True if the contact exists and is the customer's. Read through this context's own
    foreign key (the interactions facade has no lookup by id)."""
    interactions = Commitment._meta.get_field("interaction").related_model._default_manager
    return interactions.filter(pk=interaction_id, customer_id=customer_id).exists()

"""What other contexts may know of, and do to, the promise ledger (ADR 0002).

Plain frozen dataclasses only; never the models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from yuqi.commitments import selectors, services
from yuqi.commitments.choices import LIVE_STATUSES, CommitmentKind, CommitmentStatus
from yuqi.commitments.models import Commitment
from yuqi.core.compiled_reads import CompiledRead

__all__ = [
    "MEASURE_DIMENSIONS",
    "CommitmentLine",
    "CommitmentMeasureRow",
    "broken_commitment_count",
    "commitment_decide",
    "commitment_lines",
    "commitment_measures",
    "commitment_record",
    "commitments_for_complaint",
    "customer_promises",
    "open_commitments_for_customer",
]


@dataclass(frozen=True)
class CommitmentLine:
    id: int
    customer_id: int
    kind: str
    kind_label: str
    text: str
    amount: Decimal | None
    department: str
    promised_by_id: int
    promised_by: str
    promised_at: datetime
    due_at: datetime
    status: str
    status_label: str
    approval_state: str
    flags: tuple[str, ...]
    complaint_id: int | None
    interaction_id: int | None
    fulfilled_at: datetime | None
    broken_at: datetime | None
    assumed_years: tuple[int, ...]

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def needs_approval(self) -> bool:
        return self.approval_state == "pending"


def _line(row: Commitment) -> CommitmentLine:
    return CommitmentLine(
        id=row.pk,
        customer_id=row.customer_id,
        kind=row.kind,
        kind_label=str(row.get_kind_display()),
        text=row.text,
        amount=row.amount,
        department=row.department,
        promised_by_id=row.promised_by_id,
        promised_by=str(row.promised_by),
        promised_at=row.promised_at,
        due_at=row.due_at,
        status=row.status,
        status_label=str(row.get_status_display()),
        approval_state=row.approval_state,
        flags=tuple(flag.get("code", "") for flag in row.flags or ()),
        complaint_id=row.complaint_id,
        interaction_id=row.interaction_id,
        fulfilled_at=row.fulfilled_at,
        broken_at=row.broken_at,
        assumed_years=tuple(row.assumed_years or ()),
    )


def _lines(rows: QuerySet[Commitment]) -> list[CommitmentLine]:
    return [_line(row) for row in rows.select_related("promised_by")]


def commitment_record(
    *,
    customer_id: int,
    kind: str,
    text: str,
    promised_by_id: int,
    due_at: datetime | None = None,
    complaint_id: int | None = None,
    interaction_id: int | None = None,
    department: str = "",
    amount: Decimal | None = None,
    perk: str = "",
    promised_at: datetime | None = None,
    notify: bool = True,
) -> CommitmentLine:
    """Record a promise through the guard (``due_at=None``: the suggested due, standard +
    buffer). A flagged promise comes back with ``approval_state == "pending"``.

    ``promised_at`` (default now) and ``notify=False`` are for demo data.
    """
    row = services.commitment_record(
        customer_id=customer_id,
        kind=kind,
        text=text,
        promised_by_id=promised_by_id,
        due_at=due_at,
        complaint_id=complaint_id,
        interaction_id=interaction_id,
        department=department,
        amount=amount,
        perk=perk,
        promised_at=promised_at,
        notify=notify,
    )
    return _line(Commitment.objects.select_related("promised_by").get(pk=row.pk))


def commitment_settle(
    *, commitment_id: int, outcome: str, at: datetime, by_id: int | None = None, evidence: str = ""
) -> CommitmentLine | None:
    """Demo and back-office helper: mark a promise ``fulfilled`` (with evidence) or ``broken``
    at a given (possibly past) time, without notifications. None if it was no longer open."""
    if outcome == CommitmentStatus.FULFILLED:
        row = services.commitment_fulfil(
            commitment_id=commitment_id, by_id=by_id, evidence=evidence or "—", at=at
        )
    elif outcome == CommitmentStatus.BROKEN:
        row = services.commitment_mark_broken(
            commitment_id=commitment_id, by_id=by_id, at=at, notify=False
        )
    else:
        raise ValueError(f"outcome must be fulfilled or broken, not {outcome!r}")
    return None if row is None else _line(Commitment.objects.get(pk=row.pk))


def commitment_decide(
    *, commitment_id: int, by_id: int, approve: bool, at: datetime, reason: str = ""
) -> CommitmentLine:
    """Demo and back-office helper: approve or reject a promise awaiting approval at a given
    (possibly past) time, without notifications. Raises ``DomainError`` as the services do
    (not pending, the approver's own promise, an amount beyond the approver's authority)."""
    if approve:
        services.commitment_approve(commitment_id=commitment_id, by_id=by_id, at=at, notify=False)
    else:
        services.commitment_reject(
            commitment_id=commitment_id, by_id=by_id, reason=reason, at=at, notify=False
        )
    return _line(Commitment.objects.select_related("promised_by").get(pk=commitment_id))


def open_commitments_for_customer(customer_id: int) -> list[CommitmentLine]:
    """The customer's live promises (open or renegotiated), soonest due first."""
    rows = Commitment.objects.filter(customer_id=customer_id, status__in=LIVE_STATUSES)
    return _lines(rows.order_by("due_at", "id"))


def _customer_promises(*, customer_id: int, since: datetime) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(customer_id=customer_id)
        .filter(Q(status__in=LIVE_STATUSES) | Q(broken_at__gte=since))
        .select_related("promised_by")
        .order_by("due_at", "id")
    )


#: The 360's promises, compiled once per database (building and compiling the read of the
#: promise and its promiser's columns was about 1 ms of every 360).
CUSTOMER_PROMISES_READ = CompiledRead(
    _customer_promises,
    model=Commitment,
    customer_id=Commitment._meta.get_field("customer"),
    since=Commitment._meta.get_field("broken_at"),
)


def customer_promises(*, customer_id: int, since: datetime) -> tuple[list[CommitmentLine], int]:
    """The customer 360's promises in one read: the live ones as
    :func:`open_commitments_for_customer` gives them, and how many broke at or after ``since``
    as :func:`broken_commitment_count` counts them."""
    rows = CUSTOMER_PROMISES_READ.objects(customer_id=customer_id, since=since)
    broken = sum(1 for row in rows if row.broken_at is not None and row.broken_at >= since)
    return [_line(row) for row in rows if row.status in LIVE_STATUSES], broken


def _complaint_promises(*, complaint_id: int) -> QuerySet[Commitment]:
    rows = Commitment.objects.filter(complaint_id=complaint_id)
    return rows.order_by("promised_at", "id").select_related("promised_by")


#: The ticket's promises (as ``_lines`` reads them), compiled once per database (building
#: and compiling the read was about 1 ms of every ticket page).
COMPLAINT_PROMISES_READ = CompiledRead(
    _complaint_promises, model=Commitment, complaint_id=Commitment._meta.get_field("complaint")
)


def commitments_for_complaint(complaint_id: int) -> list[CommitmentLine]:
    """Every promise made on a complaint ticket, in the order made."""
    return [_line(row) for row in COMPLAINT_PROMISES_READ.objects(complaint_id=complaint_id)]


def commitment_lines(ids: Iterable[int]) -> dict[int, CommitmentLine]:
    rows = Commitment.objects.filter(pk__in=set(ids))
    return {line.id: line for line in _lines(rows)}


def broken_commitment_count(*, customer_id: int, since: datetime | None = None) -> int:
    """Promises to the customer that broke (``broken_at`` set, even if made good later)."""
    rows = Commitment.objects.filter(customer_id=customer_id, broken_at__isnull=False)
    if since is not None:
        rows = rows.filter(broken_at__gte=since)
    return rows.count()


# ------------------------------------------------------------------ measures
@dataclass(frozen=True)
class CommitmentMeasureRow:
    """Promise keeping for one group, among promises **due** in the period (cancelled left out).

    * ``kept_on_time``: fulfilled with ``fulfilled_at <= due_at`` (the last agreed due time, so
      an agreed renegotiation is not a failure);
    * ``fulfilled_late``: fulfilled after the due time (it broke first, then was made good);
    * ``broken``: still broken;
    * ``open``: not yet settled (due later in the period, or not yet swept);
    * ``kept_on_time_rate = kept_on_time / (kept_on_time + fulfilled_late + broken)``, i.e.
      kept on time ÷ (fulfilled + broken); None when nothing was settled.
    """

    key: str
    label: str
    due: int
    kept_on_time: int
    fulfilled_late: int
    broken: int
    open: int

    @property
    def settled(self) -> int:
        return self.kept_on_time + self.fulfilled_late + self.broken

    @property
    def kept_on_time_rate(self) -> float | None:
        return self.kept_on_time / self.settled if self.settled else None


#: by → (key field, label fields) of the grouping, as ORM lookups.
MEASURE_DIMENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "agent": ("promised_by", ("promised_by__display_name", "promised_by__username")),
    "kind": ("kind", ()),
    "tier": ("customer__tier__code", ("customer__tier__name", "customer__tier__name_en")),
    "team": (
        "promised_by__agent_profile__team__code",
        ("promised_by__agent_profile__team__name",),
    ),
    "": ("", ()),
}


def commitment_measures(
    *, date_from: date, date_to: date, by: str = ""
) -> list[CommitmentMeasureRow]:
    """Kept-on-time rate and broken promises among promises due from ``date_from`` to
    ``date_to`` (local dates, inclusive), grouped ``by`` agent, kind, tier, team or not at all.

    One SQL ``GROUP BY`` query; rows sorted by key. See :class:`CommitmentMeasureRow`.
    """
    if by not in MEASURE_DIMENSIONS:
        raise ValueError(f"by must be one of {sorted(MEASURE_DIMENSIONS)}, not {by!r}")
    start = selectors.local_day_bounds(date_from)[0]
    end = selectors.local_day_bounds(date_to)[1]
    key_field, label_fields = MEASURE_DIMENSIONS[by]
    rows = (
        Commitment.objects.filter(due_at__gte=start, due_at__lt=end)
        .exclude(status=CommitmentStatus.CANCELLED)
        .order_by()
    )
    if key_field:
        rows = rows.values(key_field, *label_fields)
    counts = {
        "due": Count("id"),
        "kept": Count("id", filter=selectors.kept_on_time_q()),
        "fulfilled": Count("id", filter=Q(status=CommitmentStatus.FULFILLED)),
        "broken": Count("id", filter=Q(status=CommitmentStatus.BROKEN)),
        "live": Count("id", filter=Q(status__in=LIVE_STATUSES)),
    }
    if not key_field:
        total = rows.aggregate(**counts)
        return [] if not total["due"] else [_measure_row("", str(_("All")), total)]
    result = [
        _measure_row(_key(row[key_field]), _label(by, row, key_field, label_fields), row)
        for row in rows.annotate(**counts)
    ]
    return sorted(result, key=lambda r: r.key)


def _key(value: object) -> str:
    return "" if value is None else str(value)


def _label(by: str, row: dict, key_field: str, label_fields: tuple[str, ...]) -> str:
    if by == "kind":
        return str(CommitmentKind(row[key_field]).label)
    if by == "tier" and row[key_field] is not None:
        english = (get_language() or "").startswith("en")
        return row[label_fields[1]] if english else row[label_fields[0]]
    names = [row[name] for name in label_fields if row.get(name)]
    if names:
        return names[0]
    return str(_("None")) if row[key_field] is None else str(row[key_field])


def _measure_row(key: str, label: str, counts: dict) -> CommitmentMeasureRow:
    return CommitmentMeasureRow(
        key=key,
        label=label,
        due=counts["due"],
        kept_on_time=counts["kept"],
        fulfilled_late=counts["fulfilled"] - counts["kept"],
        broken=counts["broken"],
        open=counts["live"],
    )


def standard_amount_limit(*, kind: str, tier_code: str | None) -> Decimal | None:
    """The service standard's money limit for a kind of promise and tier (the tier's own row,
    else the all-tiers row); None when no standard or no limit is set. Used by complaints to
    hold over-level settlements to the standard."""
    standard = selectors.standard_for(kind, tier_code)
    return None if standard is None else standard.amount_limit


@dataclass(frozen=True)
class StandardLine:
    """A service standard as the promise guard reads it (for the generated 口径 article)."""

    kind: str
    kind_label: str
    tier_code: str  # "" = every tier without a row of its own
    tier_label: str
    achievable: Decimal
    buffer: Decimal
    unit: str
    unit_label: str
    amount_limit: Decimal | None
    source: str


def service_standard_lines() -> list[StandardLine]:
    """Every service standard, by kind then tier rank (all-tiers row first)."""
    from yuqi.commitments.models import ServiceStandard

    rows = ServiceStandard.objects.select_related("tier").order_by("kind", "tier__rank")
    out = []
    for row in rows:
        out.append(
            StandardLine(
                kind=row.kind,
                kind_label=str(row.get_kind_display()),
                tier_code=row.tier.code if row.tier is not None else "",
                tier_label=row.tier.name if row.tier is not None else "",
                achievable=row.achievable_amount,
                buffer=row.buffer_amount,
                unit=row.unit,
                unit_label=str(row.get_unit_display()),
                amount_limit=row.amount_limit,
                source=row.source,
            )
        )
    out.sort(key=lambda line: (line.kind, line.tier_code != "", line.tier_code))
    return out


def commitments_for_contacts(
    *, interaction_ids: Iterable[int] = (), complaint_ids: Iterable[int] = ()
) -> list[CommitmentLine]:
    """Promises recorded on the given contacts or tickets (quality cross-checks them)."""
    wanted = Q(interaction_id__in=set(interaction_ids)) | Q(complaint_id__in=set(complaint_ids))
    return _lines(Commitment.objects.filter(wanted).order_by("promised_at", "pk"))


def broken_counts_by_promiser(*, since: datetime, until: datetime) -> dict[int, int]:
    """Broken promises per promiser (user id) with their due time in ``[since, until)``."""
    rows = (
        Commitment.objects.filter(
            status=CommitmentStatus.BROKEN, due_at__gte=since, due_at__lt=until
        )
        .order_by()
        .values_list("promised_by_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows.values_list("promised_by_id", "n"))


@dataclass(frozen=True)
class PerkLine:
    """A tier perk and the lowest tier entitled to it (the tier guard of customer notices and
    the perk-leakage count read it)."""

    code: str
    name: str
    name_en: str
    min_tier_code: str
    min_tier_rank: int


def perk_lines() -> list[PerkLine]:
    """Every perk, by code."""
    from yuqi.commitments.models import Perk

    rows = Perk.objects.select_related("min_tier").order_by("code")
    return [
        PerkLine(row.code, row.name, row.name_en, row.min_tier.code, row.min_tier.rank)
        for row in rows
    ]

"""What other contexts may know of customers: ids and small summaries, never the model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.measures import scope_memo
from yuqi.core.request_memo import memoised, remember
from yuqi.customers.choices import CustomerStatus, Segment
from yuqi.customers.models import Customer, Tier


@dataclass(frozen=True)
class CustomerRef:
    id: int
    external_id: str
    name: str
    tier_code: str | None
    tier_is_vip: bool
    tier_rank: int | None = None  # 1 = highest; commitments compares perks' tiers with it


def customer_ids_by_external_id(external_ids: Iterable[str]) -> dict[str, int]:
    wanted = {value for value in external_ids if value}
    if not wanted:
        return {}
    return dict(Customer.objects.filter(external_id__in=wanted).values_list("external_id", "id"))


def customer_id_map() -> dict[str, int]:
    """Every customer id → primary key (for bulk loads that touch most customers)."""
    return dict(Customer.objects.values_list("external_id", "id"))


@memoised
def customer_refs(ids: Iterable[int]) -> dict[int, CustomerRef]:
    rows = Customer.objects.filter(pk__in=set(ids)).select_related("tier")
    return {row.pk: _ref(row) for row in rows}


def _ref(row: Customer) -> CustomerRef:  # row: with its tier selected
    return CustomerRef(
        row.pk,
        row.external_id,
        row.name,
        row.tier.code if row.tier else None,
        bool(row.tier and row.tier.is_vip),
        row.tier.rank if row.tier else None,
    )


def remember_customer(customer: Customer) -> None:
    """Within a GET request, a customer the page has read (with the tier joined) answers the
    panels' later :func:`customer_refs` of that customer alone (``yuqi.core.request_memo``):
    the customer 360 and the ticket page read it first."""
    remember(customer_refs, [customer.pk], value={customer.pk: _ref(customer)})


@dataclass(frozen=True)
class CustomerFrameRow:
    """A customer as a survey sampling frame sees it (surveys context)."""

    id: int
    tier_code: str
    region: str
    segment: str


def customer_frame(
    *,
    tiers: Iterable[str] = (),
    regions: Iterable[str] = (),
    segments: Iterable[str] = (),
    ids: Iterable[int] | None = None,
    active_only: bool = True,
) -> list[CustomerFrameRow]:
    """(id, tier code, region, segment) of every customer matching the filter, by id.

    Empty filters match everyone; ``active_only`` leaves out closed accounts.
    """
    rows = Customer.objects.order_by("pk")
    if ids is not None:
        rows = rows.filter(pk__in=set(ids))
    if tiers := list(tiers):
        rows = rows.filter(tier__code__in=tiers)
    if regions := list(regions):
        rows = rows.filter(region__in=regions)
    if segments := list(segments):
        rows = rows.filter(segment__in=segments)
    if active_only:
        rows = rows.exclude(status="closed")
    return [
        CustomerFrameRow(pk, tier or "", region, segment)
        for pk, tier, region, segment in rows.values_list("pk", "tier__code", "region", "segment")
    ]


@dataclass(frozen=True)
class CustomerContact:
    """How to reach a customer, for notifications only (the unmasked phone and e-mail)."""

    id: int
    name: str
    phone: str
    email: str
    language: str = "zh-hans"  # no preference is stored yet: Chinese


def customer_contact(customer_id: int) -> CustomerContact:
    """The customer's contact details; raises ``LookupError`` for an unknown id."""
    row = Customer.objects.filter(pk=customer_id).values("pk", "name", "phone", "email").first()
    if row is None:
        raise LookupError(f"no customer with id {customer_id}")
    return CustomerContact(row["pk"], row["name"], row["phone"], row["email"])


def customer_counts_by_tier() -> dict[int | None, int]:
    """Customers per tier id (``None``: without a tier), e.g. the base of "appeals per 10,000
    customers" (complaints measures). One grouped query; inside a reading scope
    (``yuqi.core.measures.reading_scope``) the one :func:`customer_book_counts` read, if it
    came first."""
    memo = scope_memo()
    if memo is not None and _BY_TIER in memo:
        return dict(memo[_BY_TIER])
    rows = Customer.objects.order_by().values_list("tier_id").annotate(n=Count("id"))
    found: dict[int | None, int] = dict(rows.values_list("tier_id", "n"))
    if memo is not None:
        memo[_BY_TIER] = dict(found)
    return found


_BY_TIER = "customers.counts_by_tier"


def customer_book_counts(periods: Iterable[tuple[date, date]]) -> dict[tuple[date, date], dict]:
    """Per period (first and last day): ``books``, customers who had joined by its last day
    and are not closed (current status: the table keeps no status history), and ``new``,
    customers whose joining date falls in it. One scan of the customers, grouped by tier, so
    that inside a reading scope it also answers :func:`customer_counts_by_tier` (the
    scorecard reads both)."""
    periods = list(dict.fromkeys(periods))
    open_ = ~Q(status=CustomerStatus.CLOSED)
    aggregates: dict[str, Count] = {"n": Count("id")}
    for i, (first, last) in enumerate(periods):
        joined_by = Q(joined_on__isnull=True) | Q(joined_on__lte=last)
        aggregates[f"books_{i}"] = Count("id", filter=joined_by & open_)
        aggregates[f"new_{i}"] = Count("id", filter=Q(joined_on__gte=first, joined_on__lte=last))
    grouped: Any = Customer.objects.order_by().values("tier_id").annotate(**aggregates)
    rows: list[dict[str, Any]] = list(grouped)
    memo = scope_memo()
    if memo is not None:
        memo[_BY_TIER] = {row["tier_id"]: row["n"] for row in rows}
    return {
        period: {
            "books": sum(row[f"books_{i}"] for row in rows),
            "new": sum(row[f"new_{i}"] for row in rows),
        }
        for i, period in enumerate(periods)
    }


#: The tiers, highest first, read through a statement compiled once (the survey analysis and
#: benchmarks pages read them on every request).
TIERS_READ = CompiledRead(lambda: Tier.objects.order_by("rank"), model=Tier)


def tier_labels() -> dict[str, str]:
    """Tier code → name in the active language, highest tier first (survey breakdowns)."""
    return {tier.code: str(tier) for tier in TIERS_READ.objects()}


def customer_total() -> int:
    """Customers on the books (the base of rates per 10,000 customers)."""
    return Customer.objects.count()


@dataclass(frozen=True)
class CustomerIdentity:
    """A customer's identifiers, unmasked: for personal-information requests only."""

    id: int
    external_id: str
    name: str
    phone: str
    email: str
    id_number: str


def customer_identity(external_id: str) -> CustomerIdentity | None:
    """The customer with this external id, or ``None``."""
    row = (
        Customer.objects.filter(external_id=external_id)
        .values_list("pk", "external_id", "name", "phone", "email", "id_number")
        .first()
    )
    return CustomerIdentity(*row) if row else None


def customer_correct(customer_id: int, changes: dict[str, str]) -> list[str]:
    """Correct a customer's personal data through the customers' own update service (same
    validation as the customer page); returns the fields that changed. Raises ``LookupError``
    for an unknown id and ``DomainError`` for invalid values."""
    from yuqi.customers.services import customer_update

    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise LookupError(f"no customer with id {customer_id}")
    allowed = {"name", "phone", "email", "id_number", "region"}
    wanted = {k: v for k, v in changes.items() if k in allowed and v != getattr(customer, k)}
    if wanted:
        customer_update(customer=customer, changes=wanted)
    return sorted(wanted)


def customer_ids_by_email(email: str) -> list[int]:
    """Customers whose e-mail address is ``email`` (compared without case), by id."""
    email = (email or "").strip()
    if not email or len(email) > 254:
        return []
    return list(
        Customer.objects.filter(email__iexact=email).order_by("pk").values_list("pk", flat=True)
    )


def customer_create_from_email(*, email: str, name: str) -> int:
    """A sender the intake did not know: a new customer with a generated id (``M`` + date +
    6 hex digits) that a later CRM import can replace; returns its id."""
    import secrets

    from yuqi.core.clock import now
    from yuqi.customers.services import customer_create

    external_id = f"M{now():%Y%m%d}{secrets.token_hex(3).upper()}"
    name = (name or "").strip()[:100] or email.split("@", 1)[0][:100] or email
    customer = customer_create(values={"external_id": external_id, "name": name, "email": email})
    return customer.pk


def customer_id_by_phone(phone: str) -> int | None:
    """The customer whose stored phone is exactly ``phone`` (digits only, as stored); the
    active one first, then the oldest; None when nobody has it."""
    if not phone:
        return None
    rows = Customer.objects.filter(phone=phone).order_by("status", "pk")
    ids = list(rows.exclude(status="closed").values_list("pk", flat=True)[:1])
    return ids[0] if ids else rows.values_list("pk", flat=True).first()


def customer_register_from_intake(*, phone: str, name: str) -> int:
    """A new customer for a phone number nobody has (the public complaint form): a generated
    id (``N`` + date + hex, replaced by a later CRM import) and no tier; returns its id."""
    from yuqi.customers.services import customer_create_from_call

    return customer_create_from_call(name=name, phone=phone).pk


def tier_ranks() -> dict[str, int]:
    """Tier code → rank (1 = highest)."""
    from yuqi.customers.models import Tier

    return dict(Tier.objects.values_list("code", "rank"))


def segment_labels() -> list[tuple[str, str]]:
    """Pyramid segments (code, label in the active language), top first."""
    return [(value, str(Segment(value).label)) for value in Segment.values]  # type: ignore[attr-defined]

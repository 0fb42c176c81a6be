"""The customer pyramid, database side: the refresh service and the pyramid's selectors.

``segments_refresh`` reads every customer's value, status and joining date and, per customer,
the last contact and the number of contacts in the activity window — both aggregated in SQL
(one ``GROUP BY customer`` over the interactions, index ``interaction_customer_arrived``) —
segments them with :mod:`yuqi.domain.pyramid`, writes the segment column through the
customers context (``customer_segments_set``) and upserts this month's ``SegmentSnapshot``.

Activity means contacts the customer started: *inbound* interactions on any channel.
Callbacks and other outbound contacts are the centre's activity, not the customer's.

The customers and interactions tables are only read here (never written).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.core.clock import day_start, now
from yuqi.customers.choices import CustomerStatus, Segment
from yuqi.customers.models import Customer, Tier
from yuqi.customers.services import customer_segments_set
from yuqi.domain.kpi import (
    DEFAULT_REPEAT_DAYS,
    DEFAULT_SHORT_ABANDON_SECONDS,
    KpiCounts,
    kpi_values,
)
from yuqi.domain.pyramid import (
    SEGMENTS,
    MigrationMatrix,
    PyramidThresholds,
    ValueCutoffs,
    migration_from_counts,
    rfm_scores,
    segment_customers,
)
from yuqi.interactions.choices import Direction
from yuqi.interactions.models import Interaction
from yuqi.operations.kpi.selectors import (
    count_aggregates,
    counts_from_aggregates,
    offered_interactions,
)
from yuqi.operations.models import PyramidSettings, SegmentSnapshot

SNAPSHOT_BATCH = 2000
CENTS = Decimal("0.01")
UNIDENTIFIED = ""  # the group key of contacts without a known customer
LAPSED = (CustomerStatus.DORMANT, CustomerStatus.CLOSED)


# --- settings ------------------------------------------------------------------------------


def pyramid_settings() -> PyramidSettings:
    """The one settings row (created by migration 0002); defaults if it was deleted."""
    return PyramidSettings.objects.order_by("pk").first() or PyramidSettings()


def pyramid_thresholds() -> PyramidThresholds:
    row = pyramid_settings()
    return PyramidThresholds(
        top_share=float(row.top_share),
        high_share=float(row.high_share),
        middle_share=float(row.middle_share),
        inactive_days=row.inactive_days,
        potential_days=row.potential_days,
        wait_and_see_contacts=row.wait_and_see_contacts,
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# --- activity, aggregated in SQL -----------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """One customer's contacts up to the end of the reference day."""

    last_contact_on: date | None  # local date of the last inbound contact
    contacts: int  # inbound contacts in the activity window


def customer_activity(*, as_of: date, window_days: int) -> dict[int, Activity]:
    """Per customer with any inbound contact up to ``as_of`` (local day, included): the date
    of the last one and how many arrived in the ``window_days`` days ending on ``as_of``.

    One SQL query: ``GROUP BY customer_id`` with ``MAX(arrived_at)`` and a filtered
    ``COUNT``; the window is ``[as_of − window_days + 1, as_of]`` in local days.
    """
    end = day_start(as_of + timedelta(days=1))
    window_start = day_start(as_of - timedelta(days=window_days - 1))
    rows = (
        Interaction.objects.filter(
            customer__isnull=False, direction=Direction.INBOUND, arrived_at__lt=end
        )
        .values("customer_id")
        .annotate(
            last=Max("arrived_at"), recent=Count("pk", filter=Q(arrived_at__gte=window_start))
        )
        .order_by()
        .values_list("customer_id", "last", "recent")
    )
    return {
        customer_id: Activity(timezone.localdate(last), recent)
        for customer_id, last, recent in rows
    }


# --- the refresh service -------------------------------------------------------------------


@dataclass(frozen=True)
class PyramidRefresh:
    as_of: date
    month: date  # first day of the snapshot's month
    customers: int  # customers segmented (those who had joined by ``as_of``)
    changed: int  # customers whose segment column changed
    counts: dict[str, int]
    cutoffs: ValueCutoffs


def segments_refresh(*, as_of: date | None = None) -> PyramidRefresh:
    """Segment every customer as of ``as_of`` (default: today, local), write the segment
    column and upsert the month's snapshot (one row per customer; rerunning is idempotent).

    Customers who joined after ``as_of`` are left out, so a past month can be back-filled.
    The segment column always takes the result of the latest call.
    """
    as_of = as_of or timezone.localdate(now())
    thresholds = pyramid_thresholds()
    customers = list(
        Customer.objects.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=as_of))
        .order_by("pk")
        .values_list("pk", "monthly_value", "status", "joined_on")
    )
    activity = customer_activity(as_of=as_of, window_days=thresholds.inactive_days)
    none = Activity(None, 0)
    ids = [row[0] for row in customers]
    values = [None if row[1] is None else float(row[1]) for row in customers]
    lapsed = [row[2] in LAPSED for row in customers]
    since_joined = [None if row[3] is None else (as_of - row[3]).days for row in customers]
    seen = [activity.get(pk, none) for pk in ids]
    since_contact = [
        None if a.last_contact_on is None else (as_of - a.last_contact_on).days for a in seen
    ]
    contacts = [a.contacts for a in seen]
    segmentation = segment_customers(
        value=values,
        days_since_contact=since_contact,
        contacts=contacts,
        days_since_joined=since_joined,
        lapsed=lapsed,
        thresholds=thresholds,
    )
    rfm = rfm_scores(days_since_contact=since_contact, contacts=contacts, value=values)
    month = month_start(as_of)
    snapshots = [
        SegmentSnapshot(
            month=month,
            customer_id=pk,
            segment=segmentation.segments[i],
            value=customers[i][1],
            recency=rfm.recency[i],
            frequency=rfm.frequency[i],
            monetary=rfm.monetary[i],
        )
        for i, pk in enumerate(ids)
    ]
    with transaction.atomic():
        changed = customer_segments_set(segments=dict(zip(ids, segmentation.segments, strict=True)))
        SegmentSnapshot.objects.bulk_create(
            snapshots,
            batch_size=SNAPSHOT_BATCH,
            update_conflicts=True,
            unique_fields=["month", "customer"],
            update_fields=["segment", "value", "recency", "frequency", "monetary"],
        )
    return PyramidRefresh(
        as_of, month, len(ids), changed, segmentation.counts(), segmentation.cutoffs
    )


# --- selectors -----------------------------------------------------------------------------


def segment_label(code: str) -> str:
    if code == UNIDENTIFIED:
        return _("Unidentified callers")
    try:
        return str(Segment(code).label)
    except ValueError:
        return code


def snapshot_months() -> list[date]:
    """Months with a snapshot, newest first."""
    return list(
        SegmentSnapshot.objects.order_by("-month").values_list("month", flat=True).distinct()
    )


@dataclass(frozen=True)
class SegmentRow:
    segment: str
    label: str
    customers: int
    share: float | None  # of all customers in the snapshot
    value: Decimal  # total monthly value
    value_share: float | None
    average_value: Decimal | None
    recency: float | None  # average RFM scores of the scored customers
    frequency: float | None
    monetary: float | None


@dataclass(frozen=True)
class PyramidSummary:
    month: date | None
    rows: tuple[SegmentRow, ...]  # every segment, top of the pyramid first
    customers: int
    value: Decimal


def pyramid_summary(*, month: date | None = None) -> PyramidSummary:
    """Customers and monthly value per segment in the month's snapshot (default: latest)."""
    if month is None:
        months = snapshot_months()
        month = months[0] if months else None
    found: dict[str, dict] = {}
    if month is not None:
        found = {
            row["segment"]: row
            for row in SegmentSnapshot.objects.filter(month=month_start(month))
            .values("segment")
            .annotate(
                n=Count("pk"),
                value_sum=Sum("value"),
                r=Avg("recency", filter=Q(recency__gt=0)),
                f=Avg("frequency", filter=Q(frequency__gt=0)),
                m=Avg("monetary", filter=Q(monetary__gt=0)),
            )
            .order_by()
        }
    total = sum(row["n"] for row in found.values())
    total_value = sum(
        (row["value_sum"] or Decimal(0) for row in found.values()), Decimal(0)
    ).quantize(CENTS)
    rows = []
    for segment in SEGMENTS:
        row = found.get(segment, {})
        n = row.get("n", 0)
        value = (row.get("value_sum") or Decimal(0)).quantize(CENTS)
        rows.append(
            SegmentRow(
                segment,
                segment_label(segment),
                n,
                n / total if total else None,
                value,
                float(value / total_value) if total_value else None,
                (value / n).quantize(CENTS) if n else None,
                _rounded(row.get("r")),
                _rounded(row.get("f")),
                _rounded(row.get("m")),
            )
        )
    return PyramidSummary(month_start(month) if month else None, tuple(rows), total, total_value)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def segment_migration(*, from_month: date, to_month: date) -> MigrationMatrix:
    """The migration matrix between two months' snapshots, counted in SQL."""
    before, after = month_start(from_month), month_start(to_month)
    earlier = SegmentSnapshot.objects.filter(month=before, customer_id=OuterRef("customer_id"))
    later = SegmentSnapshot.objects.filter(month=after, customer_id=OuterRef("customer_id"))
    pairs = (
        SegmentSnapshot.objects.filter(month=after)
        .annotate(before=Subquery(earlier.values("segment")[:1]))
        .values("before", "segment")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    entered: dict[str, int] = {}
    for row in pairs:
        if row["before"] is None:
            entered[row["segment"]] = entered.get(row["segment"], 0) + row["n"]
        else:
            counts[(row["before"], row["segment"])] = row["n"]
    left = dict(
        SegmentSnapshot.objects.filter(month=before)
        .exclude(Exists(later))
        .values("segment")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("segment", "n")
    )
    return migration_from_counts(counts, entered=entered, left=left)


@dataclass(frozen=True)
class ServiceRow:
    """Service of one group of customers: offered contacts, SL and abandon rate."""

    key: str
    label: str
    is_vip: bool
    offered: int
    answered: int
    abandoned: int
    service_level: float | None
    abandon_rate: float | None
    answer_rate: float | None


def _service_rows(
    group: str, *, date_from: date, date_to: date
) -> list[tuple[str | None, KpiCounts]]:
    aggregates = count_aggregates(
        short_abandon_seconds=DEFAULT_SHORT_ABANDON_SECONDS,
        repeat_days=DEFAULT_REPEAT_DAYS,
        derived_fcr=False,
    )
    rows = (
        offered_interactions()
        .filter(
            arrived_at__gte=day_start(date_from),
            arrived_at__lt=day_start(date_to + timedelta(days=1)),
        )
        .values(group)
        .annotate(**aggregates)
        .order_by()
    )
    return [(row[group], counts_from_aggregates(row)) for row in rows]


def _service_row(key: str, label: str, counts: KpiCounts, *, is_vip: bool = False) -> ServiceRow:
    values = kpi_values(counts)
    return ServiceRow(
        key,
        label,
        is_vip,
        counts.offered,
        counts.answered,
        counts.abandoned,
        values.service_level,
        values.abandon_rate,
        values.answer_rate,
    )


def service_by_segment(*, date_from: date, date_to: date) -> list[ServiceRow]:
    """SL and abandon rate of the contacts in the period, by the customer's current segment
    (the formulas of ``yuqi.domain.kpi``; unidentified callers and customers without a
    segment are grouped apart, last)."""
    found = dict(_service_rows("customer__segment", date_from=date_from, date_to=date_to))
    rows = [
        _service_row(segment, segment_label(segment), found[segment])
        for segment in SEGMENTS
        if segment in found
    ]
    rest = [counts for key, counts in found.items() if key not in SEGMENTS]
    if rest:
        total = sum(rest, KpiCounts())
        rows.append(_service_row(UNIDENTIFIED, segment_label(UNIDENTIFIED), total))
    return rows


def service_by_tier(*, date_from: date, date_to: date) -> list[ServiceRow]:
    """SL and abandon rate by the customer's tier (VIP first, by rank); unidentified last."""
    found = dict(_service_rows("customer__tier_id", date_from=date_from, date_to=date_to))
    rows = [
        _service_row(tier.code, str(tier), found[tier.pk], is_vip=tier.is_vip)
        for tier in Tier.objects.order_by("rank")
        if tier.pk in found
    ]
    if None in found:
        rows.append(_service_row(UNIDENTIFIED, segment_label(UNIDENTIFIED), found[None]))
    return rows


@dataclass(frozen=True)
class ComplaintRow:
    key: str
    label: str
    complaints: int
    per_thousand_customers: float | None


def complaints_by_segment(*, date_from: date, date_to: date) -> list[ComplaintRow] | None:
    """Complaints per segment, or ``None`` while the complaints context is not installed
    (or does not link complaints to customers and a creation time)."""
    if not apps.is_installed("yuqi.complaints"):
        return None
    try:
        complaint = apps.get_model("complaints", "Complaint")
        complaint._meta.get_field("customer")
        complaint._meta.get_field("created_at")
    except (LookupError, FieldDoesNotExist):
        return None
    found = dict(
        complaint.objects.filter(
            created_at__gte=day_start(date_from),
            created_at__lt=day_start(date_to + timedelta(days=1)),
        )
        .values("customer__segment")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("customer__segment", "n")
    )
    sizes = dict(
        Customer.objects.values("segment").annotate(n=Count("pk")).values_list("segment", "n")
    )
    return [
        ComplaintRow(
            segment,
            segment_label(segment),
            found.get(segment, 0),
            1000 * found.get(segment, 0) / sizes[segment] if sizes.get(segment) else None,
        )
        for segment in SEGMENTS
    ]

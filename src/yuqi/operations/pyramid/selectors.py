"""The customer pyramid, read: the summary per segment, migration between months, service and
complaints per segment or tier (the refresh that writes the segments is in ``services``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _

from yuqi.core.clock import day_start
from yuqi.customers.choices import Segment
from yuqi.customers.models import Customer, Tier
from yuqi.domain.kpi import KpiCounts, kpi_values
from yuqi.domain.pyramid import (
    SEGMENTS,
    MigrationMatrix,
    migration_from_counts,
)
from yuqi.operations.models import SegmentSnapshot
from yuqi.operations.pyramid import service_store, versions
from yuqi.operations.pyramid.services import CENTS, UNIDENTIFIED, month_start


def segment_label(code: str) -> str:
    if code == UNIDENTIFIED:
        return _("Unidentified callers")
    try:
        return str(Segment(code).label)
    except ValueError:
        return code


def snapshot_months() -> list[date]:
    """Months with a snapshot, newest first (cached under the snapshots' data version)."""
    return list(versions.cached("months", (), _read_snapshot_months))


def _read_snapshot_months() -> list[date]:
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
        first = month_start(month)
        found = versions.cached("summary", (first,), lambda: _read_summary(first))
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


def _read_summary(month: date) -> dict[str, dict]:
    """Customers, value and average RFM scores per segment of one month's snapshot."""
    return {
        row["segment"]: row
        for row in SegmentSnapshot.objects.filter(month=month)
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


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def segment_migration(*, from_month: date, to_month: date) -> MigrationMatrix:
    """The migration matrix between two months' snapshots, counted in SQL: two hash joins of
    the months' snapshots on the customer (a ``LEFT JOIN`` each way: who moved or entered,
    who left), instead of one correlated lookup per customer."""
    before, after = month_start(from_month), month_start(to_month)
    counts, entered, left = versions.cached(
        "migration", (before, after), lambda: _read_migration(before, after)
    )
    return migration_from_counts(counts, entered=entered, left=left)


MigrationCounts = tuple[dict[tuple[str, str], int], dict[str, int], dict[str, int]]


def _read_migration(before: date, after: date) -> MigrationCounts:
    """(moved or stayed, entered, left) between two months' snapshots."""
    table = connection.ops.quote_name(SegmentSnapshot._meta.db_table)
    joined = (
        f"SELECT o.segment, t.segment, COUNT(*) FROM {table} t LEFT JOIN {table} o"
        " ON o.customer_id = t.customer_id AND o.month = %s WHERE t.month = %s"
        " GROUP BY o.segment, t.segment"
    )
    counts: dict[tuple[str, str], int] = {}
    entered: dict[str, int] = {}
    left: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(joined, [before, after])
        for was, now, n in cursor.fetchall():
            if was is None:
                entered[now] = entered.get(now, 0) + n
            else:
                counts[(was, now)] = n
        # the same join the other way round: last month's customers with no row now
        cursor.execute(joined, [after, before])
        for now, was, n in cursor.fetchall():
            if now is None:
                left[was] = n
    return counts, entered, left


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


def _summed(pairs: list[tuple[Any, KpiCounts]]) -> dict[Any, KpiCounts]:
    found: dict[Any, KpiCounts] = {}
    for key, counts in pairs:
        found[key] = found[key] + counts if key in found else counts
    return found


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


def service_by_segment_and_tier_as_of(
    *, date_from: date, date_to: date
) -> tuple[list[ServiceRow], list[ServiceRow], datetime]:
    """:func:`service_by_segment` and :func:`service_by_tier` of the same period from its
    stored counts (``service_store``: refreshed by the worker, computed when absent), and
    when those were computed (the pyramid page shows both tables and the time)."""
    rows, as_of = service_store.stored_service(date_from=date_from, date_to=date_to)
    by_segment = _summed([(segment, counts) for segment, _tier, counts in rows])
    by_tier = _summed([(tier, counts) for _segment, tier, counts in rows])
    return _segment_rows(by_segment), _tier_rows(by_tier), as_of


def service_by_segment_and_tier(
    *, date_from: date, date_to: date
) -> tuple[list[ServiceRow], list[ServiceRow]]:
    """:func:`service_by_segment_and_tier_as_of` without the time."""
    by_segment, by_tier, _as_of = service_by_segment_and_tier_as_of(
        date_from=date_from, date_to=date_to
    )
    return by_segment, by_tier


def _segment_rows(found: dict[Any, KpiCounts]) -> list[ServiceRow]:
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


def _tier_rows(found: dict[Any, KpiCounts]) -> list[ServiceRow]:
    rows = [
        _service_row(tier.code, str(tier), found[tier.pk], is_vip=tier.is_vip)
        for tier in Tier.objects.order_by("rank")
        if tier.pk in found
    ]
    if None in found:
        rows.append(_service_row(UNIDENTIFIED, segment_label(UNIDENTIFIED), found[None]))
    return rows


def service_by_segment(*, date_from: date, date_to: date) -> list[ServiceRow]:
    """SL and abandon rate of the contacts in the period, by the customer's current segment
    (the formulas of ``yuqi.domain.kpi``; unidentified callers and customers without a
    segment are grouped apart, last), as last stored (``service_store``)."""
    return service_by_segment_and_tier(date_from=date_from, date_to=date_to)[0]


def service_by_tier(*, date_from: date, date_to: date) -> list[ServiceRow]:
    """SL and abandon rate by the customer's tier (VIP first, by rank); unidentified last."""
    return service_by_segment_and_tier(date_from=date_from, date_to=date_to)[1]


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

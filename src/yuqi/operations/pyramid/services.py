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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.db.models import Aggregate, Count, Max, Q
from django.utils import timezone

from yuqi.core.bulk import upsert_rows
from yuqi.core.clock import day_start, now
from yuqi.customers.choices import CustomerStatus
from yuqi.customers.models import Customer
from yuqi.customers.services import customer_segments_set
from yuqi.domain.pyramid import (
    PyramidThresholds,
    ValueCutoffs,
    rfm_scores,
    segment_customers,
)
from yuqi.interactions.choices import Direction
from yuqi.interactions.models import Interaction
from yuqi.operations.models import PyramidSettings, SegmentSnapshot
from yuqi.operations.pyramid import versions

SNAPSHOT_BATCH = 5000
#: A snapshot row's columns; the first two are its key (month, customer).
SNAPSHOT_COLUMNS = ("month", "customer_id", "segment", "value", "recency", "frequency", "monetary")
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


def customer_activities(
    *, as_of_days: Sequence[date], window_days: int
) -> dict[date, dict[int, Activity]]:
    """:func:`customer_activity` as of each of ``as_of_days``, in one pass over the contacts
    (one ``GROUP BY customer_id`` with a filtered ``MAX`` and ``COUNT`` per day): the same
    customers and figures as one call per day."""
    days = sorted(set(as_of_days))
    if not days:
        return {}
    ends = [day_start(day + timedelta(days=1)) for day in days]
    starts = [day_start(day - timedelta(days=window_days - 1)) for day in days]
    aggregates: dict[str, Aggregate] = {}
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        aggregates[f"last_{i}"] = Max("arrived_at", filter=Q(arrived_at__lt=end))
        aggregates[f"recent_{i}"] = Count("pk", filter=Q(arrived_at__gte=start, arrived_at__lt=end))
    rows = (
        Interaction.objects.filter(
            customer__isnull=False, direction=Direction.INBOUND, arrived_at__lt=max(ends)
        )
        .values("customer_id")
        .annotate(**aggregates)
        .order_by()
    )
    found: dict[date, dict[int, Activity]] = {day: {} for day in days}
    for row in cast(Iterable[dict[str, Any]], rows):
        for i, day in enumerate(days):
            last = row[f"last_{i}"]
            if last is not None:
                found[day][row["customer_id"]] = Activity(
                    timezone.localdate(last), row[f"recent_{i}"]
                )
    return found


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
    activity = customer_activity(as_of=as_of, window_days=thresholds.inactive_days)
    return _refresh(as_of, thresholds, activity)


def segments_refresh_months(*, as_of_days: Sequence[date]) -> list[PyramidRefresh]:
    """:func:`segments_refresh` as of each day, oldest first (the last one's segments stay in
    the customers' column), the contacts read once for all of them
    (:func:`customer_activities`): the demo's back-filled months."""
    days = sorted(set(as_of_days))
    thresholds = pyramid_thresholds()
    activities = customer_activities(as_of_days=days, window_days=thresholds.inactive_days)
    return [_refresh(day, thresholds, activities[day]) for day in days]


def _refresh(
    as_of: date, thresholds: PyramidThresholds, activity: dict[int, Activity]
) -> PyramidRefresh:
    customers = list(
        Customer.objects.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=as_of))
        .order_by("pk")
        .values_list("pk", "monthly_value", "status", "joined_on")
    )
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
        (
            month,
            pk,
            str(segmentation.segments[i]),
            customers[i][1],
            int(rfm.recency[i]),
            int(rfm.frequency[i]),
            int(rfm.monetary[i]),
        )
        for i, pk in enumerate(ids)
    ]
    with transaction.atomic():
        changed = customer_segments_set(segments=dict(zip(ids, segmentation.segments, strict=True)))
        for start in range(0, len(snapshots), SNAPSHOT_BATCH):
            upsert_rows(
                SegmentSnapshot,
                SNAPSHOT_COLUMNS,
                snapshots[start : start + SNAPSHOT_BATCH],
                unique=["month", "customer_id"],
                update=SNAPSHOT_COLUMNS[2:],
            )
        versions.bump()  # the bulk upsert sends no signals
    return PyramidRefresh(
        as_of, month, len(ids), changed, segmentation.counts(), segmentation.cutoffs
    )

"""The pyramid's service by segment and tier, stored per period and refreshed by the worker.

The page's service tables group a month's offered contacts by their customer's *current*
segment and tier: one query joining the period's contacts to their customers (about 90 ms of
SQL on the large demo, 200 ms and more under load), whose answer changes with every contact
written and every customer whose segment or tier changes. A data version would have to follow
all of those writers, so the answer is stored instead (``SegmentServiceResult``, one row per
period: the KPI counts per segment and tier, and when they were computed) and the page says
how fresh it is ("Figures as of HH:MM").

* :func:`computed_service` is the computation itself (the page's numbers before the store).
* :func:`stored_service` reads a period's stored counts; a period never stored (a fresh
  install, a month first opened, a new day of the current month) is computed on the spot and
  stored, so the page always shows the numbers of some moment, never none.
* :func:`service_refresh` (the worker's ``pyramid-service`` job every five minutes, and the
  ``refresh-segments`` job after it has moved the customers' segments) recomputes every
  stored period the page can still ask for and the latest snapshot month's, and deletes the
  periods no page asks for any more (the current month's earlier days).

The periods are local days of the site's time zone (``day_start``), as the page asks them.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone

from yuqi.core.clock import day_start, now
from yuqi.domain.kpi import DEFAULT_REPEAT_DAYS, DEFAULT_SHORT_ABANDON_SECONDS, KpiCounts
from yuqi.operations.kpi.selectors import (
    count_aggregates,
    counts_from_aggregates,
    offered_interactions,
)
from yuqi.operations.models import SegmentServiceResult, SegmentSnapshot

#: (customer's segment, customer's tier id, counts); ``None`` where the contact has no
#: customer or the customer no segment or tier.
ServiceCounts = list[tuple[str | None, int | None, KpiCounts]]


def computed_service(*, date_from: date, date_to: date) -> ServiceCounts:
    """The period's offered contacts' counts per customer segment and tier, computed now:
    one query grouped by both, which the segment and the tier tables sum apart."""
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
        .values("customer__segment", "customer__tier_id")
        .annotate(**aggregates)
        .order_by()
    )
    return [
        (row["customer__segment"], row["customer__tier_id"], counts_from_aggregates(row))
        for row in rows
    ]


def page_period(month: date, today: date) -> tuple[date, date]:
    """The period the pyramid page shows for a snapshot month: the month up to today."""
    first = month.replace(day=1)
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return first, min(last, today)


def _whole(value: Any) -> int | None:
    """A count or a sum of whole seconds as JSON keeps it (PostgreSQL may sum to a Decimal)."""
    if value is None or isinstance(value, int):
        return value
    whole = int(value)
    if whole != value:
        raise ValueError(f"not a whole number: {value!r}")
    return whole


def _encoded(found: ServiceCounts) -> list[list[Any]]:
    return [
        [segment, tier, {name: _whole(v) for name, v in vars(counts).items()}]
        for segment, tier, counts in found
    ]


def _decoded(rows: list[list[Any]]) -> ServiceCounts:
    return [(segment, tier, KpiCounts(**counts)) for segment, tier, counts in rows]


def _store(date_from: date, date_to: date) -> tuple[ServiceCounts, datetime]:
    """Compute the period and store it (replacing what was stored); the time stored is the
    moment the computation started, so a contact written during it is never claimed."""
    at = now()
    found = computed_service(date_from=date_from, date_to=date_to)
    SegmentServiceResult.objects.update_or_create(
        date_from=date_from,
        date_to=date_to,
        defaults={"rows": _encoded(found), "computed_at": at},
    )
    return found, at


def stored_service(*, date_from: date, date_to: date) -> tuple[ServiceCounts, datetime]:
    """The period's counts and when they were computed: as stored, or computed and stored
    now when the period has none yet (one query when stored)."""
    row = (
        SegmentServiceResult.objects.filter(date_from=date_from, date_to=date_to)
        .values_list("rows", "computed_at")
        .first()
    )
    if row is not None:
        return _decoded(row[0]), row[1]
    return _store(date_from, date_to)


def service_refresh(*, today: date | None = None) -> int:
    """Recompute every stored period the page can still ask for and the latest snapshot
    month's; delete the others. Returns how many periods were computed."""
    today = today or timezone.localdate(now())
    wanted: set[tuple[date, date]] = set()
    stale: list[int] = []
    for pk, first, last in SegmentServiceResult.objects.values_list("pk", "date_from", "date_to"):
        if page_period(first, today) == (first, last):
            wanted.add((first, last))
        else:
            stale.append(pk)
    if stale:
        SegmentServiceResult.objects.filter(pk__in=stale).delete()
    latest = SegmentSnapshot.objects.aggregate(month=Max("month"))["month"]
    if latest is not None:
        wanted.add(page_period(latest, today))
    for first, last in sorted(wanted):
        _store(first, last)
    return len(wanted)

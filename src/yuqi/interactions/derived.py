"""Columns derived from a contact when it is written, for KPIs that aggregate in SQL.

* ``local_day`` and ``local_minute``: the local (``settings.TIME_ZONE``) day and minute of the
  day the contact arrived, so a day or an interval is a plain column, not a per-row time-zone
  function (on SQLite, Django's Python functions per row);
* ``repeated``: a later *inbound* contact of the same customer on the same category arrived
  within ``DEFAULT_REPEAT_DAYS`` days (the derived-FCR repeat), so the KPI query reads a flag
  instead of running a correlated lookup per answered contact.

:func:`contacts_derive` sets them, set-based, for every contact written or changed since they
were last set (``derived_at`` is NULL or older than ``updated_at``; a partial index keeps that
check cheap), and refreshes ``repeated`` on the earlier contacts of the same customers (a new
contact can make an older one a repeat). It runs after imports and demo builds, from the
worker, and — at the cost of one indexed ``EXISTS`` when nothing is pending — before a KPI
query, so figures never read stale columns whoever wrote the contacts.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import ExtractHour, ExtractMinute, TruncDate
from django.utils import timezone

from yuqi.domain.kpi import DEFAULT_REPEAT_DAYS
from yuqi.interactions.choices import Direction
from yuqi.interactions.models import Interaction


def pending() -> QuerySet[Interaction]:
    """Contacts whose derived columns are missing or older than the row."""
    return Interaction.objects.filter(
        Q(derived_at__isnull=True) | Q(derived_at__lt=F("updated_at"))
    )


def _later_repeat() -> Exists:
    return Exists(
        Interaction.objects.filter(
            direction=Direction.INBOUND,
            customer=OuterRef("customer"),
            category=OuterRef("category"),
            arrived_at__gt=OuterRef("arrived_at"),
            arrived_at__lte=OuterRef("arrived_at") + timedelta(days=DEFAULT_REPEAT_DAYS),
        )
    )


def contacts_derive() -> int:
    """Set the derived columns of every pending contact; returns how many were pending."""
    if not pending().exists():
        return 0
    tz = timezone.get_default_timezone()
    with transaction.atomic():
        customers = pending().filter(customer__isnull=False).values("customer_id")
        Interaction.objects.filter(customer_id__in=customers).update(repeated=_later_repeat())
        count = pending().update(
            local_day=TruncDate("arrived_at", tzinfo=tz),
            local_minute=ExtractHour("arrived_at", tzinfo=tz) * Value(60)
            + ExtractMinute("arrived_at", tzinfo=tz),
            repeated=Case(When(customer__isnull=True, then=Value(False)), default=F("repeated")),
            derived_at=F("updated_at"),
        )
    return count


def analyze_contacts() -> None:
    """Planner statistics after a bulk load (PostgreSQL; autovacuum may be off or late)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Interaction._meta.db_table)}")

"""Columns derived from a contact when it is written, for KPIs that aggregate in SQL.

* ``local_day`` and ``local_minute``: the local (``settings.TIME_ZONE``) day and minute of the
  day the contact arrived, so a day or an interval is a plain column, not a per-row time-zone
  function (on SQLite, Django's Python functions per row);
* ``repeated``: a later *inbound* contact of the same customer on the same category arrived
  within ``DEFAULT_REPEAT_DAYS`` days (the derived-FCR repeat), so the KPI query reads a flag
  instead of running a correlated lookup per answered contact;
* ``tier`` and ``sl_seconds``: the customer's tier and the service-level threshold Y that
  applies to the contact (the tier's, else the queue's, else ``DEFAULT_SL_SECONDS``), so
  "answered within Y" compares two columns of the row. ``yuqi.interactions.signals`` makes
  the contacts pending again when a queue's or tier's threshold or a customer's tier changes.

Each derivation also queues the local days it touched (the contacts' old and new day) in
``RollupDay``, for the KPI rollups' next refresh (``yuqi.interactions.rollups``).

:func:`contacts_derive` sets them, set-based, for every contact written or changed since they
were last set (``derived_at`` is NULL or older than ``updated_at``; a partial index keeps that
check cheap), and refreshes ``repeated`` on the earlier contacts of the same customers (a new
contact can make an older one a repeat). It runs after imports and demo builds, from the
worker, and — at the cost of one indexed ``EXISTS`` when nothing is pending — before a KPI
query, so figures never read stale columns whoever wrote the contacts.

An interactions import on PostgreSQL sets them itself, in the insert, for the new contacts
without a customer (nearly all of an ACD export): :func:`derived_on_insert`. Deriving them
afterwards rewrote every row just written (a second version of each row and of its ten
index entries), as much server work again as the import's own insert.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractHour,
    ExtractMinute,
    Mod,
    Substr,
    TruncDate,
)
from django.utils import timezone

from yuqi.domain.kpi import DEFAULT_REPEAT_DAYS, DEFAULT_SL_SECONDS
from yuqi.interactions.choices import Direction
from yuqi.interactions.models import Interaction, Queue, RollupDay


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
            arrived_at__lte=_repeat_window_end(),
        )
    )


def _repeat_window_end() -> Any:
    """The outer contact's ``arrived_at`` plus ``DEFAULT_REPEAT_DAYS``, as SQL.

    On SQLite Django adds a ``timedelta`` with a Python function per row
    (``django_format_dtdelta``: a third of the repeat update over a million contacts). SQLite
    stores the instant as UTC text, ``YYYY-MM-DD HH:MM:SS`` and an optional ``.ffffff``;
    ``datetime()`` shifts the whole seconds (UTC has no summer-time jump) and the fraction is
    appended as stored, which is the same text Django's function returns
    (``tests/interactions/test_derived.py`` compares the two)."""
    window = timedelta(days=DEFAULT_REPEAT_DAYS)
    if connection.vendor != "sqlite":
        return OuterRef("arrived_at") + window
    seconds = int(window.total_seconds())
    return Func(
        OuterRef("arrived_at"),
        template=(
            f"(datetime(substr(%(expressions)s, 1, 19), '+{seconds} seconds') "
            "|| substr(%(expressions)s, 20))"
        ),
        output_field=DateTimeField(),
    )


def _own(field: str) -> Subquery:
    """The contact's own ``field`` through a join (an ``UPDATE`` may not join directly)."""
    return Subquery(Interaction.objects.filter(pk=OuterRef("pk")).values(field)[:1])


def _threshold() -> Coalesce:
    return Coalesce(
        _own("customer__tier__sl_seconds"),
        _own("queue__sl_seconds"),
        Value(DEFAULT_SL_SECONDS),
        output_field=IntegerField(),
    )


def _touched_days(local_day: Any) -> set:
    """The local days of the pending contacts: the day they were counted in (if derived
    before) and the day they arrived now (``local_day``: its expression)."""
    old = set(
        pending().filter(local_day__isnull=False).values_list("local_day", flat=True).distinct()
    )
    new = set(pending().annotate(d=local_day).values_list("d", flat=True).distinct())
    return {day for day in old | new if day is not None}


def mark_days(days: set) -> None:
    """Queue ``days`` for the rollups' next refresh."""
    if days:
        RollupDay.objects.bulk_create([RollupDay(day=d) for d in days], ignore_conflicts=True)


#: How often :func:`_fixed_offset` samples the zone's offset between two instants: far
#: shorter than any period between two offset changes (summer time lasts months).
_OFFSET_STEP = timedelta(hours=6)


def _fixed_offset(tz: tzinfo, first: datetime, last: datetime) -> timedelta | None:
    """The zone's UTC offset if it is the same at every instant from ``first`` to ``last``
    (Asia/Shanghai's has been since 1991), else ``None``."""
    offset = first.astimezone(tz).utcoffset()
    moment = first
    while moment < last:
        moment = min(moment + _OFFSET_STEP, last)
        if moment.astimezone(tz).utcoffset() != offset:
            return None
    return offset


def _local_parts(tz: tzinfo) -> tuple[Any, Any]:
    """The local day and the local minute of the day of ``arrived_at``, as SQL expressions.

    Django's zone-aware ``TruncDate`` and ``Extract*`` run as Python functions per row on
    SQLite (parse the text, convert the zone: most of a million-contact derivation). When the
    zone keeps one offset over the pending contacts, SQLite's own date arithmetic gives the
    same values: the day of the instant shifted by the offset, and the shifted epoch seconds
    modulo a day."""
    if connection.vendor == "sqlite":
        span = pending().aggregate(first=Min("arrived_at"), last=Max("arrived_at"))
        offset = None
        if span["first"] is not None:
            offset = _fixed_offset(tz, span["first"], span["last"])
        if offset is not None:
            seconds = int(offset.total_seconds())
            # whole seconds: SQLite's date functions round a fraction to milliseconds, which
            # would carry 23:59:59.9999 into the next day
            stamp = Substr(F("arrived_at"), 1, 19)
            day = Func(
                stamp, Value(f"{seconds:+d} seconds"), function="date",
                output_field=DateField(),
            )  # fmt: skip
            epoch = Cast(
                Func(Value("%s"), stamp, function="strftime"),
                output_field=IntegerField(),
            )
            # SQLite's MOD answers in floating point: truncate the (exact) quotient back
            minute = Cast(
                Mod(epoch + Value(seconds + 86400), Value(86400)) / Value(60),
                output_field=IntegerField(),
            )
            return day, minute
    return (
        TruncDate("arrived_at", tzinfo=tz),
        ExtractHour("arrived_at", tzinfo=tz) * Value(60) + ExtractMinute("arrived_at", tzinfo=tz),
    )


def contacts_derive() -> int:
    """Set the derived columns of every pending contact; returns how many were pending."""
    if not pending().exists():
        return 0
    tz = timezone.get_default_timezone()
    with transaction.atomic():
        local_day, local_minute = _local_parts(tz)
        mark_days(_touched_days(local_day))
        customers = pending().filter(customer__isnull=False).values("customer_id")
        Interaction.objects.filter(customer_id__in=customers).update(repeated=_later_repeat())
        count = pending().update(
            local_day=local_day,
            local_minute=local_minute,
            repeated=Case(When(customer__isnull=True, then=Value(False)), default=F("repeated")),
            tier=_own("customer__tier_id"),
            sl_seconds=_threshold(),
            derived_at=F("updated_at"),
        )
    return count


def analyze_contacts() -> None:
    """Planner statistics after a bulk load (PostgreSQL; autovacuum may be off or late):
    the contacts and their KPI rollups."""
    from yuqi.interactions.models import ContactAgentDay, ContactDayRollup, ContactRollup

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Interaction, ContactRollup, ContactDayRollup, ContactAgentDay):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _zone_literal() -> str:
    name = str(timezone.get_default_timezone())
    if not re.fullmatch(r"[A-Za-z0-9_/+\-]+", name):
        raise ValueError(f"unexpected time zone name {name!r}")
    return f"'{name}'"


def derived_on_insert() -> tuple[dict[str, str], str, str]:
    """The derived columns of a contact as SQL over a staged row ``s`` (PostgreSQL), for a
    bulk insert to set them as it writes (``yuqi.interactions.importing``): (expressions by
    field, joins, the statement queueing the written rows' days).

    Only for contacts without a customer, whose derivation needs no other contact (their
    ``repeated`` is false) and no tier: the same values :func:`contacts_derive` would set,
    computed the same way, with ``derived_at`` the row's ``updated_at`` so they are not
    pending. A contact with a customer is left pending, as are updated rows (an update keeps
    the stored derived columns, older than the row): :func:`contacts_derive` handles those,
    with the day they were counted in before. The days queued come from ``written`` (a CTE
    returning ``inserted`` and ``day``)."""
    zone = _zone_literal()
    local = f"(s.{_q('arrived_at')} AT TIME ZONE {zone})"
    plain = f"s.{_q('customer_id')} IS NULL"
    queue_table = _q(Queue._meta.db_table)
    columns = {
        "local_day": f"CASE WHEN {plain} THEN {local}::date END",
        "local_minute": (
            f"CASE WHEN {plain} THEN (EXTRACT(HOUR FROM {local}) * 60 "
            f"+ EXTRACT(MINUTE FROM {local}))::smallint END"
        ),
        "repeated": f"CASE WHEN {plain} THEN false END",
        "tier_id": "NULL::integer",
        "sl_seconds": (
            f"CASE WHEN {plain} THEN COALESCE(derived_queue.{_q('sl_seconds')}, "
            f"{int(DEFAULT_SL_SECONDS)}) END"
        ),
        "derived_at": f"CASE WHEN {plain} THEN s.{_q('updated_at')} END",
    }
    joins = f"LEFT JOIN {queue_table} AS derived_queue ON derived_queue.id = s.{_q('queue_id')}"
    days = _q(RollupDay._meta.db_table)
    queue_days = (
        f"INSERT INTO {days} ({_q('day')}) SELECT DISTINCT day FROM written "
        "WHERE inserted AND day IS NOT NULL ON CONFLICT DO NOTHING"
    )
    return columns, joins, queue_days


def _q(name: str) -> str:
    return connection.ops.quote_name(name)

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
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
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


def _touched_days(local_day: Any) -> set:
    """The local days of the pending contacts: the day they were counted in (if derived
    before) and the day they arrived now (``local_day``: its expression)."""
    # order_by(): the model's ordering would add ``arrived_at`` to the DISTINCT (a row per
    # contact instead of one per day)
    old = set(
        pending()
        .filter(local_day__isnull=False)
        .order_by()
        .values_list("local_day", flat=True)
        .distinct()
    )
    new = set(pending().annotate(d=local_day).order_by().values_list("d", flat=True).distinct())
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


def seconds_local_parts(
    start: datetime, first: int, last: int
) -> Callable[[int], tuple[date, int]] | None:
    """For whole seconds ``n`` from ``first`` to ``last`` after the aware ``start`` (the
    instant ``start + timedelta(seconds=n)``, wall-clock arithmetic as ``+`` on an aware
    datetime): the local day and minute of the day in the site's zone, the values
    :func:`contacts_derive` sets for a contact arriving then (a writer that knows its contacts'
    times as seconds stores them derived). None when ``start``'s zone or the site's does not
    keep one offset over those instants (the contacts are then left to be derived)."""
    tz = timezone.get_default_timezone()
    if start.tzinfo is None or last < first:
        return None
    a, b = start + timedelta(seconds=first), start + timedelta(seconds=last)
    own, local = _fixed_offset(start.tzinfo, a, b), _fixed_offset(tz, a, b)
    if own is None or local is None:
        return None
    naive = start.replace(tzinfo=None)
    epoch = date(1970, 1, 1)
    # the instant of ``n``, in seconds since the epoch, shifted into the site's zone
    base = (
        (naive.date() - epoch).days * 86400
        + naive.hour * 3600
        + naive.minute * 60
        + naive.second
        - int(own.total_seconds())
        + int(local.total_seconds())
    )
    days: dict[int, date] = {}

    def parts(n: int) -> tuple[date, int]:
        v = base + n
        d = v // 86400
        try:
            day = days[d]
        except KeyError:
            day = days[d] = epoch + timedelta(days=d)
        return day, (v - d * 86400) // 60

    return parts


def _local_parts(tz: tzinfo) -> tuple[Any, Any]:
    """The local day and the local minute of the day of ``arrived_at``, as SQL expressions.

    Django's zone-aware ``TruncDate`` and ``Extract*`` run as Python functions per row on
    SQLite (parse the text, convert the zone: most of a million-contact derivation). When the
    zone keeps one offset over the pending contacts, SQLite's own date arithmetic gives the
    same values: the day of the instant shifted by the offset, and the shifted epoch seconds
    modulo a day."""
    return local_parts_sql(pending(), "arrived_at", tz)


def local_parts_sql(contacts: QuerySet[Interaction], name: str, tz: tzinfo) -> tuple[Any, Any]:
    """The local day and the local minute of the day of the datetime field ``name`` of
    ``contacts``, as SQL expressions: SQLite's own date arithmetic when the zone keeps one
    offset over the field's values in ``contacts`` (one ``MIN``/``MAX`` read), else Django's
    zone-aware functions (Python per row on SQLite)."""
    if connection.vendor == "sqlite":
        span = contacts.aggregate(first=Min(name), last=Max(name))
        offset = None
        if span["first"] is not None:
            offset = _fixed_offset(tz, span["first"], span["last"])
        if offset is not None:
            seconds = int(offset.total_seconds())
            # whole seconds: SQLite's date functions round a fraction to milliseconds, which
            # would carry 23:59:59.9999 into the next day
            stamp = Substr(F(name), 1, 19)
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
        TruncDate(name, tzinfo=tz),
        ExtractHour(name, tzinfo=tz) * Value(60) + ExtractMinute(name, tzinfo=tz),
    )


def contacts_derive() -> int:
    """Set the derived columns of every pending contact; returns how many were pending."""
    if not pending().exists():
        return 0
    tz = timezone.get_default_timezone()
    with transaction.atomic():
        local_day, local_minute = _local_parts(tz)
        mark_days(_touched_days(local_day))
        _repeat_refresh_derived()
        count = _derive_pending(local_day, local_minute)
    return count


def _pending_sql(alias: str) -> str:
    derived_at, updated_at = _q("derived_at"), _q("updated_at")
    return f"({alias}.{derived_at} IS NULL OR {alias}.{derived_at} < {alias}.{updated_at})"


def _repeats_sql() -> tuple[str, list[Any]]:
    """``(id, repeat)`` of every contact of the customers with a pending contact, as one
    window over each customer's contacts on a category (the earliest later inbound contact,
    ties excluded: ``GROUPS`` from the next peer group), not a correlated ``EXISTS`` per
    contact: the same flag (``tests/interactions/test_repeat.py`` compares it with one)."""
    table = _q(Interaction._meta.db_table)
    arrived, customer = _q("arrived_at"), _q("customer_id")
    window = (
        f"MIN(CASE WHEN r.{_q('direction')} = %s THEN r.{arrived} END) OVER ("
        f"PARTITION BY r.{customer}, r.{_q('category')} ORDER BY r.{arrived} "
        "GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)"
    )
    sql = (
        f"SELECT w.id AS r_id, COALESCE(w.next_in <= {_window_end_sql('w.arrived_at')}, FALSE) "
        f"AS r_repeat FROM (SELECT r.id, r.{arrived} AS arrived_at, {window} AS next_in "
        f"FROM {table} r WHERE r.{customer} IN (SELECT p.{customer} FROM {table} p "
        f"WHERE {_pending_sql('p')} AND p.{customer} IS NOT NULL)) w"
    )
    return sql, [Direction.INBOUND.value]


def _window_end_sql(column: str) -> str:
    """``column`` (an ``arrived_at``) plus ``DEFAULT_REPEAT_DAYS``: the text
     Django's ``django_format_dtdelta`` gives on SQLite, an interval on PostgreSQL.

    On SQLite Django adds a ``timedelta`` with a Python function per row. SQLite stores the
    instant as UTC text, ``YYYY-MM-DD HH:MM:SS`` and an optional ``.ffffff``; ``datetime()``
    shifts the whole seconds (UTC has no summer-time jump) and the fraction is appended as
    stored (``tests/interactions/test_local_parts.py`` compares the two)."""
    seconds = int(timedelta(days=DEFAULT_REPEAT_DAYS).total_seconds())
    if connection.vendor == "sqlite":
        return f"(datetime(substr({column}, 1, 19), '+{seconds} seconds') || substr({column}, 20))"
    return f"({column} + interval '{seconds} seconds')"


def _repeat_refresh_derived() -> None:
    """Refresh ``repeated`` on the contacts already derived of the customers with a pending
    contact (a new contact can make an older one a repeat); the pending ones get theirs in
    :func:`_derive_pending`. Nothing to do, and no window computed, when every contact of
    those customers is pending (a first load, a demo build)."""
    if pending().count() == Interaction.objects.count():  # both counted from an index
        return
    customers = pending().filter(customer__isnull=False).values("customer_id")
    derived = Interaction.objects.filter(customer_id__in=customers).exclude(
        Q(derived_at__isnull=True) | Q(derived_at__lt=F("updated_at"))
    )
    if not derived.exists():
        return
    table = _q(Interaction._meta.db_table)
    repeats, params = _repeats_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {_q('repeated')} = x.r_repeat FROM ({repeats}) x "
            f"WHERE {table}.id = x.r_id AND NOT {_pending_sql(table)}",
            params,
        )


def _derive_pending(local_day: Any, local_minute: Any) -> int:
    """Set every derived column of the pending contacts in one ``UPDATE … FROM``: the local
    day and minute, the repeat flag (from :func:`_repeats_sql`), the customer's tier and the
    threshold through joins (not a correlated look-up per column and contact)."""
    columns = (
        pending()
        .annotate(
            d_id=F("id"),
            d_day=local_day,
            d_minute=local_minute,
            d_customer=F("customer_id"),
            d_tier=F("customer__tier_id"),
            d_sl=Coalesce(
                F("customer__tier__sl_seconds"),
                F("queue__sl_seconds"),
                Value(DEFAULT_SL_SECONDS),
                output_field=IntegerField(),
            ),
        )
        .values("d_id", "d_day", "d_minute", "d_customer", "d_tier", "d_sl")
        .order_by()
    )
    columns_sql, columns_params = columns.query.sql_with_params()
    repeats, repeat_params = _repeats_sql()
    table = _q(Interaction._meta.db_table)
    sets = ", ".join(
        [
            f"{_q('local_day')} = x.d_day",
            f"{_q('local_minute')} = x.d_minute",
            f"{_q('repeated')} = CASE WHEN x.d_customer IS NULL THEN FALSE "
            "ELSE COALESCE(r.r_repeat, FALSE) END",
            f"{_q('tier_id')} = x.d_tier",
            f"{_q('sl_seconds')} = x.d_sl",
            f"{_q('derived_at')} = {table}.{_q('updated_at')}",
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} FROM ({columns_sql}) x "
            f"LEFT JOIN ({repeats}) r ON r.r_id = x.d_id WHERE {table}.id = x.d_id",
            [*columns_params, *repeat_params],
        )
        return cursor.rowcount


def analyze_contacts() -> None:
    """Planner statistics after a bulk load (PostgreSQL; autovacuum may be off or late):
    the contacts and their KPI rollups."""
    from yuqi.interactions.models import (
        ContactAgentDay,
        ContactAgentSlot,
        ContactDayRollup,
        ContactRollup,
    )

    models = (Interaction, ContactRollup, ContactDayRollup, ContactAgentDay, ContactAgentSlot)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
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

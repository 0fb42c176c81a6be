"""KPI rollups: the additive KPI sums of the offered contacts per local day × 15-minute slot ×
queue × channel × customer tier (``ContactRollup``), so KPI pages read a few thousand rows
instead of every contact in the range.

Kept current incrementally. Every derivation (``yuqi.interactions.derived``) queues the local
days it touched, the day a contact was counted in before and the day it arrived now, in
``RollupDay``; so does deleting a contact. That queue is the watermark: it holds exactly the
days written or derived since the last refresh, including the old day of a contact moved to
another day, which a timestamp watermark could not give. :func:`rollups_refresh` (the
worker's ``interactions-rollups`` job every minute, the end of an interaction import, the end
of the demo build) derives what is pending, then rebuilds each queued day and the
``DEFAULT_REPEAT_DAYS`` + 1 days before it (a new or moved contact changes the derived-FCR
repeat flag of the same customer's earlier contacts) with one ``DELETE`` and one
``INSERT … SELECT … GROUP BY`` per batch of days. :func:`rollups_rebuild` rebuilds a range
of days, or everything, on demand (``yuqi kpi-rollups``).

Two tables follow the slot rows, rebuilt for the same days in the same transaction:
``ContactDayRollup`` (the slot rows summed per day, for tables not grouped by interval) and
``ContactAgentDay`` (the agents who handled each day's contacts per queue and channel, for
occupancy on a filtered table); and ``ContactAgentSlot`` (the agents who answered each
day's contacts per queue and local day × 15-minute slot of the answer, for the staffing
plan's agents who worked).

The rollups answer the default short-abandon threshold and repeat window only; the KPI
selectors fall back to the contacts for anything else (another window, a team or agent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.db.models import (
    Count,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, ExtractHour, ExtractMinute, TruncDate
from django.utils import timezone

from yuqi.core.clock import now
from yuqi.core.data_version import new_version_token
from yuqi.domain.kpi import DEFAULT_REPEAT_DAYS, DEFAULT_SHORT_ABANDON_SECONDS
from yuqi.interactions.choices import Direction
from yuqi.interactions.derived import contacts_derive, local_parts_sql
from yuqi.interactions.models import (
    ContactAgentDay,
    ContactAgentSlot,
    ContactDayRollup,
    ContactRollup,
    Interaction,
    RollupDay,
    RollupState,
)

SLOT_MINUTES = 15
#: Days before a changed day whose repeat flags the change may have flipped (the window,
#: plus one for a window that starts on the previous local day).
REPEAT_REACH = DEFAULT_REPEAT_DAYS + 1
_DAYS_PER_STATEMENT = 200
_LOCK = 7_351_001  # PostgreSQL advisory lock: one refresh at a time


@dataclass(frozen=True)
class RollupResult:
    days: int  # local days rebuilt
    rows: int  # rollup rows written
    full: bool  # every day was rebuilt


def offered_contacts() -> QuerySet[Interaction]:
    """The contacts the KPIs count: inbound and queued."""
    return Interaction.objects.filter(direction=Direction.INBOUND, queue__isnull=False)


def rollup_sums() -> dict[str, object]:
    """The rollup's sums as aggregates over derived contacts, by column name. The raw KPI
    path counts with the same conditions (``yuqi.operations.kpi.selectors``)."""
    is_answered = Q(answered_at__isnull=False, abandoned=False)
    candidate = is_answered & Q(customer__isnull=False) & ~Q(category="")
    return {
        "offered": Count("pk"),
        "answered": Count("pk", filter=is_answered),
        "abandoned": Count("pk", filter=Q(abandoned=True)),
        "short_abandoned": Count(
            "pk", filter=Q(abandoned=True, wait_seconds__lt=DEFAULT_SHORT_ABANDON_SECONDS)
        ),
        "answered_within": Count("pk", filter=is_answered & Q(wait_seconds__lte=F("sl_seconds"))),
        "answered_wait_seconds": Sum("wait_seconds", filter=is_answered, default=0),
        "longest_wait_seconds": Max("wait_seconds"),
        "talk_seconds": Sum("talk_seconds", filter=is_answered, default=0),
        "wrap_seconds": Sum("wrap_seconds", filter=is_answered, default=0),
        "hold_seconds": Sum("hold_seconds", filter=is_answered, default=0),
        "transferred": Count("pk", filter=is_answered & Q(transferred=True)),
        "fcr_flagged": Count("pk", filter=Q(first_contact_resolved__isnull=False)),
        "fcr_resolved": Count("pk", filter=Q(first_contact_resolved=True)),
        "repeat_candidates": Count("pk", filter=candidate),
        "repeated": Count("pk", filter=candidate & Q(repeated=True)),
    }


def _insert(contacts: QuerySet[Interaction]) -> int:
    """``INSERT INTO rollup SELECT <sums> FROM contacts GROUP BY <keys>``; rows written."""
    grouped = (
        contacts.annotate(r_slot=F("local_minute") / Value(SLOT_MINUTES))
        .values("local_day", "queue_id", "channel", "tier_id", "r_slot")
        # Aliases must not shadow the contact's fields (``abandoned``) in later filters.
        .annotate(**{f"n_{name}": sum_ for name, sum_ in rollup_sums().items()})
        .order_by()
    )
    # Django selects the plain fields in ``values()`` order, then the annotations.
    names = [*grouped.query.values_select, *grouped.query.annotation_select]
    columns = {"local_day": "day", "r_slot": "slot"}
    target = [columns.get(name, name.removeprefix("n_")) for name in names]
    sql, params = grouped.query.sql_with_params()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(ContactRollup._meta.db_table)} "
            f"({', '.join(quote(c) for c in target)}) {sql}",
            params,
        )
        return max(cursor.rowcount, 0)


def _insert_select(
    model: type[models.Model], grouped: QuerySet[Any], columns: dict[str, str]
) -> None:
    """``INSERT INTO model (<columns>) <grouped>``: ``grouped`` is a ``values()`` query whose
    selected names map to the model's columns through ``columns`` (else the same name)."""
    names = [*grouped.query.values_select, *grouped.query.annotation_select]
    target = [columns.get(name, name) for name in names]
    sql, params = grouped.query.sql_with_params()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(c) for c in target)}) {sql}",
            params,
        )


def _insert_companions(slots: QuerySet[ContactRollup], contacts: QuerySet[Interaction]) -> None:
    """The day rows summed from the just written slot rows ``slots``, and the agents of
    ``contacts`` per day, queue and channel."""
    sums: dict[str, Sum | Max] = {
        f"n_{name}": Sum(name) for name in rollup_sums() if name != "longest_wait_seconds"
    }
    sums["n_longest_wait_seconds"] = Max("longest_wait_seconds")
    days = slots.values("day", "queue_id", "channel", "tier_id").annotate(**sums).order_by()
    _insert_select(ContactDayRollup, days, {name: name[2:] for name in sums})
    agents = (
        contacts.filter(agent__isnull=False)
        .values("local_day", "queue_id", "channel", "agent_id")
        .distinct()
        .order_by()
    )
    _insert_select(ContactAgentDay, agents, {"local_day": "day"})
    _insert_answering_agents(contacts)


def answered_slot(field_name: str, tz: Any) -> Any:
    """(local hour × 60 + local minute) ÷ 15 of ``field_name``, in the database."""
    minutes = Cast(ExtractHour(field_name, tzinfo=tz), IntegerField()) * Value(60) + Cast(
        ExtractMinute(field_name, tzinfo=tz), IntegerField()
    )
    return Cast(minutes, IntegerField()) / Value(SLOT_MINUTES)


def _answered(contacts: QuerySet[Interaction]) -> QuerySet[Interaction]:
    """The ``contacts`` answered by an agent and not abandoned."""
    return contacts.filter(answered_at__isnull=False, abandoned=False, agent__isnull=False)


def answered_agents(contacts: QuerySet[Interaction]) -> QuerySet[Any]:
    """The distinct (arrival day, queue, agent, local day and 15-minute slot of the answer)
    of the answered ``contacts`` (answered, not abandoned, by an agent), in the site's time
    zone, as the staffing plan counts the agents who worked (``staffing_history``)."""
    tz = timezone.get_default_timezone()
    answered = _answered(contacts)
    if connection.vendor == "sqlite":
        # SQLite's own date arithmetic where the zone keeps one offset, not Django's Python
        # functions for each answered contact (three per row)
        day, minute = local_parts_sql(answered, "answered_at", tz)
        slot = Cast(minute, IntegerField()) / Value(SLOT_MINUTES)
    else:
        day, slot = TruncDate("answered_at", tzinfo=tz), answered_slot("answered_at", tz)
    return (
        answered.annotate(answered_day=day, answered_slot=slot)
        .values("local_day", "queue_id", "agent_id", "answered_day", "answered_slot")
        .distinct()
        .order_by()
    )


class _LocalQuarter(Func):
    """PostgreSQL: the local 15-minute bin of a ``timestamptz`` column in a named zone, as a
    local timestamp (``date_bin`` from a midnight, so the bins are the local quarter hours)."""

    arg_joiner = " AT TIME ZONE "
    template = f"date_bin('{SLOT_MINUTES} minutes', %(expressions)s, TIMESTAMP '2001-01-01')"
    output_field = DateTimeField()


def _insert_answering_agents(contacts: QuerySet[Interaction]) -> None:
    """The ``ContactAgentSlot`` rows of ``contacts``: :func:`answered_agents`. On PostgreSQL
    the answer's local time is worked out once per contact, as its 15-minute bin, and the
    distinct bins give the day and slot: :func:`answered_agents` names the zone conversion
    three times per contact and extracts the hour and minute as ``numeric``, and on a
    million contacts that was a third of the statement (the test compares the two)."""
    if connection.vendor != "postgresql":
        _insert_select(ContactAgentSlot, answered_agents(contacts), {"local_day": "day"})
        return
    zone = timezone.get_default_timezone_name()
    binned = (
        _answered(contacts)
        .annotate(r_bin=_LocalQuarter(F("answered_at"), Value(zone)))
        .values("local_day", "queue_id", "agent_id", "r_bin")
        .distinct()
        .order_by()
    )
    sql, params = binned.query.sql_with_params()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(ContactAgentSlot._meta.db_table)} "
            "(day, queue_id, agent_id, answered_day, answered_slot) "
            "SELECT b.local_day, b.queue_id, b.agent_id, b.r_bin::date, "
            f"(date_part('hour', b.r_bin)::int * 60 + date_part('minute', b.r_bin)::int) "
            f"/ {SLOT_MINUTES} FROM ({sql}) AS b",
            params,
        )


def _delete_days(**within: object) -> None:
    """Delete the rollup rows of the days ``within`` (``day__in=…`` or a range), or all."""
    for model in (ContactRollup, ContactDayRollup, ContactAgentDay, ContactAgentSlot):
        model.objects.filter(**within).delete()


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])


def _mark_fresh(at: datetime, *, changed: bool) -> None:
    """The rollups are current as of ``at``; ``changed``: rows were rewritten, so the read
    version moves on too (a refresh that found no day queued keeps it)."""
    defaults: dict[str, object] = {"refreshed_at": at}
    if changed:
        defaults["version"] = new_version_token()
    RollupState.objects.update_or_create(pk=1, defaults=defaults)


def bump_read_version() -> None:
    """Move the read version on (a rebuilt range, an agent written): a KPI table cached under
    the old one is read by nobody once this commits."""
    RollupState.objects.filter(pk=1).update(version=new_version_token())


def _rebuild_days(days: Iterable[date]) -> int:
    ordered = sorted(set(days))
    written = 0
    for start in range(0, len(ordered), _DAYS_PER_STATEMENT):
        chunk = ordered[start : start + _DAYS_PER_STATEMENT]
        _delete_days(day__in=chunk)
        contacts = offered_contacts().filter(local_day__in=chunk)
        written += _insert(contacts)
        _insert_companions(ContactRollup.objects.filter(day__in=chunk), contacts)
    return written


def _rebuild_all() -> RollupResult:
    _delete_days()
    RollupDay.objects.all().delete()
    contacts = offered_contacts().filter(local_day__isnull=False)
    rows = _insert(contacts)
    _insert_companions(ContactRollup.objects.all(), contacts)
    days = ContactRollup.objects.values("day").distinct().count()
    return RollupResult(days=days, rows=rows, full=True)


def rollups_refresh() -> RollupResult:
    """Derive what is pending, then rebuild the queued days (and the days before them that
    their repeats reach); the first refresh builds every day."""
    contacts_derive()
    started = now()
    with transaction.atomic():
        _lock()
        if not RollupState.objects.exists():
            result = _rebuild_all()
        else:
            queued = list(RollupDay.objects.values_list("day", flat=True))
            RollupDay.objects.filter(day__in=queued).delete()
            days = {d - timedelta(days=back) for d in queued for back in range(REPEAT_REACH + 1)}
            result = RollupResult(days=len(days), rows=_rebuild_days(days), full=False)
        _mark_fresh(started, changed=result.full or bool(result.days))
    return result


def rollups_rebuild(date_from: date | None = None, date_to: date | None = None) -> RollupResult:
    """Rebuild the rollups of the local days from ``date_from`` to ``date_to`` (both
    included), or of every day without a range. A range keeps the days queued for the next
    refresh (a change inside it may reach days before it)."""
    contacts_derive()
    started = now()
    with transaction.atomic():
        _lock()
        if date_from is None and date_to is None:
            result = _rebuild_all()
            _mark_fresh(started, changed=True)
            return result
        within: dict[str, date] = {}
        contacts = offered_contacts()
        if date_from is not None:
            within["day__gte"] = date_from
            contacts = contacts.filter(local_day__gte=date_from)
        if date_to is not None:
            within["day__lte"] = date_to
            contacts = contacts.filter(local_day__lte=date_to)
        _delete_days(**within)
        contacts = contacts.filter(local_day__isnull=False)
        rows = _insert(contacts)
        _insert_companions(ContactRollup.objects.filter(**within), contacts)
        found = contacts.values("local_day").distinct().count()
        bump_read_version()
    return RollupResult(days=found, rows=rows, full=False)


def rollup_state() -> tuple[datetime, str] | None:
    """When the rollups were last brought up to date and their data version (moved by every
    write of them); ``None`` if never built."""
    row = RollupState.objects.values_list("refreshed_at", "version").first()
    return None if row is None else (row[0], row[1])


def rollup_as_of() -> datetime | None:
    """When the rollups were last brought up to date; ``None`` if never built."""
    return RollupState.objects.values_list("refreshed_at", flat=True).first()


def analyze_rollups() -> None:
    """Planner statistics for the contacts and the rollups after a bulk rebuild
    (PostgreSQL, whose autovacuum may be off or late)."""
    from yuqi.interactions.derived import analyze_contacts

    analyze_contacts()

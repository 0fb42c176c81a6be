"""Agent-time rollup: the available and busy time of each agent per local day × 15-minute
slot (``AgentTimeSlot``), so occupancy on the KPI pages sums a few thousand stored slots
instead of walking every agent-state row of the period in Python.

Kept current incrementally, as the KPI contact rollups (``yuqi.interactions.rollups``). Every
write of agent states queues the local days the old and the new row touch (a row spanning
midnight touches both days) in ``AgentTimeDay``: the state import, the admin, the demo
build. That queue is the watermark. :func:`agent_time_refresh` (the worker's
``workforce-agent-time`` job every minute, the end of an agent-state import, the demo build)
rebuilds each queued day with one ``DELETE`` and a bulk insert; the first refresh builds
every day. :func:`agent_time_rebuild` rebuilds a range of days, or everything, on demand
(``yuqi manage workforce_rollups``).

The slots are cut exactly as :func:`yuqi.workforce.measures.raw_agent_time` cuts the states
(clipped to the slot, bucketed by local time), and hold microseconds, so summing them into
15-, 30-, 60-minute or day buckets gives the raw path's figures. The reader
(:func:`rollup_agent_time`) answers only when the rollup is built, no day of the period is
queued, the bucket is whole slots and the period has one UTC offset (no daylight-saving
change); else the raw path answers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, F, Q, Sum, Value
from django.utils import timezone

from yuqi.core.bulk import insert_values
from yuqi.core.clock import now
from yuqi.core.measures import AgentTime
from yuqi.workforce import versions
from yuqi.workforce.models import AgentStateRow, AgentTimeDay, AgentTimeSlot, AgentTimeState

SLOT_MINUTES = 15
AVAILABLE = frozenset({"ready", "on_contact", "wrap"})
BUSY = frozenset({"on_contact", "wrap"})
_MICROSECOND = dt.timedelta(microseconds=1)
_BATCH = 5_000
_LOCK = 7_351_017  # PostgreSQL advisory lock: one agent-time refresh at a time


@dataclass(frozen=True)
class AgentTimeResult:
    days: int  # local days rebuilt
    rows: int  # slot rows written
    full: bool  # every day was rebuilt


# ------------------------------------------------------------------ cutting (shared with raw


def bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period's first local midnight and the midnight after its last day."""
    zone = timezone.get_default_timezone()
    begin = dt.datetime.combine(first, dt.time(), zone)
    return begin, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)


def bucket_start(moment: dt.datetime, minutes: int) -> dt.datetime:
    """The local start of the ``minutes`` bucket holding ``moment`` (a day from 1440)."""
    local = timezone.localtime(moment)
    if minutes >= 1440:
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    minute = (local.hour * 60 + local.minute) // minutes * minutes
    return local.replace(hour=minute // 60, minute=minute % 60, second=0, microsecond=0)


def available_rows(begin: dt.datetime, finish: dt.datetime) -> Any:
    """The available states (ready, on contact, wrap) overlapping ``[begin, finish)``."""
    return AgentStateRow.objects.filter(
        Q(start__lt=finish) & Q(end__gt=begin) & Q(state__in=sorted(AVAILABLE))
    )


def pieces(
    rows: Iterable[tuple[str, str, dt.datetime, dt.datetime]],
    begin: dt.datetime,
    finish: dt.datetime,
    bucket_minutes: int,
) -> Iterator[tuple[str, bool, dt.datetime, dt.timedelta]]:
    """``(agent, busy, bucket start, length)`` of each part of each state row clipped to
    ``[begin, finish)`` and cut at the local bucket edges."""
    step = dt.timedelta(minutes=min(bucket_minutes, 1440))
    for code, state, start, end in rows:
        cursor, end = max(start, begin), min(end, finish)
        busy = state in BUSY
        while cursor < end:
            bucket = bucket_start(cursor, bucket_minutes)
            stop = min(end, bucket + step)
            yield code, busy, bucket, stop - cursor
            cursor = stop


# ---------------------------------------------------------------------------- the to-do days


def days_touched(start: dt.datetime, end: dt.datetime) -> set[dt.date]:
    """The local days a state from ``start`` to ``end`` touches (both ends' days)."""
    first, last = timezone.localdate(start), timezone.localdate(end)
    return {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}


def mark_days(days: Iterable[dt.date]) -> None:
    """Queue ``days`` for the agent-time rollup's next refresh."""
    found = set(days)
    if found:
        AgentTimeDay.objects.bulk_create(
            [AgentTimeDay(day=d) for d in sorted(found)], ignore_conflicts=True
        )
        versions.bump()  # the states changed: a new data version for adherence


def mark_spans(spans: Iterable[tuple[dt.datetime, dt.datetime]]) -> None:
    """Queue the local days of the states (start, end) written, changed or deleted."""
    days: set[dt.date] = set()
    for start, end in spans:
        days |= days_touched(start, end)
    mark_days(days)


def mark_rows(rows: Any) -> None:
    """Queue the local days of the state rows of a queryset (before it is deleted)."""
    mark_spans(rows.values_list("start", "end").iterator(chunk_size=_BATCH))


# ------------------------------------------------------------------------------- building


def _runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) runs."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][1] + dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _build(first: dt.date, last: dt.date) -> int:
    """Replace the slots of the local days ``first``..``last``; rows written."""
    AgentTimeSlot.objects.filter(day__range=(first, last)).delete()
    begin, finish = bounds(first, last)
    rows = available_rows(begin, finish).values_list("agent_code", "state", "start", "end")
    sums: dict[tuple[str, dt.datetime], list[int]] = defaultdict(lambda: [0, 0])
    for code, busy, bucket, length in pieces(
        rows.iterator(chunk_size=_BATCH), begin, finish, SLOT_MINUTES
    ):
        micro = length // _MICROSECOND
        entry = sums[(code, bucket)]
        entry[0] += micro
        if busy:
            entry[1] += micro
    values = [
        {
            "agent_code": code,
            "day": bucket.date(),
            "slot": (bucket.hour * 60 + bucket.minute) // SLOT_MINUTES,
            "available_us": available,
            "busy_us": busy,
        }
        for (code, bucket), (available, busy) in sums.items()
    ]
    written = 0
    for start in range(0, len(values), _BATCH):
        written += insert_values(AgentTimeSlot, values[start : start + _BATCH])
    return written


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])


def _mark_fresh(at: dt.datetime) -> None:
    AgentTimeState.objects.update_or_create(pk=1, defaults={"refreshed_at": at})


def _rebuild_all() -> AgentTimeResult:
    AgentTimeSlot.objects.all().delete()
    AgentTimeDay.objects.all().delete()
    span = AgentStateRow.objects.filter(state__in=sorted(AVAILABLE)).order_by()
    first_start = span.order_by("start").values_list("start", flat=True).first()
    last_end = span.order_by("-end").values_list("end", flat=True).first()
    if first_start is None or last_end is None:
        return AgentTimeResult(days=0, rows=0, full=True)
    first, last = timezone.localdate(first_start), timezone.localdate(last_end)
    rows = _build(first, last)
    return AgentTimeResult(days=(last - first).days + 1, rows=rows, full=True)


def agent_time_refresh() -> AgentTimeResult:
    """Rebuild the queued days; the first refresh builds every day."""
    started = now()
    with transaction.atomic():
        _lock()
        if not AgentTimeState.objects.exists():
            result = _rebuild_all()
        else:
            queued = list(AgentTimeDay.objects.values_list("day", flat=True))
            AgentTimeDay.objects.filter(day__in=queued).delete()
            rows = sum(_build(first, last) for first, last in _runs(queued))
            result = AgentTimeResult(days=len(queued), rows=rows, full=False)
        _mark_fresh(started)
    return result


def agent_time_rebuild(
    date_from: dt.date | None = None, date_to: dt.date | None = None
) -> AgentTimeResult:
    """Rebuild the slots of the local days ``date_from``..``date_to`` (both included), or
    of every day without a range (which also empties the queue)."""
    started = now()
    with transaction.atomic():
        _lock()
        if date_from is None and date_to is None:
            result = _rebuild_all()
            _mark_fresh(started)
            return result
        first = (
            date_from or AgentTimeSlot.objects.order_by("day").values_list("day", flat=True).first()
        )
        last = (
            date_to or AgentTimeSlot.objects.order_by("-day").values_list("day", flat=True).first()
        )
        if first is None or last is None or last < first:
            return AgentTimeResult(days=0, rows=0, full=False)
        rows = _build(first, last)
        AgentTimeDay.objects.filter(day__range=(first, last)).delete()
    return AgentTimeResult(days=(last - first).days + 1, rows=rows, full=False)


def agent_time_as_of() -> dt.datetime | None:
    """When the rollup was last brought up to date; ``None`` if never built."""
    return AgentTimeState.objects.values_list("refreshed_at", flat=True).first()


def analyze_agent_time() -> None:
    """Planner statistics for the slots after a bulk rebuild (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(AgentTimeSlot._meta.db_table)}")


# -------------------------------------------------------------------------------- reading


def _one_offset(first: dt.date, last: dt.date) -> bool:
    """Whether the local zone keeps one UTC offset from ``first``'s midnight to the midnight
    after ``last`` (no daylight-saving change, where wall-clock buckets are uneven)."""
    zone = timezone.get_default_timezone()
    offset = dt.datetime.combine(first, dt.time(), zone).utcoffset()
    day = first
    while day <= last:
        day += dt.timedelta(days=1)
        if dt.datetime.combine(day, dt.time(), zone).utcoffset() != offset:
            return False
    return True


def answers(first: dt.date, last: dt.date, bucket_minutes: int) -> bool:
    """Whether the rollup gives the raw path's figures for this period and bucket."""
    whole = bucket_minutes >= 1440 or (
        bucket_minutes % SLOT_MINUTES == 0 and 1440 % bucket_minutes == 0
    )
    if not whole or timezone.get_current_timezone() != timezone.get_default_timezone():
        return False
    if not _one_offset(first, last):
        return False
    # One query: built, and no day of the period queued.
    pending = AgentTimeDay.objects.filter(day__range=(first, last))
    built = AgentTimeState.objects.filter(~Exists(pending))
    return built.exists()


def rollup_agent_time(
    first: dt.date, last: dt.date, bucket_minutes: int, agents: frozenset[str] | None
) -> dict[tuple[str, Any], AgentTime]:
    """The raw path's answer (``measures.raw_agent_time``) summed from the slots."""
    slots = AgentTimeSlot.objects.filter(day__range=(first, last))
    if agents is not None:
        slots = slots.filter(agent_code__in=sorted(agents))
    zone = timezone.get_default_timezone()
    found: dict[tuple[str, Any], AgentTime] = {}
    if bucket_minutes >= 1440:
        for code, day, available, busy in (
            slots.values("agent_code", "day")
            .annotate(a=Sum("available_us"), b=Sum("busy_us"))
            .order_by()
            .values_list("agent_code", "day", "a", "b")
        ):
            key = dt.datetime.combine(day, dt.time(), zone)
            found[(code, key)] = AgentTime(round(available / 1e6), round(busy / 1e6))
        return found
    per = bucket_minutes // SLOT_MINUTES
    grouped = (
        slots.annotate(bucket=F("slot") / Value(per))
        .values("agent_code", "day", "bucket")
        .annotate(a=Sum("available_us"), b=Sum("busy_us"))
        .order_by()
        .values_list("agent_code", "day", "bucket", "a", "b")
    )
    times = {
        index: dt.time((index * bucket_minutes) // 60, (index * bucket_minutes) % 60)
        for index in range(1440 // bucket_minutes)
    }
    for code, day, index, available, busy in grouped:
        key = dt.datetime.combine(day, times[index], zone)
        found[(code, key)] = AgentTime(round(available / 1e6), round(busy / 1e6))
    return found

"""The data version of what adherence reads, and the cached adherence report.

:func:`yuqi.workforce.services.adherence_report` walks every agent state of the period and
every published shift (1–2 s on a large centre) and is asked on each request of the
scorecard, the staffing page and the adherence page. The figure is not a sum of per-day parts
(the period's edges clip states, shifts run past midnight, scheduled time is clipped to now),
so it is cached whole, under a key of the period, the data version and, while some scheduled
activity of the period may still be running, the current minute. The pages ask this cache for
finished periods only: a period still running is stored and refreshed by the worker
(``yuqi.workforce.adherence_store``), so no request recomputes it when the minute turns.

The version is one row (``WorkforceVersion``) whose number goes up with every write of the
inputs, in the writer's transaction:

* instance saves and deletes of agent states, rosters, assignments, shift templates and
  rostered agents, by model signals (cascades included);
* the bulk paths that skip signals (the planner's ``bulk_create`` of assignments, the demo
  build's inserts, the agent-time rollup's day marks at every state write point) call
  :func:`bump` themselves;
* a writer of many rows wraps them in :func:`deferred`, which bumps once at its end instead
  of once per row.

A reader reads the version before the data, and a writer bumps after (or with) its writes,
so an entry is never stored under a version newer than the data it was computed from.

The pages that need only the total of all agents and how many agents there are (the
``roster_adherence`` and ``observed_shrinkage`` measures) read :func:`cached_summary`: that
summary, cached beside the report under the same period and version, instead of the whole
report (every agent's figures and every problem found).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from yuqi.core import versioned_cache
from yuqi.core.clock import now
from yuqi.core.compiled_reads import CompiledRead
from yuqi.workforce.models import (
    AgentStateRow,
    Roster,
    RosterAssignment,
    ShiftTemplate,
    WorkforceAgent,
    WorkforceVersion,
)

#: The models whose rows adherence reads.
INPUTS = (AgentStateRow, Roster, RosterAssignment, ShiftTemplate, WorkforceAgent)

_local = threading.local()


def bump() -> None:
    """Move the data version on (inside :func:`deferred`: once, at its end)."""
    if getattr(_local, "depth", 0):
        _local.dirty = True
        return
    if WorkforceVersion.objects.filter(pk=1).update(number=F("number") + 1):
        return
    try:
        with transaction.atomic():
            WorkforceVersion.objects.create(pk=1, number=1)
    except IntegrityError:  # made meanwhile by another writer
        WorkforceVersion.objects.filter(pk=1).update(number=F("number") + 1)


@contextmanager
def deferred() -> Iterator[None]:
    """Bump once when the block ends (if anything in it bumped), not once per row."""
    _local.depth = getattr(_local, "depth", 0) + 1
    if _local.depth == 1:
        _local.dirty = False
    try:
        yield
    finally:
        _local.depth -= 1
        if _local.depth == 0 and _local.dirty:
            _local.dirty = False
            bump()


#: The version row, read on every request of the pages that cache what they compute: built
#: and compiled once per process (``.first()``'s ORM build cost more than the query).
_VERSION_READ = CompiledRead(
    lambda: WorkforceVersion.objects.filter(pk=1).values_list("token", "number"),
    model=WorkforceVersion,
)


def current() -> str:
    """The data version (one query): ``token:number``, ``-`` before the first write."""
    rows = _VERSION_READ.rows()  # at most one row: the key is the filter
    return "-" if not rows else f"{rows[0][0]}:{rows[0][1]}"


def _on_write(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata: no version row is touched mid-fixture
        return
    bump()


def connect() -> None:
    """Bump on every instance save and delete of the inputs (``WorkforceConfig.ready``)."""
    for model in INPUTS:
        post_save.connect(_on_write, sender=model, dispatch_uid=f"wf-version-save-{model}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"wf-version-del-{model}")


def live_until(end: dt.date) -> dt.datetime:
    """No activity of a shift of a day up to ``end`` runs past this moment: a shift starts
    by 23:59 of its day and lasts at most a day (two hours' margin for a daylight-saving
    change)."""
    last = dt.datetime.combine(end + dt.timedelta(days=2), dt.time())
    return timezone.make_aware(last) + dt.timedelta(hours=2)


def _period_key(kind: str, start: dt.date, end: dt.date) -> str:
    """The cache key of the period's ``kind`` (without the version)."""
    # The shifts are placed in the current time zone (``services.shift_span``).
    zone = timezone.get_current_timezone_name()
    key = f"workforce:{kind}:{start.isoformat()}:{end.isoformat()}:{zone}"
    moment = now()
    if moment < live_until(end):  # scheduled time is clipped to now: the minute counts
        key += ":" + moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M")
    return key


def cached_report[T](start: dt.date, end: dt.date, compute: Callable[[], T]) -> T:
    """``compute()`` (the adherence report of ``start``..``end``) from the cache, or
    computed and stored."""
    return versioned_cache.cached_under(current(), _period_key("adherence", start, end), compute)


def cached_summary[S](start: dt.date, end: dt.date, summarise: Callable[[], S]) -> S:
    """``summarise()`` (the summary of the period's report, which ``summarise`` reads through
    :func:`cached_report`) from the cache, or computed and stored: beside the report, under
    the same period and version, so a reader of the summary unpickles a few numbers, not the
    whole report."""
    key = _period_key("adherence-summary", start, end)
    return versioned_cache.cached_under(current(), key, summarise)

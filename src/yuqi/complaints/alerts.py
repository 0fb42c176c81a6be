"""The SLA alert sweep: at-risk and breach alerts to the owner and their supervisors.

How it stays correct with several workers and restarts (ADR 0002, healthchecks' pattern):

* Candidates come from indexed columns only: clocks not stopped whose ``warn_at`` or
  ``due_at`` has passed and whose alert for that threshold was not sent
  (``alerted_at_risk_at`` / ``alerted_breach_at`` IS NULL), and whose deferral, if any
  (``next_alert_at``), has come.
* The alerts are **claimed** with one conditional ``UPDATE … WHERE alerted_breach_at IS NULL …
  RETURNING`` (on PostgreSQL the candidate rows are locked with ``FOR UPDATE SKIP LOCKED``, so a
  second worker skips what the first is claiming, and the outer conditions are checked again
  on the row it updates); only the run that claimed a row sends its alert. The messages,
  timeline events and audit rows are written in bulk in the same transaction, so if one fails
  everything rolls back and the next run tries again. Nothing lives in memory. A large sweep
  on PostgreSQL runs in two parts at once (disjoint tickets, a connection and a transaction
  each, see :func:`_sweep_parallel`): the same holds per part.
* The working-hours slot depends only on the ticket team's calendar and whether the level is
  a regulator appeal, so it is computed once per team, not per clock.
* The sweep trusts the clocks' stored ``due_at``/``warn_at``: they are recomputed whenever their
  inputs change (clock actions, a calendar change); the sweep only moves the state
  (``at_risk``/``breached``) of the clocks whose threshold passed, and the tickets' queue state.
* An alert is never sent outside the recipients' working hours (the ticket team's business
  calendar, plus :data:`QUIET_HOURS` for 24-hour calendars) unless the ticket's level is a
  regulator appeal, whose time limits run regardless. A held-back alert stores its slot in
  ``next_alert_at`` and stays unclaimed until then.
* A breach alert also counts as the at-risk alert (nobody needs "at risk" after "breached").

Recipients: the owner, and the supervisors of the ticket's team — active users with the
``supervisor`` role whose agent profile (``interactions.Agent.user``) is in that team; when the
ticket has no team or the team has no supervisor, every active supervisor. All recipients are
treated as working on the ticket team's calendar.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from yuqi.complaints import outbound
from yuqi.complaints.choices import ClockKind, ClockState, EventKind
from yuqi.complaints.models import Complaint, ComplaintEvent, ComplaintLevel, SlaClock
from yuqi.core.bulk import (
    audit_created,
    collector_paused,
    ids_condition,
    insert_objects,
    unsaved_many,
)
from yuqi.core.clock import now
from yuqi.domain.sla import QuietHours, alert_slot

log = logging.getLogger(__name__)

#: Local hours in which no non-regulator alert goes out even on a 24-hour calendar.
QUIET_HOURS = QuietHours(dt.time(22, 0), dt.time(7, 0))
SUPERVISOR_ROLE = "supervisor"
BREACH = "breach"
AT_RISK = "at_risk"


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did: clocks looked at, alerts sent, alerts held back to a later slot."""

    examined: int
    sent: int
    deferred: int


def due_alerts(at: dt.datetime):
    """Clocks with an unsent alert whose threshold has passed (indexed columns only)."""
    unsent = Q(alerted_breach_at__isnull=True, due_at__lte=at) | Q(
        alerted_at_risk_at__isnull=True, warn_at__lte=at
    )
    slot_come = Q(next_alert_at__isnull=True) | Q(next_alert_at__lte=at)
    return (
        SlaClock.objects.exclude(phase="stopped").filter(unsent, slot_come).order_by("due_at", "id")
    )


def supervisors_for(team_id: int | None) -> list[int]:
    """Supervisors of the team, else every supervisor (see the module docstring)."""
    users = get_user_model().objects.filter(is_active=True, groups__name=SUPERVISOR_ROLE)
    if team_id is not None:
        in_team = list(
            users.filter(agent_profile__team_id=team_id).values_list("pk", flat=True).distinct()
        )
        if in_team:
            return sorted(in_team)
    return sorted(set(users.values_list("pk", flat=True)))


def recipients_for(
    complaint: Complaint, supervisors: dict[int | None, list[int]] | None = None
) -> list[int]:
    """Owner first, then supervisors, without duplicates (``supervisors``: a per-sweep cache)."""
    cache = {} if supervisors is None else supervisors
    if complaint.team_id not in cache:
        cache[complaint.team_id] = supervisors_for(complaint.team_id)
    ids = [complaint.owner_id] if complaint.owner_id else []
    return ids + [pk for pk in cache[complaint.team_id] if pk not in ids]


def sla_alerts_sweep(*, at: dt.datetime | None = None, limit: int | None = None) -> SweepResult:
    """Send every due at-risk/breach alert once; safe to run twice or on two workers.
    ``limit`` caps the clocks handled in one run (the rest wait for the next run).

    Set-based (see the module docstring): the slots per team, one conditional UPDATE per
    deferral slot, one ``UPDATE … RETURNING`` claim, then messages, events and audit rows in
    bulk; delivery runs in batches after the commit. At least :data:`PARALLEL_FROM` due
    clocks without a ``limit``, on PostgreSQL outside a transaction: all that in parts at
    once, each on its own connection (:func:`_sweep_parallel`).
    """
    moment = at or now()
    # Nothing due (most runs): one indexed query. A count, not EXISTS: with LIMIT 1 the
    # planner prefers scanning the whole table for a first row that is not there.
    due = 0 if limit == 0 else due_alerts(moment).count()
    if not due:
        return SweepResult(examined=0, sent=0, deferred=0)
    with collector_paused():
        if limit is None and due >= PARALLEL_FROM and _parallel_possible():
            return _sweep_parallel(moment, PARALLEL_SHARDS)
        with outbound.cached_calendars(), transaction.atomic():
            return _sweep(moment, limit=limit, shard=None)


#: A sweep with at least this many due clocks runs in :data:`PARALLEL_SHARDS` parts at once
#: (PostgreSQL only; see :func:`_sweep_parallel`).
PARALLEL_FROM = 1000
PARALLEL_SHARDS = 2

#: (index, count): the clocks of the tickets whose id is ``index`` modulo ``count``.
Shard = tuple[int, int]


def _sweep(moment: dt.datetime, *, limit: int | None, shard: Shard | None) -> SweepResult:
    """The sweep's work in the current transaction: held-back alerts, the claim, the tickets'
    queue state, messages and events (of one shard's tickets, or of all)."""
    budget = limit
    sendable, held = _slots(moment)
    deferred: list[_Taken] = []
    for (send_at, reasons), teams in sorted(held.items(), key=lambda item: item[0][0]):
        rows = _take(
            moment, teams=teams, regulator=False, limit=budget, defer_to=send_at, shard=shard
        )
        _deferred_events(rows, send_at=send_at, reasons=list(reasons), moment=moment)
        deferred += rows
        budget = None if budget is None else max(budget - len(rows), 0)
    claimed = _take(
        moment, teams=sendable, regulator=True, limit=budget, defer_to=None, shard=shard
    )
    _summarise_tickets([*claimed, *deferred])
    _alert(claimed, moment)
    return SweepResult(
        examined=len(claimed) + len(deferred), sent=len(claimed), deferred=len(deferred)
    )


def _parallel_possible() -> bool:
    """Parts on connections of their own: only on PostgreSQL (SQLite has one writer at a
    time) and outside a transaction (another connection would not see its rows, and its
    rollback could not undo theirs)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _sweep_parallel(moment: dt.datetime, shards: int) -> SweepResult:
    """The sweep in ``shards`` parts at once, each a thread with its own connection and
    transaction, over the clocks of its own tickets (ticket id modulo ``shards``): while one
    part's database backend writes its rows, the other part's Python builds its own, so the
    Python and the database work of the sweep overlap (on one connection they alternate).

    Exactly once still: every part claims its rows with the same conditional ``UPDATE … FOR
    UPDATE SKIP LOCKED`` as the whole sweep, and the parts' tickets are disjoint (so they
    never wait on each other's rows either). Each part commits or rolls back on its own and
    delivers its messages after its own commit; a part that failed has claimed nothing
    (rolled back: the next run takes its alerts), and its error is raised once every part
    has finished, the others' work kept."""

    def part(index: int) -> SweepResult:
        with outbound.cached_calendars(), transaction.atomic():
            return _sweep(moment, limit=None, shard=(index, shards))

    def other_part(index: int) -> SweepResult:
        try:
            return part(index)
        finally:
            connection.close()  # this thread's own connection

    context = contextvars.copy_context()  # the active language, time zone, caches
    results: list[SweepResult] = []
    errors: list[BaseException] = []
    # The first part on this thread's connection (already open, its backend warm), the
    # others on new ones.
    with ThreadPoolExecutor(max_workers=shards - 1, thread_name_prefix="sla-sweep") as pool:
        others = [pool.submit(context.copy().run, other_part, i) for i in range(1, shards)]
        try:
            results.append(part(0))
        except Exception as exc:  # the other parts go on; raised below
            errors.append(exc)
    for future in others:
        error = future.exception()
        if error is None:
            results.append(future.result())
        else:
            errors.append(error)
    if errors:
        done = sum(result.sent for result in results)
        log.error(
            "SLA sweep: %s of %s parts failed and rolled back (%s alerts sent by the others)",
            len(errors),
            shards,
            done,
        )
        raise errors[0]
    return SweepResult(
        examined=sum(r.examined for r in results),
        sent=sum(r.sent for r in results),
        deferred=sum(r.deferred for r in results),
    )


@dataclass(frozen=True)
class _Taken:
    """A clock this run claimed (or held back): which ticket, which clock, which threshold,
    and what the alert says about the ticket."""

    clock_id: int
    complaint_id: int
    kind: str
    breach: bool
    due_at: dt.datetime | None
    number: str
    owner_id: int | None
    team_id: int | None
    level_code: str


def _aware(value: Any) -> dt.datetime | None:
    """A timestamp read back by raw SQL (SQLite gives text in UTC) as an aware datetime."""
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=dt.UTC)
    parsed = parse_datetime(str(value))
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


#: Ids per ``IN (…)`` list (well below SQLite's and PostgreSQL's parameter limits).
CHUNK = 900


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _slots(
    moment: dt.datetime,
) -> tuple[set[int | None] | None, dict[tuple[dt.datetime, tuple[str, ...]], set[int | None]]]:
    """Teams whose non-regulator alerts may go out now (None: every team), and the held-back
    teams by slot. A regulator appeal's alert is never held back (its time limits run
    regardless).

    The slot depends only on the team's calendar: when the default calendar and every
    calendar a team has of its own all allow sending now (inside working hours, the usual
    case), every team may send and no query for the due tickets' teams is needed."""
    if all(
        _slot(moment, team_id) is None for team_id in [None, *outbound.teams_with_own_calendar()]
    ):
        return None, {}
    teams = (
        due_alerts(moment)
        .filter(complaint__level__is_regulator=False)
        .order_by()
        .values_list("complaint__team_id", flat=True)
        .distinct()
    )
    sendable: set[int | None] = set()
    held: dict[tuple[dt.datetime, tuple[str, ...]], set[int | None]] = {}
    for team_id in teams:
        slot = _slot(moment, team_id)
        if slot is None:
            sendable.add(team_id)
        else:
            held.setdefault(slot, set()).add(team_id)
    return sendable, held


def _slot(moment: dt.datetime, team_id: int | None) -> tuple[dt.datetime, tuple[str, ...]] | None:
    """When and why the team's non-regulator alerts wait (None: they may go out now)."""
    slot = alert_slot(
        moment,
        calendar=outbound.calendar_for(team_id=team_id),
        quiet_hours=QUIET_HOURS,
        working_hours_only=True,
    )
    if slot.deferred and slot.send_at > moment:
        return slot.send_at, tuple(slot.reasons)
    return None


def _take(
    moment: dt.datetime,
    *,
    teams: set[int | None] | None,
    regulator: bool,
    limit: int | None,
    defer_to: dt.datetime | None,
    shard: Shard | None = None,
) -> list[_Taken]:
    """Claim (``defer_to`` None) or hold back the due alerts of these teams' non-regulator
    tickets (``teams`` None: of every ticket) and of every regulator appeal if ``regulator``,
    with one ``UPDATE … RETURNING``.
    The due conditions stand in the outer WHERE too, so a row another worker claimed first
    is not returned here (PostgreSQL checks them again on the row version it updates)."""
    if limit == 0 or not (teams is None or teams or regulator):
        return []
    ops = connection.ops
    at = ops.adapt_datetimefield_value(moment)
    clock_table = connection.ops.quote_name(SlaClock._meta.db_table)
    ticket_table = connection.ops.quote_name(Complaint._meta.db_table)
    level_table = connection.ops.quote_name(ComplaintLevel._meta.db_table)

    def due(p: str) -> tuple[str, list[Any]]:
        return (
            f"{p}phase <> 'stopped' AND (({p}alerted_breach_at IS NULL AND {p}due_at <= %s)"
            f" OR ({p}alerted_at_risk_at IS NULL AND {p}warn_at <= %s))"
            f" AND ({p}next_alert_at IS NULL OR {p}next_alert_at <= %s)",
            [at, at, at],
        )

    who, who_params = [], []
    if teams is None:
        who.append("1 = 1")  # every ticket (the regulator appeals among them)
    else:
        team_ids = sorted(t for t in teams if t is not None)
        if team_ids:
            marks = ", ".join(["%s"] * len(team_ids))
            who.append(f"(NOT l.is_regulator AND t.team_id IN ({marks}))")
            who_params += team_ids
        if None in teams:
            who.append("(NOT l.is_regulator AND t.team_id IS NULL)")
        if regulator:
            who.append("l.is_regulator")
    inner_due, inner_params = due("k.")
    order = ""
    if limit is not None:
        order = " ORDER BY k.due_at, k.id LIMIT %s"
    lock = ""
    if connection.features.has_select_for_update_skip_locked:
        lock = " FOR UPDATE OF k SKIP LOCKED"
    joins = (
        ""  # every ticket: the clocks alone say what is due
        if teams is None
        else f" JOIN {ticket_table} t ON t.id = k.complaint_id"
        f" JOIN {level_table} l ON l.id = t.level_id"
    )
    part, part_params = "", []
    if shard is not None:
        part = " AND k.complaint_id %% %s = %s"
        part_params = [shard[1], shard[0]]
    subquery = (
        f"SELECT k.id FROM {clock_table} k{joins}"
        f" WHERE {inner_due} AND ({' OR '.join(who)}){part}{order}{lock}"
    )
    sub_params = [
        *inner_params,
        *who_params,
        *part_params,
        *([limit] if limit is not None else []),
    ]
    breached, at_risk = str(ClockState.BREACHED), str(ClockState.AT_RISK)
    state = f"CASE WHEN due_at <= %s THEN '{breached}' ELSE '{at_risk}' END"
    if defer_to is None:
        sets = (
            "alerted_breach_at = CASE WHEN due_at <= %s THEN %s ELSE alerted_breach_at END,"
            " alerted_at_risk_at = COALESCE(alerted_at_risk_at, %s), next_alert_at = NULL,"
            f" state = {state}, computed_at = %s"
        )
        set_params = [at, at, at, at, at]
    else:
        sets = f"next_alert_at = %s, state = {state}, computed_at = %s"
        set_params = [ops.adapt_datetimefield_value(defer_to), at, at]
    outer_due, outer_params = due("")
    ticket = f"(SELECT {{}} FROM {ticket_table} t WHERE t.id = complaint_id)"
    level = (
        f"(SELECT l.code FROM {ticket_table} t JOIN {level_table} l ON l.id = t.level_id"
        " WHERE t.id = complaint_id)"
    )
    returning = (
        " RETURNING id, complaint_id, kind, CASE WHEN due_at <= %s THEN 1 ELSE 0 END, due_at,"
        f" {ticket.format('t.number')}, {ticket.format('t.owner_id')},"
        f" {ticket.format('t.team_id')}, {level}"
    )
    if limit is not None and lock:
        # The chosen rows once: PostgreSQL may run an ``IN (…)`` subquery again per row it
        # updates, and each run skips the rows this statement already locked and takes the
        # next ones instead, so ``LIMIT`` would not cap the claim.
        sql = (
            f"WITH chosen AS MATERIALIZED ({subquery}) UPDATE {clock_table} SET {sets}"
            f" WHERE id IN (SELECT id FROM chosen) AND {outer_due}{returning}"
        )
        params = [*sub_params, *set_params, *outer_params, at]
    else:
        sql = f"UPDATE {clock_table} SET {sets} WHERE id IN ({subquery}) AND {outer_due}{returning}"
        params = [*set_params, *sub_params, *outer_params, at]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    taken = [
        _Taken(
            clock_id=r[0],
            complaint_id=r[1],
            kind=r[2],
            breach=bool(r[3]),
            due_at=_aware(r[4]),
            number=r[5],
            owner_id=r[6],
            team_id=r[7],
            level_code=r[8],
        )
        for r in rows
    ]
    return sorted(taken, key=lambda item: item.clock_id)


def _summarise_tickets(taken: list[_Taken]) -> None:
    """The tickets' queue state follows their clocks at once (even when the alert waits):
    breached if any of this run's clocks is, else at risk unless already more urgent."""
    breach = sorted({t.complaint_id for t in taken if t.breach})
    risk = sorted({t.complaint_id for t in taken if not t.breach} - set(breach))
    table = connection.ops.quote_name(Complaint._meta.db_table)
    breached, at_risk = str(ClockState.BREACHED), str(ClockState.AT_RISK)
    whole = connection.vendor == "postgresql"  # one array parameter there
    with connection.cursor() as cursor:
        for ids, state, unless in (
            (breach, breached, [breached]),
            (risk, at_risk, [breached, at_risk]),
        ):
            for chunk in [ids] if whole and ids else _chunks(ids):
                chosen, params = ids_condition("id", chunk)
                marks = ", ".join(["%s"] * len(unless))
                cursor.execute(
                    f"UPDATE {table} SET sla_state = %s WHERE {chosen}"
                    f" AND sla_state NOT IN ({marks})",
                    [state, *params, *unless],
                )


def _deferred_events(
    rows: list[_Taken], *, send_at: dt.datetime, reasons: list[str], moment: dt.datetime
) -> None:
    """The timeline notes a held-back alert once per slot (only rows this run moved)."""
    kind = str(EventKind.SLA_ALERT_DEFERRED)
    _events(
        unsaved_many(
            ComplaintEvent,
            (
                {
                    "complaint_id": row.complaint_id,
                    "kind": kind,
                    "parameters": {
                        "clock": row.kind,
                        "threshold": BREACH if row.breach else AT_RISK,
                        "send_at": send_at.isoformat(),
                        "reasons": reasons,
                    },
                    "at": moment,
                }
                for row in rows
            ),
        ),
        moment,
    )


def _events(rows: list[ComplaintEvent], moment: dt.datetime) -> None:
    created = insert_objects(rows)
    audit_created(created, fields=("complaint_id", "kind", "parameters", "at"), at=moment)


def _alert(claimed: list[_Taken], moment: dt.datetime) -> None:
    """Messages to the owner and supervisors, and one timeline event per claimed alert."""
    if not claimed:
        return
    supervisors: dict[int | None, list[int]] = {}
    notices, rows = [], []
    event_kind = str(EventKind.SLA_ALERT)
    labels = {kind: ClockKind(kind).label for kind in {taken.kind for taken in claimed}}
    for taken in claimed:
        team_id, owner = taken.team_id, taken.owner_id
        if team_id not in supervisors:
            supervisors[team_id] = supervisors_for(team_id)
        recipients = ([owner] if owner else []) + [pk for pk in supervisors[team_id] if pk != owner]
        if recipients:
            notices.append(
                {
                    "user_ids": recipients,
                    "template": "sla_alert",
                    "context": {
                        "number": taken.number,
                        "state": "breached" if taken.breach else "at_risk",
                        "clock_label": labels[taken.kind],
                        "due": taken.due_at,
                        "level": taken.level_code,
                        "url": f"/complaints/{taken.complaint_id}/",
                    },
                    "subject": f"complaint:{taken.complaint_id}",
                    "varying": ("number", "due", "url"),
                }
            )
        rows.append(
            {
                "complaint_id": taken.complaint_id,
                "kind": event_kind,
                "parameters": {
                    "clock": taken.kind,
                    "threshold": BREACH if taken.breach else AT_RISK,
                    "recipients": recipients,
                },
                "at": moment,
            }
        )
    if notices:
        outbound.notify_users_many(notices)
    _events(unsaved_many(ComplaintEvent, rows), moment)

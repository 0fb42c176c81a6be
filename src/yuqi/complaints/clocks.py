"""SLA clock rows: start, pause, resume, stop, restart and recompute, on the pure
:mod:`yuqi.domain.sla` arithmetic. Called by the services inside their transactions.

A policy's target becomes a duration when the clock starts: hours directly; "N working days"
as the business time from the start to close of business on the N-th working day; "N calendar
days" as the real time to close of business on the N-th day (moved past rest days; Civil Code
art. 201/203, see :mod:`yuqi.domain.calendar`). Both are re-derived from ``started_at`` when the
calendar changes, so a newly entered holiday moves open deadlines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from yuqi.complaints import outbound
from yuqi.complaints.choices import (
    CLOCK_STATE_URGENCY,
    ClockPhase,
    ClockState,
    TargetUnit,
)
from yuqi.complaints.models import Complaint, ComplaintLevel, SlaClock, SlaPolicy
from yuqi.domain.calendar import BusinessCalendar, TimeBasis
from yuqi.domain.complaint_workflow import ClockAction, ClockMode, ClockOp, clock_mode
from yuqi.domain.sla import (
    ClockSegment,
    pause_clock,
    restart_clock,
    resume_clock,
    start_clock,
    stop_clock,
)

#: Used when a level has no policy for a clock kind (editable defaults come with migrations).
FALLBACK_TARGET = (TargetUnit.WORKING_DAYS, 3)


# ------------------------------------------------------------------ segments
def dump_segments(segments: Iterable[ClockSegment]) -> list[dict]:
    """Domain segments as JSON-ready dicts (ISO-8601 UTC times)."""
    return [
        {
            "start": seg.start.isoformat(),
            "end": seg.end.isoformat() if seg.end else None,
            "state": seg.state.value,
            "reason": seg.reason,
        }
        for seg in segments
    ]


# ------------------------------------------------------------------- targets
def policy_for(level: ComplaintLevel, kind: str, tier_code: str | None) -> SlaPolicy | None:
    """The tier's own policy for this level and clock, else the level's default one."""
    policies = SlaPolicy.objects.filter(level=level, clock_kind=kind, active=True)
    if tier_code:
        own = policies.filter(tier__code=tier_code).first()
        if own is not None:
            return own
    return policies.filter(tier__isnull=True).first()


def target_seconds(
    unit: str, amount: int, *, start: dt.datetime, calendar: BusinessCalendar
) -> tuple[int, TimeBasis]:
    """A policy target as (seconds, basis) for a clock started at ``start``."""
    unit = TargetUnit(unit)
    if unit is TargetUnit.BUSINESS_HOURS:
        return amount * 3600, TimeBasis.BUSINESS
    if unit is TargetUnit.CALENDAR_HOURS:
        return amount * 3600, TimeBasis.CALENDAR
    if unit is TargetUnit.WORKING_DAYS:
        due = calendar.add_business_days(start, amount)
        return int(calendar.business_time_between(start, due).total_seconds()), TimeBasis.BUSINESS
    due = calendar.add_calendar_days(start, amount)
    return int((due - start).total_seconds()), TimeBasis.CALENDAR


def clock_calendar(clock: SlaClock, team_id: int | None) -> BusinessCalendar:
    """The calendar a clock is counted on: its policy's named calendar, else the team's."""
    return outbound.calendar_for(team_id=team_id, name=clock.calendar_name or None)


# ------------------------------------------------------------------- changes
def clock_start(
    *, complaint: Complaint, kind: str, at: dt.datetime, reason: str, tier_code: str | None
) -> SlaClock:
    """Start a new clock of ``kind`` under the complaint's level policy (snapshotted)."""
    policy = policy_for(complaint.level, kind, tier_code)
    unit, amount = (
        (policy.target_unit, policy.target_amount) if policy is not None else FALLBACK_TARGET
    )
    clock = SlaClock(
        complaint=complaint,
        kind=kind,
        policy=policy,
        level_code=complaint.level.code,
        target_amount=amount,
        target_unit=unit,
        warn_fraction=policy.warn_fraction if policy is not None else Decimal("0.75"),
        calendar_name=policy.calendar_name if policy is not None else "",
        segments=dump_segments(start_clock(at, reason=reason)),
        started_at=at,
        phase=ClockPhase.RUNNING,
    )
    calendar = clock_calendar(clock, complaint.team_id)
    seconds, basis = target_seconds(unit, amount, start=at, calendar=calendar)
    clock.target_seconds, clock.basis = seconds, basis.value
    _derive(clock, calendar, at)
    clock.save()
    return clock


def open_clocks(complaint: Complaint) -> dict[str, SlaClock]:
    """The latest not-stopped clock per kind (locked by the caller's ticket lock)."""
    rows = complaint.clocks.exclude(phase=ClockPhase.STOPPED).order_by("started_at", "id")
    return {clock.kind: clock for clock in rows}


def apply_clock_actions(
    *,
    complaint: Complaint,
    actions: Iterable[ClockAction],
    at: dt.datetime,
    reason: str,
    tier_code: str | None,
) -> None:
    """Carry out a transition's clock effects (see ``complaint_workflow.clock_effects``)."""
    current = open_clocks(complaint)
    for action in actions:
        clock = current.get(action.kind)
        if action.op is ClockOp.START:
            if clock is not None:  # a stale open clock of this kind: close it first
                _change(clock, stop_clock(clock.clock_segments(), at), complaint, at)
            clock_start(
                complaint=complaint, kind=action.kind, at=at, reason=reason, tier_code=tier_code
            )
        elif clock is not None:
            segments = clock.clock_segments()
            if action.op is ClockOp.PAUSE:
                segments = pause_clock(segments, at, reason=reason)
            elif action.op is ClockOp.RESUME:
                segments = resume_clock(segments, at, reason=reason)
            else:
                segments = stop_clock(segments, at)
            _change(clock, segments, complaint, at)


def restart_open_clocks(
    *, complaint: Complaint, at: dt.datetime, reason: str, tier_code: str | None
) -> list[SlaClock]:
    """Stop every open clock and start a fresh one of the same kind under the complaint's
    (new) level policy; a clock that was paused (waiting state) is paused again at once."""
    started = []
    for kind, clock in open_clocks(complaint).items():
        restart = restart_clock(clock.clock_segments(), at, reason=reason)
        _change(clock, restart.previous, complaint, at)
        fresh = clock_start(
            complaint=complaint, kind=kind, at=at, reason=reason, tier_code=tier_code
        )
        if clock_mode(complaint.state, kind) is ClockMode.PAUSED:
            segments = pause_clock(fresh.clock_segments(), at, reason=complaint.state)
            _change(fresh, segments, complaint, at)
        started.append(fresh)
    return started


def _change(
    clock: SlaClock, segments: tuple[ClockSegment, ...], complaint: Complaint, at: dt.datetime
) -> None:
    clock.segments = dump_segments(segments)
    last = segments[-1]
    if last.end is not None:
        clock.stopped_at = last.end
    _derive(clock, clock_calendar(clock, complaint.team_id), at)
    clock.save()


# ----------------------------------------------------------------- recompute
def _derive(clock: SlaClock, calendar: BusinessCalendar, at: dt.datetime) -> None:
    """Set the stored columns (phase, due, warn, state, used, paused, assumed years)."""
    status = clock.status(at=at, calendar=calendar)
    clock.phase = status.phase.value
    clock.due_at = status.due_at
    clock.warn_at = status.warn_at
    if status.phase.value == ClockPhase.STOPPED:
        clock.state = ClockState.MISSED if status.breached else ClockState.MET
    else:
        clock.state = status.state.value
    clock.elapsed_seconds = max(int(status.elapsed.total_seconds()), 0)
    clock.paused_seconds = int(status.paused.total_seconds())
    clock.assumed_years = sorted(status.years_without_data)
    clock.computed_at = at
    clock.met_target_at = (
        met_target(
            calendar,
            stopped_at=clock.stopped_at,
            target_seconds=clock.target_seconds,
            elapsed_seconds=clock.elapsed_seconds,
            basis=clock.basis,
        )
        if clock.phase == ClockPhase.STOPPED
        and clock.state == ClockState.MET
        and clock.stopped_at is not None
        else None
    )


def met_target(
    calendar: BusinessCalendar,
    *,
    stopped_at: dt.datetime,
    target_seconds: int,
    elapsed_seconds: int,
    basis: str,
) -> dt.datetime:
    """A met clock's target as it stood when it stopped: the time it had left, added on its
    calendar from the stop (the SLA compliance's "due in the period", ``complaints.measures``)."""
    left = dt.timedelta(seconds=max(target_seconds - elapsed_seconds, 0))
    return calendar.add_time(stopped_at, left, TimeBasis(basis))


def fill_met_targets(batch_size: int = 2000) -> int:
    """Store ``met_target_at`` for met clocks stopped before the column existed (the upgrade
    across migration ``complaints.0007``), ``batch_size`` clocks a transaction, each target
    computed as :func:`_derive` computes it when a clock stops. Returns how many were filled;
    with none left it is one indexed look-up. Until a clock is filled the SLA compliance works
    its target out on read (``complaints.measures``), so the figures are the same either way."""
    from django.db import transaction

    unfilled = SlaClock.objects.filter(
        phase=ClockPhase.STOPPED,
        state=ClockState.MET,
        stopped_at__isnull=False,
        met_target_at__isnull=True,
    ).order_by("pk")
    fields = ("pk", "stopped_at", "target_seconds", "elapsed_seconds", "basis", "calendar_name")
    filled = 0
    with outbound.cached_calendars():
        while rows := list(unfilled.values_list(*fields, "complaint__team_id")[:batch_size]):
            changed = [
                SlaClock(
                    pk=pk,
                    met_target_at=met_target(
                        outbound.calendar_for(team_id=team_id, name=calendar_name or None),
                        stopped_at=stopped_at,
                        target_seconds=seconds,
                        elapsed_seconds=elapsed,
                        basis=basis,
                    ),
                )
                for pk, stopped_at, seconds, elapsed, basis, calendar_name, team_id in rows
            ]
            with transaction.atomic():
                SlaClock.objects.bulk_update(changed, ["met_target_at"])
            filled += len(changed)
    return filled


def clock_recompute(
    clock: SlaClock, *, team_id: int | None, at: dt.datetime, rederive_target: bool = False
) -> SlaClock:
    """Recompute one clock's stored columns at ``at``; with ``rederive_target`` the day-based
    target is derived again from the (changed) calendar first."""
    calendar = clock_calendar(clock, team_id)
    fields = [
        "phase",
        "due_at",
        "warn_at",
        "state",
        "elapsed_seconds",
        "paused_seconds",
        "assumed_years",
        "computed_at",
        "met_target_at",
    ]
    if rederive_target:
        seconds, basis = target_seconds(
            clock.target_unit, clock.target_amount, start=clock.started_at, calendar=calendar
        )
        clock.target_seconds, clock.basis = seconds, basis.value
        fields += ["target_seconds", "basis"]
    _derive(clock, calendar, at)
    clock.save(update_fields=fields)
    return clock


def summarise(complaint: Complaint) -> list[str]:
    """Refresh the ticket's work-queue columns from its clocks; returns the changed fields.

    ``sla_state`` is the most urgent live state of the open clocks (or, when none is open, of
    the clocks of the current cycle); ``next_due_at`` the earliest due time of running clocks.
    """
    clocks = list(complaint.clocks.all())
    live = [c for c in clocks if c.phase != ClockPhase.STOPPED]
    pool = live or clocks
    state = min((c.state for c in pool), key=lambda s: CLOCK_STATE_URGENCY[s], default="")
    dues = [c.due_at for c in live if c.phase == ClockPhase.RUNNING and c.due_at]
    next_due = min(dues, default=None)
    changed = []
    if complaint.sla_state != state:
        complaint.sla_state = state
        changed.append("sla_state")
    if complaint.next_due_at != next_due:
        complaint.next_due_at = next_due
        changed.append("next_due_at")
    return changed

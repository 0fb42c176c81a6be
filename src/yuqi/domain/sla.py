"""SLA clocks stored as running/paused segments, and when an alert may be sent.

Why segments: a clock that stores only "due at" cannot be recomputed when the calendar or the
policy changes, and loses the paused time (GLPI #15605); one that stores only "elapsed" cannot
show when it paused or why. A list of ``ClockSegment(start, end, state, reason)`` keeps the raw
facts; everything else here — elapsed time, remaining time, due time, warning time, breach —
is a pure function of (segments, target, calendar, now), so changing any of them and calling
:func:`clock_status` again gives the corrected answer.

Semantics (all chosen so a help-desk user is not surprised; see [anchor-systems-2026] §3.1):

* Only *running* segments count. A *paused* segment (waiting for the customer, waiting for
  another department) stops the clock; resuming continues with the time already used. Gaps
  between segments count as paused.
* The clock is **running** if its last segment is running and open (``end is None``),
  **paused** if that segment is paused and open, **stopped** otherwise (answered / resolved).
* A restart (e.g. a local complaint raised to an over-level complaint) is a *new* clock:
  :func:`restart_clock` stops the old one and starts another; the old segments stay as history.
* The **due time** is the instant the target is used up, computed with the calendar's
  ``add_time`` from the start of the running segment in which that happens. A target used up
  exactly at the end of a period is due at that end (12:00, not 13:30). A clock resumed with
  nothing left is due at the next open instant.
* **Breached** means the clock was still running after its due time. With business time this
  includes running through a lunch break after a 12:00 due time even though no more business
  time accrues then: the promise was "by 12:00". A clock paused or stopped exactly at its due
  time is not breached.
* **At risk** means ``warn_fraction`` of the target (default 75 %) has been used.
* A paused clock has no due time unless it was already breached; :func:`projected_due` tells
  what it would be if resumed at a given instant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from yuqi.domain.calendar import BusinessCalendar, CalendarError, TimeBasis

__all__ = [
    "AlertSlot",
    "ClockError",
    "ClockPhase",
    "ClockPlan",
    "ClockRestart",
    "ClockSegment",
    "ClockStatus",
    "QuietHours",
    "SegmentState",
    "SlaState",
    "SlaTarget",
    "alert_slot",
    "check_segments",
    "clock_status",
    "elapsed_time",
    "pause_clock",
    "paused_time",
    "plan_clock",
    "projected_due",
    "restart_clock",
    "resume_clock",
    "segments_as_of",
    "start_clock",
    "stop_clock",
]

UTC = dt.UTC
ZERO = dt.timedelta(0)
Segments = tuple["ClockSegment", ...]


class ClockError(ValueError):
    """An impossible clock: overlapping segments, pausing a paused clock, naive datetimes…"""


class SegmentState(StrEnum):
    """Whether time in a segment counts against the target."""

    RUNNING = "running"
    PAUSED = "paused"


class ClockPhase(StrEnum):
    """Where a clock is now: counting, waiting, or finished."""

    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


class SlaState(StrEnum):
    """The traffic light shown in the work queue."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"


@dataclass(frozen=True, slots=True)
class ClockSegment:
    """One stretch of a clock; ``end is None`` only for the last, still-open segment."""

    start: dt.datetime
    end: dt.datetime | None
    state: SegmentState
    reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _utc(self.start))
        object.__setattr__(self, "state", SegmentState(self.state))
        if self.end is not None:
            object.__setattr__(self, "end", _utc(self.end))
            if self.end < self.start:
                raise ClockError(f"segment ends before it starts: {self.start} → {self.end}")

    @property
    def is_open(self) -> bool:
        """True for the segment still in progress."""
        return self.end is None

    @property
    def is_running(self) -> bool:
        """True if time in this segment counts against the target."""
        return self.state is SegmentState.RUNNING


@dataclass(frozen=True, slots=True)
class SlaTarget:
    """A target from a policy: how long, counted in business or calendar time, and when to warn."""

    duration: dt.timedelta
    basis: TimeBasis = TimeBasis.BUSINESS
    warn_fraction: float = 0.75

    def __post_init__(self) -> None:
        object.__setattr__(self, "basis", TimeBasis(self.basis))
        if self.duration < ZERO:
            raise ClockError(f"a target must not be negative, got {self.duration}")
        if not 0 < self.warn_fraction <= 1:
            raise ClockError(f"warn_fraction must be in (0, 1], got {self.warn_fraction}")

    @property
    def warn_after(self) -> dt.timedelta:
        """The used time at which the clock turns 'at risk'."""
        return self.duration * self.warn_fraction


@dataclass(frozen=True, slots=True)
class ClockStatus:
    """Everything the work queue and the alert job need about one clock at one instant.

    ``remaining`` is ``target - elapsed`` and goes negative once the target is overrun.
    ``due_at``/``warn_at`` are None while the clock is paused or stopped before reaching them.
    ``years_without_data`` lists years computed from weekday rules only (calendar fallback), so
    the result must be shown as provisional and a manager told to enter those years.
    """

    phase: ClockPhase
    state: SlaState
    target: SlaTarget
    elapsed: dt.timedelta
    remaining: dt.timedelta
    paused: dt.timedelta
    due_at: dt.datetime | None
    warn_at: dt.datetime | None
    years_without_data: frozenset[int]

    @property
    def breached(self) -> bool:
        """True once the clock has run past its due time."""
        return self.state is SlaState.BREACHED

    @property
    def at_risk(self) -> bool:
        """True from the warning threshold until breach."""
        return self.state is SlaState.AT_RISK

    @property
    def provisional(self) -> bool:
        """True if some year was computed without statutory holiday data."""
        return bool(self.years_without_data)


@dataclass(frozen=True, slots=True)
class ClockRestart:
    """Result of a restart: the old clock, stopped, and a fresh one."""

    previous: Segments
    current: Segments


# --------------------------------------------------------------- segment edits
def start_clock(at: dt.datetime, *, reason: str = "started") -> Segments:
    """A new clock running from ``at``."""
    return (ClockSegment(at, None, SegmentState.RUNNING, reason),)


def pause_clock(segments: Sequence[ClockSegment], at: dt.datetime, *, reason: str) -> Segments:
    """Close the running segment at ``at`` and open a paused one (e.g. waiting for customer)."""
    return _switch(segments, at, SegmentState.RUNNING, SegmentState.PAUSED, reason)


def resume_clock(segments: Sequence[ClockSegment], at: dt.datetime, *, reason: str) -> Segments:
    """Close the paused segment at ``at`` and continue running with the time already used."""
    return _switch(segments, at, SegmentState.PAUSED, SegmentState.RUNNING, reason)


def stop_clock(segments: Sequence[ClockSegment], at: dt.datetime) -> Segments:
    """Close the open segment at ``at``; a stopped clock no longer changes.

    Why it stopped (answered, resolved) belongs to the ticket's timeline, not to the clock.
    """
    closed, _ = _close_open(segments, at)
    return closed


def restart_clock(
    segments: Sequence[ClockSegment], at: dt.datetime, *, reason: str
) -> ClockRestart:
    """Stop the clock (if still open) and start a new one at ``at``, e.g. on a level change."""
    previous = check_segments(segments)
    if previous and previous[-1].is_open:
        previous = stop_clock(previous, at)
    return ClockRestart(previous=previous, current=start_clock(at, reason=reason))


def _switch(
    segments: Sequence[ClockSegment],
    at: dt.datetime,
    expected: SegmentState,
    new: SegmentState,
    reason: str,
) -> Segments:
    closed, last = _close_open(segments, at)
    if last.state is not expected:
        raise ClockError(f"cannot go {new} at {at}: the clock is {last.state}, not {expected}")
    return (*closed, ClockSegment(at, None, new, reason))


def _close_open(segments: Sequence[ClockSegment], at: dt.datetime) -> tuple[Segments, ClockSegment]:
    checked = check_segments(segments)
    if not checked or not checked[-1].is_open:
        raise ClockError("the clock is stopped or was never started")
    last = checked[-1]
    if _utc(at) < last.start:
        raise ClockError(f"{at} is before the current segment started ({last.start})")
    closed = ClockSegment(last.start, at, last.state, last.reason)
    return (*checked[:-1], closed), last


def check_segments(segments: Sequence[ClockSegment]) -> Segments:
    """Segments as a tuple, after checking order, no overlap, and only the last one open."""
    result = tuple(segments)
    for before, after in pairwise(result):
        if before.end is None:
            raise ClockError("only the last segment may be open")
        if after.start < before.end:
            raise ClockError(f"segments overlap or are out of order at {after.start}")
    return result


def segments_as_of(segments: Sequence[ClockSegment], now: dt.datetime) -> Segments:
    """The clock as it stood at ``now``: later segments dropped, one running at ``now`` opened.

    Lets the same stored segments answer "what did the queue show last Tuesday?".
    """
    moment = _utc(now)
    result: list[ClockSegment] = []
    for seg in check_segments(segments):
        if seg.start > moment:
            break
        if seg.end is not None and seg.end > moment:
            seg = ClockSegment(seg.start, None, seg.state, seg.reason)
        result.append(seg)
    return tuple(result)


# ---------------------------------------------------------------- measurement
def elapsed_time(
    segments: Sequence[ClockSegment],
    *,
    calendar: BusinessCalendar,
    basis: TimeBasis,
    now: dt.datetime,
) -> dt.timedelta:
    """Time used so far: running segments only, measured on the calendar in the given basis."""
    moment = _utc(now)
    return sum(
        (
            calendar.time_between(seg.start, seg.end or moment, basis)
            for seg in segments_as_of(segments, moment)
            if seg.is_running
        ),
        ZERO,
    )


def paused_time(segments: Sequence[ClockSegment], *, now: dt.datetime) -> dt.timedelta:
    """Wall-clock time spent paused (reported, never lost when a policy changes)."""
    moment = _utc(now)
    return sum(
        (
            (seg.end or moment) - seg.start
            for seg in segments_as_of(segments, moment)
            if not seg.is_running
        ),
        ZERO,
    )


@dataclass(frozen=True, slots=True)
class _Crossing:
    """When the used time reaches an amount; ``settled`` if the clock already ran past it."""

    at: dt.datetime
    settled: bool


def _crossing(
    segments: Segments, amount: dt.timedelta, calendar: BusinessCalendar, basis: TimeBasis
) -> _Crossing | None:
    """Walk the running segments until ``amount`` is used up; None if it never was."""
    used = ZERO
    for seg in segments:
        if not seg.is_running:
            continue
        left = max(amount - used, ZERO)
        if seg.end is None:
            return _Crossing(calendar.add_time(seg.start, left, basis), settled=False)
        span = calendar.time_between(seg.start, seg.end, basis)
        if span >= left:
            at = calendar.add_time(seg.start, left, basis)
            if at < seg.end:
                return _Crossing(at, settled=True)
        used += span
    return None


def clock_status(
    segments: Sequence[ClockSegment],
    *,
    target: SlaTarget,
    calendar: BusinessCalendar,
    now: dt.datetime,
) -> ClockStatus:
    """Recompute a clock from its segments; the single source of truth for SLA state."""
    moment = _utc(now)
    current = segments_as_of(segments, moment)
    if not current:
        raise ClockError(f"the clock had not started at {now}")
    phase = _phase(current)
    elapsed = elapsed_time(current, calendar=calendar, basis=target.basis, now=moment)
    due = _crossing(current, target.duration, calendar, target.basis)
    warn = _crossing(current, target.warn_after, calendar, target.basis)
    breached = _reached(due, moment, strictly=True)
    at_risk = elapsed >= target.warn_after or _reached(warn, moment, strictly=False)
    due_at = _shown(due, phase)
    return ClockStatus(
        phase=phase,
        state=_state(breached, at_risk),
        target=target,
        elapsed=elapsed,
        remaining=target.duration - elapsed,
        paused=paused_time(current, now=moment),
        due_at=due_at,
        warn_at=_shown(warn, phase),
        years_without_data=calendar.years_without_holiday_data(
            current[0].start, max(moment, due_at or moment)
        ),
    )


@dataclass(frozen=True, slots=True)
class ClockPlan:
    """What :func:`clock_status` works out from a clock's segments, target and calendar alone,
    for any ``now`` at or after the clock's last stored instant (the latest start or end of
    its segments): its due and warning crossings, the running and paused time of its closed
    segments, and its open segment. Those do not move with ``now``, so a page that shows the
    same clocks on every request can keep a plan per segment set (:func:`plan_clock`) and
    answer :meth:`status` with the open segment's time alone.
    """

    segments: Segments
    target: SlaTarget
    calendar: BusinessCalendar
    phase: ClockPhase
    latest: dt.datetime
    closed_running: dt.timedelta
    closed_paused: dt.timedelta
    due: _Crossing | None
    warn: _Crossing | None

    def status(self, *, now: dt.datetime) -> ClockStatus:
        """``clock_status(segments, target=…, calendar=…, now=now)``, the same value."""
        moment = _utc(now)
        if moment < self.latest:  # the clock as it stood earlier: worked out in full
            return clock_status(self.segments, target=self.target, calendar=self.calendar, now=now)
        elapsed, paused = self.closed_running, self.closed_paused
        last = self.segments[-1]
        if last.end is None:
            if last.is_running:
                elapsed += self.calendar.time_between(last.start, moment, self.target.basis)
            else:
                paused += moment - last.start
        breached = _reached(self.due, moment, strictly=True)
        at_risk = elapsed >= self.target.warn_after or _reached(self.warn, moment, strictly=False)
        due_at = _shown(self.due, self.phase)
        return ClockStatus(
            phase=self.phase,
            state=_state(breached, at_risk),
            target=self.target,
            elapsed=elapsed,
            remaining=self.target.duration - elapsed,
            paused=paused,
            due_at=due_at,
            warn_at=_shown(self.warn, self.phase),
            years_without_data=self.calendar.years_without_holiday_data(
                self.segments[0].start, max(moment, due_at or moment)
            ),
        )


def plan_clock(
    segments: Sequence[ClockSegment], *, target: SlaTarget, calendar: BusinessCalendar
) -> ClockPlan:
    """The part of :func:`clock_status` that does not depend on ``now`` (see :class:`ClockPlan`)."""
    current = check_segments(segments)
    if not current:
        raise ClockError("the clock was never started")
    latest = max(seg.end or seg.start for seg in current)
    closed_running = closed_paused = ZERO
    for seg in current:
        if seg.end is None:
            continue
        if seg.is_running:
            closed_running += calendar.time_between(seg.start, seg.end, target.basis)
        else:
            closed_paused += seg.end - seg.start
    return ClockPlan(
        segments=current,
        target=target,
        calendar=calendar,
        phase=_phase(current),
        latest=latest,
        closed_running=closed_running,
        closed_paused=closed_paused,
        due=_crossing(current, target.duration, calendar, target.basis),
        warn=_crossing(current, target.warn_after, calendar, target.basis),
    )


def projected_due(
    segments: Sequence[ClockSegment],
    *,
    target: SlaTarget,
    calendar: BusinessCalendar,
    resume_at: dt.datetime,
) -> dt.datetime:
    """The due time if a paused clock resumed at ``resume_at`` (for "expect a reply by…")."""
    used = elapsed_time(segments, calendar=calendar, basis=target.basis, now=resume_at)
    return calendar.add_time(resume_at, max(target.duration - used, ZERO), target.basis)


def _phase(segments: Segments) -> ClockPhase:
    last = segments[-1]
    if not last.is_open:
        return ClockPhase.STOPPED
    return ClockPhase.RUNNING if last.is_running else ClockPhase.PAUSED


def _reached(crossing: _Crossing | None, now: dt.datetime, *, strictly: bool) -> bool:
    if crossing is None:
        return False
    if crossing.settled:
        return True
    return now > crossing.at if strictly else now >= crossing.at


def _shown(crossing: _Crossing | None, phase: ClockPhase) -> dt.datetime | None:
    """A crossing is shown while running, or afterwards if the clock ran past it."""
    if crossing is None or (phase is not ClockPhase.RUNNING and not crossing.settled):
        return None
    return crossing.at


def _state(breached: bool, at_risk: bool) -> SlaState:
    if breached:
        return SlaState.BREACHED
    return SlaState.AT_RISK if at_risk else SlaState.ON_TRACK


# ---------------------------------------------------------------------- alerts
@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local hours in which no alert is sent, even an urgent one; may wrap past midnight."""

    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ClockError("quiet hours need different start and end times")

    @property
    def wraps(self) -> bool:
        """True for windows such as 22:00–07:00 that cross midnight."""
        return self.end < self.start

    def contains(self, local_time: dt.time) -> bool:
        """True if a local wall time is inside the window (start included, end excluded)."""
        if self.wraps:
            return local_time >= self.start or local_time < self.end
        return self.start <= local_time < self.end

    def end_after(self, local: dt.datetime) -> dt.datetime:
        """The end of the window containing the local datetime ``local``."""
        day = local.date()
        if self.wraps and local.time() >= self.start:
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, self.end, tzinfo=local.tzinfo).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class AlertSlot:
    """When an alert may go out, and why it was held back (stable codes for the timeline)."""

    send_at: dt.datetime
    deferred: bool
    reasons: tuple[str, ...]


MAX_ALERT_SHIFTS = 50


def alert_slot(
    ready_at: dt.datetime,
    *,
    calendar: BusinessCalendar,
    quiet_hours: QuietHours | None = None,
    working_hours_only: bool = True,
) -> AlertSlot:
    """The first instant from ``ready_at`` at which an alert may be sent.

    "Never fire escalations at midnight" (zammad #4432, GLPI PR #22678): by default the alert
    waits for the recipient's next working period (pass the recipient's calendar); a regulator
    appeal may pass ``working_hours_only=False``. Quiet hours (local to the calendar's zone)
    apply in both cases.
    """
    send_at = _utc(ready_at)
    reasons: list[str] = []
    for _ in range(MAX_ALERT_SHIFTS):
        moved = _shift(send_at, calendar, quiet_hours, working_hours_only)
        if moved is None:
            return AlertSlot(send_at, bool(reasons), tuple(dict.fromkeys(reasons)))
        send_at, reason = moved
        reasons.append(reason)
    raise CalendarError("quiet hours cover every working period: no time to send alerts")


def _shift(
    t: dt.datetime,
    calendar: BusinessCalendar,
    quiet_hours: QuietHours | None,
    working_hours_only: bool,
) -> tuple[dt.datetime, str] | None:
    """One step towards an allowed instant, or None if ``t`` is allowed."""
    if working_hours_only and not calendar.is_open(t):
        return calendar.next_open(t), "outside_working_hours"
    local = calendar.local(t)
    if quiet_hours is not None and quiet_hours.contains(local.time()):
        return quiet_hours.end_after(local), "quiet_hours"
    return None


def _utc(t: dt.datetime) -> dt.datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ClockError(f"naive datetime {t!r}: clocks need aware datetimes")
    return t.astimezone(UTC)

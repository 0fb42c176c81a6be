"""SLA clocks from running/paused segments: pauses, restarts, recomputation, alerts.

The calendar is the default one (08:30–12:00, 13:30–17:30, China's holidays). Holiday dates
come from the State Council notices cited in test_calendar.py (2026: notice of 2025-11-04,
春节 2月15日–23日 off, 2月14日 (Sat) worked). Expected times are worked out by hand in comments.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuqi.domain.calendar import (
    BusinessCalendar,
    CalendarError,
    HolidayDataMissing,
    MissingYearPolicy,
    TimeBasis,
)
from yuqi.domain.sla import (
    ClockError,
    ClockPhase,
    ClockSegment,
    QuietHours,
    SegmentState,
    SlaState,
    SlaTarget,
    alert_slot,
    clock_status,
    pause_clock,
    projected_due,
    restart_clock,
    resume_clock,
    start_clock,
    stop_clock,
)

SH = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
H = dt.timedelta(hours=1)
US = dt.timedelta(microseconds=1)
CAL = BusinessCalendar()


def sh(*args: int) -> dt.datetime:
    """A Shanghai wall-clock instant."""
    return dt.datetime(*args, tzinfo=SH)


def hours(n: float, basis: TimeBasis = TimeBasis.BUSINESS) -> SlaTarget:
    return SlaTarget(n * H, basis)


def weekend_pause() -> tuple[ClockSegment, ...]:
    """Fri 2026-03-06 10:00 start, 16:00 waiting for customer, Mon 03-09 10:00 customer replies."""
    clock = start_clock(sh(2026, 3, 6, 10))
    clock = pause_clock(clock, sh(2026, 3, 6, 16), reason="waiting_customer")
    return resume_clock(clock, sh(2026, 3, 9, 10), reason="customer_replied")


# ----------------------------------------------------------------- pauses
def test_pause_spanning_a_weekend_keeps_used_time() -> None:
    # Fri 10–12 (2 h) + 13:30–16 (2.5 h) = 4.5 h used; Mon from 10:00, 3.5 h left:
    # 10–12 (2 h) + 13:30–15:00 (1.5 h) → due Mon 15:00.
    status = clock_status(weekend_pause(), target=hours(8), calendar=CAL, now=sh(2026, 3, 9, 11))
    assert status.phase is ClockPhase.RUNNING
    assert status.elapsed == 5.5 * H
    assert status.remaining == 2.5 * H
    assert status.paused == 66 * H  # Fri 16:00 → Mon 10:00, wall clock
    assert status.due_at == sh(2026, 3, 9, 15)
    assert status.warn_at == sh(2026, 3, 9, 11, 30)  # 6 h = 75 % of 8 h
    assert status.state is SlaState.ON_TRACK


def test_without_the_pause_the_same_ticket_would_be_due_earlier() -> None:
    # Fri 10:00 + 8 h: Fri 2 h + 4 h, Mon 08:30 + 2 h → 10:30.
    status = clock_status(
        start_clock(sh(2026, 3, 6, 10)), target=hours(8), calendar=CAL, now=sh(2026, 3, 9, 11)
    )
    assert status.due_at == sh(2026, 3, 9, 10, 30)
    assert status.breached


def test_paused_clock_has_no_due_time_but_a_projection() -> None:
    paused = weekend_pause()[:2]
    status = clock_status(paused, target=hours(8), calendar=CAL, now=sh(2026, 3, 7, 12))
    assert status.phase is ClockPhase.PAUSED
    assert status.due_at is None
    assert status.remaining == 3.5 * H
    resumed = projected_due(paused, target=hours(8), calendar=CAL, resume_at=sh(2026, 3, 9, 10))
    assert resumed == sh(2026, 3, 9, 15)


def test_status_as_of_an_earlier_instant_uses_only_what_had_happened() -> None:
    status = clock_status(weekend_pause(), target=hours(8), calendar=CAL, now=sh(2026, 3, 6, 15))
    assert status.phase is ClockPhase.RUNNING
    assert status.elapsed == 3.5 * H  # 10:00–12:00 + 13:30–15:00
    assert status.paused == dt.timedelta(0)


# --------------------------------------------------- Spring Festival 2026
def test_clock_runs_on_the_makeup_saturday_before_spring_festival() -> None:
    # Thu 2月12日 14:00–17:30 (3.5 h), Fri 13日 (7.5 h) → 11 h; Sat 14日 is a 调休 workday:
    # 08:30–12:00 (3.5 h) + 13:30–15:00 (1.5 h) → due Sat 15:00.
    clock = start_clock(sh(2026, 2, 12, 14))
    status = clock_status(clock, target=hours(16), calendar=CAL, now=sh(2026, 2, 13, 9))
    assert status.due_at == sh(2026, 2, 14, 15)


def test_customer_replies_during_the_holiday_and_due_lands_on_lunch_start() -> None:
    # Used before the pause: 12日 3.5 h + 13日 08:30–10:00 1.5 h = 5 h. Resumed on 2月16日
    # (holiday): the clock runs but no business time passes until Tue 24日. 11 h left:
    # 24日 7.5 h, 25日 08:30 + 3.5 h = 12:00, exactly the end of the morning period.
    clock = start_clock(sh(2026, 2, 12, 14))
    clock = pause_clock(clock, sh(2026, 2, 13, 10), reason="waiting_customer")
    clock = resume_clock(clock, sh(2026, 2, 16, 10), reason="customer_replied")
    status = clock_status(clock, target=hours(16), calendar=CAL, now=sh(2026, 2, 20, 10))
    assert status.elapsed == 5 * H
    assert status.due_at == sh(2026, 2, 25, 12)
    assert status.state is SlaState.ON_TRACK


# ------------------------------------------------------------ lunch break
def test_due_time_skips_lunch() -> None:
    clock = start_clock(sh(2026, 3, 9, 11))
    status = clock_status(clock, target=hours(2), calendar=CAL, now=sh(2026, 3, 9, 12, 45))
    assert status.elapsed == H
    assert status.due_at == sh(2026, 3, 9, 14, 30)
    assert status.state is SlaState.ON_TRACK


def test_at_risk_then_breached_exactly_after_the_due_time() -> None:
    clock = start_clock(sh(2026, 3, 9, 11))
    at = {
        now: clock_status(clock, target=hours(2), calendar=CAL, now=now).state
        for now in (sh(2026, 3, 9, 14) - US, sh(2026, 3, 9, 14), sh(2026, 3, 9, 14, 30))
    }
    assert list(at.values()) == [SlaState.ON_TRACK, SlaState.AT_RISK, SlaState.AT_RISK]
    late = clock_status(clock, target=hours(2), calendar=CAL, now=sh(2026, 3, 9, 14, 30) + US)
    assert late.state is SlaState.BREACHED


def test_running_through_lunch_after_a_noon_due_time_is_a_breach() -> None:
    clock = start_clock(sh(2026, 3, 9, 11))
    status = clock_status(clock, target=hours(1), calendar=CAL, now=sh(2026, 3, 9, 12, 30))
    assert status.remaining == dt.timedelta(0)
    assert status.due_at == sh(2026, 3, 9, 12)
    assert status.breached


def test_paused_exactly_at_the_due_time_is_not_a_breach() -> None:
    clock = pause_clock(start_clock(sh(2026, 3, 9, 11)), sh(2026, 3, 9, 12), reason="waiting")
    status = clock_status(clock, target=hours(1), calendar=CAL, now=sh(2026, 3, 9, 15))
    assert (status.phase, status.state, status.due_at) == (
        ClockPhase.PAUSED,
        SlaState.AT_RISK,
        None,
    )
    # Resumed during lunch with nothing left: due at the next open instant, 13:30.
    resumed = resume_clock(clock, sh(2026, 3, 9, 12, 30), reason="customer_replied")
    at_one = clock_status(resumed, target=hours(1), calendar=CAL, now=sh(2026, 3, 9, 13))
    assert (at_one.due_at, at_one.breached) == (sh(2026, 3, 9, 13, 30), False)
    later = clock_status(resumed, target=hours(1), calendar=CAL, now=sh(2026, 3, 9, 13, 31))
    assert later.breached


# --------------------------------------------------------------- zero target
def test_zero_target_is_due_at_the_next_open_instant() -> None:
    clock = start_clock(sh(2026, 3, 9, 20))
    night = clock_status(clock, target=hours(0), calendar=CAL, now=sh(2026, 3, 10, 8))
    assert night.due_at == sh(2026, 3, 10, 8, 30)
    assert not night.breached
    morning = clock_status(clock, target=hours(0), calendar=CAL, now=sh(2026, 3, 10, 8, 31))
    assert morning.breached


# ---------------------------------------------------------------- stopped
def test_stopped_in_time_is_met() -> None:
    clock = stop_clock(start_clock(sh(2026, 3, 9, 9)), sh(2026, 3, 9, 10))
    status = clock_status(clock, target=hours(2), calendar=CAL, now=sh(2026, 3, 12, 9))
    assert (status.phase, status.state, status.remaining) == (
        ClockPhase.STOPPED,
        SlaState.ON_TRACK,
        H,
    )


def test_stopped_late_stays_breached_with_its_due_time() -> None:
    clock = stop_clock(start_clock(sh(2026, 3, 9, 9)), sh(2026, 3, 9, 11))
    status = clock_status(clock, target=hours(1), calendar=CAL, now=sh(2026, 3, 12, 9))
    assert (status.state, status.due_at) == (SlaState.BREACHED, sh(2026, 3, 9, 10))


# ---------------------------------------------------------------- restart
def test_level_change_restarts_the_clock() -> None:
    restart = restart_clock(
        start_clock(sh(2026, 3, 9, 9)), sh(2026, 3, 9, 14), reason="level:over_level"
    )
    assert restart.previous[-1].end == sh(2026, 3, 9, 14)
    old = clock_status(restart.previous, target=hours(8), calendar=CAL, now=sh(2026, 3, 9, 15))
    new = clock_status(restart.current, target=hours(2), calendar=CAL, now=sh(2026, 3, 9, 15))
    assert old.elapsed == 3.5 * H  # 09:00–12:00 + 13:30–14:00
    assert new.elapsed == H
    assert new.due_at == sh(2026, 3, 9, 16)


# ---------------------------------------------------------- recomputation
def test_calendar_change_recomputes_an_open_clock() -> None:
    before = clock_status(weekend_pause(), target=hours(8), calendar=CAL, now=sh(2026, 3, 9, 11))
    typhoon = CAL.with_dates(closed=[dt.date(2026, 3, 9)])  # Monday closed after the fact
    after = clock_status(weekend_pause(), target=hours(8), calendar=typhoon, now=sh(2026, 3, 9, 11))
    # Monday no longer counts: 4.5 h used, 3.5 h left from Tue 08:30 → 12:00.
    assert before.due_at == sh(2026, 3, 9, 15)
    assert after.elapsed == 4.5 * H
    assert after.due_at == sh(2026, 3, 10, 12)


def test_policy_change_keeps_the_paused_time() -> None:
    # GLPI #15605: changing the SLA lost the accumulated pause. Same segments, 12 h target:
    # 7.5 h left from Mon 10:00 → Mon 2 h + 4 h, Tue 08:30 + 1.5 h = 10:00.
    status = clock_status(weekend_pause(), target=hours(12), calendar=CAL, now=sh(2026, 3, 9, 11))
    assert status.paused == 66 * H
    assert status.due_at == sh(2026, 3, 10, 10)


def test_calendar_time_target_counts_nights_but_not_pauses() -> None:
    clock = start_clock(sh(2026, 2, 13, 10))
    clock = pause_clock(clock, sh(2026, 2, 13, 12), reason="waiting_customer")
    clock = resume_clock(clock, sh(2026, 2, 13, 14), reason="customer_replied")
    target = hours(24, TimeBasis.CALENDAR)
    status = clock_status(clock, target=target, calendar=CAL, now=sh(2026, 2, 13, 20))
    assert status.elapsed == 8 * H
    assert status.due_at == sh(2026, 2, 14, 12)


# ---------------------------------------------------------- missing years
def test_clock_due_in_a_year_without_data_is_flagged() -> None:
    fallback = BusinessCalendar(missing_year=MissingYearPolicy.WEEKDAYS)
    clock = start_clock(sh(2026, 12, 31, 16))
    status = clock_status(clock, target=hours(4), calendar=fallback, now=sh(2026, 12, 31, 17))
    assert status.provisional
    assert status.years_without_data == frozenset({2027})


def test_clock_due_in_a_year_without_data_raises_by_default() -> None:
    clock = start_clock(sh(2026, 12, 31, 16))
    with pytest.raises(HolidayDataMissing):
        clock_status(clock, target=hours(4), calendar=CAL, now=sh(2026, 12, 31, 17))


# ------------------------------------------------------------- validation
def test_pausing_a_paused_clock_is_refused() -> None:
    clock = pause_clock(start_clock(sh(2026, 3, 9, 9)), sh(2026, 3, 9, 10), reason="waiting")
    with pytest.raises(ClockError, match="paused"):
        pause_clock(clock, sh(2026, 3, 9, 11), reason="waiting")


def test_resuming_a_running_clock_is_refused() -> None:
    with pytest.raises(ClockError):
        resume_clock(start_clock(sh(2026, 3, 9, 9)), sh(2026, 3, 9, 10), reason="again")


def test_going_back_in_time_is_refused() -> None:
    with pytest.raises(ClockError, match="before"):
        pause_clock(start_clock(sh(2026, 3, 9, 9)), sh(2026, 3, 9, 8), reason="waiting")


def test_overlapping_segments_are_refused() -> None:
    running = SegmentState.RUNNING
    segments = [
        ClockSegment(sh(2026, 3, 9, 9), sh(2026, 3, 9, 11), running),
        ClockSegment(sh(2026, 3, 9, 10), None, SegmentState.PAUSED),
    ]
    with pytest.raises(ClockError, match="overlap"):
        clock_status(segments, target=hours(1), calendar=CAL, now=sh(2026, 3, 9, 12))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ClockError, match="naive"):
        start_clock(dt.datetime(2026, 3, 9, 9))


def test_status_before_the_clock_started_is_refused() -> None:
    with pytest.raises(ClockError):
        clock_status(
            start_clock(sh(2026, 3, 9, 9)), target=hours(1), calendar=CAL, now=sh(2026, 3, 9, 8)
        )


# ------------------------------------------------------------------ alerts
def test_midnight_alert_waits_for_the_next_working_period() -> None:
    # Fri 2026-03-06 23:50 → Mon 08:30 (zammad #4432: no escalation mails at night).
    slot = alert_slot(sh(2026, 3, 6, 23, 50), calendar=CAL)
    assert slot.send_at == sh(2026, 3, 9, 8, 30)
    assert slot.reasons == ("outside_working_hours",)


def test_alert_during_spring_festival_waits_until_work_resumes() -> None:
    assert alert_slot(sh(2026, 2, 18, 10), calendar=CAL).send_at == sh(2026, 2, 24, 8, 30)


def test_alert_in_working_hours_goes_out_at_once() -> None:
    slot = alert_slot(sh(2026, 3, 9, 10), calendar=CAL)
    assert (slot.send_at, slot.deferred, slot.reasons) == (sh(2026, 3, 9, 10), False, ())


def test_regulator_alert_ignores_working_hours_but_respects_quiet_hours() -> None:
    quiet = QuietHours(dt.time(22), dt.time(7))
    slot = alert_slot(
        sh(2026, 2, 18, 23), calendar=CAL, quiet_hours=quiet, working_hours_only=False
    )
    assert (slot.send_at, slot.reasons) == (sh(2026, 2, 19, 7), ("quiet_hours",))
    evening = alert_slot(sh(2026, 2, 18, 20), calendar=CAL, working_hours_only=False)
    assert evening.send_at == sh(2026, 2, 18, 20)


def test_quiet_hours_and_working_hours_combine() -> None:
    # 12:10 is lunch → 13:30, which is inside quiet hours 13:00–14:00 → 14:00.
    quiet = QuietHours(dt.time(13), dt.time(14))
    slot = alert_slot(sh(2026, 3, 9, 12, 10), calendar=CAL, quiet_hours=quiet)
    assert slot.send_at == sh(2026, 3, 9, 14)
    assert slot.reasons == ("outside_working_hours", "quiet_hours")


def test_quiet_hours_covering_all_working_hours_are_an_error() -> None:
    with pytest.raises(CalendarError):
        alert_slot(
            sh(2026, 3, 9, 10), calendar=CAL, quiet_hours=QuietHours(dt.time(8), dt.time(18))
        )


# -------------------------------------------------------------- properties
TOGGLE_GAPS = st.lists(
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(hours=72)), max_size=5
)
STARTS = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 6, 30), timezones=st.just(UTC)
)
TARGETS = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(hours=100))


def _toggled(start: dt.datetime, gaps: list[dt.timedelta]) -> tuple[ClockSegment, ...]:
    """A clock that pauses and resumes alternately after each gap; it ends running or paused."""
    clock = start_clock(start)
    at = start
    for i, gap in enumerate(gaps):
        at += gap
        if i % 2 == 0:
            clock = pause_clock(clock, at, reason="waiting_customer")
        else:
            clock = resume_clock(clock, at, reason="customer_replied")
    return clock


def _running(start: dt.datetime, gaps: list[dt.timedelta]) -> tuple[ClockSegment, ...]:
    return _toggled(start, gaps[: len(gaps) - len(gaps) % 2])


@settings(max_examples=100, deadline=None)
@given(start=STARTS, gaps=TOGGLE_GAPS, a=TARGETS, b=TARGETS)
def test_due_time_is_monotonic_in_the_target(
    start: dt.datetime, gaps: list[dt.timedelta], a: dt.timedelta, b: dt.timedelta
) -> None:
    clock = _running(start, gaps)
    now = clock[-1].start
    small, large = sorted((a, b))
    due_small = clock_status(clock, target=SlaTarget(small), calendar=CAL, now=now).due_at
    due_large = clock_status(clock, target=SlaTarget(large), calendar=CAL, now=now).due_at
    assert due_small is not None
    assert due_large is not None
    assert due_small <= due_large


@settings(max_examples=100, deadline=None)
@given(start=STARTS, gaps=TOGGLE_GAPS, target=TARGETS)
def test_due_time_is_the_last_instant_before_breach(
    start: dt.datetime, gaps: list[dt.timedelta], target: dt.timedelta
) -> None:
    clock = _running(start, gaps)
    goal = SlaTarget(target)
    due = clock_status(clock, target=goal, calendar=CAL, now=clock[-1].start).due_at
    assert due is not None
    if due < clock[-1].start:  # breached in an earlier segment: nothing more to check
        return
    at_due = clock_status(clock, target=goal, calendar=CAL, now=due)
    assert at_due.remaining == dt.timedelta(0)
    assert not at_due.breached
    assert clock_status(clock, target=goal, calendar=CAL, now=due + US).breached


@settings(max_examples=100, deadline=None)
@given(start=STARTS, gaps=TOGGLE_GAPS, target=TARGETS)
def test_paused_time_never_counts(
    start: dt.datetime, gaps: list[dt.timedelta], target: dt.timedelta
) -> None:
    clock = _toggled(start, gaps)
    now = clock[-1].start + dt.timedelta(hours=5)
    status = clock_status(clock, target=SlaTarget(target), calendar=CAL, now=now)
    running = [s for s in clock if s.state is SegmentState.RUNNING]
    expected = sum(
        (CAL.business_time_between(s.start, s.end or now) for s in running), dt.timedelta(0)
    )
    assert status.elapsed == expected


@settings(max_examples=100, deadline=None)
@given(ready=STARTS, quiet_start=st.integers(0, 23), length=st.integers(1, 10))
def test_alert_slot_is_in_working_hours_and_outside_quiet_hours(
    ready: dt.datetime, quiet_start: int, length: int
) -> None:
    quiet = QuietHours(dt.time(quiet_start), dt.time((quiet_start + length) % 24))
    try:
        slot = alert_slot(ready, calendar=CAL, quiet_hours=quiet)
    except CalendarError:
        return  # quiet hours cover every working period: refused, not looped forever
    assert slot.send_at >= ready
    assert CAL.is_open(slot.send_at)
    assert not quiet.contains(CAL.local(slot.send_at).time())

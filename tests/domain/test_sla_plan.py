"""``plan_clock(segments, …).status(now=…)`` is ``clock_status(segments, …, now=…)``: the
part of a clock that does not move with ``now`` (its crossings, its closed segments' time),
worked out once, gives the same status at any moment, before the clock's last stored instant
included (there it is worked out in full)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuqi.domain.calendar import (
    BusinessCalendar,
    MissingYearPolicy,
    TimeBasis,
    parse_periods,
    week,
)
from yuqi.domain.sla import (
    ClockError,
    ClockSegment,
    SegmentState,
    SlaTarget,
    clock_status,
    plan_clock,
)

SH = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 1, 20, 8, tzinfo=SH)  # runs into Spring Festival and past 2026
CALENDARS = [
    BusinessCalendar(missing_year=MissingYearPolicy.WEEKDAYS),
    BusinessCalendar(
        weekly=week(parse_periods("09:00-18:00"), parse_periods("10:00-12:00")),
        closed_dates=frozenset({dt.date(2026, 2, 2)}),
        missing_year=MissingYearPolicy.WEEKDAYS,
    ),
]

minutes = st.integers(min_value=0, max_value=60 * 24 * 20)


@st.composite
def clocks(draw):
    """Segments from START: alternating running/paused stretches, the last open or not."""
    steps = draw(st.lists(minutes, min_size=1, max_size=6))
    gaps = draw(st.lists(st.integers(0, 600), min_size=len(steps), max_size=len(steps)))
    first_paused = draw(st.booleans())
    segments, at = [], START
    for i, (length, gap) in enumerate(zip(steps, gaps, strict=True)):
        at += dt.timedelta(minutes=gap)
        state = SegmentState.PAUSED if (i % 2 == 1) != first_paused else SegmentState.RUNNING
        end = at + dt.timedelta(minutes=length)
        segments.append(ClockSegment(at, end, state))
        at = end
    if draw(st.booleans()):
        last = segments[-1]
        segments[-1] = ClockSegment(last.start, None, last.state)
    return tuple(segments)


@settings(max_examples=300, deadline=None)
@given(
    clocks(),
    st.integers(min_value=0, max_value=60 * 24 * 30),
    st.sampled_from(list(TimeBasis)),
    st.sampled_from([0.5, 0.75, 1.0]),
    st.integers(min_value=-60 * 24 * 5, max_value=60 * 24 * 400),
    st.sampled_from(range(len(CALENDARS))),
)
def test_a_plan_gives_the_status_clock_status_gives(
    segments, target_minutes, basis, warn, offset, calendar_index
):
    calendar = CALENDARS[calendar_index]
    target = SlaTarget(dt.timedelta(minutes=target_minutes), basis, warn)
    latest = max(seg.end or seg.start for seg in segments)
    now = latest + dt.timedelta(minutes=offset)  # before the last instant too
    try:
        expected = clock_status(segments, target=target, calendar=calendar, now=now)
    except ClockError:
        with pytest.raises(ClockError):
            plan_clock(segments, target=target, calendar=calendar).status(now=now)
        return
    assert plan_clock(segments, target=target, calendar=calendar).status(now=now) == expected


def test_a_clock_without_segments_has_no_plan():
    with pytest.raises(ClockError):
        plan_clock((), target=SlaTarget(dt.timedelta(hours=4)), calendar=CALENDARS[0])

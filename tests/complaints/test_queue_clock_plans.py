"""The queue's clocks are worked out from a plan kept per segment set
(``yuqi.complaints.queries._plan``) and their texts kept per minute and language
(``presenters._kept_clock_text``): the rows show what the clocks' full computation shows, and
a write that changes a clock (a pause) or its calendar (a closed date) is seen at once,
because the plan is kept under the segments and the calendar's value, not a ticket id."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.complaints.factories import open_complaint, sh
from yuqi.complaints.models import Complaint, SlaClock
from yuqi.complaints.presenters import _clock_text, _kept_clock_text
from yuqi.complaints.queries import QUEUE_ROW_VALUES, _plan, queue_rows, ticket_url
from yuqi.complaints.services import complaint_transition
from yuqi.domain.sla import ClockPhase

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


def _row(ticket, moment):
    tickets = list(Complaint.objects.filter(pk=ticket.pk).values(*QUEUE_ROW_VALUES))
    return queue_rows(tickets, now=moment, url=ticket_url(), top_rank=None)[0]


def _full(ticket, moment):
    """Each live clock's status worked out in full (``SlaClock.status``: ``clock_status``)."""
    from yuqi.complaints import outbound

    clocks = ticket.clocks.exclude(phase="stopped").order_by("kind", "started_at")
    with outbound.cached_calendars():
        return [
            c.status(at=moment, calendar=outbound.calendar_for(team_id=ticket.team_id))
            for c in clocks
        ]


def test_rows_equal_the_full_computation_at_several_moments(frozen, outbox, supervisor):
    ticket = open_complaint(by=supervisor)
    for moment in (sh(2026, 3, 2, 9, 30), sh(2026, 3, 2, 16), sh(2026, 3, 9, 11)):
        row = _row(ticket, moment)
        full = _full(ticket, moment)
        assert [(c.due_at, c.state, c.remaining) for c in row.clocks] == [
            (s.due_at, s.state.value, s.remaining) for s in full
        ]


def test_a_paused_clock_is_seen_at_once(frozen, outbox, supervisor):
    ticket = open_complaint(by=supervisor)
    moment = sh(2026, 3, 2, 11)
    before = _row(ticket, moment)
    assert all(c.phase == "running" for c in before.clocks)
    frozen.set(sh(2026, 3, 2, 10))
    ticket = complaint_transition(
        complaint=ticket, target="acknowledged", by=supervisor, expected_version=ticket.version
    )
    complaint_transition(
        complaint=ticket, target="waiting_customer", by=supervisor, expected_version=ticket.version
    )
    after = _row(ticket, moment)
    resolution = next(c for c in after.clocks if c.kind == "resolution")
    assert resolution.phase == "paused"
    assert resolution.remaining > next(c for c in before.clocks if c.kind == "resolution").remaining


def test_a_calendar_change_is_seen_at_once(frozen, outbox, supervisor):
    """A closed date moves the live due time on the next page, before any sweep has
    recomputed the stored clocks (the calendar is part of the plan's key)."""
    from yuqi.calendars.models import CalendarDate

    ticket = open_complaint(by=supervisor)
    moment = sh(2026, 3, 2, 10)
    stored = SlaClock.objects.get(complaint=ticket, kind="resolution").due_at
    before = next(c for c in _row(ticket, moment).clocks if c.kind == "resolution")
    assert before.due_at == sh(2026, 3, 5, 17, 30)
    CalendarDate.objects.create(date=dt.date(2026, 3, 4), kind="closed", note="台风停工")
    after = next(c for c in _row(ticket, moment).clocks if c.kind == "resolution")
    assert after.due_at == sh(2026, 3, 6, 17, 30)
    assert SlaClock.objects.get(complaint=ticket, kind="resolution").due_at == stored


def test_a_plan_is_kept_per_segment_set(frozen, outbox, supervisor):
    ticket = open_complaint(by=supervisor)
    _plan.cache_clear()
    _row(ticket, sh(2026, 3, 2, 10))
    first = _plan.cache_info()
    _row(ticket, sh(2026, 3, 2, 11))
    second = _plan.cache_info()
    assert second.misses == first.misses  # the same segments: no new plan
    assert second.hits > first.hits


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_kept_texts_equal_the_texts(language):
    amounts = [dt.timedelta(seconds=s) for s in (0, 59, 60, 61, 3599, 3600, 86_399, 90_061)]
    amounts += [-a for a in amounts] + [dt.timedelta(days=3, minutes=7, microseconds=999_999)]
    with translation.override(language):
        for phase in ClockPhase:
            for breached in (False, True):
                for amount in amounts:
                    minutes = 0 if phase is ClockPhase.STOPPED else abs(amount) // MINUTE
                    kept = _kept_clock_text(phase, breached, minutes, language)
                    assert kept == _clock_text(phase, breached, amount)

"""SLA arithmetic through the services, on the shipped default calendar (标准工作时间:
Mon–Fri 08:30–12:00 and 13:30–17:30, China's holidays). Dates are fixed; "now" is frozen.

2026 Spring Festival (State Council notice of 2025-11-04, also in chinese_calendar 1.11):
02-15 (Sun) to 02-23 (Mon) off; Saturdays 02-14 and 02-28 are make-up working days.
Default local-level policy: first response 4 business hours, resolution 3 working days.
Every expected time below is worked out by hand in the comment next to it.
"""

from __future__ import annotations

import datetime as dt

from tests.complaints.factories import level, open_complaint, sh
from yuqi.complaints import services
from yuqi.complaints.models import SlaClock
from yuqi.complaints.tasks import recompute_open_clocks


def clock(complaint, kind: str) -> SlaClock:
    return complaint.clocks.filter(kind=kind).order_by("-started_at", "-id").first()


def move(complaint, target, by):
    return services.complaint_transition(
        complaint=complaint, target=target, by=by, expected_version=complaint.version
    )


def test_first_response_runs_into_the_spring_festival_makeup_saturday(frozen, outbox, supervisor):
    frozen.set(sh(2026, 2, 13, 16, 0))  # Friday before the holiday
    complaint = open_complaint(by=supervisor)
    # 16:00–17:30 Fri (1.5 h) + Sat 02-14 (调休 workday) 08:30–11:00 (2.5 h)
    assert clock(complaint, "first_response").due_at == sh(2026, 2, 14, 11, 0)


def test_resolution_in_working_days_skips_the_holiday_week(frozen, outbox, supervisor):
    frozen.set(sh(2026, 2, 13, 16, 0))
    complaint = open_complaint(by=supervisor)
    # working days after Fri 02-13: Sat 02-14 (1), Tue 02-24 (2), Wed 02-25 (3) → close 17:30
    assert clock(complaint, "resolution").due_at == sh(2026, 2, 25, 17, 30)
    assert clock(complaint, "resolution").assumed_years == []


def test_regulator_resolution_counts_15_calendar_days(frozen, outbox, supervisor):
    frozen.set(sh(2026, 2, 10, 10, 0))
    complaint = open_complaint(by=supervisor, level_code="regulator")
    # 15th day after 02-10 is 02-25 (a workday) → close of business 17:30
    assert clock(complaint, "resolution").due_at == sh(2026, 2, 25, 17, 30)


def test_a_due_time_in_the_holiday_moves_to_the_next_working_day(frozen, outbox, supervisor):
    frozen.set(sh(2026, 2, 3, 10, 0))
    complaint = open_complaint(by=supervisor, level_code="regulator")
    # 02-03 + 15 days = 02-18, inside the holiday → next working day Tue 02-24, 17:30
    assert clock(complaint, "resolution").due_at == sh(2026, 2, 24, 17, 30)


def test_first_response_skips_the_lunch_break(frozen, outbox, supervisor):
    frozen.set(sh(2026, 3, 2, 10, 0))  # Monday
    complaint = open_complaint(by=supervisor)
    first = clock(complaint, "first_response")
    # 10:00–12:00 (2 h) + 13:30–15:30 (2 h); at risk after 3 h: 13:30–14:30
    assert first.due_at == sh(2026, 3, 2, 15, 30)
    assert first.warn_at == sh(2026, 3, 2, 14, 30)


def test_a_ticket_opened_before_hours_counts_from_the_opening(frozen, outbox, supervisor):
    frozen.set(sh(2026, 3, 2, 8, 0))  # before opening: counts from 08:30
    complaint = open_complaint(by=supervisor, level_code="over_level")
    # over-level first response 2 business hours from 08:30 → 10:30; at risk (75 %) → 10:00
    first = clock(complaint, "first_response")
    assert (first.due_at, first.warn_at) == (sh(2026, 3, 2, 10, 30), sh(2026, 3, 2, 10, 0))


def test_waiting_for_the_customer_over_a_weekend_pauses_resolution(frozen, outbox, supervisor):
    frozen.set(sh(2026, 3, 6, 9, 0))  # Friday
    complaint = open_complaint(by=supervisor)
    # 3 working days after Fri 03-06: Mon, Tue, Wed 03-11 → 17:30
    assert clock(complaint, "resolution").due_at == sh(2026, 3, 11, 17, 30)
    frozen.set(sh(2026, 3, 6, 9, 30))
    complaint = move(complaint, "acknowledged", supervisor)
    frozen.set(sh(2026, 3, 6, 16, 0))
    complaint = move(complaint, "waiting_customer", supervisor)
    paused = clock(complaint, "resolution")
    assert (paused.phase, paused.due_at) == ("paused", None)
    frozen.set(sh(2026, 3, 9, 10, 0))  # the customer replies on Monday
    complaint = move(complaint, "investigating", supervisor)
    resumed = clock(complaint, "resolution")
    # the pause covered 3 business hours (Fri 16:00–17:30, Mon 08:30–10:00), so the due time
    # moves from Wed 17:30 by 3 business hours: Thu 03-12 08:30 + 3 h = 11:30
    assert resumed.due_at == sh(2026, 3, 12, 11, 30)
    assert resumed.paused_seconds == int(dt.timedelta(hours=66).total_seconds())  # wall clock
    assert [s["state"] for s in resumed.segments] == ["running", "paused", "running"]
    assert complaint.next_due_at == resumed.due_at


def test_escalation_restarts_clocks_under_the_new_level(frozen, outbox, supervisor):
    frozen.set(sh(2026, 3, 2, 9, 0))
    complaint = move(open_complaint(by=supervisor), "acknowledged", supervisor)
    frozen.set(sh(2026, 3, 3, 10, 0))
    complaint = services.complaint_escalate(
        complaint=complaint,
        level=level("regulator"),
        by=supervisor,
        expected_version=complaint.version,
        reason="客户已向工信部申诉",
    )
    resolutions = list(complaint.clocks.filter(kind="resolution").order_by("started_at"))
    assert [c.level_code for c in resolutions] == ["local", "regulator"]
    assert resolutions[0].phase == "stopped"
    assert resolutions[1].started_at == sh(2026, 3, 3, 10, 0)
    # 15 calendar days after 03-03 → Wed 03-18 17:30
    assert resolutions[1].due_at == sh(2026, 3, 18, 17, 30)
    assert complaint.events.filter(kind="escalated").count() == 1


def test_escalating_while_waiting_keeps_the_new_clock_paused(frozen, outbox, supervisor):
    complaint = move(open_complaint(by=supervisor), "acknowledged", supervisor)
    complaint = move(complaint, "waiting_department", supervisor)
    complaint = services.complaint_escalate(
        complaint=complaint,
        level=level("over_level"),
        by=supervisor,
        expected_version=complaint.version,
        reason="客户打了总部热线",
    )
    assert clock(complaint, "resolution").phase == "paused"


def test_resolving_starts_the_callback_clock(frozen, outbox, supervisor):
    from tests.complaints.test_workflow_services import resolved

    frozen.set(sh(2026, 3, 2, 9, 0))
    complaint = resolved(open_complaint(by=supervisor), supervisor)
    assert clock(complaint, "resolution").state == "met"
    # local callback: 2 working days after Mon 03-02 → Wed 03-04 17:30
    assert clock(complaint, "callback").due_at == sh(2026, 3, 4, 17, 30)


def test_a_calendar_change_recomputes_an_open_ticket(
    frozen, outbox, supervisor, settings, django_capture_on_commit_callbacks
):
    from yuqi.calendars.models import CalendarDate

    frozen.set(sh(2026, 3, 2, 9, 0))
    complaint = open_complaint(by=supervisor)
    assert clock(complaint, "resolution").due_at == sh(2026, 3, 5, 17, 30)  # Thu
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDate.objects.create(date=dt.date(2026, 3, 4), kind="closed", note="台风停工")
    # Wed 03-04 closed: the 3 working days are Tue 03-03, Thu 03-05, Fri 03-06
    assert clock(complaint, "resolution").due_at == sh(2026, 3, 6, 17, 30)
    complaint.refresh_from_db()
    assert complaint.next_due_at == sh(2026, 3, 2, 14, 30)  # first response is earlier
    assert complaint.events.filter(kind="clocks_recomputed").count() >= 1


def test_recompute_task_gives_the_same_answer_twice(frozen, outbox, supervisor):
    complaint = open_complaint(by=supervisor)
    before = clock(complaint, "resolution").due_at
    recompute_open_clocks.call("test")
    recompute_open_clocks.call("test")
    assert clock(complaint, "resolution").due_at == before


def test_a_year_without_holiday_data_is_flagged(frozen, outbox, supervisor):
    frozen.set(sh(2026, 12, 30, 10, 0))
    complaint = open_complaint(by=supervisor)
    # 3 working days run into 2027, which chinese_calendar 1.11 does not know
    assert clock(complaint, "resolution").assumed_years == [2027]


def test_a_tier_policy_overrides_the_level_default(frozen, outbox, supervisor):
    from tests.customers.factories import CustomerFactory, tier
    from yuqi.complaints.models import SlaPolicy

    SlaPolicy.objects.create(
        level=level("local"),
        tier=tier("diamond"),
        clock_kind="first_response",
        target_amount=1,
        target_unit="business_hours",
    )
    frozen.set(sh(2026, 3, 2, 9, 0))
    vip = open_complaint(by=supervisor, customer=CustomerFactory(tier=tier("diamond")))
    ordinary = open_complaint(by=supervisor)
    assert clock(vip, "first_response").due_at == sh(2026, 3, 2, 10, 0)
    assert clock(ordinary, "first_response").due_at == sh(2026, 3, 2, 14, 30)
    assert vip.risk_reasons == [["vip_tier", 10, ""]]


def test_a_recompute_that_moves_nothing_leaves_the_timeline_alone(frozen, outbox, supervisor):
    complaint = open_complaint(by=supervisor)
    recompute_open_clocks.call("test")
    assert not complaint.events.filter(kind="clocks_recomputed").exists()


def test_the_sweep_task_reports_what_it_did(frozen, outbox, agent):
    from yuqi.complaints.tasks import sweep_sla_alerts

    frozen.set(sh(2026, 3, 2, 9, 0))
    open_complaint(by=agent, owner=agent)
    frozen.set(sh(2026, 3, 2, 15, 0))
    assert sweep_sla_alerts.call() == "examined 1, sent 1, deferred 0"
    assert sweep_sla_alerts.call() == "examined 0, sent 0, deferred 0"


def test_the_clock_row_states_its_own_rules(frozen, outbox, supervisor):
    """SlaClock.clock_segments()/target()/status(): the read path and the stored columns agree."""
    from yuqi.calendars.facade import calendar_for

    frozen.set(sh(2026, 2, 13, 16, 0))
    row = clock(open_complaint(by=supervisor), "first_response")
    (segment,) = row.clock_segments()
    assert (segment.start, segment.end) == (sh(2026, 2, 13, 16, 0), None)
    assert row.target().duration == dt.timedelta(hours=4)
    status = row.status(at=sh(2026, 2, 14, 12, 0), calendar=calendar_for())
    assert status.due_at == row.due_at == sh(2026, 2, 14, 11, 0)
    assert status.breached


def test_a_sweep_reads_each_calendar_once(frozen, outbox, supervisor, monkeypatch):
    """One calendar cache (calendars.facade, job-scoped): more tickets, no more calendar reads."""
    from yuqi.calendars import facade as calendar_facade
    from yuqi.calendars import selectors as calendar_selectors

    # Forget the calendars an earlier test in this process kept (they live across requests).
    monkeypatch.setattr(calendar_facade, "_kept", None)

    frozen.set(sh(2026, 3, 2, 9, 0))
    for _ in range(3):
        open_complaint(by=supervisor)
    reads = []
    real = calendar_selectors.domain_calendar

    def counted(**kwargs):
        reads.append(kwargs)
        return real(**kwargs)

    from unittest import mock

    with mock.patch.object(calendar_selectors, "domain_calendar", counted):
        assert services.complaints_recompute_open_clocks(cause="test") == 3
    assert reads == [{"team_id": None, "name": None}]

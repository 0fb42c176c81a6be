"""After a promise is made: kept with evidence, renegotiated with history, cancelled, broken;
the reminder and broken-promise sweeps, each run twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import gettext as _

from tests.commitments.factories import TUESDAY_10, promise, sh
from yuqi.commitments.choices import CommitmentStatus
from yuqi.commitments.facade import commitment_settle
from yuqi.commitments.models import Commitment, CommitmentEvent
from yuqi.commitments.services import (
    commitment_cancel,
    commitment_fulfil,
    commitment_mark_broken,
    commitment_renegotiate,
    commitments_break_overdue,
    commitments_remind_due,
)
from yuqi.core.errors import DomainError
from yuqi.core.schedule import PERIODIC_JOBS

H = dt.timedelta(hours=1)
DUE = sh(2026, 3, 12, 17, 30)  # Thursday close of business


def kinds(commitment: Commitment) -> list[str]:
    return list(
        CommitmentEvent.objects.filter(commitment=commitment).values_list("kind", flat=True)
    )


# ------------------------------------------------------------------- fulfil
def test_fulfilling_needs_evidence(agent, calls):
    made = promise(by=agent, due_at=DUE)
    with pytest.raises(DomainError) as error:
        commitment_fulfil(commitment_id=made.pk, by_id=agent.pk, evidence=" ")
    assert error.value.field == "evidence"


def test_a_kept_promise_records_evidence_and_whether_it_was_on_time(agent, calls):
    made = promise(by=agent, due_at=DUE)
    kept = commitment_fulfil(
        commitment_id=made.pk,
        by_id=agent.pk,
        evidence="已回电, 通话记录 #8812",
        evidence_file="call-8812.mp3",
        at=DUE - H,
    )
    assert (kept.status, kept.fulfilled_at) == (CommitmentStatus.FULFILLED, DUE - H)
    event = CommitmentEvent.objects.get(commitment=made, kind="fulfilled")
    assert event.parameters == {
        "evidence": "已回电, 通话记录 #8812",
        "evidence_file": "call-8812.mp3",
        "on_time": True,
    }


def test_a_broken_promise_can_still_be_made_good_late(agent, calls):
    made = promise(by=agent, due_at=DUE)
    commitment_mark_broken(commitment_id=made.pk, at=DUE + H)
    late = commitment_fulfil(commitment_id=made.pk, by_id=agent.pk, evidence="补办", at=DUE + 5 * H)
    assert late.status == CommitmentStatus.FULFILLED
    assert late.broken_at == DUE + H
    assert (
        CommitmentEvent.objects.get(commitment=made, kind="fulfilled").parameters["on_time"]
        is False
    )


def test_a_cancelled_promise_cannot_be_fulfilled(agent, calls):
    made = promise(by=agent, due_at=DUE)
    commitment_cancel(commitment_id=made.pk, by_id=agent.pk, reason="客户撤回诉求")
    with pytest.raises(DomainError) as error:
        commitment_fulfil(commitment_id=made.pk, by_id=agent.pk, evidence="x")
    assert error.value.code == "conflict"


# -------------------------------------------------------------- renegotiate
def test_renegotiation_keeps_every_due_time_in_the_ledger(agent, calls):
    made = promise(by=agent, due_at=DUE)
    first = sh(2026, 3, 13, 17, 30)
    second = sh(2026, 3, 16, 12, 0)
    commitment_renegotiate(
        commitment_id=made.pk, by_id=agent.pk, due_at=first, reason="备件未到", at=TUESDAY_10 + H
    )
    again = commitment_renegotiate(
        commitment_id=made.pk,
        by_id=agent.pk,
        due_at=second,
        reason="客户改约",
        at=TUESDAY_10 + 2 * H,
    )
    assert (again.status, again.due_at) == (CommitmentStatus.RENEGOTIATED, second)
    history = [
        (e.parameters["old_due"], e.parameters["new_due"], e.parameters["reason"])
        for e in CommitmentEvent.objects.filter(commitment=made, kind="renegotiated")
    ]
    iso = [t.astimezone(dt.UTC).isoformat() for t in (DUE, first, second)]
    assert history == [(iso[0], iso[1], "备件未到"), (iso[1], iso[2], "客户改约")]


def test_the_customer_is_told_of_the_new_due_time(agent, calls):
    made = promise(by=agent, due_at=DUE)
    new_due = sh(2026, 3, 13, 17, 30)
    commitment_renegotiate(
        commitment_id=made.pk, by_id=agent.pk, due_at=new_due, reason="备件未到", at=TUESDAY_10
    )
    changed = calls.customer[-1]
    assert changed["template"] == "commitment_changed"
    assert (changed["context"]["old_due"], changed["context"]["new_due"]) == (DUE, new_due)
    assert changed["context"]["reason"] == "备件未到"


def test_renegotiation_needs_a_reason(agent, calls):
    made = promise(by=agent, due_at=DUE)
    with pytest.raises(DomainError) as error:
        commitment_renegotiate(
            commitment_id=made.pk, by_id=agent.pk, due_at=DUE + H, reason="", at=TUESDAY_10
        )
    assert error.value.field == "reason"


def test_renegotiation_rearms_the_reminder(agent, calls):
    made = promise(by=agent, due_at=DUE)
    commitments_remind_due(at=DUE - H)
    moved = commitment_renegotiate(
        commitment_id=made.pk, by_id=agent.pk, due_at=DUE + 24 * H, reason="改约", at=DUE - H / 2
    )
    assert moved.reminder_sent_at is None
    assert moved.remind_at > DUE


# ------------------------------------------------------------------ reminders
def test_the_reminder_sweep_run_twice_sends_once(agent, calls):
    made = promise(by=agent, due_at=DUE)
    at = made.remind_at
    assert at == sh(2026, 3, 12, 15, 30)  # two business hours before
    assert commitments_remind_due(at=at) == 1
    assert commitments_remind_due(at=at + H / 4) == 0
    assert calls.templates("users") == ["commitment_reminder"]
    assert calls.users[0]["user_ids"] == {agent.pk}
    assert kinds(made).count("reminded") == 1


def test_no_reminder_before_its_time(agent, calls):
    made = promise(by=agent, due_at=DUE)
    assert commitments_remind_due(at=made.remind_at - dt.timedelta(minutes=1)) == 0


def test_a_kept_promise_is_not_reminded(agent, calls):
    made = promise(by=agent, due_at=DUE)
    commitment_fulfil(commitment_id=made.pk, by_id=agent.pk, evidence="已回电", at=TUESDAY_10 + H)
    assert commitments_remind_due(at=DUE - H) == 0


# --------------------------------------------------------------- breaking
def test_an_overdue_promise_breaks_alerts_and_raises_the_customers_risk(agent, supervisor, calls):
    made = promise(by=agent, due_at=DUE)
    assert commitments_break_overdue(at=DUE) == 0  # due "by 17:30": not yet broken
    assert commitments_break_overdue(at=DUE + dt.timedelta(minutes=1)) == 1
    made.refresh_from_db()
    assert (made.status, made.broken_at) == (CommitmentStatus.BROKEN, DUE + dt.timedelta(minutes=1))
    assert calls.risk_refreshed == [made.customer_id]
    assert calls.templates("users") == ["commitment_broken"]
    assert calls.users[0]["user_ids"] == {agent.pk, supervisor.pk}
    assert kinds(made) == ["made", "broken"]


def test_the_broken_sweep_run_twice_breaks_once(agent, calls):
    promise(by=agent, due_at=DUE)
    assert commitments_break_overdue(at=DUE + H) == 1
    assert commitments_break_overdue(at=DUE + 2 * H) == 0
    assert len(calls.risk_refreshed) == 1
    assert len(calls.users) == 1


def test_a_kept_promise_never_breaks(agent, calls):
    made = promise(by=agent, due_at=DUE)
    commitment_fulfil(commitment_id=made.pk, by_id=agent.pk, evidence="已回电", at=DUE - H)
    assert commitments_break_overdue(at=DUE + H) == 0


def test_a_broken_promise_on_a_complaint_goes_on_its_timeline(agent, calls):
    from tests.complaints.factories import open_complaint

    ticket = open_complaint(by=agent)
    promise(by=agent, customer=ticket.customer, complaint_id=ticket.pk, due_at=DUE)
    commitments_break_overdue(at=DUE + H)
    actions = [call["parameters"]["action"] for call in calls.complaint_events]
    assert actions == ["made", "broken"]


def test_breaking_raises_the_real_escalation_risk(agent, monkeypatch):
    """Through the real complaints facade: a broken promise is one of the risk's reasons."""
    from tests.complaints.factories import open_complaint
    from yuqi.commitments import ports
    from yuqi.complaints.models import Complaint

    monkeypatch.setattr(ports, "notify_customer", lambda **kw: None)
    monkeypatch.setattr(ports, "notify_users", lambda **kw: None)
    ticket = open_complaint(by=agent)
    before = Complaint.objects.get(pk=ticket.pk).risk_score
    promise(by=agent, customer=ticket.customer, complaint_id=ticket.pk, due_at=DUE)
    commitments_break_overdue(at=DUE + H)
    assert Complaint.objects.get(pk=ticket.pk).risk_score > before


# -------------------------------------------------------------- demo helper
def test_the_demo_can_settle_a_promise_at_a_past_time(agent, calls):
    made = promise(by=agent, due_at=DUE, notify=False)
    line = commitment_settle(commitment_id=made.pk, outcome="broken", at=DUE + H)
    assert (line.status, line.broken_at) == ("broken", DUE + H)
    assert calls.users == []
    assert calls.customer == []


def test_the_sweeps_are_periodic_jobs():
    tasks = {job.task for job in PERIODIC_JOBS}
    assert {
        "yuqi.commitments.tasks.remind_due_commitments",
        "yuqi.commitments.tasks.break_overdue_commitments",
    } <= tasks


def test_entering_a_missing_year_clears_the_provisional_mark(
    agent, calls, django_capture_on_commit_callbacks
):
    from yuqi.calendars.models import EnteredYear

    made = promise(by=agent, kind="other", at=sh(2026, 12, 30, 10), due_at=sh(2027, 1, 8, 17))
    assert made.assumed_years == [2027]
    with django_capture_on_commit_callbacks(execute=True):
        EnteredYear.objects.create(year=2027, note="国务院办公厅 2027 年节假日安排")
    made.refresh_from_db()
    assert made.assumed_years == []
    assert made.due_at == sh(2027, 1, 8, 17)  # what was promised stays


# ------------------------------------------------ review F-6: approval before keeping
def flagged_promise(agent):
    return promise(by=agent, kind="repair", due_at=TUESDAY_10 + 2 * H)


def test_a_rejected_promise_cannot_be_fulfilled(agent, supervisor, calls, frozen):
    from yuqi.commitments.services import commitment_reject

    flagged = flagged_promise(agent)
    commitment_reject(commitment_id=flagged.pk, by_id=supervisor.pk, reason="超出权限")
    with pytest.raises(DomainError):
        commitment_fulfil(commitment_id=flagged.pk, by_id=agent.pk, evidence="已付")


def test_the_sweep_breaks_a_pending_promise_past_due_and_closes_its_approval(
    agent, supervisor, calls, frozen
):
    """Decision: a promise still awaiting approval at its due time was made to the customer
    and not kept, so it counts as broken; its approval lapses (nobody can approve it now) and
    it can no longer be marked kept: the promiser records a new, compliant promise."""
    from yuqi.commitments.services import commitment_approve

    flagged = flagged_promise(agent)
    frozen.set(flagged.due_at + H)
    assert commitments_break_overdue() == 1
    flagged.refresh_from_db()
    assert (flagged.status, flagged.approval_state) == ("broken", "lapsed")
    lapsed_note = str(_("It was still awaiting approval."))
    assert lapsed_note in flagged.events.get(kind="broken").parameters["reason"]
    with pytest.raises(DomainError):
        commitment_approve(commitment_id=flagged.pk, by_id=supervisor.pk)
    with pytest.raises(DomainError):
        commitment_fulfil(commitment_id=flagged.pk, by_id=agent.pk, evidence="已付")


def test_an_approved_promise_broken_late_may_still_be_kept_late(agent, supervisor, calls, frozen):
    from yuqi.commitments.services import commitment_approve

    flagged = flagged_promise(agent)
    commitment_approve(commitment_id=flagged.pk, by_id=supervisor.pk)
    frozen.set(flagged.due_at + H)
    commitments_break_overdue()
    kept = commitment_fulfil(commitment_id=flagged.pk, by_id=agent.pk, evidence="已付")
    assert (kept.status, kept.approval_state) == ("fulfilled", "approved")


def test_cancelling_a_pending_promise_closes_its_approval(agent, calls, frozen):
    flagged = flagged_promise(agent)
    cancelled = commitment_cancel(commitment_id=flagged.pk, by_id=agent.pk, reason="客户不要了")
    assert (cancelled.status, cancelled.approval_state) == ("cancelled", "lapsed")


def test_the_migration_closes_approvals_of_promises_already_settled(agent):
    import importlib

    from django.apps import apps

    from tests.commitments.factories import CommitmentFactory

    migration = importlib.import_module("yuqi.commitments.migrations.0003_approval_lapsed")
    stale = [
        CommitmentFactory(promised_by=agent, status=status, approval_state="pending")
        for status in ("broken", "fulfilled", "cancelled")
    ]
    live = CommitmentFactory(promised_by=agent, status="open", approval_state="pending")
    migration.close_stale_approvals(apps, None)
    assert {Commitment.objects.get(pk=c.pk).approval_state for c in stale} == {"lapsed"}
    assert Commitment.objects.get(pk=live.pk).approval_state == "pending"

"""The complaint book (issue 16): playbooks, contact clock, high risk, by the book, regulator
appeals, retention callbacks, suggestions and praise — and every bad-input rule of the issue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from tests.complaints.factories import level, open_complaint, sh
from tests.complaints.test_workflow_services import callback, resolved
from tests.customers.factories import CustomerFactory
from yuqi.complaints import book, services
from yuqi.complaints.book_alerts import book_alerts_sweep
from yuqi.complaints.models import (
    Playbook,
    RecoveryAction,
    RetentionCallback,
    StepTick,
    TicketBook,
)
from yuqi.core.errors import DomainError


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def kinds(complaint) -> list[str]:
    return list(complaint.events.order_by("at", "id").values_list("kind", flat=True))


def step(complaint, playbook_code: str, step_code: str):
    return Playbook.objects.get(code=playbook_code).steps.get(code=step_code)


# ------------------------------------------------------------------ defaults
def test_every_level_and_type_has_a_default_playbook_with_its_source(db):
    levels = set(Playbook.objects.filter(scope="level").values_list("level__code", flat=True))
    types = set(Playbook.objects.filter(scope="type").values_list("complainer_type", flat=True))
    assert levels == {"local", "over_level", "regulator"}
    assert types == {"passive", "voicer", "irate", "activist"}
    for playbook in Playbook.objects.all():
        assert playbook.source
        assert playbook.steps.exists()
    assert Playbook.objects.get(code="level-over-level").contact_every_hours == 24
    assert Playbook.objects.get(code="type-activist").requires_senior_owner


# ------------------------------------------------------------------ playbooks
def test_ticking_a_step_records_an_event_and_ticking_it_twice_changes_nothing(
    supervisor, frozen, outbox
):
    ticket = open_complaint(by=supervisor, level_code="over_level")
    target = step(ticket, "level-over-level", "tell-supervisor")
    _tick, created = book.complaint_tick_step(complaint=ticket, step_id=target.pk, by=supervisor)
    _again, created_again = book.complaint_tick_step(
        complaint=ticket, step_id=target.pk, by=supervisor
    )
    assert created
    assert not created_again
    assert StepTick.objects.filter(complaint=ticket).count() == 1
    assert kinds(ticket).count("step_ticked") == 1


def test_a_step_of_another_playbook_is_refused(supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="local")
    other = step(ticket, "level-regulator", "pack")
    with pytest.raises(DomainError, match="not in the ticket's playbook"):
        book.complaint_tick_step(complaint=ticket, step_id=other.pk, by=supervisor)


def test_raising_the_level_switches_the_playbook_and_says_what_changed(supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="local")
    assert TicketBook.objects.get(complaint=ticket).contact_due_at is None
    ticket = services.complaint_escalate(
        complaint=ticket,
        level=level("over_level"),
        by=supervisor,
        expected_version=ticket.version,
        reason="客户打了总部热线",
    )
    event = ticket.events.get(kind="playbook_switched")
    assert "level-over-level" in event.parameters["added"]
    assert "level-local" in event.parameters["removed"]
    assert event.parameters["contact_after"] == 24
    assert TicketBook.objects.get(complaint=ticket).contact_due_at is not None


def test_confirming_the_type_switches_the_playbook(supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="local")
    ticket = services.complaint_confirm_type(
        complaint=ticket, complainer_type="irate", by=supervisor, expected_version=ticket.version
    )
    codes = [p.code for p in book.playbooks_for(ticket)]
    assert codes == ["level-local", "type-irate"]
    event = ticket.events.get(kind="playbook_switched")
    assert event.parameters["added"] == ["type-irate"] or "type-irate" in event.parameters["added"]
    assert TicketBook.objects.get(complaint=ticket).contact_every_hours == 12


def test_a_type_changed_after_closure_is_refused(supervisor, frozen, outbox):
    from tests.complaints.factories import root_cause

    ticket = callback(resolved(open_complaint(by=supervisor), supervisor), supervisor)
    ticket = services.complaint_close(
        complaint=ticket, by=supervisor, expected_version=ticket.version, root_cause=root_cause()
    )
    with pytest.raises(DomainError, match="closed"):
        services.complaint_confirm_type(
            complaint=ticket,
            complainer_type="activist",
            by=supervisor,
            expected_version=ticket.version,
        )


# ------------------------------------------------------------------ contact clock
def test_a_contact_attempt_restarts_the_contact_clock(supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="over_level")
    first_due = TicketBook.objects.get(complaint=ticket).contact_due_at
    frozen.set(sh(2026, 3, 3, 15))
    book.complaint_log_contact(complaint=ticket, channel="phone", reached=False, by=supervisor)
    row = TicketBook.objects.get(complaint=ticket)
    assert row.contact_restarted_at == sh(2026, 3, 3, 15)
    assert row.contact_due_at > first_due
    assert "contact_attempt" in kinds(ticket)


def test_contact_attempt_with_an_unknown_channel_is_refused(supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="over_level")
    with pytest.raises(DomainError, match="channel"):
        book.complaint_log_contact(complaint=ticket, channel="pigeon", reached=True, by=supervisor)


def test_a_contact_clock_in_a_year_without_holiday_data_is_flagged(supervisor, frozen, outbox):
    frozen.set(sh(2027, 3, 1, 9))
    ticket = open_complaint(by=supervisor, level_code="regulator")
    assert TicketBook.objects.get(complaint=ticket).contact_assumed_years == [2027]


def test_the_sweep_warns_the_owner_then_tells_the_supervisor_once(supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="over_level", owner=supervisor)
    row = TicketBook.objects.get(complaint=ticket)
    book_alerts_sweep(at=row.contact_warn_at + dt.timedelta(minutes=1))
    assert TicketBook.objects.get(pk=row.pk).contact_warned_at is not None
    result = book_alerts_sweep(at=row.contact_due_at + dt.timedelta(minutes=1))
    assert result.contact_lapses == 1
    again = book_alerts_sweep(at=row.contact_due_at + dt.timedelta(minutes=2))
    assert again.contact_lapses == 0
    assert again.contact_warnings == 0
    assert [e.parameters["threshold"] for e in ticket.events.filter(kind="contact_alert")] == [
        "due_soon",
        "lapsed",
    ]


# ------------------------------------------------------------------ high risk
def test_crossing_the_risk_threshold_alerts_the_supervisor_once(
    supervisor, frozen, outbox, settings
):
    settings.YUQI_HIGH_RISK_THRESHOLD = 10
    ticket = open_complaint(
        by=supervisor, account="我要找媒体曝光，还要投诉到工信部，再不解决就找律师！"
    )
    assert ticket.risk_score >= 10
    assert book_alerts_sweep().risk_alerts == 1
    assert book_alerts_sweep().risk_alerts == 0
    assert ticket.events.filter(kind="risk_alert").count() == 1
    assert any(m["context"].get("what") == "high_risk" for m in outbox.users)


def test_an_activist_ticket_needs_a_senior_owner_and_notifies_pr_and_legal(
    supervisor, agent, frozen, outbox
):
    ticket = open_complaint(by=supervisor)
    ticket = services.complaint_confirm_type(
        complaint=ticket,
        complainer_type="activist",
        by=supervisor,
        expected_version=ticket.version,
    )
    assert ticket.events.filter(kind="pr_legal_notice").count() == 1
    with pytest.raises(DomainError, match="senior owner"):
        resolved(ticket, supervisor)
    with pytest.raises(DomainError, match="supervisor or a manager"):
        book.complaint_name_senior_owner(complaint=ticket, senior=agent, by=supervisor)
    book.complaint_name_senior_owner(complaint=ticket, senior=supervisor, by=supervisor)
    ticket.refresh_from_db()
    assert ticket.state == "agreed"
    ticket = services.complaint_transition(
        complaint=ticket, target="resolved", by=supervisor, expected_version=ticket.version
    )
    assert ticket.state == "resolved"


# ------------------------------------------------------------------ by the book
def test_recovery_above_the_service_standard_on_an_over_level_ticket_needs_approval(
    supervisor, frozen, outbox, monkeypatch
):
    monkeypatch.setattr(
        "yuqi.complaints.outbound.standard_amount_limit", lambda **kw: Decimal("50")
    )
    over = open_complaint(by=supervisor, level_code="over_level")
    action = services.complaint_add_recovery(
        complaint=over,
        kind="compensation",
        amount=Decimal("80"),
        by=supervisor,
        expected_version=over.version,
    )
    assert action.status == "pending"
    assert action.flags == ["above_standard"]
    local = open_complaint(by=supervisor, level_code="local")
    same = services.complaint_add_recovery(
        complaint=local,
        kind="compensation",
        amount=Decimal("80"),
        by=supervisor,
        expected_version=local.version,
    )
    assert same.status == "approved"
    assert same.flags == []


def test_an_agreement_above_the_standard_on_a_regulator_ticket_awaits_approval(
    supervisor, frozen, outbox
):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    services.complaint_record_agreement(
        complaint=ticket,
        by=supervisor,
        expected_version=ticket.version,
        solution="免收三个月月租",
        accepted=True,
        above_standard=True,
    )
    pending = RecoveryAction.objects.get(complaint=ticket)
    assert pending.status == "pending"
    assert pending.flags == ["above_standard"]


# ------------------------------------------------------------------ regulator appeals
def appeal(ticket, by, **overrides):
    data = {
        "number": "GX-2026-0001",
        "body": "miit",
        "received_on": dt.date(2026, 2, 27),
        "dispute": "billing",
        "event_date": dt.date(2025, 12, 1),
        **overrides,
    }
    return book.complaint_record_appeal(complaint=ticket, data=book.AppealInput(**data), by=by)


def test_an_appeal_gets_its_time_bar_and_statutory_deadlines(supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    row = appeal(ticket, supervisor)
    assert row.time_bar_status == "within"
    assert row.time_bar_last_day == dt.date(2026, 5, 1)
    # Fri 27 Feb + 5 working days: Sat 28 Feb is a 调休 make-up working day (Spring Festival
    # 2026), then 2, 3, 4, 5 March
    assert row.acceptance_due == dt.date(2026, 3, 5)
    assert row.reply_due == dt.date(2026, 3, 30)  # 29 Mar is a Sunday → Monday
    assert "appeal_recorded" in kinds(ticket)


def test_an_appeal_without_an_event_date_has_an_unknown_time_bar(supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    row = appeal(ticket, supervisor, event_date=None)
    assert row.time_bar_status == "unknown"
    assert row.time_bar_last_day is None


def test_an_event_date_after_the_appeal_date_is_refused(supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    with pytest.raises(DomainError, match="after the appeal date"):
        appeal(ticket, supervisor, event_date=dt.date(2026, 2, 28))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"number": "  "}, "number"),
        ({"number": "A\nB"}, "number"),
        ({"body": "cctv"}, "body"),
        ({"dispute": "love"}, "dispute"),
        ({"received_on": dt.date(2026, 4, 1)}, "received_on"),
        ({"materials_complete_on": dt.date(2026, 2, 1)}, "materials_complete_on"),
    ],
)
def test_bad_appeals_are_refused(supervisor, frozen, outbox, overrides, field):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    with pytest.raises(DomainError) as caught:
        appeal(ticket, supervisor, **overrides)
    assert caught.value.field == field


def test_appeal_deadlines_are_alerted_once(supervisor, frozen, outbox):
    ticket = open_complaint(by=supervisor, level_code="regulator")
    appeal(ticket, supervisor)
    assert book_alerts_sweep(at=sh(2026, 3, 5, 10)).appeal_alerts == 1
    assert book_alerts_sweep(at=sh(2026, 3, 5, 11)).appeal_alerts == 0


# ------------------------------------------------------------------ passive complainers
def test_a_passive_complainer_gets_a_retention_callback_after_closing(supervisor, frozen, outbox):
    from tests.complaints.factories import root_cause

    ticket = open_complaint(by=supervisor)
    ticket = services.complaint_confirm_type(
        complaint=ticket, complainer_type="passive", by=supervisor, expected_version=ticket.version
    )
    ticket = callback(resolved(ticket, supervisor), supervisor)
    frozen.set(sh(2026, 3, 6, 17))  # a Friday
    ticket = services.complaint_close(
        complaint=ticket, by=supervisor, expected_version=ticket.version, root_cause=root_cause()
    )
    task = RetentionCallback.objects.get(complaint=ticket)
    assert task.due_at.astimezone(sh(2026, 1, 1).tzinfo).date() == dt.date(2026, 3, 11)
    assert book_alerts_sweep(at=task.due_at).retention_alerts == 1
    assert book_alerts_sweep(at=task.due_at).retention_alerts == 0
    book.retention_record(callback=task, outcome="retained", note="客户愿意继续使用", by=supervisor)
    with pytest.raises(DomainError):
        book.retention_record(callback=task, outcome="lost", by=supervisor)
    assert "retention_done" in kinds(ticket)


# ------------------------------------------------------------------ suggestions and praise
def test_a_suggestion_is_routed_to_an_analyst_and_the_customer_thanked(
    supervisor, analyst, frozen, outbox
):
    customer = CustomerFactory()
    row = book.feedback_record(
        customer_id=customer.pk,
        kind="suggestion",
        text="希望营业厅周末也能办理过户",
        topic="service.hours",
        source="contact",
        by=supervisor,
    )
    assert row.owner == analyst
    assert row.thanked_at is not None
    assert outbox.customer[-1]["template"] == "feedback_thanks"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "threat"}, "kind"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 5000}, "text"),
        ({"topic": "=HYPERLINK(1)"}, "topic"),
        ({"customer_id": 0}, "customer"),
    ],
)
def test_bad_suggestions_are_refused(supervisor, frozen, outbox, overrides, field):
    data = {
        "customer_id": CustomerFactory().pk,
        "kind": "praise",
        "text": "客服李娜很耐心",
        "source": "api",
        "by": supervisor,
        **overrides,
    }
    with pytest.raises(DomainError) as caught:
        book.feedback_record(**data)
    assert caught.value.field == field

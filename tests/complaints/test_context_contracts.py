"""End to end through the other contexts' real facades (ADR 0002): notifications log every
message under ``complaint:<id>``, the agreement's promise lands in the ledger, and broken
promises feed the escalation risk."""

from __future__ import annotations

from tests.complaints.conftest import REAL_BROKEN_COMMITMENT_COUNT
from tests.complaints.factories import open_complaint, sh
from tests.complaints.test_workflow_services import move
from yuqi.complaints import services


def test_customer_messages_are_logged_under_the_ticket(frozen, supervisor):
    from yuqi.notifications.facade import messages_about

    ticket = open_complaint(by=supervisor)
    messages = messages_about(f"complaint:{ticket.pk}")
    assert {m.template for m in messages} == {"complaint_received"}
    assert {m.channel for m in messages} == {"sms", "email"}
    assert ticket.number in messages[0].body
    event = ticket.events.get(kind="customer_notified")
    assert event.parameters["channels"] == ["email", "sms"]
    assert sorted(event.parameters["message_ids"]) == sorted(m.id for m in messages)


def test_a_shelved_need_becomes_a_department_reply_promise(frozen, outbox, supervisor):
    from yuqi.commitments.facade import commitments_for_complaint

    ticket = move(open_complaint(by=supervisor), "acknowledged", supervisor)
    ticket = move(ticket, "solution_proposed", supervisor)
    ticket = services.complaint_record_agreement(
        complaint=ticket,
        by=supervisor,
        expected_version=ticket.version,
        shelved_need="要求在小区新建基站",
        forwarded_department="网络建设部",
        promised_answer_at=sh(2026, 3, 16, 17, 30),
    )
    (line,) = commitments_for_complaint(ticket.pk)
    assert line.id == ticket.agreement_commitment_id
    assert line.kind == "department_reply"


def test_the_broken_promise_count_comes_from_the_ledger(frozen, outbox, supervisor, monkeypatch):
    monkeypatch.setattr(
        "yuqi.complaints.outbound.broken_commitment_count", REAL_BROKEN_COMMITMENT_COUNT
    )
    ticket = open_complaint(by=supervisor)  # no promises yet: nothing broken
    assert ticket.risk_score == 0

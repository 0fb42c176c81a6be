"""The workflow through the services: events, refusals, agreement, recovery, callback, close."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from tests.accounts.factories import UserFactory
from tests.complaints.factories import open_complaint, root_cause, sh
from yuqi.complaints import services
from yuqi.complaints.models import ComplaintEvent
from yuqi.core.errors import DomainError


@pytest.fixture(autouse=True)
def english():
    """The refusals are checked by their English wording (Chinese is the site default)."""
    with translation.override("en"):
        yield


def move(complaint, target, by, **kwargs):
    return services.complaint_transition(
        complaint=complaint, target=target, by=by, expected_version=complaint.version, **kwargs
    )


def agreed(complaint, by):
    complaint = move(complaint, "acknowledged", by)
    complaint = move(complaint, "investigating", by)
    complaint = move(complaint, "solution_proposed", by)
    complaint = services.complaint_record_agreement(
        complaint=complaint,
        by=by,
        expected_version=complaint.version,
        solution="退还多扣的 30 元，并关闭误开的流量包",
        accepted=True,
    )
    return move(complaint, "agreed", by)


def resolved(complaint, by):
    return move(agreed(complaint, by), "resolved", by)


def callback(complaint, by, *, satisfied=True):
    return services.complaint_record_callback(
        complaint=complaint,
        by=by,
        expected_version=complaint.version,
        solved=True,
        expectation_met=True,
        attitude_ok=satisfied,
    )


def kinds(complaint) -> list[str]:
    return list(complaint.events.order_by("at", "id").values_list("kind", flat=True))


def test_opening_numbers_scores_starts_clocks_and_tells_the_customer(frozen, outbox, supervisor):
    complaint = open_complaint(by=supervisor, account="再不解决我就投诉到工信部！")
    assert complaint.number == "TS-20260302-0001"
    assert complaint.state == "new"
    assert complaint.risk_score == 25  # regulator 25 (one "！" is not anger in the text signals)
    assert complaint.complainer_type_suggested == "irate"
    assert sorted(complaint.clocks.values_list("kind", flat=True)) == [
        "first_response",
        "resolution",
    ]
    assert kinds(complaint) == ["opened", "customer_notified"]
    (message,) = outbox.customer
    assert message["template"] == "complaint_received"
    assert message["subject"] == f"complaint:{complaint.pk}"
    assert message["context"]["out_of_hours"] is False


def test_opening_out_of_hours_says_when_to_expect_a_reply(frozen, outbox, supervisor):
    frozen.set(sh(2026, 3, 2, 21, 0))  # Monday evening
    open_complaint(by=supervisor)
    context = outbox.customer[0]["context"]
    assert context["out_of_hours"] is True
    # 4 business hours from Tue 08:30: 08:30–12:00 (3.5 h) + 13:30–14:00
    assert context["first_response_due"] == sh(2026, 3, 3, 14, 0)


def test_a_full_lifecycle_ends_closed_with_every_step_on_the_timeline(frozen, outbox, supervisor):
    complaint = resolved(open_complaint(by=supervisor), supervisor)
    complaint = callback(complaint, supervisor)
    assert complaint.state == "callback_done"
    complaint = services.complaint_close(
        complaint=complaint,
        by=supervisor,
        expected_version=complaint.version,
        root_cause=root_cause(),
    )
    assert complaint.state == "closed"
    assert complaint.closed_at is not None
    assert kinds(complaint).count("transitioned") == 7
    assert kinds(complaint)[-1] == "closed"
    assert [m["template"] for m in outbox.customer] == [
        "complaint_received",
        "complaint_status",
        "complaint_resolved",
    ]


def test_an_illegal_move_is_refused_with_both_states_named(frozen, outbox, supervisor):
    complaint = open_complaint(by=supervisor)
    with pytest.raises(DomainError) as refused:
        move(complaint, "resolved", supervisor)
    assert refused.value.code == "transition_refused"
    assert "New" in refused.value.message
    assert "Resolved" in refused.value.message
    complaint.refresh_from_db()
    assert complaint.state == "new"
    assert complaint.version == 1  # the refused move changed nothing


def test_agreed_needs_an_accepted_solution(frozen, outbox, supervisor):
    complaint = move(open_complaint(by=supervisor), "acknowledged", supervisor)
    complaint = move(complaint, "solution_proposed", supervisor)
    with pytest.raises(DomainError, match="accepted"):
        move(complaint, "agreed", supervisor)


def test_closing_needs_a_root_cause(frozen, outbox, supervisor):
    complaint = callback(resolved(open_complaint(by=supervisor), supervisor), supervisor)
    with pytest.raises(DomainError, match="root cause"):
        services.complaint_close(
            complaint=complaint, by=supervisor, expected_version=complaint.version
        )


def test_an_unsatisfied_callback_sends_the_ticket_into_recovery(frozen, outbox, supervisor):
    complaint = callback(
        resolved(open_complaint(by=supervisor), supervisor), supervisor, satisfied=False
    )
    assert complaint.state == "recovery"
    assert complaint.callback_attitude_ok is False
    # a new resolution clock runs again while the recovery is worked
    assert complaint.clocks.filter(kind="resolution", phase="running").count() == 1
    # after recovery, a fresh callback is needed: the old answers do not count
    complaint = move(complaint, "resolved", supervisor)
    assert complaint.callback_satisfied is None
    with pytest.raises(DomainError, match="callback"):
        move(complaint, "callback_done", supervisor)


def test_shelving_records_a_department_reply_promise(frozen, outbox, supervisor, monkeypatch):
    recorded = []

    class Line:
        id = 77

    def commitment_record(**kwargs):
        recorded.append(kwargs)
        return Line()

    monkeypatch.setattr("yuqi.complaints.outbound.commitment_record", commitment_record)
    complaint = move(open_complaint(by=supervisor), "acknowledged", supervisor)
    complaint = move(complaint, "solution_proposed", supervisor)
    complaint = services.complaint_record_agreement(
        complaint=complaint,
        by=supervisor,
        expected_version=complaint.version,
        shelved_need="基站扩容",
        forwarded_department="网络部",
        promised_answer_at=sh(2026, 3, 9, 17, 0),
    )
    assert complaint.agreement_commitment_id == 77
    (call,) = recorded
    assert call["kind"] == "department_reply"
    assert call["department"] == "网络部"
    assert call["due_at"] == sh(2026, 3, 9, 17, 0)
    assert call["complaint_id"] == complaint.pk
    complaint = move(complaint, "shelved_forwarded", supervisor)
    assert outbox.customer[-1]["context"]["due"] == sh(2026, 3, 9, 17, 0)


def test_compensation_beyond_authority_needs_another_approver(frozen, outbox, supervisor):
    complaint = agreed(open_complaint(by=supervisor), supervisor)
    action = services.complaint_add_recovery(
        complaint=complaint,
        kind="compensation",
        amount=Decimal("500"),
        by=supervisor,
        expected_version=complaint.version,
    )
    assert action.status == "pending"
    complaint.refresh_from_db()
    with pytest.raises(DomainError, match="approval"):
        move(complaint, "resolved", supervisor)
    with pytest.raises(DomainError, match="other than the proposer"):
        services.complaint_approve_recovery(action=action, by=supervisor)
    colleague = UserFactory(roles=["supervisor"])
    action = services.complaint_approve_recovery(action=action, by=colleague)
    assert (action.status, action.approver) == ("approved", colleague)
    complaint.refresh_from_db()
    assert move(complaint, "resolved", supervisor).state == "resolved"


def test_small_compensation_is_approved_at_once(frozen, outbox, supervisor):
    complaint = agreed(open_complaint(by=supervisor), supervisor)
    action = services.complaint_add_recovery(
        complaint=complaint,
        kind="compensation",
        amount=Decimal("30"),
        by=supervisor,
        expected_version=complaint.version,
    )
    assert action.status == "approved"
    assert action.cost == Decimal("30")


def test_reopening_a_closed_ticket_counts_and_restarts_resolution(frozen, outbox, supervisor):
    complaint = callback(resolved(open_complaint(by=supervisor), supervisor), supervisor)
    complaint = services.complaint_close(
        complaint=complaint,
        by=supervisor,
        expected_version=complaint.version,
        root_cause=root_cause(),
    )
    complaint = services.complaint_reopen(
        complaint=complaint,
        by=supervisor,
        expected_version=complaint.version,
        reason="客户反馈又被扣费",
    )
    assert (complaint.state, complaint.reopen_count, complaint.closed_at) == (
        "investigating",
        1,
        None,
    )
    assert complaint.clocks.filter(kind="resolution").count() == 2
    assert "reopened" in kinds(complaint)


def test_escalation_must_raise_the_level(frozen, outbox, supervisor):
    from tests.complaints.factories import level

    complaint = open_complaint(by=supervisor, level_code="over_level")
    with pytest.raises(DomainError, match="raise the level"):
        services.complaint_escalate(
            complaint=complaint,
            level=level("local"),
            by=supervisor,
            expected_version=complaint.version,
            reason="x",
        )


def test_confirming_the_type_and_the_checklist_are_events(frozen, outbox, supervisor):
    complaint = open_complaint(by=supervisor)
    complaint = services.complaint_confirm_type(
        complaint=complaint,
        complainer_type="voicer",
        by=supervisor,
        expected_version=complaint.version,
    )
    complaint = services.complaint_update_checklist(
        complaint=complaint,
        by=supervisor,
        expected_version=complaint.version,
        items={"expectations_ranked": True, "reason_given": True},
    )
    assert complaint.complainer_type == "voicer"
    assert complaint.chk_expectations_ranked
    assert complaint.chk_reason_given
    assert not complaint.chk_solution_agreed
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="checklist_updated").exists()


def test_updating_the_account_rescores_the_risk(frozen, outbox, supervisor):
    complaint = open_complaint(by=supervisor)
    assert complaint.risk_score == 0
    complaint = services.complaint_update(
        complaint=complaint,
        by=supervisor,
        expected_version=complaint.version,
        changes={"account": "不处理我就找记者曝光"},
    )
    assert complaint.risk_score == 20
    assert complaint.complainer_type_suggested == "activist"


def test_a_second_save_with_the_same_version_is_a_conflict(frozen, outbox, supervisor, manager):
    complaint = open_complaint(by=supervisor)
    services.complaint_update(
        complaint=complaint, by=supervisor, expected_version=1, changes={"demand": "退费"}
    )
    with pytest.raises(services.ConflictError) as conflict:
        services.complaint_update(
            complaint=complaint, by=manager, expected_version=1, changes={"demand": "赔偿"}
        )
    assert conflict.value.code == "conflict"
    complaint.refresh_from_db()
    assert (complaint.demand, complaint.version) == ("退费", 2)


# ------------------------------------------------------------ one move service
def test_the_ticket_page_closes_through_the_closing_service(as_user, frozen, outbox, supervisor):
    """The page used to send a posted "closed" through complaint_transition, which skipped the
    closing event; complaint_move sends it to complaint_close for the page and the API alike."""
    from django.urls import reverse

    complaint = callback(resolved(open_complaint(by=supervisor), supervisor), supervisor)
    complaint.root_cause = root_cause()
    complaint.save(update_fields=["root_cause"])
    as_user(supervisor).post(
        reverse("complaints:detail", args=[complaint.number]),
        {"action": "transition", "target": "closed", "version": complaint.version},
        HTTP_HX_REQUEST="true",
    )
    complaint.refresh_from_db()
    assert complaint.state == "closed"
    assert complaint.events.filter(kind="closed").count() == 1


def test_a_move_from_closed_into_recovery_is_a_reopen_into_recovery(frozen, outbox, supervisor):
    """The page reopened every reopen move into investigating whatever the target, the API
    skipped the reopen event for this one: both now reopen into the target asked for."""
    complaint = closed_for(supervisor)
    moved = services.complaint_move(
        complaint=complaint,
        target="recovery",
        by=supervisor,
        expected_version=complaint.version,
        note="客户仍不满意",
    )
    assert (moved.state, moved.reopen_count) == ("recovery", 1)
    assert "reopened" in kinds(moved)


def test_complaint_transition_leaves_closing_and_reopening_to_their_services(
    frozen, outbox, supervisor
):
    complaint = closed_for(supervisor)
    with pytest.raises(DomainError, match="own actions"):
        move(complaint, "investigating", supervisor)


def closed_for(by):
    complaint = callback(resolved(open_complaint(by=by), by), by)
    return services.complaint_close(
        complaint=complaint, by=by, expected_version=complaint.version, root_cause=root_cause()
    )


def test_one_edit_changes_details_owner_and_checklist_in_one_go(frozen, outbox, supervisor):
    """complaint_edit: what PATCH /complaints/{id} composed in the endpoint, as one service."""
    owner = UserFactory()
    complaint = open_complaint(by=supervisor)
    edited = services.complaint_edit(
        complaint=complaint,
        by=supervisor,
        expected_version=complaint.version,
        changes={"demand": "退还 30 元"},
        assign=(owner, None),
        checklist={"reason_given": True},
    )
    assert (edited.demand, edited.owner_id, edited.chk_reason_given) == (
        "退还 30 元",
        owner.pk,
        True,
    )
    assert edited.version == complaint.version + 3


def test_an_edit_that_changes_nothing_still_refuses_a_stale_version(frozen, outbox, supervisor):
    complaint = open_complaint(by=supervisor)
    with pytest.raises(services.ConflictError):
        services.complaint_edit(
            complaint=complaint, by=supervisor, expected_version=complaint.version - 1
        )

"""Recording a promise: the guard at entry, the suggested due, approval, the complaint link.

Default service standards come with the migrations (yuqi.commitments.defaults): refund 3 + 1
working days; repair 24 + 12 calendar hours (gold and diamond 12 + 6); compensation limit
200 yuan; agent authority 50 yuan, supervisor 500, manager 5000; priority_repair from gold.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.commitments.factories import TUESDAY_10, promise, sh
from tests.customers.factories import CustomerFactory, tier
from yuqi.commitments.choices import ApprovalState, CommitmentStatus
from yuqi.commitments.models import CommitmentEvent
from yuqi.commitments.services import (
    commitment_approve,
    commitment_check,
    commitment_reject,
)
from yuqi.core.errors import DomainError

H = dt.timedelta(hours=1)


def test_without_a_due_time_the_suggested_due_keeps_the_margin_across_spring_festival(agent, calls):
    made = promise(by=agent, kind="refund", text="退还多扣的 30 元", at=sh(2026, 2, 12, 10))
    # Working days Fri 13, Sat 14 (调休), Tue 24 (standard), Wed 25 (+1 buffer).
    assert made.due_at == sh(2026, 2, 25, 17, 30)
    assert made.approval_state == ApprovalState.NOT_NEEDED
    assert made.assumed_years == []


def test_a_promise_within_the_standard_is_told_to_the_customer(agent, calls):
    made = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 36 * H)
    assert made.flags == []
    assert calls.templates() == ["commitment_made"]
    assert calls.customer[0]["subject"] == f"commitment:{made.pk}"
    assert calls.customer[0]["context"]["due"] == made.due_at


def test_a_repair_faster_than_the_standard_is_recorded_but_awaits_approval(agent, calls):
    made = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 12 * H)
    assert made.pk is not None
    assert [flag["code"] for flag in made.flags] == ["too_fast"]
    assert made.approval_state == ApprovalState.PENDING
    assert calls.customer == []  # not told until approved
    event = CommitmentEvent.objects.get(commitment=made)
    assert (event.kind, event.parameters["flags"]) == ("made", ["too_fast"])


def test_a_gold_customers_repair_standard_is_faster(agent, calls):
    gold = CustomerFactory(tier=tier("gold"))
    made = promise(by=agent, customer=gold, kind="repair", due_at=TUESDAY_10 + 12 * H)
    assert made.flags == []


def test_compensation_beyond_the_agents_authority_needs_approval(agent, calls):
    made = promise(by=agent, kind="compensation", amount=Decimal("80"), text="补偿 80 元话费")
    assert [flag["code"] for flag in made.flags] == ["over_authority"]
    assert made.flags[0]["params"] == {"amount": "80.00", "limit": "50.00"}


def test_the_same_compensation_is_within_a_supervisors_authority(supervisor, calls):
    made = promise(by=supervisor, kind="compensation", amount=Decimal("80"))
    assert made.approval_state == ApprovalState.NOT_NEEDED


def test_a_vip_perk_promised_to_an_ordinary_customer_needs_approval(agent, calls):
    made = promise(by=agent, kind="repair", perk="priority_repair")
    assert [flag["code"] for flag in made.flags] == ["perk_above_tier"]


def test_a_vip_perk_promised_to_a_gold_customer_is_fine(agent, calls):
    gold = CustomerFactory(tier=tier("gold"))
    made = promise(by=agent, customer=gold, kind="repair", perk="priority_repair")
    assert made.flags == []


def test_an_unknown_perk_is_refused(agent, calls):
    with pytest.raises(DomainError) as error:
        promise(by=agent, kind="repair", perk="free_phone")
    assert error.value.field == "perk"


def test_a_due_time_before_the_promise_is_refused(agent, calls):
    with pytest.raises(DomainError) as error:
        promise(by=agent, due_at=TUESDAY_10 - H)
    assert error.value.field == "due_at"


def test_an_empty_promise_is_refused(agent, calls):
    with pytest.raises(DomainError):
        promise(by=agent, text="   ")


def test_a_due_time_in_a_year_without_holiday_data_is_marked_provisional(agent, calls):
    made = promise(by=agent, kind="other", at=sh(2026, 12, 30, 10), due_at=sh(2027, 1, 8, 17))
    assert made.assumed_years == [2027]


def test_the_check_alone_saves_nothing(agent, calls):
    customer = CustomerFactory()
    check = commitment_check(
        customer_id=customer.pk,
        kind="callback",
        promised_by_id=agent.pk,
        promised_at=TUESDAY_10,
    )
    assert check.due == sh(2026, 3, 10, 13, 30) + 1 * H  # 2 + 1 business hours over lunch
    assert not CommitmentEvent.objects.exists()


# ------------------------------------------------------------------ approval
def test_approval_tells_the_customer_and_is_recorded(agent, supervisor, calls):
    made = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 12 * H)
    approved = commitment_approve(commitment_id=made.pk, by_id=supervisor.pk, note="工程师已确认")
    assert approved.approval_state == ApprovalState.APPROVED
    assert approved.approved_by_id == supervisor.pk
    assert calls.templates() == ["commitment_made"]
    kinds = list(CommitmentEvent.objects.filter(commitment=made).values_list("kind", flat=True))
    assert kinds == ["made", "approved"]


def test_nobody_approves_their_own_promise(supervisor, calls):
    made = promise(by=supervisor, kind="repair", due_at=TUESDAY_10 + 12 * H)
    with pytest.raises(DomainError):
        commitment_approve(commitment_id=made.pk, by_id=supervisor.pk)


def test_an_approver_needs_authority_for_the_amount(agent, supervisor, manager, calls):
    made = promise(by=agent, kind="compensation", amount=Decimal("1000"))
    with pytest.raises(DomainError) as error:
        commitment_approve(commitment_id=made.pk, by_id=supervisor.pk)
    assert error.value.field == "amount"
    commitment_approve(commitment_id=made.pk, by_id=manager.pk)


def test_a_promise_not_awaiting_approval_cannot_be_approved(agent, supervisor, calls):
    made = promise(by=agent)
    with pytest.raises(DomainError) as error:
        commitment_approve(commitment_id=made.pk, by_id=supervisor.pk)
    assert error.value.code == "conflict"


def test_rejection_cancels_the_promise_and_tells_the_promiser(agent, supervisor, calls):
    made = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 2 * H)
    rejected = commitment_reject(commitment_id=made.pk, by_id=supervisor.pk, reason="做不到")
    assert (rejected.status, rejected.approval_state) == (
        CommitmentStatus.CANCELLED,
        ApprovalState.REJECTED,
    )
    assert calls.templates("users") == ["commitment_rejected"]
    assert calls.customer == []


# ---------------------------------------------------------------- complaint
def test_a_promise_on_a_complaint_is_written_on_its_timeline(agent, calls):
    from tests.complaints.factories import open_complaint

    promise(by=agent)
    assert calls.complaint_events == []  # no complaint, no event
    ticket = open_complaint(by=agent)
    linked = promise(by=agent, customer=ticket.customer, complaint_id=ticket.pk)
    assert calls.complaint_events == [
        {
            "complaint_id": ticket.pk,
            "by_id": agent.pk,
            "parameters": {
                "action": "made",
                "commitment_id": linked.pk,
                "kind": "callback",
                "due": linked.due_at.astimezone(dt.UTC).isoformat(),
                "status": "open",
            },
        }
    ]


def test_the_real_complaint_timeline_gets_the_promise(agent, monkeypatch):
    from tests.complaints.factories import open_complaint
    from yuqi.commitments import ports
    from yuqi.complaints.models import ComplaintEvent

    monkeypatch.setattr(ports, "notify_customer", lambda **kw: None)
    ticket = open_complaint(by=agent)
    made = promise(by=agent, customer=ticket.customer, complaint_id=ticket.pk)
    event = ComplaintEvent.objects.filter(complaint=ticket, kind="promise").get()
    assert event.parameters["commitment_id"] == made.pk


def test_a_complaint_of_another_customer_is_refused(agent, calls):
    from tests.complaints.factories import open_complaint

    ticket = open_complaint(by=agent)
    with pytest.raises(DomainError) as error:
        promise(by=agent, complaint_id=ticket.pk)  # a new customer, not the ticket's
    assert error.value.field == "complaint_id"


def test_an_unknown_contact_is_refused(agent, calls):
    with pytest.raises(DomainError) as error:
        promise(by=agent, interaction_id=999_999)
    assert error.value.field == "interaction_id"


def test_the_promisers_team_calendar_dates_the_promise(agent, calls):
    from yuqi.calendars.services import team_calendar_set
    from yuqi.interactions.models import Agent, Team

    friday = sh(2026, 3, 6, 16, 30)
    on_standard = promise(by=agent, at=friday)
    assert on_standard.due_at == sh(2026, 3, 9, 10, 30)  # Monday: 1 h Friday + 2 h Monday
    team = Team.objects.create(code="night", name="夜班")
    Agent.objects.create(code="2001", name="李娜", team=team, user=agent)
    team_calendar_set(team_id=team.pk, calendar_name="全天候")
    round_the_clock = promise(by=agent, at=friday)
    assert round_the_clock.due_at == friday + 3 * H
    assert round_the_clock.calendar_name == "全天候"

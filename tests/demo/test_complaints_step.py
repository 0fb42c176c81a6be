"""The demo step on a tiny hand-made centre: repeat contacts, long waits and complaint calls
become complaints with consistent clocks and timelines; one regulator appeal is breached."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.complaints.factories import open_complaint, sh
from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory
from yuqi.complaints.choices import ComplaintState
from yuqi.complaints.models import Complaint, ComplaintEvent, SlaClock
from yuqi.demo.steps.complaints import load_demo_complaints

pytestmark = pytest.mark.django_db

START = sh(2026, 3, 2, 10)


@pytest.fixture
def centre(frozen, agent, supervisor, manager):
    """Twelve customers who would complain, three who would not; "now" a week later."""
    for n in range(4):  # repeat contacts on the same matter
        customer = CustomerFactory()
        category = ("账单异议", "网络信号", "宽带安装", "携号转网")[n]
        for day in range(3):
            InteractionFactory(
                customer=customer,
                category=category,
                arrived_at=START + timedelta(days=day, hours=n),
            )
    for n in range(4):  # gave up waiting twice
        customer = CustomerFactory()
        for k in range(2):
            arrived = START + timedelta(days=1, hours=n, minutes=10 * k)
            InteractionFactory(
                customer=customer,
                arrived_at=arrived,
                answered_at=None,
                abandoned=True,
                wait_seconds=400,
                talk_seconds=0,
                wrap_seconds=0,
                category="",
            )
    for n in range(4):  # called to complain
        InteractionFactory(
            customer=CustomerFactory(),
            category="投诉",
            arrived_at=START + timedelta(days=2, hours=n),
        )
    for n in range(3):  # one ordinary contact each: no complaint
        InteractionFactory(customer=CustomerFactory(), arrived_at=START + timedelta(hours=n))
    frozen.set(sh(2026, 3, 9, 15))
    return frozen


def test_contacts_that_would_complain_become_complaints(centre):
    result = load_demo_complaints(seed=1)
    assert result.complaints == 12
    assert Complaint.objects.count() == 12
    assert Complaint.objects.values("customer").distinct().count() == 12


def test_at_least_one_regulator_appeal_is_breached(centre):
    result = load_demo_complaints(seed=1)
    assert result.breached_regulator >= 1
    assert Complaint.objects.filter(level__code="regulator", sla_state="breached").exists()


def test_every_ticket_has_its_opened_event_and_consistent_clocks(centre):
    load_demo_complaints(seed=1)
    for ticket in Complaint.objects.all():
        kinds = list(ticket.events.values_list("kind", flat=True))
        assert kinds[0] == "opened"
        clocks = ticket.clocks.all()
        assert clocks.exists()
        open_kinds = [c.kind for c in clocks if c.phase != "stopped"]
        assert len(open_kinds) == len(set(open_kinds))  # one live clock per kind at most
        if ticket.state in (ComplaintState.WAITING_CUSTOMER, ComplaintState.WAITING_DEPARTMENT):
            assert "paused" in {c.phase for c in clocks}


def test_texts_are_chinese_and_follow_the_contacts(centre):
    load_demo_complaints(seed=1)
    categories = set(Complaint.objects.values_list("category__code", flat=True))
    assert {"billing-unexpected", "network-coverage", "broadband", "porting"} <= categories
    assert all(t.account and t.demand for t in Complaint.objects.all())
    assert Complaint.objects.filter(account__contains="客服").exists()


def test_the_same_seed_gives_the_same_complaints(centre):
    load_demo_complaints(seed=5)
    first = list(Complaint.objects.order_by("number").values_list("number", "account", "state"))
    Complaint.objects.all().delete()
    from yuqi.commitments.models import Commitment
    from yuqi.complaints.models import ComplaintDaySequence

    Commitment.objects.all().delete()
    ComplaintDaySequence.objects.all().delete()
    load_demo_complaints(seed=5)
    again = list(Complaint.objects.order_by("number").values_list("number", "account", "state"))
    assert again == first


def test_a_complaint_logged_after_the_demo_gets_a_fresh_number(centre, supervisor, outbox):
    load_demo_complaints(seed=1)
    last = Complaint.objects.order_by("-number").first()
    centre.set(last.opened_at + timedelta(minutes=1))
    fresh = open_complaint(by=supervisor)
    assert fresh.number not in set(
        Complaint.objects.exclude(pk=fresh.pk).values_list("number", flat=True)
    )


def test_stored_columns_match_a_recompute(centre):
    """The bulk-written clocks equal what the services' recompute derives from the segments."""
    from yuqi.complaints.clocks import clock_recompute

    load_demo_complaints(seed=1)
    assert SlaClock.objects.filter(state="met").exclude(met_target_at=None).exists()
    for clock in SlaClock.objects.select_related("complaint"):
        before = (clock.state, clock.due_at, clock.phase, clock.elapsed_seconds)
        target = clock.met_target_at  # a met clock's target, stored when it stopped
        clock_recompute(clock, team_id=clock.complaint.team_id, at=centre.at)
        assert (clock.state, clock.due_at, clock.phase, clock.elapsed_seconds) == before
        assert clock.met_target_at == target


def test_promises_are_recorded_in_the_ledger(centre):
    result = load_demo_complaints(seed=1)
    from yuqi.commitments.facade import commitments_for_complaint

    total = sum(len(commitments_for_complaint(t.pk)) for t in Complaint.objects.all())
    assert total == result.promises
    assert ComplaintEvent.objects.exists()


@pytest.mark.parametrize("seed", [1, 5])
def test_no_demo_promise_is_kept_or_broken_while_awaiting_approval(centre, seed):
    """Review F-6: the demo showed promises 已兑现/已失约 and 待审批 at once. Flagged promises
    are decided by an approver; recent ones stay pending, and lapse if the demo is served past
    their due time."""
    from yuqi.commitments.models import Commitment
    from yuqi.commitments.services import commitments_break_overdue

    load_demo_complaints(seed=seed)
    states = set(Commitment.objects.values_list("status", "approval_state"))
    assert {a for _s, a in states} & {"approved", "rejected"}, states  # some were decided
    assert not [s for s, a in states if a == "pending" and s not in ("open", "renegotiated")]
    centre.set(centre.at + timedelta(days=30))  # the demo served a month later
    commitments_break_overdue()
    states = set(Commitment.objects.values_list("status", "approval_state"))
    assert ("broken", "pending") not in states
    assert ("fulfilled", "pending") not in states


def test_each_business_calendar_is_read_once_for_the_step(centre, monkeypatch):
    """The clocks and every promise's guard share the step's calendars (read once each), and
    the tickets, clocks and promises are those of a read per use."""
    from yuqi.calendars import selectors
    from yuqi.commitments.models import Commitment

    reads = []
    real, real_by_id = selectors.domain_calendar, selectors.domain_calendar_by_id
    monkeypatch.setattr(selectors, "domain_calendar", lambda **kw: reads.append(kw) or real(**kw))
    monkeypatch.setattr(
        selectors, "domain_calendar_by_id", lambda pk: reads.append(pk) or real_by_id(pk)
    )
    from yuqi.calendars import facade

    monkeypatch.setattr(facade, "_kept", None)  # nothing kept from an earlier test
    result = load_demo_complaints(seed=5)
    assert result.promises > 0
    assert 0 < len(reads) <= 3
    cached = (
        sorted(
            Complaint.objects.values_list("number", "state", "sla_state", "next_due_at"), key=repr
        ),
        sorted(SlaClock.objects.values_list("kind", "due_at", "state", "target_seconds"), key=repr),
        sorted(
            Commitment.objects.values_list("kind", "due_at", "status", "approval_state"), key=repr
        ),
    )
    Commitment.objects.all().delete()
    Complaint.objects.all().delete()
    from yuqi.complaints.models import ComplaintDaySequence

    ComplaintDaySequence.objects.all().delete()
    monkeypatch.setattr(facade, "_current", lambda: None)  # every use reads the rows again
    reads.clear()
    load_demo_complaints(seed=5)
    assert len(reads) > 3
    again = (
        sorted(
            Complaint.objects.values_list("number", "state", "sla_state", "next_due_at"), key=repr
        ),
        sorted(SlaClock.objects.values_list("kind", "due_at", "state", "target_seconds"), key=repr),
        sorted(
            Commitment.objects.values_list("kind", "due_at", "status", "approval_state"), key=repr
        ),
    )
    assert again == cached


def _triggers_by_three_queries(rng, limit):
    """The triggers as the step found them before: one grouped query per kind."""
    from django.db.models import Count, Max, Min, Q

    from yuqi.demo.steps import complaints as step
    from yuqi.interactions.models import Interaction

    inbound = Interaction.objects.filter(direction="inbound", customer__isnull=False)
    found = {}
    repeats = (
        inbound.exclude(category="")
        .values("customer_id", "category")
        .annotate(n=Count("id"), last=Max("arrived_at"), team=Max("team_id"))
        .filter(n__gte=step.REPEATS)
        .order_by("last", "customer_id")
    )
    for row in repeats:
        if row["category"] == "投诉":
            text_key, code = step.COMPLAINT_CALL[row["customer_id"] % len(step.COMPLAINT_CALL)]
        elif row["category"] in step.CATEGORY_MAP:
            text_key, code = step.CATEGORY_MAP[row["category"]]
        else:
            continue
        found.setdefault(
            row["customer_id"],
            step.Trigger(row["customer_id"], row["last"], text_key, code, row["team"], row["n"]),
        )
    waits = (
        inbound.filter(Q(abandoned=True) | Q(wait_seconds__gte=step.LONG_WAIT))
        .values("customer_id")
        .annotate(
            n=Count("id"),
            abandons=Count("id", filter=Q(abandoned=True)),
            longest=Max("wait_seconds"),
            last=Max("arrived_at"),
            team=Max("team_id"),
        )
        .filter(Q(abandons__gte=2) | Q(longest__gte=step.LONG_WAIT))
        .order_by("last", "customer_id")
    )
    for row in waits:
        found.setdefault(
            row["customer_id"],
            step.Trigger(row["customer_id"], row["last"], *step.HOTLINE, row["team"], row["n"] + 1),
        )
    calls = (
        inbound.filter(category="投诉")
        .values("customer_id")
        .annotate(first=Min("arrived_at"), n=Count("id"), team=Max("team_id"))
        .order_by("first", "customer_id")
    )
    for row in calls:
        text_key, code = step.COMPLAINT_CALL[row["customer_id"] % len(step.COMPLAINT_CALL)]
        found.setdefault(
            row["customer_id"],
            step.Trigger(row["customer_id"], row["first"], text_key, code, row["team"], row["n"]),
        )
    chosen = sorted(found.values(), key=lambda t: (t.at, t.customer_id))
    if len(chosen) > limit:
        chosen = sorted(rng.sample(chosen, limit), key=lambda t: (t.at, t.customer_id))
    return chosen


@pytest.mark.parametrize("limit", [5, 100])
def test_the_triggers_in_one_pass_are_those_of_one_query_per_kind(centre, limit):
    """Long waits and complaint calls read in one grouped pass give the same triggers, in the
    same order, as a query each (a customer both waited and called; one waited once long)."""
    import random

    from yuqi.demo.steps.complaints import _triggers

    both = CustomerFactory()
    InteractionFactory(customer=both, category="投诉", arrived_at=START + timedelta(hours=30))
    for k in range(2):
        InteractionFactory(
            customer=both,
            arrived_at=START + timedelta(hours=20 + k),
            answered_at=None,
            abandoned=True,
            wait_seconds=100,
            talk_seconds=0,
            wrap_seconds=0,
            category="",
        )
    once = CustomerFactory()
    InteractionFactory(
        customer=once, arrived_at=START + timedelta(hours=40), wait_seconds=900, category=""
    )
    old = _triggers_by_three_queries(random.Random("t"), limit)
    new = _triggers(random.Random("t"), limit)
    assert new == old
    assert len(old) == min(limit, 14)

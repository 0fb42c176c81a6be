"""Improvement actions: PDCA rules, the before/after check and its bad inputs, links that are
gone, overdue alerts and the register's free-text actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.complaints.factories import open_complaint
from tests.customers.factories import CustomerFactory
from tests.insights.factories import ExpectationFactory
from yuqi.complaints.models import Complaint, ComplaintCategory
from yuqi.core.errors import DomainError
from yuqi.improvement import measures, selectors, services
from yuqi.improvement.models import ImprovementAction, LinkKind, Status
from yuqi.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _action(manager, **kwargs):
    kwargs.setdefault("title", "账单解释话术优化")
    kwargs.setdefault("plan", "新增账单解释话术，培训全部坐席")
    kwargs.setdefault("owner", manager)
    kwargs.setdefault("due_date", date(2026, 12, 31))
    kwargs.setdefault("measure_kind", "complaint_rate")
    kwargs.setdefault("measure_ref", "")
    kwargs.setdefault("baseline_start", date(2026, 9, 1))
    kwargs.setdefault("baseline_end", date(2026, 9, 30))
    return services.action_create(by=manager, **kwargs)


def _to_check(action, manager, changed_on):
    services.action_transition(action, to="do", by=manager)
    return services.action_transition(action, to="check", by=manager, today=changed_on)


def _fake_samples(monkeypatch, before, after):
    def sample(kind, ref, window):
        return before if window.start.month == 9 else after

    monkeypatch.setattr(measures, "sample", sample)


def test_pdca_needs_plan_measure_and_baseline_before_doing(manager):
    bare = services.action_create(
        title="试点", owner=manager, due_date=date(2026, 12, 1), by=manager
    )
    assert bare.number == f"IA-{bare.pk:04d}"
    assert bare.status == Status.PLAN
    with pytest.raises(DomainError, match="measure"):
        services.action_transition(bare, to="do", by=manager)
    with pytest.raises(DomainError):
        services.action_transition(bare, to="act", by=manager)
    with pytest.raises(DomainError):
        services.action_transition(bare, to="closed", by=manager)
    action = _action(manager)
    action = services.action_transition(action, to="do", by=manager)
    assert action.status == "do"
    assert [e.to_status for e in action.events.all()] == ["plan", "do"]


def test_check_before_the_after_window_ends_says_when_it_will_be_possible(manager, frozen):
    action = _to_check(_action(manager), manager, date(2026, 11, 1))
    check = services.action_check(action, by=manager, today=date(2026, 11, 16))
    assert check.verdict == "not_yet"
    assert (check.after_start, check.after_end) == (date(2026, 11, 2), date(2026, 12, 1))
    assert check.possible_on == date(2026, 12, 2)
    assert "2026-12-02" in check.sentence_en
    assert "2026-12-02" in check.sentence_zh
    assert "检查" in check.sentence_zh or "核查" in check.sentence_zh or check.sentence_zh
    with pytest.raises(DomainError, match="check"):
        services.action_transition(action, to="act", by=manager)


def test_windows_of_different_length_are_refused_and_say_so(manager, frozen):
    action = _to_check(_action(manager), manager, date(2026, 10, 1))
    with pytest.raises(DomainError, match="30 days"):
        services.action_check(
            action, by=manager, after_start=date(2026, 10, 2), after_end=date(2026, 10, 21)
        )


def test_n_zero_in_the_after_window_gives_no_interval_and_no_error(manager, frozen, monkeypatch):
    _fake_samples(monkeypatch, measures.Sample(12, 500), measures.Sample(0, 0))
    action = _to_check(_action(manager), manager, date(2026, 10, 1))
    check = services.action_check(action, by=manager, today=date(2026, 11, 16))
    assert check.verdict == "not_computable"
    assert check.low is None
    assert check.high is None
    assert check.difference is None
    assert "n = 0" in check.sentence_en


def test_effective_needs_a_check_that_shows_a_real_improvement(manager, frozen, monkeypatch):
    _fake_samples(monkeypatch, measures.Sample(50, 1000), measures.Sample(48, 1000))
    action = _to_check(_action(manager), manager, date(2026, 10, 1))
    check = services.action_check(action, by=manager, today=date(2026, 11, 16))
    assert check.verdict == "no_evidence"
    assert check.low < 0 < check.high
    assert "No real change" in check.sentence_en
    assert check.sentence_zh
    assert check.sentence_zh != check.sentence_en
    action = services.action_transition(action, to="act", by=manager)
    with pytest.raises(DomainError, match="effective"):
        services.action_close(action, outcome="effective", by=manager)
    closed = services.action_close(action, outcome="no_effect", by=manager)
    assert closed.status == "closed"
    assert closed.outcome == "no_effect"


def test_an_improving_check_closes_as_effective(manager, frozen, monkeypatch):
    # complaints per 10,000 customers: 120 → 60 of 10,000 customers (lower is better)
    _fake_samples(
        monkeypatch,
        measures.Sample(120, 10_000, scale=10_000),
        measures.Sample(60, 10_000, scale=10_000),
    )
    action = _to_check(_action(manager), manager, date(2026, 10, 1))
    check = services.action_check(action, by=manager, today=date(2026, 11, 16))
    assert check.verdict == "improved"
    assert check.value_before == pytest.approx(120)
    assert check.value_after == pytest.approx(60)
    assert check.high < 0
    assert check.p_value < 0.001
    services.action_transition(action, to="act", by=manager)
    closed = services.action_close(action, outcome="effective", by=manager)
    assert closed.outcome == "effective"
    with pytest.raises(DomainError):
        services.action_update(closed, by=manager, title="改")


def test_no_effect_without_a_computed_check_needs_a_note(manager, frozen, monkeypatch):
    _fake_samples(monkeypatch, measures.Sample(0, 0), measures.Sample(0, 0))
    action = _to_check(_action(manager), manager, date(2026, 10, 1))
    services.action_check(action, by=manager, today=date(2026, 11, 16))
    action = services.action_transition(action, to="act", by=manager)
    with pytest.raises(DomainError, match="note"):
        services.action_close(action, outcome="no_effect", by=manager)
    closed = services.action_close(action, outcome="no_effect", by=manager, note="该类投诉已停收")
    assert closed.outcome_note == "该类投诉已停收"


def test_a_real_complaint_rate_check_over_the_database(manager, frozen):
    billing = ComplaintCategory.objects.filter(parent__isnull=True).first()
    customers = [CustomerFactory() for _ in range(20)]
    tickets = [
        open_complaint(by=manager, customer=customers[i], category=billing) for i in range(8)
    ]
    september = [t.pk for t in tickets[:6]]
    november = [t.pk for t in tickets[6:]]
    from tests.complaints.factories import sh

    Complaint.objects.filter(pk__in=september).update(opened_at=sh(2026, 9, 10, 10))
    Complaint.objects.filter(pk__in=november).update(opened_at=sh(2026, 10, 10, 10))
    action = _to_check(_action(manager, measure_ref=billing.code), manager, date(2026, 9, 30))
    check = services.action_check(action, by=manager, today=date(2026, 11, 16))
    assert (check.n_before, check.n_after) == (20, 20)
    assert check.value_before == pytest.approx(6 / 20 * 10_000)
    assert check.value_after == pytest.approx(2 / 20 * 10_000)
    assert "small_sample" in check.warnings
    assert check.method == "newcombe"


def test_a_link_to_a_deleted_expectation_is_kept_and_shown_as_gone(manager):
    exp = ExpectationFactory(code="refund-3d", statement="多扣费用 3 个工作日内退还", grade="B")
    action = _action(
        manager, links=[(LinkKind.EXPECTATION, "refund-3d"), (LinkKind.ROOT_CAUSE, "x")]
    )
    assert action.grade == "B"
    lines = {line.ref: line for line in selectors.action_links(action)}
    assert lines["refund-3d"].gone is False
    assert lines["refund-3d"].url
    exp.delete()
    lines = {line.ref: line for line in selectors.action_links(action)}
    assert lines["refund-3d"].gone is True
    assert lines["refund-3d"].label == "多扣费用 3 个工作日内退还"
    assert action.links.count() == 2


def test_overdue_actions_alert_their_owner_once(manager, frozen):
    late = _action(manager, due_date=date(2026, 11, 10))
    services.task_add(late, title="培训", owner=manager, due_date=date(2026, 11, 9))
    _action(manager, due_date=date(2026, 12, 10))
    assert services.overdue_alerts(today=date(2026, 11, 16)) == 1
    assert services.overdue_alerts(today=date(2026, 11, 17)) == 0
    message = OutboundMessage.objects.get(subject_ref=f"improvement:{late.pk}")
    assert late.number in message.subject
    assert message.user_id == manager.pk
    services.action_update(late, by=manager, due_date=date(2026, 11, 14))
    assert services.overdue_alerts(today=date(2026, 11, 16)) == 1


def test_register_actions_become_linked_actions_once(manager):
    ExpectationFactory(
        code="vip-15s",
        action="VIP 专席扩容\n增加 4 名坐席",
        due_date=date(2026, 9, 30),
        owner=manager,
        status="in_progress",
    )
    ExpectationFactory(code="quiet", action="")
    assert services.actions_from_register(by=manager) == 1
    assert services.actions_from_register(by=manager) == 0
    action = ImprovementAction.objects.get(source="register")
    assert action.title == "VIP 专席扩容"
    assert action.status == "do"
    assert action.links.get().ref == "vip-15s"


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("title", "x" * 201), ("measure_ref", "y" * 81), ("grade", "D")],
)
def test_hostile_input_is_refused(manager, field, value):
    with pytest.raises(DomainError):
        _action(manager, **{field: value})


def test_unknown_links_and_half_windows_are_refused(manager):
    with pytest.raises(DomainError):
        _action(manager, links=[("secret_table", "1")])
    with pytest.raises(DomainError):
        _action(manager, baseline_end=None)
    with pytest.raises(DomainError):
        _action(manager, measure_kind="contact_kpi", measure_ref="__import__")
    assert timedelta(days=1)


def test_a_registered_scorecard_share_is_compared_as_counts(manager, frozen, monkeypatch):
    from yuqi.core.measures import MeasureReading, register_measure_source

    readings = {9: MeasureReading(0.80, n=500), 10: MeasureReading(0.90, n=500)}
    register_measure_source("test_share", lambda start, end: readings[start.month])
    register_measure_source("test_seconds", lambda start, end: MeasureReading(273.0, n=40))
    action = _to_check(
        _action(manager, measure_kind="registered", measure_ref="test_share"),
        manager,
        date(2026, 9, 30),
    )
    check = services.action_check(action, by=manager, today=date(2026, 11, 16))
    assert check.verdict == "improved"
    assert (check.value_before, check.value_after) == (pytest.approx(80), pytest.approx(90))
    seconds = _to_check(
        _action(manager, measure_kind="registered", measure_ref="test_seconds"),
        manager,
        date(2026, 9, 30),
    )
    with pytest.raises(DomainError, match="not a share"):
        services.action_check(seconds, by=manager, today=date(2026, 11, 16))
    with pytest.raises(DomainError, match="scorecard measures"):
        _action(manager, measure_kind="registered", measure_ref="no_such_code")


def test_the_share_of_closed_actions_verified_effective(manager, frozen, monkeypatch):
    from yuqi.core.measures import measure_source

    empty = measure_source("improvement_verified_effective")(date(2026, 11, 1), date(2026, 11, 30))
    assert empty.value is None
    _fake_samples(monkeypatch, measures.Sample(120, 10_000), measures.Sample(60, 10_000))
    for outcome in ("effective", "no_effect"):
        action = _to_check(_action(manager), manager, date(2026, 10, 1))
        services.action_check(action, by=manager, today=date(2026, 11, 16))
        services.action_transition(action, to="act", by=manager)
        services.action_close(action, outcome=outcome, by=manager)
    reading = measure_source("improvement_verified_effective")(
        date(2026, 11, 1), date(2026, 11, 30)
    )
    assert reading.value == 0.5
    assert reading.n == 2
    assert reading.low < 0.5 < reading.high

"""The expectation register: evidence, merge/split, grading decisions, scoring."""

from __future__ import annotations

import pytest

from tests.insights.factories import MAY_END, MAY_START, ExpectationFactory
from yuqi.core.errors import DomainError
from yuqi.insights import evaluation
from yuqi.insights import expectations as svc
from yuqi.insights.models import Evidence, Expectation, GradeDecision
from yuqi.textmining.facade import CategoryEvidence, ExampleText

pytestmark = pytest.mark.django_db


def _evidence(code: str, complaints: int = 12, customers: int = 9) -> CategoryEvidence:
    return CategoryEvidence(
        code=code,
        label=code,
        complaints=complaints,
        customers=customers,
        tiers={"vip": 4, "standard": 5},
        examples=[ExampleText(7, "TS-2026-000007", "等了 20 分钟都打不通，电话 138****0000")],
        wanted_outcomes={"callback": 3},
        median_wanted_hours=2.0,
    )


@pytest.fixture
def text_evidence(monkeypatch):
    facts: list[CategoryEvidence] = []
    monkeypatch.setattr(
        "yuqi.textmining.facade.expectation_evidence", lambda *, date_from, date_to: facts
    )
    monkeypatch.setattr("yuqi.textmining.facade.taxonomy_labels", lambda: {"privacy": "隐私/安全"})
    return facts


def test_grade_changes_only_through_a_recorded_decision(analyst):
    e = ExpectationFactory(feasible=True, resource="low", months=2)
    with pytest.raises(DomainError):
        svc.expectation_update(expectation=e, grade="A", by=analyst)
    decision = svc.grade_decide(expectation=e, grade="A", reason="IVR 改造即可", by=analyst)
    e.refresh_from_db()
    assert e.grade == "A"
    assert decision.previous_grade == ""
    assert decision.suggested_grade == "A"
    assert [r["code"] for r in decision.suggestion_reasons] == ["low_resource"]


def test_a_decision_against_the_suggestion_keeps_both(analyst):
    e = ExpectationFactory(feasible=False)
    svc.grade_decide(expectation=e, grade="B", reason="监管即将放开", by=analyst)
    svc.grade_decide(expectation=e, grade="C", reason="监管未放开", by=analyst)
    rows = list(GradeDecision.objects.filter(expectation=e).order_by("at", "id"))
    assert [(d.previous_grade, d.grade, d.suggested_grade) for d in rows] == [
        ("", "B", "C"),
        ("B", "C", "C"),
    ]


def test_a_decision_needs_a_reason(analyst):
    e = ExpectationFactory()
    with pytest.raises(DomainError):
        svc.grade_decide(expectation=e, grade="A", reason=" ", by=analyst)
    e.refresh_from_db()
    assert e.grade == ""


def test_score_on_the_worked_example_through_the_service(analyst):
    evaluation.scoring_settings_update(
        importance_min=1, importance_max=5, gap_cap=3, population=10_000
    )
    e = ExpectationFactory(importance=4, gap=1.5, affected_customers=2000)
    svc.grade_decide(expectation=e, grade="A", reason="测试", by=analyst)
    run = evaluation.evaluation_run(period_start=MAY_START, period_end=MAY_END, collect=False)
    e.refresh_from_db()
    assert e.score == 56.5  # A: 100 points × 0.565 (the domain's worked example)
    assert run.rows.get(code=e.code).score == 56.5


def test_evidence_attaches_to_the_existing_expectation(text_evidence):
    e = ExpectationFactory(category="access_wait")
    text_evidence.append(_evidence("access_wait.queue"))
    result = svc.evidence_collect(date_from=MAY_START, date_to=MAY_END)
    assert result.created == ()
    ev = Evidence.objects.get(expectation=e, source="complaints")
    assert ev.summary["complaints"] == 12
    assert ev.summary["examples"][0]["number"] == "TS-2026-000007"


def test_evidence_of_an_unknown_category_creates_a_new_expectation(text_evidence):
    ExpectationFactory(category="access_wait")
    text_evidence.append(_evidence("privacy", complaints=3, customers=3))
    result = svc.evidence_collect(date_from=MAY_START, date_to=MAY_END)
    assert result.created == ("new-privacy",)
    created = Expectation.objects.get(code="new-privacy")
    assert (created.status, created.category, created.statement) == ("new", "privacy", "隐私/安全")
    assert created.evidence.get().summary["customers"] == 3
    assert created.history.filter(event="created").exists()


def test_collecting_twice_does_not_duplicate_evidence(text_evidence):
    ExpectationFactory(category="access_wait")
    text_evidence.append(_evidence("access_wait"))
    svc.evidence_collect(date_from=MAY_START, date_to=MAY_END)
    svc.evidence_collect(date_from=MAY_START, date_to=MAY_END)
    assert Evidence.objects.count() == 1


def test_merge_moves_evidence_and_records_history(text_evidence, analyst):
    keep = ExpectationFactory(category="callback")
    other = ExpectationFactory(category="promise")
    text_evidence.append(_evidence("promise"))
    svc.evidence_collect(date_from=MAY_START, date_to=MAY_END)
    svc.expectation_merge(into=keep, others=[other], by=analyst)
    other.refresh_from_db()
    assert (other.status, other.merged_into_id) == ("merged", keep.pk)
    assert keep.evidence.filter(source="complaints").exists()
    assert keep.history.get(event="merged").detail == {"merged": [other.code]}


def test_split_creates_parts_and_closes_the_source(analyst):
    source = ExpectationFactory(code="repair", category="quality")
    parts = svc.expectation_split(
        source=source, statements=["城区故障 24 小时内修复", "农村故障 48 小时内修复"], by=analyst
    )
    source.refresh_from_db()
    assert source.status == "split"
    assert [p.code for p in parts] == ["repair-1", "repair-2"]
    assert all(p.split_from_id == source.pk and p.category == "quality" for p in parts)
    assert source.history.get(event="status").detail["into"] == ["repair-1", "repair-2"]


def test_split_needs_two_statements(analyst):
    with pytest.raises(DomainError):
        svc.expectation_split(source=ExpectationFactory(), statements=["只有一条"], by=analyst)


def test_gap_follows_current_and_target(analyst):
    e = ExpectationFactory(lower_is_better=True)
    svc.expectation_update(expectation=e, current_value=30.0, target=15.0, by=analyst)
    e.refresh_from_db()
    assert e.gap == 1.0


def test_promise_keeping_is_the_current_performance_of_callbacks(monkeypatch, text_evidence):
    from yuqi.commitments.facade import CommitmentMeasureRow

    row = CommitmentMeasureRow("", "", due=10, kept_on_time=6, fulfilled_late=2, broken=2, open=0)
    monkeypatch.setattr("yuqi.commitments.facade.commitment_measures", lambda **kw: [row])
    e = ExpectationFactory(category="callback", target=0.95)
    svc.evidence_collect(date_from=MAY_START, date_to=MAY_END)
    e.refresh_from_db()
    assert (e.current_value, e.current_source) == (0.6, svc.PROMISE_SOURCE)
    assert e.gap == round(0.35 / 0.95, 4)

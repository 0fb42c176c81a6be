"""The demo's register step: A, B and C with reasons, guidance for C, two runs."""

from __future__ import annotations

from datetime import date

import pytest

from yuqi.demo.steps.accounts import create_demo_users
from yuqi.demo.steps.insights import load_demo_insights
from yuqi.demo.steps.insights_register import load_demo_register
from yuqi.insights.models import EvaluationRun, Expectation, GradeDecision

pytestmark = pytest.mark.django_db
END = date(2026, 6, 30)


@pytest.fixture
def demo(db):
    create_demo_users()
    load_demo_insights(end_date=END)
    return load_demo_register(end_date=END)


def test_all_grades_occur_with_reasons(demo):
    assert set(demo.grades) == {"A", "B", "C"}
    assert all(demo.grades[g] > 0 for g in "ABC")
    assert not GradeDecision.objects.filter(reason="").exists()


def test_every_c_grade_has_a_guidance_script(demo):
    for row in Expectation.objects.filter(grade="C"):
        assert row.guidance.script


def test_two_runs_and_the_latest_shows_changes(demo):
    latest, earlier = EvaluationRun.objects.order_by("-started_at", "-id")[:2]
    assert latest.changes["previous_run"] == earlier.pk
    assert latest.changes["new"] == ["elder-line"]
    assert {c["code"] for c in latest.changes["grade_moved"]} == {"vip-answer-15s", "refund-3d"}


def test_peer_offerings_attach_as_benchmark_evidence(demo):
    callback = Expectation.objects.get(code="smart-callback")
    latest = callback.evidence.filter(source="benchmark").order_by("-period_end").first()
    summary = latest.summary
    assert summary["offering"] == "callback"
    assert summary["peer_count"] >= 4

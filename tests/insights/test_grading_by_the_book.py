"""A/B/C grading as the founding document states it, on the Django side: needs assessment
instead of C, the score by grade in the evaluation run, the formula on the evaluation page,
and the feasibility input with its 'not assessed yet' choice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.insights.factories import MAY_END, MAY_START, ExpectationFactory
from yuqi.insights import evaluation
from yuqi.insights import expectations as svc
from yuqi.insights.models import Expectation, GradeDecision

pytestmark = pytest.mark.django_db


def _run():
    return evaluation.evaluation_run(period_start=MAY_START, period_end=MAY_END, collect=False)


def test_a_new_expectation_needs_assessment_not_c(analyst):
    e = svc.expectation_create(code="new-one", statement="希望晚上十点后也有人工", by=analyst)
    assert e.feasible is None
    suggestion = svc.suggestion(e)
    assert suggestion.grade is None
    assert suggestion.missing == ("feasible", "resource")


def test_a_feasible_long_job_is_b_not_c(analyst):
    e = ExpectationFactory(feasible=True, resource="high", months=36)
    assert svc.suggestion(e).grade == "B"


def test_a_decision_on_an_unassessed_expectation_records_an_empty_suggestion(analyst):
    e = ExpectationFactory(feasible=None)
    decision = svc.grade_decide(expectation=e, grade="B", reason="评审会议决定", by=analyst)
    assert decision.suggested_grade == ""
    assert [r["code"] for r in decision.suggestion_reasons] == ["needs_assessment"]


def test_the_score_depends_on_the_grade(analyst):
    evaluation.scoring_settings_update(population=10_000)
    same = {"importance": 80, "gap": 0.5, "affected_customers": 2000, "feasible": True}
    rows = {g: ExpectationFactory(code=f"same-{g}", **same) for g in ("A", "B", "C")}
    for grade, row in rows.items():
        svc.grade_decide(expectation=row, grade=grade, reason="测试", by=analyst)
    ungraded = ExpectationFactory(code="same-none", **same)
    run = _run()
    scores = {r.code: r.score for r in run.rows.all()}
    # priority = (0.5·0.8 + 0.3·0.5 + 0.2·0.2) / 1 = 0.59 on the default 0–100 / cap-1 scales
    assert scores["same-A"] == pytest.approx(59.0)
    assert scores["same-B"] == pytest.approx(35.4)
    assert scores["same-C"] == pytest.approx(17.7)
    assert scores["same-none"] is None
    ungraded.refresh_from_db()
    assert ungraded.score is None
    assert run.settings_used["points"] == {"A": 100.0, "B": 60.0, "C": 30.0}


def test_grade_points_are_the_centres_but_must_differ(analyst):
    evaluation.scoring_settings_update(points_a=10, points_b=5, points_c=1)
    from yuqi.core.errors import DomainError

    with pytest.raises(DomainError):
        evaluation.scoring_settings_update(points_b=10)


def test_the_evaluation_page_prints_the_formula_in_both_languages(as_user, manager, analyst):
    row = ExpectationFactory(feasible=True, resource="low")
    svc.grade_decide(expectation=row, grade="A", reason="测试", by=analyst)
    _run()
    client = as_user(manager)
    page = client.get(reverse("insights:evaluation"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Score = grade points (A 100, B 60, C 30) × (0.5 × importance" in page
    assert "needs assessment and has no score" in page
    assert "yuqi.domain.grading" not in page
    page = client.get(
        reverse("insights:evaluation"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "得分 = 等级分值（A 100、B 60、C 30）×" in page


def test_the_page_sets_feasibility_to_yes_no_or_not_assessed(as_user, analyst):
    e = ExpectationFactory(feasible=True, resource="low")
    client = as_user(analyst)
    url = reverse("insights:expectation_action", args=[e.pk, "update"])
    fields = {"resource": "low", "importance": "50"}
    client.post(url, {**fields, "feasible": ""})
    assert Expectation.objects.get(pk=e.pk).feasible is None
    page = client.get(reverse("insights:expectation", args=[e.pk])).content.decode()
    assert "needs assessment" in page
    client.post(url, {**fields, "feasible": "no"})
    assert Expectation.objects.get(pk=e.pk).feasible is False
    client.post(url, {**fields, "feasible": "yes"})
    assert Expectation.objects.get(pk=e.pk).feasible is True
    assert not GradeDecision.objects.filter(expectation=e).exists()


def test_hostile_feasibility_value_is_refused_and_changes_nothing(as_user, analyst):
    e = ExpectationFactory(feasible=True, resource="low")
    url = reverse("insights:expectation_action", args=[e.pk, "update"])
    response = as_user(analyst).post(
        url, {"resource": "low", "feasible": "<script>1</script>" * 1000}, follow=True
    )
    assert "Choose yes, no or not assessed yet." in response.content.decode()
    assert "<script>1</script>" not in response.content.decode()
    assert Expectation.objects.get(pk=e.pk).feasible is True


def test_the_admin_form_refuses_equal_grade_points():
    from yuqi.insights.admin import ScoringSettingsForm

    data = {
        "method": "additive",
        "weight_importance": 0.5,
        "weight_gap": 0.3,
        "weight_reach": 0.2,
        "importance_min": 0,
        "importance_max": 100,
        "gap_cap": 1,
        "population": 0,
        "points_a": 50,
        "points_b": 50,
        "points_c": 10,
    }
    assert not ScoringSettingsForm(data=data).is_valid()
    assert ScoringSettingsForm(data={**data, "points_b": 40}).is_valid()


def test_a_run_from_before_grade_points_says_so():
    from django.utils import translation

    from yuqi.insights.register_views import score_formula

    used = {"method": "multiplicative", "weights": [0.5, 0.3, 0.2], "population": 10}
    with translation.override("en"):
        text = score_formula(used)
    assert text.startswith("Score = 100 × importance × gap × reach (this run did not yet use")

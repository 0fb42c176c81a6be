"""The ticket's and the 360's one read of the live expectations (``facade.
live_expectations_with_guidance``) takes the columns its panels use, not the models: the same
expectations in the same order with the same values and guidance as the models read with their
guidance, and the known-expectations panel drawn from them is the one drawn from the models, in
Chinese and English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.insights.factories import ExpectationFactory
from yuqi.insights import facade, panels
from yuqi.insights.models import LIVE_STATUSES, Expectation, GuidancePlan

pytestmark = pytest.mark.django_db


def _guide(expectation: Expectation, script: str, script_en: str = "") -> None:
    GuidancePlan.objects.create(
        expectation=expectation,
        script=script,
        script_en=script_en,
        updated_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
    )


@pytest.fixture
def register():
    """Live expectations of every grade (C with and without guidance, with and without an
    English script), a due date, ties of grade and score, and rows the read leaves out."""
    c_both = ExpectationFactory(code="c-both", category="billing", grade="C", score=50.0)
    _guide(c_both, "按规定退回 <三天>", "Refunded as the rules say")
    c_zh = ExpectationFactory(code="c-zh", category="billing.overcharge", grade="C", score=50.0)
    _guide(c_zh, "只有中文话术")
    ExpectationFactory(code="c-none", category="billing", grade="C", score=10.0)
    ExpectationFactory(
        code="a-due",
        category="billing",
        grade="A",
        score=90.0,
        statement="准时 & 可靠",
        due_date=dt.date(2027, 3, 1),
    )
    b_guided = ExpectationFactory(code="b-guided", category="network", grade="B", score=None)
    _guide(b_guided, "B 级不显示话术")
    ExpectationFactory(code="ungraded", category="network", grade="", score=None)
    ExpectationFactory(code="no-category", category="", grade="C")
    ExpectationFactory(code="retired", category="billing", status="retired", grade="A")


def _models() -> list[Expectation]:
    """The former read: the models with their guidance."""
    return list(
        Expectation.objects.filter(status__in=LIVE_STATUSES)
        .exclude(category="")
        .select_related("guidance")
        .order_by("grade", "-score", "code")
    )


def test_the_read_answers_as_the_models(register):
    facade.LIVE_EXPECTATIONS_READ.forget()
    for _ in range(2):  # compiled, then kept
        read = facade.live_expectations_with_guidance()
        expected = []
        for row in _models():
            guidance = getattr(row, "guidance", None)
            expected.append(
                (
                    (row.pk, row.code, row.category, row.grade, row.statement, row.due_date),
                    None if guidance is None else (guidance.script, guidance.script_en),
                )
            )
        assert [
            (
                (e.pk, e.code, e.category, e.grade, e.statement, e.due_date),
                None if e.guidance is None else (e.guidance.script, e.guidance.script_en),
            )
            for e in read
        ] == expected
    assert all(facade.LIVE_EXPECTATIONS_READ.kept().values())
    assert {e.code for e in read} == {"c-both", "c-zh", "c-none", "a-due", "b-guided", "ungraded"}


def _former_known(codes: list[str]) -> list[dict]:
    """The panel's items as the former ``_known`` made them from the models."""
    from yuqi.insights.expectations import _matches

    out, seen = [], set()
    for code in codes:
        for row in _models():
            if row.pk in seen or not _matches(row.category, code):
                continue
            seen.add(row.pk)
            guidance = getattr(row, "guidance", None) if row.grade == "C" else None
            out.append({"expectation": row, "guidance": guidance})
    return out[: panels.LIMIT]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("may_open", [True, False])
@pytest.mark.parametrize("codes", [["billing.overcharge", "network"], ["billing"], ["privacy"]])
def test_the_panel_is_drawn_as_from_the_models(register, language, may_open, codes):
    template = "insights/panels/known_expectations.html"
    with translation.override(language):
        drawn = render_to_string(
            template, {"panel": {"known": panels._known(codes), "may_open": may_open}}
        )
        former = render_to_string(
            template, {"panel": {"known": _former_known(codes), "may_open": may_open}}
        )
    assert drawn == former
    assert "known-expectations" in drawn
    assert ("<li>" in drawn) == (codes != ["privacy"])


def test_the_panel_shows_guidance_only_for_c_grade(register):
    known = panels._known(["billing", "network"])
    guided = {item["expectation"].code: item["guidance"] for item in known}
    assert guided["c-both"] == facade.Guidance("按规定退回 <三天>", "Refunded as the rules say")
    assert guided["c-none"] is None
    assert guided["b-guided"] is None
    assert isinstance(known[0]["expectation"], facade.LiveExpectation)

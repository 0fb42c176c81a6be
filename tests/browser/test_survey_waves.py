"""Recurring surveys in Chinese, in headless Chromium: the analyst 陈静 opens a campaign's second
wave and sees the wave-over-wave trend with its significant change, sees the Kano feature that
slid to must-be on the analysis page, and records where an expectation comes from."""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from tests.insights.factories import ExpectationFactory
from tests.surveys import factories
from tests.surveys.analysis_factories import respond
from yuqi.insights.models import ExpectationOrigin
from yuqi.surveys import waves
from yuqi.surveys.choices import AnswerPart, QuestionType, SurveyKind
from yuqi.surveys.models import Campaign

pytestmark = pytest.mark.browser
TIMEOUT = 30_000


def _series() -> Campaign:
    survey = factories.survey(
        code="pulse",
        kind=SurveyKind.CUSTOM,
        csat={"type": QuestionType.CSAT, "text": "满意吗"},
        k1={"type": QuestionType.KANO_PAIR, "text": "智能回拨", "feature": "callback"},
    )
    first = Campaign.objects.create(
        code="pulse-q3", name="季度脉搏", survey_version=survey.current_version
    )
    second = waves.wave_create_next(campaign=first, draw=False).campaign
    attractive = {AnswerPart.FUNCTIONAL: 1, AnswerPart.DYSFUNCTIONAL: 3}
    must_be = {AnswerPart.FUNCTIONAL: 2, AnswerPart.DYSFUNCTIONAL: 5}
    for n in range(40):
        respond(survey, {"csat": 5 if n < 12 else 2, "k1": attractive}, campaign=first)
        respond(survey, {"csat": 5 if n < 32 else 2, "k1": must_be}, campaign=second)
    return second


@pytest.mark.django_db(transaction=True)
def test_analyst_sees_the_trend_and_the_slide_and_sets_an_origin(live_server, browser_page):
    analyst = UserFactory(username="chenjing", display_name="陈静", roles=["analyst"])
    second = _series()
    expectation = ExpectationFactory(code="callback-2h", statement="承诺回电须 2 小时内兑现")
    page = browser_page
    sign_in(page, live_server.url, analyst.username)

    page.goto(f"{live_server.url}/surveys/campaigns/{second.code}/")
    section = page.locator("#waves")
    assert "定期测评" in section.locator("h2").inner_text(timeout=TIMEOUT)
    assert page.locator("#wave-table tbody tr").count() == 2
    flag = page.locator("#trend-flag")
    assert "显著变化" in flag.inner_text(timeout=TIMEOUT)
    csat = page.locator("#trend-table tr[data-metric=csat]")
    assert "显著变化" in csat.inner_text()
    page.locator(".wave-charts canvas").first.wait_for(timeout=TIMEOUT)  # ECharts drew

    page.goto(f"{live_server.url}/surveys/campaigns/{second.pk}/analysis/")
    slide = page.locator("#kano-slides tr[data-feature=callback]")
    assert "向必备属性下滑" in slide.inner_text(timeout=TIMEOUT)
    assert "魅力属性" in slide.inner_text()  # before
    assert "必备属性" in slide.inner_text()  # after

    page.goto(f"{live_server.url}/insights/expectations/{expectation.pk}/")
    form = page.locator("#origin-form")
    form.locator("input[value=promise]").check()
    form.locator("input[name=origin_note]").fill("座席承诺两小时内回电")
    form.locator("button[type=submit]").click()
    page.locator("#expectation-origin .badge.origin-promise").wait_for(timeout=TIMEOUT)
    assert "我们做出的承诺" in page.locator("#expectation-origin").inner_text()
    assert ExpectationOrigin.objects.filter(expectation=expectation, origin="promise").exists()

    page.goto(f"{live_server.url}/insights/expectations/?origin=self")
    table = page.locator("#expectation-table")
    assert "callback-2h" in table.inner_text(timeout=TIMEOUT)
    assert "由我们自己造成的期望" in page.locator("#self-made").inner_text()

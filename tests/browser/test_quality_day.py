"""A quality day in Chinese, in headless Chromium: the supervisor 王强 scores 李娜's contact on
the call-handling form; 李娜 opens 我的质检 and disputes it (or acknowledges it); the
supervisor sees the dispute waiting for a second evaluator."""

from __future__ import annotations

import re

import pytest

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from tests.interactions.factories import AgentFactory, InteractionFactory
from yuqi.quality.models import Evaluation
from yuqi.quality.services import qa_forms_install_defaults

pytestmark = pytest.mark.browser


def _people():
    qa_forms_install_defaults()  # a transactional test flushed the migration's rows
    lina = UserFactory(username="lina", display_name="李娜", roles=["agent"])
    boss = UserFactory(username="wangqiang", display_name="王强", roles=["supervisor"])
    contact = InteractionFactory(
        agent=AgentFactory(code="A0001", name="李娜", user=lina),
        notes="客户咨询5G套餐，已说明资费和生效时间。",
    )
    return lina, boss, contact


def _score(page, base: str, contact) -> int:
    page.goto(f"{base}/quality/evaluate/?kind=interaction&id={contact.pk}")
    assert page.locator("h1").inner_text().startswith("质检")  # Chinese page
    assert "客户咨询5G套餐" in page.locator("section.evidence").inner_text()
    page.select_option("#item_courtesy", "6")  # 服务态度 item: 6 of 10
    page.select_option("#item_promise_standard", "na")
    page.fill("#comment", "态度可以更热情一些。")
    page.click("#evaluate-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/quality/evaluations/\d+/$"))
    assert page.locator("#evaluation-score").inner_text() == "95.3"  # 81 of 85 points
    return int(page.url.rstrip("/").split("/")[-1])


@pytest.mark.django_db(transaction=True)
def test_evaluator_scores_and_agent_disputes_in_chinese(live_server, browser_page):
    lina, boss, contact = _people()
    page = browser_page
    sign_in(page, live_server.url, boss.username)
    pk = _score(page, live_server.url, contact)
    page.context.clear_cookies()

    sign_in(page, live_server.url, lina.username)
    page.goto(f"{live_server.url}/quality/mine/")
    assert page.locator("h1").inner_text() == "我的质检"
    page.click(f"text=#{pk}")
    page.fill("#reason", "客户的问题我当场解答了，请复听录音。")
    page.click("button[value=dispute]")
    page.wait_for_load_state("networkidle")
    assert "申诉已提交给另一位质检员" in page.locator(".messages").inner_text()
    assert Evaluation.objects.get(pk=pk).status == "disputed"

    page.context.clear_cookies()
    sign_in(page, live_server.url, boss.username)
    page.goto(f"{live_server.url}/quality/evaluations/{pk}/")
    assert page.locator("#review").count() == 0  # the first evaluator cannot settle it


@pytest.mark.django_db(transaction=True)
def test_agent_acknowledges_in_chinese(live_server, browser_page):
    lina, boss, contact = _people()
    page = browser_page
    sign_in(page, live_server.url, boss.username)
    pk = _score(page, live_server.url, contact)
    page.context.clear_cookies()
    sign_in(page, live_server.url, lina.username)
    page.goto(f"{live_server.url}/quality/evaluations/{pk}/")
    page.click("text=确认无异议")
    page.wait_for_load_state("networkidle")
    assert "已确认质检结果" in page.locator(".messages").inner_text()
    assert Evaluation.objects.get(pk=pk).status == "acknowledged"

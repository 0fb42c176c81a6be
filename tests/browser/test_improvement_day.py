"""An improvement cycle in Chinese, in headless Chromium: the manager 张伟 opens the root-cause
Pareto, creates an action from its bar, moves it plan → do → check, runs the before/after
check on the complaints, reads the verdict, closes it as effective and finds it on the
客户期望评测结果表."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from tests.complaints.factories import open_complaint
from tests.customers.factories import tier
from tests.insights.factories import ExpectationFactory
from yuqi.complaints.models import Complaint, RootCause
from yuqi.customers.models import Customer
from yuqi.insights import evaluation

pytestmark = pytest.mark.browser

WAIT = 30_000


def _data(manager):
    today = timezone.localdate()
    cause, _created = RootCause.objects.get_or_create(
        code="bill-explain", defaults={"name": "账单解释不清", "name_en": "Bill not explained"}
    )
    ordinary = tier("ordinary")
    Customer.objects.bulk_create(
        Customer(external_id=f"B{i:05d}", name=f"客户{i}", tier=ordinary) for i in range(300)
    )
    customers = list(Customer.objects.order_by("pk")[:27])
    tickets = [open_complaint(by=manager, customer=c) for c in customers]
    baseline_day = timezone.make_aware(
        timezone.datetime.combine(today - timedelta(days=60), timezone.datetime.min.time())
    )
    after_day = baseline_day + timedelta(days=30)
    ids = [t.pk for t in tickets]
    Complaint.objects.filter(pk__in=ids[:25]).update(opened_at=baseline_day)
    Complaint.objects.filter(pk__in=ids[25:]).update(opened_at=after_day)
    Complaint.objects.filter(pk__in=ids).update(
        state="closed", closed_at=timezone.now() - timedelta(days=3), root_cause=cause
    )
    ExpectationFactory(code="bill-explain", statement="账单费用一次讲清楚", grade="A")
    evaluation.evaluation_run(
        period_start=today - timedelta(days=30), period_end=today, by=manager, collect=False
    )
    return today, cause


@pytest.mark.django_db(transaction=True)
def test_manager_runs_an_improvement_cycle_in_chinese(live_server, browser_page):
    manager = UserFactory(username="zhangwei", display_name="张伟", roles=["manager"])
    today, cause = _data(manager)
    page, base = browser_page, live_server.url
    sign_in(page, base, manager.username)

    page.goto(f"{base}/improvement/pareto/")
    assert page.locator("h1").inner_text().startswith("根因分析")
    row = page.locator(f"#root-cause-table tr[data-code='{cause.code}']")
    assert "25" in row.inner_text() or "27" in row.inner_text()
    row.locator("a.create-action").click()
    page.wait_for_url(re.compile(r".*/improvement/new/.*"))
    assert "账单解释不清" in page.locator("#id_title").input_value()
    page.fill("#id_plan", "新增账单解释话术，全员培训")
    page.fill("#id_due_date", (today + timedelta(days=30)).isoformat())
    page.fill("#id_baseline_start", (today - timedelta(days=60)).isoformat())
    page.fill("#id_baseline_end", (today - timedelta(days=31)).isoformat())
    links = page.locator("#id_links")
    links.fill(links.input_value() + "\nexpectation:bill-explain")
    page.click("#action-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/improvement/\d+/$"))
    number = page.locator("h1").inner_text().split()[0]

    for step in ("do", "check"):
        page.click(f"#transition-form button[data-to={step}]")
        page.wait_for_load_state("networkidle")
    page.fill("#id_after_start", (today - timedelta(days=30)).isoformat())
    page.fill("#id_after_end", (today - timedelta(days=1)).isoformat())
    page.click("#run-check")
    verdict = page.locator("#latest-check")
    from playwright.sync_api import expect

    expect(verdict).to_contain_text("改善是真实的", timeout=WAIT)
    assert "95% 区间" in verdict.inner_text()

    page.goto(page.url)
    page.click("#transition-form button[data-to=act]")
    page.wait_for_load_state("networkidle")
    page.select_option("#id_outcome", "effective")
    page.click("#close-form button[type=submit]")
    expect(page.locator("#action-outcome")).to_have_text("有效", timeout=WAIT)

    page.goto(f"{base}/insights/evaluation/")
    line = page.locator("tr.ia-eval-row[data-for='bill-explain']")
    expect(line).to_contain_text(number, timeout=WAIT)
    assert "有效" in line.inner_text()

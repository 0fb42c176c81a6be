"""The planner's and the agent's roster day in headless Chromium, in Chinese (issue 19):

* the manager 张伟 plans and builds a one-week roster for the hotline from the staffing
  requirement and the shift templates: the planning job runs in the background while the
  page shows its progress, then the draft appears with its coverage chart, and he
  publishes it;
* the agent 李娜 opens "my schedule" and sees her published shifts, asks for time off, and
  asks a colleague to take one of her shifts;
* the supervisor 王强 approves the swap: the shift is the colleague's.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.support import browser_page, sign_in  # noqa: F401 (fixture)
from yuqi.operations.facade import RequirementSlot, StaffingQueue
from yuqi.workforce import services
from yuqi.workforce.models import (
    Roster,
    RosterAssignment,
    ShiftTemplate,
    SwapRequest,
    TimeOffRequest,
    WorkforceAgent,
)

pytestmark = pytest.mark.browser


def _requirement(*, queue_code, start, end, interval_minutes, today=None):
    """One head on duty 09:00–17:00 every day (operations' facade answers this from calls)."""
    rows, day = [], start
    while day <= end:
        rows.extend(
            RequirementSlot(day, slot, "forecast", 5.0, 1, 1.0, None) for slot in range(18, 34)
        )
        day += dt.timedelta(days=1)
    return rows


@pytest.mark.django_db(transaction=True)
def test_a_planner_publishes_a_roster_and_the_agent_sees_her_shifts(
    live_server,
    browser_page,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(services.operations, "staffing_requirement", _requirement)
    monkeypatch.setattr(
        services.operations, "staffing_queues", lambda: [StaffingQueue("hotline", "客服热线")]
    )
    UserFactory(username="zhangwei", display_name="张伟", roles=["manager"])
    UserFactory(username="wangqiang", display_name="王强", roles=["supervisor"])
    lina = UserFactory(username="lina", display_name="李娜", roles=["agent"])
    WorkforceAgent.objects.create(user=lina, acd_code="A1001")
    WorkforceAgent.objects.create(user=UserFactory(), acd_code="A1002")
    ShiftTemplate.objects.create(name="早班", start=dt.time(9), minutes=480)
    today = dt.date.today()
    start = today + dt.timedelta(days=7 - today.weekday())
    page = browser_page
    base = live_server.url

    sign_in(page, base, "zhangwei")
    page.goto(f"{base}/workforce/")
    assert page.get_by_role("heading", name="排班表").is_visible()
    page.get_by_label("技能组").select_option("hotline")
    page.get_by_label("首日").fill(start.isoformat())
    page.get_by_label("周数").fill("1")
    page.get_by_role("button", name="生成班次计划和排班表").click()
    page.wait_for_url(f"{base}/workforce/rosters/*/")
    expect(page.get_by_test_id("roster-job")).to_be_visible(timeout=30_000)
    assert "排队中" in page.get_by_test_id("roster-job-state").inner_text()
    services.fill_roster(Roster.objects.get().pk)  # the worker's part; the page follows it
    expect(page.get_by_test_id("roster-status")).to_have_text("草稿", timeout=30_000)
    assert page.get_by_role("heading", name="各时段覆盖").is_visible()
    assert "早班" in page.get_by_test_id("roster-table").inner_text()
    page.get_by_test_id("publish").click()
    page.wait_for_url(f"{base}/workforce/rosters/*/")
    assert page.get_by_test_id("roster-status").inner_text() == "已发布"
    assert Roster.objects.get().status == "published"

    page.context.clear_cookies()
    sign_in(page, base, "lina")
    page.goto(f"{base}/workforce/me/")
    assert page.get_by_role("heading", name="我的班表").is_visible()
    shifts = page.get_by_test_id("my-shifts").inner_text()
    assert "早班" in shifts
    assert "09:00" in shifts
    page.get_by_label("首日").fill((start + dt.timedelta(days=14)).isoformat())
    page.get_by_label("末日").fill((start + dt.timedelta(days=15)).isoformat())
    page.get_by_role("button", name="提交给班长").click()
    page.wait_for_url(f"{base}/workforce/me/")
    assert page.get_by_text("休假申请已提交给班长。").is_visible()
    assert TimeOffRequest.objects.get().agent.acd_code == "A1001"

    # 李娜 hands her first shift to a colleague who joined after the roster was made.
    colleague = WorkforceAgent.objects.create(user=UserFactory(), acd_code="A1009")
    first = page.get_by_test_id("my-shifts").locator("tbody tr").first
    first.get_by_label("同事的 ACD 工号").fill("A1009")
    first.get_by_role("button", name="申请换班").click()
    page.wait_for_url(f"{base}/workforce/me/")
    expect(page.get_by_text("换班申请已提交给班长。")).to_be_visible(timeout=30_000)

    page.context.clear_cookies()
    sign_in(page, base, "wangqiang")
    page.goto(f"{base}/workforce/requests/")
    swaps = page.get_by_test_id("swap-requests")
    expect(swaps).to_contain_text("A1009", timeout=30_000)
    swaps.get_by_role("button", name="批准").click()
    expect(page.get_by_text("申请已审批。")).to_be_visible(timeout=30_000)
    swap = SwapRequest.objects.get()
    assert swap.status == "approved"
    assert RosterAssignment.objects.get(pk=swap.assignment_id).agent == colleague

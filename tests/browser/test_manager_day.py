"""The manager's day in headless Chromium, in Chinese: the dashboard opens on today, live;
the wallboard is a full-screen page without the menu; the audit log reads before → after."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from tests.interactions.factories import InteractionFactory, QueueFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_manager_dashboard_shows_today_and_the_wallboard_has_no_menu(live_server, browser_page):
    UserFactory(username="zhangwei", display_name="张伟", roles=["manager"])
    general = QueueFactory(code="general", name="普通话务")
    InteractionFactory(queue=general, arrived_at=timezone.now() - timedelta(days=2))
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    base = live_server.url
    sign_in(page, base, "zhangwei")

    nav = page.locator("nav.mainnav")
    nav.get_by_role("button", name="工作台").click()  # the menu's task group opens
    nav.get_by_role("link", name="运营看板").click()
    page.wait_for_url(f"{base}/operations/")
    today = timezone.localdate().isoformat()
    heading = page.locator("h1").inner_text()
    assert "今天" in heading
    assert today in heading
    freshness = page.locator("p.freshness").inner_text()
    assert "实时" in freshness
    assert "每 60 秒自动刷新" in freshness
    assert "今天还没有接触记录。" in page.locator("#dashboard-body").inner_text()
    assert page.locator("#dashboard-body").get_attribute("hx-trigger") == "every 60s"

    page.goto(f"{base}/operations/wallboard/general/")
    assert "大屏" in page.locator("h1").inner_text()
    assert "普通话务" in page.locator("h1").inner_text()
    assert page.locator("nav.mainnav").count() == 0
    assert page.locator("header.topbar").count() == 0
    board = page.locator("#wallboard").bounding_box()
    assert board is not None
    assert board["width"] > 1200  # the figures use the whole screen
    page.get_by_role("link", name="退出大屏").click()
    page.wait_for_url(f"{base}/operations/")

    nav = page.locator("nav.mainnav")
    nav.get_by_role("button", name="设置").click()
    nav.get_by_role("link", name="审计日志").click()
    page.wait_for_url(f"{base}/audit/")
    assert "变更（原值 → 新值）" in page.locator("table.audit > thead").inner_text()
    assert "\\u" not in page.locator("main").inner_text()

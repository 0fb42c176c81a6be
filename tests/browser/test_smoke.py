"""End-to-end in headless Chromium (Debian's package, driven by Playwright): sign in, see the
navigation for the role, switch language. Run with ``make test-browser``."""

from __future__ import annotations

import pytest

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_sign_in_see_navigation_and_switch_language(live_server, browser_page):
    UserFactory(username="zhangwei", display_name="张伟", roles=["manager"])
    page = browser_page
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"

    page.fill("input[name=username]", "zhangwei")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/")

    # The menu is a line of task groups; a group opens (click, hover or keyboard) to its links.
    nav = page.locator("nav.mainnav")
    nav.get_by_role("button", name="工作台").click()
    assert nav.get_by_role("link", name="首页").is_visible()
    nav.get_by_role("button", name="设置").click()
    assert nav.get_by_role("link", name="审计日志").is_visible()
    assert nav.get_by_role("link", name="API 密钥").count() == 0

    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    nav.get_by_role("button", name="Settings").click()
    assert nav.get_by_role("link", name="Audit log").is_visible()

    nav.get_by_role("link", name="Audit log").click()
    page.wait_for_url(f"{live_server.url}/audit/")
    page.wait_for_selector("[data-chart] canvas")  # ECharts drew, from the vendored file

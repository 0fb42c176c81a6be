"""Layout for a workstation (issue 14), measured in headless Chromium: the grouped menu fits one
line at 1280 px for every role and opens by click, hover and keyboard; the work queue shows at
least 15 tickets above the fold at 1366×768; the agent's pages and the public survey work at
390 px (no sideways scrolling)."""

from __future__ import annotations

import pytest

from tests.browser.support import sign_in
from tests.browser.workday import ROLES, build_workday

pytestmark = pytest.mark.browser

ONE_LINE = 56  # px: the top bar's height when nothing wraps (44 px bar, some slack)


@pytest.fixture
def workday(db):
    return build_workday()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_menu_is_one_line_at_1280_for_every_role(workday, live_server, browser_page, language):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    heights = {}
    for role in ROLES:
        page.context.clear_cookies()
        sign_in(page, live_server.url, workday.usernames[role])
        if language == "en":
            page.click("button[data-lang=en]")
            page.wait_for_load_state()
        heights[role] = page.locator("header.topbar").bounding_box()["height"]
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, f"{role}: the page scrolls sideways ({width} px)"
    assert all(height <= ONE_LINE for height in heights.values()), heights


@pytest.mark.django_db(transaction=True)
def test_a_menu_opens_by_click_hover_and_keyboard(workday, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url, workday.usernames["manager"])
    nav = page.locator("nav.mainnav")
    audit = nav.get_by_role("link", name="审计日志")
    assert not audit.is_visible()  # menus are closed until asked for

    settings = nav.get_by_role("button", name="设置")
    settings.click()
    assert settings.get_attribute("aria-expanded") == "true"
    assert audit.is_visible()
    page.mouse.click(1200, 700)  # a click elsewhere closes it
    assert not audit.is_visible()
    assert settings.get_attribute("aria-expanded") == "false"

    nav.get_by_role("button", name="洞察").hover()
    assert nav.get_by_role("link", name="同业对标").is_visible()

    page.mouse.move(1200, 700)
    complaints = nav.get_by_role("button", name="投诉与承诺")
    complaints.focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "投诉"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/complaints/")
    group = page.locator(".navgroup.active .navgroup-toggle")
    assert group.inner_text() == "投诉与承诺"  # the open page's group is marked

    page.locator(".navgroup[data-group=settings] .navgroup-toggle").focus()
    page.keyboard.press("ArrowDown")
    assert audit.is_visible()
    page.keyboard.press("Escape")
    assert not audit.is_visible()


@pytest.mark.django_db(transaction=True)
def test_the_work_queue_shows_15_tickets_above_the_fold(workday, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server.url, workday.usernames["supervisor"])
    page.goto(f"{live_server.url}/complaints/")
    rows = page.locator("table.complaint-queue tbody tr")
    assert rows.count() >= 20
    bottoms = rows.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().bottom)")
    visible = sum(1 for bottom in bottoms if bottom <= 768)
    assert visible >= 15, f"{visible} rows above the fold"
    main = page.locator("main.content").bounding_box()
    assert main["width"] >= 1300  # the list uses the full width, not a 1200 px column


@pytest.mark.django_db(transaction=True)
def test_the_agents_pages_and_the_public_survey_work_at_390px(workday, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/s/{workday.survey_token}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    sign_in(page, live_server.url, workday.usernames["agent"])
    for path in (
        "/",
        "/complaints/",
        f"/complaints/{workday.ticket}/",
        f"/customers/{workday.customer}/",
        "/customers/",
        "/commitments/",
    ):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways at 390 px ({width} px)"
    # The menu folds behind its button and opens as a list.
    assert not page.locator("nav.mainnav").is_visible()
    page.click("label.nav-toggle-label")
    assert page.locator("nav.mainnav").get_by_role("link", name="投诉").is_visible()

"""The manager reads the staffing plan in headless Chromium, in Chinese: the first day's
intervals are on the page, a closed day says how many of its intervals were under- or
over-staffed, and opening it loads its rows (issue 22: one day built with the page)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from tests.interactions.factories import AgentFactory, InteractionFactory, QueueFactory

pytestmark = pytest.mark.browser


def _busy_hour(queue, day, hour: int, calls: int, agents) -> None:
    """``calls`` answered calls in the hour, shared by ``agents``."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))
    for i in range(calls):
        arrived = start + timedelta(seconds=i * 3600 // calls)
        InteractionFactory(
            queue=queue,
            agent=agents[i % len(agents)],
            arrived_at=arrived,
            answered_at=arrived + timedelta(seconds=8),
            wait_seconds=8,
            talk_seconds=150,
            wrap_seconds=30,
        )


@pytest.mark.django_db(transaction=True)
def test_manager_opens_a_closed_day_of_the_staffing_plan(live_server, browser_page):
    UserFactory(username="zhangwei", display_name="张伟", roles=["manager"])
    queue = QueueFactory(code="general", name="普通话务", sl_target=0.8, sl_seconds=20)
    agents = [AgentFactory() for _ in range(3)]
    today = timezone.localdate()
    first, second = today - timedelta(days=3), today - timedelta(days=2)
    _busy_hour(queue, first, 9, 60, agents)
    _busy_hour(queue, second, 10, 80, agents)  # 80 calls an hour: more than 3 agents can take
    page = browser_page
    base = live_server.url
    sign_in(page, base, "zhangwei")

    page.goto(
        f"{base}/operations/staffing/?queue=general&start={first}&end={second}"
        "&interval=30&shrinkage=30"
    )
    assert page.locator("h1").inner_text() == "排班计划"
    days = page.locator("details.staffing-day")
    expect(days).to_have_count(2)
    opened, closed = days.nth(0), days.nth(1)
    assert opened.get_attribute("data-day") == first.isoformat()
    assert opened.locator("table.staffing-plan tbody tr").count() > 0  # built with the page
    assert closed.get_attribute("data-day") == second.isoformat()
    summary = closed.locator("summary").inner_text()
    assert "个人手不足" in summary  # said while the day is closed
    assert closed.locator("table").count() == 0
    assert closed.locator(".staffing-day-rows a").text_content() == "显示当天各时段"  # no script

    closed.locator("summary").click()  # opening the day loads its rows
    rows = closed.locator("table.staffing-plan tbody tr")
    expect(rows.first).to_be_visible(timeout=15_000)
    assert rows.count() > 0
    assert closed.locator(".staffing-day-rows a").count() == 0  # the rows replaced the link
    assert "10:00" in closed.locator("table.staffing-plan").inner_text()

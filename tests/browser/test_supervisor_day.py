"""The supervisor's day in headless Chromium, in Chinese: the approvals inbox (a promise the
guard flagged, compensation above the limit, and the four-eyes refusal of their own request),
then on a ticket: assign, escalate, close, reopen. Each step asserts what 王强 sees."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from tests.commitments.factories import promise
from tests.complaints.factories import open_complaint
from tests.complaints.test_workflow_services import callback, resolved
from tests.customers.factories import CustomerFactory
from yuqi.complaints.services import complaint_add_recovery
from yuqi.core import clock

pytestmark = pytest.mark.browser

#: Set to a folder (e.g. docs/screenshots) to keep 1366×768 screenshots of the inbox, the work
#: queue and the ticket page while the test runs.
SHOTS = os.environ.get("YUQI_SCREENSHOT_DIR", "")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def over_limit(ticket, by):
    return complaint_add_recovery(
        complaint=ticket,
        kind="compensation",
        amount=Decimal("500"),
        by=by,
        expected_version=ticket.version,
        note="网络中断三天，补偿 500 元",
    )


@pytest.mark.django_db(transaction=True)
def test_supervisor_approves_assigns_escalates_closes_and_reopens(live_server, browser_page):
    wang = UserFactory(username="wangqiang", display_name="王强", roles=["supervisor"])
    zhou = UserFactory(username="zhoujie", display_name="周杰", roles=["supervisor"])
    li = UserFactory(username="lina", display_name="李娜", roles=["agent"])
    zhao = CustomerFactory(name="赵敏")
    # a transactional test starts from a flushed database: put the shipped standards back
    from yuqi.commitments.defaults import install_defaults
    from yuqi.commitments.models import Perk, PromiseAuthority, ServiceStandard
    from yuqi.customers.models import Tier

    install_defaults(ServiceStandard, Perk, PromiseAuthority, Tier)

    # 李娜 promised a repair in two hours: faster than the standard, so the guard flagged it
    now = clock.now()
    flagged = promise(
        by=li,
        customer=zhao,
        kind="repair",
        text="两小时内上门修复宽带",
        at=now,
        due_at=now + dt.timedelta(hours=2),
    )
    assert flagged.approval_state == "pending"
    # 周杰 offered 500 yuan on his ticket (limit 200); 王强 offered 500 yuan on his own
    theirs = over_limit(open_complaint(by=zhou, customer=zhao), zhou)
    mine_ticket = open_complaint(by=wang, customer=CustomerFactory(name="钱进"))
    over_limit(mine_ticket, wang)
    # a ticket called back and ready to close
    ready = callback(
        resolved(open_complaint(by=wang, customer=CustomerFactory(name="孙丽")), wang), wang
    )

    # an SLA alert fired for 王强 (the sweep logs it as a message to him)
    from yuqi.notifications.models import OutboundMessage

    OutboundMessage.objects.create(
        subject_ref=f"complaint:{ready.pk}",
        channel="email",
        recipient="w***@example.com",
        user_id=wang.pk,
        language="zh-hans",
        template="sla_alert",
        subject=f"工单 {ready.number} 解决时限有超时风险",
        body="请尽快处理。",
        status="sent",
        created_at=now,
    )

    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    base = live_server.url
    sign_in(page, base, "wangqiang")

    # --- the bell in the top bar counts the unread alert
    assert page.locator("header .bell .bell-count").inner_text() == "1"

    # --- the approvals inbox, from the menu
    nav = page.locator("nav.mainnav")
    nav.get_by_role("button", name="工作台").click()  # the menu's task group opens
    nav.get_by_role("link", name="审批").click()
    page.wait_for_url(f"{base}/approvals/")
    assert page.locator("h1").inner_text() == "审批"
    promises = page.locator('section[data-source="promises"]')
    assert "待审批的承诺" in promises.locator("h2").inner_text()
    row = promises.locator(f'tr[data-id="{flagged.pk}"]')
    assert "两小时内上门修复宽带" in row.inner_text()
    assert "李娜" in row.inner_text()
    assert "服务标准" in row.inner_text()  # the guard's reason, in Chinese
    shot(page, "supervisor-approvals-inbox")
    row.get_by_role("button", name="批准").click()
    page.wait_for_selector("text=承诺已批准，现在通知客户。")
    assert page.locator(f'section[data-source="promises"] tr[data-id="{flagged.pk}"]').count() == 0

    compensation = page.locator('section[data-source="compensation"]')
    assert "超限额补偿" in compensation.locator("h2").inner_text()
    their_row = compensation.locator(f'tr[data-id="{theirs.pk}"]')
    assert "500" in their_row.inner_text()
    assert "周杰" in their_row.inner_text()
    their_row.get_by_role("button", name="批准").click()
    page.wait_for_selector("text=补偿已批准。")

    # four eyes: his own request is refused, in Chinese, and stays pending
    own_row = page.locator('section[data-source="compensation"] tr', has_text=mine_ticket.number)
    assert "本人提出" in own_row.inner_text()
    own_row.get_by_role("button", name="批准").click()
    page.wait_for_selector("text=须由提议人以外的人员审批。")
    assert (
        page.locator('section[data-source="compensation"] tr', has_text=mine_ticket.number).count()
        == 1
    )

    # --- the work queue: search by the customer's name finds the ticket
    page.goto(f"{base}/complaints/?q=孙丽")
    assert page.locator("table.complaint-queue tbody tr").count() == 1
    assert ready.number in page.locator("table.complaint-queue tbody").inner_text()
    page.goto(f"{base}/complaints/")
    shot(page, "supervisor-work-queue")

    # --- the ticket: assign to 李娜
    page.goto(f"{base}/complaints/{ready.number}/")
    shot(page, "supervisor-ticket")
    page.locator("summary", has_text="分派").click()
    assign = page.locator("form", has=page.locator("input[name=action][value=assign]"))
    assign.locator("select[name=owner]").select_option(label="李娜")
    assign.get_by_role("button", name="分派").click()
    page.wait_for_selector("text=已分派。")
    assert "李娜" in page.locator("dl.facts").first.inner_text()

    # escalate to the next level
    page.locator("summary", has_text="提升投诉级别").click()
    escalate = page.locator("form", has=page.locator("input[name=action][value=escalate]"))
    escalate.locator("input[name=reason], textarea[name=reason]").fill("客户扬言向媒体曝光")
    escalate.get_by_role("button", name="升级").click()
    page.wait_for_selector("text=已升级；计时已按新级别的时限策略重新开始。")

    # close with a root cause
    close = page.locator("form", has=page.locator("input[name=action][value=close]"))
    close.locator("select[name=root_cause]").select_option(index=1)
    close.get_by_role("button", name="关闭工单").click()
    page.wait_for_selector("text=已关闭。")

    # reopen the closed ticket straight into service recovery
    reopen = page.locator("form.reopen")
    assert "重新打开工单" in page.locator("section.supervisor-actions h2").inner_text()
    reopen.locator("select[name=target]").select_option(label="服务补救")
    reopen.locator("input[name=reason]").fill("客户再次来电，问题仍未解决")
    reopen.get_by_role("button", name="重新打开").click()
    page.wait_for_selector("text=已重新打开。")
    assert "服务补救" in page.locator("#ticket h1").inner_text()
    assert page.locator("form.reopen").count() == 0

    # --- the alert: from the bell to the list, marked read
    page.locator("header .bell").click()
    page.wait_for_url(f"{base}/notifications/alerts/")
    assert page.locator("h1").inner_text() == "提醒"
    assert f"工单 {ready.number} 解决时限有超时风险" in page.locator("table.alerts").inner_text()
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_url(f"{base}/notifications/alerts/")
    assert "0 条未读" in page.locator("p.count").inner_text()
    page.wait_for_selector("header .bell .visually-hidden", state="attached")
    page.wait_for_load_state("networkidle")  # the bell asked for its count again
    assert page.locator("header .bell .bell-count").count() == 0

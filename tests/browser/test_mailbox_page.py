"""In Chromium, in Chinese: a supervisor opens Settings → 邮件受理 from the menu and reads the
mailbox job's runs and what became of each message (a real IMAP server, dovecot, when
installed)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from tests.customers.factories import CustomerFactory
from tests.mailbox.dovecot import require_dovecot, start_dovecot, stop_dovecot
from tests.mailbox.test_intake import config, mail

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_reads_the_mailbox_runs_in_chinese(live_server, browser_page, tmp_path):
    from yuqi.mailbox.services import mailbox_poll

    require_dovecot()
    server, process = start_dovecot()
    try:
        CustomerFactory(email="zhaomin@example.cn")
        raw, _ = mail(subject="宽带又断了")
        server.append(raw)
        server.append(mail(sender=None, subject="无发件人的来信")[0])
        mailbox_poll(config=config(server))
    finally:
        stop_dovecot(server, process)
    user = UserFactory(username="mb-supervisor", display_name="王强", roles=["supervisor"])
    page = browser_page
    sign_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/mailbox/")
    expect(page.locator("h1")).to_have_text("邮件受理", timeout=30_000)
    runs = page.locator("[data-testid=mailbox-runs] tbody tr")
    expect(runs).to_have_count(1, timeout=30_000)
    mails = page.locator("[data-testid=mailbox-mails]")
    expect(mails).to_contain_text("宽带又断了")
    expect(mails).to_contain_text("新建工单")
    expect(mails).to_contain_text("留待人工处理")
    expect(mails).to_contain_text("没有发件人地址")
    expect(page.locator("main h2").first).to_have_text("收件任务运行记录")
    page.screenshot(path=str(tmp_path / "mailbox.png"), full_page=True)

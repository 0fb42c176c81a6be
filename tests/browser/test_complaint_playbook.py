"""Issue 16 end to end in headless Chromium: a supervisor ticks a playbook step, logs a contact
attempt that restarts the contact clock, records a regulator appeal and sees its deadlines."""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from tests.complaints.factories import open_complaint
from yuqi.complaints.models import StepTick, TicketBook

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_supervisor_works_a_regulator_ticket_by_the_book(live_server, browser_page):
    supervisor = UserFactory(username="wangqiang", display_name="王强", roles=["supervisor"])
    ticket = open_complaint(by=supervisor, level_code="regulator", owner=supervisor)
    before = TicketBook.objects.get(complaint=ticket).contact_restarted_at
    page = browser_page
    sign_in(page, live_server.url, "wangqiang")
    page.goto(f"{live_server.url}/complaints/{ticket.number}/")
    assert "迅速响应，保持联系，规范处理" in page.locator("#playbook").inner_text()

    page.click("button[data-tick=level-regulator-time-bar]")
    page.wait_for_selector("#playbook li[data-step=time-bar]:has-text('✔')")
    assert StepTick.objects.filter(complaint=ticket, step__code="time-bar").count() == 1

    page.select_option("#contact-form select[name=channel]", "phone")
    page.check("#contact-form input[name=reached]")
    page.fill("#contact-form input[name=note]", "客户同意等待处理结果")
    page.click("#contact-form button[type=submit]")
    page.wait_for_selector("#contact .attempts li:has-text('客户同意等待处理结果')")
    assert TicketBook.objects.get(complaint=ticket).contact_restarted_at > before

    page.fill("#appeal-form input[name=number]", "GXB-2026-7788")
    page.select_option("#appeal-form select[name=body]", "miit")
    page.fill("#appeal-form input[name=received_on]", "2026-02-27")
    page.fill("#appeal-form input[name=event_date]", "2025-12-01")
    page.select_option("#appeal-form select[name=dispute]", "billing")
    page.click("#appeal-form button[type=submit]")
    panel = page.locator("#appeal dl.appeal")
    panel.wait_for()
    assert "2026-03-05" in panel.locator(".acceptance-due").inner_text()
    assert "2026-03-30" in panel.locator(".reply-due").inner_text()
    assert "2026-05-01" in panel.locator(".time-bar").inner_text()

"""The customer's own channel in headless Chromium, in Chinese: a customer on a phone-size
screen (WeChat's browser) files a complaint and gets a ticket number, then looks up its
status; a supervisor sends a notice that the tier guard first holds, then lets through with
a recorded reason, and follows the background job sending it until the count is final."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from tests.customers.factories import CustomerFactory, tier
from yuqi.channels import services
from yuqi.channels.models import Notice
from yuqi.notifications import channels as sms

pytestmark = pytest.mark.browser

PHONE = "13912345678"
WECHAT_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN"
)


@pytest.fixture
def sms_outbox(settings, tmp_path):
    settings.SMS_BACKEND = "locmem"
    settings.DATA_DIR = tmp_path
    sms.outbox.clear()
    cache.clear()
    yield sms.outbox
    sms.outbox.clear()
    cache.clear()


def _code(outbox) -> str:
    match = re.search(r"\d{6}", outbox[-1].body)
    assert match
    return match.group(0)


def _photo(tmp_path):
    path = tmp_path / "光猫.png"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.mark.django_db(transaction=True)
def test_a_customer_files_a_complaint_on_a_phone_and_looks_it_up(
    live_server, browser_page, sms_outbox, tmp_path
):
    CustomerFactory(phone=PHONE, tier=tier("ordinary"))
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 740})
    page.set_extra_http_headers({"User-Agent": WECHAT_UA})
    page.goto(f"{live_server.url}/c/")
    expect(page.locator("h1")).to_have_text("投诉、建议与表扬", timeout=30_000)
    page.get_by_label("投诉").check()
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_label("短信验证码")).to_be_visible(timeout=30_000)
    page.get_by_label("短信验证码").fill(_code(sms_outbox))
    page.get_by_label("发生了什么？您希望我们怎么处理？").fill("宽带断网两天，要求尽快上门修复。")
    page.locator("input[type=file]").set_input_files(_photo(tmp_path))
    page.get_by_role("button", name="提交").click()
    number = page.locator("#ticket-number")
    expect(number).to_be_visible(timeout=30_000)
    ticket = number.inner_text().strip()
    assert re.fullmatch(r"TS-\d{8}-\d{4}", ticket)
    expect(page.get_by_text("我们将在")).to_be_visible(timeout=30_000)
    # nothing wider than the phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("link", name="查询工单进度").first.click()
    page.get_by_label("工单号").fill(ticket)
    page.get_by_label("手机号码后 4 位").fill(PHONE[-4:])
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_label("短信验证码")).to_be_visible(timeout=30_000)
    page.get_by_label("短信验证码").fill(_code(sms_outbox))
    page.get_by_role("button", name="查看进度").click()
    expect(page.locator("#ticket-state")).to_be_visible(timeout=30_000)
    expect(page.locator("h1")).to_contain_text(ticket)
    expect(page.locator("#ticket-due")).to_be_visible()
    expect(page.get_by_text("我们对您的承诺")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_sends_a_notice_past_the_tier_guard(live_server, browser_page, sms_outbox):
    UserFactory(username="wangqiang", display_name="王强", roles=["supervisor"])
    for _ in range(2):
        CustomerFactory(tier=tier("ordinary"), region="广东 深圳")
    CustomerFactory(tier=tier("gold"), region="广东 深圳")
    page = browser_page
    sign_in(page, live_server.url, "wangqiang")
    page.goto(f"{live_server.url}/channels/notices/")
    expect(page.locator("h1")).to_have_text("客户通知", timeout=30_000)
    form = page.locator("#notice-form")
    form.get_by_label("标题").fill("尊享服务提醒")
    form.locator("#id_body").fill("即日起可拨打 VIP 专席，享受优先接入。")
    form.get_by_label("地区，用逗号分隔（留空：全部）").fill("广东 深圳")
    form.get_by_role("button", name="保存并预览").click()
    expect(page.locator("#audience-size")).to_contain_text("3", timeout=30_000)
    expect(page.locator(".guard-findings li")).to_contain_text("2")

    page.get_by_role("button", name="立即发送").click()  # no reason: held
    expect(page.locator("#send-form .errorlist")).to_be_visible(timeout=30_000)
    assert sms_outbox == []

    page.get_by_label("不顾等级保护仍要发送的理由").fill("专席服务调整，监管要求告知全部受影响客户")
    page.get_by_role("button", name="立即发送").click()
    expect(page.get_by_text("已在后台开始发送，本页会跟踪进度。")).to_be_visible(timeout=30_000)
    progress = page.get_by_test_id("notice-progress")
    expect(progress).to_contain_text("发送中")
    expect(progress).to_contain_text("已处理 0 / 3 位收件人")
    expect(page.get_by_text("已不顾等级保护发送")).to_be_visible()
    assert sms_outbox == []  # the worker sends, not the request

    services.notice_deliver(Notice.objects.get().pk)  # the worker's part; the page follows it
    expect(page.locator("#notice-sent")).to_contain_text("3", timeout=30_000)
    expect(page.locator("#notice-progress")).to_have_count(0)
    assert len(sms_outbox) == 3

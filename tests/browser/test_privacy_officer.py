"""The privacy officer's day in headless Chromium, in Chinese: the manager 张伟 logs a
deletion request, records the identity check, sees the due date, and erases the customer
after typing the customer id to confirm."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.support import browser_page, sign_in  # noqa: F401 (fixture)
from tests.customers.factories import CustomerFactory
from yuqi.customers.models import Customer

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_manager_erases_a_customer_after_checking_identity(
    live_server,
    browser_page,  # noqa: F811
    settings,
    tmp_path,
):
    # The erasure sweeps every file of the data folder: this test's own, not the folder the
    # whole suite's tests write into (thousands of files under a parallel run)
    settings.DATA_DIR = tmp_path
    UserFactory(username="zhangwei", display_name="张伟", roles=["manager"])
    customer = CustomerFactory(name="赵敏", phone="13812345678")
    page = browser_page
    sign_in(page, live_server.url, "zhangwei")

    page.goto(f"{live_server.url}/privacy/")
    expect(page.get_by_role("heading", name="个人信息请求", exact=True)).to_be_visible(
        timeout=30_000
    )
    form = page.get_by_test_id("privacy-new")
    form.locator("input[name=customer]").fill(customer.external_id)
    form.locator("select[name=kind]").select_option("deletion")
    form.locator("button[type=submit]").click()

    expect(page.get_by_test_id("privacy-status")).to_have_text("已受理", timeout=30_000)
    verify = page.get_by_test_id("privacy-verify")
    verify.locator("select[name=method]").select_option("id_card")
    verify.locator("input[name=note]").fill("柜台核验身份证")
    verify.locator("button[type=submit]").click()
    expect(page.get_by_test_id("privacy-status")).to_have_text("已核验身份", timeout=30_000)

    erase = page.get_by_test_id("privacy-erase")
    erase.locator("textarea[name=reason]").fill("客户本人书面申请删除")
    erase.locator("input[name=confirm]").fill(customer.external_id)
    erase.locator("button[type=submit]").click(timeout=60_000)
    expect(page.get_by_test_id("privacy-erased")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("privacy-status")).to_have_text("已完成")
    assert Customer.objects.get(pk=customer.pk).phone == ""
    assert "赵敏" not in page.content()

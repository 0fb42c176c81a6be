"""A supervisor imports a file of training records in Chinese, in headless Chromium.

docs/roles.md gives supervisors ``quality.add_trainingrecord`` ("enter or import training
records") and none of the imports page's permissions: so 王强 imports on the training page
itself, start to finish, and sees the counts and the rejected row's reason; the imports page
(every other kind of file) stays closed to him and out of his menu."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from tests.interactions.factories import AgentFactory
from yuqi.quality.models import TrainingRecord

pytestmark = pytest.mark.browser


def _workbook(path) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "课程", "学时", "日期", "结果"])
    sheet.append(["A0001", "投诉处理六步法", 4, date(2026, 11, 20), "合格"])
    sheet.append(["A0002", "5G 套餐口径", 2.5, date(2026, 11, 21), ""])
    sheet.append(["A0001", "情绪安抚", 0, date(2026, 11, 22), ""])  # no hours: rejected
    book.save(path)
    return str(path)


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_imports_training_records_on_the_training_page(
    live_server, browser_page, tmp_path
):
    UserFactory(username="wangqiang", display_name="王强", roles=["supervisor"])
    AgentFactory(code="A0001", name="李娜")
    AgentFactory(code="A0002", name="张伟")
    page = browser_page
    sign_in(page, live_server.url, "wangqiang")
    page.goto(f"{live_server.url}/quality/training/")
    expect(page.locator("h1")).to_have_text("培训记录")
    expect(page.locator("#mainnav")).not_to_contain_text("数据导入")
    page.get_by_label("培训记录文件").set_input_files(_workbook(tmp_path / "十一月培训.xlsx"))
    page.get_by_role("button", name="导入", exact=True).click()

    messages = page.locator("ul.messages")
    expect(messages).to_contain_text("十一月培训.xlsx：读取 3 行，新增 2 行")
    expect(messages).to_contain_text("第 4 行，学时：")
    listing = page.locator("#training-list")
    expect(listing).to_contain_text("投诉处理六步法")
    expect(listing).to_contain_text("5G 套餐口径")
    assert sorted(TrainingRecord.objects.values_list("agent_code", "course", "source")) == [
        ("A0001", "投诉处理六步法", "imported"),
        ("A0002", "5G 套餐口径", "imported"),
    ]

    # The imports page (customers, contacts, agent states…) is not a supervisor's.
    response = page.goto(f"{live_server.url}/imports/")
    assert response is not None
    assert response.status == 403

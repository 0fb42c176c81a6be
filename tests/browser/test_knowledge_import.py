"""A manager moves the old knowledge base in: from the knowledge page to the import page,
a Chinese spreadsheet uploaded, the background job watched to its end, the bad rows named in
the report and the good ones waiting as drafts for review."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from yuqi.knowledge.models import Article

pytestmark = pytest.mark.browser


def _workbook(path) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(["标题", "正文", "类型", "受众", "生效日期"])
    sheet.append(["宽带报修怎么办", "拨打10000号报修，师傅24小时内上门", "流程", "公开", None])
    sheet.append(["套餐降档口径", "次月生效，当月不退差价", "口径", "内部", "2027-01-01"])
    sheet.append(["没有日期的口径", "政策原文", "口径", "内部", None])
    book.save(path)
    return str(path)


@pytest.mark.django_db(transaction=True)
def test_a_manager_imports_the_old_knowledge_base_from_a_spreadsheet(
    live_server, browser_page, tmp_path
):
    UserFactory(username="zhaomin", roles=["manager"])
    page = browser_page
    sign_in(page, live_server.url, "zhaomin")
    page.goto(f"{live_server.url}/knowledge/")
    page.get_by_role("link", name="从文件导入文章").click()
    expect(page.get_by_label("文件内容")).to_have_value("knowledge")
    page.locator("input[type=file]").set_input_files(_workbook(tmp_path / "旧知识库.xlsx"))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator("#import-status")).to_contain_text("等待", timeout=15_000)

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    status = page.get_by_test_id("import-with-errors")
    expect(status).to_contain_text("1", timeout=15_000)
    expect(status.get_by_role("link", name="下载错误报告（CSV）")).to_be_visible()
    assert sorted(Article.objects.values_list("latest_version__title", "status")) == [
        ("套餐降档口径", "draft"),
        ("宽带报修怎么办", "draft"),
    ]

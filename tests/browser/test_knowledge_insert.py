"""In Chromium: "Insert into note" fills the page's ``<textarea data-knowledge-target>`` with
the article's text and logs the use; the help centre keeps its CSP."""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory
from tests.browser.support import sign_in
from tests.complaints.conftest import broken_promises, outbox  # noqa: F401
from tests.textmining.conftest import model_folder  # noqa: F401
from tests.textmining.factories import analysed, customer

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_insert_into_note_fills_the_marked_textarea(live_server, browser_page):
    from yuqi.knowledge.models import ArticleUse
    from yuqi.knowledge.seed import seed_all

    seed_all()
    user = UserFactory(username="kb-supervisor", display_name="王强", roles=["supervisor"])
    person = customer("ordinary")
    analysed(by=user, text="上个月账单多扣了30元流量费，要求退还多扣的费用", customer=person)
    page = browser_page
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Refused" in m.text else None)
    sign_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/customers/{person.external_id}/")
    button = page.locator("[data-knowledge-insert]").first
    assert button.is_hidden()  # no note box on this page
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<textarea data-knowledge-target id=note>客户来电：</textarea>');"
        "document.dispatchEvent(new Event('htmx:afterSettle'));"
    )
    button.click()
    value = page.input_value("#note")
    assert value.startswith("客户来电：\n")
    assert len(value) > len("客户来电：\n") + 10
    page.locator(".kb-recorded").first.wait_for(state="visible")
    page.wait_for_function("document.querySelector('.kb-recorded').textContent.length > 0")
    assert ArticleUse.objects.filter(kind="inserted", customer_id=person.pk).exists()
    page.goto(f"{live_server.url}/help/")
    assert page.locator("[data-testid=help-articles] li").count() >= 10
    assert violations == []

"""The public survey page on a phone-sized screen, in headless Chromium (``make test-browser``)."""

from __future__ import annotations

import pytest

from tests.browser.support import browser_page  # noqa: F401 (fixture)
from tests.customers.factories import CustomerFactory
from tests.surveys import factories
from yuqi.surveys.models import Response

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_customer_answers_on_a_phone_once(live_server, browser_page):  # noqa: F811
    survey = factories.post_contact_survey()
    _invitation, token = factories.invitation(survey, CustomerFactory(name="赵敏"))
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/s/{token}")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("button.primary").click()  # nothing answered: messages per question
    assert page.locator("[aria-invalid=true]").count() >= 2
    assert page.locator("#error-summary").is_visible()

    page.get_by_label("没有解决").check()
    page.locator("label", has_text="4").first.click()
    box = page.locator("fieldset .points label").first.bounding_box()
    assert box["height"] >= 44
    page.locator("button.primary").click()
    page.wait_for_url(f"{live_server.url}/s/{token}/thanks?lang=zh-hans")
    assert Response.objects.count() == 1

    again = page.goto(f"{live_server.url}/s/{token}")
    assert again.status == 409
    assert page.locator("button.primary").count() == 0
    assert Response.objects.count() == 1

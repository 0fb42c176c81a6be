"""The pages satisfy their Content-Security-Policy, in headless Chromium (``make test-browser``).

Each role signs in and opens every page of its navigation (plus a few pages with charts and
HTMX partials, and the public survey page); any ``securitypolicyviolation`` event or CSP
console error fails the test (review 2026-12, F-12).
"""

from __future__ import annotations

import pytest

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

ROLES = ("agent", "supervisor", "analyst", "manager", "admin")
EXTRA_PAGES = ("/accounts/password/change/", "/operations/kpis/", "/surveys/calls/")

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile
                              + ":" + e.lineNumber);
});
"""


def _watch(page) -> list[str]:
    console: list[str] = []
    page.context.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return console


def _visit(page, url: str, console: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__cspViolations || []")
    assert found == [], f"{url}: {found}"
    assert console == [], f"{url}: {console}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_satisfies_the_csp(role, live_server, browser_page):
    user = UserFactory(username=f"csp-{role}", display_name=role, roles=[role])
    if role == "admin":
        user.is_staff = user.is_superuser = True
        user.save()
    page = browser_page
    console = _watch(page)
    _visit(page, f"{live_server.url}/accounts/login/", console)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/")
    links = page.locator("nav.mainnav a").evaluate_all("els => els.map(e => e.href)")
    assert links
    for url in [*links, *(live_server.url + path for path in EXTRA_PAGES)]:
        _visit(page, url, console)
    if role == "admin":
        _visit(page, f"{live_server.url}/admin/", console)
        _visit(page, f"{live_server.url}/api/docs", console)


@pytest.mark.django_db(transaction=True)
def test_the_public_survey_page_satisfies_the_csp(live_server, browser_page):
    from tests.customers.factories import CustomerFactory
    from tests.surveys import factories

    survey = factories.post_contact_survey()
    _invitation, token = factories.invitation(survey, CustomerFactory(name="赵敏"))
    page = browser_page
    console = _watch(page)
    _visit(page, f"{live_server.url}/s/{token}", console)
    # The inline <style> really applied (it carries the nonce): cards have a white background.
    background = page.locator(".card, .qcard").first.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert background == "rgb(255, 255, 255)"

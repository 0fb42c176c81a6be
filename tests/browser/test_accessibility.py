"""axe-core (through axe-playwright-python) on the main pages of each role and on the public
survey page: no serious or critical violation (issue 14). Every violation found is listed with
its rule, its help text and the elements it concerns."""

from __future__ import annotations

import pytest

from tests.browser.support import sign_in
from tests.browser.workday import ROLES, build_workday

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


@pytest.fixture
def workday(db):
    return build_workday(tickets=6)


def main_pages(workday) -> dict[str, str]:
    return {
        "home": "/",
        "queue": "/complaints/",
        "ticket": f"/complaints/{workday.ticket}/",
        "360": f"/customers/{workday.customer}/",
        "dashboard": "/operations/",
        "kpi": "/operations/kpis/",
    }


def blocking_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}"
            )
    return found


@pytest.mark.django_db(transaction=True)
def test_no_serious_or_critical_violation_on_the_main_pages(workday, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    problems: list[str] = []
    checked = 0
    page.goto(f"{live_server.url}/s/{workday.survey_token}")
    problems += [f"[customer] survey: {v}" for v in blocking_violations(page)]
    checked += 1
    for role in ROLES:
        page.context.clear_cookies()
        sign_in(page, live_server.url, workday.usernames[role])
        for name, path in main_pages(workday).items():
            response = page.goto(f"{live_server.url}{path}")
            if response.status == 403:  # not this role's page
                continue
            assert response.status == 200, f"{role} {path}: {response.status}"
            page.wait_for_load_state("networkidle")
            problems += [f"[{role}] {name}: {v}" for v in blocking_violations(page)]
            checked += 1
    print(f"\naxe: {checked} page loads checked, {len(problems)} serious/critical violations")
    assert not problems, "\n".join(problems)

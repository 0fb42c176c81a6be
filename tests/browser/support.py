"""Shared set-up for the browser tests (``make test-browser``): headless Chromium from Debian,
driven by Playwright, and a helper that signs a user in through the login form."""

from __future__ import annotations

import shutil

import pytest

from tests.accounts.factories import PASSWORD
from tests.browser.chromium import CHROMIUM, CHROMIUM_FLAGS

__all__ = ["CHROMIUM", "CHROMIUM_FLAGS", "browser_page", "sign_in"]


@pytest.fixture
def browser_page(monkeypatch, tmp_path):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's database
    # work happens in its own thread, so Django's async guard does not apply here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        page.screenshot(path=str(tmp_path / "last.png"))
        browser.close()


def sign_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign ``username`` in through the login page, as a person would, and wait for home."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base_url}/")

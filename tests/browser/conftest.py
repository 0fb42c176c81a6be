"""Browser tests here get the ``browser_page`` fixture from :mod:`tests.browser.support`
(tests elsewhere import it from there)."""

from tests.browser.support import browser_page  # noqa: F401 (fixture)
